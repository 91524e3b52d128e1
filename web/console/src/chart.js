// Charts drawn with uPlot (bundled: nothing is loaded from elsewhere).
import uPlot from "uplot";

const palette = ["#2563eb", "#db2777", "#16a34a", "#ea580c", "#7c3aed", "#0891b2"];

function width(container) {
  return Math.max(280, Math.min(container.clientWidth || 600, 1100));
}

// A line chart of `series` ([{label, values, scale?}]) over x values `xs`;
// `time`: xs are Unix seconds. Returns the uPlot, resized with its container.
export function lineChart(container, xs, series, { time = true, height = 220, axes } = {}) {
  const scales = { x: { time } };
  const yAxes = axes || [{ scale: "y" }];
  const opts = {
    width: width(container),
    height,
    scales,
    series: [{}, ...series.map((s, i) => ({
      label: s.label,
      stroke: palette[i % palette.length],
      width: 2,
      scale: s.scale || "y",
      points: { show: xs.length < 60 },
    }))],
    axes: [{}, ...yAxes.map((a, i) => ({
      scale: a.scale,
      side: i === 0 ? 3 : 1,
      label: a.label,
      grid: { show: i === 0 },
      values: a.values,
      size: 70,
    }))],
    legend: { live: true },
  };
  const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], container);
  const observer = new ResizeObserver(() => plot.setSize({ width: width(container), height }));
  observer.observe(container);
  return plot;
}
