/**
 * Extractive question answering in the browser: from a question and a context to answers,
 * step by step as hfanatomy.qa does it in Python (the transformers 4 pipeline's rules).
 *
 * 1. encodeWindows -- question + context as a pair, only the context cut into overlapping
 *    windows of at most maxSeqLen tokens, each repeating the last docStride context tokens
 *    of the one before (the tokenizers library's truncation with a stride); per window the
 *    ids, token type ids, offsets, word ids, contextMask and answerMask.
 * 2. runModel -- the model on each window alone (no padding), start and end logits
 *    (runModelAsync: the same, yielding to the page between windows, with progress).
 * 3. spanScores -- per window: tokens outside answerMask set to -10000 except the null
 *    token ([CLS], position 0), softmax, the null token's pStart * pEnd kept as the null
 *    score and then zeroed, grid[i][j] = pStart[i] * pEnd[j] for i <= j < i + maxAnswerLen
 *    with both in answerMask. The arithmetic is rounded to float32 at each step, as numpy's
 *    was in v4 (so a cell that underflows to 0 there does here too).
 * 4. topSpans -- the n best allowed cells of one window (what the book reads);
 *    pipelineSpans -- what v4 took: the n best cells of the whole grid, *then* those with
 *    an end outside answerMask dropped (position 0 always passes).
 * 5. decode -- spans to characters (widened to whole words with alignToWords), preTopk =
 *    topK * 2 + 10 candidates per window when aligning to words, equal texts (ignoring
 *    case) merged with their scores added, the null answer appended when
 *    handleImpossibleAnswer, a stable sort by score, the first topK.
 *
 * One (question, context) pair at a time. Word ids (for alignToWords) are known for WordPiece
 * tokenizers (BERT, the embedded QA model); with a byte-level BPE one (RoBERTa) decode needs
 * alignToWords: false and says so. Offsets and answers' start/end are JS string
 * indices (UTF-16 code units; Python counts code points: they differ only past U+FFFF).
 *
 * Ties: v4 ordered cells of equal score in numpy's order (argpartition + argsort), which
 * is not stable and depends on the CPU (AVX-512 sorts). Equal positive scores are rare;
 * equal zeros fill a window that has fewer than preTopk cells above 0 (a tiny context, or
 * maxAnswerLen 1). Here ties come in position order (argmax's choice for topK = 1), so the
 * zero-score fillers may differ from Python's; answers above 0 do not.
 */
import { forwardOne as runtimeForwardOne } from "./forward.js";
import { wholeNumber } from "./rules/checks.js";
import { VALID, maskReason } from "./rules/spans.js";

/** The value tokens outside the answer mask get before the softmax (select_starts_ends). */
const MASKED_LOGIT = -10000;


const f32 = Math.fround;

function checkText(value, name) {
  if (typeof value !== "string") throw new TypeError(`${name} must be a string; got ${typeof value}.`);
  if (!value.trim()) {
    throw new RangeError(`${name} is empty (or only whitespace); an extractive QA model needs a `
      + "non-empty question and a non-empty context.");
  }
  return value;
}

/**
 * [maxSeqLen, docStride] with v4's defaults for the ones left undefined or null:
 * maxSeqLen = min(model_max_length, 384), then docStride = min(floor(maxSeqLen / 2), 128).
 */
function pipelineDefaults(tokenizer, maxSeqLen = null, docStride = null) {
  const modelMax = tokenizer.inner?.config?.model_max_length ?? 512;  // tokenizer_config.json
  if (maxSeqLen == null) maxSeqLen = Math.min(modelMax, 384);
  if (docStride == null && Number.isInteger(maxSeqLen)) docStride = Math.min(Math.floor(maxSeqLen / 2), 128);
  return [maxSeqLen, docStride];
}

/** How many special tokens a pair gets ([CLS] q [SEP] c [SEP] -> 3 for BERT). */
function pairSpecials(tokenizer) {
  return tokenizer.template.pair.filter((p) => p.special).length;
}

/** How many context tokens fit in one window next to the question. */
function contextRoom(question, tokenizer, maxSeqLen) {
  return maxSeqLen - tokenizer.pieces(question).ids.length - pairSpecials(tokenizer);
}

