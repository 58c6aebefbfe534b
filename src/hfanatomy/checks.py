"""The one input check of whole-number arguments, with the words the page uses too.

Every explorer and data function that takes a count or an index (``top_k``,
``max_answer_len``, ``layer``, a token index ...) checks it with :func:`whole_number`, and
``web/rules/checks.js`` ``wholeNumber`` says the same words in the page, so a reader sees
one message in a kernel and on the site.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["shown", "true_or_false", "whole_number"]


def shown(value: Any) -> str:
    """A value as the page's ``JSON.stringify`` writes it (``1.5``, ``"2"``, ``null``,
    ``true``); ``repr`` for what JSON cannot hold."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def whole_number(value: Any, name: str, minimum: int = 0, below: int | None = None) -> int:
    """``value`` if it is an integer in ``minimum .. below - 1`` (no upper bound when
    ``below`` is None). A bool is not an integer here.

    Raises TypeError "``name`` must be an integer; got ``value``." or ValueError
    "``name`` must be >= ``minimum``; got ``value``." / "``name`` must be ``minimum``..
    ``below - 1``; got ``value``."
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer; got {shown(value)}.")
    if below is not None and not minimum <= value < below:
        raise ValueError(f"{name} must be {minimum}..{below - 1}; got {value}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}.")
    return value


def true_or_false(state: Mapping[str, Any], keys: Sequence[str]) -> list[bool]:
    """``state``'s values for ``keys``, each True or False (an absent key: False); anything
    else raises ValueError "``key`` must be true or false; got ``value``." """
    values = [state.get(k, False) for k in keys]
    for key, value in zip(keys, values):
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false; got {shown(value)}.")
    return values
