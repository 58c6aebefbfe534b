"""Self-contained HTML for the static views of explorers.

Every explorer on the static site is plain markup: inline SVG/HTML, one inline
``<style>`` and small inline scripts; nothing is fetched from any URL. The first state
is drawn in the markup, so a page is readable with JavaScript off; the scripts only
switch between states that were rendered at build time (layer, head, view mode...) and
show a cue line when the frame is wider than the screen. Hovering a cell shows its exact value
through an SVG ``<title>`` (native tooltip, no script needed).

The pattern, used by every explorer::

    states = {("0", "1"): svg_for(layer=0, head=1), ...}
    html = stateful_view(
        title="Attention",
        controls=[select("layer", [("0", "layer 0"), ...]), select("head", ...)],
        states=states,
        initial=("0", "0"),
        note=live_note("type your own text"),
    )

The generic script shows the state whose key equals the current values of the
controls (in order) and hides the others.
"""

from __future__ import annotations

import hashlib
import html as _html
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
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
.hfa-explorer .hfa-state[hidden]{display:none}
.hfa-explorer table.hfa-table{border-collapse:collapse;font-size:12px}
.hfa-explorer table.hfa-table td,.hfa-explorer table.hfa-table th{border:1px solid var(--hfa-border);
 padding:2px 6px;text-align:left;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.hfa-explorer table.hfa-table th{background:var(--hfa-subtle)}
.hfa-explorer .hfa-special{color:var(--hfa-special);font-weight:600}
.hfa-explorer .hfa-muted{color:var(--hfa-faint)}
.hfa-explorer svg text{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
"""

# One generic script: show the state whose key is the controls' values joined by "|".
_SCRIPT = """
(function(){var root=document.getElementById(%(id)s);if(!root)return;
var ctl=root.querySelectorAll('[data-hfa-control]');
var st=root.querySelectorAll('[data-hfa-state]');
function show(){var k=[];ctl.forEach(function(c){k.push(c.value)});k=k.join('|');
st.forEach(function(s){s.hidden=(s.getAttribute('data-hfa-state')!==k)});}
ctl.forEach(function(c){c.addEventListener('change',show);c.addEventListener('input',show)});
show();})();
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


def text_color_on(background_hex: str) -> str:
    """Black or white, whichever reads better on ``background_hex``."""
    r, g, b = (int(background_hex[i : i + 2], 16) for i in (1, 3, 5))
    return "#000" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "#fff"


def json_script(obj: object, element_id: str) -> str:
    """Embed data as ``<script type="application/json">`` (safe against ``</script>``)."""
    payload = json.dumps(obj, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="{esc(element_id)}">{payload}</script>'


def select(name: str, options: Sequence[tuple[str, str]], value: str | None = None,
           label: str | None = None) -> str:
    """A ``<select>`` control; ``options`` are (value, shown text) pairs."""
    value = options[0][0] if value is None else value
    opts = "".join(
        f'<option value="{esc(v)}"{" selected" if v == value else ""}>{esc(t)}</option>'
        for v, t in options
    )
    return (f'<label>{esc(label if label is not None else name)} '
            f'<select data-hfa-control="{esc(name)}" name="{esc(name)}">{opts}</select></label>')


def live_note(what: str) -> str:
    """The one line that says what needs a kernel: e.g. ``live_note("type your own text")``."""
    return (f'<div class="hfa-note" data-hfa-recorded>Static view computed when the book was '
            f'built. Run this chapter as a notebook to {esc(what)}: the live explorer does it '
            f'there.</div>')


def recorded_note(why: str) -> str:
    """The one line that says why an explorer is recorded on the site, not live."""
    return f'<div class="hfa-note" data-hfa-recorded>Recorded view: {esc(why)}</div>'


# Says so when the frame is wider than the screen (a phone): shows the cue line and marks the
# frame data-hfa-scroll-cue, as the live views' frame does (web/views/common.js watchWidth).
_CUE_SCRIPT = """
(function(){var b=document.getElementById(%(id)s);if(!b)return;
var c=b.querySelector(':scope>.hfa-cue');function f(){var w=b.scrollWidth>b.clientWidth+1;
if(c)c.hidden=!w;if(w)b.setAttribute('data-hfa-scroll-cue','');
else b.removeAttribute('data-hfa-scroll-cue');}
f();if(window.ResizeObserver)new ResizeObserver(f).observe(b);b.addEventListener('change',f);})();
"""


def explorer_box(inner: str, title: str = "", note: str = "", script: str = "",
                 element_id: str | None = None) -> str:
    """Wrap ``inner`` markup in the explorer frame with its scoped style and script; a cue
    line says when the frame is wider than the screen and scrolls."""
    eid = element_id or new_id("hfa", inner)
    head = f'<div class="hfa-title">{esc(title)}</div>' if title else ""
    cue = ('<div class="hfa-cue" hidden>↔ This is wider than the screen: scroll it '
           'sideways.</div>')
    js = f"<script>{script}</script>" if script else ""
    js += f"<script>{_CUE_SCRIPT % {'id': json.dumps(eid)}}</script>"
    # a named group, as the live views' frame: a screen reader announces the title on entering
    group = f' role="group" aria-label="{esc(title)}"' if title else ""
    return (f'<div class="hfa-explorer" id="{esc(eid)}"{group}><style>{CSS}</style>'
            f"{head}{cue}{inner}{note}{js}</div>")


def stateful_view(title: str, controls: Iterable[str], states: Mapping[tuple[str, ...], str],
                  initial: tuple[str, ...], note: str = "") -> str:
    """A static view with controls that switch between pre-rendered states.

    ``states`` maps a key (one string per control, in the controls' order) to the
    markup of that state. Only ``initial`` is visible without JavaScript.
    """
    if initial not in states:
        raise ValueError(f"initial state {initial!r} is not among the rendered states")
    eid = new_id("hfa", title + "".join("|".join(k) for k in states))
    parts = []
    for key, markup in states.items():
        hidden = "" if key == initial else " hidden"
        parts.append(f'<div class="hfa-state" data-hfa-state="{esc("|".join(key))}"{hidden}>'
                     f"{markup}</div>")
    ctl = f'<div class="hfa-controls">{"".join(controls)}</div>'
    return explorer_box(ctl + "".join(parts), title=title, note=note,
                        script=_SCRIPT % {"id": json.dumps(eid)}, element_id=eid)


def table(header: Sequence[str], rows: Iterable[Sequence[object]],
          row_classes: Sequence[str] | None = None) -> str:
    """A small HTML table; cells are escaped. ``row_classes`` styles rows (e.g. hfa-special)."""
    th = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{esc(row_classes[i])}"' if row_classes and row_classes[i] else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    return f'<table class="hfa-table"><tr>{th}</tr>{"".join(body)}</table>'
