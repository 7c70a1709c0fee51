// Live score on the evaluation page. The server recomputes the score on every save; this only
// mirrors the same rules (docs/scoring.md) so the reviewer sees the effect of each pick.
// It also adds keyboard scoring (docs/scoring.md, "Scoring page"): 1-5 score the criterion in
// focus, 0 or N marks it N/A where allowed, Enter moves on to the next criterion.
// Every word it writes comes from the page (data attributes the server renders in the page's
// language), and numbers are written in the page language's notation, as the server writes them.
(function () {
  "use strict";
  var form = document.getElementById("evaluation-form");
  if (!form) { return; }
  var output = document.getElementById("live-score");
  var bandOut = document.getElementById("live-band");
  var progress = document.getElementById("live-progress");
  var meter = document.getElementById("live-meter");
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
    meter.value = answered;
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

  // The browser puts back what the reviewer had picked and typed when they return to the form
  // (Back after a "busy, try again" page), after this script ran and without a change event:
  // the score is worked out again then, and a comment that came back is shown, not left folded.
  function restored() {
    form.querySelectorAll("details.criterion-comment").forEach(function (details) {
      if (details.querySelector("textarea").value.trim()) { details.open = true; }
    });
    compute();
  }

  form.addEventListener("change", compute);
  window.addEventListener("pageshow", restored);
  meter.hidden = false;
  compute();

  // Keyboard scoring. Keys typed into a text field stay text.
  var criteria = Array.prototype.slice.call(form.querySelectorAll("fieldset.criterion"));
  var hint = document.getElementById("key-hint");
  if (hint) { hint.hidden = false; }

  function typing(el) {
    return el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && el.type !== "radio" && el.type !== "checkbox");
  }

  function pick(criterion, value) {
    var radio = criterion.querySelector("input[type=radio][value='" + value + "']");
    if (!radio) { return false; }  // N/A where the criterion does not allow it
    radio.checked = true;
    radio.focus();
    radio.dispatchEvent(new Event("change", {bubbles: true}));
    return true;
  }

  function focusOn(criterion) {
    var radio = criterion.querySelector("input[type=radio]:checked") ||
      criterion.querySelector("input[type=radio]");
    radio.focus({preventScroll: true});
    criterion.scrollIntoView({block: "nearest"});
  }

  // Enter: the next criterion (Shift+Enter: the one before); after the last, the strengths.
  function move(criterion, step) {
    var next = criteria[criteria.indexOf(criterion) + step];
    if (next) {
      focusOn(next);
    } else if (step > 0 && form.elements.strengths) {
      form.elements.strengths.focus();
    }
  }

  form.addEventListener("keydown", function (event) {
    var el = event.target;
    var criterion = el.closest && el.closest("fieldset.criterion");
    if (!criterion || typing(el) || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key, handled = false;
    if (/^[1-5]$/.test(key)) {
      handled = pick(criterion, key);
    } else if (key === "0" || key === "n" || key === "N") {
      handled = pick(criterion, "na");
    } else if (key === "Enter" && el.type === "radio") {
      move(criterion, event.shiftKey ? -1 : 1);  // a radio's Enter would submit the form
      handled = true;
    }
    if (handled) { event.preventDefault(); }
  });

  // A comment opened from its toggle takes the focus at once, so the reviewer can type.
  form.querySelectorAll("details.criterion-comment > summary").forEach(function (summary) {
    summary.addEventListener("click", function (event) {
      var details = summary.parentNode;
      if (details.open) { return; }  // closing: as usual
      event.preventDefault();
      details.open = true;
      details.querySelector("textarea").focus();
    });
  });
}());
