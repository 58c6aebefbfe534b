/**
 * The attention explorer's drawing, for the kernel (anywidget) and the site alike.
 *
 * Data: AttentionExplorer.compute(state) (Python) or compute/attention.js (browser):
 * { tokens (readable pieces), pieces, special, layer, head, weights (n x n ints in 1 /
 * config.scale), thumbs (per layer, per head + mean, t x t ints), warnings }.
 *
 * Three views, all on canvas, drawing only what is on screen:
 *   heatmap: rows = from (query), columns = to (key); shade = sqrt(weight) on one scale
 *            (the static view's colour table); a scroll box past ~500 px, the axes stay put;
 *            hover a cell for its pieces and exact weight;
 *   lines:   bertviz's head view, a line per (from, to) whose opacity is the weight;
 *            hover a token on the left to see its lines only;
 *   model:   every layer x head (+ mean) as a block-max thumbnail; click one to open its
 *            heatmap (the state's view, layer and head change, the data is recomputed).
 */

const SPECIAL = "#8250df";
const MUTED = "#57606a";
const FONT = 'ui-monospace, SFMono-Regular, Menlo, monospace';
const VIEWPORT = 560;  // the largest drawing shown without scrolling, in CSS pixels
const LINE_ROW = 18;  // lines view: height of a token row

const CSS = `
.hfa-attn .hfa-inputs{display:flex;flex-direction:column;gap:4px;margin:4px 0}
.hfa-attn .hfa-inputs label{display:flex;gap:6px;align-items:flex-start}
.hfa-attn .hfa-inputs textarea{flex:1;min-width:0;max-width:560px;font:inherit;padding:2px 4px;resize:vertical}
.hfa-attn .hfa-status{color:#57606a;font-size:12px;min-height:1.2em}
.hfa-attn .hfa-status.hfa-error{color:#d1242f}
.hfa-attn .hfa-warning{color:#9a6700;font-size:12px}
.hfa-attn .hfa-caption{color:#57606a;font-size:12px;margin:2px 0 6px}
.hfa-attn .hfa-scroll{position:relative;overflow:auto;max-width:100%}
.hfa-attn .hfa-scroll canvas{position:absolute;left:0;top:0}
.hfa-attn .hfa-readout{font-family:${FONT};font-size:12px;min-height:1.3em;white-space:pre}
.hfa-attn .hfa-grid{display:grid;gap:4px 6px;align-items:center;justify-items:center;justify-content:start;margin-top:4px}
.hfa-attn .hfa-grid .hfa-row{justify-self:end}
.hfa-attn .hfa-grid .hfa-muted{color:#8c959f;font-size:11px}
.hfa-attn button.hfa-mini{padding:0;border:1px solid #d0d7de;background:#fff;cursor:pointer;line-height:0}
.hfa-attn button.hfa-mini:hover,.hfa-attn button.hfa-mini:focus{outline:2px solid #d1242f}
.hfa-attn button.hfa-mini canvas{image-rendering:pixelated}
`;

// ------------------------------------------------------------------ numbers
/** round(255 * sqrt(q / scale)) in exact integers (explorers.attention.colour_index). */
export function colourIndex(q) {
  let k = Math.floor(Math.sqrt(q * 6.5025) + 0.5);
  while (k > 0 && 100 * (2 * k - 1) ** 2 > 2601 * q) k--;
  while (100 * (2 * k + 1) ** 2 <= 2601 * q) k++;
  return k;
}

/** "0.1234" from 1234 (explorers.attention.f4). */
export function f4(q, scale = 10000) {
  const digits = String(scale).length - 1;
  return `${Math.floor(q / scale)}.${String(q % scale).padStart(digits, "0")}`;
}

const rgb = (hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));

export function caption(layer, head, numHeads) {
  return `layer ${layer} \u00b7 ${head === "mean" ? `mean of ${numHeads} heads` : `head ${head}`}`;
}

const label = (tok, limit = 12) => (tok.length <= limit ? tok : `${tok.slice(0, limit - 1)}\u2026`);

