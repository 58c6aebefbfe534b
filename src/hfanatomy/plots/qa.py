"""Matplotlib views of a QA head: start/end scores per token, and loss terms per gold position.

Each function takes data computed elsewhere (:class:`hfanatomy.qa_head.QALogits`,
:class:`hfanatomy.explorers.qa_loss.LossGrid`) and returns a closed-over ``Figure``
(display it, or ``plt.show()``). Token labels that the default font cannot draw
(Hangul, CJK...) are shown by position only, so no glyph warning ever reaches stderr.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

__all__ = ["plot_start_end", "plot_loss_terms", "tick_label"]

ROLE_COLORS = {"question": "#efe7fb", "context": "#e6f4ea", "special": "#f6f8fa", "pad": "#ffffff"}


def tick_label(i: int, token: str) -> str:
    """``"3 markup"`` when the default font can draw the token, else just ``"3"``."""
    return f"{i} {token}" if all(ord(ch) < 0x0370 for ch in token) else str(i)


def _shade_roles(ax, roles: list[str]) -> None:
    for i, role in enumerate(roles):
        ax.axvspan(i - 0.5, i + 0.5, color=ROLE_COLORS.get(role, "#fff"), zorder=0, lw=0)


def plot_start_end(data, what: str = "probabilities", figsize=(9, 3.6)):
    """Two bar rows, start and end, over token positions; background = question/context/special."""
    if what not in ("probabilities", "logits"):
        raise ValueError(f"what must be 'probabilities' or 'logits'; got {what!r}.")
    x = data.input
    rows = ((data.start_probs, data.end_probs) if what == "probabilities"
            else (data.start_logits, data.end_logits))
    fig, axes = plt.subplots(2, 1, figsize=figsize, sharex=True)
    for ax, values, name, color in zip(axes, rows, ("start", "end"), ("#1f6feb", "#e16f24")):
        _shade_roles(ax, x.roles)
        ax.bar(range(len(x)), values.tolist(), color=color, width=0.75, zorder=2)
        ax.set_ylabel(f"{name}\n{'p' if what == 'probabilities' else 'logit'}")
        ax.axhline(0, color="#57606a", lw=0.6)
        ax.set_xlim(-0.5, len(x) - 0.5)
    step = max(1, len(x) // 40)
    ticks = list(range(0, len(x), step))
    axes[1].set_xticks(ticks)
    axes[1].set_xticklabels([tick_label(i, x.tokens[i]) for i in ticks], rotation=90, fontsize=7)
    axes[0].set_title(f"start and end {what} per token (purple band: question, green: context)",
                      fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_loss_terms(grid, figsize=(9, 2.8)):
    """Start and end cross-entropy terms as the gold position moves; ignored ones marked 'x'."""
    fig, ax = plt.subplots(figsize=figsize)
    pos = grid.positions
    for terms, name, color in ((grid.start_terms, "start term", "#1f6feb"),
                               (grid.end_terms, "end term", "#e16f24")):
        xs = [p for p, t in zip(pos, terms) if t is not None]
        ax.plot(xs, [t for t in terms if t is not None], "o-", ms=3, color=color, label=name)
    ign = [p for p, t in zip(pos, grid.start_terms) if t is None]
    if ign:
        ax.plot(ign, [0] * len(ign), "x", color="#cf222e", ms=8, label="ignored (clamped to L)")
    ax.axvline(grid.L - 0.5, color="#57606a", ls="--", lw=0.8)
    ax.axvline(-0.5, color="#57606a", ls=":", lw=0.8)
    ax.set_xlabel(f"gold position (window has L = {grid.L} tokens: 0..{grid.L - 1})")
    ax.set_ylabel("-log p(gold)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig
