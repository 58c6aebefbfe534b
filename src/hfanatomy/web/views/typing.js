/**
 * A text box bound to state[name] that never loses what the reader typed: like
 * common.js's textControl (debounced, example set to null), but while an edit waits for its
 * debounce the box is not overwritten by a state change made elsewhere (a slider moved
 * within the debounce would otherwise put the old text back into the box, and the edit
 * would then send that old text). Used by the logits and QA logits views.
 */
import { h, setState, show } from "./common.js";

/**
 * options: label, multiline, rows, wait (ms), patch (more state keys sent with an edit, e.g.
 * { window: 0 }). Returns the label element with .input, .sync(), .pending() and .flush().
 */
export function typedBox(model, name, { label = name, multiline = false, rows = 2, wait = 150,
  patch = {} } = {}) {
  const input = multiline
    ? h("textarea", { rows, "data-hfa-input": name, spellcheck: "false", "aria-label": label })
    : h("input", { type: "text", "data-hfa-input": name, spellcheck: "false", "aria-label": label });
  input.value = model.get("state")[name] ?? "";
  let timer = null;
  const send = () => {
    clearTimeout(timer);
    timer = null;
    setState(model, { ...patch, [name]: input.value, example: null });
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(send, wait);
  });
  const el = h("label", { class: "hfa-wide" }, h("span", {}, label), input);
  el.input = input;
  el.pending = () => timer !== null;
  el.flush = () => { if (timer !== null) send(); };
  el.sync = () => { if (timer === null) show(input, model.get("state")[name]); };
  el.cancel = () => { clearTimeout(timer); timer = null; };
  return el;
}
