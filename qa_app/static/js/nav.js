/* The main menu (docs/navigation.md): one drop-down open at a time, Escape and a click elsewhere
   close it, and on a phone the Menu button shows and hides the whole menu. Without this script
   the groups still open (they are <details>) and a phone shows the menu unfolded. */
"use strict";

// Loaded in the head, before the page is drawn: the stylesheet folds the phone menu only then.
document.documentElement.classList.add("js");

(function () {
  function groups() {
    return Array.prototype.slice.call(document.querySelectorAll("details.nav-group"));
  }

  function closeGroups(except) {
    groups().forEach(function (group) {
      if (group !== except) group.open = false;
    });
  }

  function setPanel(toggle, nav, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }

  function onEscape(toggle, nav) {
    var open = groups().filter(function (group) { return group.open; });
    if (open.length) {
      open.forEach(function (group) { group.open = false; });
      open[0].querySelector("summary").focus();
      return true;
    }
    if (toggle && nav.classList.contains("open")) {
      setPanel(toggle, nav, false);
      toggle.focus();
      return true;
    }
    return false;
  }

  function start() {
    var nav = document.getElementById("site-nav");
    if (!nav) return;
    var toggle = document.querySelector(".nav-toggle");
    groups().forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (group.open) closeGroups(group);
      });
    });
    if (toggle) {
      toggle.addEventListener("click", function () {
        setPanel(toggle, nav, toggle.getAttribute("aria-expanded") !== "true");
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && onEscape(toggle, nav)) event.preventDefault();
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("details.nav-group")) closeGroups(null);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
