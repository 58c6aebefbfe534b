"""The position-ids explorer: pad a batch left or right and see which table rows each token reads.

For each sequence it draws the tokens, RoBERTa's position ids under them (and
BERT's ``arange`` ids for contrast), and a strip of the position-embedding
table's first rows, filled where a token reads that row.

The drawing is the JS view ``web/views/positions.js`` (kind ``"positions"``), in a
kernel and on the site alike. :func:`positions_data` computes what it draws from the
tokenizer alone (no model); ``web/compute/positions.js`` computes the same JSON in the
reader's browser. A sequence longer than the position table allows is drawn whole, its
missing rows flagged, with a warning: nothing is cut silently. ``fallback_html()`` is
the pre-rendered view (JavaScript off, or a tokenizer other than the embedded model's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from hfanatomy import html as H
from hfanatomy.explorers.live import LiveExplorer, jsonable
from hfanatomy.positions import PaddedPositions, padded_positions
from hfanatomy.tokens import SPACE, tokenizer_kind

__all__ = ["PositionExplorer", "positions_data", "position_limits", "render_positions",
           "MAX_TEXTS"]

#: the most texts one batch of the explorer holds
MAX_TEXTS = 4

_CSS = """
.hfa-pos table{border-collapse:collapse;margin:2px 0 8px}
.hfa-pos td,.hfa-pos th{border:1px solid var(--hfa-border);padding:1px 3px;text-align:center;
 font-family:ui-monospace,Menlo,monospace;font-size:11.5px;white-space:pre}
.hfa-pos th{background:var(--hfa-subtle);text-align:right;font-weight:600}
.hfa-pos td.hfa-padcell{color:var(--hfa-faint);background:var(--hfa-subtle)}
.hfa-pos td.hfa-rob{color:var(--hfa-strong);font-weight:600}
.hfa-pos .hfa-rows{display:flex;gap:1px;margin:2px 0 10px;flex-wrap:wrap}
.hfa-pos .hfa-row{min-width:18px;height:18px;padding:0 2px;font-size:9px;line-height:18px;
 text-align:center;border:1px solid var(--hfa-border);color:var(--hfa-muted);box-sizing:border-box;
 font-family:ui-monospace,Menlo,monospace}
