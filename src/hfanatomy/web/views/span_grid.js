/**
 * The span-grid explorer's view (kernel and site): question and context boxes, an example
 * picker, max_answer_len, top_k, handle_impossible_answer and the window; the start x end
 * score grid of one window on a canvas; the pipeline's answer list under it.
 *
 * data (from the Python explorer's compute or compute/span_grid.js): tokens and roles of
 * the window, start/end probabilities (null token kept), best cells, the two separate
 * argmaxes, the answers over every window. The grid's cells are computed here from the
 * probabilities: cell (i, j) = p_start[i] * p_end[j] (null token zeroed) when both are
 * context tokens and i <= j < i + max_answer_len; otherwise masked, and why.
 *
 * A window has up to 384 tokens, 147,456 cells: the canvas is as large as what is seen
 * and draws only the visible cells (scrolling the box redraws), the token labels and the
 * p_start / p_end bars stay on its edges. "fit" (the zoom's default) takes the largest
 * cell that puts the whole grid in the box, down to one device pixel. Token labels are
 * never under MIN_FONT px: smaller cells label every k-th token, cells under LABEL_PX none
 * (the note line under the grid says which). The best cells' rank numbers never overlap:
 * one that finds no free spot next to its cell is left out, and the note says which.
 * Hover, tap or click a cell for its numbers.
 *
 * For tests the canvas carries data-cells (cells drawn last), data-first (first visible
 * row, column), data-cell (CSS px per token), data-origin (the grid's left, top in the
 * canvas), data-font (the labels' px, 0 without labels), data-labels (every k-th token
 * labelled, 0 for none) and data-ranks (JSON: [rank, x, y, width, height] of each rank
 * number drawn).
 */
import { exampleControl, fmt, frame, h, numberControl, onChanges, setState, showStatus,
  textControl } from "./common.js";
import { palette } from "./theme.js";
import { REASONS, TOO_LONG, VALID, cellScore, maskReason } from "../rules/spans.js";

const GAP = 4, BAR = 64;  // the gap before the bar bands, a bar band's depth (CSS px)
const HEAD = 30;  // above the column labels: the two axis lines
const COMPACT = { left: 40, top: 32, bar: 40 };  // margins of a grid without token labels
const MIN_FONT = 9, MAX_FONT = 11;  // token labels: never smaller than 9 px
const LABEL_PX = 3;  // cells under 3 px: no token labels (every 4th is the sparsest kept)
const MAX_LABEL = 100;  // the widest token label (CSS px); longer ones end in "…"
const MAX_HEIGHT = 620;  // the scroll box's largest height
const SIN60 = Math.sin(Math.PI / 3);  // column labels rise at 60 degrees
const OUTSIDE = "#c8ced6", BEFORE = "#e4e7eb";
const BLUES = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5",
  "#08519c", "#08306b"];  // matplotlib's Blues, the scale of the book's attention plots
const LABEL_FONT = "ui-monospace,Menlo,monospace";

function rgb(hex) {
  return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
}
const STOPS = BLUES.map(rgb);