/**
 * Word ids of WordPiece tokens, counted from 0 in their text: a token not starting with
 * the continuation prefix ("##") starts a new word (BERT's pre-tokenizer splits on spaces
 * and punctuation; each piece of a word but the first carries the prefix).
 */
export function wordIds(tokens, tokenizer) {
  const prefix = tokenizer.model.continuing_subword_prefix ?? "##";
  if (tokenizer.byteLevel || tokenizer.model.type !== "WordPiece") {
    throw new Error("word ids (alignToWords) are implemented for WordPiece tokenizers only");
  }
  let word = -1;
  return tokens.map((t) => {
    if (!(t.startsWith(prefix) && t.length > prefix.length) || tokenizer.added.has(t)) word++;
    return Math.max(word, 0);
  });
}

/**
 * The token ranges [start, stop) of a sequence of n tokens cut to at most room tokens with
 * overlap stride, as the tokenizers library's Encoding.truncate (direction right).
 */
function truncationRanges(n, room, stride) {
  if (n <= room) return [[0, n]];
  const ranges = [];
  for (let start = 0; ; start += room - stride) {
    const stop = Math.min(start + room, n);
    ranges.push([start, stop]);
    if (stop === n) return ranges;
  }
}

/**
 * Question + context as windows, like the v4 pipeline's preprocess: the question first
 * with the context truncated ("only_second"), or, with questionFirst false (a tokenizer
 * that pads on the left), the context first and truncated ("only_first").
 * Returns { windows, question, context, questionFirst, maxSeqLen, docStride, room,
 * contextSeq, hasWords (word ids known: WordPiece) } where
 * each window is { input_ids, token_type_ids, attention_mask, tokens, offsets,
 * sequence_ids, word_ids, contextMask, answerMask, contextTokens: [first, last] }.
 * answerMask is what v4 let into the softmax and into answers (0 in its p_mask): the
 * context and [CLS] when the question comes first, every token when the context does.
 */
export function encodeWindows(question, context, tokenizer,
  { maxSeqLen = null, docStride = null, questionFirst = true } = {}) {
  [maxSeqLen, docStride] = pipelineDefaults(tokenizer, maxSeqLen, docStride);
  checkText(question, "question");
  checkText(context, "context");
  wholeNumber(maxSeqLen, "maxSeqLen", 2);
  wholeNumber(docStride, "docStride", 0);
  const q = tokenizer.pieces(question), c = tokenizer.pieces(context);
  const room = maxSeqLen - q.ids.length - pairSpecials(tokenizer);
  if (room < 1) {
    throw new RangeError(`question is too long: it leaves no room for the context in a window of `
      + `maxSeqLen=${maxSeqLen} tokens (${maxSeqLen - room} tokens would be needed for the `
      + "question and the special tokens). Shorten the question or raise maxSeqLen.");
  }
  if (docStride >= room) {
    throw new RangeError(`docStride=${docStride} must be smaller than the room left for the `
      + `context in one window (${room} tokens = maxSeqLen ${maxSeqLen} - question and special `
      + `tokens); otherwise windows would never advance. Use a docStride below ${room} or a `
      + "larger maxSeqLen.");
  }
  const hasWords = !tokenizer.byteLevel && tokenizer.model.type === "WordPiece";
  const wordsOf = (p) => (hasWords ? wordIds(p.tokens, tokenizer) : p.tokens.map(() => null));
  q.words = wordsOf(q);
  c.words = wordsOf(c);
  const contextSeq = questionFirst ? 1 : 0;
  const clsId = tokenizer.template.pair.find((p) => p.special)?.special[1];
  const windows = truncationRanges(c.ids.length, room, docStride).map(([a, b]) => {
    const part = { tokens: c.tokens.slice(a, b), ids: c.ids.slice(a, b),
      offsets: c.offsets.slice(a, b), words: c.words.slice(a, b) };
    const w = tokenizer.assemble(questionFirst ? [q, part] : [part, q]);
    w.contextMask = w.sequence_ids.map((s) => s === contextSeq);
    w.answerMask = questionFirst ? [...w.contextMask] : w.input_ids.map(() => true);
    w.input_ids.forEach((id, i) => { if (id === clsId) w.answerMask[i] = true; });
    const inContext = w.contextMask.flatMap((m, i) => (m ? [i] : []));
    w.contextTokens = inContext.length ? [inContext[0], inContext.at(-1)] : null;
    w.contextRange = [a, b];  // the context tokens this window holds, [a, b)
    return w;
  });
  return { windows, question, context, questionFirst, maxSeqLen, docStride, room,
    contextSeq, hasWords };
}

