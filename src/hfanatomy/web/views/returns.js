/**
 * The return-value view (kind "returns"): what model(...) gives back for one combination of
 * call options, for a sequence classifier (hfanatomy.explorers.returns) and a QA model
 * (hfanatomy.explorers.qa_returns) alike.
 *
 *   controls: the call's targets (config.targets: labels=labels as a box, or the gold
 *             positions to pass as a picker), output_hidden_states=True,
 *             output_attentions=True and return_dict=False, each a box;
 *   the call those options make, what type comes back, then one row per item: for a
 *             ModelOutput its field, the same item by index and what it is (shape); for a
 *             tuple its index, the field it is and what it is; the fields left None; a note.
 *
 * data: { arguments, type, output_type, as_tuple, length, items: [{ name, what }], none,
 * note } (the explorers' compute). On the site every combination was recorded when the
 * book was built; in a kernel each change calls the model again.
 */
import { frame, h, onChanges, selectControl, setState, show, showStatus } from "./common.js";

const CSS = `
.hfa-explorer .hfa-returns .hfa-call{margin:2px 0 6px;font-size:12px;white-space:pre-wrap;
 overflow-wrap:anywhere}
.hfa-explorer .hfa-returns .hfa-type{margin:0 0 4px;overflow-wrap:anywhere}
.hfa-explorer .hfa-returns table{margin:2px 0 4px}
.hfa-explorer .hfa-returns table.hfa-table td{white-space:normal;overflow-wrap:break-word}
.hfa-explorer .hfa-returns .hfa-warn{margin-top:4px}
`;

/** The call's output options: state key and the keyword argument it writes. */
const OPTIONS = [["hidden", "output_hidden_states=True"], ["attentions", "output_attentions=True"],
  ["as_tuple", "return_dict=False"]];

/** A box bound to state[name] (true / false), labelled with the argument it adds. */
function checkbox(model, name, label) {
  const input = h("input", { type: "checkbox", "data-hfa-control": name });
  input.addEventListener("change", () => setState(model, { [name]: input.checked }));
  const el = h("label", {}, input, h("span", { class: "hfa-mono" }, label));
  el.sync = () => show(input, model.get("state")[name]);
  el.sync();
  return el;
}

/** The control of the call's targets: a box for [[false, ...], [true, ...]], else a picker. */
function targetsControl(model, targets) {
  const yesNo = targets.choices.length === 2 && targets.choices[0][0] === false
    && targets.choices[1][0] === true;
  return yesNo ? checkbox(model, targets.name, targets.label)
    : selectControl(model, targets.name, targets.choices, { label: targets.label });
}

/** A cell's text with a break allowed after each "." and "_" (out.start_logits wraps on a
 * phone between its words, never inside one). */
const breakable = (text) => text.split(/(?<=[._])/).flatMap((part, i) => (i ? [h("wbr"), part] : [part]));

/** What came back: the call, its type, a row per item, what is None, the note. */
function drawReturn(data) {
  const call = `out = model(${["**inputs", ...data.arguments].join(", ")})`;
  const type = data.as_tuple
    ? h("div", { class: "hfa-type" }, "type: ", h("b", {}, "tuple"), " · ",
      h("span", { class: "hfa-mono" }, `len(out) == ${data.length}`),
      ` · no None slots: the ${data.output_type}'s fields that are set, in order`)
    : h("div", { class: "hfa-type" }, "type: ", h("b", {}, data.type), ` · ${data.length} `
      + `field${data.length === 1 ? "" : "s"} set · None: `,
    h("span", { class: "hfa-mono" }, data.none.length ? data.none.join(", ") : "nothing"));
  const header = data.as_tuple ? ["index", "the field", "what it is"]
    : ["field", "also out[i]", "what it is"];
  const rows = data.items.map((item, i) => {
    const cells = data.as_tuple ? [`out[${i}]`, item.name, item.what]
      : [`out.${item.name}`, `out[${i}]`, item.what];
    return h("tr", { "data-name": item.name },
      cells.map((c, col) => h("td", {}, col < 2 ? breakable(c) : c)));
  });
  return h("div", { class: "hfa-returns", "data-length": String(data.length),
    "data-fields": data.items.map((item) => item.name).join(",") },
  h("div", { class: "hfa-call hfa-mono" }, call), type,
  h("table", { class: "hfa-table" },
    h("tr", {}, header.map((c) => h("th", {}, c))), rows),
  data.note ? h("div", { class: "hfa-warn" }, `⚠ ${data.note}`) : null);
}

export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config, { css: CSS });
  const controls = [
    ...(config.targets ? [targetsControl(model, config.targets)] : []),
    ...OPTIONS.map(([name, label]) => checkbox(model, name, label)),
  ];
  parts.controls.append(...controls);
  let drawn = null;
  const redraw = () => {
    controls.forEach((c) => c.sync());
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.items || data === drawn) return;
    drawn = data;
    parts.body.replaceChildren(drawReturn(data));
  };
  redraw();
  return onChanges(model, redraw);
}
