// Replace the static chart image by an interactive Plotly chart.
// plotly.js is loaded from this site only when a chart is activated (or at once with data-autoload).
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlySrc = script.getAttribute("data-plotly");
  var autoload = script.hasAttribute("data-autoload");
  var loading = null;
  var DE = {
    moduleType: "locale", name: "de",
    dictionary: {"Autoscale": "Automatische Skalierung", "Download plot as a png": "Als PNG herunterladen", "Reset axes": "Achsen zurücksetzen", "Zoom in": "Vergrößern", "Zoom out": "Verkleinern"},
    format: {
      days: ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
      shortDays: ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
      months: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
      shortMonths: ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."],
      date: "%d.%m.%Y", decimal: ",", thousands: "."
    }
  };

  function loadPlotly() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = plotlySrc;
      s.onload = function () { window.Plotly.register(DE); resolve(window.Plotly); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
    return loading;
  }

  function draw(figure) {
    var holder = figure.querySelector(".chart-canvas");
    if (!holder || holder.dataset.drawn) return;
    var spec = JSON.parse(figure.querySelector(".chart-data").textContent);
    loadPlotly().then(function (Plotly) {
      holder.dataset.drawn = "1";
      // keep the static image: it stays the print version
      var plot = document.createElement("div");
      plot.className = "js-plot";
      // a group, not an image: the chart's mode bar holds buttons
      plot.setAttribute("role", "group");
      plot.setAttribute("aria-label", "Interaktive Grafik: " + figure.querySelector(".chart-title").textContent + ". " + figure.querySelector(".chart-finding").textContent);
      holder.appendChild(plot);
      holder.classList.add("has-plot");
      spec.layout.autosize = true;
      // the figure's heading already names the chart; the title stays in the images
      spec.layout.title = { text: "" };
      spec.layout.margin = Object.assign({}, spec.layout.margin, { t: 20 });
      return Plotly.newPlot(plot, spec.data, spec.layout, {
        locale: "de", responsive: true, displaylogo: false,
        modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"]
      });
    }).then(function () {
      var btn = figure.querySelector(".chart-activate");
      if (btn) btn.hidden = true;
    }, function () { /* keep the static image and the table */ });
  }

  document.querySelectorAll("figure.chart").forEach(function (figure) {
    if (autoload) { draw(figure); return; }
    var btn = figure.querySelector(".chart-activate");
    if (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { draw(figure); });
    }
  });
})();