/** Blues at t in [0, 1] (piecewise linear between its nine stops, as matplotlib). */
function bluesAt(t) {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(x)), f = x - k;
  const c = STOPS[k].map((v, i) => Math.round(v + f * (STOPS[k + 1][i] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** The grid's numbers from the data: { n, ctx, pStart, pEnd (null zeroed), cell(i, j), top }. */
function gridOf(data) {
  const n = data.tokens.length;
  const ctx = data.roles.map((r) => r === "context");
  const pStart = Float32Array.from(data.start_probs, (p) => p ?? 0);
  const pEnd = Float32Array.from(data.end_probs, (p) => p ?? 0);
  pStart[data.null_index] = 0;
  pEnd[data.null_index] = 0;
  const maxLen = data.max_answer_len;
  const cell = (i, j) => cellScore(pStart, pEnd, ctx, maxLen, i, j);
  const top = Math.max(data.best?.[0]?.score ?? 0, 1e-12);  // the best valid cell's score
  return { n, ctx, pStart, pEnd, cell, top, maxLen };
}

function shortToken(t, n = 10) {
  return t.length <= n ? t : `${t.slice(0, n - 1)}…`;
}

let measurer = null;
/** Each token's label at `fs` px, cut to MAX_LABEL px (Hangul is wider than Latin), and
 * the widest's width: { texts, widest }. */
function labelsAt(tokens, fs) {
  measurer ??= document.createElement("canvas").getContext("2d");
  measurer.font = `${fs}px ${LABEL_FONT}`;
  let widest = 0;
  const texts = tokens.map((t) => {
    let text = shortToken(t);
    let w = measurer.measureText(text).width;
    for (let k = text.length - 2; w > MAX_LABEL && k > 0; k--) {
      text = `${t.slice(0, k)}…`;
      w = measurer.measureText(text).width;
    }
    widest = Math.max(widest, w);
    return text;
  });
  return { texts, widest };
}

/**
 * The grid's layout at `px` CSS pixels per token: { px, fs (label px, 0: no labels),
 * stride (every k-th token labelled, 0: none), texts, left, top, bar }. Labels are
 * MIN_FONT..MAX_FONT px; a column label rises at 60 degrees, so two of them need
 * fs / sin 60 px between their columns: smaller cells label every stride-th token.
 */
function layoutAt(tokens, px, labelled, cache) {
  if (!labelled) return { px, fs: 0, stride: 0, texts: null, ...COMPACT };
  const fs = Math.max(MIN_FONT, Math.min(MAX_FONT, Math.floor(px) - 2));
  cache[fs] ??= labelsAt(tokens, fs);
  const { texts, widest } = cache[fs];
  return { px, fs, stride: Math.max(1, Math.ceil(fs / (px * SIN60))), texts,
    left: Math.max(COMPACT.left + 8, Math.ceil(widest) + 8),
    top: HEAD + Math.ceil(widest * SIN60 + fs / 2) + 4, bar: BAR };
}

/**
 * "fit": the largest cell (at most 16 px) that puts the whole grid, labels and bars, in
 * `width` x MAX_HEIGHT: labelled from 16 px down to LABEL_PX, else without labels, in
 * whole device pixels down to one (`ratio`: devicePixelRatio). Returns its layout.
 */
function fitLayout(tokens, width, ratio = 1, cache = {}) {
  const n = Math.max(tokens.length, 1);
  const fits = (lay) => lay.left + n * lay.px + GAP + lay.bar + 2 <= width
    && lay.top + n * lay.px + GAP + lay.bar + 2 <= MAX_HEIGHT;
  for (let px = 16; px >= LABEL_PX; px--) {
    const lay = layoutAt(tokens, px, true, cache);
    if (fits(lay)) return lay;
  }
  const room = Math.min(width - COMPACT.left - COMPACT.bar, MAX_HEIGHT - COMPACT.top - COMPACT.bar)
    - GAP - 2;
  const px = Math.min(16, Math.max(1, Math.floor((room / n) * ratio)) / ratio);
  return layoutAt(tokens, px, false, cache);
}

const pack = ([r, g, b]) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;  // RGBA bytes, little-endian
const LEVELS = 256;
const LUT = Uint32Array.from({ length: LEVELS }, (_, k) => pack(
  bluesAt(0.1 + 0.9 * (k / (LEVELS - 1))).slice(4, -1).split(",").map(Number)));
const FILL = [0, pack(rgb(OUTSIDE)), pack(rgb(BEFORE)), pack(rgb("#f6f8fa"))];
const HATCH = pack(rgb("#8c959f")), LINE = pack([255, 255, 255]);

/**
 * The visible cells, pixel by pixel into an ImageData (one putImageData, whatever the
 * zoom): rows i0..i1, columns j0..j1 of the grid scrolled by (sx, sy), in a w x h CSS px
 * area at (left, top). Valid cells take Blues at 0.1 + 0.9 sqrt(score / best), too-long
 * cells a hatch, cells of 6 px or more a white line on their top and left edge. Returns
 * how many cells it drew.
 */
function paintCells(c, grid, { px, sx, sy, ratio, i0, i1, j0, j1, w, h, left, top }) {
  const W = Math.max(1, Math.round(w * ratio)), H = Math.max(1, Math.round(h * ratio));
  const img = c.createImageData(W, H);
  const buf = new Uint32Array(img.data.buffer);
  const { ctx, cell, top: best, maxLen } = grid;
  const colOf = new Int32Array(W), colEdge = new Uint8Array(W);
  for (let x = 0; x < W; x++) {
    const u = x / ratio + sx;
    colOf[x] = Math.max(0, Math.min(j1 - 1, Math.floor(u / px)) - j0);
    colEdge[x] = px >= 6 && (u % px) < 1 / ratio + 1e-9 ? 1 : 0;
  }
  const nCols = j1 - j0;
  const colors = new Uint32Array(nCols), reasons = new Uint8Array(nCols);
  const hatchPeriod = Math.max(3, Math.round(5 * ratio));
  let row = -1;
  for (let y = 0; y < H; y++) {
    const v = y / ratio + sy;
    const i = Math.max(i0, Math.min(i1 - 1, Math.floor(v / px)));
    if (i !== row) {  // the colours of row i, once per row
      row = i;
      for (let k = 0; k < nCols; k++) {
        const j = j0 + k;
        const r = maskReason(ctx, maxLen, i, j);
        reasons[k] = r;
        colors[k] = r ? FILL[r] : LUT[Math.min(LEVELS - 1, Math.round(Math.sqrt(cell(i, j) / best) * (LEVELS - 1)))];
      }
    }
    const rowEdge = px >= 6 && (v % px) < 1 / ratio + 1e-9;
    const base = y * W;
    for (let x = 0; x < W; x++) {
      const k = colOf[x];
      let color = colors[k];
      if (reasons[k] === TOO_LONG && (x + y) % hatchPeriod === 0) color = HATCH;
      if ((rowEdge || colEdge[x]) && reasons[k] === VALID) color = LINE;
      buf[base + x] = color;
    }
  }
  c.putImageData(img, Math.round(left * ratio), Math.round(top * ratio));
  return (i1 - i0) * nCols;
}

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Where each best cell's rank number goes: beside its cell (right, left, above, below,
 * then the corners), on no other number and no other outlined cell, inside `area`. The
 * best one is always numbered; a number with no free spot is left out. cells: the best
 * cells' rectangles; width(rank): the number's width. Returns { placed: [{rank, x, y, w,
 * h}], skipped: [ranks] } (cells outside the area are neither).
 */
function placeRanks(cells, width, area, height = 11) {
  const placed = [], skipped = [];
  cells.forEach((cell, k) => {
    const seen = cell.x + cell.w > area.x && cell.x < area.x + area.w
      && cell.y + cell.h > area.y && cell.y < area.y + area.h;
    if (!seen) return;
    const w = width(k + 1), hh = height, { x, y } = cell, s = cell.w;
    const spots = [[x + s + 2, y + s / 2 - hh / 2], [x - w - 2, y + s / 2 - hh / 2],
      [x + s / 2 - w / 2, y - hh - 2], [x + s / 2 - w / 2, y + s + 2],
      [x + s + 2, y - hh - 1], [x + s + 2, y + s + 1], [x - w - 2, y - hh - 1],
      [x - w - 2, y + s + 1]].map(([sx, sy]) => ({ rank: k + 1, x: sx, y: sy, w, h: hh }));
    const free = (r) => r.x >= area.x && r.y >= area.y && r.x + r.w <= area.x + area.w
      && r.y + r.h <= area.y + area.h && placed.every((p) => !overlaps(p, r))
      && cells.every((q, m) => m === k || !overlaps({ x: q.x - 1, y: q.y - 1, w: q.w + 2, h: q.h + 2 }, r));
    const spot = spots.find(free) ?? (k === 0 ? spots.find((r) => placed.every((p) => !overlaps(p, r)))
      ?? spots[0] : null);
    if (spot) placed.push(spot);
    else skipped.push(k + 1);
  });
  return { placed, skipped };
}

const ORDINAL = ["", "", "2nd", "3rd"];
const nth = (k) => ORDINAL[k] ?? `${k}th`;
const pxText = (px) => String(Number(px.toFixed(2)));

/**
 * The scrollable grid: { el, canvas, box, draw(data), setCell(px | "fit"), reveal(i, j),
 * destroy() }. A sizer gives the scroll box the grid's full size; a sticky canvas the size
 * of the box paints what is seen, again on each scroll (one animation frame) and resize.
 * onHover(data, grid, i, j) gives the tooltip's text (i or j null off the grid); the
 * pointer's hover, a tap or a click shows it.
 */
function gridBox(onHover) {
  const canvas = h("canvas", { class: "hfa-sg-canvas", role: "img",
    "aria-label": "start by end span score grid" });
  canvas.style.position = "sticky";
  canvas.style.left = "0";
  canvas.style.top = "0";
  const sizer = h("div", { class: "hfa-sg-sizer" }, canvas);
  const box = h("div", { class: "hfa-sg-scroll",
    style: { overflow: "auto", maxWidth: "100%", maxHeight: `${MAX_HEIGHT}px`,
      border: "1px solid var(--hfa-hover)", position: "relative" } }, sizer);
  const tip = h("div", { class: "hfa-sg-tip", hidden: true, style: { position: "absolute",
    pointerEvents: "none", background: "var(--hfa-bg)", border: "1px solid var(--hfa-border)",
    borderRadius: "4px", padding: "2px 6px", fontSize: "12px", whiteSpace: "pre-wrap",
    overflowWrap: "anywhere", maxWidth: "min(260px, 90%)", boxSizing: "border-box", zIndex: 2,
    boxShadow: "0 1px 3px var(--hfa-shadow)" } });
  const seen = h("div", { class: "hfa-note hfa-sg-seen", style: { marginTop: "2px" } });
  const el = h("div", { style: { position: "relative" } }, box, tip, seen);
  let data = null, grid = null, lay = null, auto = true, manual = 8, ratio = 1, frameReq = 0;
  let cache = {};  // token labels per font size, for the data drawn

  const width = () => box.clientWidth || 700;
  const relayout = () => {
    ratio = globalThis.devicePixelRatio || 1;
    lay = auto ? fitLayout(data.tokens, width(), ratio, cache)
      : layoutAt(data.tokens, manual, manual >= LABEL_PX, cache);
  };

  /** Sizes in CSS px: the whole grid (width, height), what is seen (viewW, viewH) and its
   * grid part (gw, gh). Sets the sizer first: the box's client size depends on it. */
  const geometry = () => {
    const n = grid.n, { px, left, top, bar } = lay;
    const wide = left + n * px + GAP + bar, tall = top + n * px + GAP + bar;
    if (sizer.style.width !== `${wide}px`) sizer.style.width = `${wide}px`;
    if (sizer.style.height !== `${tall}px`) sizer.style.height = `${tall}px`;
    const viewW = Math.max(left + bar + px, Math.min(wide, box.clientWidth || wide));
    const viewH = Math.max(top + bar + px, Math.min(tall, box.clientHeight || Math.min(tall, MAX_HEIGHT)));
    const gw = viewW - left - GAP - bar, gh = viewH - top - GAP - bar;
    return { n, width: wide, height: tall, viewW, viewH, gw: Math.min(gw, n * px),
      gh: Math.min(gh, n * px) };
  };

  /** The scroll offsets that apply (a box larger than the grid does not scroll). */
  const scrolled = (g) => [Math.min(box.scrollLeft, Math.max(0, g.width - g.viewW)),
    Math.min(box.scrollTop, Math.max(0, g.height - g.viewH))];

  const paint = () => {
    frameReq = 0;
    if (!data) return;
    const t0 = performance.now();
    const g = geometry();
    const { px, left, top, fs, stride, texts } = lay;
    if (canvas.width !== Math.round(g.viewW * ratio) || canvas.height !== Math.round(g.viewH * ratio)) {
      canvas.width = Math.round(g.viewW * ratio);
      canvas.height = Math.round(g.viewH * ratio);
      canvas.style.width = `${g.viewW}px`;
      canvas.style.height = `${g.viewH}px`;
    }
    const c = canvas.getContext("2d");
    const pal = palette(canvas);
    const second = (canvas.isConnected && getComputedStyle(canvas).getPropertyValue("--hfa-warn").trim())
      || "#9a6700";  // the other best cells: the theme's warning colour
    const role = { question: pal.question, context: pal.fg, special: pal.special, pad: pal.faint };
    c.setTransform(ratio, 0, 0, ratio, 0, 0);
    c.clearRect(0, 0, g.viewW, g.viewH);
    const [sx, sy] = scrolled(g);
    const j0 = Math.floor(sx / px), j1 = Math.min(g.n, Math.ceil((sx + g.gw) / px - 1e-9));
    const i0 = Math.floor(sy / px), i1 = Math.min(g.n, Math.ceil((sy + g.gh) / px - 1e-9));
    const X = (j) => left + j * px - sx, Y = (i) => top + i * px - sy;
    const area = { x: left, y: top, w: g.gw, h: g.gh };
    c.save();
    c.beginPath();
    c.rect(left, top, g.gw, g.gh);
    c.clip();
    const cells = paintCells(c, grid, { px, sx, sy, ratio, i0, i1, j0, j1, w: g.gw, h: g.gh,
      left, top });
    // where two separate argmaxes point
    const ai = data.argmax_start, aj = data.argmax_end;
    if (ai < g.n && aj < g.n) {
      const cx = X(aj) + px / 2, cy = Y(ai) + px / 2, r = Math.max(3, Math.min(6, px / 2));
      c.strokeStyle = pal.error;
      c.lineWidth = 2.2;
      c.beginPath();
      c.moveTo(cx - r, cy - r); c.lineTo(cx + r, cy + r);
      c.moveTo(cx - r, cy + r); c.lineTo(cx + r, cy - r);
      c.stroke();
    }
    // the best cells, outlined, then their rank numbers where they do not collide
    const best = data.best ?? [];
    const boxes = best.map((b) => ({ x: X(b.end_token), y: Y(b.start_token), w: px, h: px }));
    boxes.forEach((b, k) => {
      c.strokeStyle = k === 0 ? pal.error : second;
      c.lineWidth = k === 0 ? 2.5 : 1.5;
      c.strokeRect(b.x, b.y, b.w, b.h);
    });
    c.font = "bold 10px system-ui,sans-serif";
    c.textBaseline = "middle";
    c.textAlign = "left";
    const ranks = placeRanks(boxes, (rank) => Math.ceil(c.measureText(String(rank)).width) + 2, area);
    for (const r of ranks.placed) {
      c.fillStyle = pal.bg;
      c.globalAlpha = 0.85;
      c.fillRect(r.x, r.y, r.w, r.h);
      c.globalAlpha = 1;
      c.fillStyle = r.rank === 1 ? pal.error : second;
      c.fillText(String(r.rank), r.x + 1, r.y + r.h / 2 + 0.5);
    }
    c.restore();
    c.strokeStyle = pal.faint;
    c.lineWidth = 1;
    c.strokeRect(left - 0.5, top - 0.5, g.gw + 1, g.gh + 1);
    // token labels (every stride-th: rows at the left, columns on top) and the bars
    const pmax = Math.max(...data.start_probs.map((p) => p ?? 0),
      ...data.end_probs.map((p) => p ?? 0), 1e-12);
    const inset = px > 4 ? 1 : 0;
    c.save();
    c.beginPath();
    c.rect(0, top, g.viewW, g.gh);
    c.clip();
    c.font = `${fs}px ${LABEL_FONT}`;
    c.textAlign = "right";
    c.textBaseline = "middle";
    for (let i = i0; i < i1; i++) {
      if (stride && i % stride === 0) {
        c.fillStyle = role[data.roles[i]] ?? pal.fg;
        c.fillText(texts[i], left - 4, Y(i) + px / 2);
      }
      const p = data.start_probs[i] ?? 0;
      c.fillStyle = pal.good;
      c.fillRect(left + g.gw + GAP, Y(i) + inset, Math.max(0.5, (p / pmax) * (lay.bar - 8)),
        Math.max(1 / ratio, px - 2 * inset));
    }
    c.restore();
    c.save();
    c.beginPath();
    c.rect(left, 0, g.viewW - left, g.viewH);
    c.clip();
    c.font = `${fs}px ${LABEL_FONT}`;
    c.textAlign = "left";
    c.textBaseline = "middle";
    for (let j = j0; j < j1; j++) {
      if (stride && j % stride === 0) {
        c.save();
        c.translate(X(j) + px / 2, top - 4);
        c.rotate(-Math.PI / 3);
        c.fillStyle = role[data.roles[j]] ?? pal.fg;
        c.fillText(texts[j], 0, 0);
        c.restore();
      }
    }
    c.restore();
    c.save();
    c.beginPath();
    c.rect(left, top, g.gw, g.viewH - top);
    c.clip();
    for (let j = j0; j < j1; j++) {
      const p = data.end_probs[j] ?? 0;
      c.fillStyle = pal.special;
      c.fillRect(X(j) + inset, top + g.gh + GAP, Math.max(1 / ratio, px - 2 * inset),
        Math.max(0.5, (p / pmax) * (lay.bar - 8)));
    }
    c.restore();
    c.font = "10px system-ui,sans-serif";
    c.textBaseline = "alphabetic";
    c.textAlign = "left";
    c.fillStyle = pal.good;
    c.fillText("p_start", left + g.gw + GAP, top + g.gh + GAP + 12);
    c.fillStyle = pal.special;
    c.textAlign = "right";
    c.fillText("p_end", left - 4, top + g.gh + GAP + 12);
    c.fillStyle = pal.muted;
    c.textAlign = "left";
    c.font = "11px system-ui,sans-serif";
    c.fillText("end token →", 4, 12);
    c.fillText("start token ↓", 4, 26);
    // the note line: what is in view, which labels, which rank numbers are left out
    const all = i1 - i0 >= g.n && j1 - j0 >= g.n;
    const notes = [all ? `${g.n} x ${g.n} cells at ${pxText(px)} px, all in view`
      : `${g.n} x ${g.n} cells at ${pxText(px)} px: showing start tokens ${i0}–${i1 - 1} and end `
        + `tokens ${j0}–${j1 - 1}; scroll the grid${auto ? "" : ", or zoom out"}`];
    if (!stride) {
      notes.push(`no token labels (cells of ${pxText(px)} px are too small for a legible one): `
        + "hover or tap a cell for its tokens, or zoom in");
    } else if (stride > 1) {
      notes.push(`labels on every ${nth(stride)} token (${MIN_FONT} px is the smallest legible `
        + "label): hover or tap a cell for its tokens, or zoom in");
    }
    if (ranks.skipped.length) {
      notes.push(`rank${ranks.skipped.length > 1 ? "s" : ""} ${ranks.skipped.join(", ")} not `
        + "numbered (too close to the others): hover or tap the outlined cells");
    }
    seen.textContent = notes.join(" · ");
    canvas.dataset.cells = String(cells);
    canvas.dataset.first = `${i0},${j0}`;
    canvas.dataset.cell = pxText(px);
    canvas.dataset.origin = `${left},${top}`;
    canvas.dataset.font = String(fs);
    canvas.dataset.labels = String(stride);
    canvas.dataset.ranks = JSON.stringify(ranks.placed.map((r) => [r.rank, r.x, r.y, r.w, r.h]));
    canvas.dataset.ms = (performance.now() - t0).toFixed(2);
  };

  const request = () => {
    if (!frameReq) frameReq = requestAnimationFrame(paint);
  };
  box.addEventListener("scroll", request, { passive: true });

  /** The cell under the pointer (or a label / bar), in token positions. */
  const at = (event) => {
    const rect = canvas.getBoundingClientRect();
    const x = event.clientX - rect.left, y = event.clientY - rect.top;
    const g = geometry();
    const [sx, sy] = scrolled(g);
    const inX = x >= lay.left && x < lay.left + g.gw;
    const inY = y >= lay.top && y < lay.top + g.gh;
    const j = inX ? Math.min(g.n - 1, Math.floor((x - lay.left + sx) / lay.px)) : null;
    const i = inY ? Math.min(g.n - 1, Math.floor((y - lay.top + sy) / lay.px)) : null;
    const outer = el.getBoundingClientRect();
    return { i, j, x: event.clientX - outer.left, y: event.clientY - outer.top };
  };
  /** The tooltip of what is under the pointer: on hover, and on a tap or a click (a touch
   * screen has no hover). */
  const point = (event) => {
    if (!data) return;
    const { i, j, x, y } = at(event);
    const text = onHover(data, grid, i, j);
    tip.hidden = !text;
    if (text) {
      tip.textContent = text;
      tip.style.left = `${Math.max(0, Math.min(x + 14, el.clientWidth - tip.offsetWidth - 2))}px`;
      tip.style.top = `${y + 16}px`;
    }
  };
  canvas.addEventListener("mousemove", point);
  canvas.addEventListener("pointerdown", point);
  canvas.addEventListener("click", point);
  canvas.addEventListener("mouseleave", () => { tip.hidden = true; });
  const refit = () => {  // a new width (a notebook's output attached, a window resized)
    if (auto && data) relayout();
    request();
  };
  const ro = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(refit);
  ro?.observe(box);

  return {
    el,
    canvas,
    box,
    /** Draw new data; the cell size fits the box unless the reader zoomed. */
    draw(newData) {
      if (newData.tokens !== data?.tokens) cache = {};
      data = newData;
      grid = gridOf(data);
      relayout();
      paint();
    },
    setCell(value) {
      auto = value === "fit";
      if (!auto) manual = Number(value);
      if (data) {
        relayout();
        paint();
      }
    },
    /** Scroll so that cell (row i, column j) is in view (if it is not already). */
    reveal(i, j) {
      if (!data) return;
      const g = geometry(), px = lay.px;
      const sx = box.scrollLeft, sy = box.scrollTop;
      if (j * px < sx || (j + 1) * px > sx + g.gw) box.scrollLeft = Math.max(0, j * px - g.gw / 2);
      if (i * px < sy || (i + 1) * px > sy + g.gh) box.scrollTop = Math.max(0, i * px - g.gh / 2);
      paint();
    },
    destroy() {
      ro?.disconnect();
      if (frameReq) cancelAnimationFrame(frameReq);
    },
  };
}

/** The tooltip of a cell, a row label or a column label. */
function hoverText(data, grid, i, j) {
  const tok = (k) => `${k} ${JSON.stringify(data.tokens[k])} (${data.roles[k]})`;
  if (i != null && j != null) {
    const r = maskReason(grid.ctx, grid.maxLen, i, j);
    const head = `start ${tok(i)}\nend ${tok(j)}\n`;
    if (r) return head + REASONS[r];
    const rank = (data.best ?? []).findIndex((b) => b.start_token === i && b.end_token === j);
    return `${head}p_start ${fmt(grid.pStart[i], 4)} × p_end ${fmt(grid.pEnd[j], 4)} = `
      + `${fmt(grid.cell(i, j), 4)}` + (rank >= 0 ? `\nrank ${rank + 1} of this window's best` : "");
  }
  if (i != null) return `${tok(i)}\np_start = ${fmt(data.start_probs[i] ?? 0, 4)}`;
  if (j != null) return `${tok(j)}\np_end = ${fmt(data.end_probs[j] ?? 0, 4)}`;
  return "";
}

function legend() {
  const sw = (background) => h("span", { style: { display: "inline-block", width: "11px",
    height: "11px", border: "1px solid var(--hfa-border)", verticalAlign: "-1px", background } });
  return h("div", { class: "hfa-note", style: { margin: "0 0 4px" } },
    sw("#2f7ebc"), " valid span (shade ∝ √score) · ", sw(OUTSIDE),
    " start or end outside the context · ", sw(BEFORE), " end before start · ",
    sw("repeating-linear-gradient(45deg,#8c959f 0 1.4px,#f6f8fa 1.4px 4px)"),
    " longer than max_answer_len · ", h("b", { style: { color: "var(--hfa-error)" } }, "1"),
    " best span · ", h("b", { style: { color: "var(--hfa-error)" } }, "×"), " two separate argmaxes");
}

/** The answer list (the pipeline's answers over all windows), rows clickable to their cell;
 * the answers and where they come from wrap (a phone), the numbers do not. */
function answersTable(data, onPick) {
  const wrap = { whiteSpace: "pre-wrap", overflowWrap: "anywhere", maxWidth: "28em", minWidth: "4em" };
  const rows = (data.answers ?? []).map((a, k) => {
    const isNull = a.window === null || a.window === undefined;
    const where = isNull ? "null answer" : `window ${a.window + 1}, tokens ${a.start_token}..${a.end_token}`;
    return h("tr", { "data-answer": String(k), style: { cursor: isNull ? "default" : "pointer" },
      onclick: () => (isNull ? null : onPick(a)) },
    h("td", {}, String(k + 1)),
    h("td", { style: wrap }, JSON.stringify(a.text)),
    h("td", {}, fmt(a.score, 4)), h("td", {}, `${a.start}..${a.end}`),
    h("td", { style: { whiteSpace: "normal" } }, where + (a.merged > 1 ? ` · ${a.merged} spans merged` : "")));
  });
  return h("table", { class: "hfa-table hfa-sg-answers" },
    h("tr", {}, ["rank", "answer", "score", "characters", "from"].map((t) => h("th", {}, t))),
    rows.length ? rows : h("tr", {}, h("td", { colspan: "5" }, "no answer")));
}

function summary(data) {
  const best = data.best?.[0]?.score ?? 0;
  const i = data.argmax_start, j = data.argmax_end;
  const naive = `separate argmaxes: start ${i} ${JSON.stringify(data.tokens[i] ?? "")}, end ${j} `
    + `${JSON.stringify(data.tokens[j] ?? "")}${j < i ? " (end before start: no span at all)" : ""}`;
  return h("div", { class: "hfa-note hfa-sg-summary" },
    `null score of this window p_start[${data.null_index}] × p_end[${data.null_index}] = `
    + `${fmt(data.null_score, 4)} (${data.null_score > best ? "beats" : "loses to"} its best span; `
    + `the answers' null answer takes the smallest over the windows, ${fmt(data.null_answer_score, 4)}, `
    + `and counts only with handle_impossible_answer) · ${naive} · window ${data.window + 1} of `
    + `${data.num_windows}`);
}

/** anywidget's render: the whole explorer in el; returns the cleanup. */
export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config, { cls: "hfa-span-grid" });
  const limits = config.limits ?? {};
  const example = exampleControl(model);
  const question = textControl(model, "question", { label: "question" });
  const context = textControl(model, "context", { label: "context", multiline: true, rows: 3 });
  const maxLen = numberControl(model, "max_answer_len", { label: "max_answer_len", min: 1,
    max: limits.max_answer_len ?? 30 });
  const topK = numberControl(model, "top_k", { label: "top_k", min: 1, max: limits.top_k ?? 10 });
  const hia = h("input", { type: "checkbox", "data-hfa-control": "handle_impossible_answer" });
  hia.checked = Boolean(model.get("state").handle_impossible_answer);
  hia.addEventListener("change", () => setState(model, { handle_impossible_answer: hia.checked }));
  const hiaLabel = h("label", {}, hia, h("span", {}, "handle_impossible_answer"));
  const windowSelect = h("select", { "data-hfa-control": "window" });
  windowSelect.addEventListener("change", () => setState(model, { window: Number(windowSelect.value) }));
  const windowLabel = h("label", {}, h("span", {}, "window"), windowSelect);
  const zoom = h("select", { "data-hfa-control": "zoom", title: "pixels per token" },
    ["fit", "2", "4", "6", "8", "12", "16", "20"].map((v) => h("option", { value: v },
      v === "fit" ? "fit" : `${v} px`)));
  zoom.addEventListener("change", () => grid.setCell(zoom.value));
  parts.controls.append(example, question, context, maxLen, topK, hiaLabel, windowLabel,
    h("label", {}, h("span", {}, "zoom"), zoom));

  const question_line = h("div", { class: "hfa-sg-question", style: { marginBottom: "2px" } });
  const grid = gridBox(hoverText);
  const below = h("div", { class: "hfa-sg-below" });
  parts.body.append(legend(), question_line, grid.el, below);

  let shown = null, pending = null;  // pending: [window, start, end] to reveal once drawn
  const pick = (a) => {
    if (a.window !== model.get("data").window) {
      pending = [a.window, a.start_token, a.end_token];
      setState(model, { window: a.window });
    } else {
      grid.reveal(a.start_token, a.end_token);
    }
  };

  const redraw = () => {
    const state = model.get("state"), data = model.get("data");
    for (const c of [example, question, context, maxLen, topK]) c.sync();
    if (document.activeElement !== hia) hia.checked = Boolean(state.handle_impossible_answer);
    showStatus(parts.status, model);
    if (!data || data === shown) return;
    const first = shown === null || shown.tokens.length !== data.tokens.length
      || shown.window !== data.window;
    shown = data;
    windowSelect.replaceChildren(...Array.from({ length: data.num_windows }, (_, k) => h("option",
      { value: String(k) }, `${k + 1} of ${data.num_windows}` + (data.windows?.[k]
        ? ` (characters ${data.windows[k][0]}..${data.windows[k][1]})` : ""))));
    windowSelect.value = String(data.window);
    windowLabel.style.display = data.num_windows < 2 ? "none" : "";  // CSS would beat `hidden`
    question_line.replaceChildren(h("b", {}, "Q: "), state.question ?? "");
    grid.draw(data);
    if (pending && pending[0] === data.window) grid.reveal(pending[1], pending[2]);
    else if (first && data.best?.length) grid.reveal(data.best[0].start_token, data.best[0].end_token);
    pending = null;
    below.replaceChildren(h("div", { class: "hfa-seqhead" }, "Answers (the pipeline's, over every window)"),
      answersTable(data, pick), summary(data));
  };
  const off = onChanges(model, redraw);
  redraw();
  return () => {
    off();
    grid.destroy();
  };
}
