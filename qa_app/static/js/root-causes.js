// Shows a criterion's root causes only while it is scored 1, 2 or 3. Without this script they
// stay visible, and the server keeps causes only for those scores.
(function () {
  "use strict";
  document.querySelectorAll("fieldset.criterion").forEach(function (criterion) {
    var causes = criterion.querySelector("[data-root-causes]");
    if (!causes) return;
    function update() {
      var chosen = criterion.querySelector('input[type="radio"]:checked');
      causes.hidden = !(chosen && ["1", "2", "3"].indexOf(chosen.value) >= 0);
    }
    criterion.addEventListener("change", update);
    window.addEventListener("pageshow", update);  // a pick the browser put back (Back)
    update();
  });
})();
