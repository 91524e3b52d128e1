// The dataset list: a search box and the datasets as a tree of their nested names.
import * as api from "./api.js";
import { bytes, count, datasetHash, el, when } from "./format.js";

// {children: Map(segment -> node), dataset: info|null}
function buildTree(datasets) {
  const root = { children: new Map(), dataset: null };
  for (const d of datasets) {
    let node = root;
    for (const segment of d.name.split("/")) {
      if (!node.children.has(segment)) node.children.set(segment, { children: new Map(), dataset: null });
      node = node.children.get(segment);
    }
    node.dataset = d;
  }
  return root;
}

function rows(node, depth, path, out) {
  for (const [segment, child] of [...node.children.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const full = path ? `${path}/${segment}` : segment;
    const d = child.dataset;
    const label = el("span", { class: "tree", style: `padding-left:${depth * 1.2}em` },
      d ? el("a", { href: datasetHash(full), "data-dataset": full }, segment) : el("span", { class: "folder" }, `${segment}/`));
    out.push(el("tr", {},
      el("td", {}, label),
      el("td", { class: "num" }, d ? count(d.rows) : ""),
      el("td", { class: "num" }, d ? bytes(d.bytes) : ""),
      el("td", { class: "num" }, d ? d.columns : ""),
      el("td", { class: "num" }, d ? d.version : ""),
      el("td", {}, d ? when(d.committed_at) : "")));
    rows(child, depth + 1, full, out);
  }
  return out;
}

export async function renderDatasets(main, query) {
  const { datasets } = await api.get("/api/datasets");
  const search = el("input", { id: "search", type: "search", placeholder: "Search datasets", value: query,
    "aria-label": "Search datasets" });
  const body = el("tbody");
  const summary = el("p", { class: "muted" });
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = q ? datasets.filter((d) => d.name.toLowerCase().includes(q)) : datasets;
    body.replaceChildren(...rows(buildTree(shown), 0, "", []));
    summary.textContent = `${shown.length} of ${datasets.length} datasets`;
  };
  search.addEventListener("input", draw);
  main.replaceChildren(el("section", { class: "card" },
    el("h1", {}, "Datasets"), search, summary,
    el("div", { class: "scroll" }, el("table", { id: "datasets" },
      el("thead", {}, el("tr", {}, ["Name", "Rows", "Size", "Columns", "Version", "Last commit"].map((h) => el("th", {}, h)))),
      body))));
  draw();
  search.focus();
}
