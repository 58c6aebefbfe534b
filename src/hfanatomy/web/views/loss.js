/**
 * The loss explorer's view: one row per label with its logit z, target y, probability
 * (softmax or sigmoid; none for regression) and the term the loss is made of, as a bar;
 * under it the formula and the total, which is the model's outputs.loss for this target.
 * Controls: the example picker, the sentence, the problem type, and the gold label,
 * the present labels or the regression target.
 *
 * data: LossExplorer.compute (Python) = compute/loss.js (JS).
 */
import { exampleControl, fmt, frame, h, numberControl, onChanges, s, selectControl, setState,
  showStatus, textControl } from "./common.js";
import { tapReadout } from "./readout.js";

const GOLD = "#bf8700", NONE = "var(--hfa-border)";  // a term of 0 draws as a grey stub
const CSS = ".hfa-explorer .hfa-hots{display:inline-flex;gap:8px;align-items:center}";

/** The SVG of the terms: label, logit, target, probability, term bar. */
function termsSvg(data) {
  const n = data.labels.length;
  const rowH = 22, labelW = 120, barW = 220;
  const xs = [labelW, labelW + 70, labelW + 140, labelW + 215];  // logit, target, prob, bar
  const width = xs[3] + barW + 80, top = 20, height = top + n * rowH + 6;
  const terms = data.terms.map((t) => (t === null ? NaN : t));
  const scale = Math.max(1e-6, ...terms.filter(Number.isFinite), Number.isFinite(data.loss) ? data.loss : 0);
  const heads = ["logit z", "target y", data.probabilities ? "prob" : "", "term"];
  const svg = s("svg", { width, height, role: "img", "aria-label": "loss terms", class: "hfa-loss-svg" },
    heads.map((t, i) => s("text", { x: xs[i] + (i === 3 ? 0 : 50), y: 12, "font-size": 11,
      "text-anchor": i === 3 ? "start" : "end", style: { fill: "var(--hfa-muted)" } }, t)));
  data.labels.forEach((name, i) => {
    const y = top + i * rowH;
    const t = terms[i];
    const marked = data.problem_type !== "regression" && data.targets[i] !== 0;
    svg.append(s("text", { x: labelW - 6, y: y + 15, "font-size": 12, "text-anchor": "end",
      "font-weight": marked ? 700 : 400 }, name));
    const cells = [fmt(data.logits[i], 4), String(data.targets[i]),
      data.probabilities ? fmt(data.probabilities[i], 3) : ""];
    cells.forEach((c, k) => svg.append(s("text", { x: xs[k] + 50, y: y + 15, "font-size": 11,
      "text-anchor": "end" }, c)));
    const w = Math.max(Number.isFinite(t) ? (t / scale) * barW : 0, 0.5);
    svg.append(s("rect", { x: xs[3], y: y + 4, width: w.toFixed(1), height: rowH - 8,
      style: { fill: t > 0 ? GOLD : NONE }, "data-kind": "term", "data-label": name, "data-value": String(t) },
    s("title", {}, `${name}: term ${fmt(t, 4)}`)));
    svg.append(s("text", { x: (xs[3] + w + 4).toFixed(1), y: y + 15, "font-size": 11 }, fmt(t, 4)));
  });
  return svg;
}

export function render({ model, el }) {
  const config = model.get("config");
  const labels = config.labels ?? [];
  const parts = frame(el, config, { css: CSS });
  parts.body.after(tapReadout(parts.body));  // a tap reads what hovering shows
  const example = exampleControl(model);
  const text = textControl(model, "text", { label: "sentence" });
  const ptype = selectControl(model, "problem_type", config.problem_types ?? [], { label: "loss" });
  const gold = selectControl(model, "gold", labels.map((n, i) => [i, n]), { label: "gold label" });
  const hotBoxes = labels.map((n, i) => {
    const box = h("input", { type: "checkbox", "data-hfa-control": `hot${i}` });
    box.addEventListener("change", () => {
      const hots = [...(model.get("state").hots ?? labels.map(() => 0))];
      hots[i] = box.checked ? 1 : 0;
      setState(model, { hots });
    });
    return box;
  });
  const hots = h("span", { class: "hfa-hots" }, h("span", {}, "present labels"),
    hotBoxes.map((box, i) => h("label", {}, box, labels[i])));
  const reg = config.regression ?? { min: -3, max: 3, step: 0.1 };
  const target = numberControl(model, "target", { label: "target", min: reg.min, max: reg.max,
    step: reg.step, format: (v) => v.toFixed(1) });
  parts.controls.append(example, text, ptype, gold, hots, target);

  let drawn = null;
  const redraw = () => {
    const state = model.get("state");
    example.sync();
    text.sync();
    ptype.sync();
    gold.sync();
    target.sync();
    hotBoxes.forEach((box, i) => { box.checked = Boolean(state.hots?.[i]); });
    const only = (el, mode) => { el.style.display = state.problem_type === mode ? "" : "none"; };
    only(gold, "single_label_classification");
    only(hots, "multi_label_classification");
    only(target, "regression");
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || data === drawn) return;
    drawn = data;
    const total = data.reduction === "sum" ? "sum" : "mean";
    parts.body.replaceChildren(
      h("div", { class: "hfa-muted" }, `${data.tokens} tokens read`),
      termsSvg(data),
      h("div", { "data-loss": String(data.loss) }, data.formula, h("br"),
        `${total} of terms = `, h("b", {}, fmt(data.loss, 4)),
        " = the model's ", h("code", {}, "outputs.loss"), " for this target"));
  };
  redraw();
  return onChanges(model, redraw);
}
