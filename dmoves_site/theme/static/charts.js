// Replace the static chart image by an interactive Plotly chart when the reader asks for it.
// Nothing of plotly.js loads before a click on "Interaktive Grafik laden" or on the chart image.
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlySrc = script.getAttribute("data-plotly");
  var loading = null;
  // German mode bar, hover and date texts; registered locally (no locale file from a CDN)
  var DE = {
    moduleType: "locale", name: "de",
    dictionary: {
      "Autoscale": "Automatische Skalierung", "Box Select": "Rechteckauswahl",
      "Compare data on hover": "Daten beim Überfahren vergleichen",
      "Double-click on legend to isolate one trace": "Doppelklick auf die Legende zeigt nur diese Reihe",
      "Double-click to zoom back out": "Doppelklick zoomt zurück",
      "Download plot": "Grafik herunterladen", "Download plot as a PNG": "Als PNG herunterladen",
      "Lasso Select": "Lassoauswahl", "Pan": "Verschieben", "Reset": "Zurücksetzen",
      "Reset axes": "Achsen zurücksetzen", "Reset view": "Ansicht zurücksetzen",
      "Show closest data on hover": "Nächste Daten beim Überfahren zeigen",
      "Toggle Spike Lines": "Hilfslinien ein/aus", "Zoom": "Zoomen",
      "Zoom in": "Vergrößern", "Zoom out": "Verkleinern"
    },
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

  // The camera button saves the static PNG (title, Stand and sources drawn in); without
  // one, plotly.js draws the figure with its title.
  function imageButton(Plotly, figure, spec) {
    var img = figure.querySelector(".chart-canvas img");
    var name = figure.dataset.chart;
    return {
      name: "static-png", title: "Grafik als PNG herunterladen (mit Titel, Stand und Quellen)",
      icon: Plotly.Icons.camera,
      click: function () {
        if (!img) {
          Plotly.downloadImage({ data: spec.data, layout: spec.imageLayout }, { format: "png", filename: name });
          return;
        }
        var a = document.createElement("a");
        a.href = img.getAttribute("src").replace(/\.svg$/, ".png");
        a.download = name + ".png";
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
    };
  }

  function plotConfig(Plotly, figure, spec) {
    return {
      locale: "de", responsive: true, displaylogo: false, showSendToCloud: false,
      showEditInChartStudio: false, showLink: false,
      modeBarButtons: [[imageButton(Plotly, figure, spec)],
        ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"]]
    };
  }

  function draw(figure, focus) {
    var holder = figure.querySelector(".chart-canvas");
    if (!holder || holder.dataset.drawn) return;
    holder.dataset.drawn = "1";
    // phone screens get the variant with wrapped labels (the same as the narrow image)
    var narrow = holder.clientWidth < 560 && figure.querySelector(".chart-data-narrow");
    var spec = JSON.parse(figure.querySelector(narrow ? ".chart-data-narrow" : ".chart-data").textContent);
    var btn = figure.querySelector(".chart-activate");
    if (btn) btn.setAttribute("aria-busy", "true");
    var plot = document.createElement("div");
    loadPlotly().then(function (Plotly) {
      // keep the static image: it stays the print version
      plot.className = "js-plot";
      plot.tabIndex = -1;
      // a group, not an image: the chart's mode bar holds buttons
      plot.setAttribute("role", "group");
      plot.setAttribute("aria-label", "Interaktive Grafik: " + figure.querySelector(".chart-title").textContent + ". " + figure.querySelector(".chart-finding").textContent);
      holder.appendChild(plot);
      holder.classList.add("has-plot");
      spec.imageLayout = Object.assign({}, spec.layout);
      spec.layout.autosize = true;
      // the figure's heading already names the chart; the title stays in the images.
      // The top margin keeps the mode bar above the data labels.
      spec.layout.title = { text: "" };
      spec.layout.margin = Object.assign({}, spec.layout.margin, { t: 40 });
      return Plotly.newPlot(plot, spec.data, spec.layout, plotConfig(Plotly, figure, spec));
    }).then(function () {
      if (btn) btn.hidden = true;
      // the button the reader used is gone: focus goes to the chart it asked for
      if (focus) plot.focus();
    }, function () {
      // keep the static image and the table; the reader may try again
      delete holder.dataset.drawn;
      loading = null;
      if (btn) btn.removeAttribute("aria-busy");
    });
  }

  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var btn = figure.querySelector(".chart-activate");
    if (!btn) return;
    btn.hidden = false;
    btn.addEventListener("click", function () { draw(figure, true); });
    // a click on the static image is a reader starting to interact, too
    var img = figure.querySelector(".chart-canvas img");
    if (img) {
      img.classList.add("chart-activatable");
      img.addEventListener("click", function () { draw(figure, true); });
    }
  });
})();
