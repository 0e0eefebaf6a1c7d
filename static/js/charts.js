// Draws every Plotly figure the server embedded with json_script: an element with id X
// gets the figure from the script element with id "X-data". Static config, no CDN.
(function () {
  "use strict";
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".chart[id]").forEach(function (el) {
      var data = document.getElementById(el.id + "-data");
      if (!data) { return; }
      var figure = JSON.parse(data.textContent);
      // On a phone the toolbar covers the legend and its buttons are too small to tap:
      // none below 600 px (the same breakpoint as the stacked tables).
      var phone = window.matchMedia("(max-width: 599px)").matches;
      window.Plotly.newPlot(el, figure.data, figure.layout, {
        displaylogo: false, responsive: true, locale: "ru", displayModeBar: !phone,
        modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"]
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
