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

:class:`TokenTableExplorer` draws one :class:`~hfanatomy.tokens.TokenTable` with the same
view, as it was computed: how ``hfanatomy.display`` shows a token table in a notebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hfanatomy.explorers.live import LiveExplorer, jsonable
from hfanatomy.tokens import SPACE, TokenTable, token_table, tokenizer_kind

__all__ = ["TokenExplorer", "TokenTableExplorer", "covered_text", "reads_as", "table_data"]


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


class TokenTableExplorer(LiveExplorer):
    """One :class:`~hfanatomy.tokens.TokenTable` as it was computed, drawn by the token
    view (``hfanatomy.display`` shows a token table with it). The table keeps no tokenizer,
    so the explorer is recorded: its one state is the table's texts, and a typed text is
    answered with an error that names :class:`TokenExplorer`, which tokenises as you type.
    """

    title = "Token table"
    kind = "tokens"
    python_only = True
    recorded_why = ("this table was tokenised when the book was built, for the cell's own text; "
                    "TokenExplorer(tokenizer) tokenises what you type.")

    def __init__(self, table: TokenTable):
        if not isinstance(table, TokenTable):
            raise TypeError(f"TokenTableExplorer draws a TokenTable (hfanatomy.tokens.token_table"
                            f"(...)); got {type(table).__name__}.")
        self.table = table

    @property
    def data(self) -> TokenTable:
        return self.table


    def config(self) -> dict:
        return {"title": self.title, "examples": {}, "tokenizer": self.table.kind,
                "max_positions": None,
                "caption": ("This table was tokenised once, when the cell ran: its text boxes "
                            "show what. To type your own, use TokenExplorer(tokenizer).")}

    def initial_state(self) -> dict:
        return {"example": None, "text": self.table.text, "text_pair": self.table.text_pair}

    def compute(self, state: dict) -> dict:
        """The table, for its own texts only."""
        first = self.initial_state()
        if jsonable([state.get(k) for k in STATE_KEYS]) != jsonable([first.get(k) for k in STATE_KEYS]):
            raise ValueError("this table was tokenised once, for its own texts: to tokenise "
                             "what you type, show TokenExplorer(tokenizer) instead")
        return table_data(self.table)
