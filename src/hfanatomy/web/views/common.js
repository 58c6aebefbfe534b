/**
 * What every explorer view shares, in the kernel (anywidget) and on the site (page.js):
 * the frame, controls that write the model's "state", the status line, colour scales and
 * number formats. Views build the DOM with h(): text always goes in as text, so whatever
 * a reader types is shown, never run.
 *
 * The model is anywidget's: get(key), set(key, value), save_changes(), on / off("change:key").
 * Keys: "config" (what never changes: title, caption, examples), "state" (the inputs),
 * "data" (what the kernel or the page computed from the state), "status" (one line: an
 * error, progress, or "").
 */

import { THEME_CSS } from "./theme.js";

export const CSS = THEME_CSS + `
.hfa-live-view{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:13px;
 border:1px solid var(--hfa-border);border-radius:6px;padding:8px 10px;margin:0.5em 0;background:var(--hfa-bg);
 color:var(--hfa-fg);max-width:100%;overflow-x:auto;box-sizing:border-box}
.hfa-live-view .hfa-title{font-weight:600;margin-bottom:4px}
.hfa-live-view .hfa-controls{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center;margin:4px 0 8px}
.hfa-live-view .hfa-controls label{display:inline-flex;gap:4px;align-items:center;white-space:nowrap}
.hfa-live-view .hfa-controls label.hfa-wide{display:flex;flex:1 1 100%;white-space:normal}
.hfa-live-view .hfa-controls label.hfa-wide > span{min-width:6em}
.hfa-live-view .hfa-controls textarea,.hfa-live-view .hfa-controls input[type=text]{flex:1;
 font:13px ui-monospace,SFMono-Regular,Menlo,monospace;padding:2px 4px;min-width:10em;box-sizing:border-box}
.hfa-live-view select,.hfa-live-view input{font-size:13px;max-width:100%}
.hfa-live-view .hfa-controls label{max-width:100%;min-width:0}
.hfa-live-view .hfa-controls label > select{min-width:0;flex:0 1 auto}
.hfa-live-view .hfa-cue{color:var(--hfa-muted);font-size:12px;margin:2px 0}
.hfa-live-view input[type=number]{width:5em}
.hfa-live-view .hfa-note{color:var(--hfa-muted);font-size:12px;margin-top:6px}
.hfa-live-view .hfa-status{color:var(--hfa-muted);font-size:12px;min-height:1em}
.hfa-live-view .hfa-status.hfa-error{color:var(--hfa-error)}
.hfa-live-view.hfa-stale :is(.hfa-body,.hfa-readout,.hfa-cue){display:none}
.hfa-live-view .hfa-warn{color:var(--hfa-warn);font-size:12px}
.hfa-live-view table.hfa-table{border-collapse:collapse;font-size:12px;margin:2px 0 8px}
.hfa-live-view table.hfa-table td,.hfa-live-view table.hfa-table th{border:1px solid var(--hfa-border);
 padding:2px 6px;text-align:left;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre}
.hfa-live-view table.hfa-table th{background:var(--hfa-subtle)}
.hfa-live-view table.hfa-table tr.hfa-special td{color:var(--hfa-special);font-weight:600;background:var(--hfa-special-bg)}
.hfa-live-view table.hfa-table tr.hfa-pad td{color:var(--hfa-faint)}
.hfa-live-view .hfa-muted{color:var(--hfa-faint)}
.hfa-live-view .hfa-strip{display:flex;flex-wrap:wrap;gap:3px;margin:4px 0 6px}
.hfa-live-view .hfa-chip{border:1px solid var(--hfa-border);border-radius:4px;padding:1px 5px;background:var(--hfa-subtle);
 font-family:ui-monospace,Menlo,monospace;font-size:12px;white-space:pre}
.hfa-live-view .hfa-chip.hfa-sp{background:var(--hfa-special-bg);border-color:var(--hfa-special-border);color:var(--hfa-special-fg)}
.hfa-live-view .hfa-chip.hfa-pad{background:var(--hfa-bg);color:var(--hfa-faint);border-style:dashed}
.hfa-live-view .hfa-chip sub{color:var(--hfa-muted);font-size:10px;margin-left:2px}
.hfa-live-view .hfa-seqhead{font-weight:600;margin-top:6px}
.hfa-live-view svg text,.hfa-live-view .hfa-mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.hfa-live-view canvas{display:block}
.hfa-live-view table.hfa-wrap td{white-space:pre-wrap;overflow-wrap:anywhere}
.hfa-live-view table.hfa-wrap th{white-space:normal}
`;

