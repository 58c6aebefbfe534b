/**
 * The token table's view: the example picker, a text box for every text of the example
 * (and its pair), the tokenizer call those boxes make, then per sequence a strip of chips
 * and the table of every column the model receives. Data: TokenExplorer.compute (Python)
 * or compute/tokens.js (the page).
 *
 * A long text shows its first HEAD and last TAIL tokens, with a row saying how many are
 * left out and a button that shows them all. Tapping, focusing or hovering a chip shows
 * its piece, id and mask in the line under the strip (a touch screen has no hover).
 */
import { frame, h, onChanges, selectControl, setState, showStatus } from "./common.js";
import { pickReadout } from "./readout.js";

const CSS = `
.hfa-explorer .hfa-table-scroll{overflow-x:auto;max-width:100%}
.hfa-explorer table.hfa-tokens td{white-space:pre}
.hfa-explorer table.hfa-tokens th{white-space:normal;overflow-wrap:normal}
.hfa-explorer table.hfa-tokens tr.hfa-gap td{color:var(--hfa-muted);font-family:inherit}
.hfa-explorer table.hfa-tokens tr.hfa-gap span{display:inline-block;position:sticky;left:6px;
 white-space:normal;max-width:17em}
.hfa-explorer table.hfa-tokens tr.hfa-gap button{font-size:12px;margin-top:2px}
.hfa-explorer .hfa-strip .hfa-chip{cursor:pointer}
.hfa-explorer .hfa-strip .hfa-chip.hfa-picked{outline:2px solid var(--hfa-accent);outline-offset:1px}
.hfa-explorer .hfa-strip .hfa-chip.hfa-gap{cursor:default;color:var(--hfa-muted);border-style:dotted;
 background:var(--hfa-bg);font-family:inherit}
.hfa-explorer .hfa-readout{font-size:12px;color:var(--hfa-fg);min-height:1.3em;margin:0 0 4px;
 font-family:ui-monospace,Menlo,monospace;overflow-wrap:anywhere}
.hfa-explorer .hfa-readout.hfa-hint{color:var(--hfa-muted);font-family:inherit}
.hfa-explorer .hfa-call{font-size:12px;color:var(--hfa-muted);flex:1 1 100%;overflow-wrap:anywhere}
.hfa-explorer .hfa-call code{color:var(--hfa-fg);font-family:ui-monospace,Menlo,monospace}
.hfa-explorer .hfa-call button{margin-left:8px;font-size:12px}
`;

/** The key columns first (index, piece, id): on a phone the rest scrolls sideways. */
const COLUMNS = [
  ["index", "#"], ["piece", "piece (vocabulary)"], ["id", "id"], ["reads", "reads as"],
  ["mask", "attention mask"], ["type", "token type"], ["span", "chars"],
  ["covers", "text[start:end]"], ["special", "special"], ["word", "word"],
];

/** A long sequence shows its first HEAD and last TAIL tokens (and a row for the rest). */
export const HEAD = 64, TAIL = 8;

/** The tokenizer keywords an example may set (Python: tokens.STATE_KEYS, less the texts). */
const KEYWORDS = ["padding", "padding_side", "truncation", "max_length"];

function cell(row, key) {
  if (key === "span") return row.start === null ? "" : `${row.start}:${row.end}`;
  const v = row[key];
  if (v === true) return "✓";
  if (v === false || v === null || v === undefined) return "";
  return String(v);
}

function rowClass(r) {
  if (!r.special) return null;
  return r.mask === 0 ? "hfa-pad" : "hfa-special";
}

/** What hovering, tapping or focusing a chip shows. */
const describe = (r) => `#${r.index} · piece ${r.piece} · id ${r.id} · mask ${r.mask}`;

/** The rows shown: all, or the first HEAD, a gap (the number left out), the last TAIL. */
function shown(rows, all) {
  if (all || rows.length <= HEAD + TAIL) return { head: rows, gap: 0, tail: [] };
  return { head: rows.slice(0, HEAD), gap: rows.length - HEAD - TAIL, tail: rows.slice(-TAIL) };
}