/** (first, last + 1) character of the context that window w covers (null if none). */
export function contextChars(window) {
  if (!window.contextTokens) return null;
  const [s, e] = window.contextTokens;
  return [window.offsets[s][0], window.offsets[e][1]];
}

/**
 * The model on every window, each alone and unpadded as in v4:
 * { start: [Float64Array(L_w)], end: [...] }. onWindow(w, count) is called after each.
 */
export function runModel(model, encoded, { forwardOne = runtimeForwardOne, onWindow = null } = {}) {
  const start = [], end = [];
  encoded.windows.forEach((w, i) => {
    const out = forwardOne(model, w.input_ids, w.attention_mask,
      model.tokenizer.withTypeIds ? w.token_type_ids : null);
    if (!out.start_logits) {
      throw new Error(`model "${model.name}" returned no start/end logits: it is not a `
        + "question-answering model");
    }
    start.push(out.start_logits);
    end.push(out.end_logits);
    if (onWindow) onWindow(i, encoded.windows.length);
  });
  return { start, end };
}

/**
 * runModel, one window per task: the page stays responsive between windows (a 384-token
 * window takes about a second). onWindow(w, count) reports progress; an aborted
 * signal (AbortController) stops before the next window with an AbortError.
 */
export async function runModelAsync(model, encoded,
  { forwardOne = runtimeForwardOne, onWindow = null, signal = null } = {}) {
  const start = [], end = [];
  const count = encoded.windows.length;
  for (let i = 0; i < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));  // let the page handle input
    if (signal?.aborted) throw new DOMException("the QA run was aborted", "AbortError");
    const one = { ...encoded, windows: [encoded.windows[i]] };
    const logits = runModel(model, one, { forwardOne });
    start.push(logits.start[0]);
    end.push(logits.end[0]);
    if (onWindow) onWindow(i, count);
  }
  return { start, end };
}

/** softmax in float32 steps, as numpy did: exp(x - max) / sum. */
function softmax32(x) {
  let max = -Infinity;
  for (const v of x) if (v > max) max = v;
  const e = new Float32Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) { e[i] = Math.exp(f32(x[i] - max)); sum += e[i]; }
  sum = f32(sum);
  for (let i = 0; i < x.length; i++) e[i] = f32(e[i] / sum);
  return e;
}

/**
 * The span scores of one window (L tokens): { startProbs, endProbs (Float32Array L, the
 * softmax with the null token kept), nullScore, grid (Float32Array L * L, row = start,
 * column = end, 0 outside valid cells), valid(i, j), maxAnswerLen, length }.
 * mask: per token, true where it may be an answer (answerMask).
 */
export function spanScores(startLogits, endLogits, mask, { maxAnswerLen = 15, nullIndex = 0 } = {}) {
  wholeNumber(maxAnswerLen, "maxAnswerLen", 1);
  const L = startLogits.length;
  if (endLogits.length !== L || mask.length !== L) {
    throw new RangeError(`start (${L}), end (${endLogits.length}) and mask (${mask.length}) `
      + "must have the same length");
  }
  const allowed = (i) => mask[i] || i === nullIndex;
  const masked = (x) => Array.from(x, (v, i) => (allowed(i) ? f32(v) : MASKED_LOGIT));
  const startProbs = softmax32(masked(startLogits));  // (L)
  const endProbs = softmax32(masked(endLogits));  // (L)
  const nullScore = f32(startProbs[nullIndex] * endProbs[nullIndex]);
  const pStart = Float32Array.from(startProbs), pEnd = Float32Array.from(endProbs);
  pStart[nullIndex] = 0;
  pEnd[nullIndex] = 0;
  const grid = new Float32Array(L * L);  // (L, L)
  for (let i = 0; i < L; i++) {
    if (!mask[i]) continue;
    for (let j = i; j < Math.min(L, i + maxAnswerLen); j++) {
      if (mask[j]) grid[i * L + j] = pStart[i] * pEnd[j];  // stored as float32
    }
  }
  const valid = (i, j) => maskReason(mask, maxAnswerLen, i, j) === VALID;
  return { startProbs, endProbs, nullScore, grid, valid, maxAnswerLen, length: L, mask,
    nullIndex };
}

