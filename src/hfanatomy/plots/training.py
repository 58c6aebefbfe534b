"""Matplotlib renderers of the training chapters: loss curves, probabilities over steps, and
the no-answer threshold curve (:class:`hfanatomy.finetune.ThresholdCurve`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt

from hfanatomy.finetune import ThresholdCurve
from hfanatomy.plots.logits import text_and_font

_COLORS = ["#0969da", "#cf222e", "#8250df", "#1a7f37", "#bc4c00", "#57606a"]


def plot_losses(curves: Mapping[str, Sequence[float]], title: str = "training loss",
                log: bool = False):
    """One line per run: the loss of every optimizer step (step 1 first)."""
    fig, ax = plt.subplots(figsize=(6.5, 2.8))
    for k, (name, losses) in enumerate(curves.items()):
        ax.plot(range(1, len(losses) + 1), list(losses), color=_COLORS[k % len(_COLORS)],
                lw=1.4, label=name)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss of the batch")
    ax.set_title(title, loc="left", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_probabilities(texts: Sequence[str], probabilities: Sequence[Sequence[float]],
                       label: str = "positive"):
    """P(label) of each watched text after every step; ``probabilities[s][i]`` is text i
    after s steps (row 0: before training)."""
    fig, ax = plt.subplots(figsize=(6.5, 2.8))
    steps = range(len(probabilities))
    fonts = []
    for i, text in enumerate(texts):
        short = text if len(text) < 40 else text[:37] + "..."
        short, font = text_and_font(short, f"text {i} (non-Latin)")
        fonts.append(font)
        ax.plot(steps, [row[i] for row in probabilities], color=_COLORS[i % len(_COLORS)],
                lw=1.4, label=short)
    ax.axhline(0.5, color="#8c959f", lw=0.8, ls=":")
    ax.set_ylim(0, 1)
    ax.set_xlabel("optimizer steps taken")
    ax.set_ylabel(f"P({label})")
    legend = ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    for entry, font in zip(legend.get_texts(), fonts):
        if font:  # a Korean label needs the CJK font
            entry.set_fontproperties(font["fontproperties"])
            entry.set_fontsize(7)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_threshold_curve(curve: ThresholdCurve):
    """Exact match (all, HasAns, NoAns) against the no-answer threshold, best one marked."""
    fig, ax = plt.subplots(figsize=(6.5, 2.8))
    order = sorted(range(len(curve.thresholds)), key=lambda i: curve.thresholds[i])
    xs = [curve.thresholds[i] for i in order]
    for values, color, lw, label in ((curve.has_ans_exact, _COLORS[0], 1.4, "HasAns exact"),
                                     (curve.no_ans_exact, _COLORS[1], 1.4, "NoAns exact"),
                                     (curve.exact, "#24292f", 2.0, "exact (all)")):
        ax.plot(xs, [values[i] for i in order], color=color, lw=lw, label=label)
    # -inf (answer nothing anywhere) or +inf: drawn at the edge of the curve
    x = min(max(curve.best_threshold, min(curve.thresholds)), max(curve.thresholds))
    ax.axvline(x, color="#8c959f", lw=0.8, ls="--")
    ax.annotate(f"best {curve.best_exact:.1f} at {curve.best_threshold:.2f}",
                (x, curve.best_exact), xytext=(6, -14),
                textcoords="offset points", fontsize=8)
    ax.set_ylim(0, 102)
    ax.set_xlabel("null_score_diff_threshold (answer \"\" when null - best > threshold)")
    ax.set_ylabel("exact match (%)")
    ax.legend(fontsize=8, frameon=False, loc="lower center")
    fig.tight_layout()
    plt.close(fig)
    return fig
