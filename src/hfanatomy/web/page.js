/**
 * The explorers of a static page: each root `<div data-hfa-live="kind">` holds the model
 * the book computed at build time (a `<script type="application/json" data-hfa-model>`:
 * config, state, data) and a `<noscript>` line for a reader with JavaScript off. mount()
 * draws the kind's view (views/<kind>.js, the same render the kernel's anywidget runs)
 * over a PlainModel, and computes each new state
 *   - live (config.needs names an embedded model): in the page with compute/<kind>.js,
 *     which mirrors the Python explorer's compute() step for step;
 *   - recorded (config.needs is null: a book built on another checkpoint, or an explorer
 *     only Python can compute): from the states the book recorded (the model's
 *     `recorded`, [{state, data}]); any other state is an error that says why.
 *
 * For tests, a root carries data-hfa-ready once drawn, data-hfa-busy while computing,
 * data-hfa-computed (how many states it computed), data-hfa-result (the last computed
 * data, JSON), data-hfa-state (its state) and data-hfa-error (a compute's error). For the
 * benchmarks: data-hfa-ready-at (ms since navigation) and data-hfa-ms (the last update:
 * compute and redraw, ms).
 */
import { loadModel, startWorker } from "./runtime.js";
import { computes } from "./compute/index.js";
import { views } from "./views/index.js";

/** anywidget's model interface over a plain object: get, set, save_changes, on, off. */
export class PlainModel {
  constructor(values) {
    this.values = { ...values };
    this.handlers = new Map();
  }

  get(key) {
    return this.values[key];
  }

  set(key, value) {
    this.values[key] = value;
    for (const fn of [...(this.handlers.get(`change:${key}`) ?? [])]) fn(value);
  }

  save_changes() {}

  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(fn);
  }

  off(event, fn) {
    this.handlers.get(event)?.delete(fn);
  }
}

let worker = null;

/** The page's one Web Worker (started on first use) with every model on the page. */
function pageWorker() {
  worker ??= startWorker();
  return worker;
}

/** What a compute function gets besides the state: the config, the models, a worker, progress. */
function context(model, signal) {
  return {
    model: (name) => loadModel(name),
    forwardAsync: (name, ids, mask, typeIds = null, keep = null) =>
      pageWorker().forward(name, ids, mask, typeIds, keep),
    config: model.get("config"),
    progress: (text) => model.set("status", text),
    signal,
  };
}

const MODEL_NAMES = { classifier: "classifier", qa: "question-answering model" };

/** The error of a state a recorded explorer does not hold (Python: live.RECORDED_ONLY). */
export const RECORDED_ONLY = "this view was recorded when the book was built, for the "
  + "examples it offers only: pick one of them, or run the chapter as a notebook to change it";

/** A state as one string, keys sorted at every depth: equal states, equal strings. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** compute() of a recorded explorer: the data recorded for a state, or RECORDED_ONLY. */
export function recordedCompute(recorded) {
  const table = new Map((recorded ?? []).map((r) => [canonical(r.state), r.data]));
  return async (state) => {
    const data = table.get(canonical(state));
    if (data === undefined) throw new Error(RECORDED_ONLY);
    return data;
  };
}

/** The loading line of an explorer whose model's weights script has not run yet. */
export function loadingLine(name) {
  return `loading the book's ${MODEL_NAMES[name] ?? name} (a few MB, once per page) so the `
    + "explorer can compute what you type; until then it shows the book's example";
}

/**
 * Resolves once the page's weights script for `name` (hfa-<name>.js, a deferred script
 * that may still be downloading) has run; at the page's load event at the latest (then
 * loadModel says what is missing).
 */
export function weightsReady(name) {
  const here = () => Boolean((globalThis.HFA_ASSETS ?? {})[name]);
  if (!name || here() || typeof window === "undefined") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => resolve();
    for (const el of document.querySelectorAll(`script[src*="hfa-${name}.js"]`)) {
      el.addEventListener("load", done, { once: true });
      el.addEventListener("error", done, { once: true });
    }
    if (document.readyState === "complete") done();
    else window.addEventListener("load", done, { once: true });
  });
}

/** Draw the live view of one explorer root and compute its new states in the page. */
export function mount(root) {
  if (root.dataset.hfaReady) return null;
  const kind = root.dataset.hfaLive;
  const spec = JSON.parse(root.querySelector("script[data-hfa-model]").textContent);
  const view = views[kind];
  const compute = spec.config?.needs ? computes[kind] : recordedCompute(spec.recorded);
  if (!view || !compute) throw new Error(`no live view for explorer kind "${kind}"`);
  const model = new PlainModel({ config: spec.config, state: spec.state, data: spec.data,
    status: "" });
  const host = document.createElement("div");
  host.className = "hfa-live-host";
  root.append(host);
  view.render({ model, el: host });
  const needs = spec.config?.needs;
  const ready = weightsReady(needs);
  if (needs && !(globalThis.HFA_ASSETS ?? {})[needs]) {  // the weights are still on their way
    const line = loadingLine(needs);
    root.dataset.hfaLoading = "1";
    model.set("status", line);
    ready.then(() => {
      delete root.dataset.hfaLoading;
      if (model.get("status") === line) model.set("status", "");
    });
  }

  let controller = null, latest = 0, computed = 0;
  model.on("change:state", async (state) => {
    controller?.abort();
    controller = new AbortController();
    const mine = ++latest, signal = controller.signal;
    const t0 = performance.now();
    root.dataset.hfaBusy = "1";
    try {
      if (root.dataset.hfaLoading) {
        model.set("status", loadingLine(needs));
        await ready;
        if (mine !== latest) return;
      }
      const data = await compute(state, context(model, signal));
      if (mine !== latest) return;
      root.dataset.hfaState = JSON.stringify(state);
      root.dataset.hfaResult = JSON.stringify(data);
      delete root.dataset.hfaError;
      model.set("data", data);
      model.set("status", "");
      root.dataset.hfaMs = (performance.now() - t0).toFixed(1);
    } catch (err) {
      if (mine !== latest || err?.name === "AbortError") return;
      const message = String(err?.message ?? err);
      root.dataset.hfaError = message;
      model.set("status", `error: ${message}`);
    } finally {
      if (mine === latest) {
        root.dataset.hfaComputed = String(++computed);
        delete root.dataset.hfaBusy;
      }
    }
  });
  root.dataset.hfaReady = "1";
  root.dataset.hfaReadyAt = performance.now().toFixed(0);
  return model;
}

/** Mount every explorer of the page; one that fails says so (data-hfa-error, the console). */
export function mountAll(doc = document) {
  for (const root of doc.querySelectorAll("[data-hfa-live]")) {
    try {
      mount(root);
    } catch (err) {
      root.dataset.hfaError = String(err?.message ?? err);
      console.error("hfanatomy: live explorer not started:", err);
    }
  }
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => mountAll());
  } else {
    mountAll();
  }
}