/** The topK best valid cells of one window's grid, best first: [{ start, end, score }]. */
export function topSpans(scores, topK = 1) {
  wholeNumber(topK, "topK", 1);
  const { grid, length: L, mask, maxAnswerLen } = scores;
  const cells = [];
  for (let i = 0; i < L; i++) {
    if (!mask[i]) continue;
    for (let j = i; j < Math.min(L, i + maxAnswerLen); j++) {
      if (mask[j]) cells.push({ start: i, end: j, score: grid[i * L + j] });
    }
  }
  cells.sort((a, b) => b.score - a.score);  // stable: ties in position order
  return cells.slice(0, topK);
}

/** How many spans v4 read from each window: topK * 2 + 10 when aligning to words, else topK. */
function preTopk(topK, alignToWords = true) {
  return alignToWords ? topK * 2 + 10 : topK;
}

/**
 * The spans v4's decode_spans returned for one window, best first: the topK largest
 * cells of the whole grid (allowed or not; masked cells are 0), then those whose start
 * or end is outside mask dropped -- position 0 always passes. When fewer than topK cells
 * are above 0, cells scored 0 fill the rest (in position order here; see the ties note).
 */
function pipelineSpans(scores, topK = 1) {
  wholeNumber(topK, "topK", 1);
  const { grid, length: L, mask } = scores;
  const positive = [];
  for (let k = 0; k < grid.length; k++) if (grid[k] > 0) positive.push(k);
  positive.sort((a, b) => grid[b] - grid[a] || a - b);
  const chosen = positive.slice(0, topK);
  for (let k = 0; k < grid.length && chosen.length < Math.min(topK, grid.length); k++) {
    if (!(grid[k] > 0)) chosen.push(k);  // the zero cells, in position order
  }
  const ok = (p) => p === 0 || mask[p];
  const spans = [];
  for (const k of chosen) {
    const s = Math.floor(k / L), e = k % L;
    if (ok(s) && ok(e)) spans.push({ start: s, end: e, score: grid[k] });
  }
  return spans;
}

/**
 * Characters [start, end) of tokens s..e of one window, as v4's get_indices: with
 * alignToWords the first and last token widened to their words (token_to_word, then
 * word_to_chars in the context's sequence); if either has no word, the tokens' offsets.
 */
function spanChars(encoded, window, s, e, alignToWords = true) {
  if (alignToWords && !encoded.hasWords) {
    throw new Error("alignToWords needs word ids, implemented here for WordPiece tokenizers "
      + "(BERT) only; pass alignToWords: false to keep the tokens' own offsets");
  }
  if (alignToWords) {
    const sw = window.word_ids[s], ew = window.word_ids[e];
    if (sw != null && ew != null) {
      const first = wordToChars(window, sw, encoded.contextSeq);
      const last = wordToChars(window, ew, encoded.contextSeq);
      if (first && last) return [first[0], last[1]];
    }
  }
  return [window.offsets[s][0], window.offsets[e][1]];
}

