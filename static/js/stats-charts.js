/* Charts of the public statistics page (/stats/).
 *
 * Reads the numbers from <script type="application/json" id="stats-chart-data">
 * (no inline script: the CSP allows script-src 'self' only) and draws each chart
 * whose canvas is on the page. The tables next to the charts carry the same
 * numbers, so when Chart.js is missing or the data is unreadable this does
 * nothing and never throws. Each drawn canvas gets data-drawn="true".
 */
(function () {
  "use strict";

  // Okabe–Ito: told apart with every common colour-vision deficiency.
  var OKABE_ITO = {
    blue: "#0072B2",
    orange: "#E69F00",
    orangeEdge: "#8A5A00", // orange is light on white; a dark edge keeps the bar visible
    green: "#009E73",
    vermillion: "#D55E00",
    black: "#1b1f24",
  };
  var NARROW_PX = 480;

  function cssVar(name, fallback) {
    try {
      var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
      return value || fallback;
    } catch (e) {
      return fallback;
    }
  }

  function isNarrow(width) {
    return (width || window.innerWidth) < NARROW_PX;
  }

  function reducedMotion() {
    return Boolean(
      window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches
    );
  }

  function count(value) {
    var n = Number(value);
    return isFinite(n) && n >= 0 ? n : 0;
  }

  // Django's JavaScript catalog (/jsi18n/); the English text without it.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate =
    window.interpolate ||
    function (format, values) {
      return format.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
    };

  // "Received: 12": the separator and brackets follow the reader's language.
  function seriesValue(series, value) {
    return interpolate(
      gettext("%(series)s: %(value)s"),
      { series: series, value: value },
      true
    );
  }

  function seriesValueShare(series, value, share) {
    return interpolate(
      gettext("%(series)s: %(value)s (%(share)s)"),
      { series: series, value: value, share: share },
      true
    );
  }

  function label(labels, key) {
    return labels && typeof labels[key] === "string" ? labels[key] : key;
  }

  function percentFormat() {
    var locale = document.documentElement.lang || undefined;
    try {
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    } catch (e) {
      return new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
    }
  }

  // Marks the canvas once Chart.js has painted it (the browser tests wait for it).
  var markDrawn = {
    id: "zhitongMarkDrawn",
    afterRender: function (chart) {
      if (chart.canvas.getAttribute("data-drawn") !== "true") {
        chart.canvas.setAttribute("data-drawn", "true");
      }
    },
  };

  // On a phone: fewer x labels, and no y axis titles (the legend names the
  // series) so the plot keeps its width. Set before each layout, as the width changes.
  function fitNarrow(chart, size) {
    var scales = chart.options.scales || {};
    var narrow = isNarrow(size && size.width);
    if (scales.x && scales.x.ticks) {
      scales.x.ticks.maxTicksLimit = narrow ? 6 : 14;
    }
    ["y", "y1"].forEach(function (id) {
      if (scales[id] && scales[id].title && scales[id].title.text) {
        scales[id].title.display = !narrow;
      }
    });
  }

  function baseOptions() {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: reducedMotion() ? false : { duration: 400 },
      onResize: fitNarrow,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 14, padding: 12 } },
        tooltip: { padding: 10 },
      },
    };
  }

  function xScale(title) {
    return {
      grid: { display: false },
      title: { display: Boolean(title), text: title || "" },
      ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: isNarrow() ? 6 : 14 },
    };
  }

  function countScale(title) {
    return {
      beginAtZero: true,
      title: { display: Boolean(title) && !isNarrow(), text: title || "" },
      ticks: { precision: 0 },
    };
  }

  function drawTrend(Chart, canvas, data) {
    var rows = data.trend;
    if (!Array.isArray(rows)) return;
    var labels = data.labels;
    var fmt = percentFormat();
    var rates = rows.map(function (row) {
      var rate = row && row.reply_rate;
      return rate === null || rate === undefined || !isFinite(Number(rate))
        ? null
        : Math.round(Number(rate) * 1000) / 10;
    });
    var options = baseOptions();
    options.scales = {
      x: xScale(""),
      y: countScale(label(labels, "messages")),
      y1: {
        position: "right",
        min: 0,
        max: 100,
        grid: { drawOnChartArea: false },
        title: { display: !isNarrow(), text: label(labels, "reply_rate") },
        ticks: {
          stepSize: 25,
          callback: function (value) {
            return value + "%";
          },
        },
      },
    };
    options.plugins.tooltip.callbacks = {
      label: function (ctx) {
        if (ctx.dataset.yAxisID === "y1") {
          var rate = ctx.parsed.y === null ? "—" : fmt.format(ctx.parsed.y) + "%";
          return seriesValue(ctx.dataset.label, rate);
        }
        return seriesValue(ctx.dataset.label, ctx.formattedValue);
      },
    };
    return new Chart(canvas, {
      data: {
        labels: rows.map(function (row) {
          return String(row && row.month);
        }),
        datasets: [
          {
            type: "line",
            label: label(labels, "reply_rate"),
            data: rates,
            yAxisID: "y1",
            borderColor: OKABE_ITO.black,
            backgroundColor: OKABE_ITO.black,
            borderWidth: 2,
            pointRadius: 3,
            spanGaps: false,
            order: 0,
          },
          {
            type: "bar",
            label: label(labels, "received"),
            data: rows.map(function (row) {
              return count(row && row.received);
            }),
            yAxisID: "y",
            backgroundColor: OKABE_ITO.blue,
            order: 1,
          },
          {
            type: "bar",
            label: label(labels, "replied"),
            data: rows.map(function (row) {
              return count(row && row.replied);
            }),
            yAxisID: "y",
            backgroundColor: OKABE_ITO.orange,
            borderColor: OKABE_ITO.orangeEdge,
            borderWidth: 1,
            order: 1,
          },
        ],
      },
      options: options,
      plugins: [markDrawn],
    });
  }

  function drawResponseDays(Chart, canvas, data) {
    var days = data.response_days;
    if (!days || !Array.isArray(days.buckets)) return;
    var first = Array.isArray(days.first) ? days.first : [];
    var finals = Array.isArray(days.final) ? days.final : [];
    var labels = data.labels;
    var options = baseOptions();
    options.scales = {
      x: xScale(label(labels, "working_days")),
      y: countScale(label(labels, "messages")),
    };
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: days.buckets.map(String),
        datasets: [
          {
            label: label(labels, "first"),
            data: days.buckets.map(function (_, i) {
              return count(first[i]);
            }),
            backgroundColor: OKABE_ITO.blue,
          },
          {
            label: label(labels, "final"),
            data: days.buckets.map(function (_, i) {
              return count(finals[i]);
            }),
            backgroundColor: OKABE_ITO.vermillion,
          },
        ],
      },
      options: options,
      plugins: [markDrawn],
    });
  }

  function drawSatisfaction(Chart, canvas, data) {
    var sat = data.satisfaction;
    if (!sat || typeof sat !== "object") return;
    var keys = ["satisfied", "basically_satisfied", "dissatisfied"];
    var values = keys.map(function (key) {
      return count(sat[key]);
    });
    var total = values.reduce(function (a, b) {
      return a + b;
    }, 0);
    var fmt = percentFormat();
    var options = baseOptions();
    options.onResize = null;
    options.interaction = { mode: "nearest", intersect: true };
    options.cutout = "55%";
    options.plugins.tooltip.callbacks = {
      label: function (ctx) {
        var pct = total ? fmt.format((ctx.parsed / total) * 100) : "0";
        return seriesValueShare(ctx.label, ctx.formattedValue, pct + "%");
      },
    };
    return new Chart(canvas, {
      type: "doughnut",
      data: {
        labels: keys.map(function (key) {
          return label(data.labels, key);
        }),
        datasets: [
          {
            data: values,
            backgroundColor: [OKABE_ITO.green, OKABE_ITO.blue, OKABE_ITO.vermillion],
            borderColor: cssVar("--paper", "#ffffff"),
            borderWidth: 2,
          },
        ],
      },
      options: options,
      plugins: [markDrawn],
    });
  }

  function readData() {
    var node = document.getElementById("stats-chart-data");
    if (!node) return null;
    try {
      var data = JSON.parse(node.textContent);
      return data && typeof data === "object" && !Array.isArray(data) ? data : null;
    } catch (e) {
      return null;
    }
  }

  function setDefaults(Chart) {
    var defaults = Chart.defaults;
    defaults.font.family = getComputedStyle(document.body).fontFamily || defaults.font.family;
    defaults.font.size = 14;
    defaults.color = cssVar("--ink", "#1b1f24");
    defaults.borderColor = cssVar("--line", "#d5d9df");
  }

  function drawAll() {
    var Chart = window.Chart;
    if (typeof Chart !== "function") return;
    var data = readData();
    if (!data) return;
    try {
      setDefaults(Chart);
    } catch (e) {
      // Chart.js's own defaults still draw legible charts.
    }
    var charts = [
      ["chart-trend", drawTrend],
      ["chart-response-days", drawResponseDays],
      ["chart-satisfaction", drawSatisfaction],
    ];
    charts.forEach(function (entry) {
      var canvas = document.getElementById(entry[0]);
      if (!canvas || canvas.tagName !== "CANVAS") return;
      try {
        entry[1](Chart, canvas, data);
      } catch (e) {
        // One bad chart must not stop the others; its table still shows the numbers.
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
