// One dataset: its schema, its versions (a timeline and a chart of rows and bytes),
// a preview and the column statistics of a chosen version, downloads, and the
// writer's actions (drop, restore, compact) when the caller may take them.
import * as api from "./api.js";
import { lineChart } from "./chart.js";
import { bytes, count, el, when } from "./format.js";

function schemaTable(schema) {
  return el("table", { id: "schema" },
    el("thead", {}, el("tr", {}, ["Column", "Type", "Nullable", "Metadata"].map((h) => el("th", {}, h)))),
    el("tbody", {}, schema.fields.map((f) => el("tr", {},
      el("td", {}, f.name), el("td", { class: "mono" }, f.type), el("td", {}, f.nullable ? "yes" : "no"),
      el("td", { class: "mono" }, Object.entries(f.metadata).map(([k, v]) => `${k}=${v}`).join(", "))))));
}

function previewTable(preview) {
  return el("table", { id: "preview" },
    el("thead", {}, el("tr", {}, preview.columns.map((c) => el("th", {}, c)))),
    el("tbody", {}, preview.rows.map((row) => el("tr", {},
      row.map((cell) => el("td", { class: cell === null ? "null" : typeof cell === "number" ? "num" : "" },
        cell === null ? "null" : String(cell)))))));
}

function statsTable(stats) {
  return el("table", { id: "stats" },
    el("thead", {}, el("tr", {}, ["Column", "Type", "Nulls", "Min", "Max"].map((h) => el("th", {}, h)))),
    el("tbody", {}, stats.columns.map((c) => el("tr", {},
      el("td", {}, c.name), el("td", { class: "mono" }, c.type),
      el("td", { class: "num" }, c.nulls === null ? "?" : count(c.nulls)),
      el("td", { class: "mono" }, c.min ?? ""), el("td", { class: "mono" }, c.max ?? "")))));
}

export async function renderDataset(main, name, me) {
  const [info, history] = await Promise.all([
    api.get("/api/dataset", { name }), api.get("/api/versions", { name })]);
  const versions = history.versions;
  let selected = info.version;

  const status = el("p", { class: "status", id: "action-status", role: "status" });
  const versionTitle = el("h2", { id: "version-title" });
  const previewBox = el("div", { class: "scroll" });
  const statsBox = el("div", { class: "scroll" });
  const downloads = el("p", { class: "downloads" });

  async function act(path, body, done) {
    status.textContent = "Working…";
    try {
      const result = await api.post(path, body);
      status.textContent = done(result);
      if (path !== "/api/drop") await renderDataset(main, name, me);
    } catch (error) {
      status.textContent = error.message;
      status.classList.add("error");
    }
  }

  async function showVersion(version) {
    selected = version;
    versionTitle.textContent = `Version ${version}`;
    for (const row of main.querySelectorAll("#versions tbody tr")) {
      row.classList.toggle("selected", Number(row.dataset.version) === version);
    }
    const [preview, stats] = await Promise.all([
      api.get("/api/preview", { name, version, limit: 50 }), api.get("/api/stats", { name, version })]);
    previewBox.replaceChildren(
      el("p", { class: "muted" }, `first ${preview.rows.length} of ${count(preview.rows_total)} rows`),
      previewTable(preview));
    statsBox.replaceChildren(statsTable(stats));
    downloads.replaceChildren("Download: ", ...["parquet", "csv", "arrow"].map((format) =>
      el("a", { href: api.downloadUrl(name, version, format), download: "", class: "button",
        id: `download-${format}` }, format === "arrow" ? "Arrow IPC" : format.toUpperCase())));
  }

  const live = versions.filter((v) => !v.dropped);
  const timeline = el("table", { id: "versions" },
    el("thead", {}, el("tr", {}, ["Version", "Operation", "Rows", "Size", "Parts", "Committed", ""].map((h) => el("th", {}, h)))),
    el("tbody", {}, versions.slice().reverse().map((v) => {
      const restore = info.actions.restore && !v.current && !v.dropped
        ? el("button", { type: "button", class: "restore", "data-version": v.version,
          onclick: (event) => {
            event.stopPropagation();
            act("/api/restore", { name, version: v.version }, (r) => `Restored version ${v.version} as version ${r.version}`);
          } }, "Restore")
        : null;
      const row = el("tr", { "data-version": v.version, class: v.dropped ? "dropped" : "" },
        el("td", { class: "num" }, v.version, v.current ? el("span", { class: "badge" }, "current") : null),
        el("td", {}, v.operation + (v.restored_from ? ` of ${v.restored_from}` : "")),
        el("td", { class: "num" }, count(v.rows)), el("td", { class: "num" }, bytes(v.bytes)),
        el("td", { class: "num" }, v.parts), el("td", {}, when(v.committed_at)), el("td", {}, restore));
      if (!v.dropped) row.addEventListener("click", () => showVersion(v.version));
      return row;
    })));

  const chart = el("div", { class: "chart", id: "versions-chart" });
  const actions = el("p", { class: "actions" });
  if (info.actions.compact) {
    actions.append(el("button", { type: "button", id: "compact", onclick: () =>
      act("/api/compact", { name }, (r) => `Compacted: version ${r.version}, ${r.parts} parts`) }, "Compact"));
  }
  if (info.actions.drop) {
    actions.append(el("button", { type: "button", id: "drop", class: "danger", onclick: () => {
      if (!confirm(`Drop dataset ${name}? Its versions stay restorable until retention removes them.`)) return;
      act("/api/drop", { name }, () => { location.hash = "#/datasets"; return "Dropped"; });
    } }, "Drop"));
  }

  main.replaceChildren(
    el("section", { class: "card" },
      el("p", {}, el("a", { href: "#/datasets" }, "← Datasets")),
      el("h1", { id: "dataset-name" }, name),
      el("p", { class: "summary" }, `${count(info.rows)} rows · ${bytes(info.bytes)} · ${info.schema.fields.length} columns · version ${info.version} · ${when(info.committed_at)}`),
      actions, status),
    el("section", { class: "card" }, el("h2", {}, "Schema"), el("div", { class: "scroll" }, schemaTable(info.schema))),
    el("section", { class: "card" }, el("h2", {}, "Versions"), chart, el("div", { class: "scroll" }, timeline)),
    el("section", { class: "card" }, versionTitle, downloads, el("h3", {}, "Preview"), previewBox,
      el("h3", {}, "Column statistics"), statsBox));

  if (live.length > 0) {
    lineChart(chart, live.map((v) => v.committed_at_us / 1e6), [
      { label: "rows", values: live.map((v) => v.rows), scale: "rows" },
      { label: "bytes", values: live.map((v) => v.bytes), scale: "bytes" }],
    { axes: [{ scale: "rows", label: "rows" }, { scale: "bytes", label: "bytes", values: (u, ticks) => ticks.map(bytes) }] });
  }
  await showVersion(selected);
}