// ------------------------------------------------------------------ DOM helpers
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;  // typed text is never HTML
    else if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function select(name, options, value, onChange) {
  const s = h("select", { name, "data-hfa-control": name, onchange: () => onChange(s.value) });
  for (const [v, text] of options) s.append(h("option", { value: v, text }));
  s.value = String(value);
  return s;
}

function debounce(fn, ms) {
  let timer = null;
  const call = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}

/** A canvas of the right size for the screen (devicePixelRatio), scaled to CSS pixels. */
function sizeCanvas(canvas, width, height) {
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/**
 * A scroll box whose canvas covers only its visible part: draw(ctx, x, y, w, h) paints the
 * content from (x, y), w x h CSS pixels, on each scroll, resize and set().
 */
function scrollCanvas(draw) {
  const spacer = h("div");
  const canvas = h("canvas");
  const box = h("div", { class: "hfa-scroll" }, spacer, canvas);
  let size = [0, 0], frame = null;
  const paint = () => {
    frame = null;
    const w = Math.min(size[0], box.clientWidth || VIEWPORT);
    const hgt = Math.min(size[1], VIEWPORT);
    const x = box.scrollLeft, y = box.scrollTop;
    canvas.style.left = `${x}px`;
    canvas.style.top = `${y}px`;
    const ctx = sizeCanvas(canvas, w, hgt);
    ctx.clearRect(0, 0, w, hgt);
    draw(ctx, x, y, w, hgt);
  };
  const schedule = () => { if (frame === null) frame = requestAnimationFrame(paint); };
  box.addEventListener("scroll", schedule);
  const resize = new ResizeObserver(schedule);
  resize.observe(box);
  return {
    box, canvas,
    set(width, height) {
      size = [width, height];
      spacer.style.width = `${width}px`;
      spacer.style.height = `${height}px`;
      box.style.height = `${Math.min(height, VIEWPORT) + (width > (box.clientWidth || VIEWPORT) ? 16 : 0)}px`;
      paint();  // at once: a layer or head change is drawn before the next frame
    },
    repaint: schedule,
    /** Content coordinates of a mouse event. */
    at(event) {
      const r = canvas.getBoundingClientRect();
      return [event.clientX - r.left + box.scrollLeft, event.clientY - r.top + box.scrollTop];
    },
    destroy() { resize.disconnect(); if (frame !== null) cancelAnimationFrame(frame); },
  };
}

// ------------------------------------------------------------------ heatmap
let measurer = null;
/** Width in CSS pixels of the widest label at `px` (Hangul and emoji are wider than Latin). */
function widest(tokens, px) {
  measurer ??= document.createElement("canvas").getContext("2d");
  measurer.font = `600 ${px}px ${FONT}`;
  return Math.max(measurer.measureText("from \u2193 to").width,
    ...tokens.map((t) => measurer.measureText(label(t)).width));
}

function heatmapLayout(data) {
  const n = data.tokens.length;
  const c = Math.max(4, Math.min(22, Math.floor(480 / Math.max(n, 1))));
  const labels = c >= 9;
  const font = Math.min(11, c - 1);
  const margin = labels ? 8 + Math.ceil(widest(data.tokens, font)) : 8;
  return { n, c, labels, left: margin + 6, top: margin + 6, font };
}

/** One pixel per cell, coloured: drawn scaled with smoothing off (the visible part only). */
function cellImage(data, colours) {
  const n = data.tokens.length;
  const img = new ImageData(Math.max(n, 1), Math.max(n, 1));
  const table = colours.map(rgb);
  for (let i = 0; i < n; i++) {
    const row = data.weights[i];
    for (let j = 0; j < n; j++) {
      const [r, g, b] = table[colourIndex(row[j])];
      const k = 4 * (i * n + j);
      img.data[k] = r; img.data[k + 1] = g; img.data[k + 2] = b; img.data[k + 3] = 255;
    }
  }
  const off = document.createElement("canvas");
  off.width = img.width;
  off.height = img.height;
  off.getContext("2d").putImageData(img, 0, 0);
  return off;
}

function drawHeatmap(ctx, x0, y0, w, hgt, data, lay, image, hover) {
  const { n, c, left, top } = lay;
  // visible cells
  const j0 = Math.max(0, Math.floor((x0 - left) / c)), j1 = Math.min(n, Math.ceil((x0 + w - left) / c));
  const i0 = Math.max(0, Math.floor((y0 - top) / c)), i1 = Math.min(n, Math.ceil((y0 + hgt - top) / c));
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, w - left, hgt - top);
  ctx.clip();
  if (i1 > i0 && j1 > j0) {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(image, j0, i0, j1 - j0, i1 - i0,
      left + j0 * c - x0, top + i0 * c - y0, (j1 - j0) * c, (i1 - i0) * c);
    if (c >= 6) {  // white grid between cells
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 0.5;
      ctx.beginPath();
      for (let i = i0; i <= i1; i++) {
        ctx.moveTo(left + j0 * c - x0, top + i * c - y0);
        ctx.lineTo(left + j1 * c - x0, top + i * c - y0);
      }
      for (let j = j0; j <= j1; j++) {
        ctx.moveTo(left + j * c - x0, top + i0 * c - y0);
        ctx.lineTo(left + j * c - x0, top + i1 * c - y0);
      }
      ctx.stroke();
    }
  }
  if (hover) {
    const [i, j] = hover;
    ctx.strokeStyle = "#d1242f";
    ctx.lineWidth = 1.5;
    ctx.strokeRect(left + j * c - x0, top + i * c - y0, c, c);
  }
  ctx.restore();
  // axes: labels of the visible rows and columns, in the fixed margins
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, top);
  ctx.fillRect(0, 0, left, hgt);
  ctx.font = `${lay.font}px ${FONT}`;
  const styled = (i) => {
    const bold = data.special[i] || (hover && (hover[0] === i || hover[1] === i));
    ctx.fillStyle = data.special[i] ? SPECIAL : "#1f2328";
    ctx.font = `${bold ? "600 " : ""}${lay.font}px ${FONT}`;
  };
  if (lay.labels) {
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let i = i0; i < i1; i++) {
      const y = top + i * c + c / 2 - y0;
      if (y < top) continue;
      styled(i);
      ctx.fillText(label(data.tokens[i]), left - 4, y);
    }
    ctx.textAlign = "left";
    for (let j = j0; j < j1; j++) {
      const x = left + j * c + c / 2 - x0;
      if (x < left) continue;
      styled(j);
      ctx.save();
      ctx.translate(x, top - 4);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(label(data.tokens[j]), 0, 0);
      ctx.restore();
    }
  }
  if (!lay.labels) return;
  ctx.fillStyle = "#8c959f";
  ctx.font = `10px ${FONT}`;
  ctx.textAlign = "right";
  ctx.textBaseline = "alphabetic";
  ctx.fillText("from \u2193 to \u2192", left - 2, 10);
}

