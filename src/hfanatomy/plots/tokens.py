"""Plots about tokenisation: how many pieces a text costs, compared with its characters and bytes."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from hfanatomy.tokens import TokenTable

__all__ = ["plot_text_cost"]


def plot_text_cost(tables: Mapping[str, TokenTable], title: str = ""):
    """Grouped bars per example: characters, UTF-8 bytes and tokens (special tokens excluded).

    ``tables`` maps a label to the :class:`~hfanatomy.tokens.TokenTable` of one
    text. Returns the figure (the caller shows and closes it).
    """
    labels = list(tables)
    chars = [len(t.text) for t in tables.values()]
    nbytes = [len(t.text.encode("utf-8")) for t in tables.values()]
    pieces = [sum(1 for r in t.sequence(0) if not r.is_special) for t in tables.values()]
    x = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    for k, (vals, name, col) in enumerate([(chars, "characters", "#9ca3af"),
                                           (nbytes, "UTF-8 bytes", "#f59e0b"),
                                           (pieces, "tokens", "#3b82c4")]):
        bars = ax.bar(x + (k - 1) * 0.27, vals, 0.27, label=name, color=col)
        ax.bar_label(bars, fontsize=7, padding=1)
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("count", fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.15)
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig
