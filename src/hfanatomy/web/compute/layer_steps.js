/**
 * The "one layer, step by step" explorer's data in the browser:
 * hfanatomy.explorers.layer_steps' LayerStepsExplorer.compute(state), step for step, for the
 * embedded models (hfanatomy.layer_steps.layer_steps is the Python of steps 4 to 10).
 *
 * 1. check the state (the Python messages word for word: explorers.layer_steps.check_state);
 * 2. tokenize the batch [text, batch_with] (each with text_pair for QA), each cut to
 *    config.max_tokens as transformers' truncation=True does, with a warning ("batch_with: "
 *    before the second's); row 0 (the followed sequence) padded on the right to the longer:
 *    ids, attention mask (0 = padding), token type ids (0 on padding), its pieces (special
 *    ones as they are, the others as the token table reads them: a byte-level space "Ġ");
 * 3. run the model on row 0 alone (a Web Worker from WORKER_FROM tokens): its hidden states
 *    and attentions, kept for the next call. Row 1 changes nothing in row 0 but its padding,
 *    and RoBERTa's position ids of the padded tokens come from forward.js's positionIds;
 * 4. the layer's key and value projections of every token (L, D), and each row's norm (L),
 *    kept per layer: a head, query or key change only redoes steps 5 to 10;
 * 5. the query row's projection (D; the same numbers as the forward pass's, one row of
 *    the same linear); one head h of size d: q = its h*d:(h+1)*d slice (d), the head's K and
 *    V rows (L, d);
 * 6. one score: q ⊙ K[key] (d), its sum, the scaling 1/sqrt(d); the additive mask (L): 0 for
 *    a kept key, the float32 minimum (forward.js MASK_VALUE) for padding, null when no row of
 *    the batch has padding (transformers 5 builds no mask then); scores = (q·K_j)·s + mask_j;
 * 7. the softmax row: the forward pass's own attentions[layer][h, query] (L), so it equals the
 *    attention explorer's weights for that layer, head and query;
 * 8. every head's weighted sum of its value rows at the query (H x d = D, heads side by side),
 *    the followed head's part (d);
 * 9. attention.output: dense (D), + the hidden row (residual), LayerNorm (D);
 * 10. the feed-forward block for the query row: dense (I), GELU (I), dense (D), + the
 *    attention output (residual), LayerNorm (D): the layer's output row.
 *
 * Numbers travel rounded to config.decimals (7) decimals, as Python's round(x, 7); the mask's
 * float32 minimum stays as it is (Python's round leaves it too).
 */
import { gelu, layerNorm, linear, forwardOne, MASK_VALUE } from "../forward.js";
import { readablePiece } from "../tokenize.js";
import { wholeNumber } from "../rules/checks.js";
import { aborted, encodeCut, reads } from "./attention.js";

/** From this many tokens (the padded length) the forward pass runs in the worker. */
export const WORKER_FROM = 128;

/** explorers.layer_steps.EMPTY_TEXT, word for word. */
export const EMPTY_TEXT = "text is empty: type some words to step through a layer";

// Per explorer (its config object), the last input's { key, tokenization, run }: one only,
// as a 512-token QA input's attentions take 8 bytes x 4 layers x 4 heads x 512^2 (34 MB).
// run = { ids, hidden, attentions, layers: Map(layer -> { k, v, norms }) } is reused by a
// new batch_with that leaves row 0 as it was.
const kept = new WeakMap();

/** Python's `x or None`: null for every falsy JSON value ("", 0, false, [], {}). */
function orNone(v) {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return null;
  if (Array.isArray(v) && v.length === 0) return null;
  if (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) return null;
  return v;
}

/** explorers.layer_steps.check_state: the state's inputs, checked, in the same order. */
export function checkState(state, config) {
  const text = state.text, pair = orNone(state.text_pair), other = orNone(state.batch_with);
  if (typeof text !== "string" || (pair !== null && typeof pair !== "string")
      || (other !== null && typeof other !== "string")) {
    throw new Error("text, text_pair and batch_with must be strings");
  }
  if (!text.trim()) throw new Error(EMPTY_TEXT);
  if (pair !== null && !pair.trim()) {
    throw new Error("text_pair is empty: type the context the question is about");
  }
  const get = (k) => (state[k] === undefined ? 0 : state[k]);  // state.get(k, 0)
  return { text, pair, other: other && other.trim() ? other : null,
    layer: wholeNumber(get("layer"), "layer", 0, config.num_layers),
    head: wholeNumber(get("head"), "head", 0, config.num_heads),
    query: wholeNumber(get("query"), "query"), key: wholeNumber(get("key"), "key") };
}

