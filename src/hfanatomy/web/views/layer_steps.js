/**
 * The "one layer, step by step" explorer's view (bertviz's neuron view, stepping through
 * the installed transformers source of one encoder layer): for one text, layer, head, query
 * token (the one that looks) and key token (the one it looks at), every number the layer
 * computes, beside the lines of transformers that compute it.
 *
 * Controls: the example picker; the text box (question and context boxes for a QA model,
 * config.pair); "batch with", a second text in the same batch (a longer one pads the
 * followed text, and the additive mask appears); the layer and head selects; two rows of
 * token chips, one to choose the query and one to choose the key (padding dashed). They set
 * the state, which is recomputed.
 *
 * The drawing: a stepper over config.steps (numbered buttons, Previous / Next above the
 * step, Previous / Next under it; which step is shown is the view's own, not the state's).
 * A step shows its title, its tensors' shapes ("(B, H, L, d) = (1, 4, 9, 32)"), the
 * installed source lines (a box that scrolls sideways on a phone, and says so), and its
 * numbers: vectors as strips of cells on a diverging scale of theme colours (blue > 0,
 * red < 0, the card's background at 0; each strip on its own scale), matrices as grids
 * (rows = tokens, the key's row marked), per-token values as bars. A cell's exact value
 * shows on hover (title), and on a tap or with the arrow keys in the readout line under
 * its figure (a touch screen has no hover). Long token lists scroll in their own boxes,
 * the chosen query / key in view.
 *
 * data: hfanatomy.explorers.layer_steps.LayerStepsExplorer.compute (Python)
 *       = compute/layer_steps.js (JS).
 */
import { exampleControl, exampleRefill, flushBeforeSelects, fmt, frame, h, onChanges,
  selectControl, setState, showStatus, textControl } from "./common.js";
import { tapReadout } from "./readout.js";

