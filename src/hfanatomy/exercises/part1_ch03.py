"""Exercises of Part I, chapter 3 (Embeddings and position ids)."""

from __future__ import annotations

from typing import Any

import torch

from hfanatomy.exercises.feedback import as_int, placeholder, report
from hfanatomy.positions import bert_position_ids, roberta_position_ids

__all__ = ["check_position_ids", "check_max_tokens", "check_embeds_position_ids"]


def check_position_ids(answer: Any, input_ids: Any, padding_idx: int = 1) -> bool:
    """RoBERTa's position ids for ``input_ids`` (a list of lists or a tensor), worked out by hand."""
    if placeholder(answer, "the position ids, as a list of lists shaped like input_ids", marked=True):
        return False
    truth = roberta_position_ids(input_ids, padding_idx)
    try:
        value = torch.as_tensor(answer).long()
    except (TypeError, ValueError, RuntimeError):
        return report(False, f"Give a list of lists of ints, got {answer!r}.")
    if value.shape != truth.shape:
        if value.numel() == truth.numel():
            value = value.reshape(truth.shape)
        else:
            return report(False, f"Shape {tuple(value.shape)} but input_ids is {tuple(truth.shape)}.")
    if torch.equal(value, truth):
        return report(True, f"{truth.tolist()}: real tokens from {padding_idx + 1}, pads at {padding_idx}.")
    if torch.equal(value, bert_position_ids(input_ids)):
        return report(False, "That is BERT's arange. RoBERTa skips pads and starts at padding_idx + 1.")
    if torch.equal(value, truth - padding_idx - 1) or torch.equal(value, truth - padding_idx):
        return report(False, f"Off by an offset: real tokens start at padding_idx + 1 = {padding_idx + 1}.")
    bad = (value != truth).nonzero().tolist()
    return report(False, f"Wrong at (row, column) {bad[:4]}. Pads keep padding_idx = {padding_idx}.")


def check_max_tokens(answer: Any, max_position_embeddings: int, padding_idx: int = 1) -> bool:
    """The longest input (in tokens) a RoBERTa with this position table can embed."""
    if placeholder(answer, f"the largest L that works with max_position_embeddings={max_position_embeddings}", marked=True):
        return False
    truth = max_position_embeddings - padding_idx - 1
    value = as_int(answer)
    if value == truth:
        return report(True, f"Rows {padding_idx + 1}..{max_position_embeddings - 1}: {truth} tokens.")
    if value == max_position_embeddings:
        return report(False, "Not every row is usable: rows 0..padding_idx are never read by real tokens.")
    return report(False, f"Got {answer!r}. A sequence of L tokens reads rows padding_idx+1 .. L+padding_idx.")


def check_embeds_position_ids(answer: Any, length: int, padding_idx: int = 1) -> bool:
    """Position ids RoBERTa makes for ``inputs_embeds`` of ``length`` tokens (one row)."""
    if placeholder(answer, f"the position ids for inputs_embeds of {length} tokens (a list)", marked=True):
        return False
    truth = list(range(padding_idx + 1, length + padding_idx + 1))
    try:
        value = [int(v) for v in torch.as_tensor(answer).flatten().tolist()]
    except (TypeError, ValueError, RuntimeError):
        return report(False, f"Give a list of ints, got {answer!r}.")
    if value == truth:
        return report(True, "Embeddings carry no pad id, so every slot counts: pads are not recognised.")
    return report(False, f"Got {value}. Without ids the model cannot see pads: it counts every slot from "
                          f"{padding_idx + 1}.")
