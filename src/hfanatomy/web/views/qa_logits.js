/**
 * The QA logits explorer's view (kind "qa_logits"): the one drawing of it, in the kernel
 * (an anywidget) and on the site (a plain-object model). It draws what compute returns
 * (hfanatomy.explorers.qa_logits.qa_logits_data / web/compute/qa_logits.js):
 *
 *   controls: example picker, the question and the context (both update as the reader
 *             types), probabilities or raw logits, and -- when the context needs more than
 *             one window -- which window to show (state.window; null: the answer's);
 *   the answer the decoder reads from all windows (hfanatomy.qa / web/qa.js), and a line
 *             saying so when the null answer scores more than it;
 *   one chip per token of the shown window: its text on a purple (question), green
 *             (context) or grey (special) band over a blue start strip and an orange end
 *             strip (darker = higher; exact values on hover), the answer's tokens outlined;
 *   the highest start and end of the window, the warnings and the status line.
 *
 * Typed text only ever reaches the page as text (textContent, attribute values).
 */
import { exampleControl, fmt, frame, h, onChanges, selectControl, setState, showStatus,
  textControl }
  from "./common.js";
import { tapReadout } from "./readout.js";

/** matplotlib's Blues and Oranges at 9 even stops (interpolated in between). */
const CMAPS = {
  Blues: ["#f7fbff", "#deebf7", "#c6dbef", "#9dcae1", "#6aaed6", "#4191c6", "#2070b4", "#08509b",
    "#08306b"],
  Oranges: ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6a", "#fd8c3b", "#f16813", "#d84801", "#a53603",
    "#7f2704"],
};

/** The colour of value on cmap between lo and hi (hfanatomy.html.color). */
export function color(value, lo, hi, cmap) {
  const stops = CMAPS[cmap];
  const t = Math.min(Math.max((value - lo) / ((hi - lo) || 1), 0), 1) * (stops.length - 1);
  const k = Math.min(Math.floor(t), stops.length - 2), f = t - k;
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const a = rgb(stops[k]), b = rgb(stops[k + 1]);
  return "#" + a.map((x, i) => Math.round(x + (b[i] - x) * f).toString(16).padStart(2, "0")).join("");
}

const CSS = `
.hfa-qa .hfa-chips{display:flex;flex-wrap:wrap;gap:3px;align-items:flex-start;line-height:1.2}
.hfa-qa .hfa-chip{display:inline-flex;flex-direction:column;min-width:22px;border-radius:4px;
 border:1px solid var(--hfa-border);overflow:hidden;background:var(--hfa-bg)}
.hfa-qa .hfa-chip .t{padding:1px 4px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;
 font-size:12px;white-space:pre;text-align:center}
.hfa-qa .hfa-chip .b{height:9px}
.hfa-qa .r-question .t{background:var(--hfa-question-bg)}
.hfa-qa .r-context .t{background:var(--hfa-context-bg)}
.hfa-qa .r-special .t{background:var(--hfa-subtle);color:var(--hfa-special);font-weight:600}
.hfa-qa .hfa-answer-token{outline:2px solid var(--hfa-good);outline-offset:-1px}
.hfa-qa .hfa-key{display:inline-flex;gap:10px;flex-wrap:wrap;font-size:12px;margin:2px 0 6px}
.hfa-qa .hfa-key span.sw{display:inline-block;width:12px;height:10px;border:1px solid var(--hfa-border);
 vertical-align:middle;margin-right:3px}
.hfa-qa .hfa-sum{font-size:12px;margin-top:6px}
.hfa-qa .hfa-answer{margin:4px 0}
.hfa-qa .hfa-answer b{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
`;

function key() {
  const sw = (bg, label) => h("span", {}, h("span", { class: "sw", style: `background:${bg}` }), label);
  return h("div", { class: "hfa-key" }, sw("var(--hfa-question-bg)", "question"),
    sw("var(--hfa-context-bg)", "context"), sw("var(--hfa-subtle)", "special"),
    sw(color(0.8, 0, 1, "Blues"), "start strip"), sw(color(0.8, 0, 1, "Oranges"), "end strip"),
    sw("var(--hfa-bg)", "answer (outlined)"));
}

/** The chips of window w: token text over its start and end strips. */
function drawChips(win, mode, answerTokens = null) {
  const probs = mode === "probabilities";
  const s = probs ? win.start_probs : win.start_logits, e = probs ? win.end_probs : win.end_logits;
  const range = (x) => (probs ? [0, Math.max(...x)] : [Math.min(...x), Math.max(...x)]);
  const [sLo, sHi] = range(s), [eLo, eHi] = range(e);
  const digits = probs ? 4 : 3;
  return h("div", { class: "hfa-chips" }, ...win.tokens.map((tok, i) => {
    const role = win.roles[i];
    const inAnswer = answerTokens && i >= answerTokens[0] && i <= answerTokens[1];
    return h("span", { class: `hfa-chip r-${role}${inAnswer ? " hfa-answer-token" : ""}`,
      "data-pos": i,
      title: `#${i} ${tok} (${role})\nstart ${s[i].toFixed(digits)}\nend ${e[i].toFixed(digits)}` },
    h("span", { class: "t" }, tok.trim() ? tok : "␣"),
    h("span", { class: "b", "data-kind": "start", "data-value": s[i],
      style: `background:${color(s[i], sLo, sHi, "Blues")}` }),
    h("span", { class: "b", "data-kind": "end", "data-value": e[i],
      style: `background:${color(e[i], eLo, eHi, "Oranges")}` }));
  }));
}

