"""Exercises of Part I, chapter 2 (Tokens in): counting tokens, special ids, bytes of Hangul."""

from __future__ import annotations

from typing import Any

from hfanatomy.exercises.feedback import as_int, placeholder, report

__all__ = ["check_num_tokens", "check_special_ids", "check_utf8_bytes"]


def check_num_tokens(answer: Any, tokenizer: Any, text: str) -> bool:
    """How many tokens (special tokens included) does ``tokenizer(text)`` give?"""
    if placeholder(answer, f"the number of tokens in tokenizer({text!r})['input_ids']", marked=True):
        return False
    ids = tokenizer(text)["input_ids"]
    truth = len(ids)
    value = as_int(answer)
    n_special = sum(tokenizer(text, return_special_tokens_mask=True)["special_tokens_mask"])
    if value == truth:
        return report(True, f"{truth} tokens, {n_special} of them special.")
    if value == truth - n_special:
        return report(False, f"Close: you left out the {n_special} special tokens the tokenizer adds.")
    if value == len(text.split()):
        return report(False, "That is the number of words; pieces can be smaller than words.")
    return report(False, f"Got {answer!r}. Print tokenizer.convert_ids_to_tokens(tokenizer(text)['input_ids']).")


def check_special_ids(answer: Any, tokenizer: Any) -> bool:
    """The ids of (start token, padding token, end token) of ``tokenizer``, as a tuple of 3 ints."""
    if placeholder(answer, "a tuple (start id, pad id, end id)", marked=True):
        return False
    start = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    end = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    truth = (start, tokenizer.pad_token_id, end)
    try:
        value = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return report(False, f"Give a tuple of three ints, got {answer!r}.")
    if value == truth:
        return report(True, f"start {truth[0]}, pad {truth[1]}, end {truth[2]}.")
    wrong = [n for n, v, t in zip(("start", "pad", "end"), value, truth) if v != t]
    return report(False, f"Check {', '.join(wrong)}: look at tokenizer.cls_token_id, .pad_token_id, "
                          ".sep_token_id (or bos/eos).")


def check_utf8_bytes(answer: Any, text: str = "한국어") -> bool:
    """How many UTF-8 bytes (the units byte-level BPE starts from) does ``text`` take?"""
    if placeholder(answer, f"the number of UTF-8 bytes of {text!r}", marked=True):
        return False
    truth = len(text.encode("utf-8"))
    value = as_int(answer)
    if value == truth:
        return report(True, f"{len(text)} characters, {truth} bytes: byte-level BPE starts from the bytes.")
    if value == len(text):
        return report(False, "That is the number of characters; a Hangul syllable takes several bytes.")
    return report(False, f"Got {answer!r}. Try len({text!r}.encode('utf-8')).")
