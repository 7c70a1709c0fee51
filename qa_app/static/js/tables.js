// Phones: lets the stylesheet show each row of a table as a card, every cell labelled by its
// column's header (docs/ui.md). The script copies each header's text into the cells' data-label
// and marks the table "stacked"; the layout itself is CSS, for narrow screens only. The ARIA
// roles keep the table a table for screen readers once the CSS has changed its display.
(function () {
  "use strict";
  var ROLES = {TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TR: "row", TD: "cell"};

  function headers(table) {
    var labels = [];
    table.tHead.rows[0].querySelectorAll("th, td").forEach(function (th) {
      for (var n = 0; n < th.colSpan; n++) { labels.push(th.textContent.replace(/\s+/g, " ").trim()); }
    });
    return labels;
  }

  function label(row, labels) {
    var column = 0;
    Array.prototype.forEach.call(row.cells, function (cell) {
      if (!cell.hasAttribute("data-label")) {
        var whole = cell.colSpan >= labels.length;
        cell.setAttribute("data-label", whole ? "" : (labels[column] || ""));
      }
      if (!cell.children.length && !cell.textContent.trim()) { cell.setAttribute("data-empty", ""); }
      column += cell.colSpan;
    });
  }

  function setRoles(table) {
    table.querySelectorAll("thead, tbody, tr, td, th").forEach(function (el) {
      if (el.closest("table") !== table) { return; }
      var role = ROLES[el.tagName];
      if (el.tagName === "TH") { role = el.closest("thead") ? "columnheader" : "rowheader"; }
      el.setAttribute("role", role);
    });
    table.setAttribute("role", ROLES.TABLE);
  }

  document.querySelectorAll("table").forEach(function (table) {
    if (table.classList.contains("no-stack") || !table.tHead || !table.tHead.rows.length) { return; }
    var labels = headers(table);
    if (labels.length < 4) { return; }  // three narrow columns fit a phone as they are
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) { label(row, labels); });
    });
    setRoles(table);
    table.classList.add("stacked");
  });
})();