function where(win, i) {
  return [`#${i} `, h("b", {}, win.tokens[i]), ` (${win.roles[i]})`];
}

/** The window's highest start and end, and what the strips sum to. */
function windowSummary(win) {
  const bs = win.best_start, be = win.best_end;
  return h("div", { class: "hfa-sum" }, "Highest start score: ", ...where(win, bs),
    `, p = ${win.start_probs[bs].toFixed(3)}; highest end score: `, ...where(win, be),
    `, p = ${win.end_probs[be].toFixed(3)}. Softmax runs over all ${win.tokens.length} positions `
    + "of the window, so each strip sums to 1 in probability mode. The answer is not these two "
    + "tokens taken apart: the decoder scores (start, end) pairs inside the context.");
}

/** The decoder's answer over all windows. */
export function answerLine(data) {
  const a = data.answer;
  if (!a) return h("div", { class: "hfa-answer" }, "No answer.");
  const where = data.windows.length > 1 ? `, window ${a.window + 1} of ${data.windows.length}` : "";
  const line = h("div", { class: "hfa-answer" }, "Answer (the decoder, over every window): ",
    h("b", {}, `“${a.text}”`),
    ` · score ${fmt(a.score)} · characters ${a.start}–${a.end}${where}, tokens `
    + `${a.start_token}–${a.end_token}`);
  if (a.null_score > a.score) {
    line.append(h("div", { class: "hfa-null-wins" }, `The null answer ([CLS]) scores `
      + `${fmt(a.null_score)}, more than this span: the pipeline's default still returns the `
      + "span, and with handle_impossible_answer=True it answers nothing (chapter 4)."));
  }
  return line;
}

/** The window picker: its options follow the data (how many windows the context needs). */
function windowControl(model, before) {
  const input = h("select", { "data-hfa-control": "window", "aria-label": "window" });
  input.addEventListener("change", () => {
    before();
    setState(model, { window: Number(input.value) });
  });
  const el = h("label", { hidden: true }, h("span", {}, "window"), input);
  el.show = (data, w) => {
    const count = data.windows.length;
    el.hidden = count < 2;
    const labels = data.windows.map((win, i) => `${i + 1} of ${count}: characters `
      + `${win.context_chars[0]}–${win.context_chars[1]}`
      + (data.answer && data.answer.window === i ? " (the answer)" : ""));
    if (JSON.stringify(labels) !== el.labels) {
      input.replaceChildren(...labels.map((text, i) => h("option", { value: String(i) }, text)));
      el.labels = JSON.stringify(labels);
    }
    input.value = String(w);
  };
  return el;
}

export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config, { css: CSS, cls: "hfa-qa" });
  parts.body.after(tapReadout(parts.body));  // a tap reads what hovering shows
  const picker = exampleControl(model);
  const question = textControl(model, "question", { label: "question", patch: { window: null } });
  const context = textControl(model, "context", { label: "context", multiline: true, rows: 4,
    patch: { window: null } });
  const flush = () => { question.flush(); context.flush(); };
  const mode = selectControl(model, "mode", config.modes, { label: "show" });
  mode.input.addEventListener("change", flush, { capture: true });
  const windows = windowControl(model, flush);
  parts.controls.append(picker, mode, windows, question, context);
  const answer = h("div"), chips = h("div"), sum = h("div");
  parts.body.append(answer, key(), chips, sum);

  const redraw = () => {
    picker.sync();
    question.sync();
    context.sync();
    mode.sync();
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.windows) return;
    const st = model.get("state");
    const count = data.windows.length;
    // window null: the one the answer comes from; past the last: the last
    const pick = st.window ?? data.answer?.window ?? 0;
    const w = Math.min(Math.max(Number(pick) || 0, 0), count - 1);
    windows.show(data, w);
    const win = data.windows[w];
    const a = data.answer;
    answer.replaceChildren(answerLine(data));
    chips.replaceChildren(drawChips(win, st.mode,
      a && a.window === w ? [a.start_token, a.end_token] : null));
    sum.replaceChildren(windowSummary(win));
  };
  redraw();
  const off = onChanges(model, redraw);
  return () => {
    question.cancel();
    context.cancel();
    off();
  };
}
