"""Exercises of Part I, chapter 1 (Meet the model): parameter counts and config fields.

Each checker prints a helpful message and returns True/False; it never raises
for a wrong answer.
"""

from __future__ import annotations

from typing import Any

from hfanatomy.exercises.feedback import as_int, placeholder, report

__all__ = ["check_total_params", "check_position_rows", "check_word_embedding_params"]


def check_total_params(answer: Any, model: Any) -> bool:
    """How many numbers (parameters) does ``model`` hold in all?"""
    if placeholder(answer, "the total number of parameters of the model (an int)", marked=True):
        return False
    truth = sum(p.numel() for p in model.parameters())
    value = as_int(answer)
    if value is None:
        return report(False, f"Give a whole number, got {answer!r}.")
    if value == truth:
        return report(True, f"{truth:,} parameters: sum(p.numel() for p in model.parameters()).")
    if value == len(list(model.parameters())):
        return report(False, "That is the number of parameter *tensors*; count the numbers inside "
                              "them with p.numel().")
    return report(False, f"{value:,} is {'too many' if value > truth else 'too few'}. Hint: "
                          "sum(p.numel() for p in model.parameters()), or the root of module_tree(model).")


def check_position_rows(answer: Any, max_tokens: int = 512, pad_token_id: int = 1) -> bool:
    """How many rows must RoBERTa's position table have to accept ``max_tokens`` tokens?"""
    if placeholder(answer, f"the number of rows needed for {max_tokens} tokens with pad_token_id={pad_token_id}", marked=True):
        return False
    truth = max_tokens + pad_token_id + 1
    value = as_int(answer)
    if value == truth:
        return report(True, f"Real tokens use rows {pad_token_id + 1}..{max_tokens + pad_token_id}, so "
                             f"the table needs {truth} rows (rows 0..{pad_token_id} are never read by a "
                             "real token).")
    if value == max_tokens:
        return report(False, "RoBERTa does not count from 0: real tokens start at row pad_token_id + 1.")
    return report(False, f"Got {answer!r}. The last real token's row is max_tokens + pad_token_id; "
                          "a table with n rows has rows 0..n-1.")


def check_word_embedding_params(answer: Any, vocab_size: int = 32000, hidden_size: int = 768) -> bool:
    """How many numbers does a word-embedding table of ``vocab_size`` x ``hidden_size`` hold?"""
    if placeholder(answer, f"the number of parameters of Embedding({vocab_size}, {hidden_size})", marked=True):
        return False
    truth = vocab_size * hidden_size
    value = as_int(answer)
    if value == truth:
        return report(True, f"{vocab_size} rows x {hidden_size} numbers = {truth:,}; an Embedding has no bias.")
    if value == truth + hidden_size:
        return report(False, "An nn.Embedding is a plain lookup table: it has no bias row.")
    return report(False, f"Got {answer!r}: one row of hidden_size numbers per vocabulary entry.")
