/**
 * The QA-loss view: a question, a context and its answer; gold start and end sliders that
 * run past both ends of the window (negative positions, L and beyond). Drawn: the tokens
 * with the model's start (blue) and end (orange) probabilities, the gold positions after
 * clamping outlined (START red, END green; "L (outside)" is the ignore_index), then each
 * term and the loss: nan when a term is ignored, as torch computes it for one example.
 * Data: QALossExplorer.compute (Python) or compute/qa_loss.js (the page).
 */
import { exampleControl, frame, h, numberControl, onChanges, setState, show, showStatus,
  textControl } from "./common.js";
import { tapReadout } from "./readout.js";

const CSS = `
.hfa-ql-chips{display:flex;flex-wrap:wrap;gap:3px;align-items:flex-start;line-height:1.2;margin:4px 0}
.hfa-ql-chip{display:inline-flex;flex-direction:column;min-width:22px;border-radius:4px;
 border:1px solid var(--hfa-border);overflow:hidden;background:var(--hfa-bg)}
.hfa-ql-chip .t{padding:1px 4px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;
 font-size:12px;white-space:pre;text-align:center}
.hfa-ql-chip .b{height:13px;font-size:10px;line-height:13px;text-align:center;font-weight:700;color:#fff}
.hfa-ql-chip.r-question .t{background:var(--hfa-question-bg)}
.hfa-ql-chip.r-context .t{background:var(--hfa-context-bg)}
.hfa-ql-chip.r-special .t{background:var(--hfa-subtle);color:var(--hfa-special);font-weight:600}
.hfa-ql-chip.r-beyond{border-style:dashed;color:var(--hfa-muted)}
.hfa-ql-chip.gold-s{border:2px solid var(--hfa-error)}
.hfa-ql-chip.gold-e{border:2px solid var(--hfa-good)}
.hfa-ql-chip.gold-s.gold-e{border-color:var(--hfa-error) var(--hfa-good) var(--hfa-good) var(--hfa-error)}
.hfa-ql-sum{font-size:12px;margin-top:6px}
.hfa-ql-sum b{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
`;

