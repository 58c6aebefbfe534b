/**
 * The position explorer's view: for each sequence of a padded batch, its tokens with
 * RoBERTa's and BERT's position ids under them, and the strip of position-table rows the
 * sequence reads (blue: real tokens, grey: padding, dotted: padding_idx, red: rows past
 * the end of the table). Controls: the example picker, one text box per sequence (add or
 * remove a text), the padding side. Hovering or tapping a row of the strip says who reads it
 * (in the line under the strip: a touch screen has no hover). A long text's heading shows
 * its first SHORT characters (all of it in the heading's title).
 *
 * data: hfanatomy.explorers.positions.positions_data (Python) = compute/positions.js (JS).
 */
import { debounce, exampleControl, frame, h, onChanges, selectControl, setState, show,
  showStatus } from "./common.js";
import { pickReadout } from "./readout.js";

const CSS = `
.hfa-explorer .hfa-pos table{border-collapse:collapse;margin:2px 0 6px}
.hfa-explorer .hfa-pos td,.hfa-explorer .hfa-pos th{border:1px solid var(--hfa-border);padding:1px 3px;
 text-align:center;font-family:ui-monospace,Menlo,monospace;font-size:11.5px;white-space:pre}
.hfa-explorer .hfa-pos th{background:var(--hfa-subtle);text-align:right;font-weight:600;position:sticky;left:0}
.hfa-explorer .hfa-pos td.hfa-padcell{color:var(--hfa-faint);background:var(--hfa-subtle)}
.hfa-explorer .hfa-pos td.hfa-rob{color:var(--hfa-strong);font-weight:600}
.hfa-explorer .hfa-pos td.hfa-over{background:var(--hfa-error-bg);color:var(--hfa-error)}
.hfa-explorer .hfa-pos .hfa-scroll{overflow-x:auto;max-width:100%}
.hfa-explorer .hfa-pos .hfa-rows{display:flex;gap:1px;margin:2px 0 10px;flex-wrap:wrap}
.hfa-explorer .hfa-pos .hfa-row{min-width:18px;height:18px;padding:0 2px;font-size:9px;line-height:16px;
 text-align:center;border:1px solid var(--hfa-border);color:var(--hfa-muted);font-family:ui-monospace,Menlo,monospace;
 box-sizing:border-box;white-space:nowrap;cursor:pointer}
.hfa-explorer .hfa-pos .hfa-row.hfa-picked{box-shadow:0 0 0 2px var(--hfa-accent)}
.hfa-explorer .hfa-pos .hfa-seqhead{overflow-wrap:anywhere}
.hfa-explorer .hfa-pos .hfa-readout{font-size:12px;min-height:1.3em;margin:-6px 0 8px;color:var(--hfa-fg)}
.hfa-explorer .hfa-pos .hfa-readout.hfa-hint{color:var(--hfa-muted)}
.hfa-explorer .hfa-pos .hfa-row.hfa-real{background:#2f6fad;color:#fff;border-color:#2f6fad}
.hfa-explorer .hfa-pos .hfa-row.hfa-padrow{background:#c8ccd1;color:var(--hfa-ink)}
.hfa-explorer .hfa-pos .hfa-row.hfa-pidx{outline:2px dotted var(--hfa-error)}
.hfa-explorer .hfa-pos .hfa-row.hfa-over{background:#cf222e;color:#fff;border-color:#cf222e}
.hfa-explorer .hfa-textrow{display:flex;gap:4px;align-items:center;flex:1 1 100%}
.hfa-explorer .hfa-textrow input{flex:1;font:13px ui-monospace,SFMono-Regular,Menlo,monospace;
 padding:2px 4px;min-width:10em}
`;

/** A heading shows this many characters (code points) of a text; the title holds it all. */
const SHORT = 60;

/** Python's short_text: the first n characters and "…" when the text is longer. */
function shortText(text, n = SHORT) {
  const chars = [...text];
  return chars.length <= n ? text : chars.slice(0, n).join("") + "…";
}

/** The line under the row strip: who reads the row last hovered, tapped or focused. */
function readout(stripEl) {
  return pickReadout(stripEl, "Hover or tap a row to see who reads it.");
}