const CSS = `
.hfa-explorer .hfa-ls-tokens{margin:2px 0 6px}
.hfa-explorer .hfa-ls-tokrow{display:flex;gap:6px;align-items:flex-start;margin:2px 0}
.hfa-explorer .hfa-ls-tokrow > .hfa-ls-role{flex:0 0 4.5em;color:var(--hfa-muted);font-size:12px;padding-top:3px}
.hfa-explorer .hfa-ls-chips{display:flex;flex-wrap:wrap;gap:3px;min-width:0;flex:1;max-height:9.5em;overflow-y:auto;
 position:relative}
.hfa-explorer button.hfa-chip{cursor:pointer;color:var(--hfa-fg);line-height:1.3;max-width:12em;overflow:hidden;
 text-overflow:ellipsis}
.hfa-explorer button.hfa-chip.hfa-ls-on{background:var(--hfa-accent);border-color:var(--hfa-accent);color:var(--hfa-bg);
 font-weight:600}
.hfa-explorer button.hfa-chip.hfa-ls-on sub{color:var(--hfa-bg)}
.hfa-explorer .hfa-ls-nav{display:flex;flex-wrap:wrap;gap:3px;align-items:center;margin:8px 0 4px}
.hfa-explorer .hfa-ls-nav button{min-width:1.9em;padding:2px 5px;font-size:13px}
.hfa-explorer .hfa-ls-foot{border-top:1px solid var(--hfa-border);padding-top:6px;gap:8px}
.hfa-explorer .hfa-ls-foot .hfa-ls-where{color:var(--hfa-muted);font-size:12px}
.hfa-explorer .hfa-ls-nav button[aria-current="step"]{background:var(--hfa-accent);color:var(--hfa-bg);
 border-color:var(--hfa-accent);font-weight:600}
.hfa-explorer .hfa-ls-nav button:disabled{opacity:.45;cursor:default}
.hfa-explorer .hfa-ls-step{border-top:1px solid var(--hfa-border);padding-top:6px;min-width:0}
.hfa-explorer .hfa-ls-step h4{margin:2px 0 4px;font-size:14px}
.hfa-explorer .hfa-ls-shape{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;
 color:var(--hfa-muted);overflow-wrap:anywhere}
.hfa-explorer .hfa-ls-what{margin:4px 0;overflow-wrap:anywhere}
.hfa-explorer .hfa-ls-src{margin:6px 0}
.hfa-explorer .hfa-ls-cap{font-size:11.5px;color:var(--hfa-muted);overflow-wrap:anywhere}
.hfa-explorer .hfa-ls-cap b{color:var(--hfa-fg);font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-weight:600}
.hfa-explorer pre.hfa-ls-code{margin:2px 0;padding:4px 6px;background:var(--hfa-subtle);border:1px solid var(--hfa-border);
 border-radius:4px;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre;overflow-x:auto;max-width:100%;
 box-sizing:border-box}
.hfa-explorer pre.hfa-ls-code .hfa-ls-ln{display:inline-block;min-width:3ch;text-align:right;margin-right:1.2ch;
 color:var(--hfa-faint);user-select:none}
.hfa-explorer .hfa-ls-fig{margin:8px 0 2px;min-width:0}
.hfa-explorer .hfa-ls-label{font-size:12px;margin-bottom:2px;overflow-wrap:anywhere}
.hfa-explorer .hfa-ls-label .hfa-mono{font-size:12px}
.hfa-explorer .hfa-ls-label .hfa-ls-range{color:var(--hfa-faint)}
.hfa-explorer .hfa-ls-step{container-type:inline-size}
.hfa-explorer .hfa-ls-strip{display:grid;gap:1px;padding:1px;border:1px solid var(--hfa-border);width:fit-content;
 max-width:100%;box-sizing:border-box;grid-template-columns:repeat(var(--hfa-ls-narrow), minmax(3px, 12px))}
@container (min-width: 760px){.hfa-explorer .hfa-ls-strip{grid-template-columns:repeat(var(--hfa-ls-wide), minmax(3px, 11px))}}
.hfa-explorer .hfa-ls-strip .hfa-ls-c{height:14px}
.hfa-explorer .hfa-ls-grid{display:grid;gap:1px;justify-content:start;align-items:center;max-height:22em;
 overflow-y:auto;overflow-x:hidden;max-width:100%;padding:1px;position:relative}
.hfa-explorer .hfa-ls-grid .hfa-ls-c{height:14px}
.hfa-explorer .hfa-ls-rowname{font:11.5px ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre;overflow:hidden;
 text-overflow:ellipsis;max-width:9em;padding-right:4px;text-align:right}
.hfa-explorer .hfa-ls-rowname.hfa-ls-sp{color:var(--hfa-special)}
.hfa-explorer .hfa-ls-rowname.hfa-ls-padrow{color:var(--hfa-faint);text-decoration:line-through}
.hfa-explorer .hfa-ls-rowname.hfa-ls-mark{font-weight:700;color:var(--hfa-accent)}
.hfa-explorer .hfa-ls-c.hfa-ls-mark{box-shadow:inset 0 1px 0 var(--hfa-fg),inset 0 -1px 0 var(--hfa-fg)}
.hfa-explorer .hfa-ls-c.hfa-ls-slice{box-shadow:inset 0 -2px 0 var(--hfa-fg)}
.hfa-explorer .hfa-ls-c.hfa-picked{outline:2px solid var(--hfa-fg);outline-offset:0;position:relative;z-index:1}
.hfa-explorer .hfa-ls-bars{display:grid;grid-template-columns:minmax(0,max-content) minmax(4em,1fr) max-content;gap:1px 6px;
 align-items:center;max-height:30em;overflow-y:auto;overflow-x:hidden;max-width:36em;font-size:12px;position:relative}
.hfa-explorer .hfa-ls-bars.hfa-ls-four{grid-template-columns:minmax(0,max-content) max-content minmax(4em,1fr) max-content}
.hfa-explorer .hfa-ls-bars .hfa-ls-num{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;text-align:right;white-space:nowrap}
.hfa-explorer .hfa-ls-bar{height:12px;background:var(--hfa-subtle);border:1px solid var(--hfa-border);box-sizing:border-box}
.hfa-explorer .hfa-ls-bar > span{display:block;height:100%;background:var(--hfa-accent)}
.hfa-explorer .hfa-ls-bars .hfa-ls-mark{font-weight:700}
.hfa-explorer .hfa-ls-bars .hfa-ls-padrow{color:var(--hfa-faint)}
.hfa-explorer .hfa-ls-sums{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 10px;margin:6px 0;
 font-size:12.5px}
.hfa-explorer .hfa-ls-sums > :nth-child(odd){font-family:ui-monospace,SFMono-Regular,Menlo,monospace;white-space:nowrap}
.hfa-explorer .hfa-ls-sums > :nth-child(even){overflow-wrap:anywhere;min-width:0}
.hfa-explorer .hfa-ls-total{font-weight:700}
.hfa-explorer .hfa-ls-maskrow{display:flex;flex-wrap:wrap;gap:3px;margin:2px 0}
.hfa-explorer .hfa-ls-maskrow .hfa-chip.hfa-ls-dropped{color:var(--hfa-error);border-color:var(--hfa-error)}
.hfa-explorer .hfa-ls-maskrow .hfa-chip.hfa-ls-mark{outline:2px solid var(--hfa-accent)}
.hfa-explorer .hfa-ls-legend{display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center;font-size:11.5px;
 color:var(--hfa-muted);margin:4px 0}
.hfa-explorer .hfa-ls-legend .hfa-ls-c{display:inline-block;width:10px;height:12px;border:1px solid var(--hfa-border)}
.hfa-explorer .hfa-ls-fig .hfa-readout{font-size:12px;min-height:1.3em;color:var(--hfa-fg);overflow-wrap:anywhere}
.hfa-explorer .hfa-ls-top{border-collapse:collapse;font-size:12px;margin:2px 0}
.hfa-explorer .hfa-ls-top td{padding:1px 8px 1px 0;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
`;