/** A probability in [0, hi] as a colour from white to `rgb` (blue for start, orange for end). */
function shade(p, hi, [r, g, b]) {
  const t = hi > 0 ? Math.min(1, p / hi) : 0;
  const mix = (c) => Math.round(255 - t * (255 - c));
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

const BLUE = [8, 48, 107], ORANGE = [166, 54, 3];

function chips(data) {
  const { L, gold } = data;
  const sHi = Math.max(...data.start_probs), eHi = Math.max(...data.end_probs);
  const out = data.tokens.map((tok, t) => {
    const cls = ["hfa-ql-chip", `r-${data.roles[t]}`];
    if (t === gold.clamped_start) cls.push("gold-s");
    if (t === gold.clamped_end) cls.push("gold-e");
    const ps = data.start_probs[t], pe = data.end_probs[t];
    return h("span", { class: cls.join(" "), "data-pos": t,
      title: `#${t} ${tok} (${data.roles[t]})\nstart p ${ps.toFixed(4)}\nend p ${pe.toFixed(4)}` },
    h("span", { class: "t" }, tok.trim() ? tok : "␣"),
    h("span", { class: "b", "data-kind": "start", "data-value": ps,
      style: { background: t === gold.clamped_start ? "#cf222e" : shade(ps, sHi, BLUE) } },
    t === gold.clamped_start ? "START" : ""),
    h("span", { class: "b", "data-kind": "end", "data-value": pe,
      style: { background: t === gold.clamped_end ? "#1a7f37" : shade(pe, eHi, ORANGE) } },
    t === gold.clamped_end ? "END" : ""));
  });
  const ghost = ["hfa-ql-chip", "r-beyond"];
  if (gold.clamped_start === L) ghost.push("gold-s");
  if (gold.clamped_end === L) ghost.push("gold-e");
  out.push(h("span", { class: ghost.join(" "), "data-pos": L,
    title: `position L = ${L}: one past the last token; the ignore_index` },
  h("span", { class: "t" }, `L=${L} (outside)`),
  h("span", { class: "b", style: { background: gold.clamped_start === L ? "#cf222e" : "" } },
    gold.clamped_start === L ? "START" : ""),
  h("span", { class: "b", style: { background: gold.clamped_end === L ? "#1a7f37" : "" } },
    gold.clamped_end === L ? "END" : "")));
  return h("div", { class: "hfa-ql-chips" }, out);
}

/** One line: the gold position, what clamping made of it, and its term. */
function describe(data, which) {
  const g = data.gold, L = data.L;
  const p = g[which], c = g[`clamped_${which}`], term = g[`${which}_term`];
  const parts = [`gold ${which} = `, h("b", {}, String(p))];
  if (p < 0) parts.push(" → clamped to ", h("b", {}, "0"), ` (${data.tokens[0]}): still counts`);
  else if (p >= L) parts.push(" → clamped to ", h("b", {}, String(L)), " = L = ignore_index: ",
    h("b", {}, "ignored"));
  else parts.push(` (${data.tokens[c]})`);
  if (term === null) parts.push(`; ${which} term: none`);
  else parts.push(`; ${which} term −log p = `, h("b", {}, term.toFixed(4)));
  return h("div", { "data-part": which }, parts);
}

function lossLine(data) {
  const g = data.gold;
  if (g.loss === null) {
    return h("div", { "data-part": "loss", "data-value": "nan" }, "loss = ", h("b", {}, "nan"),
      ": with one example, an ignored term is the mean of zero rows (nan), and nan spreads "
      + "into the average");
  }
  return h("div", { "data-part": "loss", "data-value": g.loss },
    `loss = (${g.start_term.toFixed(4)} + ${g.end_term.toFixed(4)}) / 2 = `,
    h("b", {}, g.loss.toFixed(4)));
}

function answerLine(data, model) {
  const a = data.answer_span;
  if (!a) return null;
  const here = a.start === data.gold.start && a.end === data.gold.end;
  const use = h("button", { type: "button", "data-hfa-control": "use-answer", disabled: here,
    onclick: () => setState(model, { gold_start: a.start, gold_end: a.end, follow_answer: true }) },
  "use the answer's tokens");
  return h("div", { "data-part": "answer" }, `the answer's own tokens ${a.start}..${a.end} as `
    + "gold: loss ", h("b", {}, a.loss === null ? "nan" : a.loss.toFixed(4)), " ", use);
}

export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config, { css: CSS });
  parts.body.after(tapReadout(parts.body));  // a tap reads what hovering shows
  const margin = config.margin ?? 6;
  const L0 = model.get("data")?.L ?? 24;
  const picker = exampleControl(model);
  // typing follows the answer: the gold becomes its tokens (or the null position 0)
  const follow = { follow_answer: true };
  const question = textControl(model, "question", { label: "question", patch: follow });
  const context = textControl(model, "context", { label: "context", multiline: true, rows: 3,
    patch: follow });
  const answer = textControl(model, "answer", { label: "answer", patch: follow });
  const start = numberControl(model, "gold_start", { label: "gold start", min: -margin,
    max: L0 + margin });
  const end = numberControl(model, "gold_end", { label: "gold end", min: -margin, max: L0 + margin });
  // moving a slider stops following: the other gold stays where the answer had put it
  for (const slider of [start, end]) {
    slider.input.addEventListener("input", () => {
      const data = model.get("data");
      if (model.get("state").follow_answer && data?.gold) {
        setState(model, { follow_answer: false, gold_start: data.gold.start,
          gold_end: data.gold.end, [slider === start ? "gold_start" : "gold_end"]:
            Number(slider.input.value) });
      }
    });
  }
  parts.controls.append(picker, question, context, answer, start, end);

  let drawn = null;
  const redraw = () => {
    for (const c of [picker, question, context, answer]) c.sync();
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.tokens) return;
    start.setMax(data.L + margin);  // the sliders run a little past L, whatever the text
    end.setMax(data.L + margin);
    start.sync();
    end.sync();
    if (data.follow_answer) {  // the sliders show the gold the answer set
      for (const [slider, value] of [[start, data.gold.start], [end, data.gold.end]]) {
        show(slider.input, value);
        slider.querySelector("output").textContent = String(slider.input.value);
      }
    }
    if (data === drawn) return;
    drawn = data;
    parts.body.replaceChildren(
      h("div", { class: "hfa-note" }, `L = ${data.L} tokens; positions below 0 are clamped to 0, `
        + `positions at or past L to L, which is ignored`),
      chips(data),
      h("div", { class: "hfa-ql-sum" }, describe(data, "start"), describe(data, "end"),
        lossLine(data), answerLine(data, model)));
  };
  redraw();
  return onChanges(model, redraw);
}
