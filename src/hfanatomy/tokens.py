"""Token tables: what a tokenizer turns a text into, one row per token.

:func:`token_table` runs a (fast) tokenizer once and lays out, for every token,
its index, the piece as the vocabulary stores it, a readable form of that piece,
the id, the attention mask, the token type, the character offsets into the
text, whether it is a special token, and which word it came from. Every column
is taken from the tokenizer's own output (tests check that the ids, masks and
offsets equal what ``tokenizer(...)`` returns).

Byte-level BPE (RoBERTa, GPT-2) stores pieces over a 256-symbol alphabet that
stands for bytes: ``Ġ`` is the byte of a space, and a Hangul syllable (three
UTF-8 bytes) shows up as three odd-looking symbols. :func:`readable_piece`
maps a piece back to the text it stands for, or to its bytes (``<EB 8A>``)
when the piece ends inside a character. WordPiece (BERT) marks a piece that
continues a word with ``##`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = [
    "SPACE",
    "TokenRow",
    "TokenTable",
    "token_table",
    "tokenizer_kind",
    "readable_piece",
    "readable_tokens",
    "bytes_of_piece",
]

#: the one way the explorers write a byte-level space: the vocabulary's own stand-in, ``Ġ``
#: (the token table writes ``␣``)
SPACE = "\u0120"


@lru_cache(maxsize=1)
def _byte_alphabet() -> dict[str, int]:
    """The byte-level BPE alphabet: printable symbol -> byte value (GPT-2's reversible mapping).

    Printable bytes stand for themselves; the other 68 bytes (space, control
    characters, ...) are shifted to code points 256 and up, so a space (byte 32)
    becomes ``Ġ`` (U+0120).
    """
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    symbol_of = {b: chr(b) for b in keep}
    shift = 0
    for b in range(256):
        if b not in symbol_of:
            symbol_of[b] = chr(256 + shift)
            shift += 1
    return {s: b for b, s in symbol_of.items()}


def bytes_of_piece(piece: str) -> bytes | None:
    """The bytes a byte-level BPE piece stands for, or None if it is not a byte-level piece."""
    alphabet = _byte_alphabet()
    if not piece or any(ch not in alphabet for ch in piece):
        return None
    return bytes(alphabet[ch] for ch in piece)


def tokenizer_kind(tokenizer: Any) -> str:
    """``"byte-level BPE"``, ``"WordPiece"``, ``"BPE"``, ``"Unigram"``... read from the tokenizer's backend."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return type(tokenizer).__name__
    model = type(backend.model).__name__
    pre = backend.pre_tokenizer
    pre_text = repr(pre) if pre is not None else ""
    if model == "BPE" and "ByteLevel" in pre_text:
        return "byte-level BPE"
    return model


def readable_piece(piece: str, kind: str = "byte-level BPE") -> str:
    """A piece as a reader would write it.

    Byte-level BPE: ``Ġgood`` -> ``" good"`` (leading space kept visible as
    ``␣``); a piece that cuts a character in the middle shows its bytes, e.g.
    ``<EA B5>``. WordPiece keeps its own form, ``##ing`` (continues the previous piece), as
    every explorer shows it.
    """
    if kind == "byte-level BPE":
        raw = bytes_of_piece(piece)
        if raw is None:  # a special token such as <s>
            return piece
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # keep the complete characters, show the incomplete ones as bytes
            text = raw.decode("utf-8", errors="backslashreplace").replace(" ", "␣")
            return re.sub(r"(?:\\x[0-9a-f]{2})+",
                          lambda m: "<" + " ".join(m.group(0)[i + 2:i + 4].upper()
                                                   for i in range(0, len(m.group(0)), 4)) + ">",
                          text)
        return text.replace(" ", "␣")
    return piece


@dataclass
class TokenRow:
    """One token of one sequence."""

    batch: int
    index: int
    piece: str
    readable: str
    id: int
    attention_mask: int
    token_type: int | None
    start: int | None
    end: int | None
    is_special: bool
    word_id: int | None
    sequence_id: int | None

    @property
    def span(self) -> str:
        """The offsets as ``start:end`` (empty for special tokens and pads)."""
        return "" if self.start is None else f"{self.start}:{self.end}"


@dataclass
class TokenTable:
    """The rows of :func:`token_table` plus what was tokenised, and how."""

    text: str | list[str]
    text_pair: str | list[str] | None
    kind: str
    rows: list[TokenRow] = field(default_factory=list)
    has_token_types: bool = False

    COLUMNS = ("index", "piece", "readable", "id", "attention_mask", "token_type", "span",
               "is_special", "word_id")

    @property
    def batch_size(self) -> int:
        return 1 + max((r.batch for r in self.rows), default=-1)

    def sequence(self, batch: int = 0) -> list[TokenRow]:
        """The rows of one sequence of the batch."""
        return [r for r in self.rows if r.batch == batch]

    def column(self, name: str, batch: int = 0) -> list[Any]:
        """One column of one sequence, e.g. ``table.column("id")``."""
        return [getattr(r, name) for r in self.sequence(batch)]

    @property
    def input_ids(self) -> list[list[int]]:
        return [self.column("id", b) for b in range(self.batch_size)]

    def __len__(self) -> int:
        return len(self.rows)

    def header(self) -> list[str]:
        cols = list(self.COLUMNS)
        if not self.has_token_types:
            cols.remove("token_type")
        return cols

    def records(self, batch: int = 0) -> list[list[Any]]:
        """Rows of one sequence as lists in :meth:`header` order (for tables)."""
        return [[getattr(r, c) for c in self.header()] for r in self.sequence(batch)]

    def __str__(self) -> str:
        lines = []
        for b in range(self.batch_size):
            if self.batch_size > 1:
                lines.append(f"sequence {b}")
            head = self.header()
            recs = [[("" if v is None else str(v)) for v in r] for r in self.records(b)]
            widths = [max(len(h), *(len(r[i]) for r in recs)) for i, h in enumerate(head)]
            lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths)))
            lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in recs]
        return "\n".join(lines)


def _check_text(value: object, name: str) -> None:
    ok = isinstance(value, str) or (
        isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value))
    if not ok:
        raise TypeError(f"{name} must be a string or a non-empty list of strings, got "
                        f"{type(value).__name__}: {value!r:.60}")


def token_table(tokenizer: Any, text: str | Sequence[str], text_pair: str | Sequence[str] | None = None,
                **kw: Any) -> TokenTable:
    """Tokenise ``text`` (and ``text_pair``) and return one row per token.

    ``kw`` goes to the tokenizer call (``padding``, ``truncation``,
    ``max_length``, ``padding_side``...). A list of texts gives a batch; rows
    carry their ``batch`` index. Needs a fast tokenizer (for offsets and word ids).
    """
    _check_text(text, "text")
    if text_pair is not None:
        _check_text(text_pair, "text_pair")
        if isinstance(text, str) != isinstance(text_pair, str):
            raise TypeError("text and text_pair must both be strings or both be lists of strings.")
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError(f"token_table needs a fast tokenizer (offsets, word ids); got {type(tokenizer).__name__}.")
    for key in ("return_tensors", "return_offsets_mapping", "return_special_tokens_mask"):
        if key in kw:
            raise ValueError(f"token_table sets {key} itself; leave it out.")
    texts = [text] if isinstance(text, str) else list(text)
    pairs = None if text_pair is None else ([text_pair] if isinstance(text_pair, str) else list(text_pair))
    if pairs is not None and len(pairs) != len(texts):
        raise ValueError(f"text has {len(texts)} items but text_pair has {len(pairs)}.")
    enc = tokenizer(texts, pairs, return_offsets_mapping=True, return_special_tokens_mask=True,
                    return_token_type_ids=None, **kw)
    kind = tokenizer_kind(tokenizer)
    has_types = "token_type_ids" in enc
    rows: list[TokenRow] = []
    for b in range(len(texts)):
        ids = enc["input_ids"][b]
        pieces = tokenizer.convert_ids_to_tokens(ids)
        words = enc.word_ids(b)
        seqs = enc.sequence_ids(b)
        for i, (tid, piece) in enumerate(zip(ids, pieces)):
            special = bool(enc["special_tokens_mask"][b][i])
            start, end = enc["offset_mapping"][b][i]
            no_span = special or (start == end == 0 and words[i] is None)
            rows.append(TokenRow(
                batch=b, index=i, piece=piece,
                readable=piece if special else readable_piece(piece, kind),
                id=int(tid), attention_mask=int(enc["attention_mask"][b][i]),
                token_type=int(enc["token_type_ids"][b][i]) if has_types else None,
                start=None if no_span else int(start), end=None if no_span else int(end),
                is_special=special, word_id=words[i], sequence_id=seqs[i],
            ))
    return TokenTable(text=text if isinstance(text, str) else list(text), text_pair=text_pair,
                      kind=kind, rows=rows, has_token_types=has_types)


def readable_tokens(tokens: Sequence[str], is_special: Sequence[bool], kind: str) -> list[str]:
    """The pieces as the explorers show them: special tokens as they are, the others through
    :func:`readable_piece`, a byte-level space written ``Ġ`` (:data:`SPACE`):
    ``ĠìĺģíĻĶëĬĶ`` -> ``Ġ영화는``, WordPiece ``##ing`` -> ``…ing``."""
    def reads(piece: str) -> str:
        text = readable_piece(piece, kind)
        return text.replace("\u2423", SPACE) if kind == "byte-level BPE" else text

    return [t if sp else reads(t) for t, sp in zip(tokens, is_special)]
