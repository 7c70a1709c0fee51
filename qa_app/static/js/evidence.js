// Evidence on the scoring page: a click on a matched phrase scrolls the transcript to its turn
// and marks exactly the matched characters. The server gives the offsets in the units of the
// turn's text node (docs/autoqa.md), so the words are cut out of the page's own text: nothing is
// parsed as HTML.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button.evidence-link");
  if (!buttons.length) { return; }

  function unmark() {
    var marks = document.querySelectorAll(".conversation mark.evidence-mark");
    for (var i = 0; i < marks.length; i += 1) {
      var mark = marks[i], parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();  // one text node again, so the offsets hold for the next click
    }
  }

  function show(button) {
    var turn = document.getElementById("turn-" + button.dataset.turn);
    var words = turn && turn.querySelector(".turn-words");
    var text = words && words.firstChild;
    var start = Number(button.dataset.start), end = Number(button.dataset.end);
    if (!text || text.nodeType !== Node.TEXT_NODE || !(start >= 0 && end > start && end <= text.length)) {
      return;
    }
    var matched = text.splitText(start);
    matched.splitText(end - start);
    var mark = document.createElement("mark");
    mark.className = "evidence-mark";
    words.replaceChild(mark, matched);
    mark.appendChild(matched);
    turn.scrollIntoView({block: "center"});
    var previous = document.querySelector(".turn.evidence-turn");
    if (previous) { previous.classList.remove("evidence-turn"); }
    turn.classList.add("evidence-turn");
  }

  for (var i = 0; i < buttons.length; i += 1) {
    buttons[i].addEventListener("click", function (event) {
      unmark();
      show(event.currentTarget);
    });
  }
}());