// ------------------------------------------------------------------ lines
function linesLayout(data) {
  const tw = 10 + Math.ceil(widest(data.tokens, 11));
  return { n: data.tokens.length, x1: tw + 6, x2: tw + 156, tw, top: 22 };
}

function drawLines(ctx, x0, y0, w, hgt, data, lay, scale, focus) {
  const { n, x1, x2, top } = lay;
  const rowY = (i) => top + i * LINE_ROW + LINE_ROW / 2 - y0;
  // lines: grouped by opacity (16 levels), one path each; only those crossing the view
  const buckets = Array.from({ length: 16 }, () => []);
  const lo = y0 - LINE_ROW, hi = y0 + hgt + LINE_ROW;
  for (let i = 0; i < n; i++) {
    const yi = top + i * LINE_ROW + LINE_ROW / 2;
    const row = data.weights[i];
    const dim = focus !== null && focus !== i;
    for (let j = 0; j < n; j++) {
      const q = row[j];
      if (q < scale / 200) continue;  // under 0.005: invisible
      const yj = top + j * LINE_ROW + LINE_ROW / 2;
      if (Math.max(yi, yj) < lo || Math.min(yi, yj) > hi) continue;
      const alpha = (q / scale) * (dim ? 0.12 : 1);
      buckets[Math.min(15, Math.floor(alpha * 16))].push(yi - y0, yj - y0);
    }
  }
  ctx.strokeStyle = "#1f5fa8";
  ctx.lineWidth = 2;
  buckets.forEach((ys, k) => {
    if (!ys.length) return;
    ctx.globalAlpha = (k + 0.5) / 16;
    ctx.beginPath();
    for (let m = 0; m < ys.length; m += 2) {
      ctx.moveTo(x1 - x0, ys[m]);
      ctx.lineTo(x2 - x0, ys[m + 1]);
    }
    ctx.stroke();
  });
  ctx.globalAlpha = 1;
  ctx.font = `11px ${FONT}`;
  ctx.textBaseline = "middle";
  const i0 = Math.max(0, Math.floor((y0 - top) / LINE_ROW)), i1 = Math.min(n, Math.ceil((y0 + hgt - top) / LINE_ROW));
  for (let i = i0; i < i1; i++) {
    ctx.fillStyle = data.special[i] ? SPECIAL : "#1f2328";
    ctx.font = `${data.special[i] || focus === i ? "600 " : ""}11px ${FONT}`;
    ctx.textAlign = "right";
    ctx.fillText(label(data.tokens[i]), x1 - 4 - x0, rowY(i));
    ctx.textAlign = "left";
    ctx.fillText(label(data.tokens[i]), x2 + 4 - x0, rowY(i));
  }
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, top - 4);
  ctx.fillStyle = "#8c959f";
  ctx.font = `10px ${FONT}`;
  ctx.textAlign = "right";
  ctx.fillText("from", x1 - 4 - x0, 10);
  ctx.textAlign = "left";
  ctx.fillText("to", x2 + 4 - x0, 10);
}

