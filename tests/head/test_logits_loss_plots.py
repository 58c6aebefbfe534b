"""The part1b matplotlib figures draw the data they are given (no glyph warnings, closed)."""

from __future__ import annotations

import warnings

import torch

from hfanatomy.head import logits_view
from hfanatomy.losses import loss_breakdown
from hfanatomy.plots.logits import plot_logits_and_probabilities, plot_temperatures
from hfanatomy.plots.loss import plot_loss_curves, plot_loss_terms


def test_figures():
    logits = torch.tensor([[1.5, -0.5], [-2.0, 0.3]])
    names = {0: "negative", 1: "positive"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would be a warning on stderr
        fig = plot_logits_and_probabilities(logits_view(logits, names),
                                            ["a fine film", "영화가 정말 좋았어요"])
        fig.canvas.draw()
        bars = [p.get_width() for p in fig.axes[1].patches]
        assert bars == torch.softmax(logits, -1)[0].tolist()
        fig = plot_temperatures(logits[0], names, (0.5, 1.0, 2.0))
        assert len(fig.axes[0].patches) == 3 * 2
        fig = plot_loss_terms([loss_breakdown(logits[0], 1, "single_label_classification", names),
                               loss_breakdown(logits[0], 0.5, "regression", names)])
        assert len(fig.axes) == 2
        assert len(plot_loss_curves().axes) == 3