const SVG_NS = "http://www.w3.org/2000/svg";

function build(el, props, children) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "style" && typeof value === "object") {
      Object.assign(el.style, value);
    } else if (key === "value" || key === "checked" || key === "hidden") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: h("td", { class: "x", "data-col": "id" }, "text", child...). */
export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

/** An SVG element, as h(). */
export function s(tag, props = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

/** fn, called once `ms` after the last of a burst of calls (typing). */
export function debounce(fn, ms = 120) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/** A number with 3 significant digits: 0.912, 12.3, 3.7e-11; null (NaN in JSON) -> "nan". */
export function fmt(x, digits = 3) {
  if (x === null || x === undefined || Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(digits - 1).replace("e+", "e");
  return String(Number(x.toPrecision(digits)));
}

/** Merge `patch` into the model's state and send it (to the kernel, or to page.js). */
export function setState(model, patch) {
  model.set("state", { ...model.get("state"), ...patch });
  model.save_changes();
}

/** Set a control's value unless the reader is in it (never fight their typing). */
export function show(input, value) {
  if (input.ownerDocument.activeElement === input) return;
  if (input.type === "checkbox") input.checked = Boolean(value);
  else if (input.value !== String(value ?? "")) input.value = value ?? "";
}

/**
 * The frame every view draws in: { root, controls, status, body, note }. Inserts the CSS
 * once per frame, so a view is styled in JupyterLab, VS Code, Colab and on the site alike;
 * every rule is scoped to .hfa-live-view. `css` is the view's own style sheet (placed before
 * the common one) and `cls` a class for its root.
 */
export function frame(el, config, { css = "", cls = "" } = {}) {
  const parts = {
    controls: h("div", { class: "hfa-controls" }),
    status: h("div", { class: "hfa-status", role: "status", "aria-live": "polite" }),
    body: h("div", { class: "hfa-body" }),
    note: h("div", { class: "hfa-note" }, config.caption ?? ""),
  };
  parts.cue = h("div", { class: "hfa-cue", hidden: true },
    "↔ This drawing is wider than the screen: scroll it sideways.");
  parts.name = config.title || "explorer";
  // a named group: a screen reader announces the explorer's title on entering it
  parts.root = h("div", { class: "hfa-explorer hfa-live-view", role: "group",
    "aria-label": parts.name },
    h("style", {}, CSS),
    h("div", { class: "hfa-title" }, config.title ?? ""),
    parts.controls, parts.status, parts.cue, parts.body, parts.note);
  if (cls) parts.root.classList.add(cls);
  if (css) parts.root.prepend(h("style", {}, css));
  el.replaceChildren(parts.root);
  watchWidth(parts);
  return parts;
}

/** Boxes of a view that scroll on their own (a heatmap, a grid, a long text). */
const SCROLLERS = ".hfa-scroll,.hfa-sg-scroll,.hfa-windows-text,.hfa-table-scroll";

/**
 * A box that scrolls can be scrolled from the keyboard: it takes focus (tabindex 0, then the
 * arrow keys scroll it; the theme draws its :focus-visible outline) and is a group named
 * after the explorer, so a screen reader says what the tab stop is. A box that does not
 * scroll (any more) is no tab stop. A view's own tabindex, role or name is never replaced.
 */
function keyboardScroll(box, name) {
  const scrolls = box.clientWidth > 0 && (box.scrollWidth > box.clientWidth + 1
    || box.scrollHeight > box.clientHeight + 1);
  const ours = "hfaKeyScroll" in box.dataset;
  if (scrolls && !ours && !box.hasAttribute("tabindex")) {
    box.dataset.hfaKeyScroll = [box.hasAttribute("role") ? "" : "role",
      box.hasAttribute("aria-label") ? "" : "aria-label"].join(" ").trim();
    box.tabIndex = 0;
    if (!box.hasAttribute("role")) box.setAttribute("role", "group");
    if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", `${name} (scrolls)`);
  } else if (!scrolls && ours) {
    for (const attr of box.dataset.hfaKeyScroll.split(" ").filter(Boolean)) {
      box.removeAttribute(attr);
    }
    box.removeAttribute("tabindex");
    delete box.dataset.hfaKeyScroll;
  }
}

/**
 * Say so when a view is wider than its frame (a phone): the cue line shows, and the frame
 * carries data-hfa-scroll-cue (what the overflow tests accept as a visible cue). Every box
 * that scrolls becomes a tab stop (keyboardScroll). Checked after every redraw and resize.
 */
function watchWidth(parts) {
  if (typeof ResizeObserver === "undefined") return;
  let queued = false;
  const check = () => {
    queued = false;
    const inner = [...parts.body.querySelectorAll(SCROLLERS)];
    const boxes = [parts.root, ...inner];
    const wide = boxes.some((b) => b.clientWidth > 0 && b.scrollWidth > b.clientWidth + 1);
    parts.cue.hidden = !wide;
    if (wide) parts.root.dataset.hfaScrollCue = "";
    else delete parts.root.dataset.hfaScrollCue;
    for (const box of inner) keyboardScroll(box, parts.name);
  };
  const soon = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(check);
    }
  };
  new ResizeObserver(soon).observe(parts.root);
  new MutationObserver(soon).observe(parts.body, { childList: true, subtree: true });
}

