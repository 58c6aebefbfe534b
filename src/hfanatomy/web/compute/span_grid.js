/**
 * The span grid's data in the browser, step for step as hfanatomy.explorers.span_grid's
 * grid_data (Python): the question and context cut into windows (qa.encodeWindows), the
 * model on every window (qa_forward.js: in the page's Web Worker when it is long, with
 * progress here; its cache keeps the logits of the windows seen last), one
 * window's start/end probabilities and best cells (qa.spanScores, qa.topSpans) and the v4
 * pipeline's answers over all windows (qa.decodeDetails).
 *
 * The logits of the last (question, context, maxSeqLen, docStride) are kept (and shared
 * while the model still runs): moving max_answer_len, top_k, the window or
 * handle_impossible_answer decodes again without running the model.
 */
import * as qa from "../qa.js";
import { codePointIndex } from "../tokenize.js";
import { wholeNumber } from "../rules/checks.js";
import { WORKER_FROM, windowLogits } from "./qa_forward.js";

const MODEL = "qa";

let run = null;  // the model's run on the last texts: { key, promise, cancelled }

/**
 * The model's start and end logits of every window: { start: [...], end: [...] }. A run
 * is kept for its texts, finished or in flight: a state that changes only max_answer_len,
 * top_k, the window or handle_impossible_answer awaits the same run. New texts cancel the
 * old run before its next window (the worker finishes the window it is on).
 */
function logitsOf(encoded, key, ctx) {
  if (run && run.key === key) return run.promise;
  if (run) run.cancelled = true;
  const mine = { key, cancelled: false };
  mine.promise = (async () => {
    const start = [], end = [];
    const n = encoded.windows.length;
    for (let i = 0; i < n; i++) {
      if (mine.cancelled) throw new DOMException("superseded", "AbortError");
      const w = encoded.windows[i];
      if (w.input_ids.length > WORKER_FROM) {
        ctx.progress?.(`running the model on window ${i + 1} of ${n} (${w.input_ids.length} tokens)…`);
      }
      const out = await windowLogits(w, ctx, MODEL);  // in the worker when long; cached
      start.push(out.start);
      end.push(out.end);
    }
    return { start, end };
  })();
  mine.promise.catch(() => {
    if (run === mine) run = null;  // failed or cancelled: the next state runs again
  });
  run = mine;
  return mine.promise;
}

function roleOf(w, i, contextSeq) {
  if (!w.attention_mask[i]) return "pad";
  const s = w.sequence_ids[i];
  return s == null ? "special" : s === contextSeq ? "context" : "question";
}

/** The data the span-grid view draws: the same JSON as the Python explorer's compute(state). */
export async function compute(state, ctx) {
  const maxAnswerLen = wholeNumber(state.max_answer_len, "max_answer_len", 1);
  const topK = wholeNumber(state.top_k, "top_k", 1);
  const windowWanted = wholeNumber(state.window ?? 0, "window", 0);
  const hia = Boolean(state.handle_impossible_answer);
  const model = ctx.model(MODEL);
  const encoded = qa.encodeWindows(state.question, state.context, model.tokenizer,
    { maxSeqLen: state.max_seq_len ?? null, docStride: state.doc_stride ?? null });
  const key = JSON.stringify([state.question, state.context, encoded.maxSeqLen, encoded.docStride]);
  const logits = await logitsOf(encoded, key, ctx);
  if (ctx.signal?.aborted) throw new DOMException("superseded", "AbortError");
  const num = encoded.windows.length;
  const wi = Math.min(windowWanted, num - 1);
  const w = encoded.windows[wi];
  const scores = qa.spanScores(logits.start[wi], logits.end[wi], w.contextMask,
    { maxAnswerLen, nullIndex: 0 });
  const cp = codePointIndex(state.context);  // JS string index -> Python character index
  const best = qa.topSpans(scores, topK).map((sp) => {
    const a = w.offsets[sp.start][0], b = w.offsets[sp.end][1];
    return { start_token: sp.start, end_token: sp.end, text: state.context.slice(a, b),
      start: cp[a], end: cp[b], score: sp.score };
  });
  const details = qa.decodeDetails(encoded, logits, { topK, maxAnswerLen,
    handleImpossibleAnswer: hia });
  const argmax = (x) => x.reduce((m, v, i) => (v > x[m] ? i : m), 0);
  const warnings = [];
  if (num > 1) {
    warnings.push(`The context is cut into ${num} windows of at most ${encoded.maxSeqLen} tokens `
      + `(each repeats the last ${encoded.docStride} context tokens of the one before); `
      + `the grid shows window ${wi + 1}, the answers come from all ${num}.`);
  }
  if (windowWanted >= num) warnings.push(`There is no window ${windowWanted + 1}: showing the last, ${num}.`);
  return {
    window: wi,
    num_windows: num,
    windows: encoded.windows.map((win) => qa.contextChars(win)?.map((k) => cp[k]) ?? null),
    tokens: [...w.tokens],
    roles: w.input_ids.map((_, i) => roleOf(w, i, encoded.contextSeq)),
    start_probs: Array.from(scores.startProbs),
    end_probs: Array.from(scores.endProbs),
    null_index: 0,
    null_score: scores.nullScore,
    max_answer_len: maxAnswerLen,
    best,
    argmax_start: argmax(logits.start[wi]),
    argmax_end: argmax(logits.end[wi]),
    answers: details.answers.map((a) => ({ text: a.text, score: a.score, start: cp[a.start],
      end: cp[a.end], window: a.window, start_token: a.startToken, end_token: a.endToken,
      merged: a.merged })),
    null_answer_score: details.nullScore,  // the smallest null score over the windows
    handle_impossible_answer: hia,
    warnings,
  };
}
