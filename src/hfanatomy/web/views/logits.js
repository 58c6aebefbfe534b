/**
 * The logits explorer's view (kind "logits"): the one drawing of it, in the kernel (an
 * anywidget) and on the site (a plain-object model). It draws what compute returns
 * (hfanatomy.explorers.logits.logits_data / web/compute/logits.js):
 *
 *   controls: example picker, the text (updates as the reader types), the temperature
 *             (a log slider, 0.1 to 10, its label never cut);
 *   left chart (stacked over the right one on a phone): the logits (or logits / T), centred on 0, one bar per label in the label's
 *             colour, clipped at the chart's edge (max|logits| / 0.5 fills half of it);
 *   right chart: what softmax (sigmoid, nothing) makes of them, the prediction in green;
 *   a summary line, the warnings (a cut text) and the status line.
 *
 * Typed text only ever reaches the page as text (textContent, attribute values).
 */
import { exampleControl, frame, h, onChanges, s, setState, show, showStatus, textControl }
  from "./common.js";
import { tapReadout } from "./readout.js";

/** One colour per label (hfanatomy.html.LABEL_COLORS): hues that do not read as good/bad. */
const LABEL_COLORS = ["#8250df", "#bf8700", "#1b7c83", "#bc4c00", "#6e7781", "#953800",
  "#0550ae"];

const ROW_H = 22, LABEL_W = 110, BAR_MAX = 170;
const PROB_NAME = { softmax: "softmax probability", sigmoid: "sigmoid probability",
  none: "value (no normalisation)" };

const fmt = (v, d) => (v >= 0 ? "+" : "") + v.toFixed(d);
const g = (v) => String(Number(v.toPrecision(6)));  // Python's :g for the temperature

/**
 * The two bar charts of one state's data (hfanatomy's logits_svg), each an SVG of its own
 * with the label names, side by side where they fit and stacked on a phone.
 */
function drawBars(data, room = 0) {
  // the bars take the room there is (a phone), 90 to 170 px; the SVGs never shrink
  const BAR_W = room > 0 ? Math.max(90, Math.min(BAR_MAX, room - LABEL_W - 56)) : BAR_MAX;
  const T = data.temperature;
  const shown = T === 1 ? data.logits : data.scaled;
  const n = data.labels.length;
  const top = 20, height = top + n * ROW_H + 8;
  const x0 = LABEL_W + BAR_W / 2, xp = LABEL_W;
  const scaledName = T === 1 ? "logits" : `logits / T (T=${g(T)})`;
  const probName = PROB_NAME[data.function];
  const muted = { fill: "var(--hfa-muted)" };
  const chart = (label, width) => s("svg", { width, height, role: "img", "aria-label": label,
    class: "hfa-logits-chart" });
  const name = (svg, i) => svg.append(s("text", { x: LABEL_W - 6, y: top + i * ROW_H + 15,
    "font-size": 12, "text-anchor": "end", "font-weight": data.active[i] ? 700 : 400 },
  data.labels[i]));
  const left = chart(scaledName, LABEL_W + BAR_W + 12);
  const right = chart(probName, LABEL_W + BAR_W + 50);
  left.append(
    s("text", { x: x0, y: 12, "font-size": 11, "text-anchor": "middle", style: muted }, scaledName),
    s("line", { x1: x0, y1: top - 2, x2: x0, y2: height - 4, "stroke-width": 1,
      style: { stroke: "var(--hfa-faint)" } }));
  right.append(s("text", { x: xp + BAR_W / 2, y: 12, "font-size": 11, "text-anchor": "middle",
    style: muted }, probName));
  data.labels.forEach((label, i) => {
    const y = top + i * ROW_H, v = shown[i], raw = data.logits[i], p = data.probabilities[i];
    name(left, i);
    name(right, i);
    const w = Math.min(Math.abs(v) / data.scale, 1) * (BAR_W / 2 - 4);
    const tip = `${label}: logit ${raw.toFixed(4)}` + (T !== 1 ? `, logit/T ${v.toFixed(4)}` : "");
    left.append(
      s("rect", { x: v >= 0 ? x0 : x0 - w, y: y + 4, width: Math.max(w, 0.5), height: ROW_H - 8,
        fill: LABEL_COLORS[i % LABEL_COLORS.length], "data-kind": "logit", "data-label": label,
        "data-value": v }, s("title", {}, tip)),
      s("text", { x: x0 + (v >= 0 ? w + 3 : -w - 3), y: y + 15, "font-size": 11,
        "text-anchor": v >= 0 ? "start" : "end" }, fmt(v, 3)));
    const pw = data.function === "none" ? Math.min(Math.abs(p) / data.scale, 1) * BAR_W : p * BAR_W;
    right.append(
      s("rect", { x: xp, y: y + 4, width: BAR_W, height: ROW_H - 8,
        style: { fill: "var(--hfa-subtle)", stroke: "var(--hfa-border)" } }),
      s("rect", { x: xp, y: y + 4, width: Math.max(pw, 0.5), height: ROW_H - 8,
        style: { fill: data.active[i] ? "var(--hfa-good)" : "var(--hfa-faint)" },
        "data-kind": "probability", "data-label": label, "data-value": p },
      s("title", {}, `${label}: ${probName} ${p.toFixed(4)}`)),
      s("text", { x: xp + BAR_W + 4, y: y + 15, "font-size": 11 }, p.toFixed(3)));
  });
  return h("div", { class: "hfa-charts" }, left, right);
}