/**
 * Show the model's status (an error in red) and the data's warnings under the controls.
 * An error hides the last drawing (class hfa-stale: the body, its readout and its scroll cue
 * are not displayed, and the body is hidden from screen readers and out of the tab order),
 * so the view shows the error alone, never a result that is not the input's.
 */
export function showStatus(statusEl, model) {
  const status = model.get("status") ?? "";
  const error = status.startsWith("error");
  const warnings = error ? [] : (model.get("data") ?? {}).warnings ?? [];
  statusEl.classList.toggle("hfa-error", error);
  const root = statusEl.closest(".hfa-live-view");
  if (root) {
    root.classList.toggle("hfa-stale", error);
    const body = root.querySelector(".hfa-body");
    if (body) {
      body.setAttribute("aria-hidden", error ? "true" : "false");
      body.inert = error; // nor a tab stop: nothing hidden from screen readers takes focus
    }
  }
  statusEl.replaceChildren(
    ...(status ? [h("div", {}, status)] : []),
    ...warnings.map((w) => h("div", { class: "hfa-warn" }, "⚠ " + w)));
}

/**
 * A text box bound to state[name]: the state follows as the reader types (debounced), with
 * example set to null and `patch` (more keys, e.g. { window: null }) sent along. What the
 * reader typed is never lost: while an edit waits, a state change made elsewhere does not
 * refill the box (sync() skips it), and leaving the box sends the edit at once. Returns the
 * label element with .input, .sync(), .pending(), .flush() (send a waiting edit now; call
 * it before another control changes the state) and .cancel().
 */
export function textControl(model, name, { label = name, multiline = false, placeholder = "",
  rows = 2, wait = 150, patch = {} } = {}) {
  const input = multiline
    ? h("textarea", { rows, placeholder, "data-hfa-input": name, spellcheck: "false",
      "aria-label": label })
    : h("input", { type: "text", placeholder, "data-hfa-input": name, spellcheck: "false",
      "aria-label": label });
  input.value = model.get("state")[name] ?? "";
  let timer = null;
  const send = () => {
    clearTimeout(timer);
    timer = null;
    setState(model, { ...patch, [name]: input.value, example: null });
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(send, wait);
  });
  input.addEventListener("change", () => {
    if (timer !== null && input.isConnected) send();
  });
  const el = h("label", { class: "hfa-wide" }, h("span", {}, label), input);
  el.input = input;
  el.pending = () => timer !== null;
  el.flush = () => {
    if (timer !== null) send();
  };
  el.sync = () => {
    if (timer === null) show(input, model.get("state")[name]);
  };
  el.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return el;
}

