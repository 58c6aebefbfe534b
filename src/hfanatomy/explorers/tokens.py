"""The token-table explorer: a text, its pieces, and every column the model receives.

Static view: a selector among pre-tokenised examples (chosen by the chapter,
e.g. English, Korean, a sentence pair, a padded batch); each shows the pieces as
a strip of chips (hover for the id) and the full table from
:func:`hfanatomy.tokens.token_table`. Live view: type a text (and an optional
second text), see the table redrawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hfanatomy import html as H
from hfanatomy.explorers.base import Explorer
from hfanatomy.tokens import TokenTable, token_table

__all__ = ["TokenExplorer", "covered_text", "reads_as", "render_table", "render_strip"]

_CSS = """
.hfa-strip{display:flex;flex-wrap:wrap;gap:3px;margin:4px 0 6px}
.hfa-chip{border:1px solid #d0d7de;border-radius:4px;padding:1px 5px;background:#f6f8fa;
 font-family:ui-monospace,Menlo,monospace;font-size:12px;white-space:pre}
.hfa-chip.hfa-sp{background:#fbefff;border-color:#d8b9ff;color:#6639ba}
.hfa-chip.hfa-pad{background:#fff;color:#8c959f;border-style:dashed}
.hfa-chip sub{color:#57606a;font-size:10px;margin-left:2px}
.hfa-seqhead{font-weight:600;margin-top:6px}
"""

_SHOWN = {"index": "#", "piece": "piece (vocabulary)", "readable": "reads as", "id": "id",
          "attention_mask": "attention mask", "token_type": "token type", "span": "chars",
          "covers": "text[start:end]", "is_special": "special", "word_id": "word"}

#: the one way the explorer writes a space: the vocabulary's own stand-in, ``Ġ``
SPACE = "\u0120"


def reads_as(table: TokenTable, row) -> str:
    """What ``row``'s piece stands for, with a space written ``Ġ`` as in the vocabulary
    column (the token table itself writes ``␣``; the explorer shows one symbol only)."""
    return row.readable.replace("\u2423", SPACE) if table.kind == "byte-level BPE" else row.readable


def covered_text(table: TokenTable, row) -> str | None:
    """``text[start:end]``: the characters of its own text (first or second) that ``row``
    covers, or None for tokens the tokenizer added. Shows what an ``[UNK]`` stood for."""
    if row.start is None or row.sequence_id is None:
        return None
    source = table.text if row.sequence_id == 0 else table.text_pair
    if isinstance(source, (list, tuple)):
        source = source[row.batch]
    return None if source is None else source[row.start:row.end]


def _columns(table: TokenTable) -> list[str]:
    cols = table.header()
    return cols[:cols.index("span") + 1] + ["covers"] + cols[cols.index("span") + 1:]


def _value(table: TokenTable, row, col: str) -> Any:
    if col == "covers":
        return covered_text(table, row)
    if col == "readable":
        return reads_as(table, row)
    return getattr(row, col)


def render_strip(table: TokenTable, batch: int = 0) -> str:
    """The readable pieces of one sequence as chips; hover shows piece and id."""
    chips = []
    for r in table.sequence(batch):
        cls = "hfa-chip"
        if r.is_special:
            cls += " hfa-pad" if r.attention_mask == 0 else " hfa-sp"
        chips.append(f'<span class="{cls}" data-value="{r.id}" title="piece {H.esc(r.piece)} · id {r.id}'
                     f' · mask {r.attention_mask}">{H.esc(reads_as(table, r))}<sub>{r.id}</sub></span>')
    return f'<div class="hfa-strip">{"".join(chips)}</div>'


def _cell(col: str, value: Any) -> str:
    text = "" if value is None else ("✓" if value is True else ("" if value is False else str(value)))
    return f'<td data-col="{col}" data-value="{H.esc(value)}">{H.esc(text)}</td>'


def render_table(table: TokenTable) -> str:
    """Strip and table for every sequence of ``table`` (self-contained markup)."""
    cols = _columns(table)
    parts = [f"<style>{_CSS}</style>",
             f'<div class="hfa-note">tokenizer: {H.esc(table.kind)} · '
             f'{table.batch_size} sequence(s) · {len(table.sequence(0))} tokens each</div>']
    for b in range(table.batch_size):
        if table.batch_size > 1:
            parts.append(f'<div class="hfa-seqhead">sequence {b}</div>')
        parts.append(render_strip(table, b))
        head = "".join(f"<th>{H.esc(_SHOWN[c])}</th>" for c in cols)
        body = []
        for r in table.sequence(b):
            cls = ' class="hfa-muted"' if r.attention_mask == 0 else (' class="hfa-special"' if r.is_special else "")
            body.append(f"<tr{cls}>" + "".join(_cell(c, _value(table, r, c)) for c in cols) + "</tr>")
        parts.append(f'<table class="hfa-table"><tr>{head}</tr>{"".join(body)}</table>')
    return "".join(parts)


class TokenExplorer(Explorer):
    """Choose (static) or type (live) a text; see its token table.

    ``examples`` maps a label to the arguments of :func:`token_table`: a text, or
    a dict with ``text`` and optional ``text_pair`` and tokenizer keywords
    (``padding=True``, ``padding_side="left"``...).
    """

    title = "Token table"

    def __init__(self, tokenizer: Any, examples: Mapping[str, str | Mapping[str, Any]] | None = None,
                 text: str | None = None, caption: str | None = None):
        if examples is None:
            examples = {"text": text or "Hello world"}
        if not examples:
            raise ValueError("examples must name at least one text to tokenise.")
        self.tokenizer = tokenizer
        self.examples = {k: ({"text": v} if isinstance(v, str) else dict(v)) for k, v in examples.items()}
        self.tables = {k: token_table(tokenizer, **v) for k, v in self.examples.items()}
        first = next(iter(self.examples))
        self.text = text if text is not None else (self.examples[first]["text"]
                                                   if isinstance(self.examples[first]["text"], str) else "")
        self.text_pair = ""
        self.table = self.tables[first] if text is None else token_table(tokenizer, text)
        self.caption = caption or ("Purple rows are special tokens the tokenizer adds; grey rows are "
                                   "padding (attention mask 0). 'chars' points back into the text.")

    @property
    def data(self) -> TokenTable:
        return self.table

    def static_html(self) -> str:
        states = {(k,): render_table(t) for k, t in self.tables.items()}
        first = next(iter(self.tables))
        note = f'<div class="hfa-note">{H.esc(self.caption)}</div>' + H.live_note("type your own text")
        return H.stateful_view(self.title, [H.select("example", [(k, k) for k in self.tables],
                                                     label="example")],
                               states, (first,), note=note)

    def update(self, text: str, text_pair: str = "") -> TokenTable:
        """Tokenise a new text (what the live view's text boxes call)."""
        self.text, self.text_pair = text, text_pair
        self.table = token_table(self.tokenizer, text or " ", text_pair or None)
        return self.table

    def build_widget(self):
        import ipywidgets as w

        text = w.Text(value=self.text, description="text", continuous_update=False,
                      layout=w.Layout(width="95%"))
        pair = w.Text(value="", description="text pair", placeholder="optional second text",
                      continuous_update=False, layout=w.Layout(width="95%"))
        view = w.HTML(render_table(self.table))

        def redraw(_=None):
            view.value = render_table(self.update(text.value, pair.value))

        text.observe(redraw, names="value")
        pair.observe(redraw, names="value")
        box = w.VBox([w.HTML(f"<b>{H.esc(self.title)}</b>"), text, pair, view])
        box.text, box.text_pair, box.view = text, pair, view
        return box
