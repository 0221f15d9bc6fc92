/* Draws every chart of the page: <div class="chart" data-figure="ID"> reads the JSON of
   <script type="application/json" id="ID">. Plotly is served by the valuecrm server itself. */
(function () {
  "use strict";
  function draw() {
    var config = {responsive: true, displaylogo: false,
                  modeBarButtonsToRemove: ["select2d", "lasso2d"]};
    document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.figure);
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, figure.data, figure.layout, config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
