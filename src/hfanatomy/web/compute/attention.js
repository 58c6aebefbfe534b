/**
 * The attention explorer's data in the browser: hfanatomy.explorers.attention's
 * AttentionExplorer.compute(state), step for step, for the embedded models.
 *
 * 1. tokenize the text (and pair); more tokens than the model reads (config.max_tokens)
 *    are cut as transformers' truncation=True does (one text: its end; a pair: the
 *    longer text first, "longest_first"), with a warning;
 * 2. run the model (a Web Worker past WORKER_FROM tokens) and keep its attentions for the
 *    next call: a layer or head change only slices them;
 * 3. the data: readable pieces (as the token table writes them: a byte-level space is "Ġ"),
 *    the selected (layer, head) map (floats with config.decimals decimals; past
 *    config.pack_past tokens, ints in 1e-4 units packed as little-endian uint16 in base64,
 *    explorers.attention.packed), every head's block-max thumbnail, the warnings.
 */
import { forwardOne } from "../forward.js";
import { readablePiece } from "../tokenize.js";

/** From this many tokens the forward pass runs in the worker (the page keeps typing). */
export const WORKER_FROM = 128;

// Per explorer (its config object), the last input's { key, tokens, attentions, thumbs,
// warnings... }: one only, as a 512-token input's attentions take 8 bytes x layers x heads
// x 512^2 (34 MB for the QA model).
const kept = new WeakMap();

/** "text is empty..." and the other messages of the Python side, word for word. */
function checkInputs(state, config) {
  const text = state.text, pair = state.text_pair || null;
  if (typeof text !== "string" || (pair !== null && typeof pair !== "string")) {
    throw new Error("text (and text_pair) must be strings");
  }
  const { layer = 0, head = 0 } = state;
  const L = config.num_layers, H = config.num_heads;
  if (!Number.isInteger(layer) || layer < 0 || layer >= L) {
    throw new Error(`layer must be 0..${L - 1}, got ${JSON.stringify(layer)}`);
  }
  if (head !== "mean" && (!Number.isInteger(head) || head < 0 || head >= H)) {
    throw new Error(`head must be 0..${H - 1} or "mean", got ${JSON.stringify(head)}`);
  }
  if (!text.trim()) throw new Error("text is empty: type some words to see their attention");
  if (pair !== null && !pair.trim()) {
    throw new Error("text_pair is empty: type some words to see their attention");
  }
  return { text, pair, layer, head };
}

/** Pieces of the texts, cut to the model's limit: [encoding, warnings]. */
export function encodeCut(tokenizer, text, pair, limit) {
  const { encoding, length } = tokenizer.truncated(text, pair, limit);
  if (encoding.input_ids.length === length) return [encoding, []];
  const what = pair === null ? "the end of the text was cut" : "the longer text was cut first";
  return [encoding, [`${length} tokens: the model reads at most ${limit}, so ${what}`]];
}

/** Math.round(w * scale), in [0, scale]: Python's quantize (to +-1 at a rounding tie). */
const quantize = (w, scale) => Math.min(scale, Math.max(0, Math.round(w * scale)));

/** np.round(w, decimals) (explorers.attention.rounded). */
const rounded = (w, decimals) => Math.round(w * 10 ** decimals) / 10 ** decimals;

