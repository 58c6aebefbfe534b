"""The part's data-flow map as self-contained HTML, with the current chapter highlighted.

Takes a :class:`hfanatomy.dataflow.FlowMap` (read off the model) and draws its stages as
a row of boxes joined by arrows, wrapping onto a second line when the page is narrow (so
nothing hides to the right). Modules of the model are square boxes naming their path in
the model (``roberta.encoder``) and their class; data between them are rounded and grey.
"""

from __future__ import annotations

from IPython.display import HTML

from hfanatomy import html as H
from hfanatomy.dataflow import FlowMap

__all__ = ["flow_map", "flow_map_html"]

_CSS = """
.hfa-flow{display:flex;flex-wrap:wrap;align-items:stretch;gap:4px 0;margin:2px 0}
.hfa-flow .hfa-step{display:flex;align-items:center}
.hfa-flow .hfa-box{border:1px solid var(--hfa-border);padding:3px 7px;max-width:230px;
 font-size:12px;line-height:1.3;background:var(--hfa-bg)}
.hfa-flow .hfa-box.hfa-data{border-radius:14px;background:var(--hfa-subtle);color:var(--hfa-muted)}
.hfa-flow .hfa-box.hfa-mod{border-radius:0}
.hfa-flow .hfa-box.hfa-here{background:#fff3b0;border:2px solid #e3b800;color:var(--hfa-ink)}
.hfa-flow .hfa-box b{display:block;font-weight:600}
.hfa-flow .hfa-box code{display:block;font-size:10.5px;color:var(--hfa-muted);background:none;
 padding:0;border:0;white-space:pre-line;overflow-wrap:break-word}
.hfa-flow .hfa-box code.hfa-path{color:var(--hfa-question)}
.hfa-flow .hfa-box.hfa-here code{color:#4d5560}
.hfa-flow .hfa-box.hfa-here code.hfa-path{color:#0550ae}
.hfa-flow .hfa-arrow{color:var(--hfa-faint);padding:0 4px;font-size:14px}
"""


def flow_map_html(fmap: FlowMap, chapter: str) -> str:
    """The map's markup; ``chapter`` (a key of ``fmap.chapters``) is highlighted."""
    here = {s.key for s in fmap.stages_of(chapter)}
    steps = []
    for i, s in enumerate(fmap.stages):
        cls = "hfa-box " + ("hfa-mod" if s.module else "hfa-data") + (" hfa-here" if s.key in here else "")
        where = f'<code class="hfa-path">model.{H.esc(s.module)}</code>' if s.module else ""
        detail = H.esc(s.detail).replace(" -&gt; ", "\n→ ")  # class, then what comes out
        arrow = '<span class="hfa-arrow">→</span>' if i < len(fmap.stages) - 1 else ""
        steps.append(f'<div class="hfa-step"><div class="{cls}" data-stage="{H.esc(s.key)}" '
                     f'title="{H.esc(s.detail)}"><b>{H.esc(s.title)}</b>{where}'
                     f'<code>{detail}</code></div>{arrow}</div>')
    note = ('<div class="hfa-note">Square boxes are modules of the loaded model, found by name '
            'in it; rounded ones are the data between them. Highlighted: this chapter.</div>')
    return (f"<style>{_CSS}</style>" + f'<div class="hfa-flow">{"".join(steps)}</div>' + note)


def flow_map(fmap: FlowMap, chapter: str) -> HTML:
    """The map in the book's frame, ready to display as a cell's result."""
    return HTML(H.explorer_box(flow_map_html(fmap, chapter),
                               title=f"{fmap.part}, the data flow (highlighted: chapter "
                                     f"{chapter})"))
