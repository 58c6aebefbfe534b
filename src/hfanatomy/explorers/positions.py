"""The position-ids explorer: pad a batch left or right and see which table rows each token reads.

For each sequence it draws the tokens, RoBERTa's position ids under them (and
BERT's ``arange`` ids for contrast), and a strip of the position-embedding
table's first rows, filled where a token reads that row.

The drawing is the JS view ``web/views/positions.js`` (kind ``"positions"``), in a
kernel and on the site alike. :func:`positions_data` computes what it draws from the
tokenizer alone (no model); ``web/compute/positions.js`` computes the same JSON in the
reader's browser. A sequence longer than the position table allows is drawn whole, its
missing rows flagged, with a warning: nothing is cut silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hfanatomy.explorers.live import LiveExplorer, jsonable
from hfanatomy.positions import PaddedPositions, padded_positions
from hfanatomy.tokens import SPACE, tokenizer_kind

__all__ = ["PositionExplorer", "positions_data", "position_limits", "MAX_TEXTS"]

#: the most texts one batch of the explorer holds
MAX_TEXTS = 4

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
        self.n_rows = 2 + max(int(padded_positions(tokenizer, v, side, self.padding_idx)
                                  .roberta.max())
                              for v in self.examples.values() for side in ("right", "left"))
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

    def recorded_variants(self) -> list[dict]:
        return [{"padding_side": "right"}, {"padding_side": "left"}]
