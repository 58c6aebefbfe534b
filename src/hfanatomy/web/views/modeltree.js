/**
 * The module-tree view (kind "modeltree"): print(model) as a tree that opens and closes.
 * Each line is a module: its attribute name, class, the numbers its subtree holds and its
 * share of the whole model, with a bar behind the line drawing that share; under it the
 * shapes of the parameters the module owns itself ("own parameters"); an open line shows
 * its children.
 *
 * Which lines are open is the view's own (nothing is computed again): a click on a line,
 * or Enter / Space on the focused line, opens or closes it; the tree is one tab stop, and
 * the arrow keys move through it as in any tree (Up / Down: the line above / below; Right:
 * open, then the first child; Left: close, then the parent; Home / End). The "levels open"
 * picker opens the first n levels, the shapes box hides or shows the parameter shapes.
 *
 * data: hfanatomy.explorers.modeltree.tree_data, { total, modules, depth, tree: { name,
 * path, cls, extra, own, total, shapes: [[name, shape]], children } }; config.open_depth.
 */
import { frame, h, onChanges, showStatus } from "./common.js";

const CSS = `
.hfa-explorer .hfa-tree,.hfa-explorer .hfa-tree ul{list-style:none;margin:0;padding:0}
.hfa-explorer .hfa-tree ul{margin-left:7px;padding-left:5px;border-left:1px dotted var(--hfa-border)}
.hfa-explorer .hfa-tree li{margin:0;padding:0}
.hfa-explorer .hfa-tree .hfa-item{border-radius:3px}
.hfa-explorer .hfa-tree .hfa-item:focus{outline:none}
.hfa-explorer .hfa-tree .hfa-item:focus-visible{outline:2px solid var(--hfa-accent);outline-offset:-1px}
.hfa-explorer .hfa-tree .hfa-line{display:flex;gap:4px;align-items:baseline;padding:1px 2px;
 border-radius:3px;overflow-wrap:anywhere;min-width:0}
.hfa-explorer .hfa-tree [aria-expanded]>.hfa-line{cursor:pointer}
.hfa-explorer .hfa-tree .hfa-line:hover{box-shadow:inset 0 0 0 1px var(--hfa-border)}
.hfa-explorer .hfa-tree .hfa-twist{flex:none;width:1em;text-align:center;color:var(--hfa-muted)}
.hfa-explorer .hfa-tree .hfa-text{min-width:0}
.hfa-explorer .hfa-tree .hfa-name{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-weight:600}
.hfa-explorer .hfa-tree .hfa-cls{color:var(--hfa-special-fg)}
.hfa-explorer .hfa-tree .hfa-extra,.hfa-explorer .hfa-tree .hfa-share{color:var(--hfa-muted)}
.hfa-explorer .hfa-tree .hfa-count{color:var(--hfa-strong);
 font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.hfa-explorer .hfa-tree .hfa-shapes{margin:0 0 2px calc(1em + 8px);color:var(--hfa-muted);
 font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;overflow-wrap:anywhere}
.hfa-explorer .hfa-tree.hfa-no-shapes .hfa-shapes{display:none}
`;

/** Python's hfanatomy.modeltree.format_count: 124_645_632 -> "124.6M"; small counts exact. */
function formatCount(n) {
  if (n >= 1_000_000) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 10_000) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

const exact = (n) => n.toLocaleString("en-US");

/** The level of a node: the root is 0, its children 1... */
const level = (node) => (node.path ? node.path.split(".").length : 0);

/** The paths of the nodes with children above `depth` levels: what opens at first. */
function openPaths(node, depth, into = new Set()) {
  if (node.children.length && level(node) < depth) {
    into.add(node.path);
    node.children.forEach((c) => openPaths(c, depth, into));
  }
  return into;
}

/** One module's line: twist, name, class (extra repr for a leaf), count and share. */
function line(node, total) {
  const share = total ? (100 * node.total) / total : 0;
  const says = `${exact(node.total)} parameters (${share.toFixed(2)}% of the model)`;
  return h("div", {
    class: "hfa-line",
    style: { background: `linear-gradient(90deg,var(--hfa-question-bg) ${share.toFixed(1)}%,`
      + `transparent ${share.toFixed(1)}%)` },
  },
  h("span", { class: "hfa-twist", "aria-hidden": "true" }),
  h("span", { class: "hfa-text" },
    h("span", { class: "hfa-name" }, node.name || "(model)"), " ",
    h("span", { class: "hfa-cls" }, node.cls),
    node.extra && !node.children.length ? [" ", h("span", { class: "hfa-extra" }, node.extra)] : null,
    " · ",
    h("span", { class: "hfa-count", "data-value": String(node.total), title: says }, formatCount(node.total)),
    h("span", { class: "hfa-share" }, ` (${share.toFixed(1)}%)`)));
}

/** The shapes of a module's own parameters, e.g. "own parameters: weight (32, 64), bias (32,)". */
function shapes(node) {
  if (!node.shapes.length) return null;
  return h("div", { class: "hfa-shapes" }, "own parameters: ",
    node.shapes.map(([name, shape]) => `${name} (${shape.join(", ")}${shape.length === 1 ? "," : ""})`)
      .join(", "));
}

