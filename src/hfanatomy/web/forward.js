/**
 * The forward pass of the two embedded encoders, by hand over typed arrays.
 *
 * It mirrors the Python the book teaches, module by module:
 *   embeddings: word + position + token type, then LayerNorm
 *     (RoBERTa: position ids from the pad mask, counted from padding_idx + 1;
 *      BERT: 0, 1, ..., L-1 for every row, pads included);
 *   each layer: self-attention (scores / sqrt(d_head), padded keys masked with the most
 *     negative float32, softmax), output dense + residual + LayerNorm, then
 *     intermediate dense + GELU (erf form) + output dense + residual + LayerNorm;
 *   heads: RobertaClassificationHead (first token -> dense -> tanh -> out_proj) or
 *     BERT's qa_outputs (one linear to 2 numbers per token, split into start and end).
 *
 * Weights are flat row-major Float32Array (the fp16 values, exactly); a torch Linear weight
 * (out, in) stays (out, in). Activations, attentions and logits are Float64Array: the
 * arithmetic runs in float64, so the results are the float64 forward of the shipped
 * weights, and differ from torch's float32 forward by its float32 rounding (up to ~1e-4 on
 * logits of magnitude 10, ~1e-5 on attention probabilities).
 */

/** torch.finfo(torch.float32).min: what the eager attention adds to a padded key's score. */
export const MASK_VALUE = -3.4028234663852886e38;

/** y = x W^T + b for n rows: x (n, din), W (dout, din), b (dout) -> (n, dout). */
export function linear(x, n, W, b, din, dout) {
  const y = new Float64Array(n * dout);
  let i = 0;
  for (; i + 3 < n; i += 4) {  // four rows at a time share each weight read: ~2.4x faster
    const x0 = i * din, x1 = x0 + din, x2 = x1 + din, x3 = x2 + din;
    for (let o = 0; o < dout; o++) {
      const wo = o * din;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < din; k++) {
        const w = W[wo + k];
        s0 += x[x0 + k] * w;
        s1 += x[x1 + k] * w;
        s2 += x[x2 + k] * w;
        s3 += x[x3 + k] * w;
      }
      y[i * dout + o] = s0 + b[o];
      y[(i + 1) * dout + o] = s1 + b[o];
      y[(i + 2) * dout + o] = s2 + b[o];
      y[(i + 3) * dout + o] = s3 + b[o];
    }
  }
  for (; i < n; i++) {  // the last n % 4 rows
    for (let o = 0; o < dout; o++) {
      let s = 0;
      for (let k = 0; k < din; k++) s += x[i * din + k] * W[o * din + k];
      y[i * dout + o] = s + b[o];
    }
  }
  return y;
}

/** LayerNorm over the last axis of x (n, d): (x - mean) / sqrt(var + eps) * gamma + beta. */
export function layerNorm(x, n, d, gamma, beta, eps) {
  const y = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let mean = 0;
    for (let k = 0; k < d; k++) mean += x[row + k];
    mean /= d;
    let variance = 0;
    for (let k = 0; k < d; k++) variance += (x[row + k] - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / d + eps);
    for (let k = 0; k < d; k++) y[row + k] = (x[row + k] - mean) * inv * gamma[k] + beta[k];
  }
  return y;
}

/** erf(x) to ~1e-7 relative (Numerical Recipes' erfc, Chebyshev fit): JS has no Math.erf. */
export function erf(x) {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
    + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

/** GELU as torch's default (approximate="none"): x * (1 + erf(x / sqrt 2)) / 2, in place. */
export function gelu(x) {
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * x[i] * (1 + erf(x[i] * Math.SQRT1_2));
  return x;
}

function add(a, b) {
  const y = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) y[i] = a[i] + b[i];
  return y;
}