/** The line under the bars: the prediction, the sum of what the left chart shows, of the right. */
export function summary(data) {
  const T = data.temperature;
  const shown = T === 1 ? data.logits : data.scaled;
  const name = T === 1 ? "logits" : `logits / T (T=${g(T)})`;
  const total = shown.reduce((a, b) => a + b, 0);
  const psum = data.probabilities.reduce((a, b) => a + b, 0);
  let extra = "";
  if (data.function === "softmax") extra = ` · probabilities sum to ${psum.toFixed(3)}`;
  else if (data.function === "sigmoid") {
    extra = ` · probabilities sum to ${psum.toFixed(3)} (independent per label)`;
  }
  return h("div", { class: "hfa-sum" }, "predicted: ", h("b", {}, data.predicted),
    ` · ${name} sum to ${fmt(total, 3)}${extra} · the model read ${data.read} tokens`);
}

/** The temperature slider works on log10(T): -1 .. 1 is T = 0.1 .. 10. */
const toSlider = (T) => Math.log10(T), fromSlider = (v) => Number((10 ** v).toPrecision(3));

const CSS = `
.hfa-logits .hfa-charts{display:flex;flex-wrap:wrap;gap:0 12px;align-items:flex-start}
.hfa-logits .hfa-charts svg{flex:none}
.hfa-logits .hfa-temperature{flex-wrap:wrap;white-space:normal}
.hfa-logits .hfa-temperature input[type=range]{width:180px;max-width:100%}
.hfa-logits .hfa-temperature output{min-width:5.5em}
.hfa-logits .hfa-presets button{font-size:12px;padding:0 5px;margin-left:2px}
.hfa-logits .hfa-sum{font-size:12px;margin-top:2px}
`;

/**
 * The temperature control: a log slider over config.temperature_range, its value as
 * "T = 2", and a button per preset temperature. Its label is a span of its own, never cut.
 */
function temperatureControl(model, config, before) {
  const [tMin, tMax] = config.temperature_range ?? [0.1, 10];
  const input = h("input", { type: "range", min: toSlider(tMin), max: toSlider(tMax), step: 0.01,
    "data-hfa-control": "temperature", "aria-label": "temperature" });
  input.value = toSlider(model.get("state").temperature);
  const out = h("output", { class: "hfa-mono" });
  const send = (T) => {
    before();
    out.textContent = `T = ${g(T)}`;
    setState(model, { temperature: T });
  };
  input.addEventListener("input", () => send(fromSlider(Number(input.value))));
  const presets = (config.temperatures ?? []).map((T) => h("button", { type: "button",
    title: `T = ${g(T)}`, onclick: () => { input.value = toSlider(T); send(T); } }, g(T)));
  const el = h("label", { class: "hfa-temperature" }, h("span", {}, "temperature"), input, out,
    h("span", { class: "hfa-presets" }, presets));
  el.sync = () => {
    const T = model.get("state").temperature;
    show(input, toSlider(T));
    out.textContent = `T = ${g(T)}`;
  };
  return el;
}

export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config, { css: CSS, cls: "hfa-logits" });
  parts.body.after(tapReadout(parts.body));  // a tap reads what hovering shows
  const picker = exampleControl(model);
  const text = textControl(model, "text", { label: "text", multiline: true, rows: 2 });
  const temperature = temperatureControl(model, config, () => text.flush());
  parts.controls.append(picker, temperature, text);

  const redraw = () => {
    picker.sync();
    text.sync();
    temperature.sync();
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.labels) return;
    parts.body.replaceChildren(drawBars(data, parts.body.clientWidth), summary(data));
  };
  redraw();
  const off = onChanges(model, redraw);
  return () => {
    text.cancel();
    off();
  };
}
