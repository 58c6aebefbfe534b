/**
 * The windows explorer's view: a question and a long context, the max_seq_len, doc_stride
 * and window sliders (the window slider runs over the windows there are: 0 = all), and,
 * when the explorer has a model, a box that reads each window's own best span (the page
 * runs the model window after window, with progress in the status line).
 * Drawn: one bar per window over the context's tokens (orange: what a window repeats from
 * the one before; red: its best span), the context painted by window, and a table.
 * Data: WindowsExplorer.compute (Python) or compute/windows.js (the page).
 */
import { exampleControl, frame, h, numberControl, onChanges, s, setState, show, showStatus,
  textControl } from "./common.js";
import { tapReadout } from "./readout.js";

const FILL = ["var(--hfa-bg)", "#fff3b0", "#ffc680", "#f0883e", "#e5732f"];  // by windows covering a char
const ALT = "#dbeafe";  // odd windows' characters covered once (so neighbours differ)

function windowLabel(state, count) {
  const k = Number(state.window ?? 0);
  if (k === 0) return `all ${count}`;
  if (k > count) return `${k}: past the last (${count})`;
  return `${k} of ${count}`;
}

function headline(data) {
  const n = data.windows.length;
  const repeat = data.doc_stride ? `the last ${data.doc_stride} repeated by the next window`
    : "no overlap (doc_stride=0)";
  return `${n} window(s) of at most ${data.max_seq_len} tokens: up to ${data.room} context `
    + `tokens each, ${repeat} · ${data.num_context_tokens} context tokens in all`;
}

/**
 * Every window as a bar over the context tokens; the selected one stands out. The bars
 * take the room there is (470 px on a laptop, less on a phone: `room`, the body's width).
 */
function strip(data, room = 0) {
  const n = Math.max(data.num_context_tokens, 1), count = data.windows.length;
  const left = 78, width = room > 0 ? Math.max(160, Math.min(470, room - left - 24)) : 470;
  const row = Math.max(3, Math.min(18, Math.floor(420 / count)));
  const x = (t) => left + (t / n) * width;
  const kids = [
    s("text", { x: left, y: 12, "font-size": 10, style: { fill: "var(--hfa-muted)" } },
      "context token 0"),
    s("text", { x: left + width, y: 12, "font-size": 10, style: { fill: "var(--hfa-muted)" },
      "text-anchor": "end" },
      String(n - 1)),
  ];
  let prevLast = -1;
  data.windows.forEach((w, i) => {
    const y = 18 + i * row, on = data.selected === null || data.selected === i;
    const opacity = on ? 1 : 0.3, hgt = Math.max(row - 4, 2);
    if (row >= 11) {
      kids.push(s("text", { x: left - 6, y: y + row - 5, "font-size": 11, "text-anchor": "end",
        opacity }, `window ${i + 1}`));
    }
    kids.push(s("rect", { x: x(w.first_token).toFixed(1), y: y + 1,
      width: (x(w.last_token + 1) - x(w.first_token)).toFixed(1), height: hgt, fill: FILL[1],
      stroke: "#bf8700", opacity, "data-window": i, "data-value": `${w.first_token},${w.last_token}` },
    s("title", {}, `window ${i + 1}: context tokens ${w.first_token}..${w.last_token}, `
      + `characters ${w.first_char}..${w.end_char}`)));
    if (prevLast >= w.first_token) {
      kids.push(s("rect", { x: x(w.first_token).toFixed(1), y: y + 1,
        width: (x(prevLast + 1) - x(w.first_token)).toFixed(1), height: hgt, fill: FILL[2],
        stroke: "#bf8700", opacity, "data-repeat": i },
      s("title", {}, `tokens ${w.first_token}..${prevLast}: also in window ${i}`)));
    }
    prevLast = w.last_token;
    if (w.best) {
      const b = w.best;
      kids.push(s("rect", { x: x(b.first_token).toFixed(1), y: y + Math.max(row - 5, 1),
        width: Math.max(x(b.last_token + 1) - x(b.first_token), 2).toFixed(1),
        height: Math.min(4, hgt), fill: "#cf222e", opacity, "data-answer-window": i,
        "data-value": b.score },
      s("title", {}, `window ${i + 1} best span: "${b.text}", score ${b.score.toPrecision(4)}`)));
    }
  });
  const height = 18 + row * count + 6;
  return s("svg", { width: left + width + 20, height, role: "img",
    "aria-label": "windows over the context tokens", "data-hfa-strip": "" }, kids);
}

/**
 * The context, painted: every window (yellow / blue, orange where shared) or the selected
 * one. The data's characters are code points (Python's), so the text is cut by code points.
 */
