/**
 * The loss explorer's data in the browser: the same JSON as Python's LossExplorer.compute
 * (hfanatomy.explorers.loss.loss_data plus the text, its token count and warnings), with
 * the embedded classifier.
 *
 * The text is tokenized and cut to the first max_tokens tokens (as truncation=True does:
 * the end of the text goes, the special tokens stay), one forward pass gives the C logits,
 * and the loss of the chosen target is written as C terms:
 *   single-label: term_c = -y_c log softmax(z)_c (only the gold label's is non-zero), loss = sum;
 *   multi-label:  term_c = BCE-with-logits(z_c, y_c), loss = mean;
 *   regression:   term_c = (z_c - t)^2 with the same t for every output, loss = mean.
 * The losses are losses.js's, equal to torch's.
 */
import { forwardOne } from "../forward.js";
import { bceWithLogits, crossEntropy, logSoftmax, mse } from "../losses.js";
import { labelNames } from "./logits.js";

/** explorers.loss.EMPTY_LOSS_TEXT, word for word. */
const EMPTY_TEXT = "text is empty: type some words to see the terms of the loss";

const MODES = ["single_label_classification", "multi_label_classification", "regression"];

const FORMULAS = {
  single_label_classification: "loss = -log softmax(z)[gold] (the gold label's term; the others are 0)",
  multi_label_classification: "loss = mean over labels of -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]",
  regression: "loss = mean over outputs of (z - target)^2",
};

/** [problem_type, target] of a state, checked as Python's state_target. */
function stateTarget(state, C) {
  const ptype = state.problem_type;
  if (ptype === MODES[0]) {
    const gold = state.gold;
    if (!Number.isInteger(gold) || gold < 0 || gold >= C) {
      throw new Error(`gold must be a label id in 0..${C - 1}; got ${JSON.stringify(gold)}.`);
    }
    return [ptype, gold];
  }
  if (ptype === MODES[1]) {
    const hots = state.hots;
    if (!Array.isArray(hots) || hots.length !== C || hots.some((v) => v !== 0 && v !== 1)) {
      throw new Error(`hots must be ${C} zeros/ones (1 = the label is present); got ${JSON.stringify(hots)}.`);
    }
    return [ptype, hots];
  }
  if (ptype === MODES[2]) {
    const t = state.target;
    if (typeof t !== "number" || !Number.isFinite(t)) {
      throw new Error(`the regression target must be a finite number; got ${JSON.stringify(t)}.`);
    }
    return [ptype, t];
  }
  throw new Error(`problem_type must be one of ${MODES.join(", ")}; got ${JSON.stringify(ptype)}.`);
}

/** loss_data(logits, target, problem_type, id2label): the terms of one sentence's loss. */
function lossData(logits, target, ptype, labels) {
  const z = Array.from(logits), C = z.length;
  let targets, probabilities, terms, loss, reduction;
  if (ptype === MODES[0]) {
    targets = z.map((_, c) => (c === target ? 1 : 0));
    const logp = logSoftmax(z);
    probabilities = logp.map(Math.exp);
    terms = logp.map((lp, c) => -targets[c] * lp);
    loss = crossEntropy([z], [target]).loss;
    reduction = "sum";
  } else if (ptype === MODES[1]) {
    targets = target.slice();
    probabilities = z.map((x) => 1 / (1 + Math.exp(-x)));
    ({ loss, terms } = bceWithLogits(z, targets));
    reduction = "mean";
  } else {
    targets = z.map(() => target);
    probabilities = null;
    ({ loss, terms } = mse(z, targets));
    reduction = "mean";
  }
  return { problem_type: ptype, labels: labels ?? labelNames(null, C), logits: z, targets,
    probabilities, terms, reduction, loss, formula: FORMULAS[ptype] };
}

/** The most tokens the model reads (Python: max_tokens(model, tokenizer)). */
function maxTokens(cfg) {
  const rows = cfg.max_position_embeddings;
  return cfg.model_type.includes("roberta") ? rows - cfg.pad_token_id - 1 : rows;
}

/** compute(state, ctx): the loss explorer's data for state { text, problem_type, gold, hots, target }. */
export async function compute(state, ctx) {
  const model = ctx.model("classifier");
  const cfg = model.config;
  if (typeof state.text !== "string") throw new Error("text must be a string");
  if (!state.text.trim()) throw new Error(EMPTY_TEXT);
  const labels = ctx.config?.labels ?? labelNames(cfg, cfg.num_labels ?? Object.keys(cfg.id2label).length);
  const [ptype, target] = stateTarget(state, labels.length);
  const most = ctx.config?.max_tokens ?? maxTokens(cfg);
  const { encoding: enc, length: all } = model.tokenizer.truncated(state.text, null, most);
  const n = enc.input_ids.length;
  let out;
  if (n > 128 && ctx.forwardAsync) {  // a long text: in the worker, so typing goes on
    ctx.progress?.(`running the classifier on ${n} tokens…`);
    out = await ctx.forwardAsync("classifier", enc.input_ids, enc.attention_mask, null, ["logits"]);
  } else {
    out = forwardOne(model, enc.input_ids, enc.attention_mask, null);
  }
  const data = lossData(out.logits, target, ptype, labels);
  const warnings = all > n
    ? [`${all} tokens: the model reads the first ${n} (the text is cut, as truncation=True does).`]
    : [];
  return { text: state.text, tokens: n, ...data, warnings };
}
