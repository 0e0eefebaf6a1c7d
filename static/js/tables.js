// Phone-first tables (progressive enhancement). Below 600 px portal.css stacks the rows of a
// `table.table` into cards of «label: value» lines; the labels come from here: each cell gets
// the text of its column's <th> in data-label, and the table the class table--cards (without
// JavaScript a table stays a table and scrolls sideways inside its .table-wrap).
// Wide matrices (`table--matrix`) stay tables with a sticky first column; their .table-wrap is
// marked is-scrollable while it is wider than the screen, which shows a scroll cue.
(function () {
  "use strict";

  function headerLabels(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return null;
    var labels = [];
    // the last header row names the leaf columns; earlier rows fill the columns it lacks
    Array.prototype.forEach.call(head.rows, function (row) {
      var col = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var span = cell.colSpan || 1;
        var text = (cell.getAttribute("data-label") || cell.textContent).replace(/\s+/g, " ").trim();
        for (var i = 0; i < span; i += 1) {
          if (span === 1 || labels[col + i] === undefined) labels[col + i] = text;
        }
        col += span;
      });
    });
    return labels;
  }

  function label(table) {
    var labels = headerLabels(table);
    if (!labels) return;
    var bodies = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) bodies.push(table.tFoot);
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          if (!cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", span === 1 ? labels[col] || "" : "");
          }
          col += span;
        });
      });
    });
    table.classList.add("table--cards");
  }

  function cue(wrap) {
    wrap.classList.toggle("is-scrollable", wrap.scrollWidth > wrap.clientWidth + 1);
  }

  function init() {
    var tables = document.querySelectorAll("table.table");
    Array.prototype.forEach.call(tables, function (table) {
      if (!table.classList.contains("table--matrix")) label(table);
    });
    var wraps = document.querySelectorAll(".table-wrap");
    Array.prototype.forEach.call(wraps, cue);
    window.addEventListener("resize", function () {
      Array.prototype.forEach.call(wraps, cue);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
