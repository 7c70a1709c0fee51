// The job page: asks the server how far the job has got and moves the progress bar; when the
// job has ended, reloads the page, which then shows the result. Texts come from the page.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.over === "yes") { return; }
  var bar = document.getElementById("job-progress");
  var state = document.getElementById("job-state");
  var count = document.getElementById("job-count");
  var delay = 1000;

  // "12,000 of 100,000 rows" in the page's language, from the page's own sentence.
  function rows(done, total) {
    var lang = document.documentElement.lang || undefined;
    return (count.dataset.text || "%(done)s / %(total)s")
      .replace("%(done)s", done.toLocaleString(lang))
      .replace("%(total)s", total.toLocaleString(lang));
  }

  function draw(status) {
    state.textContent = status.label;
    if (bar && status.total) {
      bar.max = status.total;
      bar.value = status.done;
      bar.textContent = status.percent + "%";
      if (count) { count.textContent = rows(status.done, status.total); }
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        if (status.is_over) { window.location.reload(); return; }
        draw(status);
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 30000);  // the server is busy or away: ask less often
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
