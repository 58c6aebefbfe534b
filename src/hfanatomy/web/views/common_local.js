/** Stand-in for views/common.js until the lead's framework lands (to be replaced). */
const SVG = "http://www.w3.org/2000/svg";

function fill(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs ?? {})) if (v != null && v !== false) node.setAttribute(k, String(v));
  for (const c of children) if (c != null) node.append(typeof c === "string" || typeof c === "number" ? String(c) : c);
  return node;
}
export const el = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);
export const svg = (tag, attrs, ...children) => fill(document.createElementNS(SVG, tag), attrs, children);

export function debounce(fn, ms) {
  let timer = null;
  const run = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(...args); }, ms);
  };
  run.cancel = () => { clearTimeout(timer); timer = null; };
  run.pending = () => timer !== null;
  return run;
}

export function examplePicker(examples, current, onPick) {
  const select = el("select", { "aria-label": "example" });
  const custom = el("option", { value: "" }, "(your own)");
  select.append(custom, ...Object.keys(examples).map((k) => el("option", { value: k }, k)));
  const show = (label) => {
    custom.hidden = label != null && label !== "";
    select.value = label ?? "";
  };
  show(current);
  select.addEventListener("change", () => { if (select.value) onPick(select.value); });
  return { el: select, show };
}

export function warningList() {
  const box = el("div", { class: "hfa-warnings", role: "note" });
  return { el: box, show: (list) => box.replaceChildren(...(list ?? []).map((w) => el("div", { class: "hfa-warning" }, "⚠ " + w))) };
}

export function statusLine() {
  const line = el("div", { class: "hfa-status", role: "status", "aria-live": "polite" });
  return { el: line, show: (text) => { line.textContent = text ?? ""; } };
}

export function setResult(root, data) {
  root.setAttribute("data-hfa-result", JSON.stringify(data));
}
