"""The position-ids explorer: pad a batch left or right and see which table rows each token reads.

For each sequence it draws the tokens, RoBERTa's position ids under them (and
BERT's ``arange`` ids for contrast), and a strip of the position-embedding
table's first rows, filled where a token reads that row. Static view: choose an
example and the padding side among pre-rendered states. Live view: type two
texts, choose the side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hfanatomy import html as H
from hfanatomy.explorers.base import Explorer
from hfanatomy.positions import PaddedPositions, padded_positions

__all__ = ["PositionExplorer", "render_positions"]

_CSS = """
.hfa-pos table{border-collapse:collapse;margin:2px 0 8px}
.hfa-pos td,.hfa-pos th{border:1px solid #d0d7de;padding:1px 3px;text-align:center;
 font-family:ui-monospace,Menlo,monospace;font-size:11.5px;white-space:pre}
.hfa-pos th{background:#f6f8fa;text-align:right;font-weight:600}
.hfa-pos td.hfa-padcell{color:#8c959f;background:#f6f8fa}
.hfa-pos td.hfa-rob{color:#0a3069;font-weight:600}
.hfa-pos .hfa-rows{display:flex;gap:1px;margin:2px 0 10px;flex-wrap:wrap}
.hfa-pos .hfa-row{width:18px;height:18px;font-size:9px;line-height:18px;text-align:center;
 border:1px solid #d0d7de;color:#57606a;font-family:ui-monospace,Menlo,monospace}
.hfa-pos .hfa-row.hfa-real{background:#3b82c4;color:#fff;border-color:#3b82c4}
.hfa-pos .hfa-row.hfa-padrow{background:#c8ccd1;color:#1f2328}
.hfa-pos .hfa-row.hfa-pidx{outline:2px dotted #d1242f}
"""


def render_positions(data: PaddedPositions, n_rows: int | None = None, table_size: int | None = None) -> str:
    """Token/position grid and table-row strip for every sequence of ``data``."""
    top = int(data.roberta.max()) + 2
    n_rows = max(n_rows or 0, top)
    parts = [f'<div class="hfa-pos"><style>{_CSS}</style>']
    for b in range(data.input_ids.shape[0]):
        mask = data.attention_mask[b].tolist()
        rob = data.roberta[b].tolist()
        bert = data.bert[b].tolist()

        def row(label: str, values: list[Any], cls: str = "", value_attr: bool = False,
                mask: list[int] = mask) -> str:
            cells = []
            for v, m in zip(values, mask):
                c = cls if m else "hfa-padcell"
                attr = f' data-value="{H.esc(v)}"' if value_attr else ""
                cells.append(f'<td class="{c}"{attr}>{H.esc(v)}</td>')
            return f"<tr><th>{H.esc(label)}</th>{''.join(cells)}</tr>"

        parts.append(f'<div class="hfa-title">sequence {b}: {H.esc(data.texts[b])!s}</div>')
        parts.append("<table>" + row("token", data.pieces[b]) + row("input id", data.input_ids[b].tolist())
                     + row("RoBERTa position", rob, "hfa-rob", value_attr=True)
                     + row("BERT position", bert) + "</table>")
        real = {p for p, m in zip(rob, mask) if m}
        pads = {p for p, m in zip(rob, mask) if not m}
        cells = []
        for r in range(n_rows):
            cls = "hfa-row" + (" hfa-real" if r in real else (" hfa-padrow" if r in pads else ""))
            if r == data.padding_idx:
                cls += " hfa-pidx"
            who = "real tokens" if r in real else ("padding" if r in pads else "nobody")
            cells.append(f'<span class="{cls}" title="row {r}: read by {who}">{r}</span>')
        more = f' <span class="hfa-muted">… up to row {table_size - 1}</span>' if table_size else ""
        parts.append('<div class="hfa-muted">rows of the position table read (RoBERTa):</div>'
                     f'<div class="hfa-rows">{"".join(cells)}{more}</div>')
    parts.append("</div>")
    return "".join(parts)


class PositionExplorer(Explorer):
    """Choose an example and a padding side; see position ids and the table rows they select.

    ``examples`` maps a label to a list of texts tokenised as one padded batch
    (give texts of different lengths so that padding appears).
    """

    title = "Position ids: left vs right padding"

    def __init__(self, tokenizer: Any, examples: Mapping[str, Sequence[str]], table_size: int | None = None,
                 padding_idx: int | None = None, caption: str | None = None):
        if not examples:
            raise ValueError("examples must hold at least one batch of texts.")
        self.tokenizer = tokenizer
        self.table_size = table_size
        self.padding_idx = padding_idx
        self.examples = {k: list(v) for k, v in examples.items()}
        self.states = {(k, side): padded_positions(tokenizer, v, side, padding_idx)
                       for k, v in self.examples.items() for side in ("right", "left")}
        first = next(iter(self.examples))
        self.n_rows = 2 + max(int(d.roberta.max()) for d in self.states.values())
        self.texts = self.examples[first]
        self.padding_side = "right"
        self.positions = self.states[(first, "right")]
        self.caption = caption or ("Switch the padding side: the real tokens keep the same position ids "
                                   "(counted from padding_idx + 1), while BERT's ids shift with the padding.")

    @property
    def data(self) -> PaddedPositions:
        return self.positions

    def static_html(self) -> str:
        states = {key: render_positions(d, self.n_rows, self.table_size) for key, d in self.states.items()}
        first = next(iter(self.examples))
        controls = [H.select("example", [(k, k) for k in self.examples], label="example"),
                    H.select("side", [("right", "right"), ("left", "left")], label="padding side")]
        note = f'<div class="hfa-note">{H.esc(self.caption)}</div>' + H.live_note("type your own texts")
        return H.stateful_view(self.title, controls, states, (first, "right"), note=note)

    def update(self, texts: Sequence[str], padding_side: str) -> PaddedPositions:
        """Recompute for new texts / side (what the live controls call)."""
        texts = [t for t in texts if t] or [" "]
        self.texts, self.padding_side = list(texts), padding_side
        self.positions = padded_positions(self.tokenizer, self.texts, padding_side, self.padding_idx)
        return self.positions

    def build_widget(self):
        import ipywidgets as w

        t1 = w.Text(value=self.texts[0], description="text 1", continuous_update=False,
                    layout=w.Layout(width="95%"))
        t2 = w.Text(value=self.texts[1] if len(self.texts) > 1 else "", description="text 2",
                    continuous_update=False, layout=w.Layout(width="95%"))
        side = w.ToggleButtons(options=["right", "left"], value=self.padding_side, description="padding")
        view = w.HTML(render_positions(self.positions, self.n_rows, self.table_size))

        def redraw(_=None):
            data = self.update([t1.value, t2.value], side.value)
            view.value = render_positions(data, self.n_rows, self.table_size)

        for c in (t1, t2, side):
            c.observe(redraw, names="value")
        box = w.VBox([w.HTML(f"<b>{H.esc(self.title)}</b>"), t1, t2, side, view])
        box.text1, box.text2, box.side, box.view = t1, t2, side, view
        return box