// ------------------------------------------------------------------ model view
function modelView(data, config, open) {
  const H = config.num_heads, cols = H + 1;
  const size = Math.max(36, Math.min(72, Math.floor(900 / cols) - 8));
  const grid = h("div", { class: "hfa-grid", role: "group",
    "aria-label": "attention of every layer and head" });
  grid.style.gridTemplateColumns = `auto repeat(${cols}, ${size + 2}px)`;
  grid.append(h("span"));
  for (let k = 0; k < cols; k++) grid.append(h("span", { class: "hfa-muted", text: k === H ? "mean" : `head ${k}` }));
  const table = config.colours.map(rgb);
  data.thumbs.forEach((heads, layer) => {
    grid.append(h("span", { class: "hfa-muted hfa-row", text: `layer ${layer}` }));
    heads.forEach((flat, k) => {
      const head = k === H ? "mean" : k;
      const t = Math.round(Math.sqrt(flat.length));
      const canvas = h("canvas", { width: t, height: t });
      canvas.style.width = `${size}px`;
      canvas.style.height = `${size}px`;
      const img = new ImageData(t, t);
      flat.forEach((q, m) => {
        const [r, g, b] = table[colourIndex(q)];
        img.data.set([r, g, b, 255], 4 * m);
      });
      canvas.getContext("2d").putImageData(img, 0, 0);
      const title = `${caption(layer, head, H)}: click to open its heatmap`;
      grid.append(h("button", { type: "button", class: "hfa-mini", title, "aria-label": title,
        "data-hfa-open": `${layer}|${head}`, onclick: () => open(layer, head) }, canvas));
    });
  });
  return grid;
}