const count = (n) => n.toLocaleString("en-US");

function strip(cut) {
  const chip = (r) => h("span", {
    class: "hfa-chip" + (r.special ? (r.mask === 0 ? " hfa-pad" : " hfa-sp") : ""),
    title: describe(r), "data-value": r.id, "data-hfa-readout": describe(r), tabindex: "0",
  }, r.reads, h("sub", {}, String(r.id)));
  return h("div", { class: "hfa-strip" }, cut.head.map(chip),
    cut.gap ? h("span", { class: "hfa-chip hfa-gap", "data-hfa-gap": String(cut.gap) },
      `… ${count(cut.gap)} more …`) : null,
    cut.tail.map(chip));
}

/** The line under the chips: what the piece last hovered, tapped or focused is. */
function readout(stripEl) {
  return pickReadout(stripEl, "Hover, tap or focus a piece to see its id.");
}

function table(rows, cut, hasTypes, showAll) {
  const cols = COLUMNS.filter(([k]) => hasTypes || k !== "type");
  const tr = (r) => h("tr", { class: rowClass(r) },
    cols.map(([k]) => h("td", { "data-col": k }, cell(r, k))));
  const gap = cut.gap ? h("tr", { class: "hfa-gap", "data-hfa-gap": String(cut.gap) },
    h("td", { colspan: String(cols.length) }, h("span", {},
      `… ${count(cut.gap)} rows left out (#${HEAD} to #${rows.length - TAIL - 1}) … `,
      h("button", { type: "button", "data-hfa-control": "show-all", onclick: showAll },
        `show all ${count(rows.length)}`)))) : null;
  return h("div", { class: "hfa-table-scroll" },
    h("table", { class: "hfa-table hfa-tokens" },
      h("tr", {}, cols.map(([, label]) => h("th", {}, label))),
      cut.head.map(tr), gap, cut.tail.map(tr)));
}

function textsOf(state) {
  const many = Array.isArray(state.text);
  const texts = many ? state.text : [state.text ?? ""];
  const pairs = state.text_pair === undefined || state.text_pair === null ? null
    : (Array.isArray(state.text_pair) ? state.text_pair : [state.text_pair]);
  return { many, texts, pairs };
}

/** True when the state is one text (and maybe its pair) with no tokenizer keyword. */
function plain(state) {
  return !Array.isArray(state.text) && KEYWORDS.every((k) => state[k] === null || state[k] === undefined);
}

/** The state of "(your text)": one text (the first of the example) and its pair, no keyword. */
function plainState(state) {
  const first = (v) => (Array.isArray(v) ? v[0] : v) ?? null;
  const pair = first(state.text_pair);
  return { text: first(state.text) ?? "", text_pair: pair === "" ? null : pair,
    ...Object.fromEntries(KEYWORDS.map((k) => [k, null])), example: null };
}

/** The tokenizer call the boxes make, e.g. tokenizer([text 0, text 1], padding=True). */
function callOf(state) {
  const { many, texts, pairs } = textsOf(state);
  const py = (v) => (v === true ? "True" : v === false ? "False" : JSON.stringify(v));
  const list = (name, n) => `[${Array.from({ length: n }, (_, i) => `${name} ${i}`).join(", ")}]`;
  const args = [many ? list("text", texts.length) : "text"];
  if (pairs && (many || pairs[0] !== "")) args.push(many ? list("pair", pairs.length) : "text_pair");
  for (const k of KEYWORDS) if (state[k] !== null && state[k] !== undefined) args.push(`${k}=${py(state[k])}`);
  return `tokenizer(${args.join(", ")})`;
}

