"""The QA head's output, read as data: a start and an end score for every token.

``BertForQuestionAnswering`` ends in one linear layer that gives each token of the pair
two numbers, its start logit and its end logit. :func:`qa_logits` runs a model on one
encoded pair (:class:`hfanatomy.qa_inputs.QAInput`) and returns :class:`QALogits`: the
raw start/end logits (shape (L,), one score per token) and their softmax over the
sequence axis, the model's probability that the answer starts / ends at each token.
Padding gets probability 0. Which (start, end) pair is *the* answer is the decoder's
business (:mod:`hfanatomy.qa`); the QA explorers and ``plots.qa`` draw what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from hfanatomy.qa_inputs import QAInput

__all__ = ["QALogits", "qa_logits"]


@dataclass(frozen=True)
class QALogits:
    """One example's start/end scores; tensors are (L,), one entry per token."""

    input: QAInput
    start_logits: torch.Tensor
    end_logits: torch.Tensor
    start_probs: torch.Tensor
    end_probs: torch.Tensor

    @property
    def best_start(self) -> int:
        """Position with the highest start score (not yet an answer: see chapter 4)."""
        return int(self.start_logits.argmax())

    @property
    def best_end(self) -> int:
        return int(self.end_logits.argmax())


@torch.no_grad()
def qa_logits(model, qa_input: QAInput) -> QALogits:
    """Run ``model`` on one encoded pair; softmax runs over the sequence axis (all L tokens)."""
    out = model(**qa_input.tensors())
    start = out.start_logits[0].float()  # (L,)
    end = out.end_logits[0].float()  # (L,)
    keep = torch.tensor(qa_input.attention_mask, dtype=torch.bool)  # (L,) pads get probability 0
    start_p = start.masked_fill(~keep, float("-inf")).softmax(-1)  # (L,), sums to 1
    end_p = end.masked_fill(~keep, float("-inf")).softmax(-1)  # (L,)
    return QALogits(qa_input, start, end, start_p, end_p)