/**
 * The tree: nested lists for the eye, one flat ARIA tree for a screen reader (each line is
 * a treeitem with its level, position and size; the lists are role "none"), so an item's
 * name is its own line and shapes, never its children's. `items` gets each line by path.
 */
function drawTree(data, items) {
  const item = (node, i, siblings) => {
    const row = h("div", {
      class: "hfa-item", role: "treeitem", tabindex: "-1", "data-path": node.path,
      "aria-level": String(level(node) + 1), "aria-posinset": String(i + 1),
      "aria-setsize": String(siblings.length),
    }, line(node, data.total), shapes(node));
    items.set(node.path, row);
    return h("li", { role: "none" }, row,
      node.children.length ? h("ul", { role: "none" }, node.children.map(item)) : null);
  };
  return h("ul", { class: "hfa-tree", role: "tree", "aria-label": "modules of the model" },
    item(data.tree, 0, [data.tree]));
}

export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config, { css: CSS });
  const depthPick = h("select", { "data-hfa-control": "open-levels" });
  const shapesBox = h("input", { type: "checkbox", "data-hfa-control": "shapes", checked: true });
  parts.controls.append(
    h("label", {}, h("span", {}, "levels open"), depthPick),
    h("label", {}, shapesBox, h("span", {}, "parameter shapes")));

  let items = new Map(), open = new Set(), tree = null, current = "", drawn = null;
  const kids = (row) => row.nextElementSibling;  // the <ul> of a line's children, if any

  /** Show which lines are open (aria-expanded, the twist, the children), and the tab stop. */
  const sync = () => {
    for (const [path, row] of items) {
      const list = kids(row);
      if (list) {
        const isOpen = open.has(path);
        row.setAttribute("aria-expanded", String(isOpen));
        row.querySelector(".hfa-twist").textContent = isOpen ? "▾" : "▸";
        list.hidden = !isOpen;
      }
      row.tabIndex = path === current ? 0 : -1;
    }
  };
  const toggle = (path, to = !open.has(path)) => {
    if (!kids(items.get(path))) return;
    if (to) open.add(path);
    else open.delete(path);
    sync();
  };
  /** The lines a reader can see, top to bottom. */
  const visible = () => [...parts.body.querySelectorAll("[role=treeitem]")].filter(
    (row) => !row.closest("ul[hidden]"));
  const focus = (row) => {
    if (!row) return;
    current = row.dataset.path;
    sync();
    row.focus();
  };
  const onKey = (event) => {
    const row = event.target.closest("[role=treeitem]");
    if (!row) return;
    const path = row.dataset.path, lines = visible(), at = lines.indexOf(row);
    const parent = row.parentElement.parentElement.closest(".hfa-tree li")?.firstElementChild;
    const expandable = Boolean(kids(row));
    switch (event.key) {
      case "Enter": case " ": toggle(path); break;
      case "ArrowDown": focus(lines[at + 1]); break;
      case "ArrowUp": focus(lines[at - 1]); break;
      case "Home": focus(lines[0]); break;
      case "End": focus(lines[lines.length - 1]); break;
      case "ArrowRight":
        if (expandable && !open.has(path)) toggle(path, true);
        else if (expandable) focus(kids(row).querySelector("[role=treeitem]"));
        break;
      case "ArrowLeft":
        if (expandable && open.has(path)) toggle(path, false);
        else focus(parent);
        break;
      default: return;
    }
    event.preventDefault();
  };

  const setDepth = (depth) => {
    open = openPaths(tree, depth);
    sync();
  };
  depthPick.addEventListener("change", () => setDepth(Number(depthPick.value)));
  shapesBox.addEventListener("change", () => parts.body.querySelector(".hfa-tree")
    ?.classList.toggle("hfa-no-shapes", !shapesBox.checked));

  const redraw = () => {
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.tree || data === drawn) return;
    drawn = data;
    tree = data.tree;
    const first = Math.min(config.open_depth ?? 2, data.depth);
    depthPick.replaceChildren(...Array.from({ length: data.depth + 1 }, (_, n) => h("option",
      { value: String(n) }, n === data.depth ? `${n} (all)` : String(n))));
    depthPick.value = String(first);
    items = new Map();
    const drawing = drawTree(data, items);
    drawing.classList.toggle("hfa-no-shapes", !shapesBox.checked);
    drawing.addEventListener("click", (event) => {
      const row = event.target.closest(".hfa-line")?.parentElement;
      if (!row) return;
      current = row.dataset.path;
      toggle(current);
    });
    drawing.addEventListener("keydown", onKey);
    drawing.addEventListener("focusin", (event) => {
      const row = event.target.closest("[role=treeitem]");
      if (row && row.dataset.path !== current) {
        current = row.dataset.path;
        sync();
      }
    });
    current = tree.path;
    open = openPaths(tree, first);
    parts.body.replaceChildren(h("div", { class: "hfa-note", style: { marginTop: "0" } },
      `${exact(data.total)} parameters in ${data.modules} modules`), drawing);
    sync();
  };
  redraw();
  return onChanges(model, redraw);
}
