// The server: health and readiness, and charts of the metrics quiverd keeps (its
// Prometheus registry, read through /api/metrics every few seconds: rates of counters,
// values of gauges). Nothing is counted here.
import * as api from "./api.js";
import { lineChart } from "./chart.js";
import { bytes, count, el } from "./format.js";

const kPeriodMs = 2000;
const kKeep = 150;
let timer = null;

// Prometheus text -> Map("name{labels}" -> value), and Map(name -> [{labels, value}]).
export function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    if (match[2]) {
      for (const m of match[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]] = m[2];
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

function sum(samples, name, filter = () => true) {
  return samples.filter((s) => s.name === name && filter(s.labels)).reduce((a, s) => a + s.value, 0);
}

// What each chart draws from one scrape: {chart -> {series -> value}}; `rate`: counters
// drawn as per-second rates.
const charts = [
  { id: "rpc-rate", title: "RPC calls / s", rate: true, read: (s) => ({
    calls: sum(s, "quiver_rpc_calls_total"),
    errors: sum(s, "quiver_rpc_calls_total", (l) => l.code && l.code !== "OK"),
  }) },
  { id: "rpc-latency", title: "Mean RPC latency (ms)", read: null, latency: true },
  { id: "bytes", title: "Bytes / s", rate: true, format: bytes, read: (s) => ({
    received: sum(s, "quiver_received_bytes_total"), sent: sum(s, "quiver_sent_bytes_total"),
  }) },
  { id: "cache", title: "Cache hit ratio (%)", ratio: true, read: (s) => ({
    "part cache": [sum(s, "quiver_part_cache_hits_total"), sum(s, "quiver_part_cache_misses_total")],
    "footer cache": [sum(s, "quiver_footer_cache_hits_total"), sum(s, "quiver_footer_cache_misses_total")],
  }) },
  { id: "object-store", title: "Object-store requests / s", rate: true, read: (s) => ({
    requests: sum(s, "quiver_object_store_requests_total"), errors: sum(s, "quiver_object_store_errors_total"),
  }) },
  { id: "maintenance", title: "GC and compaction / s", rate: true, read: (s) => ({
    "gc runs": sum(s, "quiver_gc_runs_total"), "versions deleted": sum(s, "quiver_gc_versions_deleted_total"),
    compactions: sum(s, "quiver_compactions_total"),
  }) },
];

export function stopServer() {
  if (timer) clearInterval(timer);
  timer = null;
}

export async function renderServer(main) {
  const health = await api.get("/api/health");
  const tiles = el("div", { class: "tiles", id: "health" });
  const drawHealth = (h) => tiles.replaceChildren(
    el("div", { class: `tile ${h.healthy ? "ok" : "bad"}` }, el("b", {}, "Health"), h.healthy ? "healthy" : "unhealthy"),
    el("div", { class: `tile ${h.ready ? "ok" : "bad"}`, id: "readiness" }, el("b", {}, "Readiness"), h.ready ? "ready" : `not ready: ${h.not_ready}`),
    el("div", { class: "tile" }, el("b", {}, "Datasets"), count(h.datasets)),
    el("div", { class: "tile" }, el("b", {}, "Stored"), bytes(h.stored_bytes)),
    el("div", { class: "tile" }, el("b", {}, "Version"), h.version));
  drawHealth(health);
  const boxes = charts.map((c) => el("section", { class: "card chart-card" }, el("h2", {}, c.title), el("div", { class: "chart", id: `chart-${c.id}` })));
  main.replaceChildren(el("section", { class: "card" }, el("h1", {}, "Server"), tiles), el("div", { class: "grid" }, boxes));

  const xs = [];
  const series = charts.map(() => new Map());
  const plots = charts.map(() => null);
  let previous = null;
  async function scrape() {
    let samples;
    try {
      samples = parseMetrics(await api.get("/api/metrics"));
    } catch (error) {
      stopServer();
      return;
    }
    const now = Date.now() / 1000;
    const current = charts.map((c) => (c.latency
      ? { mean: [sum(samples, "quiver_rpc_duration_seconds_sum"), sum(samples, "quiver_rpc_duration_seconds_count")] }
      : c.read(samples)));
    if (previous) {
      const dt = now - previous.time;
      xs.push(now);
      charts.forEach((c, i) => {
        for (const [label, value] of Object.entries(current[i])) {
          const before = previous.values[i][label];
          let y;
          if (c.latency) {
            const calls = value[1] - before[1];
            y = calls > 0 ? ((value[0] - before[0]) / calls) * 1000 : null;
          } else if (c.ratio) {
            const total = value[0] - before[0] + value[1] - before[1];
            y = total > 0 ? ((value[0] - before[0]) / total) * 100 : null;
          } else if (c.rate) {
            y = Math.max(0, (value - before) / dt);
          } else {
            y = value;
          }
          if (!series[i].has(label)) series[i].set(label, new Array(xs.length - 1).fill(null));
          series[i].get(label).push(y);
        }
      });
      if (xs.length > kKeep) {
        xs.shift();
        for (const m of series) for (const v of m.values()) v.shift();
      }
      charts.forEach((c, i) => {
        const data = [xs, ...[...series[i].values()]];
        if (plots[i]) plots[i].setData(data);
        else if (xs.length >= 2) {  // a time axis needs two points to have a range
          const box = document.getElementById(`chart-${c.id}`);
          if (!box) return;
          plots[i] = lineChart(box, xs, [...series[i].entries()].map(([label, values]) => ({ label, values })),
            { height: 180, axes: [{ scale: "y", values: c.format ? (u, t) => t.map(c.format) : undefined }] });
        }
      });
    }
    previous = { time: now, values: current };
    try {
      drawHealth(await api.get("/api/health"));
    } catch (error) {
      // the next scrape says it
    }
  }
  await scrape();
  stopServer();
  timer = setInterval(scrape, kPeriodMs);
}
