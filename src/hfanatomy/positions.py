"""Position ids: which row of the position-embedding table each token reads.

RoBERTa and BERT both learn a table of position vectors, but they index it
differently:

* RoBERTa (inherited from fairseq) numbers the *real* tokens from
  ``padding_idx + 1`` and leaves every pad at ``padding_idx``. Pads therefore
  always read the same row, and a left-padded sequence gives its real tokens
  the same positions as the unpadded one.
* BERT numbers every slot ``0, 1, 2, ...`` (``arange``), pads included.

:func:`roberta_position_ids` equals
``RobertaEmbeddings.create_position_ids_from_input_ids`` (tests check it on
random inputs); :func:`bert_position_ids` equals the ``position_ids`` slice
``BertEmbeddings`` uses when none are given. :func:`position_rows` describes,
for one batch, which table rows are read and by which tokens (the data behind
the position-ids explorer and plot).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import torch

__all__ = [
    "roberta_position_ids",
    "roberta_position_ids_from_embeds",
    "bert_position_ids",
    "PositionRows",
    "position_rows",
]


def _as_ids(input_ids: object, name: str = "input_ids") -> torch.Tensor:
    """Validate and convert token ids to a (B, L) long tensor, with a clear message if impossible."""
    if isinstance(input_ids, (list, tuple)):
        try:
            input_ids = torch.tensor(input_ids)
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"{name} must be a (batch, length) grid of integer token ids, e.g. [[0, 31414, 2]]; "
                f"could not turn the given list into a tensor ({err})."
            ) from None
    if not isinstance(input_ids, torch.Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor (or a nested list) of integer token ids, got "
            f"{type(input_ids).__name__}. Pass tokenizer(..., return_tensors='pt')['input_ids']."
        )
    if input_ids.is_floating_point() or input_ids.is_complex() or input_ids.dtype == torch.bool:
        raise TypeError(
            f"{name} must hold integer token ids, got dtype {input_ids.dtype}. "
            "Token ids index a table: convert with .long() if the values really are ids."
        )
    if input_ids.ndim == 1:
        raise ValueError(
            f"{name} must be 2-D (batch, length), got shape {tuple(input_ids.shape)}. "
            "Add the batch axis with input_ids.unsqueeze(0) (or pass [ids] instead of ids)."
        )
    if input_ids.ndim != 2:
        raise ValueError(f"{name} must be 2-D (batch, length), got shape {tuple(input_ids.shape)}.")
    return input_ids.long()


def roberta_position_ids(input_ids: torch.Tensor | Sequence[Sequence[int]], padding_idx: int,
                         past_key_values_length: int = 0) -> torch.Tensor:
    """RoBERTa's position ids: real tokens count from ``padding_idx + 1``, pads stay at ``padding_idx``.

    Equal to ``RobertaEmbeddings.create_position_ids_from_input_ids``. With
    ``past_key_values_length=k`` (a decoder continuing a cached prefix) the
    count starts ``k`` later.

    >>> roberta_position_ids([[0, 5, 6, 2, 1, 1]], padding_idx=1).tolist()
    [[2, 3, 4, 5, 1, 1]]
    """
    ids = _as_ids(input_ids)  # (B, L)
    if not isinstance(padding_idx, int) or isinstance(padding_idx, bool):
        raise TypeError(f"padding_idx must be an int (config.pad_token_id), got {padding_idx!r}.")
    if not isinstance(past_key_values_length, int) or past_key_values_length < 0:
        raise ValueError(f"past_key_values_length must be an int >= 0, got {past_key_values_length!r}.")
    is_real = (ids != padding_idx).long()  # (B, L) 1 for a real token, 0 for a pad
    count = torch.cumsum(is_real, dim=1)  # (B, L) 1, 2, 3, ... over real tokens only
    return (count + past_key_values_length) * is_real + padding_idx  # pads: 0 * ... + padding_idx


def roberta_position_ids_from_embeds(batch: int, length: int, padding_idx: int) -> torch.Tensor:
    """The ``inputs_embeds`` path: ``arange(padding_idx+1, L+padding_idx+1)`` for every row (pads unseen)."""
    if length < 0 or batch < 0:
        raise ValueError(f"batch and length must be >= 0, got {batch}, {length}.")
    row = torch.arange(padding_idx + 1, length + padding_idx + 1)  # (L,)
    return row.unsqueeze(0).expand(batch, length)  # (B, L)


def bert_position_ids(input_ids: torch.Tensor | Sequence[Sequence[int]]) -> torch.Tensor:
    """BERT's default position ids: ``0, 1, ..., L-1`` for every row, pads included.

    >>> bert_position_ids([[101, 7, 102, 0]]).tolist()
    [[0, 1, 2, 3]]
    """
    ids = _as_ids(input_ids)  # (B, L)
    batch, length = ids.shape
    return torch.arange(length).unsqueeze(0).expand(batch, length)  # (B, L)


@dataclass
class PositionRows:
    """Which rows of the position table one batch reads.

    ``position_ids`` is (B, L); ``used`` maps a table row to the number of
    tokens reading it; ``table_size`` is ``max_position_embeddings``;
    ``overflow`` lists rows beyond the table (the forward pass would fail).
    """

    scheme: str
    position_ids: torch.Tensor
    padding_idx: int | None
    table_size: int
    used: dict[int, int] = field(default_factory=dict)
    overflow: list[int] = field(default_factory=list)

    @property
    def max_row(self) -> int:
        return int(self.position_ids.max()) if self.position_ids.numel() else -1


def position_rows(input_ids: torch.Tensor | Sequence[Sequence[int]], padding_idx: int,
                  table_size: int, scheme: str = "roberta") -> PositionRows:
    """Position ids of a batch under ``scheme`` ("roberta" or "bert") and the table rows they use."""
    if scheme == "roberta":
        pos = roberta_position_ids(input_ids, padding_idx)
    elif scheme == "bert":
        pos = bert_position_ids(input_ids)
    else:
        raise ValueError(f"scheme must be 'roberta' or 'bert', got {scheme!r}.")
    rows, counts = torch.unique(pos, return_counts=True)
    used = {int(r): int(c) for r, c in zip(rows, counts)}
    overflow = [r for r in used if r >= table_size]
    return PositionRows(scheme, pos, padding_idx if scheme == "roberta" else None, table_size,
                        used, overflow)


@dataclass
class PaddedPositions:
    """A batch of texts padded on one side, with both position schemes side by side."""

    texts: list[str]
    padding_side: str
    pieces: list[list[str]]  # readable pieces, (B, L)
    input_ids: torch.Tensor  # (B, L)
    attention_mask: torch.Tensor  # (B, L)
    padding_idx: int
    roberta: torch.Tensor  # (B, L) RoBERTa position ids
    bert: torch.Tensor  # (B, L) BERT position ids (arange)


def padded_positions(tokenizer: object, texts: Sequence[str], padding_side: str = "right",
                     padding_idx: int | None = None) -> PaddedPositions:
    """Tokenise ``texts`` as one batch padded on ``padding_side``; compute both kinds of position ids.

    ``padding_idx`` defaults to the tokenizer's pad id (which a RoBERTa
    checkpoint also stores as ``config.pad_token_id``).
    """
    from hfanatomy.tokens import token_table

    if padding_side not in ("left", "right"):
        raise ValueError(f"padding_side must be 'left' or 'right', got {padding_side!r}.")
    if isinstance(texts, str):
        texts = [texts]
    table = token_table(tokenizer, list(texts), padding=True, padding_side=padding_side)
    pad = tokenizer.pad_token_id if padding_idx is None else padding_idx
    ids = torch.tensor(table.input_ids)  # (B, L)
    mask = torch.tensor([table.column("attention_mask", b) for b in range(table.batch_size)])  # (B, L)
    pieces = [table.column("readable", b) for b in range(table.batch_size)]
    return PaddedPositions(list(texts), padding_side, pieces, ids, mask, pad,
                           roberta_position_ids(ids, pad), bert_position_ids(ids))
