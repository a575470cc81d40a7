// Draws every Plotly figure of the page from its JSON block (SPEC §6): no inline script anywhere.
(function () {
  "use strict";
  var config = { displaylogo: false, showSendToCloud: false, showEditInChartStudio: false, responsive: true,
                 modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"] };
  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".chart-block").forEach(function (block) {
      var data = block.querySelector('script[type="application/json"]');
      var target = block.querySelector("figure.chart");
      if (!data || !target || target.dataset.drawn) { return; }
      var fig = JSON.parse(data.textContent);
      target.dataset.drawn = "1";
      window.Plotly.newPlot(target, fig.data, fig.layout, config);
    });
  }
  // The year switch submits itself when changed (the button is there for pages without script).
  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(); autosubmit(); });
})();