/** round(x, decimals) as Python sends it; the mask's float32 minimum as it is. */
function round(x, decimals) {
  if (!(Math.abs(x) < 1e15)) return x;
  const scale = 10 ** decimals;
  return Math.round(x * scale) / scale;
}

/** `n` values of `a` from `start` rounded: a JSON list. */
function rounded(a, decimals, start = 0, n = a.length - start) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = round(a[start + i], decimals);
  return out;
}

/** Step 2: the batch [text, other] cut and padded; row 0's ids, mask, type ids, pieces. */
function tokenizeBatch(model, config, text, pair, other) {
  const tokenizer = model.tokenizer;
  const rows = [], warnings = [];
  for (const [i, t] of [text, ...(other === null ? [] : [other])].entries()) {
    const [enc, w] = encodeCut(tokenizer, t, pair, config.max_tokens ?? null);
    rows.push(enc);
    warnings.push(...w.map((m) => (i === 0 ? m : `batch_with: ${m}`)));
  }
  const B = rows.length, L = Math.max(...rows.map((e) => e.input_ids.length));
  const first = rows[0], n = first.input_ids.length, padN = L - n;
  const fill = (v) => new Array(padN).fill(v);
  const ids = [...first.input_ids, ...fill(tokenizer.padId)];  // (L)
  const mask = [...first.attention_mask, ...fill(0)];  // (L)
  const typeIds = tokenizer.withTypeIds ? [...first.token_type_ids, ...fill(0)] : null;  // (L)
  const pieces = [...first.tokens, ...fill(tokenizer.padToken)];
  const special = new Set(config.special_tokens);
  const isSpecial = pieces.map((p) => special.has(p));
  return {
    B, L, ids, mask, typeIds, pieces, special: isSpecial, warnings,
    padded: mask.map((m) => m === 0),
    // the additive mask exists when any row of the batch has padding (B, L): row 0's (L)
    additive: rows.some((e) => e.input_ids.length < L)
      ? mask.map((m) => (m ? 0 : MASK_VALUE)) : null,
    tokens: pieces.map((p, i) => (isSpecial[i] ? p : reads(p, config.piece_kind))),
  };
}

/** Step 3: row 0 through the model; { ids, hidden: [(L, D)] x (layers + 1), attentions:
 * [(H, L, L)] x layers, layers: Map }. */
async function forwardRow(ctx, tok) {
  const { config } = ctx;
  const model = ctx.model(config.needs);
  let out;
  if (tok.L >= WORKER_FROM && ctx.forwardAsync) {
    ctx.progress?.(`running the model on ${tok.L} tokens…`);
    out = await ctx.forwardAsync(config.needs, tok.ids, tok.mask, tok.typeIds,
      ["hidden_states", "attentions"]);
    aborted(ctx.signal);
  } else {
    out = forwardOne(model, tok.ids, tok.mask, tok.typeIds);
  }
  return { ids: JSON.stringify([tok.ids, tok.typeIds]), hidden: out.hidden_states,
    attentions: out.attentions, layers: new Map() };
}

/** The kept tokenization and forward pass of (text, pair, other), made when new. */
async function run(ctx, text, pair, other) {
  const { config } = ctx;
  const key = JSON.stringify([config.needs, text, pair, other]);
  const last = kept.get(config);
  if (last?.key === key) return last;
  const tok = tokenizeBatch(ctx.model(config.needs), config, text, pair, other);
  const same = last && last.run.ids === JSON.stringify([tok.ids, tok.typeIds]);
  const entry = { key, tok, run: same ? last.run : await forwardRow(ctx, tok) };
  kept.set(config, entry);
  return entry;
}

/** Step 4: the layer's key and value projections of every row, made once per layer and
 * text: { k, v: (L, D) each, norms: (L) }. */
function projections(model, r, layer, L) {
  if (r.layers.has(layer)) return r.layers.get(layer);
  const w = model.weights, D = model.config.hidden_size;
  const p = `${model.config.model_type}.encoder.layer.${layer}.attention.self`;
  const x = r.hidden[layer];  // (L, D) entering the layer
  const proj = (name) => linear(x, L, w[`${p}.${name}.weight`], w[`${p}.${name}.bias`], D, D);
  const norms = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    let s = 0;
    for (let c = 0; c < D; c++) s += x[i * D + c] ** 2;
    norms[i] = Math.sqrt(s);
  }
  const out = { k: proj("key"), v: proj("value"), norms };
  r.layers.set(layer, out);
  return out;
}

/** The same JSON as LayerStepsExplorer.compute(state). ctx: page.js's { config, model,
 * forwardAsync, progress, signal }. */
