/**
 * The windows explorer's data in the browser, step for step as
 * hfanatomy.explorers.windows.windows_data: the context cut into windows of max_seq_len
 * tokens repeating doc_stride tokens (tokenizer only), and with state.answers each window's
 * own best span (the model on every window, one after the other, with progress) and the
 * answer chosen across windows. Characters are Python's (code points, as the data of every
 * explorer): the JS offsets (UTF-16) go through codePointIndex.
 */
import { decode, encodeWindows, spanScores, topSpans } from "../qa.js";
import { codePointIndex } from "../tokenize.js";
import { checkText, checkTokens, windowLogits } from "./qa_forward.js";

const EMPTY = "; an extractive QA model needs a non-empty question and a non-empty context.";

function integer(value, name) {
  const n = Number(value ?? 0);
  if (!Number.isInteger(n)) {
    throw new Error(`max_seq_len, doc_stride and window must be integers (${name}=${value}).`);
  }
  return n;
}

/** Python's (qa.encode_windows) checks of the settings, with its messages. */
function checkSettings(question, tokenizer, m, s) {
  if (m < 2) throw new Error(`max_seq_len must be >= 2; got ${m}.`);
  if (s < 0) throw new Error(`doc_stride must be >= 0; got ${s}.`);
  const specials = tokenizer.template.pair.filter((p) => p.special).length;
  const room = m - tokenizer.pieces(question).ids.length - specials;
  if (room < 1) {
    throw new Error(`question is too long: it leaves no room for the context in a window of `
      + `max_seq_len=${m} tokens (${m - room} tokens would be needed for the question and the `
      + "special tokens). Shorten the question or raise max_seq_len.");
  }
  if (s >= room) {
    throw new Error(`doc_stride=${s} must be smaller than the room left for the context in one `
      + `window (${room} tokens = max_seq_len ${m} - question and special tokens for question); `
      + `otherwise windows would never advance. Use a doc_stride below ${room} or a larger `
      + "max_seq_len.");
  }
  return room;
}

export async function compute(state, ctx) {
  const question = checkText(state.question, "question", EMPTY);
  const context = checkText(state.context, "context", EMPTY);
  const m = integer(state.max_seq_len, "max_seq_len");
  const s = integer(state.doc_stride, "doc_stride");
  const k = integer(state.window, "window");
  const maxAnswerLen = ctx.config?.max_answer_len ?? 15;  // the explorer's, as in Python
  const model = ctx.model("qa");
  checkTokens(context, model.tokenizer);
  if (state.answers && ctx.config && !ctx.config.can_answer) {
    throw new Error("this explorer has no model: it cannot read answers from the windows.");
  }
  const room = checkSettings(question, model.tokenizer, m, s);
  const encoded = encodeWindows(question, context, model.tokenizer,
    { maxSeqLen: m, docStride: s });
  const n = encoded.windows.length;
  const cp = codePointIndex(context);  // UTF-16 index -> code point index
  const windows = encoded.windows.map((w) => {
    const [a, b] = w.contextRange;
    const [t0, t1] = w.contextTokens;
    return { first_token: a, last_token: b - 1, first_char: cp[w.offsets[t0][0]],
      end_char: cp[w.offsets[t1][1]], best: null };
  });
  const data = { max_seq_len: m, doc_stride: s, room,
    num_context_tokens: windows[n - 1].last_token + 1, windows,
    answers: Boolean(state.answers), chosen: null,
    selected: k >= 1 && k <= n ? k - 1 : null, warnings: [] };
  if (k > n) {
    data.warnings.push(`there is no window ${k}: max_seq_len=${m} and doc_stride=${s} make `
      + `${n} window(s); all are shown.`);
  }
  if (!data.answers) return data;

  const limit = model.config.max_position_embeddings;
  const longest = Math.max(...encoded.windows.map((w) => w.input_ids.length));
  if (limit && longest > limit) {
    throw new Error(`windows of ${longest} tokens are longer than the ${limit} positions this `
      + `model has; use max_seq_len <= ${limit}.`);
  }
  const logits = { start: [], end: [] };
  for (let i = 0; i < n; i++) {
    if (ctx.signal?.aborted) throw new DOMException("superseded", "AbortError");
    ctx.progress?.(`reading window ${i + 1} of ${n}…`);
    const w = encoded.windows[i];
    const { start, end } = await windowLogits(w, ctx);
    logits.start.push(start);
    logits.end.push(end);
    const sc = spanScores(start, end, w.contextMask, { maxAnswerLen, nullIndex: 0 });
    const best = topSpans(sc, 1)[0];
    if (best) {
      const a = w.offsets[best.start][0], b = w.offsets[best.end][1];
      const shift = w.contextRange[0] - w.contextTokens[0];  // window position -> context token
      windows[i].best = { text: context.slice(a, b), start: cp[a], end: cp[b], score: best.score,
        window: i, first_token: best.start + shift, last_token: best.end + shift };
    }
  }
  const chosen = decode(encoded, logits, { topK: 1, maxAnswerLen, alignToWords: false })[0];
  data.chosen = chosen ? { text: chosen.text, start: cp[chosen.start], end: cp[chosen.end],
    score: chosen.score, window: chosen.window } : null;
  return data;
}