/** explorers.attention.thumb_size. */
function thumbSize(n, maps, config) {
  return Math.min(n, config.thumb, Math.max(8, Math.floor(Math.sqrt(Math.floor(config.thumb_budget / maps)))));
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Integers in 0..65535 as little-endian uint16, base64 (explorers.attention.packed). */
export function packed(values) {
  const bytes = new Uint8Array(2 * values.length);
  for (let k = 0; k < values.length; k++) {
    bytes[2 * k] = values[k] & 255;
    bytes[2 * k + 1] = values[k] >> 8;
  }
  const n = bytes.length, out = new Uint8Array(4 * Math.ceil(n / 3));
  const code = Uint8Array.from(B64, (c) => c.charCodeAt(0)), pad = "=".charCodeAt(0);
  let o = 0;
  for (let i = 0; i < n; i += 3) {  // 3 bytes -> 4 characters, "=" past the end
    const a = bytes[i], b = i + 1 < n ? bytes[i + 1] : 0, c = i + 2 < n ? bytes[i + 2] : 0;
    out[o++] = code[a >> 2];
    out[o++] = code[((a & 3) << 4) | (b >> 4)];
    out[o++] = i + 1 < n ? code[((b & 15) << 2) | (c >> 6)] : pad;
    out[o++] = i + 2 < n ? code[c & 63] : pad;
  }
  return new TextDecoder("ascii").decode(out);
}

/** The (L, L) map of one head (or the mean of a layer's heads) from (H, L, L) probabilities. */
function headMap(probs, H, L, head) {
  if (head !== "mean") return probs.subarray(head * L * L, (head + 1) * L * L);
  const out = new Float64Array(L * L);
  for (let h = 0; h < H; h++) for (let k = 0; k < L * L; k++) out[k] += probs[h * L * L + k];
  for (let k = 0; k < L * L; k++) out[k] /= H;
  return out;
}

/** hfanatomy.attention.block_max of one (L, L) map over all positions: flat (t * t). */
function blockMax(map, L, size) {
  const t = Math.min(L, size);
  const band = new Int32Array(L);
  for (let a = 0; a < t; a++) {
    const start = Math.ceil((a * L) / t), end = Math.ceil(((a + 1) * L) / t);
    for (let r = start; r < end; r++) band[r] = a;
  }
  const out = new Float64Array(t * t).fill(-Infinity);
  for (let i = 0; i < L; i++) {
    const row = band[i] * t;
    for (let j = 0; j < L; j++) {
      const k = row + band[j], w = map[i * L + j];
      if (w > out[k]) out[k] = w;
    }
  }
  return out;
}

/** A byte-level space as the token table writes it: one symbol, the vocabulary's "Ġ"
 * (tokens.readable_tokens). */
export function reads(piece, kind) {
  const text = readablePiece(piece, kind);
  return kind === "byte-level BPE" ? text.replace(/\u2423/g, "\u0120") : text;
}

/** Throws an AbortError when a newer state superseded this computation. */
export function aborted(signal) {
  if (signal?.aborted) throw new DOMException("a newer state superseded this one", "AbortError");
}

async function run(ctx, text, pair) {
  const { config } = ctx;
  const key = JSON.stringify([config.needs, text, pair]);
  if (kept.get(config)?.key === key) return kept.get(config);
  const model = ctx.model(config.needs);
  const tokenizer = model.tokenizer;
  const [enc, warnings] = encodeCut(tokenizer, text, pair, config.max_tokens);
  const typeIds = tokenizer.withTypeIds ? enc.token_type_ids : null;
  const L = enc.input_ids.length;
  let out;
  if (L >= WORKER_FROM && ctx.forwardAsync) {
    ctx.progress?.(`running the model on ${L} tokens…`);
    out = await ctx.forwardAsync(config.needs, enc.input_ids, enc.attention_mask, typeIds,
      ["attentions"]);
    aborted(ctx.signal);
  } else {
    out = forwardOne(model, enc.input_ids, enc.attention_mask, typeIds);
  }
  const H = config.num_heads;
  const t = thumbSize(L, out.attentions.length * (H + 1), config);
  const thumbs = out.attentions.map((probs) => Array.from({ length: H + 1 }, (_, h) =>
    Array.from(blockMax(headMap(probs, H, L, h === H ? "mean" : h), L, t),
      (w) => rounded(w, config.decimals))));
  const special = new Set(config.special_tokens);
  const isSpecial = enc.tokens.map((p) => special.has(p));
  const entry = { key, pieces: enc.tokens, special: isSpecial, L, warnings, t, thumbs,
    attentions: out.attentions, maps: new Map(),
    tokens: enc.tokens.map((p, i) => (isSpecial[i] ? p : reads(p, config.piece_kind))) };
  kept.set(config, entry);
  return entry;
}

/** The same JSON as AttentionExplorer.compute(state). ctx: page.js's { config, model,
 * forwardAsync, progress, signal }. */
export async function compute(state, ctx) {
  const { text, pair, layer, head } = checkInputs(state, ctx.config);
  const e = await run(ctx, text, pair);
  const { L } = e, scale = ctx.config.scale;
  const key = `${layer}|${head}`;  // the mean of a layer's heads: computed once per text
  if (!e.maps.has(key)) e.maps.set(key, headMap(e.attentions[layer], ctx.config.num_heads, L, head));
  const map = e.maps.get(key);
  let weights;
  if (L > ctx.config.pack_past) {
    const q = new Uint16Array(L * L);
    for (let k = 0; k < L * L; k++) q[k] = quantize(map[k], scale);
    weights = packed(q);
  } else {
    weights = Array.from({ length: L }, (_, i) => Array.from(map.subarray(i * L, (i + 1) * L),
      (w) => rounded(w, ctx.config.decimals)));
  }
  return { tokens: e.tokens, pieces: e.pieces, special: e.special,
    positions: Array.from({ length: L }, (_, i) => i), layer, head, weights,
    thumbs: e.thumbs, thumb_size: e.t, warnings: [...e.warnings] };
}
