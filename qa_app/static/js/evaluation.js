// Live score on the evaluation page. The server recomputes the score on every save; this only
// mirrors the same rules (PRODUCT.md "Scoring rules") so the reviewer sees the effect of each pick.
(function () {
  "use strict";
  var form = document.getElementById("evaluation-form");
  if (!form) { return; }
  var output = document.getElementById("live-score");
  var bandOut = document.getElementById("live-band");
  var progress = document.getElementById("live-progress");
  var BANDS = [[90, "Excellent"], [75, "Good"], [60, "Satisfactory"], [40, "Needs improvement"]];

  function band(score) {
    for (var i = 0; i < BANDS.length; i += 1) {
      if (score >= BANDS[i][0]) { return BANDS[i][1]; }
    }
    return "Poor";
  }

  function compute() {
    var sets = form.querySelectorAll("fieldset.criterion");
    var weights = 0, total = 0, answered = 0, critical = false;
    for (var i = 0; i < sets.length; i += 1) {
      var picked = sets[i].querySelector("input[type=radio]:checked");
      if (!picked) { continue; }
      answered += 1;
      if (picked.value === "na") { continue; }
      var pct = (Number(picked.value) - 1) / 4 * 100;
      var weight = Number(sets[i].dataset.weight);
      if (sets[i].dataset.critical === "true" && pct < 50) { critical = true; }
      weights += weight;
      total += weight * pct;
    }
    progress.textContent = answered + " of " + sets.length + " criteria scored";
    if (critical) {
      output.textContent = "0.00";
      bandOut.textContent = "Poor (critical fail)";
    } else if (weights === 0) {
      output.textContent = "—";
      bandOut.textContent = "";
    } else {
      var score = Math.round(total / weights * 100) / 100;
      output.textContent = score.toFixed(2);
      bandOut.textContent = band(score);
    }
  }

  form.addEventListener("change", compute);
  compute();
}());
