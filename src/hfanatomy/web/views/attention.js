/**
 * The attention explorer's drawing, for the kernel (anywidget) and the site alike.
 *
 * Data: AttentionExplorer.compute(state) (Python) or compute/attention.js (browser):
 * { tokens (readable pieces), pieces, special, layer, head, weights (n rows of n floats;
 * past config.pack_past tokens, ints in 1 / config.scale packed as little-endian uint16 in
 * base64), thumbs ([layer][head, then mean] -> t * t floats), thumb_size (t), warnings }.
 *
 * Three views, all on canvas, drawing only what is on screen:
 *   heatmap: rows = from (query), columns = to (key); shade = sqrt(weight) on one scale
 *            (the static view's colour table); a scroll box past ~500 px, the axes stay put;
 *            hover, tap or click a cell (or focus the map and use the arrow keys) for its
 *            pieces and exact weight;
 *   lines:   bertviz's head view, a line per (from, to) whose opacity is the weight; as
 *            tall as its tokens up to LINES_TALL px (a box that scrolls past that); hover,
 *            tap or click a token on the left to see its lines only;
 *   model:   every layer x head (+ mean) as a block-max thumbnail; click one to open its
 *            heatmap (the state's view, layer and head change, the data is recomputed).
 *
 * A drawing larger than its box says so under it (class hfa-attn-cue: which rows are in
 * view, scroll for the others). A title that names one of the examples (config.title_base)
 * names the example shown, or "your text".
 */

import { exampleControl, exampleRefill, flushBeforeSelects, frame, h, selectControl, setState,
  showStatus, textControl } from "./common.js";
import { palette } from "./theme.js";

const FONT = 'ui-monospace, SFMono-Regular, Menlo, monospace';
const VIEWPORT = 560;  // the largest drawing shown without scrolling, in CSS pixels
const LINE_ROW = 18;  // lines view: height of a token row
const LINES_TALL = 22 + 120 * LINE_ROW + 8;  // lines view: up to 120 tokens without scrolling

const CSS = `
.hfa-attn .hfa-caption{color:var(--hfa-muted);font-size:12px;margin:2px 0 6px}
.hfa-attn .hfa-cap{font-weight:600;margin:4px 0 2px}
.hfa-attn .hfa-scroll{position:relative;overflow:auto;max-width:100%}
.hfa-attn .hfa-scroll canvas{position:absolute;left:0;top:0}
.hfa-attn .hfa-readout{font-family:${FONT};font-size:12px;min-height:1.3em;white-space:pre-wrap;overflow-wrap:anywhere}
.hfa-attn .hfa-attn-cue{color:var(--hfa-muted);font-size:12px;margin:2px 0}
.hfa-attn .hfa-grid{display:grid;gap:4px 6px;align-items:center;justify-items:center;justify-content:start;margin-top:4px}
.hfa-attn .hfa-grid .hfa-row{justify-self:end}
.hfa-attn .hfa-grid .hfa-muted{color:var(--hfa-faint);font-size:11px}
.hfa-attn button.hfa-mini{padding:0;border:1px solid var(--hfa-border);background:var(--hfa-bg);cursor:pointer;line-height:0}
.hfa-attn button.hfa-mini:hover,.hfa-attn button.hfa-mini:focus{outline:2px solid var(--hfa-error)}
.hfa-attn button.hfa-mini canvas{image-rendering:pixelated}
`;

// ------------------------------------------------------------------ numbers
/** round(255 * sqrt(q / 1e4)) in exact integers: the colour of a weight q (in 1e-4 units);
 * the square root spreads small weights while one scale serves every head. */
function colourIndex(q) {
  let k = Math.floor(Math.sqrt(q * 6.5025) + 0.5);
  while (k > 0 && 100 * (2 * k - 1) ** 2 > 2601 * q) k--;
  while (100 * (2 * k + 1) ** 2 <= 2601 * q) k++;
  return k;
}

/** "0.1234" from 1234: a weight in 1e-4 units, exactly as written. */
function f4(q, scale = 10000) {
  const digits = String(scale).length - 1;
  return `${Math.floor(q / scale)}.${String(q % scale).padStart(digits, "0")}`;
}

