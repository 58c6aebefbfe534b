"""Matplotlib figures for the classification losses (data from :mod:`hfanatomy.explorers.loss`)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch

_TITLES = {"single_label_classification": "cross entropy (single-label)",
           "multi_label_classification": "BCE with logits (multi-label)",
           "regression": "MSE (regression)"}


def plot_loss_terms(breakdowns: Sequence):
    """One panel per :class:`~hfanatomy.losses.LossBreakdown`: the per-label terms."""
    fig, axes = plt.subplots(1, len(breakdowns), figsize=(3.0 * len(breakdowns), 2.4),
                             squeeze=False)
    for ax, b in zip(axes[0], breakdowns):
        terms = b.terms.tolist()
        ax.bar(range(len(terms)), terms, color="#bf8700")
        ax.set_xticks(range(len(terms)), b.labels, fontsize=8, rotation=30 if len(terms) > 4 else 0)
        ax.set_title(f"{_TITLES[b.problem_type]}\nloss = {b.reduction} = {b.loss.item():.3f}",
                     fontsize=9)
        ax.axhline(b.loss.item(), color="#57606a", lw=0.8, ls="--")
    axes[0][0].set_ylabel("term")
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_loss_curves():
    """How each loss punishes one score: CE vs the gold probability, BCE vs a logit, MSE."""
    fig, axes = plt.subplots(1, 3, figsize=(9, 2.5))
    p = torch.linspace(0.01, 1, 200)
    axes[0].plot(p, -torch.log(p), color="#0969da")
    axes[0].set_xlabel("softmax probability of the gold label")
    axes[0].set_title("cross entropy: -log p", fontsize=9)
    z = torch.linspace(-6, 6, 200)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    axes[1].plot(z, bce(z, torch.ones_like(z), reduction="none"), label="y = 1", color="#1a7f37")
    axes[1].plot(z, bce(z, torch.zeros_like(z), reduction="none"), label="y = 0", color="#cf222e")
    axes[1].set_xlabel("logit z of one label")
    axes[1].set_title("BCE with logits, per label", fontsize=9)
    axes[1].legend(fontsize=8, frameon=False)
    axes[2].plot(z, (z - 1) ** 2, color="#bf8700")
    axes[2].set_xlabel("output z (target 1)")
    axes[2].set_title("MSE: (z - target)^2", fontsize=9)
    axes[2].set_ylim(0, 20)
    for ax in axes:
        ax.set_ylabel("term", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig
