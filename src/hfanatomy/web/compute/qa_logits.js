/**
 * The QA logits explorer's data in the browser: the same JSON as
 * hfanatomy.explorers.qa_logits.qa_logits_data (QALogitsExplorer.compute) for the
 * embedded BERT, step for step:
 *   1. question + context as the v4 pipeline's overlapping windows (qa.encodeWindows:
 *      a long context is split, never cut);
 *   2. each window alone through the model -- in the worker (ctx.forwardAsync) when it is
 *      long, with "window k of n" as progress; a newer state aborts the run between windows;
 *   3. per window a softmax over all its positions, the highest start and end;
 *   4. the answer over all windows: qa.decodeDetails (equal to hfanatomy.qa.decode), with
 *      the null answer's score (hfanatomy.qa.null_score).
 * Character positions count code points, as Python's do (JS strings count UTF-16 units).
 * The model runs once per (question, context, max_seq_len, doc_stride): a change of mode
 * or window only redraws.
 */
import * as qa from "../qa.js";
import { codePointIndex, readablePiece } from "../tokenize.js";
import { WORKER_FROM, windowLogits } from "./qa_forward.js";


/** hfanatomy.tokens.tokenizer_kind: "byte-level BPE", "WordPiece", ... */
function tokenizerKind(tok) {
  return tok.byteLevel ? "byte-level BPE" : tok.model.type;
}

/** softmax over all positions (float64). */
function softmax(x) {
  let max = -Infinity;
  for (const v of x) if (v > max) max = v;
  const e = Array.from(x, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

function argmax(x) {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}

let cache = { key: null, data: null };

/** The data for state { question, context, max_seq_len, doc_stride }. */
export async function compute(state, ctx) {
  const { question, context } = state;
  for (const [name, value] of [["question", question], ["context", context]]) {
    if (typeof value !== "string") throw new Error(`${name} must be a string; got ${typeof value}.`);
  }
  const maxSeqLen = state.max_seq_len ?? 384, docStride = state.doc_stride ?? 128;
  const key = JSON.stringify([question, context, maxSeqLen, docStride]);
  if (cache.key === key) return cache.data;
  const model = ctx.model("qa");
  const tok = model.tokenizer;
  const encoded = qa.encodeWindows(question, context, tok, { maxSeqLen, docStride });
  const limit = model.config.max_position_embeddings;
  const longest = Math.max(...encoded.windows.map((w) => w.input_ids.length));
  if (limit != null && longest > limit) {
    throw new Error(`windows of ${longest} tokens are longer than the ${limit} positions this `
      + `model has; use max_seq_len <= ${limit}.`);
  }
  const count = encoded.windows.length;
  const start = [], end = [];
  for (let i = 0; i < count; i++) {
    if (ctx.signal?.aborted) throw new DOMException("superseded by a newer state", "AbortError");
    const w = encoded.windows[i];
    if (count > 1 || w.input_ids.length > WORKER_FROM) {
      ctx.progress?.(`running the model on window ${i + 1} of ${count} (${w.input_ids.length} tokens)`);
    }
    const out = await windowLogits(w, ctx, "qa");
    start.push(Float64Array.from(out.start));
    end.push(Float64Array.from(out.end));
  }
  if (ctx.signal?.aborted) throw new DOMException("superseded by a newer state", "AbortError");
  const details = qa.decodeDetails(encoded, { start, end });
  const best = details.answers;
  const cp = codePointIndex(context);  // UTF-16 index -> code point index, as Python counts
  const kind = tokenizerKind(tok);
  const windows = encoded.windows.map((w, i) => ({
    tokens: w.tokens.map((t) => readablePiece(t, kind)),
    roles: w.sequence_ids.map((s) => (s === null ? "special"
      : (s === encoded.contextSeq ? "context" : "question"))),
    start_logits: Array.from(start[i]),
    end_logits: Array.from(end[i]),
    start_probs: softmax(start[i]),
    end_probs: softmax(end[i]),
    best_start: argmax(start[i]),
    best_end: argmax(end[i]),
    context_chars: qa.contextChars(w).map((c) => cp[c]),
  }));
  const nContext = tok.pieces(context).ids.length;
  const warnings = [];
  if (count > 1) {
    warnings.push(`The context is ${nContext} tokens: more than fit next to the question in one `
      + `window of ${encoded.maxSeqLen} tokens. It is read in ${count} overlapping windows `
      + `(each repeats the last ${encoded.docStride} context tokens of the one before), each `
      + "run alone; the scores below are one window's, the answer is read from all of them.");
  }
  let answer = null;
  if (best.length) {
    const a = best[0];
    answer = { text: a.text, start: cp[a.start], end: cp[a.end], score: a.score, window: a.window,
      start_token: a.startToken, end_token: a.endToken, null_score: details.nullScore };
  }
  const data = { max_seq_len: encoded.maxSeqLen, doc_stride: encoded.docStride,
    question_tokens: windows[0].roles.filter((r) => r === "question").length,
    context_tokens: nContext, windows, answer, warnings };
  cache = { key, data };
  return data;
}