// ------------------------------------------------------------------ the view
export function render({ model, el }) {
  const config = model.get("config");
  const H = config.num_heads;
  const root = h("div", { class: "hfa-explorer hfa-attn", "data-hfa-kind": "attention" });
  root.append(h("style", { text: CSS }));
  if (config.title) root.append(h("div", { class: "hfa-title", text: config.title }));
  root.append(h("div", { class: "hfa-caption", text: config.caption }));

  const state = () => model.get("state");
  const update = (patch) => {
    model.set("state", { ...state(), ...patch });
    model.save_changes();
  };

  // inputs: example picker, text (and pair) boxes; typing updates, debounced
  const examples = Object.keys(config.examples);
  const OWN = "";
  const picker = select("example", [...examples.map((k) => [k, k]), [OWN, "(your text)"]],
    state().example ?? OWN, (v) => {
      if (v === OWN) return;
      const ex = config.examples[v];
      textBox.value = ex.text;
      if (pairBox) pairBox.value = ex.text_pair ?? "";
      typed.cancel();
      update({ example: v, text: ex.text, text_pair: ex.text_pair ?? null });
    });
  const typed = debounce(() => update({ example: null, text: textBox.value,
    text_pair: pairBox ? (pairBox.value || null) : state().text_pair }), 250);
  const onType = () => { picker.value = OWN; typed(); };
  const textBox = h("textarea", { name: "text", rows: "2", "data-hfa-control": "text",
    placeholder: config.pair ? "question" : "type a sentence", oninput: onType });
  textBox.value = state().text ?? "";
  const pairBox = config.pair ? h("textarea", { name: "text_pair", rows: "3",
    "data-hfa-control": "text_pair", placeholder: "context", oninput: onType }) : null;
  if (pairBox) pairBox.value = state().text_pair ?? "";
  const inputs = h("div", { class: "hfa-inputs" },
    h("label", {}, h("span", { text: config.pair ? "question" : "text" }), textBox),
    pairBox && h("label", {}, h("span", { text: "context" }), pairBox));

  const views = select("view", config.views, state().view ?? "heatmap", (v) => update({ view: v }));
  const layers = select("layer", Array.from({ length: config.num_layers }, (_, i) => [String(i), `layer ${i}`]),
    state().layer ?? 0, (v) => update({ layer: Number(v) }));
  const heads = select("head", [...Array.from({ length: H }, (_, i) => [String(i), `head ${i}`]),
    ["mean", "mean of heads"]], state().head ?? 0, (v) => update({ head: v === "mean" ? v : Number(v) }));
  const labelled = (text, control) => h("label", {}, h("span", { text }), control);
  root.append(h("div", { class: "hfa-controls" }, labelled("example", picker)), inputs,
    h("div", { class: "hfa-controls" }, labelled("view", views), labelled("layer", layers),
      labelled("head", heads)));

  const status = h("div", { class: "hfa-status", role: "status" });
  const warnings = h("div", { class: "hfa-warnings" });
  const title = h("div", { class: "hfa-title hfa-cap" });
  const area = h("div", { class: "hfa-area" });
  const readout = h("div", { class: "hfa-readout" });
  const key = h("div", { class: "hfa-caption" });
  root.append(status, warnings, title, area, readout, key);
  el.append(root);

  // drawing
  let data = null, lay = null, image = null, hover = null, focus = null, shownView = null;
  const scroller = scrollCanvas((ctx, x, y, w, hgt) => {
    if (!data || !lay) return;
    if (shownView === "lines") drawLines(ctx, x, y, w, hgt, data, lay, config.scale, focus);
    else drawHeatmap(ctx, x, y, w, hgt, data, lay, image, hover);
  });
  const weightText = (i, j) => `from ${data.tokens[i]} [${i}] \u2192 to ${data.tokens[j]} [${j}]: ${f4(data.weights[i][j], config.scale)}`;
  scroller.canvas.addEventListener("mousemove", (event) => {
    if (!data) return;
    const [x, y] = scroller.at(event);
    if (shownView === "lines") {
      const i = Math.floor((y - lay.top) / LINE_ROW);
      const on = x < lay.x1 && i >= 0 && i < lay.n ? i : null;
      if (on !== focus) { focus = on; scroller.repaint(); }
      readout.textContent = on === null ? "" : `${data.tokens[on]} [${on}] looks at: ${
        data.weights[on].map((q, j) => [q, j]).sort((a, b) => b[0] - a[0]).slice(0, 3)
          .map(([q, j]) => `${data.tokens[j]} ${f4(q, config.scale)}`).join(", ")}`;
      return;
    }
    const i = Math.floor((y - lay.top) / lay.c), j = Math.floor((x - lay.left) / lay.c);
    const inside = x >= lay.left + scroller.box.scrollLeft && y >= lay.top + scroller.box.scrollTop
      && i >= 0 && j >= 0 && i < lay.n && j < lay.n;
    const next = inside ? [i, j] : null;
    if (String(next) !== String(hover)) { hover = next; scroller.repaint(); }
    readout.textContent = inside ? weightText(i, j) : "";
  });
  scroller.canvas.addEventListener("mouseleave", () => {
    hover = null;
    focus = null;
    readout.textContent = "";
    scroller.repaint();
  });

  const open = (layer, head) => update({ view: "heatmap", layer, head });

  function draw() {
    data = model.get("data");
    warnings.replaceChildren(...(data?.warnings ?? []).map((w) => h("div", { class: "hfa-warning", text: w })));
    if (!data || !data.tokens) return;
    const view = state().view ?? "heatmap";
    shownView = view;
    hover = null;
    focus = null;
    readout.textContent = "";
    if (view === "model") {
      title.textContent = "model view: every layer and head";
      area.replaceChildren(modelView(data, config, open));
      key.textContent = "rows = from, columns = to; each block shows its strongest weight, "
        + "same shading as the heatmap; click a map to open its heatmap";
      return;
    }
    title.textContent = caption(data.layer, data.head, H);
    area.replaceChildren(scroller.box);
    scroller.canvas.setAttribute("role", "img");
    scroller.canvas.setAttribute("aria-label", `attention ${view}, ${caption(data.layer, data.head, H)}`);
    if (view === "lines") {
      lay = linesLayout(data);
      key.textContent = "line opacity = weight; hover a token on the left for its lines only";
      scroller.set(Math.max(lay.x2 + lay.tw + 10, 300), lay.top + lay.n * LINE_ROW + 8);
    } else {
      lay = heatmapLayout(data);
      image = cellImage(data, config.colours);
      key.textContent = "white = 0, darkest = 1 (shade follows the square root of the weight); "
        + (lay.labels ? "hover a cell for its exact weight" : "rows = from, columns = to; too many tokens to "
          + "label: hover a cell for its tokens and exact weight");
      scroller.set(lay.left + lay.n * lay.c + 4, lay.top + lay.n * lay.c + 4);
    }
  }

  function showStatus() {
    const s = model.get("status");
    const text = typeof s === "string" ? s : (s?.text ?? "");
    status.textContent = text;
    status.classList.toggle("hfa-error", typeof s === "object" && s?.error === true);
  }

  function syncControls() {
    const s = state();
    if (document.activeElement !== textBox && textBox.value !== (s.text ?? "")) textBox.value = s.text ?? "";
    if (pairBox && document.activeElement !== pairBox && pairBox.value !== (s.text_pair ?? "")) {
      pairBox.value = s.text_pair ?? "";
    }
    if (s.example !== undefined && s.example !== null) picker.value = s.example;
    views.value = s.view ?? "heatmap";
    layers.value = String(s.layer ?? 0);
    heads.value = String(s.head ?? 0);
    const isModel = views.value === "model";
    layers.disabled = isModel;
    heads.disabled = isModel;
    if (data && views.value !== shownView) draw();  // the same data, another view
  }

  model.on("change:data", draw);
  model.on("change:status", showStatus);
  model.on("change:state", syncControls);
  syncControls();
  showStatus();
  draw();
  return () => {
    typed.cancel();
    scroller.destroy();
    model.off?.("change:data", draw);
    model.off?.("change:status", showStatus);
    model.off?.("change:state", syncControls);
    root.remove();
  };
}