/** A select bound to state[name]; options: [[value, label], ...] (values kept as given). */
export function selectControl(model, name, options, { label = name, patch = null } = {}) {
  const input = h("select", { "data-hfa-control": name },
    options.map(([value, text], i) => h("option", { value: String(i) }, text)));
  const index = () => options.findIndex(([v]) => v === model.get("state")[name]);
  input.value = String(Math.max(0, index()));
  input.addEventListener("change", () => {
    const value = options[Number(input.value)][0];
    setState(model, patch ? patch(value) : { [name]: value });
  });
  const el = h("label", {}, h("span", {}, label), input);
  el.input = input;
  el.sync = () => {
    const i = index();
    if (i >= 0) input.value = String(i);
  };
  return el;
}

/** A slider (or number box with kind "number") bound to state[name]. */
export function numberControl(model, name, { label = name, min = 0, max = 10, step = 1,
  kind = "range", format = (v) => String(v) } = {}) {
  const input = h("input", { type: kind, min, max, step, "data-hfa-control": name });
  input.value = model.get("state")[name];
  const out = h("output", { class: "hfa-mono" }, format(Number(input.value)));
  const send = debounce(() => setState(model, { [name]: Number(input.value) }), 60);
  input.addEventListener("input", () => {
    out.textContent = format(Number(input.value));
    send();
  });
  const el = h("label", {}, h("span", {}, label), input, kind === "range" ? out : null);
  el.input = input;
  el.sync = () => {
    show(input, model.get("state")[name]);
    out.textContent = format(Number(input.value));
  };
  el.setMax = (value) => {
    input.max = value;
  };
  return el;
}

/**
 * The example picker: config.examples is {label: state}; choosing one replaces the
 * state's inputs with that example's (a key some example sets and this one does not
 * becomes null). A typed edit sets state.example to null ("your text").
 */
export function exampleControl(model) {
  const examples = model.get("config").examples ?? {};
  const labels = Object.keys(examples);
  const inputs = new Set(Object.values(examples).flatMap((e) => Object.keys(e)));
  const cleared = Object.fromEntries([...inputs].map((k) => [k, null]));
  const options = [[null, "(your text)"], ...labels.map((k) => [k, k])];
  return selectControl(model, "example", options, {
    label: "example",
    patch: (key) => (key === null ? { example: null }
      : { ...cleared, ...examples[key], example: key }),
  });
}

/** A colour for t in [0, 1] on a white-to-blue scale (attention, probabilities). */
function blues(t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const r = Math.round(247 - x * (247 - 8)), g = Math.round(251 - x * (251 - 48));
  const b = Math.round(255 - x * (255 - 107));
  return `rgb(${r},${g},${b})`;
}

/** A colour for t in [-1, 1]: red below 0, white at 0, blue above (logits, signed values). */
export function diverging(t) {
  const x = Math.min(1, Math.max(-1, Number.isFinite(t) ? t : 0));
  if (x >= 0) return blues(x);
  const y = -x;
  return `rgb(${Math.round(255 - y * (255 - 178))},${Math.round(247 - y * (247 - 24))},`
    + `${Math.round(247 - y * (247 - 43))})`;
}

/**
 * Before a select of `container` changes the state, an edit still waiting for its debounce
 * (`boxes`: textControl results) goes first, unless the example `picker` changed: its
 * texts replace the edit.
 */
export function flushBeforeSelects(container, boxes, picker) {
  container.addEventListener("change", (event) => {
    const select = event.target;
    if (select.tagName !== "SELECT") return;
    const chosen = select.value;  // the flush redraws, and redrawing syncs every select
    for (const box of boxes) (select === picker.input ? box.cancel() : box.flush());
    select.value = chosen;
  }, true);
}

/**
 * A view's redraw calls the function this returns: when the state's example changed to a
 * picked one, its texts go into `boxes` (textControl results, by their data-hfa-input
 * name), even the box the reader was last in.
 */
export function exampleRefill(model, boxes) {
  let example = model.get("state").example ?? null;
  return () => {
    const state = model.get("state");
    if ((state.example ?? null) === example) return;
    example = state.example ?? null;
    if (example === null) return;
    for (const box of boxes) box.input.value = state[box.input.dataset.hfaInput] ?? "";
  };
}

/** Redraw on every change of data or status; returns the cleanup for render(). */
export function onChanges(model, redraw) {
  const handler = () => redraw();
  model.on("change:data", handler);
  model.on("change:status", handler);
  model.on("change:state", handler);
  return () => {
    model.off("change:data", handler);
    model.off("change:status", handler);
    model.off("change:state", handler);
  };
}
