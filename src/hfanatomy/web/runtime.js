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
 *
 * startWorker() runs the same code in a Web Worker, so that a long input (a 384-token QA
 * window takes about a second) never blocks typing:
 *   const worker = rt.startWorker(["qa"]);
 *   const out = await worker.run("qa", question, context);   // as model.run(...)
 */
import { forward, forwardOne, positionIds } from "./forward.js";
import { TextTokenizer } from "./tokenize.js";
import { decodeWeights } from "./weights.js";

export * as losses from "./losses.js";
export * as qa from "./qa.js";
export { forward, forwardOne, positionIds, TextTokenizer };

const loaded = new Map();

/** Names of the models whose weights asset is on the page. */
function availableModels(assets = globalThis.HFA_ASSETS ?? {}) {
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

/** The worker's code: link the runtime's modules from their sources, then answer run requests. */
const WORKER = (link) => `"use strict";
const link = ${link};
let ready = null;
self.onmessage = async ({ data }) => {
  if (data.init) {
    self.HFA_ASSETS = data.assets;
    ready = link(data.sources, data.order, data.entry);
    return;
  }
  try {
    const rt = await ready;
    const model = rt.loadModel(data.name);
    let out = data.op === "forward"
      ? rt.forwardOne(model, data.ids, data.mask, data.types ?? null)
      : model.run(data.text, data.pair);
    if (data.keep) out = Object.fromEntries(data.keep.map((k) => [k, out[k]]));
    self.postMessage({ id: data.id, out });
  } catch (err) {
    self.postMessage({ id: data.id, error: String(err && err.stack || err) });
  }
};`;

/**
 * A Web Worker with the models `names` (their assets are copied to it once):
 * { run(name, text, pair) -> Promise of model.run's result, forward(name, ids, mask,
 * typeIds, keep) -> Promise of forwardOne's result (one encoded sequence; only the keys in
 * `keep` when given, e.g. ["logits"]: less to copy back), terminate() }.
 * Needs hfa-runtime.js (the classic script), whose sources the worker links again.
 */
export function startWorker(names = availableModels(), assets = globalThis.HFA_ASSETS ?? {}) {
  const bundle = globalThis.hfaRuntimeBundle;
  if (!bundle) throw new Error("startWorker() needs hfa-runtime.js loaded with a script tag");
  const url = URL.createObjectURL(new Blob([WORKER(bundle.link)], { type: "text/javascript" }));
  const worker = new Worker(url);
  const pending = new Map();
  let next = 0;
  worker.onmessage = ({ data }) => {
    const { resolve, reject } = pending.get(data.id);
    pending.delete(data.id);
    if (data.error) reject(new Error(data.error));
    else resolve(data.out);
  };
  worker.onerror = (event) => {
    for (const { reject } of pending.values()) reject(new Error(event.message || "worker error"));
    pending.clear();
  };
  worker.postMessage({ init: true, sources: bundle.sources, order: bundle.order,
    entry: bundle.entry, assets: Object.fromEntries(names.map((n) => [n, assets[n]])) });
  const ask = (message) => {
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  };
  return {
    run: (name, text, pair = null) => ask({ name, text, pair }),
    forward: (name, ids, mask, types = null, keep = null) => ask({ op: "forward", name, ids, mask,
      types, keep }),
    terminate() {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