export async function compute(state, ctx) {
  const { config } = ctx;
  const s = checkState(state, config);
  const { tok, run: r } = await run(ctx, s.text, s.pair, s.other);
  const model = ctx.model(config.needs), w = model.weights, cfg = model.config;
  const { B, L } = tok, { layer, head } = s;
  const query = Math.min(s.query, L - 1), key = Math.min(s.key, L - 1);
  const D = cfg.hidden_size, H = cfg.num_attention_heads, d = D / H, I = cfg.intermediate_size;
  const eps = cfg.layer_norm_eps, dec = config.decimals;
  const { k: K, v: V, norms } = projections(model, r, layer, L);  // (L, D) x 2, (L)
  const p = `${cfg.model_type}.encoder.layer.${layer}`;
  const x = r.hidden[layer].subarray(query * D, (query + 1) * D);  // (D) the query's row
  const off = head * d;

  // 5-6. one head: q (d), one score's products (d), every key's score (L)
  const Q = linear(x, 1, w[`${p}.attention.self.query.weight`],
    w[`${p}.attention.self.query.bias`], D, D);  // (D): every head's query vector
  const q = Q.subarray(off, off + d);
  const products = new Float64Array(d);
  let dot = 0;
  for (let c = 0; c < d; c++) dot += (products[c] = q[c] * K[key * D + off + c]);
  const scaling = 1 / Math.sqrt(d);
  const mask = tok.additive;  // (L) or null
  const scores = new Float64Array(L);
  for (let j = 0; j < L; j++) {
    let t = 0;
    for (let c = 0; c < d; c++) t += q[c] * K[j * D + off + c];
    t *= scaling;
    scores[j] = mask ? t + mask[j] : t;
  }
  // 7-8. the softmax rows of every head at the query (the forward's), their weighted sums
  const probs = r.attentions[layer];  // (H, L, L)
  const context = new Float64Array(D);  // (D): H heads of d side by side
  for (let h = 0; h < H; h++) {
    const row = (h * L + query) * L;
    for (let j = 0; j < L; j++) {
      const pj = probs[row + j];
      if (pj === 0) continue;
      for (let c = 0; c < d; c++) context[h * d + c] += pj * V[j * D + h * d + c];
    }
  }
  const weights = probs.subarray((head * L + query) * L, (head * L + query + 1) * L);  // (L)

  // 9. attention.output: dense, residual, LayerNorm (one row)
  const attnDense = linear(context, 1, w[`${p}.attention.output.dense.weight`],
    w[`${p}.attention.output.dense.bias`], D, D);  // (D)
  const attnResidual = attnDense.map((v, c) => v + x[c]);  // (D)
  const attentionOut = layerNorm(attnResidual, 1, D, w[`${p}.attention.output.LayerNorm.weight`],
    w[`${p}.attention.output.LayerNorm.bias`], eps);  // (D)
  // 10. the feed-forward block: dense, GELU, dense, residual, LayerNorm (one row)
  const interPre = linear(attentionOut, 1, w[`${p}.intermediate.dense.weight`],
    w[`${p}.intermediate.dense.bias`], D, I);  // (I)
  const inter = gelu(Float64Array.from(interPre));  // (I); gelu works in place
  const ffnDense = linear(inter, 1, w[`${p}.output.dense.weight`], w[`${p}.output.dense.bias`],
    I, D);  // (D)
  const ffnResidual = ffnDense.map((v, c) => v + attentionOut[c]);  // (D)
  const out = layerNorm(ffnResidual, 1, D, w[`${p}.output.LayerNorm.weight`],
    w[`${p}.output.LayerNorm.bias`], eps);  // (D): hidden_states[layer + 1][query]

  const rows = (a) => Array.from({ length: L }, (_, j) => rounded(a, dec, j * D + off, d));
  return {
    tokens: tok.tokens, pieces: tok.pieces, special: tok.special, padded: tok.padded,
    length: L, batch: B, layer, head, query, key,
    shapes: { hidden: [B, L, D], heads: [B, H, L, d], scores: [B, H, L, L],
      context: [B, L, D], intermediate: [B, L, I] },
    mask: mask ? rounded(mask, dec) : null,
    hidden_in: rounded(x, dec), norms: rounded(norms, dec),
    q: rounded(q, dec), k: rows(K), v: rows(V),
    products: rounded(products, dec), dot: round(dot, dec), scaling: round(scaling, dec),
    scores: rounded(scores, dec), weights: rounded(weights, dec),
    head_out: rounded(context, dec, off, d), context: rounded(context, dec),
    attn_dense: rounded(attnDense, dec), attn_residual: rounded(attnResidual, dec),
    attention_out: rounded(attentionOut, dec),
    intermediate_pre: rounded(interPre, dec), intermediate: rounded(inter, dec),
    ffn_dense: rounded(ffnDense, dec), ffn_residual: rounded(ffnResidual, dec),
    out: rounded(out, dec),
    warnings: [...tok.warnings],
  };
}
