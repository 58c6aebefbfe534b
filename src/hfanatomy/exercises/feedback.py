"""Shared feedback helpers for the exercise checkers of every chapter.

A checker (``hfanatomy.exercises.partN_chMM.check_...``) prints a helpful message
and returns True/False; it never raises for a wrong answer. The helpers here print
those messages (wrapped to fit the book's output boxes), spot the ``None``
placeholder a chapter ships with, and read a learner's answer as an int, a float
or a shape (or check it is a dict of the expected cases) without raising.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

__all__ = ["WIDTH", "say", "report", "placeholder", "as_int", "as_float", "as_shape",
           "is_dict_of"]

WIDTH = 72  # characters: fits the book's output boxes
_INDENT = "   "  # continuation lines line up after a leading mark such as "✅ "


def say(message: str, indent: str = "") -> None:
    """Print ``message`` wrapped to :data:`WIDTH` (continuation lines start with ``indent``)."""
    print(textwrap.fill(message, width=WIDTH, subsequent_indent=indent))


def report(ok: bool, message: str) -> bool:
    """Say ``message`` after a ✅ Correct. / ❌ Not yet. mark; return ``ok``."""
    say(("✅ Correct. " if ok else "❌ Not yet. ") + message, indent=_INDENT)
    return ok


def placeholder(answer: Any, what: str, *, marked: bool = False, ellipsis: bool = False) -> bool:
    """True, after asking for ``what``, when ``answer`` is still the chapter's placeholder.

    The placeholder is ``None`` (also ``...`` when ``ellipsis=True``). ``marked=True``
    starts the message with ✏️, matching the checkers that use :func:`report`.
    """
    if answer is None or (ellipsis and answer is Ellipsis):
        message = f"Replace None with {what}, then run the cell again."
        if marked:
            say("✏️  " + message, indent=_INDENT)
        else:
            say(message)
        return True
    return False


def as_int(answer: Any) -> int | None:
    """``answer`` as an int if it is a whole number (bools excluded), else None."""
    try:
        if isinstance(answer, bool):
            return None
        value = int(answer)
        return value if value == answer else None
    except (TypeError, ValueError):
        return None


def as_float(answer: Any) -> float | None:
    """``float(answer)`` (a float, an int or a 0-d tensor), or None if that fails."""
    try:
        return float(answer)
    except (TypeError, ValueError):
        return None


def as_shape(answer: Any) -> tuple[int, ...] | None:
    """``answer`` as a tuple of ints (a tuple, list or torch.Size), or None if that fails."""
    try:
        return tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return None


def is_dict_of(answer: Any, keys: Iterable[str]) -> bool:
    """True if ``answer`` is a dict with exactly ``keys``; otherwise say what was expected."""
    keys = set(keys)
    if isinstance(answer, dict) and set(answer) == keys:
        return True
    say(f"Expected a dict with keys {sorted(keys)}; got {answer!r}.")
    return False
