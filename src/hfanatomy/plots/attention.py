"""Matplotlib drawings of :class:`hfanatomy.attention.AttentionData`.

* :func:`plot_heatmap`: one (layer, head) map, or the mean over heads, tokens on both
  axes (rows = the token that looks, "from"; columns = the token looked at, "to");
* :func:`plot_lines`: bertviz's head view, tokens in two columns, one line per
  (from, to) pair with opacity = weight;
* :func:`plot_model_view`: a grid of small maps, one per layer x head (+ mean);
* :func:`plot_additive_mask`: the (B, 1, L, L) additive mask of a padded batch, one
  panel per sequence: which keys each query may see, and what is added to its scores.

Shading is the same as the explorer's: one fixed scale for every head, white = 0,
darkest = 1, following the square root of the weight (so a uniform row of 15
tokens, 0.067 each, is visible). Special tokens are purple tick labels; padding is
left out (``show_pad=True`` keeps it, greyed). Each function returns the figure;
the caller shows and closes it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import PowerNorm

from hfanatomy.attention import AttentionData, Head

__all__ = ["plot_heatmap", "plot_mean", "plot_lines", "plot_model_view", "plot_additive_mask"]

SPECIAL = "#8250df"
MUTED = "#8c959f"
LINE = "#1f5fa8"


def _norm() -> PowerNorm:
    return PowerNorm(gamma=0.5, vmin=0.0, vmax=1.0)


def _positions(data: AttentionData, show_pad: bool) -> list[int]:
    return list(range(data.length)) if show_pad else data.shown


def _matrix(data: AttentionData, layer: int, head: Head, keep: list[int]) -> np.ndarray:
    m = data.map(layer, head).numpy()  # (L, L)
    return m[np.ix_(keep, keep)]  # (n, n), padding left out unless kept


def _checked_map(data: AttentionData, layer: int, head: Head,
                 show_pad: bool) -> tuple[list[int], np.ndarray]:
    """The positions drawn and the map of ``layer``/``head`` over them, after checking both."""
    data.check_layer(layer)
    data.check_head(head)
    keep = _positions(data, show_pad)
    return keep, _matrix(data, layer, head, keep)  # (n,), (n, n)


def _style_ticks(labels, data: AttentionData, keep: list[int]) -> None:
    for lab, i in zip(labels, keep):
        if data.is_pad[i]:
            lab.set_color(MUTED)
        elif data.is_special[i]:
            lab.set_color(SPECIAL)
            lab.set_fontweight("bold")


def _title(data: AttentionData, layer: int, head: Head) -> str:
    who = f"mean of {data.num_heads} heads" if head == "mean" else f"head {head}"
    return f"layer {layer} \u00b7 {who}"


def plot_heatmap(data: AttentionData, layer: int = 0, head: Head = 0, *, ax=None,
                 show_pad: bool = False, annotate: bool | None = None, colorbar: bool = True):
    """The (L, L) map of one head (``head="mean"``: the layer's mean over heads).

    ``annotate`` writes each weight in its cell (default: when there are at most
    12 tokens).
    """
    keep, m = _checked_map(data, layer, head, show_pad)  # (n,), (n, n)
    n = len(keep)
    if ax is None:
        side = min(2.0 + 0.32 * n, 9.0)
        fig, ax = plt.subplots(figsize=(side + 0.9, side))
    fig = ax.figure
    im = ax.imshow(m, cmap="Blues", norm=_norm())
    pad = [data.is_pad[i] for i in keep]
    if any(pad):  # grey the padding rows and columns
        grey = np.zeros((n, n, 4))
        mask = np.array(pad)[:, None] | np.array(pad)[None, :]
        grey[mask] = (0.92, 0.93, 0.95, 1.0)
        ax.imshow(grey)
    labels = [data.tokens[i] for i in keep]
    ax.set_xticks(range(n), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(n), labels, fontsize=8)
    _style_ticks(ax.get_xticklabels(), data, keep)
    _style_ticks(ax.get_yticklabels(), data, keep)
    ax.set_xlabel("to (key)", fontsize=9)
    ax.set_ylabel("from (query)", fontsize=9)
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    ax.set_title(_title(data, layer, head), fontsize=10, pad=4, loc="left", y=-0.08)
    if annotate is None:
        annotate = n <= 12
    if annotate:
        for r in range(n):
            for c in range(n):
                v = m[r, c]
                ax.text(c, r, f"{v:.2f}".lstrip("0") if v < 1 else "1", ha="center",
                        va="center", fontsize=6, color="white" if v > 0.45 else "#1f2328")
    if colorbar:
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03, ticks=[0, 0.05, 0.2, 0.5, 1.0])
    fig.tight_layout()
    return fig


def plot_mean(data: AttentionData, layer: int = 0, **kwargs):
    """The mean over a layer's heads (rows still sum to 1)."""
    return plot_heatmap(data, layer, "mean", **kwargs)


def plot_lines(data: AttentionData, layer: int = 0, head: Head = 0, *, ax=None,
               show_pad: bool = False, highlight: int | None = None):
    """Tokens on the left look at tokens on the right; line opacity = weight.

    ``highlight``: a position whose lines alone are drawn strongly (others faint).
    """
    keep, m = _checked_map(data, layer, head, show_pad)  # (n,), (n, n)
    n = len(keep)
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.2, 0.6 + 0.24 * n))
    fig = ax.figure
    for r in range(n):
        for c in range(n):
            alpha = float(m[r, c])
            if highlight is not None and keep[r] != highlight:
                alpha *= 0.12
            if alpha > 0.003:
                ax.plot([0, 1], [r, c], color=LINE, alpha=min(alpha, 1.0), lw=1.6,
                        solid_capstyle="round")
    for r, i in enumerate(keep):
        color = MUTED if data.is_pad[i] else SPECIAL if data.is_special[i] else "#1f2328"
        weight = "bold" if data.is_special[i] else "normal"
        ax.text(-0.03, r, data.tokens[i], ha="right", va="center", fontsize=8, color=color,
                fontweight=weight, family="monospace")
        ax.text(1.03, r, data.tokens[i], ha="left", va="center", fontsize=8, color=color,
                fontweight=weight, family="monospace")
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(n - 0.5, -1.2)
    ax.text(-0.03, -1, "from", ha="right", va="center", fontsize=8, color=MUTED)
    ax.text(1.03, -1, "to", ha="left", va="center", fontsize=8, color=MUTED)
    ax.axis("off")
    ax.set_title(_title(data, layer, head), fontsize=10, loc="left")
    fig.tight_layout()
    return fig


