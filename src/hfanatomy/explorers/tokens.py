"""The token-table explorer: a text, its pieces, and every column the model receives.

The live view (``web/views/tokens.js``, in a kernel and on the site) offers the chapter's
examples (English, Korean, a sentence pair, a padded batch...) and text boxes for every
text of the example: the pieces as a strip of chips (hover, tap or focus one for its id)
and the full table from :func:`hfanatomy.tokens.token_table` (index, piece and id first; a
long text shows its first 64 and last 8 rows), recomputed as the reader types. "(your
text)" is one plain text: the view drops an example's batch and tokenizer keywords, and
shows the call its boxes make. ``compute`` is the data; ``web/compute/tokens.js`` computes
the same in the page. A page built with a tokenizer other than the embedded models' is
recorded (see :mod:`hfanatomy.explorers.live`): the view draws each example as computed at
build time.

:func:`render_table` is the one Python drawing left: display.py's TokenTable; issue 25.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hfanatomy import html as H
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.tokens import SPACE, TokenTable, token_table, tokenizer_kind

__all__ = ["TokenExplorer", "covered_text", "reads_as", "render_table", "render_strip"]

_CSS = """
.hfa-strip{display:flex;flex-wrap:wrap;gap:3px;margin:4px 0 6px}
.hfa-chip{border:1px solid var(--hfa-border);border-radius:4px;padding:1px 5px;background:var(--hfa-subtle);
 font-family:ui-monospace,Menlo,monospace;font-size:12px;white-space:pre}
.hfa-chip.hfa-sp{background:var(--hfa-special-bg);border-color:var(--hfa-special-border);color:var(--hfa-special-fg)}
.hfa-chip.hfa-pad{background:var(--hfa-bg);color:var(--hfa-faint);border-style:dashed}
.hfa-chip sub{color:var(--hfa-muted);font-size:10px;margin-left:2px}
.hfa-seqhead{font-weight:600;margin-top:6px}
"""

_SHOWN = {"index": "#", "piece": "piece (vocabulary)", "readable": "reads as", "id": "id",
          "attention_mask": "attention mask", "token_type": "token type", "span": "chars",
          "covers": "text[start:end]", "is_special": "special", "word_id": "word"}

def reads_as(table: TokenTable, row) -> str:
    """What ``row``'s piece stands for. Byte-level BPE: its bytes decoded, with a space
    written ``Ġ`` as in the vocabulary column (the token table itself writes ``␣``; the
    explorer shows one symbol only). Other tokenizers: the piece as the tokenizer writes it
    (``convert_ids_to_tokens``), so a WordPiece continuation stays ``##as``, as the
    chapters print it."""
    return row.readable.replace("\u2423", SPACE) if table.kind == "byte-level BPE" else row.piece


def covered_text(table: TokenTable, row) -> str | None:
    """``text[start:end]``: the characters of its own text (first or second) that ``row``
    covers, or None for tokens the tokenizer added. Shows what an ``[UNK]`` stood for."""
    if row.start is None or row.sequence_id is None:
        return None
    source = table.text if row.sequence_id == 0 else table.text_pair
    if isinstance(source, (list, tuple)):
        source = source[row.batch]
    return None if source is None else source[row.start:row.end]


#: the columns a reader needs first (a narrow screen scrolls the rest): index, piece, id
KEY_COLUMNS = ("index", "piece", "id")


def _columns(table: TokenTable) -> list[str]:
    cols = table.header()
    cols = cols[:cols.index("span") + 1] + ["covers"] + cols[cols.index("span") + 1:]
    return [*KEY_COLUMNS, *(c for c in cols if c not in KEY_COLUMNS)]


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
    """Strip and table for every sequence of ``table`` (self-contained markup).

    The one Python drawing left: display.py's TokenTable; issue 25."""
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


#: the tokenizer keywords an example (a state) may carry besides its texts
STATE_KEYS = ("text", "text_pair", "padding", "padding_side", "truncation", "max_length")


def _row_data(table: TokenTable, r) -> dict:
    return {"index": r.index, "piece": r.piece, "reads": reads_as(table, r), "id": r.id,
            "mask": r.attention_mask, "type": r.token_type, "start": r.start, "end": r.end,
            "covers": covered_text(table, r), "special": r.is_special, "word": r.word_id,
            "seq": r.sequence_id}


def table_data(table: TokenTable, max_positions: int | None = None) -> dict:
    """The token table as the live view's data: every sequence's rows, and warnings."""
    sequences = [[_row_data(table, r) for r in table.sequence(b)] for b in range(table.batch_size)]
    warnings = []
    if max_positions:
        for b, rows in enumerate(sequences):
            if len(rows) > max_positions:
                warnings.append(f"sequence {b}: {len(rows)} tokens, more than the model's "
                                f"{max_positions} positions (a model call needs truncation=True)")
    return {"has_token_types": table.has_token_types, "sequences": sequences,
            "warnings": warnings}


class TokenExplorer(LiveExplorer):
    """Choose an example or type your own texts; see the token table.

    ``examples`` maps a label to the arguments of :func:`token_table`: a text, or
    a dict with ``text`` and optional ``text_pair`` and tokenizer keywords
    (``padding=True``, ``padding_side="left"``, ``truncation``, ``max_length``).
    """

    title = "Token table"
    kind = "tokens"

    def __init__(self, tokenizer: Any, examples: Mapping[str, str | Mapping[str, Any]] | None = None,
                 text: str | None = None, caption: str | None = None):
        if examples is None:
            examples = {"text": text or "Hello world"}
        if not examples:
            raise ValueError("examples must name at least one text to tokenise.")
        self.tokenizer = tokenizer
        self.examples = {k: ({"text": v} if isinstance(v, str) else dict(v)) for k, v in examples.items()}
        for label, ex in self.examples.items():
            unknown = set(ex) - set(STATE_KEYS)
            if unknown:
                raise ValueError(f"example {label!r}: unknown keys {sorted(unknown)}; "
                                 f"an example may give {', '.join(STATE_KEYS)}")
        tables = {k: token_table(tokenizer, **v) for k, v in self.examples.items()}  # all valid
        first = next(iter(self.examples))
        self.first = ({"example": first, **self.examples[first]} if text is None
                      else {"example": None, "text": text})
        self.table = tables[first] if text is None else token_table(tokenizer, text)
        self.caption = caption or ("Purple rows are special tokens the tokenizer adds; grey rows are "
                                   "padding (attention mask 0). 'chars' points back into the text.")

    @property
    def data(self) -> TokenTable:
        return self.table

    @property
    def max_positions(self) -> int | None:
        n = getattr(self.tokenizer, "model_max_length", None)
        return int(n) if n and n < 1_000_000 else None

    def config(self) -> dict:
        return {"title": self.title, "caption": self.caption, "examples": self.examples,
                "tokenizer": tokenizer_kind(self.tokenizer), "max_positions": self.max_positions}

    def initial_state(self) -> dict:
        return dict(self.first)

    def compute(self, state: dict) -> dict:
        """Tokenise the state's texts with its keywords (as :func:`token_table`)."""
        kw = {k: state[k] for k in STATE_KEYS if state.get(k) is not None}
        if isinstance(kw.get("text_pair"), str) and kw["text_pair"] == "":
            kw.pop("text_pair")  # an empty second box means no pair
        self.table = token_table(self.tokenizer, **kw)
        return table_data(self.table, self.max_positions)

    def update(self, text: str, text_pair: str = "") -> TokenTable:
        """Tokenise a new text (and optional pair), as the view's text boxes do."""
        self.compute({"text": text, "text_pair": text_pair or None})
        return self.table
