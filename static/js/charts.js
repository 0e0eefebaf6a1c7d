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
      window.Plotly.newPlot(el, figure.data, figure.layout, {
        displaylogo: false, responsive: true, locale: "ru",
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