/** Which row of the position table each token reads (one sequence of length L). */
export function positionIds(ids, modelType, padId) {
  if (modelType !== "roberta") return ids.map((_, i) => i);
  let count = 0;  // RoBERTa: cumsum(ids != pad) * (ids != pad) + padding_idx
  return ids.map((id) => (id !== padId ? padId + ++count : padId));
}

/** word + position + token type embeddings, then LayerNorm: (L, d). */
export function embed(w, cfg, ids, typeIds, prefix) {
  const d = cfg.hidden_size, L = ids.length;
  const word = w[`${prefix}.embeddings.word_embeddings.weight`];
  const pos = w[`${prefix}.embeddings.position_embeddings.weight`];
  const type = w[`${prefix}.embeddings.token_type_embeddings.weight`];
  const positions = positionIds(ids, cfg.model_type, cfg.pad_token_id);
  const rows = cfg.max_position_embeddings;
  if (positions.some((p) => p >= rows)) {
    const most = cfg.model_type === "roberta" ? rows - cfg.pad_token_id - 1 : rows;
    throw new RangeError(`${ids.length} tokens: the position table has ${rows} rows, so this `
      + `model reads at most ${most} tokens (cut the text or use windows)`);
  }
  const badId = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= cfg.vocab_size);
  if (badId !== undefined) {
    throw new RangeError(`token id ${badId} is not in the vocabulary (0 to ${cfg.vocab_size - 1})`);
  }
  const x = new Float64Array(L * d);
  for (let i = 0; i < L; i++) {
    const a = ids[i] * d, p = positions[i] * d, t = (typeIds ? typeIds[i] : 0) * d;
    for (let k = 0; k < d; k++) x[i * d + k] = word[a + k] + pos[p + k] + type[t + k];
  }
  return layerNorm(x, L, d, w[`${prefix}.embeddings.LayerNorm.weight`],
    w[`${prefix}.embeddings.LayerNorm.bias`], cfg.layer_norm_eps);
}

/** Masked multi-head self-attention: context (L, d) and probabilities (H, L, L). */
export function selfAttention(w, cfg, x, mask, p) {
  const d = cfg.hidden_size, H = cfg.num_attention_heads, dh = d / H, L = mask.length;
  const q = linear(x, L, w[`${p}.query.weight`], w[`${p}.query.bias`], d, d);
  const k = linear(x, L, w[`${p}.key.weight`], w[`${p}.key.bias`], d, d);
  const v = linear(x, L, w[`${p}.value.weight`], w[`${p}.value.bias`], d, d);
  const probs = new Float64Array(H * L * L);
  const context = new Float64Array(L * d);
  const scale = 1 / Math.sqrt(dh);
  const scores = new Float64Array(L);
  for (let h = 0; h < H; h++) {
    const off = h * dh;
    for (let i = 0; i < L; i++) {
      let max = -Infinity;
      for (let j = 0; j < L; j++) {
        let s = 0;
        for (let c = 0; c < dh; c++) s += q[i * d + off + c] * k[j * d + off + c];
        s *= scale;
        scores[j] = mask[j] ? s : s + MASK_VALUE;  // = MASK_VALUE: every padded key alike
        if (scores[j] > max) max = scores[j];
      }
      let sum = 0;
      for (let j = 0; j < L; j++) sum += (scores[j] = Math.exp(scores[j] - max));
      const row = (h * L + i) * L;
      for (let j = 0; j < L; j++) probs[row + j] = scores[j] / sum;
      for (let j = 0; j < L; j++) {
        const pj = probs[row + j];
        if (pj === 0) continue;
        for (let c = 0; c < dh; c++) context[i * d + off + c] += pj * v[j * d + off + c];
      }
    }
  }
  return { context, probs };
}