.hfa-pos .hfa-row.hfa-real{background:#3b82c4;color:#fff;border-color:#3b82c4}
.hfa-pos .hfa-row.hfa-padrow{background:#c8ccd1;color:var(--hfa-ink)}
.hfa-pos .hfa-row.hfa-pidx{outline:2px dotted var(--hfa-error)}
.hfa-pos .hfa-seqhead{font-weight:600;margin-top:6px;overflow-wrap:anywhere}
.hfa-pos .hfa-mono{font-family:ui-monospace,Menlo,monospace}
"""

#: a sequence's heading shows this many characters of its text (all of it in its title)
SHORT = 60


def short_text(text: str, n: int = SHORT) -> str:
    """The first ``n`` characters of ``text`` and "…" when it is longer (a heading's form;
    the page's view cuts the same code points)."""
    return text if len(text) <= n else text[:n] + "…"


def shown_pieces(tokenizer: Any, data: PaddedPositions) -> list[list[str]]:
    """The pieces as the explorer shows them (the token explorer's ``reads_as``): byte-level
    BPE decoded, a space as ``Ġ``; any other tokenizer's as ``convert_ids_to_tokens`` writes
    them (a WordPiece continuation stays ``##as``)."""
    if tokenizer_kind(tokenizer) == "byte-level BPE":
        return [[p.replace("\u2423", SPACE) for p in row] for row in data.pieces]
    return [tokenizer.convert_ids_to_tokens(row) for row in data.input_ids.tolist()]


def render_positions(data: PaddedPositions, n_rows: int | None = None, table_size: int | None = None) -> str:
    """Token/position grid and table-row strip for every sequence of ``data`` (the fallback view)."""
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

        parts.append(f'<div class="hfa-seqhead">sequence {b}: <span class="hfa-mono" '
                     f'title="{H.esc(data.texts[b])}">{H.esc(short_text(data.texts[b]))}</span></div>')
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


def position_limits(tokenizer: Any, table_size: int | None = None,
                    padding_idx: int | None = None) -> tuple[int, int | None]:
    """(padding_idx, the most tokens a sequence may have) for this tokenizer and table.

    With a table of ``table_size`` rows, RoBERTa's real tokens read rows
    ``padding_idx + 1 .. table_size - 1``: at most ``table_size - padding_idx - 1`` tokens
    (514 rows, padding_idx 1: 512). Without a table size, the tokenizer's
    ``model_max_length`` (None when the tokenizer sets no real limit).
    """
    pad = tokenizer.pad_token_id if padding_idx is None else padding_idx
    if not isinstance(pad, int) or isinstance(pad, bool):
        raise ValueError(f"padding_idx must be an int (the tokenizer has no pad token); got {pad!r}.")
    if table_size is not None:
        if not isinstance(table_size, int) or table_size <= pad + 1:
            raise ValueError(f"table_size must be an int above padding_idx + 1 = {pad + 1}; "
                             f"got {table_size!r}.")
        return pad, table_size - pad - 1
    most = getattr(tokenizer, "model_max_length", None)
    return pad, int(most) if isinstance(most, int) and most < 10**6 else None


def _check_texts(texts: object) -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise ValueError(f"texts must be a list of 1 to {MAX_TEXTS} strings (one per sequence of the "
                         f"batch); got {type(texts).__name__}.")
    texts = list(texts)
    if not 1 <= len(texts) <= MAX_TEXTS:
        raise ValueError(f"texts must hold 1 to {MAX_TEXTS} strings; got {len(texts)}.")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise ValueError(f"text {i} must be a string; got {type(t).__name__}.")
    return texts


def positions_data(tokenizer: Any, texts: Sequence[str], padding_side: str = "right",
                   padding_idx: int | None = None, table_size: int | None = None) -> dict:
    """What the position explorer draws for ``texts`` padded as one batch on ``padding_side``.

    ``{"padding_side", "padding_idx", "table_size", "max_tokens", "length" (L),
    "sequences": [{"text", "pieces", "input_ids", "attention_mask", "roberta", "bert",
    "tokens" (real tokens, specials included)}], "warnings"}``; pieces as the token explorer
    shows them (:func:`hfanatomy.explorers.tokens.reads_as`): byte-level BPE decoded, a space
    as ``Ġ`` (the vocabulary's symbol), ``<pad>`` for padding; any other tokenizer's pieces as
    ``convert_ids_to_tokens`` writes them (WordPiece ``##as``). An empty text is a sequence
    of its two special tokens, as the tokenizer makes it. Sequence ``b`` (0-based, as in the
    batch; the view's box "text b") is "sequence b" in the warnings.
    """
    texts = _check_texts(texts)
    if padding_side not in ("left", "right"):
        raise ValueError(f"padding side must be 'left' or 'right'; got {padding_side!r}.")
    pad, most = position_limits(tokenizer, table_size, padding_idx)
    pp = padded_positions(tokenizer, texts, padding_side, pad)
    shown = shown_pieces(tokenizer, pp)
    sequences, warnings = [], []
    for b, text in enumerate(texts):
        mask = pp.attention_mask[b].tolist()  # (L,)
        rob = pp.roberta[b].tolist()  # (L,)
        n = int(sum(mask))
        sequences.append({"text": text, "pieces": shown[b], "input_ids": pp.input_ids[b].tolist(),
                          "attention_mask": mask, "roberta": rob, "bert": pp.bert[b].tolist(),
                          "tokens": n})
        if most is not None and n > most:
            if table_size is not None:
                warnings.append(
                    f"sequence {b}: {n} tokens, but the position table has {table_size} rows "
                    f"(0..{table_size - 1}), so the model reads at most {most} tokens: rows "
                    f"{table_size}..{max(rob)} do not exist (marked red). Cut the text "
                    f"(truncation=True) before the model sees it.")
            else:
                warnings.append(f"sequence {b}: {n} tokens, more than the {most} the model reads; "
                                f"cut the text (truncation=True) before the model sees it.")
    return jsonable({"padding_side": padding_side, "padding_idx": pad, "table_size": table_size,
                     "max_tokens": most, "length": int(pp.input_ids.shape[1]),
                     "sequences": sequences, "warnings": warnings})


class PositionExplorer(LiveExplorer):
    """Choose an example or type up to four texts, and a padding side; see position ids and rows.

    ``examples`` maps a label to a list of texts tokenised as one padded batch
    (give texts of different lengths so that padding appears). ``compute(state)`` is
    :func:`positions_data` of the state's texts and side; ``explorer.widget.data`` is that
    of the state shown in a kernel.
    """

    kind = "positions"
    title = "Position ids: left vs right padding"

    def __init__(self, tokenizer: Any, examples: Mapping[str, Sequence[str]], table_size: int | None = None,
                 padding_idx: int | None = None, caption: str | None = None):
        if not examples:
            raise ValueError("examples must hold at least one batch of texts.")
        self.tokenizer = tokenizer
        self.table_size = table_size
        self.padding_idx, self.max_tokens = position_limits(tokenizer, table_size, padding_idx)
        self.examples = {k: _check_texts(v) for k, v in examples.items()}
        self.states = {}
        for k, v in self.examples.items():
            for side in ("right", "left"):
                pp = padded_positions(tokenizer, v, side, self.padding_idx)
                self.states[k, side] = replace(pp, pieces=shown_pieces(tokenizer, pp))
        self.n_rows = 2 + max(int(d.roberta.max()) for d in self.states.values())
        self.caption = caption or ("Switch the padding side: the real tokens keep the same position ids "
                                   "(counted from padding_idx + 1), while BERT's ids shift with the padding.")

    def config(self) -> dict:
        return {"title": self.title, "caption": self.caption,
                "examples": {k: {"texts": v} for k, v in self.examples.items()},
                "padding_idx": self.padding_idx, "table_size": self.table_size,
                "max_tokens": self.max_tokens, "n_rows": self.n_rows, "max_texts": MAX_TEXTS}

    def initial_state(self) -> dict:
        first = next(iter(self.examples))
        return {"example": first, "texts": list(self.examples[first]), "padding_side": "right"}

    def compute(self, state: dict) -> dict:
        return positions_data(self.tokenizer, state.get("texts"), state.get("padding_side", "right"),
                              self.padding_idx, self.table_size)

    def fallback_html(self) -> str:
        states = {key: render_positions(d, self.n_rows, self.table_size) for key, d in self.states.items()}
        first = next(iter(self.examples))
        controls = [H.select("example", [(k, k) for k in self.examples], label="example"),
                    H.select("side", [("right", "right"), ("left", "left")], label="padding side")]
        note = f'<div class="hfa-note">{H.esc(self.caption)}</div>' + H.live_note("type your own texts")
        return H.stateful_view(self.title, controls, states, (first, "right"), note=note)
