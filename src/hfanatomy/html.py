"""Small HTML helpers for a chapter's own outputs: the explorer frame, tables, colours.

A chapter that shows a table or a small drawing of its own (the data-flow map of every
chapter, a side-by-side table) frames it with :func:`explorer_box`: self-contained markup
with the explorers' theme (light and dark, ``web/views/theme.js``) in one inline
``<style>``; nothing is fetched from any URL. The explorers themselves are drawn by their
JS views (:mod:`hfanatomy.explorers.live`); ``explorers.live`` uses :func:`esc` for its
roots, and the attention explorer :func:`color` for its colour scale.
"""

from __future__ import annotations

import hashlib
import html as _html
import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from matplotlib import colormaps
from matplotlib.colors import to_hex

_counter = itertools.count()


def theme_css() -> str:
    """The explorers' colour variables, light and dark: ``THEME_CSS`` of the views' own
    ``web/views/theme.js`` (the text between its backticks), so both kinds of explorer share
    one set of rules."""
    text = (Path(__file__).parent / "web" / "views" / "theme.js").read_text(encoding="utf-8")
    start = text.index("export const THEME_CSS = `") + len("export const THEME_CSS = `")
    return text[start:text.index("`", start)]


CSS = theme_css() + """
.hfa-explorer{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:13px;
 border:1px solid var(--hfa-border);border-radius:6px;padding:8px 10px;margin:0.5em 0;background:var(--hfa-bg);
 color:var(--hfa-fg);max-width:100%;overflow-x:auto}
.hfa-explorer .hfa-title{font-weight:600;margin-bottom:4px}
.hfa-explorer .hfa-controls{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:4px 0 8px}
.hfa-explorer .hfa-controls label{display:inline-flex;gap:4px;align-items:center}
.hfa-explorer select{font-size:13px;padding:1px 4px}
.hfa-explorer .hfa-note{color:var(--hfa-muted);font-size:12px;margin-top:6px}
.hfa-explorer .hfa-cue{color:var(--hfa-muted);font-size:12px;margin:2px 0}
.hfa-explorer table.hfa-table{border-collapse:collapse;font-size:12px}
.hfa-explorer table.hfa-table td,.hfa-explorer table.hfa-table th{border:1px solid var(--hfa-border);
 padding:2px 6px;text-align:left;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.hfa-explorer table.hfa-table th{background:var(--hfa-subtle)}
.hfa-explorer .hfa-special{color:var(--hfa-special);font-weight:600}
.hfa-explorer .hfa-muted{color:var(--hfa-faint)}
.hfa-explorer svg text{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
"""


def esc(text: object) -> str:
    """HTML-escape any value (quotes included), for text and attribute values."""
    return _html.escape(str(text), quote=True)


def new_id(prefix: str = "hfa", content: str = "") -> str:
    """An element id unique within a page: a counter plus a hash of the content.

    Deterministic for a given execution order, so re-running a notebook gives the
    same ids, and two explorers on one page never collide.
    """
    digest = hashlib.sha1(content.encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}-{next(_counter)}"


def color(value: float, vmin: float = 0.0, vmax: float = 1.0, cmap: str = "Blues") -> str:
    """The hex colour of ``value`` on a matplotlib colormap (computed at build time)."""
    span = (vmax - vmin) or 1.0
    t = min(max((float(value) - vmin) / span, 0.0), 1.0)
    return to_hex(colormaps[cmap](t))


#: one colour per label index, for bars of logits: hues that do not read as good/bad
#: (no red or green), so a label is never mistaken for the sign of its score
LABEL_COLORS = ("#8250df", "#bf8700", "#1b7c83", "#bc4c00", "#6e7781", "#953800", "#0550ae")


def label_color(index: int) -> str:
    """The bar colour of label ``index`` (cycles through :data:`LABEL_COLORS`)."""
    return LABEL_COLORS[index % len(LABEL_COLORS)]


# Says so when the frame is wider than the screen (a phone): shows the cue line and marks the
# frame data-hfa-scroll-cue, as the live views' frame does (web/views/common.js watchWidth).
_CUE_SCRIPT = """
(function(){var b=document.getElementById(%(id)s);if(!b)return;
var c=b.querySelector(':scope>.hfa-cue');function f(){var w=b.scrollWidth>b.clientWidth+1;
if(c)c.hidden=!w;if(w)b.setAttribute('data-hfa-scroll-cue','');
else b.removeAttribute('data-hfa-scroll-cue');}
f();if(window.ResizeObserver)new ResizeObserver(f).observe(b);b.addEventListener('change',f);})();
"""


def explorer_box(inner: str, title: str = "") -> str:
    """Wrap ``inner`` markup in the explorer frame with its style; a cue line says when the
    frame is wider than the screen and scrolls."""
    eid = new_id("hfa", inner)
    head = f'<div class="hfa-title">{esc(title)}</div>' if title else ""
    cue = ('<div class="hfa-cue" hidden>↔ This is wider than the screen: scroll it '
           'sideways.</div>')
    js = f"<script>{_CUE_SCRIPT % {'id': json.dumps(eid)}}</script>"
    # a named group, as the live views' frame: a screen reader announces the title on entering
    group = f' role="group" aria-label="{esc(title)}"' if title else ""
    return (f'<div class="hfa-explorer" id="{esc(eid)}"{group}><style>{CSS}</style>'
            f"{head}{cue}{inner}{js}</div>")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A small HTML table; cells are escaped."""
    th = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="hfa-table"><tr>{th}</tr>{body}</table>'
