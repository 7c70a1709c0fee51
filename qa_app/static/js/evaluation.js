// Live score on the evaluation page. The server recomputes the score on every save; this only
// mirrors the same rules (docs/scoring.md) so the reviewer sees the effect of each pick.
// Every word it writes comes from the page (data attributes the server renders in the page's
// language), and numbers are written in the page language's notation, as the server writes them.
(function () {
  "use strict";
  var form = document.getElementById("evaluation-form");
  if (!form) { return; }
  var output = document.getElementById("live-score");
  var bandOut = document.getElementById("live-band");
  var progress = document.getElementById("live-progress");
  var language = document.documentElement.lang || "en";
  var scoreFormat = new Intl.NumberFormat(language, {minimumFractionDigits: 2, maximumFractionDigits: 2});
  var countFormat = new Intl.NumberFormat(language, {maximumFractionDigits: 0});
  // [[lowest score, name], ...] from the highest band down.
  var BANDS = JSON.parse(form.dataset.bands || "[]");
  var CRITICAL_FAIL = form.dataset.criticalFail || "";
  var PROGRESS = form.dataset.progress || "";

  function band(score) {
    for (var i = 0; i < BANDS.length; i += 1) {
      if (score >= BANDS[i][0]) { return BANDS[i][1]; }
    }
    return "";
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
    progress.textContent = PROGRESS.replace("{answered}", countFormat.format(answered));
    if (critical) {
      output.textContent = scoreFormat.format(0);
      bandOut.textContent = CRITICAL_FAIL;
    } else if (weights === 0) {
      output.textContent = "—";
      bandOut.textContent = "";
    } else {
      var score = Math.round(total / weights * 100) / 100;
      output.textContent = scoreFormat.format(score);
      bandOut.textContent = band(score);
    }
  }

  form.addEventListener("change", compute);
  compute();
}());