/** The letters of each shape in data.shapes. */
const SHAPES = { hidden: "B, L, D", heads: "B, H, L, d", scores: "B, H, L, L",
  context: "B, L, D", intermediate: "B, L, I" };

/** Which shapes each step (config.steps[].id) names, in order. */
const STEP_SHAPES = { hidden: ["hidden"], qkv: ["hidden", "heads"], score: ["heads", "scores"],
  softmax: ["scores"], context: ["heads", "context"], attention_out: ["context", "hidden"],
  ffn: ["intermediate", "hidden"] };

/** A number as the view prints it (4 significant digits). */
const num = (x) => fmt(x, 4);

/** What eager attention adds to a padded key's score: float32's minimum, -3.4e38. */
const isMin = (x) => typeof x === "number" && x < -1e30;

/** A score as text: the number, or "min float32" for a masked one. */
const scoreText = (x) => (isMin(x) ? "min float32" : num(x));

/**
 * The diverging scale, made of theme colours (accent above 0, error below, the card's
 * background at 0): LEVELS steps each way, one class per step (hfa-ls-p3, hfa-ls-n12,
 * hfa-ls-z), so a grid of thousands of cells sets no style of its own.
 */
const LEVELS = 20;
const shadeName = (level) => (level > 0 ? `p${level}` : level < 0 ? `n${-level}` : "z");
const SHADES = Array.from({ length: 2 * LEVELS + 1 }, (_, k) => k - LEVELS).map((level) =>
  `.hfa-explorer .hfa-ls-c.hfa-ls-${shadeName(level)}{background:color-mix(in srgb,`
  + `var(${level < 0 ? "--hfa-error" : "--hfa-accent"}) ${Math.abs(level) * (100 / LEVELS)}%,`
  + "var(--hfa-bg))}").join("\n");

/** The class of t in [-1, 1] on the scale. */
function shade(t) {
  const x = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  return `hfa-ls-${shadeName(Math.round(x * LEVELS))}`;
}

const maxAbs = (values) => Math.max(1e-12, ...values.map((v) => Math.abs(v ?? 0)));

/** A cell of a strip or grid: its colour on `scale`, its value in the title (the readout). */
function cell(value, scale, title, cls = "") {
  return h("span", { class: `hfa-ls-c ${shade(value / scale)} ${cls}`.trim(),
    "data-hfa-cell": "", title });
}

/** A token as a short label: "soup #2". */
const tokenName = (data, i) => `${data.tokens[i]} #${i}`;

/**
 * The arrow keys move over the cells of a figure (Left / Right, Up / Down a row, Home,
 * End); the cell reached is marked and its title shown in `out`.
 */
function cellKeys(box, out) {
  box.tabIndex = 0;
  let at = -1;
  box.addEventListener("keydown", (event) => {
    const cells = [...box.querySelectorAll("[data-hfa-cell]")];
    const top = cells[0]?.offsetTop;
    const cols = Math.max(1, cells.filter((c) => c.offsetTop === top).length);
    const move = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -cols, ArrowDown: cols,
      Home: -Infinity, End: Infinity }[event.key];
    if (move === undefined || !cells.length) return;
    event.preventDefault();
    at = Math.max(0, Math.min(cells.length - 1, at < 0 && move > 0 && move !== Infinity
      ? 0 : at + move));
    pick(box, cells[at], out);
  });
  box.addEventListener("click", (event) => {
    const target = event.target.closest?.("[data-hfa-cell]");
    if (!target || !box.contains(target)) return;
    at = [...box.querySelectorAll("[data-hfa-cell]")].indexOf(target);
    pick(box, target, out);
  });
}

function pick(box, target, out) {
  box.querySelectorAll(".hfa-picked").forEach((c) => c.classList.remove("hfa-picked"));
  target.classList.add("hfa-picked");
  out.textContent = target.getAttribute("title").replace(/\n/g, " · ");
}

