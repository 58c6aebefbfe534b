/**
 * Touch and keyboard access to what a view shows on hover. A mouse reads a chip's or a
 * bar's exact numbers in its tooltip (a title attribute, or an SVG <title> child); a finger
 * cannot hover. tapReadout() makes a tap (or keyboard focus) on such an element write the
 * same text into a readout line under the drawing, so every hover readout has a tap one.
 */
import { h } from "./common.js";

/** The tooltip text of `el` or of its nearest ancestor inside `container` that has one. */
function tooltipOf(el, container) {
  for (let e = el; e && e !== container; e = e.parentNode) {
    if (e.nodeType !== 1) continue;
    const title = e.getAttribute("title");
    if (title) return title;
    const child = [...e.children].find((c) => c.localName === "title");
    if (child) return child.textContent;
  }
  return null;
}

/**
 * A readout line for `container`: tapping or focusing an element with a tooltip shows its
 * text there ("tap a token" on a phone does what hovering does on a laptop). Returns the
 * line, to place under the drawing.
 */
export function tapReadout(container, hint = "Tap (or hover) an item to read its exact values.") {
  const out = h("div", { class: "hfa-readout hfa-mono", "aria-live": "polite",
    "data-hfa-readout": "" }, hint);
  const show = (event) => {
    const text = tooltipOf(event.target, container);
    if (text) out.textContent = text.replace(/\n/g, " · ");
  };
  container.addEventListener("click", show);
  container.addEventListener("focusin", show);
  return out;
}

/**
 * The line under a strip of chips that carry their own readout (data-hfa-readout): the
 * last chip hovered, tapped or focused is marked hfa-picked and its text shown (tokens,
 * positions).
 */
export function pickReadout(stripEl, hint) {
  const line = h("div", { class: "hfa-readout hfa-hint", "aria-live": "polite" }, hint);
  const pick = (event) => {
    const chip = event.target.closest?.("[data-hfa-readout]");
    if (!chip || !stripEl.contains(chip)) return;
    stripEl.querySelectorAll(".hfa-picked").forEach((c) => c.classList.remove("hfa-picked"));
    chip.classList.add("hfa-picked");
    line.classList.remove("hfa-hint");
    line.textContent = chip.dataset.hfaReadout;
  };
  for (const type of ["pointerdown", "click", "focusin", "mouseover"]) {
    stripEl.addEventListener(type, pick);
  }
  return line;
}