const rgb = (hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));

export function caption(layer, head, numHeads) {
  return `layer ${layer} \u00b7 ${head === "mean" ? `mean of ${numHeads} heads` : `head ${head}`}`;
}

const label = (tok, limit = 12) => (tok.length <= limit ? tok : `${tok.slice(0, limit - 1)}\u2026`);

// ------------------------------------------------------------------ packed maps, canvas
/** The integers of explorers.attention.packed (little-endian uint16 in base64). */
function unpack(text) {
  const raw = atob(text);
  const out = new Uint16Array(raw.length >> 1);
  for (let k = 0; k < out.length; k++) out[k] = raw.charCodeAt(2 * k) | (raw.charCodeAt(2 * k + 1) << 8);
  return out;
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
 * content from (x, y), w x h CSS pixels, on each scroll, resize and set(). The box is as
 * tall as the content up to set()'s `most` px; a content larger than the box shows the cue
 * line under it, cueText(x, y, w, h, tall, wide) (which part is in view).
 */
function scrollCanvas(draw, cueText) {
  const spacer = h("div");
  const canvas = h("canvas", { "data-hfa-draw": "" });
  const box = h("div", { class: "hfa-scroll" }, spacer, canvas);
  const cue = h("div", { class: "hfa-attn-cue", hidden: true });
  let size = [0, 0], most = VIEWPORT, frame = null;
  const paint = () => {
    frame = null;
    const w = Math.min(size[0], box.clientWidth || VIEWPORT);
    const hgt = Math.min(size[1], box.clientHeight || most, most);
    const x = box.scrollLeft, y = box.scrollTop;
    canvas.style.left = `${x}px`;
    canvas.style.top = `${y}px`;
    const ctx = sizeCanvas(canvas, w, hgt);
    ctx.clearRect(0, 0, w, hgt);
    draw(ctx, x, y, w, hgt);
    const tall = size[1] > hgt + 1, wide = box.clientWidth > 0 && size[0] > box.clientWidth + 1;
    cue.hidden = !(tall || wide);
    cue.textContent = tall || wide ? cueText(x, y, w, hgt, tall, wide) : "";
  };
  const schedule = () => { if (frame === null) frame = requestAnimationFrame(paint); };
  box.addEventListener("scroll", schedule);
  const resize = new ResizeObserver(schedule);
  resize.observe(box);
  return {
    box, canvas, cue,
    /** The content's size, and the box's largest height (VIEWPORT unless given). */
    set(width, height, tallest = VIEWPORT) {
      size = [width, height];
      most = tallest;
      spacer.style.width = `${width}px`;
      spacer.style.height = `${height}px`;
      box.style.height = `${Math.min(height, most) + (width > (box.clientWidth || VIEWPORT) ? 16 : 0)}px`;
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

// ------------------------------------------------------------------ the data, decoded
/** Floats (weights in [0, 1]) as ints in 1 / scale units. */
const units = (values, scale) => Uint16Array.from(values, (x) => Math.round(x * scale));

/** What the drawings read: { n, tokens, special, layer, head, w (n * n ints in 1 / scale),
 * t, thumbs (layers x (heads + 1) x t * t ints) }. */
function decode(data, config) {
  const n = data.tokens.length, scale = config.scale;
  return { n, tokens: data.tokens, special: data.special, layer: data.layer, head: data.head,
    w: typeof data.weights === "string" ? unpack(data.weights) : units(data.weights.flat(), scale),
    t: data.thumb_size, thumbs: units(data.thumbs.flat(2), scale), scale };
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

function heatmapLayout(d) {
  const c = Math.max(4, Math.min(22, Math.floor(480 / Math.max(d.n, 1))));
  const labels = c >= 9;
  const font = Math.min(11, c - 1);
  const margin = labels ? 8 + Math.ceil(widest(d.tokens, font)) : 8;
  return { n: d.n, c, labels, left: margin + 6, top: margin + 6, font };
}

/** One pixel per cell, coloured: drawn scaled with smoothing off (the visible part only). */
function cellImage(d, table) {
  const n = Math.max(d.n, 1);
  const img = new ImageData(n, n);
  for (let k = 0; k < d.n * d.n; k++) {
    const [r, g, b] = table[colourIndex(d.w[k])];
    img.data[4 * k] = r; img.data[4 * k + 1] = g; img.data[4 * k + 2] = b; img.data[4 * k + 3] = 255;
  }
  const off = document.createElement("canvas");
  off.width = n;
  off.height = n;
  off.getContext("2d").putImageData(img, 0, 0);
  return off;
}

function drawHeatmap(ctx, x0, y0, w, hgt, d, lay, image, hover) {
  const { n, c, left, top } = lay;
  const pal = palette(ctx.canvas);
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
    if (c >= 6) {  // a grid of the background colour between cells
      ctx.strokeStyle = pal.bg;
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
    ctx.strokeStyle = pal.error;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(left + hover[1] * c - x0, top + hover[0] * c - y0, c, c);
  }
  ctx.restore();
  // the axes: labels of the visible rows and columns, in margins that do not scroll
  ctx.fillStyle = pal.bg;
  ctx.fillRect(0, 0, w, top);
  ctx.fillRect(0, 0, left, hgt);
  if (!lay.labels) return;
  const styled = (i) => {
    const bold = d.special[i] || (hover && (hover[0] === i || hover[1] === i));
    ctx.fillStyle = d.special[i] ? pal.special : pal.fg;
    ctx.font = `${bold ? "600 " : ""}${lay.font}px ${FONT}`;
  };
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let i = i0; i < i1; i++) {
    const y = top + i * c + c / 2 - y0;
    if (y < top) continue;
    styled(i);
    ctx.fillText(label(d.tokens[i]), left - 4, y);
  }
  ctx.textAlign = "left";
  for (let j = j0; j < j1; j++) {
    const x = left + j * c + c / 2 - x0;
    if (x < left) continue;
    styled(j);
    ctx.save();
    ctx.translate(x, top - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(label(d.tokens[j]), 0, 0);
    ctx.restore();
  }
  ctx.fillStyle = pal.faint;
  ctx.font = `10px ${FONT}`;
  ctx.textAlign = "right";
  ctx.textBaseline = "alphabetic";
  ctx.fillText("from \u2193 to \u2192", left - 2, 10);
}

// ------------------------------------------------------------------ lines
function linesLayout(d) {
  const tw = 10 + Math.ceil(widest(d.tokens, 11));
  return { n: d.n, x1: tw + 6, x2: tw + 156, tw, top: 22 };
}

function drawLines(ctx, x0, y0, w, hgt, d, lay, focus) {
  const { n, x1, x2, top } = lay;
  const pal = palette(ctx.canvas);
  const rowY = (i) => top + i * LINE_ROW + LINE_ROW / 2;
  // the lines crossing the view, grouped by opacity (16 levels): one path each
  const buckets = Array.from({ length: 16 }, () => []);
  const lo = y0 - LINE_ROW, hi = y0 + hgt + LINE_ROW;
  for (let i = 0; i < n; i++) {
    const yi = rowY(i), dim = focus !== null && focus !== i;
    for (let j = 0; j < n; j++) {
      const q = d.w[i * n + j];
      if (q < d.scale / 200) continue;  // under 0.005: invisible
      const yj = rowY(j);
      if (Math.max(yi, yj) < lo || Math.min(yi, yj) > hi) continue;
      const alpha = (q / d.scale) * (dim ? 0.12 : 1);
      buckets[Math.min(15, Math.floor(alpha * 16))].push(yi - y0, yj - y0);
    }
  }
  ctx.strokeStyle = pal.accent;
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
  ctx.textBaseline = "middle";
  const i0 = Math.max(0, Math.floor((y0 - top) / LINE_ROW));
  const i1 = Math.min(n, Math.ceil((y0 + hgt - top) / LINE_ROW));
  for (let i = i0; i < i1; i++) {
    ctx.fillStyle = d.special[i] ? pal.special : pal.fg;
    ctx.font = `${d.special[i] || focus === i ? "600 " : ""}11px ${FONT}`;
    ctx.textAlign = "right";
    ctx.fillText(label(d.tokens[i]), x1 - 4 - x0, rowY(i) - y0);
    ctx.textAlign = "left";
    ctx.fillText(label(d.tokens[i]), x2 + 4 - x0, rowY(i) - y0);
  }
  ctx.fillStyle = pal.bg;
  ctx.fillRect(0, 0, w, top - 4);
  ctx.fillStyle = pal.faint;
  ctx.font = `10px ${FONT}`;
  ctx.textAlign = "right";
  ctx.fillText("from", x1 - 4 - x0, 10);
  ctx.textAlign = "left";
  ctx.fillText("to", x2 + 4 - x0, 10);
}

// ------------------------------------------------------------------ model view
function modelView(d, config, table, open, room = 900) {
  const H = config.num_heads, cols = H + 1, t = d.t;
  // as wide as the frame (a phone), but a map stays large enough to tap (28 px)
  const size = Math.max(28, Math.min(72, Math.floor((room - 64) / cols) - 8));
  const grid = h("div", { class: "hfa-grid", role: "group",
    "aria-label": "attention of every layer and head",
    style: { gridTemplateColumns: `auto repeat(${cols}, ${size + 2}px)` } });
  grid.append(h("span"));
  for (let k = 0; k < cols; k++) grid.append(h("span", { class: "hfa-muted" }, k === H ? "mean" : `head ${k}`));
  for (let layer = 0; layer < config.num_layers; layer++) {
    grid.append(h("span", { class: "hfa-muted hfa-row" }, `layer ${layer}`));
    for (let k = 0; k < cols; k++) {
      const head = k === H ? "mean" : k;
      const canvas = h("canvas", { width: t, height: t,
        style: { width: `${size}px`, height: `${size}px` } });
      const img = new ImageData(t, t), at = (layer * cols + k) * t * t;
      for (let m = 0; m < t * t; m++) {
        const [r, g, b] = table[colourIndex(d.thumbs[at + m])];
        img.data[4 * m] = r; img.data[4 * m + 1] = g; img.data[4 * m + 2] = b; img.data[4 * m + 3] = 255;
      }
      canvas.getContext("2d").putImageData(img, 0, 0);
      const title = `${caption(layer, head, H)}: click to open its heatmap`;
      grid.append(h("button", { type: "button", class: "hfa-mini", title, "aria-label": title,
        "data-hfa-open": `${layer}|${head}`, onclick: () => open(layer, head) }, canvas));
    }
  }
  return grid;
}

// ------------------------------------------------------------------ the view
export function render({ model, el }) {
  const config = model.get("config");
  const H = config.num_heads;
  const table = config.colours.map(rgb);
  const parts = frame(el, config, { css: CSS, cls: "hfa-attn" });

  const picker = exampleControl(model);
  const text = textControl(model, "text", { label: config.pair ? "question" : "text",
    multiline: true, rows: config.pair ? 1 : 2 });
  const pair = config.pair ? textControl(model, "text_pair", { label: "context", multiline: true,
    rows: 3 }) : null;
  const view = selectControl(model, "view", config.views, { label: "view" });
  const layer = selectControl(model, "layer",
    Array.from({ length: config.num_layers }, (_, i) => [i, `layer ${i}`]), { label: "layer" });
  const head = selectControl(model, "head",
    [...Array.from({ length: H }, (_, i) => [i, `head ${i}`]), ["mean", "mean of heads"]],
    { label: "head" });
  const controls = [picker, text, pair, view, layer, head].filter(Boolean);
  parts.controls.append(...controls);
  const boxes = [text, pair].filter(Boolean);
  flushBeforeSelects(parts.controls, boxes, picker);

  const title = h("div", { class: "hfa-cap" });
  const heading = parts.root.querySelector(".hfa-title");
  const area = h("div", { class: "hfa-area" });
  const readout = h("div", { class: "hfa-readout", "aria-live": "polite" });
  const key = h("div", { class: "hfa-caption" });
  parts.body.append(title, area, readout, key);

  // drawing state: the decoded data and what the pointer is on
  let d = null, lay = null, image = null, hover = null, focus = null, shown = null, source = null;
  const scroller = scrollCanvas((ctx, x, y, w, hgt) => {  // repaints on scroll
    if (!d || !lay || shown === "model") return;
    if (shown === "lines") drawLines(ctx, x, y, w, hgt, d, lay, focus);
    else if (image) drawHeatmap(ctx, x, y, w, hgt, d, lay, image, hover);
  }, (x, y, w, hgt, tall, wide) => {  // the cue: which rows (and columns) are in view
    if (!d || !lay) return "";
    const lines = shown === "lines", row = lines ? LINE_ROW : lay.c;
    const span = (from, size, margin) => `${Math.max(0, Math.floor(from / row))}–`
      + `${Math.min(d.n, Math.ceil((from + size - margin) / row)) - 1}`;
    const rows = `${lines ? "tokens" : "rows"} ${span(y, hgt, lay.top)}`;
    const cols = `columns ${span(x, w, lay.left)}`;
    const way = tall && wide ? "down and sideways" : tall ? "down" : "sideways";
    const arrows = `${tall ? "↕" : ""}${wide ? "↔" : ""}`;
    if (lines && !tall) return `${arrows} scroll the drawing sideways for the tokens it looks at`;
    const seen = tall && wide && !lines ? `${rows} and ${cols}` : tall ? rows : cols;
    return `${arrows} ${seen} of ${d.n} in view: scroll the drawing ${way} for the others`;
  });

  const cellText = (i, j) => `from ${d.tokens[i]} [${i}] \u2192 to ${d.tokens[j]} [${j}]: `
    + f4(d.w[i * d.n + j], config.scale);
  const rowText = (i) => {
    const top = Array.from(d.w.subarray(i * d.n, (i + 1) * d.n), (q, j) => [q, j])
      .sort((a, b) => b[0] - a[0]).slice(0, 3);
    return `${d.tokens[i]} [${i}] looks most at: `
      + top.map(([q, j]) => `${d.tokens[j]} [${j}] ${f4(q, config.scale)}`).join(", ");
  };
  // the pointer: hover, and a tap or a click (a touch screen has no hover)
  const point = (event) => {
    if (!d || !lay) return;
    const [x, y] = scroller.at(event);
    if (shown === "lines") {
      const i = Math.floor((y - lay.top) / LINE_ROW);
      const on = x < lay.x1 && i >= 0 && i < d.n ? i : null;
      if (on !== focus) { focus = on; scroller.repaint(); }
      readout.textContent = on === null ? "" : rowText(on);
      return;
    }
    const i = Math.floor((y - lay.top) / lay.c), j = Math.floor((x - lay.left) / lay.c);
    const inside = x >= lay.left + scroller.box.scrollLeft && y >= lay.top + scroller.box.scrollTop
      && i >= 0 && j >= 0 && i < d.n && j < d.n;
    const next = inside ? [i, j] : null;
    if (String(next) !== String(hover)) { hover = next; scroller.repaint(); }
    readout.textContent = inside ? cellText(i, j) : "";
  };
  for (const type of ["mousemove", "pointerdown", "click"]) scroller.canvas.addEventListener(type, point);
  // the keyboard: arrows move over the cells (heatmap) or the rows (lines), Escape leaves
  scroller.canvas.tabIndex = 0;
  scroller.canvas.addEventListener("keydown", (event) => {
    if (!d || !lay || !d.n) return;
    const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[event.key];
    if (event.key === "Escape") {
      hover = null;
      focus = null;
      readout.textContent = "";
      scroller.repaint();
      return;
    }
    if (!step) return;
    event.preventDefault();
    const clamp = (v) => Math.max(0, Math.min(d.n - 1, v));
    const box = scroller.box;
    if (shown === "lines") {
      focus = clamp((focus ?? -1) + (step[0] || step[1]));
      const y = lay.top + focus * LINE_ROW;
      if (y < box.scrollTop || y + LINE_ROW > box.scrollTop + box.clientHeight) box.scrollTop = y - lay.top;
      readout.textContent = rowText(focus);
    } else {
      hover = hover ? [clamp(hover[0] + step[0]), clamp(hover[1] + step[1])] : [0, 0];
      const x = lay.left + hover[1] * lay.c, y = lay.top + hover[0] * lay.c;
      if (x - box.scrollLeft < lay.left || x + lay.c > box.scrollLeft + box.clientWidth) {
        box.scrollLeft = x - lay.left;
      }
      if (y - box.scrollTop < lay.top || y + lay.c > box.scrollTop + box.clientHeight) {
        box.scrollTop = y - lay.top;
      }
      readout.textContent = cellText(hover[0], hover[1]);
    }
    scroller.repaint();
  });
  scroller.canvas.addEventListener("mouseleave", () => {
    hover = null;
    focus = null;
    readout.textContent = "";
    scroller.repaint();
  });
  const open = (l, hd) => {
    for (const box of boxes) box.flush();
    setState(model, { view: "heatmap", layer: l, head: hd });
  };

  function draw() {
    const data = model.get("data");
    const which = model.get("state").view ?? "heatmap";
    if (!data || !data.tokens || (data === source && which === shown)) return;
    if (data !== source) {
      d = decode(data, config);
      image = null;
      source = data;
    }
    shown = which;
    hover = null;
    focus = null;
    readout.textContent = "";
    if (which === "model") {
      title.textContent = "model view: every layer and head";
      area.replaceChildren(modelView(d, config, table, open,
        area.clientWidth || parts.body.clientWidth || 900));
      key.textContent = "rows = from, columns = to; each block shows its strongest weight, "
        + "on the heatmap's shading; click a map to open its heatmap";
      return;
    }
    title.textContent = caption(d.layer, d.head, H);
    if (area.firstChild !== scroller.box) area.replaceChildren(scroller.box, scroller.cue);
    scroller.canvas.setAttribute("role", "img");
    scroller.canvas.setAttribute("aria-label", `attention ${which} of ${d.n} tokens, `
      + `${caption(d.layer, d.head, H)}; `
      + "the arrow keys move over the " + (which === "lines" ? "rows" : "cells"));
    if (which === "lines") {
      lay = linesLayout(d);
      scroller.canvas.dataset.layout = JSON.stringify({ left: 0, right: lay.x1, top: lay.top,
        row: LINE_ROW });
      key.textContent = "line opacity = weight; hover or tap a token on the left for its lines only";
      scroller.set(Math.max(lay.x2 + lay.tw + 10, 300), lay.top + d.n * LINE_ROW + 8, LINES_TALL);
    } else {
      lay = heatmapLayout(d);
      scroller.canvas.dataset.layout = JSON.stringify({ left: lay.left, top: lay.top, row: lay.c });
      image ??= cellImage(d, table);
      key.textContent = "white = 0, darkest = 1 (shade follows the square root of the weight); "
        + (lay.labels ? "hover or tap a cell for its exact weight"
          : "too many tokens to label: hover or tap a cell for its tokens and exact weight");
      scroller.set(lay.left + d.n * lay.c + 4, lay.top + d.n * lay.c + 4);
    }
  }

  const refill = exampleRefill(model, boxes);
  const redraw = () => {
    const state = model.get("state");
    refill();
    for (const c of controls) c.sync();
    if (config.title_base && heading) {  // the title names the example shown, or "your text"
      const named = `${config.title_base} (${state.example ?? "your text"})`;
      heading.textContent = named;
      if (parts.root.hasAttribute("aria-label")) parts.root.setAttribute("aria-label", named);
    }
    const isModel = (model.get("state").view ?? "heatmap") === "model";
    layer.input.disabled = isModel;
    head.input.disabled = isModel;
    showStatus(parts.status, model);
    draw();
  };
  redraw();
  model.on("change:data", redraw);
  model.on("change:status", redraw);
  model.on("change:state", redraw);
  return () => {
    for (const box of boxes) box.cancel();
    scroller.destroy();
    model.off("change:data", redraw);
    model.off("change:status", redraw);
    model.off("change:state", redraw);
  };
}
