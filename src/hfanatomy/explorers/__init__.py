"""Explorers: each visual of the book as one object with a live and a static view."""

from hfanatomy.explorers.base import Explorer

__all__ = ["Explorer"]