/** One encoder layer: attention block then feed-forward block, each residual + LayerNorm. */
export function encoderLayer(w, cfg, x, mask, p) {
  const d = cfg.hidden_size, di = cfg.intermediate_size, L = mask.length, eps = cfg.layer_norm_eps;
  const { context, probs } = selfAttention(w, cfg, x, mask, `${p}.attention.self`);
  const o = linear(context, L, w[`${p}.attention.output.dense.weight`],
    w[`${p}.attention.output.dense.bias`], d, d);
  const a = layerNorm(add(o, x), L, d, w[`${p}.attention.output.LayerNorm.weight`],
    w[`${p}.attention.output.LayerNorm.bias`], eps);
  const inter = gelu(linear(a, L, w[`${p}.intermediate.dense.weight`],
    w[`${p}.intermediate.dense.bias`], d, di));
  const out = linear(inter, L, w[`${p}.output.dense.weight`], w[`${p}.output.dense.bias`], di, d);
  const y = layerNorm(add(out, a), L, d, w[`${p}.output.LayerNorm.weight`],
    w[`${p}.output.LayerNorm.bias`], eps);
  return { hidden: y, attention: probs };
}

/** RobertaClassificationHead: the first token (<s>) -> dense -> tanh -> out_proj: (labels). */
export function classificationHead(w, cfg, x) {
  const d = cfg.hidden_size, first = x.subarray(0, d);
  const h = linear(first, 1, w["classifier.dense.weight"], w["classifier.dense.bias"], d, d);
  for (let k = 0; k < d; k++) h[k] = Math.tanh(h[k]);
  const nLabels = w["classifier.out_proj.bias"].length;
  return linear(h, 1, w["classifier.out_proj.weight"], w["classifier.out_proj.bias"], d, nLabels);
}

/** BERT's qa_outputs: 2 numbers per token, split into start (L) and end (L) logits. */
export function qaHead(w, cfg, x, L) {
  const both = linear(x, L, w["qa_outputs.weight"], w["qa_outputs.bias"], cfg.hidden_size, 2);
  const start = new Float64Array(L), end = new Float64Array(L);
  for (let i = 0; i < L; i++) { start[i] = both[2 * i]; end[i] = both[2 * i + 1]; }
  return { start, end };
}

/**
 * One sequence through the model. ids, mask, typeIds: arrays of length L (typeIds may be
 * null: all 0). Returns { hidden_states: [(L, d)] * (layers + 1), attentions: [(H, L, L)] *
 * layers, logits: (labels) for a classifier, start_logits / end_logits: (L) for QA }.
 */
export function forwardOne(model, ids, mask, typeIds = null) {
  const { weights: w, config: cfg } = model;
  if (ids.length === 0) throw new RangeError("no tokens: the model needs at least one");
  if (mask.length !== ids.length || (typeIds && typeIds.length !== ids.length)) {
    throw new RangeError(`${ids.length} ids but ${mask.length} mask values`
      + (typeIds ? ` and ${typeIds.length} token type ids` : ""));
  }
  const prefix = cfg.model_type;  // "roberta" or "bert": the body's attribute name
  let x = embed(w, cfg, ids, typeIds, prefix);
  const hidden_states = [x], attentions = [];
  for (let l = 0; l < cfg.num_hidden_layers; l++) {
    const { hidden, attention } = encoderLayer(w, cfg, x, mask, `${prefix}.encoder.layer.${l}`);
    x = hidden;
    hidden_states.push(x);
    attentions.push(attention);
  }
  const out = { hidden_states, attentions };
  if ("qa_outputs.weight" in w) {
    const { start, end } = qaHead(w, cfg, x, ids.length);
    out.start_logits = start;
    out.end_logits = end;
  } else {
    out.logits = classificationHead(w, cfg, x);
  }
  return out;
}

/** A padded batch: { input_ids, attention_mask, token_type_ids? } as (B, L) arrays. */
export function forward(model, batch) {
  const { input_ids, attention_mask } = batch;
  return input_ids.map((ids, b) => forwardOne(model, ids,
    attention_mask ? attention_mask[b] : ids.map(() => 1),
    batch.token_type_ids ? batch.token_type_ids[b] : null));
}