/** Text boxes for the state's texts: one per text of a batch, plus the pairs. */
function textBoxes(model) {
  const { many, texts, pairs } = textsOf(model.get("state"));
  const boxes = [];
  const box = (key, i, value, label, placeholder) => {
    const input = h("textarea", { rows: 1, "data-hfa-input": i === 0 && key === "text" ? "text"
      : `${key}${many ? `.${i}` : ""}`, spellcheck: "false", placeholder, "aria-label": label });
    input.value = value ?? "";
    let timer = null;  // an edit waiting for its debounce
    const send = () => {
      clearTimeout(timer);
      timer = null;
      const now = model.get("state");
      let next = input.value;
      if (many) {
        next = [...now[key]];
        next[i] = input.value;
      }
      setState(model, { [key]: next, example: null });
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(send, 150);
    });
    // leaving the box sends a waiting edit at once (and nothing else: a box removed when
    // an example is chosen must not send its old text back)
    input.addEventListener("change", () => {
      if (timer !== null && input.isConnected) send();
    });
    boxes.push(h("label", { class: "hfa-wide" }, h("span", {}, label), input));
  };
  texts.forEach((t, i) => {
    box("text", i, t, many ? `text ${i}` : "text", "");
    if (pairs) box("text_pair", i, pairs[i], many ? `pair ${i}` : "text pair", "second text");
  });
  if (!pairs && !many) box("text_pair", 0, "", "text pair", "optional second text");
  return boxes;
}

/** Which boxes a state needs: a new set when this changes (never while the reader types). */
function shape(state) {
  const { many, texts, pairs } = textsOf(state);
  return many ? `batch ${texts.length} ${pairs ? "pairs" : ""}` : "one";
}

/**
 * The example picker. "(your text)" is one plain text: choosing it keeps the example's
 * first text (and its pair) and drops the batch and every tokenizer keyword, so no padding
 * or cut stays on that the boxes do not show.
 */
function examplePicker(model) {
  const examples = model.get("config").examples ?? {};
  const inputs = new Set(Object.values(examples).flatMap((e) => Object.keys(e)));
  const cleared = Object.fromEntries([...inputs, ...KEYWORDS].map((k) => [k, null]));
  const options = [[null, "(your text)"], ...Object.keys(examples).map((k) => [k, k])];
  return selectControl(model, "example", options, {
    label: "example",
    patch: (key) => (key === null ? plainState(model.get("state"))
      : { ...cleared, ...examples[key], example: key }),
  });
}

export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config, { css: CSS });
  const picker = examplePicker(model);
  const inputs = h("div", { class: "hfa-controls" });
  const boxes = h("div", { style: { display: "contents" } });
  const call = h("div", { class: "hfa-call", "data-hfa-call": "" });
  inputs.append(boxes, call);
  parts.controls.append(picker);
  parts.controls.after(inputs);
  let built = null, builtShape = null;  // the texts and shape the boxes were built with
  let all = false, example = model.get("state").example;  // show every row (until an example)

  const redraw = () => {
    const state = model.get("state");
    picker.sync();
    // new boxes when an example is chosen or the texts change shape ("(your text)" after a
    // batch), never while the reader types (example null, same shape)
    const texts = JSON.stringify([state.text, state.text_pair ?? null]);
    if (built === null || shape(state) !== builtShape || (state.example !== null && texts !== built)) {
      boxes.replaceChildren(...textBoxes(model));
    }
    built = texts;
    builtShape = shape(state);
    const reset = state.example === null && !plain(state)
      ? h("button", { type: "button", "data-hfa-control": "plain",
        onclick: () => setState(model, plainState(model.get("state"))) }, "one plain text") : null;
    call.replaceChildren(...["the call: ", h("code", {}, callOf(state)), reset].filter(Boolean));
    if (state.example !== null && state.example !== example) all = false;
    example = state.example;
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.sequences) return;
    const rows = data.sequences;
    const showAll = () => {
      all = true;
      redraw();
    };
    parts.body.replaceChildren(
      h("div", { class: "hfa-note" }, `tokenizer: ${config.tokenizer} · ${rows.length} `
        + `sequence(s) · ${rows[0].length} tokens each`),
      ...rows.flatMap((seq, b) => {
        const cut = shown(seq, all);
        const chips = strip(cut);
        return [
          ...(rows.length > 1 ? [h("div", { class: "hfa-seqhead" }, `sequence ${b}`)] : []),
          chips, readout(chips), table(seq, cut, data.has_token_types, showAll)];
      }));
  };
  redraw();
  return onChanges(model, redraw);
}