/** The characters of word `word` of sequence `seq` in this window (its tokens there), or null. */
function wordToChars(window, word, seq) {
  let first = -1, last = -1;
  window.word_ids.forEach((w, i) => {
    if (w === word && window.sequence_ids[i] === seq) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return first < 0 ? null : [window.offsets[first][0], window.offsets[last][1]];
}

/**
 * v4's get_answer rule: an answer whose text equals (ignoring case) an earlier one is not
 * added; its score is added to the earlier one's, which keeps its place, start and end.
 */
function mergeAnswers(answers) {
  const merged = [], byText = new Map();
  for (const a of answers) {
    const key = a.text.toLowerCase();
    const first = byText.get(key);
    if (first) {
      first.score += a.score;
      first.merged += a.merged ?? 1;
    } else {
      const copy = { merged: 1, ...a };
      byText.set(key, copy);
      merged.push(copy);
    }
  }
  return merged;
}

/**
 * The answers of one encoded pair from its windows' logits, best first (v4's postprocess):
 * [{ text, start, end, score, window, startToken, endToken, merged }], the null answer
 * { text: "", start: 0, end: 0, window: null } among them when handleImpossibleAnswer.
 * Also returns what led there: { answers, scores (per window), spans (per window),
 * candidates (before merging), nullScore }.
 */
export function decodeDetails(encoded, logits, { topK = 1, maxAnswerLen = 15,
  handleImpossibleAnswer = false, alignToWords = true } = {}) {
  wholeNumber(topK, "topK", 1);
  wholeNumber(maxAnswerLen, "maxAnswerLen", 1);
  const scores = encoded.windows.map((w, i) => spanScores(logits.start[i], logits.end[i],
    w.answerMask, { maxAnswerLen }));
  const spans = scores.map((sc) => pipelineSpans(sc, preTopk(topK, alignToWords)));
  const candidates = [];
  spans.forEach((list, w) => {
    for (const sp of list) {
      const [a, b] = spanChars(encoded, encoded.windows[w], sp.start, sp.end, alignToWords);
      candidates.push({ text: encoded.context.slice(a, b), start: a, end: b, score: sp.score,
        window: w, startToken: sp.start, endToken: sp.end, merged: 1 });
    }
  });
  const answers = mergeAnswers(candidates);
  const nullScore = Math.min(...scores.map((sc) => sc.nullScore));
  if (handleImpossibleAnswer) {
    answers.push({ text: "", start: 0, end: 0, score: nullScore, window: null,
      startToken: null, endToken: null, merged: 1 });
  }
  answers.sort((a, b) => b.score - a.score);  // stable: ties keep their order
  return { answers: answers.slice(0, topK), scores, spans, candidates, nullScore };
}

/** decodeDetails(...).answers. */
export function decode(encoded, logits, options = {}) {
  return decodeDetails(encoded, logits, options).answers;
}

/**
 * Answer `question` from `context` with a loaded QA model (runtime.loadModel("qa")), best
 * first: the v4 pipeline's answers. Options: topK (1), maxAnswerLen (15), maxSeqLen
 * (min(model_max_length, 384)), docStride (min(maxSeqLen / 2, 128)), handleImpossibleAnswer
 * (false), alignToWords (true), questionFirst (true).
 */
export function answer(question, context, model, options = {}) {
  const { maxSeqLen = null, docStride = null, questionFirst = true } = options;
  const encoded = encodeWindows(question, context, model.tokenizer,
    { maxSeqLen, docStride, questionFirst });
  const logits = runModel(model, encoded);
  return decode(encoded, logits, options);
}

/**
 * Training labels of one window, as the course's preprocessing (hfanatomy.qa_labels):
 * the answer's characters [a, b) in the context (null: no answer) -> { start, end, inside }
 * token positions; both are the null position (0) unless the answer lies wholly inside the
 * window's context. Feed them to losses.qaLoss (which clamps positions to [0, L] and
 * ignores L, NaN when every row is ignored, as torch).
 */
export function trainingPositions(window, span, nullIndex = 0) {
  const out = { start: nullIndex, end: nullIndex, inside: false };
  if (!window.contextTokens) throw new RangeError("this window has no context token");
  if (!span) return out;
  const [a, b] = span;
  const ctx = window.contextMask.flatMap((m, i) => (m ? [i] : []));
  if (window.offsets[ctx[0]][0] > a || window.offsets[ctx.at(-1)][1] < b) return out;
  out.start = ctx.filter((i) => window.offsets[i][0] <= a).at(-1);
  out.end = ctx.find((i) => window.offsets[i][1] >= b);
  out.inside = true;
  return out;
}
