/**
 * Start and end logits of one QA window, for the live QA explorers: on the page for a short
 * window, in the Web Worker (ctx.forwardAsync) for a long one, kept for the windows seen
 * last so that moving a control that changes no token reruns nothing.
 */
import { forwardOne } from "../forward.js";

/** Windows longer than this run in the worker (a 384-token window takes about a second). */
export const WORKER_FROM = 128;

/** What the worker sends back: the logits, not every layer's attentions and hidden states. */
const LOGITS = ["start_logits", "end_logits"];

const CACHE_SIZE = 64;
const cache = new Map();  // key -> { start, end }, oldest first

/** { start, end } logits (length L) of one window { input_ids, attention_mask, token_type_ids }. */
export async function windowLogits(window, ctx, name = "qa") {
  const model = ctx.model(name);
  const types = model.tokenizer.withTypeIds ? window.token_type_ids : null;
  const key = `${name}|${window.input_ids.join(",")}|${types ? types.join("") : ""}`;
  if (cache.has(key)) {
    const hit = cache.get(key);
    cache.delete(key);
    cache.set(key, hit);  // most recent last
    return hit;
  }
  const out = window.input_ids.length > WORKER_FROM && ctx.forwardAsync
    ? await ctx.forwardAsync(name, window.input_ids, window.attention_mask, types, LOGITS)
    : forwardOne(model, window.input_ids, window.attention_mask, types);
  if (!out.start_logits) {
    throw new Error(`model "${name}" returned no start/end logits: it is not a `
      + "question-answering model");
  }
  const logits = { start: Array.from(out.start_logits), end: Array.from(out.end_logits) };
  cache.set(key, logits);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  return logits;
}

/** Python's message for an empty question or context (the explorers check it first). */
export function checkText(text, name, message) {
  if (typeof text !== "string" || !text.trim()) throw new Error(`${name} is empty (or only whitespace)${message}`);
  return text;
}

/** Python's NO_TOKENS error: a context the tokenizer makes nothing of. */
export function checkTokens(context, tokenizer) {
  if (!tokenizer.pieces(context).ids.length) {
    throw new Error("the context has no token: the tokenizer drops every character of it.");
  }
}
