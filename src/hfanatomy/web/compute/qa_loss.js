/**
 * The QA-loss explorer's data in the browser, step for step as
 * hfanatomy.explorers.qa_loss.qa_loss_data: the pair encoded as one window of at most
 * max_length tokens (the context cut), the model's start/end probabilities over the L
 * positions, and BertForQuestionAnswering's loss for the gold start and end of the state,
 * which may lie outside the window: clamped to [0, L], L ignored (its term is null), the
 * loss NaN (null) when a term is ignored, as torch with one example. Also the loss with the
 * answer's own tokens as gold.
 */
import { logSoftmax, qaLoss } from "../losses.js";
import { encodeWindows } from "../qa.js";
import { checkText, checkTokens, windowLogits } from "./qa_forward.js";

const EMPTY = ": give the model some text to read.";

function position(value, name) {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new Error(`${name} must be a whole number (a token position); got ${value}.`);
  }
  return value;
}

/** Python's QAInput.token_span: the tokens covering characters [a, b), or null. */
function tokenSpan(w, a, b) {
  const [first, last] = w.contextTokens;
  if (a < w.offsets[first][0] || b > w.offsets[last][1]) return null;
  let start = first, end = last;
  while (w.offsets[start][1] <= a) start++;
  while (w.offsets[end][0] >= b) end--;
  return [start, end];
}

export async function compute(state, ctx) {
  const question = checkText(state.question, "question", EMPTY);
  const context = checkText(state.context, "context", EMPTY);
  const follow = state.follow_answer === true;  // the gold follows the typed answer
  const [gs, ge] = follow ? [0, 0]
    : [position(state.gold_start, "gold start"), position(state.gold_end, "gold end")];
  const maxLength = ctx.config?.max_length ?? 384;  // the explorer's, as in Python
  const tokenizer = ctx.model("qa").tokenizer;
  checkTokens(context, tokenizer);
  const nq = tokenizer.pieces(question).ids.length;
  const ns = tokenizer.template.pair.filter((p) => p.special).length;
  if (nq + ns >= maxLength) {
    throw new Error(`the question alone takes ${nq} tokens + ${ns} special tokens, which leaves `
      + `no room for the context in max_length=${maxLength}. Shorten the question or raise `
      + "max_length.");
  }
  const encoded = encodeWindows(question, context, tokenizer, { maxSeqLen: maxLength, docStride: 0 });
  const w = encoded.windows[0];
  const L = w.input_ids.length;
  const truncated = encoded.windows.length > 1;
  const warnings = [];
  if (truncated) {
    const n = w.contextMask.filter(Boolean).length;
    warnings.push(`the pair is longer than ${maxLength} tokens: the context is cut to its first `
      + `${n} tokens, the window this loss sees.`);
  }
  if (L > 128) ctx.progress?.(`running the model on ${L} tokens…`);
  const { start, end } = await windowLogits(w, ctx);
  const probs = (x) => logSoftmax(x).map(Math.exp);

  const lossAt = (s, e) => {
    const r = qaLoss([start], [end], [s], [e]);
    const term = (t) => (Number.isNaN(t) ? null : t);
    return { start: s, end: e, clamped_start: Math.min(Math.max(s, 0), L),
      clamped_end: Math.min(Math.max(e, 0), L), start_term: term(r.start.terms[0]),
      end_term: term(r.end.terms[0]), loss: Number.isNaN(r.loss) ? null : r.loss };
  };

  let span = null;
  const answer = state.answer ?? "";
  if (answer.trim()) {
    const at = context.indexOf(answer);
    if (at < 0) {
      warnings.push(`the answer "${answer}" does not occur in the context.`);
    } else {
      const tokens = tokenSpan(w, at, at + answer.length);
      if (!tokens) warnings.push(`the answer "${answer}" lies past the cut, outside the window.`);
      else span = lossAt(...tokens);
    }
  }
  const roles = w.sequence_ids.map((s) => (s === 0 ? "question" : s === 1 ? "context" : "special"));
  let [gs1, ge1] = [gs, ge];
  if (follow && span) {
    [gs1, ge1] = [span.start, span.end];
  } else if (follow) {  // no answer in the window: the null position, as training labels it
    warnings.push("no answer in the window: the gold is position 0 for both, the null "
      + "answer, as training labels an answer that is not in the window.");
  }
  return { L, tokens: w.tokens, roles, start_probs: probs(start), end_probs: probs(end),
    gold: lossAt(gs1, ge1), answer_span: span, truncated, follow_answer: follow, warnings };
}
