"""plots.attention.plot_additive_mask draws what create_bidirectional_mask returns."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import torch
from transformers import RobertaConfig
from transformers.masking_utils import create_bidirectional_mask

from hfanatomy.plots.attention import plot_additive_mask


def test_one_panel_per_text_dark_where_keys_are_padding():
    cfg = RobertaConfig(hidden_size=8, num_attention_heads=2, num_hidden_layers=1)
    cfg._attn_implementation = "eager"
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]])  # (B, L)
    additive = create_bidirectional_mask(config=cfg, inputs_embeds=torch.zeros(3, 4, 8),
                                         attention_mask=mask)
    tokens = [[f"t{i}" for i in range(4)]] * 3
    fig = plot_additive_mask(additive, tokens, titles=["a", "b", "c"])
    axes = fig.axes
    assert len(axes) == 3
    for b, ax in enumerate(axes):
        shown = ax.images[0].get_array()  # (L, L) True where the key is hidden
        assert (torch.tensor(shown.astype(bool)) == (mask[b] == 0).expand(4, 4)).all()
        labels = [t.get_text() for t in ax.texts]
        assert labels.count("min") == 4 * int((mask[b] == 0).sum())
    plt.close(fig)
    with pytest.raises(ValueError, match="tokens must hold 3 lists of 4"):
        plot_additive_mask(additive, tokens[:2])