/** A figure: a label line, the drawing and its readout line (tap, focus or arrow keys). */
function figure(label, drawing, name) {
  const fig = h("div", { class: "hfa-ls-fig" }, h("div", { class: "hfa-ls-label" }, label), drawing);
  const out = tapReadout(fig, "");
  fig.append(out);
  drawing.setAttribute("role", "group");
  drawing.setAttribute("aria-label", `${name}: hover or tap a cell, or use the arrow keys, `
    + "for its exact value");
  cellKeys(drawing, out);
  return fig;
}

/** A long vector (D or I values) as a wrapping strip of cells, on its own scale. */
function strip(name, values, { label = name, mark = null, markText = "" } = {}) {
  const scale = maxAbs(values);
  const cells = values.map((v, j) => {
    const inMark = mark && j >= mark[0] && j < mark[1];
    return cell(v, scale, `${name}[${j}] = ${num(v)}${inMark ? ` (${markText})` : ""}`,
      inMark ? "hfa-ls-slice" : "");
  });
  const box = h("div", { class: "hfa-ls-strip", "data-hfa-vector": name }, cells);
  // rows of 32 cells (64 in a wide frame): index 37 is row 1, column 5
  box.style.setProperty("--hfa-ls-narrow", String(Math.max(1, Math.min(values.length, 32))));
  box.style.setProperty("--hfa-ls-wide", String(Math.max(1, Math.min(values.length, 64))));
  return figure([label, h("span", { class: "hfa-ls-range" },
    `  (${values.length} values, max |x| ${num(scale)})`)], box, name);
}

/**
 * Vectors of one length as the rows of a grid, cells aligned by index (q, k[key], q ⊙ k;
 * the key or value rows of every token). rows: [{ label, values, name, cls, mark }]; each
 * row on its own scale unless `shared`.
 */
function grid(name, rows, { label = name, shared = false, cls = "" } = {}) {
  const n = rows[0]?.values.length ?? 0;
  const common = shared ? maxAbs(rows.flatMap((r) => r.values)) : null;
  const box = h("div", { class: `hfa-ls-grid ${cls}`.trim(), "data-hfa-vector": name,
    style: { gridTemplateColumns: `max-content repeat(${n}, minmax(3px, 12px))` } });
  for (const row of rows) {
    const scale = common ?? maxAbs(row.values);
    const mark = row.mark ? " hfa-ls-mark" : "";
    box.append(h("span", { class: `hfa-ls-rowname${mark} ${row.cls ?? ""}`.trim(),
      title: row.title ?? row.label }, row.label));
    row.values.forEach((v, j) => box.append(cell(v, scale, `${row.name}[${j}] = ${num(v)}`,
      mark.trim())));
  }
  return figure(label, box, name);
}

/**
 * One bar per token (norms; scores and weights). rows: [{ label, value, text, extra, cls,
 * mark, title }]; bars in proportion to value / most.
 */
function bars(name, rows, { label = name, most = null, four = false } = {}) {
  const top = most ?? Math.max(1e-12, ...rows.map((r) => r.value));
  const box = h("div", { class: `hfa-ls-bars${four ? " hfa-ls-four" : ""}`, "data-hfa-vector": name });
  for (const r of rows) {
    const cls = `${r.mark ? "hfa-ls-mark " : ""}${r.cls ?? ""}`;
    const pct = Math.max(0, Math.min(100, (100 * r.value) / top));
    box.append(h("span", { class: `hfa-ls-rowname ${cls}`.trim(), title: r.title }, r.label));
    if (four) box.append(h("span", { class: `hfa-ls-num ${cls}`, title: r.title }, r.extra));
    box.append(h("div", { class: "hfa-ls-bar", "data-hfa-cell": "", title: r.title },
      h("span", { style: { width: `${pct}%` } })));
    box.append(h("span", { class: `hfa-ls-num ${cls}`, title: r.title }, r.text));
  }
  return figure(label, box, name);
}

/** A token's row label, classed: special, padding, or the marked (query / key) one. */
function tokenRow(data, i, role) {
  const pad = data.padded[i];
  return { label: tokenName(data, i),
    title: `${tokenName(data, i)}${pad ? " (padding)" : ""}${role ? ` (the ${role})` : ""}`,
    cls: pad ? "hfa-ls-padrow" : data.special[i] ? "hfa-ls-sp" : "", mark: Boolean(role) };
}

/** "x = value" lines of an arithmetic (the score, the residuals). */
const sums = (lines) => h("div", { class: "hfa-ls-sums" },
  lines.flatMap(([left, right, cls]) => [h("span", { class: cls ?? "" }, left),
    h("span", { class: cls ?? "" }, right)]));

const mono = (text) => h("span", { class: "hfa-mono" }, text);

// ------------------------------------------------------------------ the seven steps
const STEPS = {
  hidden(data, config) {
    const q = data.query;
    return [
      h("p", { class: "hfa-ls-what" }, "Layer ", mono(String(data.layer)), " reads ",
        mono(`hidden_states[${data.layer}]`), ": one row of D = ", String(config.hidden_size),
        " numbers per token (the embeddings for layer 0, the previous layer's output after). ",
        "Below: the query token's row, and how long every row is."),
      strip("hidden_in", data.hidden_in,
        { label: [mono(`hidden_states[${data.layer}][0, ${q}]`), `: the row of ${tokenName(data, q)}`] }),
      bars("norms", data.norms.map((v, i) => ({ ...tokenRow(data, i, i === q ? "query" : null),
        value: v, text: num(v), title: `‖hidden_states[${data.layer}][0, ${i}]‖ = ${num(v)} `
          + `(${tokenName(data, i)}${data.padded[i] ? ", padding" : ""})` })),
      { label: ["the norm ", mono("‖x‖"), " of every token's row"] }),
    ];
  },

  qkv(data, config) {
    const { query: q, key: k, head } = data, d = config.head_dim;
    const rows = (m, letter) => m.map((values, i) => ({ ...tokenRow(data, i,
      i === k ? "key" : null), values, name: `${letter}[${tokenName(data, i)}]` }));
    return [
      h("p", { class: "hfa-ls-what" }, "Three Linear layers turn every row into a query, a key ",
        "and a value, each cut into ", String(config.num_heads), " heads of d = ", String(d),
        " numbers. Head ", String(head), " only:"),
      grid("q", [{ label: tokenName(data, q), values: data.q, name: "q",
        title: `q of ${tokenName(data, q)} (the query)` }],
      { label: [mono(`q = query[0, ${head}, ${q}]`), ": what the query token looks for"] }),
      grid("k", rows(data.k, "k"), { label: [mono(`k = key[0, ${head}]`),
        `: one row per token (${tokenName(data, k)}, the key, marked)`], shared: true }),
      grid("v", rows(data.v, "v"), { label: [mono(`v = value[0, ${head}]`),
        ": what each token hands on if it is looked at"], shared: true }),
    ];
  },

  score(data, config) {
    const { query: q, key: k } = data, d = config.head_dim;
    const scaled = data.dot * data.scaling;
    const kv = data.k[k];
    const mask = data.mask;
    const maskLine = mask === null
      ? ["+ mask", "no mask: transformers 5 passes attention_mask=None when nothing is padded"]
      : isMin(mask[k])
        ? ["+ mask[key]", `min float32 (${num(mask[k])}): ${tokenName(data, k)} is padding, `
          + "so its score becomes min float32 and its weight 0"]
        : ["+ mask[key]", `0: ${tokenName(data, k)} is a real token, kept`];
    return [
      h("p", { class: "hfa-ls-what" }, "bertviz's neuron view: the query ",
        tokenName(data, q), " against the key ", tokenName(data, k),
        ", number by number. q ⊙ k multiplies them; their sum is the dot product."),
      grid("q·k", [
        { label: "q", values: data.q, name: "q", title: `q of ${tokenName(data, q)}` },
        { label: "k[key]", values: kv, name: "k[key]", title: `k of ${tokenName(data, k)}` },
        { label: "q ⊙ k", values: data.products, name: "q ⊙ k" },
      ], { label: [mono("q"), ", ", mono("k[key]"), " and ", mono("q ⊙ k"), ` (${d} numbers each)`] }),
      sums([
        ["sum", `Σ (q ⊙ k) = q · k = ${num(data.dot)}`],
        ["× scaling", `1/√${d} = ${num(data.scaling)} → ${num(scaled)}`],
        maskLine,
        ["= score", `${scoreText(data.scores[k])}: attn_weights[0, ${data.head}, ${q}, ${k}] `
          + "before the softmax", "hfa-ls-total"],
      ]),
      mask === null ? null : h("div", { class: "hfa-ls-fig" },
        h("div", { class: "hfa-ls-label" }, "the additive mask, per key (the same for every query):"),
        h("div", { class: "hfa-ls-maskrow", "data-hfa-mask": "" }, mask.map((m, i) => h("span", {
          class: `hfa-chip${isMin(m) ? " hfa-pad hfa-ls-dropped" : ""}${i === k ? " hfa-ls-mark" : ""}`,
          title: `mask[${i}] = ${isMin(m) ? `min float32 (${num(m)})` : "0"}`,
        }, `${data.tokens[i]} ${isMin(m) ? "min" : "0"}`)))),
    ];
  },

  softmax(data) {
    const { query: q, key: k } = data;
    const total = data.weights.reduce((a, b) => a + b, 0);
    return [
      h("p", { class: "hfa-ls-what" }, "The softmax turns the query's row of scores into ",
        "weights: e^score over the sum of them, for every key. A padded key (min float32) ",
        "gets 0. This row is ", mono(`outputs.attentions[${data.layer}][0, ${data.head}, ${q}]`), "."),
      bars("weights", data.weights.map((w, i) => ({ ...tokenRow(data, i, i === k ? "key" : null),
        value: w, text: num(w), extra: scoreText(data.scores[i]),
        title: `${tokenName(data, i)}: score ${scoreText(data.scores[i])} → weight ${num(w)}`
          + `${data.padded[i] ? " (padding)" : ""}` })),
      { label: ["key token · score · weight (", tokenName(data, k), ", the key, in bold)"],
        most: 1, four: true }),
      sums([["Σ weights", `= ${total.toFixed(4)} (every row of the softmax sums to 1)`,
        "hfa-ls-total"]]),
    ];
  },

  context(data, config) {
    const { query: q, head } = data, d = config.head_dim;
    const top = data.weights.map((w, i) => [w, i]).sort((a, b) => b[0] - a[0]).slice(0, 4);
    const slice = [head * d, (head + 1) * d];
    return [
      h("p", { class: "hfa-ls-what" }, "The head's output for ", tokenName(data, q),
        " is the sum of every value row times its weight; the value rows that weigh most:"),
      h("table", { class: "hfa-ls-top" }, top.map(([w, i]) => h("tr", {},
        h("td", {}, tokenName(data, i)), h("td", {}, `weight ${num(w)}`)))),
      grid("weighted v", [
        ...top.map(([w, i]) => ({ label: `${num(w)} × v[${data.tokens[i]}]`,
          values: data.v[i].map((x) => w * x), name: `${num(w)} × v[${tokenName(data, i)}]` })),
        { label: "Σ = head_out", values: data.head_out, name: "head_out", cls: "hfa-ls-total" },
      ], { label: ["the strongest weighted value rows and their full sum, ", mono("head_out"),
        ` (${d} numbers)`], shared: true }),
      strip("context", data.context, { mark: slice, markText: `head ${head}'s slice`,
        label: [mono(`context[0, ${q}]`), `: all ${config.num_heads} heads side by side; head `,
          String(head), `'s slice [${slice[0]}:${slice[1]}] underlined`] }),
    ];
  },

  attention_out(data) {
    return [
      h("p", { class: "hfa-ls-what" }, "attention.output: a dense layer mixes the heads, the ",
        "layer's input is added back (the residual), and LayerNorm rescales the sum. ",
        "Dropout does nothing in eval mode."),
      strip("attn_dense", data.attn_dense, { label: [mono("self.dense(context)")] }),
      strip("hidden_in", data.hidden_in, { label: ["+ ", mono("input_tensor"),
        ": the row that entered the layer (residual)"] }),
      strip("attn_residual", data.attn_residual, { label: ["= the sum"] }),
      strip("attention_out", data.attention_out, { label: [mono("LayerNorm"), " → ",
        mono("attention_output")] }),
    ];
  },

  ffn(data, config) {
    return [
      h("p", { class: "hfa-ls-what" }, "The feed-forward block, for each token on its own: ",
        `a dense layer up to I = ${config.intermediate_size}, GELU, a dense layer back to `,
        `D = ${config.hidden_size}, the residual, LayerNorm.`),
      strip("intermediate_pre", data.intermediate_pre, { label: [mono("intermediate.dense"),
        "(attention_output)"] }),
      strip("intermediate", data.intermediate, { label: ["GELU → ", mono("intermediate_output")] }),
      strip("ffn_dense", data.ffn_dense, { label: [mono("output.dense"), "(intermediate_output)"] }),
      strip("attention_out", data.attention_out, { label: ["+ ", mono("attention_output"),
        " (residual)"] }),
      strip("ffn_residual", data.ffn_residual, { label: ["= the sum"] }),
      strip("out", data.out, { label: [mono("LayerNorm"), " → the layer's output = ",
        mono(`hidden_states[${data.layer + 1}][0, ${data.query}]`)] }),
    ];
  },
};

/** "(B, H, L, d) = (1, 4, 9, 32)" for each shape the step names. */
function shapeLines(id, data) {
  return (STEP_SHAPES[id] ?? []).filter((k) => data.shapes?.[k]).map((k) =>
    h("div", { "data-hfa-shape": k }, `${k}: (${SHAPES[k]}) = (${data.shapes[k].join(", ")})`));
}

/**
 * The installed lines of one source: its name and caption, then the numbered lines in a box
 * that scrolls sideways (wideCode() says so under it when it does).
 */
function sourceView(src) {
  const lines = src.lines.flatMap(([n, code], i) => [
    h("span", { class: "hfa-ls-ln" }, String(n)), code, i < src.lines.length - 1 ? "\n" : ""]);
  return h("div", { class: "hfa-ls-src" },
    h("div", { class: "hfa-ls-cap" }, h("b", {}, src.name), " · ", src.caption),
    h("pre", { class: "hfa-ls-code", "aria-label": `${src.name}: the installed source` }, lines),
    h("div", { class: "hfa-cue", hidden: true }, "↔ scroll the code sideways"));
}

/**
 * A source box wider than the step (a phone) shows its cue line, carries
 * data-hfa-scroll-cue and takes focus (the arrow keys scroll it); one that fits does not.
 */
function wideCode(panel) {
  for (const pre of panel.querySelectorAll("pre.hfa-ls-code")) {
    const wide = pre.clientWidth > 0 && pre.scrollWidth > pre.clientWidth + 1;
    pre.toggleAttribute("data-hfa-scroll-cue", wide);
    if (pre.nextElementSibling) pre.nextElementSibling.hidden = !wide;
    if (wide) {
      pre.tabIndex = 0;
      pre.setAttribute("role", "group");
    } else {
      pre.removeAttribute("tabindex");
      pre.removeAttribute("role");
    }
  }
}

/** The colour key, once above the steps. */
function legend() {
  const swatch = (t) => h("span", { class: `hfa-ls-c ${shade(t)}` });
  return h("div", { class: "hfa-ls-legend" },
    h("span", {}, [-1, -0.5, 0, 0.5, 1].map(swatch)),
    h("span", {}, "red < 0 < blue, each strip on its own scale (the strongest colour is its "
      + "largest |value|); hover or tap a cell for its value"));
}

/** Boxes (`boxes` in `el`) that scroll down show their chosen item (`mark`): the query's
 * or the key's chip or row of a long text. */
function inView(el, boxes, mark) {
  for (const box of el.querySelectorAll(boxes)) {
    const item = box.querySelector(mark);
    if (item && box.scrollHeight > box.clientHeight + 1) {
      box.scrollTop = item.offsetTop - box.clientHeight / 2;
    }
  }
}

// ------------------------------------------------------------------ the view
export function render({ model, el }) {
  const config = model.get("config");
  const steps = config.steps ?? [];
  const parts = frame(el, config, { css: CSS + SHADES, cls: "hfa-ls" });

  const picker = exampleControl(model);
  const text = textControl(model, "text", { label: config.pair ? "question" : "text",
    multiline: true, rows: config.pair ? 1 : 2 });
  const pair = config.pair ? textControl(model, "text_pair", { label: "context",
    multiline: true, rows: 3 }) : null;
  const other = textControl(model, "batch_with", { label: "batch with",
    placeholder: "(empty: no batch) a second text; a longer one pads yours" });
  const layer = selectControl(model, "layer",
    Array.from({ length: config.num_layers }, (_, i) => [i, `layer ${i}`]), { label: "layer" });
  const head = selectControl(model, "head",
    Array.from({ length: config.num_heads }, (_, i) => [i, `head ${i}`]), { label: "head" });
  const boxes = [text, pair, other].filter(Boolean);
  const controls = [picker, ...boxes, layer, head];
  parts.controls.append(...controls);
  // an edit still waiting for its debounce goes before a select's or chip's change
  flushBeforeSelects(parts.controls, boxes, picker);
  const choose = (patch) => {
    for (const box of boxes) box.flush();
    setState(model, patch);
  };

  // the body: the token chips, the colour key, the stepper and the step shown
  const tokens = h("div", { class: "hfa-ls-tokens" });
  const nav = h("div", { class: "hfa-ls-nav", role: "group", "aria-label": "steps of the layer" });
  const panel = h("div", { class: "hfa-ls-step", role: "region" });
  const foot = h("div", { class: "hfa-ls-nav hfa-ls-foot", role: "group",
    "aria-label": "steps of the layer (under the step)" });
  parts.body.append(tokens, legend(), nav, panel, foot);
  const resize = typeof ResizeObserver === "undefined" ? null
    : new ResizeObserver(() => wideCode(panel));
  resize?.observe(panel);

  let step = 0;
  const prev = h("button", { type: "button", "data-hfa-nav": "prev", "aria-label": "previous step",
    onclick: () => go(step - 1) }, "‹ Previous");
  const next = h("button", { type: "button", "data-hfa-nav": "next", "aria-label": "next step",
    onclick: () => go(step + 1) }, "Next ›");
  const numbered = steps.map((s, i) => h("button", { type: "button", "data-hfa-step": s.id,
    "aria-label": `step ${i + 1}: ${s.title}`, title: s.title, onclick: () => go(i) },
  String(i + 1)));
  nav.append(prev, ...numbered, next);
  // the same under a long step (a phone), which then shows the new step from its top
  const below = (by) => () => {
    go(step + by);
    if (panel.getBoundingClientRect().top < 0) panel.scrollIntoView({ block: "start" });
  };
  const prevBelow = h("button", { type: "button", "data-hfa-nav-foot": "prev",
    "aria-label": "previous step", onclick: below(-1) }, "‹ Previous");
  const nextBelow = h("button", { type: "button", "data-hfa-nav-foot": "next",
    "aria-label": "next step", onclick: below(1) }, "Next ›");
  const where = h("span", { class: "hfa-ls-where" });
  foot.append(prevBelow, where, nextBelow);

  const chipRow = (data, role, chosen, what) => h("div", { class: "hfa-ls-tokrow" },
    h("span", { class: "hfa-ls-role" }, role),
    h("div", { class: "hfa-ls-chips", role: "group", "aria-label": `${role}: ${what}` },
      data.tokens.map((t, i) => {
        const on = i === chosen, pad = data.padded[i];
        const cls = `hfa-chip${data.special[i] ? " hfa-sp" : ""}${pad ? " hfa-pad" : ""}`
          + `${on ? " hfa-ls-on" : ""}`;
        // the accessible name starts with what the chip shows (the piece, then its index)
        const says = `${t}${i}: ${role} token ${i}${pad ? " (padding)" : ""}`;
        return h("button", { type: "button", class: cls, [`data-hfa-${role}`]: String(i),
          "aria-pressed": on ? "true" : "false", "aria-label": says, title: says,
          onclick: () => choose({ [role]: i }) }, t, h("sub", {}, String(i)));
      })));

  const drawTokens = (data) => {
    const pads = data.padded.filter(Boolean).length;
    tokens.replaceChildren(
      chipRow(data, "query", data.query, "the token that looks; choose one"),
      chipRow(data, "key", data.key, "the token it looks at; choose one"),
      h("div", { class: "hfa-cue" }, `${data.length} tokens`,
        data.batch > 1 ? ` in a batch of ${data.batch}` : "",
        pads ? `; ${pads} of them padding (dashed), up to the batch's longest text` : ""));
    inView(tokens, ".hfa-ls-chips", ".hfa-ls-on");
  };

  let drawn = null;
  const drawStep = () => {
    const data = drawn;
    if (!data || !steps.length) return;
    const s = steps[step];
    numbered.forEach((b, i) => {
      if (i === step) b.setAttribute("aria-current", "step");
      else b.removeAttribute("aria-current");
    });
    prev.disabled = prevBelow.disabled = step === 0;
    next.disabled = nextBelow.disabled = step === steps.length - 1;
    where.textContent = `step ${step + 1} of ${steps.length}`;
    const numbers = STEPS[s.id] ? STEPS[s.id](data, config) : [];
    panel.dataset.hfaStepShown = s.id;
    panel.setAttribute("aria-label", `step ${step + 1} of ${steps.length}: ${s.title}`);
    panel.replaceChildren(...[
      h("h4", {}, `${step + 1}. ${s.title}`),
      h("div", { class: "hfa-ls-shape" }, shapeLines(s.id, data)),
      s.sources.map((src) => sourceView(src)),
      numbers,
    ].flat(Infinity).filter(Boolean));
    wideCode(panel);
    inView(panel, ".hfa-ls-grid, .hfa-ls-bars", ".hfa-ls-rowname.hfa-ls-mark");
  };
  const go = (i) => {
    step = Math.max(0, Math.min(steps.length - 1, i));
    drawStep();
  };

  const refill = exampleRefill(model, boxes);
  const redraw = () => {
    refill();
    for (const c of controls) c.sync();
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.tokens || data === drawn) return;
    drawn = data;
    drawTokens(data);
    drawStep();
  };
  redraw();
  const off = onChanges(model, redraw);
  return () => {
    for (const box of boxes) box.cancel();
    resize?.disconnect();
    off();
  };
}