def plot_model_view(data: AttentionData, *, layers: list[int] | None = None,
                    heads: list[int] | None = None, include_mean: bool = True,
                    show_pad: bool = False, size: float = 1.3):
    """Small maps: one row per layer, one column per head (+ the mean)."""
    layers = list(range(data.num_layers)) if layers is None else layers
    cols: list[Head] = list(range(data.num_heads)) if heads is None else list(heads)
    for layer in layers:
        data.check_layer(layer)
    for h in cols:
        data.check_head(h)
    if include_mean:
        cols.append("mean")
    keep = _positions(data, show_pad)
    fig, axes = plt.subplots(len(layers), len(cols), squeeze=False,
                             figsize=(0.6 + size * len(cols), 0.4 + size * len(layers)))
    for r, layer in enumerate(layers):
        for c, h in enumerate(cols):
            ax = axes[r][c]
            ax.imshow(_matrix(data, layer, h, keep), cmap="Blues", norm=_norm())
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title("mean" if h == "mean" else f"head {h}", fontsize=8)
            if c == 0:
                ax.set_ylabel(f"layer {layer}", fontsize=8)
    fig.tight_layout()
    return fig


def plot_additive_mask(additive, tokens: list[list[str]], titles: list[str] | None = None):
    """One panel per sequence of ``additive`` (B, 1, L, L): white cells add 0 (the query may
    see that key), dark cells add a huge negative number (a padding key, weight 0 after the
    softmax). ``tokens[b]`` labels the axes of panel ``b``; each cell says what is added.
    """
    m = additive[:, 0].float().numpy()  # (B, L, L)
    B, L, _ = m.shape
    if len(tokens) != B or any(len(t) != L for t in tokens):
        raise ValueError(f"tokens must hold {B} lists of {L} tokens (one per position of the mask); "
                         f"got lengths {[len(t) for t in tokens]}.")
    side = min(1.6 + 0.34 * L, 6.0)
    fig, axes = plt.subplots(1, B, figsize=(side * B + 0.4, side + 0.5), squeeze=False)
    lowest = m.min()
    for b, ax in enumerate(axes[0]):
        hidden = m[b] < 0  # (L, L)
        ax.imshow(hidden, cmap="Greys", vmin=0, vmax=1.6)
        ax.set_xticks(range(L), tokens[b], rotation=90, fontsize=7)
        ax.set_yticks(range(L), tokens[b], fontsize=7)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        ax.set_xlabel((f"{titles[b]}: " if titles else "") + "key (looked at)", fontsize=8)
        ax.set_ylabel("query (looking)", fontsize=8)
        if L <= 16:
            for r in range(L):
                for c in range(L):
                    ax.text(c, r, "min" if hidden[r, c] else "0", ha="center", va="center",
                            fontsize=5.5, color="white" if hidden[r, c] else MUTED)
    fig.suptitle(f"additive mask: 0 = may look, min = {lowest:.1e} (finfo.min), added to the scores",
                 fontsize=8, y=0.02, va="bottom")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig
