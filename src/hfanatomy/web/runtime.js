/**
 * The browser runtime of the two embedded models: one entry point for pages and tests.
 *
 *   const rt = await globalThis.hfaRuntime;        // set by hfa-runtime.js (a classic script)
 *   const model = rt.loadModel("classifier");        // needs hfa-classifier.js loaded first
 *   const enc = model.tokenizer.encode("The food was never good");
 *   const out = model.forward({ input_ids: [enc.input_ids], attention_mask: [enc.attention_mask] });
 *   out[0].logits, out[0].attentions[layer] (H, L, L), out[0].hidden_states[layer] (L, d)
 *
 * Each model is decoded once per page (about 30 ms), then kept.
 */
import { forward, forwardOne, positionIds } from "./forward.js";
import { TextTokenizer } from "./tokenize.js";
import { decodeWeights } from "./weights.js";

export * as losses from "./losses.js";
export * as qa from "./qa.js";
export { forward, forwardOne, positionIds, TextTokenizer };

const loaded = new Map();

/** Names of the models whose weights asset is on the page. */
export function availableModels(assets = globalThis.HFA_ASSETS ?? {}) {
  return Object.keys(assets);
}

/** The embedded model `name` ("classifier" or "qa"): { name, config, tokenizer, weights, forward, run }. */
export function loadModel(name, assets = globalThis.HFA_ASSETS ?? {}) {
  if (loaded.has(name)) return loaded.get(name);
  const asset = assets[name];
  if (!asset) {
    throw new Error(`no weights for "${name}" on this page: load hfa-${name}.js with a script tag`);
  }
  const { weights, shapes } = decodeWeights(asset);
  const model = { name, config: asset.config, weights, shapes,
    tokenizer: new TextTokenizer(asset.tokenizer, asset.tokenizer_config) };
  model.forward = (batch) => forward(model, batch);
  model.run = (text, pair = null) => {
    const enc = model.tokenizer.encode(text, pair);
    const withTypes = model.tokenizer.withTypeIds ? enc.token_type_ids : null;
    return { encoding: enc, ...forwardOne(model, enc.input_ids, enc.attention_mask, withTypes) };
  };
  loaded.set(name, model);
  return model;
}
