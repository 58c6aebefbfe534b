/**
 * The logits explorer's data in the browser: the same JSON as
 * hfanatomy.explorers.logits.logits_data (LogitsExplorer.compute) for the embedded
 * classifier, step for step:
 *   1. tokenize the text; count its tokens; cut it to the model's length (the tokenizer's
 *      model_max_length, no more than the positions the model has), with a warning;
 *   2. one forward pass (in the worker when the text is long);
 *   3. logits / T, then softmax (sigmoid for multi-label, nothing for regression), the
 *      predicted label -- hfanatomy.head.logits_view.
 */
import { forwardOne } from "../forward.js";

/** Texts longer than this run in the worker (ctx.forwardAsync), shorter ones right here. */
const WORKER_FROM = 128;

/** The left chart's half width holds max|logits| / SCALE_TEMPERATURE (bars beyond are clipped). */
const SCALE_TEMPERATURE = 0.5;

const PROBLEM_TYPES = ["single_label_classification", "multi_label_classification", "regression"];

/** How many tokens (specials included) the model reads; RoBERTa counts positions from pad + 1. */
function readLimit(model) {
  const cfg = model.config;
  let limit = model.tokenizer.inner?.config?.model_max_length ?? 512;
  if (cfg.max_position_embeddings != null) {
    const pad = cfg.model_type === "roberta" ? cfg.pad_token_id : null;
    limit = Math.min(limit, cfg.max_position_embeddings - (Number.isInteger(pad) ? pad + 1 : 0));
  }
  return limit;
}

/** Label names in id order (config.id2label may have string keys, as read from JSON). */
export function labelNames(config, numLabels) {
  const names = [];
  for (let i = 0; i < numLabels; i++) {
    const name = config?.id2label?.[i] ?? config?.id2label?.[String(i)];
    names.push(name == null ? `LABEL_${i}` : String(name));
  }
  return names;
}

/** hfanatomy.head.logits_view for one row of logits (C). */
function logitsView(logits, names, temperature, problemType = null, threshold = 0.5) {
  const C = logits.length;
  const ptype = problemType ?? (C === 1 ? "multi_label_classification" : "single_label_classification");
  if (!PROBLEM_TYPES.includes(ptype)) throw new Error(`unknown problem_type ${ptype}`);
  const scaled = logits.map((v) => v / temperature);  // (C)
  let fn, probs;
  if (ptype === "regression") {
    fn = "none";
    probs = [...scaled];
  } else if (ptype === "multi_label_classification") {
    fn = "sigmoid";
    probs = scaled.map((v) => 1 / (1 + Math.exp(-v)));
  } else {
    fn = "softmax";
    const max = Math.max(...scaled);
    const e = scaled.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    probs = e.map((v) => v / sum);
  }
  const top = probs.indexOf(Math.max(...probs));
  let active, predicted;
  if (fn === "sigmoid") {
    active = probs.map((p) => p >= threshold);
    predicted = names.filter((_, i) => active[i]).join(" + ") || "(no label)";
  } else {
    active = probs.map((_, i) => i === top);
    predicted = fn === "none" ? scaled.map((v) => v.toFixed(3)).join(", ") : names[top];
  }
  return { labels: names, function: fn, temperature, logits, scaled, probabilities: probs,
    active, predicted };
}

/** explorers.logits.EMPTY_TEXT, word for word. */
export const EMPTY_TEXT = "text is empty: type some words to see the model's scores";

/**
 * One forward pass over text: { tokens, read, logits (C), warnings } (hfanatomy's
 * read_text): the text cut to the model's length as truncation=True does, with a warning.
 */
async function readText(text, ctx) {
  if (typeof text !== "string") throw new Error(`text must be a string; got ${typeof text}.`);
  if (!text.trim()) throw new Error(EMPTY_TEXT);
  const model = ctx.model("classifier");
  const limit = readLimit(model);
  const { encoding: cut, length: n } = model.tokenizer.truncated(text, null, limit);
  const warnings = [];
  if (n > limit) {
    warnings.push(`${n} tokens: the model reads only the first ${limit} (its position `
      + `table ends there); the last ${n - limit} are cut off, as the pipeline does with `
      + "truncation=True.");
  }
  const types = model.tokenizer.withTypeIds ? cut.token_type_ids : null;
  const out = cut.input_ids.length > WORKER_FROM && ctx.forwardAsync
    ? await ctx.forwardAsync("classifier", cut.input_ids, cut.attention_mask, types, ["logits"])
    : forwardOne(model, cut.input_ids, cut.attention_mask, types);
  return { tokens: n, read: cut.input_ids.length, logits: Array.from(out.logits), warnings };
}

/** hfanatomy's temperature_data: what the view draws for one text's logits at T. */
function temperatureData(read, config, temperature) {
  if (typeof temperature !== "number" || !Number.isFinite(temperature) || temperature <= 0) {
    throw new Error(`temperature must be a number > 0 (it divides the logits); got ${temperature}.`);
  }
  const { logits } = read;
  const view = logitsView(logits, labelNames(config, logits.length), temperature);
  const scale = Math.max(1e-6, Math.max(...logits.map(Math.abs)) / SCALE_TEMPERATURE);
  return { tokens: read.tokens, read: read.read, labels: view.labels, function: view.function,
    temperature, logits: view.logits, scaled: view.scaled, probabilities: view.probabilities,
    active: view.active, predicted: view.predicted, scale, warnings: [...read.warnings] };
}

let last = { text: null, read: null };  // the model runs once per text; T only divides

/** The data for state { text, temperature }: see hfanatomy.explorers.logits.logits_data. */
export async function compute(state, ctx) {
  const { text } = state;
  const temperature = state.temperature ?? 1.0;
  if (last.text !== text || typeof text !== "string") {
    last = { text, read: await readText(text, ctx) };
  }
  return temperatureData(last.read, ctx.model("classifier").config, temperature);
}