function contextText(context, data) {
  const chars = Array.from(context);  // one entry per code point
  const L = chars.length, sel = data.selected;
  const cover = new Uint16Array(L), last = new Int32Array(L).fill(-1), inside = new Uint8Array(L);
  data.windows.forEach((w, i) => {
    for (let c = w.first_char; c < Math.min(w.end_char, L); c++) {
      cover[c]++;
      last[c] = i;
      if (sel === i) inside[c] = 1;
    }
  });
  const mark = new Int32Array(L).fill(-1);  // the window whose best span covers the char
  data.windows.forEach((w, i) => {
    if (w.best && (sel === null || sel === i)) {
      for (let c = w.best.start; c < Math.min(w.best.end, L); c++) mark[c] = i;
    }
  });
  const style = (c) => {
    let fill, dim = false;
    if (sel === null) {
      fill = FILL[Math.min(cover[c], FILL.length - 1)];
      if (cover[c] === 1 && last[c] % 2) fill = ALT;
    } else {
      fill = inside[c] ? FILL[cover[c] > 1 ? 2 : 1] : FILL[0];
      dim = !inside[c];
    }
    return `${fill}|${dim}|${mark[c]}`;
  };
  const spans = [];
  for (let c = 0; c < L;) {
    const key = style(c);
    let k = c + 1;
    while (k < L && style(k) === key) k++;
    const [fill, dim, m] = key.split("|");
    // a character on a data colour takes the ink, dark in both themes
    const props = { style: { background: fill, color: fill === FILL[0] ? "" : "var(--hfa-ink)" } };
    if (dim === "true") props.style.color = "var(--hfa-faint)";
    if (m !== "-1") {
      const b = data.windows[Number(m)].best;
      Object.assign(props.style, { color: "var(--hfa-ink)", fontWeight: "700",
        textDecoration: "underline", textDecorationColor: "#cf222e", textDecorationThickness: "2px" });
      props.title = `window ${Number(m) + 1} best span: "${b.text}", score ${b.score.toPrecision(4)}`;
      props["data-answer-window"] = m;
    }
    spans.push(h("span", props, chars.slice(c, k).join("")));
    c = k;
  }
  return h("div", { class: "hfa-windows-text", style: { lineHeight: "1.7", maxWidth: "640px",
    whiteSpace: "pre-wrap", border: "1px solid var(--hfa-border)", padding: "6px 8px", borderRadius: "4px",
    maxHeight: "16em", overflowY: "auto", margin: "6px 0" } }, spans);
}

function table(data) {
  const rows = data.windows.map((w, i) => h("tr", { class: data.selected === i ? "hfa-selected" : null },
    h("td", {}, String(i + 1)), h("td", {}, `${w.first_token}..${w.last_token}`),
    h("td", {}, `${w.first_char}..${w.end_char}`),
    ...(data.answers ? [h("td", {}, w.best ? JSON.stringify(w.best.text) : ""),
      h("td", { "data-value": w.best?.score ?? "" }, w.best ? w.best.score.toPrecision(4) : "")] : [])));
  const head = ["window", "context tokens", "characters",
    ...(data.answers ? ["best span in this window", "score"] : [])];
  const out = [h("div", { class: "hfa-table-scroll", style: { overflowX: "auto", maxWidth: "100%" } },
    h("table", { class: "hfa-table" }, h("tr", {}, head.map((t) => h("th", {}, t))), rows))];
  const c = data.chosen;
  if (c) {
    const same = data.windows.flatMap((w, i) => (w.best && w.best.start === c.start
      && w.best.end === c.end ? [i + 1] : []));
    out.push(h("div", { "data-hfa-chosen": "" }, "chosen across windows: ", h("b", {}, JSON.stringify(c.text)),
      ` (characters ${c.start}..${c.end}, score ${c.score.toPrecision(4)}, from window `
      + `${c.window === null ? "none" : c.window + 1})`
      + (same.length > 1 ? ` · the same span is the best of windows ${same.join(", ")}` : "")));
  }
  return out;
}

export function render({ model, el }) {
  const config = model.get("config");
  const parts = frame(el, config);
  parts.body.after(tapReadout(parts.body));  // a tap reads what hovering shows
  const picker = exampleControl(model);
  const question = textControl(model, "question", { label: "question" });
  const context = textControl(model, "context", { label: "context", multiline: true, rows: 4 });
  let count = (model.get("data")?.windows ?? []).length;
  const maxLen = numberControl(model, "max_seq_len", { label: "max_seq_len",
    min: config.min_seq_len ?? 16, max: config.max_seq_len_limit ?? 512, step: 8 });
  const stride = numberControl(model, "doc_stride", { label: "doc_stride", min: 0,
    max: config.max_stride ?? 256 });
  const windowSlider = numberControl(model, "window", { label: "window", min: 0, max: Math.max(count, 1),
    format: (v) => windowLabel({ window: v }, count) });
  const controls = [picker, question, context, maxLen, stride, windowSlider];
  let answers = null;
  if (config.can_answer) {
    const box = h("input", { type: "checkbox", "data-hfa-control": "answers" });
    box.checked = Boolean(model.get("state").answers);
    box.addEventListener("change", () => setState(model, { answers: box.checked }));
    answers = h("label", { style: { whiteSpace: "normal" } }, box,
      h("span", {}, "read each window's best span (runs the model)"));
    answers.input = box;
    controls.push(answers);
  }
  parts.controls.append(...controls);

  let drawn = null;  // the data the body shows: redrawn when new data comes, not as one types
  const redraw = () => {
    const state = model.get("state");
    for (const c of [picker, question, context, maxLen, stride]) c.sync();
    if (answers) show(answers.input, state.answers);
    showStatus(parts.status, model);
    const data = model.get("data");
    if (!data || !data.windows) return;
    count = data.windows.length;
    windowSlider.setMax(Math.max(count, 1));  // the slider runs over the windows there are
    windowSlider.sync();
    windowSlider.querySelector("output").textContent = windowLabel(state, count);
    if (data === drawn) return;
    drawn = data;
    parts.body.replaceChildren(
      h("div", { "data-hfa-headline": "" }, headline(data)),
      strip(data, parts.body.clientWidth), contextText(state.context ?? "", data), ...table(data));
  };
  redraw();
  return onChanges(model, redraw);
}
