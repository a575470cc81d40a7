// Draws every Plotly figure of the page from its JSON block (SPEC §6): no inline script anywhere.
(function () {
  "use strict";
  var config = { displaylogo: false, showSendToCloud: false, showEditInChartStudio: false, responsive: true,
                 modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"] };
  // On a phone the toolbar sits on the title and the legend (a tap shows it for good), and a
  // Plotly title does not wrap: the title goes above the chart as text, the toolbar goes away.
  var PHONE = "(max-width: 640px)";

  function forPhone(block, fig) {
    var title = fig.layout.title && fig.layout.title.text;
    if (title && !block.querySelector(".chart-title")) {
      var caption = document.createElement("p");
      caption.className = "chart-title";
      caption.textContent = title;  // as text: the figure's title is never read as markup
      block.insertBefore(caption, block.firstChild);
    }
    fig.layout.title = { text: "" };
    fig.layout.margin = Object.assign({}, fig.layout.margin, { l: 10, r: 10, t: 30 });
    if (fig.layout.legend) {
      fig.layout.legend = Object.assign({}, fig.layout.legend, { x: 0, xanchor: "left" });
    }
    return Object.assign({}, config, { displayModeBar: false });
  }

  function draw() {
    if (!window.Plotly) { return; }
    var phone = window.matchMedia && window.matchMedia(PHONE).matches;
    document.querySelectorAll(".chart-block").forEach(function (block) {
      var data = block.querySelector('script[type="application/json"]');
      var target = block.querySelector("figure.chart");
      if (!data || !target || target.dataset.drawn) { return; }
      var fig = JSON.parse(data.textContent);
      target.dataset.drawn = "1";
      window.Plotly.newPlot(target, fig.data, fig.layout, phone ? forPhone(block, fig) : config);
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
