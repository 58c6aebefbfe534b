/**
 * The token table's view: the example picker, a text box for every text of the example
 * (and its pair), then per sequence a strip of chips and the table of every column the
 * model receives. Data: TokenExplorer.compute (Python) or compute/tokens.js (the page).
 */
import { exampleControl, frame, h, onChanges, setState, showStatus } from "./common.js";

const COLUMNS = [
  ["index", "#"], ["piece", "piece (vocabulary)"], ["reads", "reads as"], ["id", "id"],
  ["mask", "attention mask"], ["type", "token type"], ["span", "chars"],
  ["covers", "text[start:end]"], ["special", "special"], ["word", "word"],
];

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

function strip(rows) {
  return h("div", { class: "hfa-strip" }, rows.map((r) => h("span", {
    class: "hfa-chip" + (r.special ? (r.mask === 0 ? " hfa-pad" : " hfa-sp") : ""),
    title: `piece ${r.piece} · id ${r.id} · mask ${r.mask}`, "data-value": r.id,
  }, r.reads, h("sub", {}, String(r.id)))));
}

function table(rows, hasTypes) {
  const cols = COLUMNS.filter(([k]) => hasTypes || k !== "type");
  return h("table", { class: "hfa-table hfa-wrap" },  // cells wrap: the table fits its box
    h("tr", {}, cols.map(([, label]) => h("th", {}, label))),
    rows.map((r) => h("tr", { class: rowClass(r) },
      cols.map(([k]) => h("td", { "data-col": k }, cell(r, k))))));
}

/** Text boxes for the state's texts: one per text of a batch, plus the pairs. */
function textBoxes(model) {
  const state = model.get("state");
  const texts = Array.isArray(state.text) ? state.text : [state.text ?? ""];
  const many = Array.isArray(state.text);
  const pairs = state.text_pair === undefined || state.text_pair === null ? null
    : (Array.isArray(state.text_pair) ? state.text_pair : [state.text_pair]);
  const boxes = [];
  const box = (key, i, value, label, placeholder) => {
    const input = h("textarea", { rows: 1, "data-hfa-input": i === 0 && key === "text" ? "text"
      : `${key}${many ? `.${i}` : ""}`, spellcheck: "false", placeholder });
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

export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config);
  const picker = exampleControl(model);
  const inputs = h("div", { class: "hfa-controls" });
  parts.controls.append(picker);
  parts.controls.after(inputs);
  let built = null;  // the texts the boxes were built with (or the reader typed)

  const redraw = () => {
    const state = model.get("state");
    picker.sync();
    // new boxes when an example is chosen, never while the reader types (example null)
    const texts = JSON.stringify([state.text, state.text_pair ?? null]);
    if (built === null || (state.example !== null && texts !== built)) {
      inputs.replaceChildren(...textBoxes(model));
    }
    built = texts;
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.sequences) return;
    const rows = data.sequences;
    parts.body.replaceChildren(
      h("div", { class: "hfa-note" }, `tokenizer: ${config.tokenizer} · ${rows.length} `
        + `sequence(s) · ${rows[0].length} tokens each`),
      ...rows.flatMap((seq, b) => [
        ...(rows.length > 1 ? [h("div", { class: "hfa-seqhead" }, `sequence ${b}`)] : []),
        strip(seq), table(seq, data.has_token_types)]));
  };
  redraw();
  return onChanges(model, redraw);
}
