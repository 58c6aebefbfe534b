"""Training labels for extractive QA: from a character answer to ``start_positions`` /
``end_positions`` in every window.

A training example stores its answer in **characters** of the context. The model is
trained on **tokens**, and a long context has been cut into overlapping windows
(``return_overflowing_tokens=True``). The preprocessing of the Hugging Face course
(``preprocess_training_examples``, the same as transformers' ``run_qa.py``) turns three
things the tokenizer returns into the two label tensors:

* ``overflow_to_sample_mapping``: which example each window was cut from, hence which
  answer applies to it;
* ``sequence_ids``: where the window's context tokens begin and end (``1`` = context);
* ``offset_mapping``: the characters each token covers, which locate the answer.

Per window: if the answer is not wholly inside the window's context, both labels are the
null position (``[CLS]``, position 0 for BERT): "not in this window". Otherwise the start
label is the last context token starting at or before the answer's first character, and
the end label the first context token ending at or after its last character. An example
without an answer (SQuAD 2.0 style) gets the null position in every window.

:func:`training_positions` does exactly that, on plain data; :func:`label_windows` applies
it to :class:`hfanatomy.qa.Windows`. Nothing here runs a model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

__all__ = ["TrainingLabels", "training_positions", "label_windows", "answer_chars"]

CharSpan = tuple[int, int] | None  # (first character, one past the last), or None: no answer


@dataclass
class TrainingLabels:
    """The labels of W windows, and why each is what it is."""

    start_positions: torch.Tensor  # (W,) long: what the model gets as start_positions
    end_positions: torch.Tensor  # (W,) long
    inside: torch.Tensor  # (W,) bool: the answer lies wholly inside the window's context
    context_first: torch.Tensor  # (W,) long: first context token of the window
    context_last: torch.Tensor  # (W,) long: last context token of the window
    sample: torch.Tensor  # (W,) long: the example each window came from
    null_index: torch.Tensor  # (W,) long: the position used for "not in this window"

    @property
    def num_windows(self) -> int:
        return int(self.start_positions.shape[0])

    def rows(self) -> list[tuple[int, int, int, int, bool]]:
        """(window, sample, start, end, inside) per window, for tables."""
        return [(w, int(self.sample[w]), int(self.start_positions[w]), int(self.end_positions[w]),
                 bool(self.inside[w])) for w in range(self.num_windows)]


def answer_chars(context: str, answer: str | None, answer_start: int | None) -> CharSpan:
    """``(answer_start, answer_start + len(answer))`` after checking that the context holds
    the answer there; ``None`` for an example without an answer (empty text or start < 0)."""
    if not answer or answer_start is None or answer_start < 0:
        return None
    end = answer_start + len(answer)
    if context[answer_start:end] != answer:
        raise ValueError(f"context[{answer_start}:{end}] is {context[answer_start:end]!r}, not the "
                         f"answer {answer!r}: answer_start must be the answer's first character "
                         f"in the context (str.index finds it).")
    return answer_start, end


def training_positions(offsets, sequence_ids: Sequence[Sequence[int | None]], sample_map,
                       answers: Sequence[CharSpan], context_id: int = 1,
                       null_index: int | torch.Tensor = 0) -> TrainingLabels:
    """Start/end labels of every window, as ``preprocess_training_examples`` computes them.

    Args:
        offsets: (W, L, 2) character offsets (``offset_mapping``), a tensor or nested lists.
        sequence_ids: for each window, ``encoding.sequence_ids(w)`` (None, 0 or 1 per token).
        sample_map: (W,) ``overflow_to_sample_mapping``.
        answers: per example, ``(first_char, end_char)`` of the answer in its context, or
            None when it has no answer.
        context_id: the sequence id of the context (1 when the question comes first).
        null_index: the "not in this window" position, an int or one per window (W,).
    """
    offsets = torch.as_tensor(offsets, dtype=torch.long)  # (W, L, 2)
    sample = torch.as_tensor(sample_map, dtype=torch.long).reshape(-1)  # (W,)
    if offsets.dim() != 3 or offsets.shape[-1] != 2:
        raise ValueError(f"offsets must have shape (windows, tokens, 2); got {tuple(offsets.shape)}.")
    W, L = offsets.shape[:2]
    if len(sequence_ids) != W or sample.shape[0] != W:
        raise ValueError(f"offsets hold {W} windows but sequence_ids hold {len(sequence_ids)} and "
                         f"sample_map {sample.shape[0]}: pass the three from the same encoding.")
    if W and (int(sample.min()) < 0 or int(sample.max()) >= len(answers)):
        raise ValueError(f"sample_map points at examples 0..{int(sample.max())} but answers has "
                         f"{len(answers)} entries: give one answer (or None) per example.")
    for i, span in enumerate(answers):
        if span is not None and not (0 <= span[0] < span[1]):
            raise ValueError(f"answers[{i}] = {span!r}: expected (first_char, end_char) with "
                             "0 <= first_char < end_char, or None for no answer.")
    nulls = torch.as_tensor(null_index, dtype=torch.long).expand(W).clone()  # (W,)
    starts, ends = nulls.clone(), nulls.clone()
    inside = torch.zeros(W, dtype=torch.bool)
    first = torch.zeros(W, dtype=torch.long)
    last = torch.zeros(W, dtype=torch.long)
    for w in range(W):
        ids = list(sequence_ids[w])
        if len(ids) != L:
            raise ValueError(f"window {w}: {len(ids)} sequence ids for {L} tokens.")
        ctx = [i for i, s in enumerate(ids) if s == context_id]
        if not ctx:
            raise ValueError(f"window {w} has no token with sequence id {context_id} (the "
                             "context); with the context first, pass context_id=0.")
        first[w], last[w] = ctx[0], ctx[-1]
        span = answers[int(sample[w])]
        if span is None:
            continue
        a, b = span
        if offsets[w, ctx[0], 0] > a or offsets[w, ctx[-1], 1] < b:
            continue  # the answer is not wholly inside this window
        inside[w] = True
        ctx_t = torch.tensor(ctx)  # (n,) the context tokens, in order
        starts[w] = ctx_t[offsets[w, ctx_t, 0] <= a][-1]  # last token starting at or before a
        ends[w] = ctx_t[offsets[w, ctx_t, 1] >= b][0]  # first token ending at or after b
    return TrainingLabels(start_positions=starts, end_positions=ends, inside=inside,
                          context_first=first, context_last=last, sample=sample, null_index=nulls)


def label_windows(windows, answers: Sequence[CharSpan]) -> TrainingLabels:
    """:func:`training_positions` for :class:`hfanatomy.qa.Windows` (either order of texts);
    the null position is each window's ``[CLS]`` (``windows.null_index``)."""
    seq = [[1 if m else None for m in row] for row in windows.context_mask.tolist()]
    return training_positions(windows.offsets, seq, windows.sample, answers, context_id=1,
                              null_index=windows.null_index)