/** One sequence: the title, the token/position table and the strip of table rows. */
function sequenceView(seq, b, data, nRows) {
  const tableSize = data.table_size;
  const over = (p) => tableSize !== null && p >= tableSize;
  const row = (label, values, cls, key) => h("tr", {},
    h("th", {}, label),
    values.map((v, i) => {
      const real = seq.attention_mask[i] === 1;
      let c = real ? cls : "hfa-padcell";
      if (key === "roberta" && over(v)) c = "hfa-over";
      return h("td", { class: c, "data-value": key ? String(v) : null }, String(v));
    }));
  const table = h("table", { "data-seq": String(b) },
    row("token", seq.pieces, ""),
    row("input id", seq.input_ids, ""),
    row("RoBERTa position", seq.roberta, "hfa-rob", "roberta"),
    row("BERT position", seq.bert, "", "bert"));
  const real = new Set(), pads = new Set();
  seq.roberta.forEach((p, i) => (seq.attention_mask[i] ? real : pads).add(p));
  const top = Math.max(nRows, ...seq.roberta.map((p) => p + 2));
  const cells = [];
  for (let r = 0; r < top; r++) {
    let cls = "hfa-row" + (real.has(r) ? " hfa-real" : pads.has(r) ? " hfa-padrow" : "");
    if (over(r) && (real.has(r) || pads.has(r))) cls = "hfa-row hfa-over";
    if (r === data.padding_idx) cls += " hfa-pidx";
    const who = real.has(r) ? "real tokens" : pads.has(r) ? "padding" : "nobody";
    const where = over(r) ? " (past the end of the table: no such row)" : "";
    const says = `row ${r}: read by ${who}${where}`;
    cells.push(h("span", { class: cls, title: says, "data-hfa-readout": says }, String(r)));
  }
  const more = tableSize !== null && top < tableSize
    ? h("span", { class: "hfa-muted" }, ` … up to row ${tableSize - 1}`) : null;
  const wide = seq.pieces.length > 32;  // may not fit: say that the table scrolls
  const strip = h("div", { class: "hfa-rows", "data-seq": String(b) }, cells, more);
  return [
    h("div", { class: "hfa-seqhead" }, `sequence ${b}: `,
      h("span", { class: "hfa-mono", title: seq.text }, shortText(seq.text)),
      h("span", { class: "hfa-muted" }, ` (${seq.tokens} tokens)`)),
    wide ? h("div", { class: "hfa-muted" }, `scroll sideways for all ${seq.pieces.length} columns →`) : null,
    h("div", { class: "hfa-scroll", "data-hfa-scroll-cue": wide ? "" : null }, table),
    h("div", { class: "hfa-muted" }, "rows of the position table read (RoBERTa):"),
    strip, readout(strip),
  ];
}

export function render({ model, el }) {
  const config = model.get("config");
  const maxTexts = config.max_texts ?? 4;
  const parts = frame(el, config, { css: CSS });
  const example = exampleControl(model);
  const side = selectControl(model, "padding_side", [["right", "right"], ["left", "left"]],
    { label: "padding side" });
  const texts = h("div", { class: "hfa-textrows", style: { display: "contents" } });
  const add = h("button", { type: "button", "data-hfa-control": "add-text",
    onclick: () => setState(model, { texts: [...model.get("state").texts, ""], example: null }) },
  "+ text");
  const remove = h("button", { type: "button", "data-hfa-control": "remove-text",
    onclick: () => setState(model, { texts: model.get("state").texts.slice(0, -1), example: null }) },
  "− text");
  parts.controls.append(example, side, add, remove, texts);

  let inputs = [];
  const typed = () => inputs.map((i) => i.value);
  const send = debounce(() => setState(model, { texts: typed(), example: null }), 150);
  // a box left before its debounce ran (e.g. for the side picker) is sent first, or the
  // picker's state change would bring its old text back
  const flush = () => {
    send.cancel();
    const texts = model.get("state").texts ?? [];
    if (typed().some((t, b) => t !== texts[b])) setState(model, { texts: typed(), example: null });
  };
  const syncTexts = () => {
    const values = model.get("state").texts ?? [];
    if (values.length !== inputs.length) {  // an example or +/- changed the batch: new boxes
      inputs = values.map((v, b) => {
        const input = h("input", { type: "text", "data-hfa-input": `texts.${b}`, spellcheck: "false",
          placeholder: "(empty text: <s> </s> only)" });
        input.value = v;
        input.addEventListener("input", send);
        input.addEventListener("change", flush);  // leaving the box sends it at once
        return input;
      });
      texts.replaceChildren(...inputs.map((input, b) => h("label", { class: "hfa-textrow" },
        h("span", {}, `text ${b}`), input)));
    } else {
      inputs.forEach((input, b) => show(input, values[b]));
    }
    add.disabled = values.length >= maxTexts;
    remove.disabled = values.length <= 1;
  };

  let drawn = null;
  const redraw = () => {
    syncTexts();
    example.sync();
    side.sync();
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || data === drawn) return;
    drawn = data;
    const top = Math.max(config.n_rows ?? 0, 0);
    parts.body.replaceChildren(h("div", { class: "hfa-pos" },
      data.sequences.map((seq, b) => sequenceView(seq, b, data, top))));
  };
  redraw();
  const off = onChanges(model, redraw);
  return () => {
    send.cancel();
    off();
  };
}
