/**
 * The explorers' colours: one set of CSS variables, light by default and dark wherever the
 * host is dark. Every explorer's view (and the few boxes hfanatomy.html frames, such as the
 * source views) takes its colours from these variables, never from a literal, so a dark page
 * never holds a white card.
 *
 * Dark is read from the host:
 * - this site (pydata-sphinx-theme): <html data-theme="dark">;
 * - JupyterLab: <body data-jp-theme-light="false">;
 * - VS Code: <body class="vscode-dark"> (or vscode-high-contrast);
 * - anything else (Colab, a plain page): the reader's system setting, prefers-color-scheme,
 *   unless the host says it is light.
 *
 * Text colours keep WCAG AA's 4.5:1 on the card and on --hfa-subtle in both themes
 * (tests/site/test_accessibility.py runs axe); --hfa-faint is the faintest text.
 *
 * Purple marks special tokens everywhere; question tokens are blue (--hfa-question,
 * --hfa-question-bg), context tokens green.
 *
 * Data colours (heatmap scales, label colours) stay the same in both themes: a cell drawn
 * on a fixed light colour takes --hfa-ink, dark in both. Canvas drawings read the
 * variables at draw time with palette().
 *
 * hfanatomy.html reads THEME_CSS from this file too (the text between the backticks), so
 * the Python-framed explorers share these exact rules.
 */
export const THEME_CSS = `
.hfa-explorer{--hfa-bg:#ffffff;--hfa-fg:#1f2328;--hfa-muted:#57606a;--hfa-faint:#636c76;
 --hfa-border:#d0d7de;--hfa-subtle:#f6f8fa;--hfa-hover:#eaeef2;--hfa-accent:#0969da;
 --hfa-error:#cf222e;--hfa-error-bg:#ffebe9;--hfa-warn:#9a6700;--hfa-good:#1a7f37;
 --hfa-gold:#bf8700;--hfa-special:#8250df;--hfa-special-bg:#fbefff;--hfa-special-border:#d8b9ff;
 --hfa-special-fg:#6639ba;--hfa-question-bg:#ddf4ff;--hfa-context-bg:#e6f4ea;
 --hfa-question:#0550ae;--hfa-strong:#0a3069;--hfa-ink:#1f2328;--hfa-shadow:#0002;
 color-scheme:light;background:var(--hfa-bg);color:var(--hfa-fg)}
html[data-theme="dark"] .hfa-explorer,body[data-jp-theme-light="false"] .hfa-explorer,
body.vscode-dark .hfa-explorer,body.vscode-high-contrast .hfa-explorer{
 --hfa-bg:#161b22;--hfa-fg:#e6edf3;--hfa-muted:#9198a1;--hfa-faint:#8b949e;
 --hfa-border:#3d444d;--hfa-subtle:#21262d;--hfa-hover:#262c36;--hfa-accent:#4493f8;
 --hfa-error:#ff7b72;--hfa-error-bg:#3c1618;--hfa-warn:#d29922;--hfa-good:#3fb950;
 --hfa-gold:#d29922;--hfa-special:#d2a8ff;--hfa-special-bg:#2b2140;--hfa-special-border:#8957e5;
 --hfa-special-fg:#d2a8ff;--hfa-question-bg:#0c2d6b;--hfa-context-bg:#16301f;
 --hfa-question:#79c0ff;--hfa-strong:#a5d6ff;--hfa-shadow:#0008;color-scheme:dark}
@media (prefers-color-scheme:dark){
 html:not([data-theme]) body:not([data-jp-theme-light]):not(.vscode-light) .hfa-explorer{
 --hfa-bg:#161b22;--hfa-fg:#e6edf3;--hfa-muted:#9198a1;--hfa-faint:#8b949e;
 --hfa-border:#3d444d;--hfa-subtle:#21262d;--hfa-hover:#262c36;--hfa-accent:#4493f8;
 --hfa-error:#ff7b72;--hfa-error-bg:#3c1618;--hfa-warn:#d29922;--hfa-good:#3fb950;
 --hfa-gold:#d29922;--hfa-special:#d2a8ff;--hfa-special-bg:#2b2140;--hfa-special-border:#8957e5;
 --hfa-special-fg:#d2a8ff;--hfa-question-bg:#0c2d6b;--hfa-context-bg:#16301f;
 --hfa-question:#79c0ff;--hfa-strong:#a5d6ff;--hfa-shadow:#0008;color-scheme:dark}}
.hfa-explorer a{color:var(--hfa-accent)}
.hfa-explorer input,.hfa-explorer select,.hfa-explorer textarea,.hfa-explorer button{
 background:var(--hfa-bg);color:var(--hfa-fg);border:1px solid var(--hfa-border);border-radius:4px}
.hfa-explorer button{background:var(--hfa-subtle);cursor:pointer}
.hfa-explorer button:hover{background:var(--hfa-hover)}
.hfa-explorer :focus-visible{outline:2px solid var(--hfa-accent);outline-offset:1px}
.hfa-explorer svg text:not([fill]){fill:var(--hfa-fg)}
`;

/** Light values, for a canvas drawn before its element sits in a styled document. */
const FALLBACK = { bg: "#ffffff", fg: "#1f2328", muted: "#57606a", faint: "#636c76",
  border: "#d0d7de", subtle: "#f6f8fa", special: "#8250df", error: "#cf222e",
  good: "#1a7f37", question: "#0550ae", accent: "#0969da", ink: "#1f2328" };

/** The theme's colours where `el` sits, by name (bg, fg, muted, ...), for canvas drawing. */
export function palette(el) {
  const style = el.isConnected ? getComputedStyle(el) : null;
  const read = (name) => style?.getPropertyValue(`--hfa-${name}`).trim() || FALLBACK[name];
  return Object.fromEntries(Object.keys(FALLBACK).map((name) => [name, read(name)]));
}
