"""The book's models as the exercise checkers load them: once per kernel, on first use."""

from __future__ import annotations

import functools

__all__ = ["book_qa"]


@functools.cache
def book_qa():
    """The book's QA (model, tokenizer), loaded once per kernel."""
    import hfanatomy

    return hfanatomy.load_qa()
