"""Matplotlib figures for the classification head's output (data from :mod:`hfanatomy.head`)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch

from hfanatomy.head import TEMPERATURES, LogitsView, logits_view
from hfanatomy.html import label_color


@functools.cache
def _cjk_font() -> str | None:
    """Path of an installed font that can draw Hangul (Nanum, Noto CJK...), or None."""
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(k in f.name for k in ("Nanum", "Noto Sans CJK", "Noto Sans KR", "Malgun")):
            return f.fname
    # fonts installed after matplotlib built its cache are not in ttflist
    for path in sorted(font_manager.findSystemFonts()):
        name = path.rsplit("/", 1)[-1].lower()
        if name.startswith(("nanumgothic", "notosanscjk", "notosanskr", "malgun")) \
                and "coding" not in name and name.endswith((".ttf", ".otf", ".ttc")):
            return path
    return None


def text_and_font(text: str, fallback: str) -> tuple[str, dict]:
    """``text`` with the font keywords to draw it; ``fallback`` when no installed font can
    (so no missing-glyph warning ever reaches stderr)."""
    if all(ord(ch) < 0x0370 for ch in text):
        return text, {}
    path = _cjk_font()
    if path is None:
        return fallback, {}
    from matplotlib.font_manager import FontProperties

    return text, {"fontproperties": FontProperties(fname=path)}


def plot_logits_and_probabilities(view: LogitsView, texts: Sequence[str] | None = None,
                                  max_rows: int = 4):
    """One row of two panels per example: logits (signed) and probabilities (0..1)."""
    rows = min(view.logits.shape[0], max_rows)
    fig, axes = plt.subplots(rows, 2, figsize=(7.5, 1.1 + 1.0 * rows), squeeze=False,
                             sharex="col")
    ypos = range(len(view.labels))
    for r in range(rows):
        z = view.logits[r].tolist()
        p = view.probabilities[r].tolist()
        ax_l, ax_p = axes[r]
        # coloured by label, not by sign: a negative score is not the "negative" label
        ax_l.barh(ypos, z, color=[label_color(i) for i in ypos])
        ax_l.axvline(0, color="#57606a", lw=0.8)
        ax_l.set_yticks(list(ypos), view.labels, fontsize=8)
        ax_l.invert_yaxis()
        ax_p.barh(ypos, p, color=["#1a7f37" if a else "#8c959f"
                                  for a in view.active[r].tolist()])
        ax_p.set_xlim(0, 1)
        ax_p.set_yticks(list(ypos), [""] * len(view.labels))
        ax_p.invert_yaxis()
        title = texts[r] if texts is not None else f"example {r}"
        title = title if len(title) < 45 else title[:42] + "..."
        title, font = text_and_font(title, f"sentence {r} (non-Latin text)")
        ax_l.set_title(title, loc="left", **font)
        ax_l.title.set_fontsize(9)
    axes[-1][0].set_xlabel("logit (any real number)", fontsize=8)
    axes[-1][1].set_xlabel(f"{view.function} probability", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_temperatures(logits: torch.Tensor, id2label=None,
                      temperatures: Sequence[float] = TEMPERATURES, problem_type=None):
    """Probabilities of one example at several temperatures, as grouped bars."""
    views = [logits_view(logits.reshape(1, -1), id2label, t, problem_type) for t in temperatures]
    names = views[0].labels
    fig, ax = plt.subplots(figsize=(6.5, 2.6))
    width = 0.8 / len(views)
    cmap = plt.get_cmap("viridis")
    for k, v in enumerate(views):
        xs = [i + (k - (len(views) - 1) / 2) * width for i in range(len(names))]
        ax.bar(xs, v.probabilities[0].tolist(), width=width, label=f"T = {v.temperature:g}",
               color=cmap(k / max(1, len(views) - 1)))
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel(f"{views[0].function}(logits / T)")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, ncol=len(views), loc="upper center", bbox_to_anchor=(0.5, 1.22),
              frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig
