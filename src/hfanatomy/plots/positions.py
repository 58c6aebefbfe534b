"""Plots of position ids: which rows of the position-embedding table a batch reads."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import torch

__all__ = ["plot_rows_used"]


def plot_rows_used(position_ids: Mapping[str, torch.Tensor], attention_masks: Mapping[str, torch.Tensor],
                   padding_idx: int | None, n_rows: int | None = None, title: str = ""):
    """One line of cells per sequence: the table rows its tokens read.

    ``position_ids[label]`` is (B, L); cells are coloured blue for a row read by a
    real token, grey for a row read by padding; ``padding_idx`` is outlined.
    Returns the figure (the caller shows and closes it).
    """
    labels, grids = [], []
    top = 1 + max(int(p.max()) for p in position_ids.values())
    n_rows = max(n_rows or 0, top + 1)
    for name, pos in position_ids.items():
        mask = attention_masks[name]
        for b in range(pos.shape[0]):
            line = np.zeros(n_rows)
            for p, m in zip(pos[b].tolist(), mask[b].tolist()):
                line[p] = max(line[p], 2 if m else 1)
            grids.append(line)
            labels.append(f"{name} [{b}]" if pos.shape[0] > 1 else name)
    grid = np.array(grids)
    fig, ax = plt.subplots(figsize=(min(1.6 + 0.3 * n_rows, 9.5), 0.7 + 0.27 * len(labels)))
    cmap = plt.matplotlib.colors.ListedColormap(["#ffffff", "#c8ccd1", "#3b82c4"])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=2, aspect="auto")
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xticks(range(n_rows), [str(i) for i in range(n_rows)], fontsize=7)
    ax.set_xticks(np.arange(-0.5, n_rows), minor=True)
    ax.set_yticks(np.arange(-0.5, len(labels)), minor=True)
    ax.grid(which="minor", color="#e5e7eb", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    per_group = {name: pos.shape[0] for name, pos in position_ids.items()}
    edge = 0
    for size in list(per_group.values())[:-1]:  # thin rules between the groups
        edge += size
        ax.axhline(edge - 0.5, color="#57606a", linewidth=1.2)
    if padding_idx is not None and padding_idx < n_rows:
        ax.axvline(padding_idx, color="#d1242f", linewidth=1.2, linestyle=":")
    ax.set_xlabel("row of the position-embedding table (blue: a real token reads it; grey: padding; "
                  "red dotted: padding_idx)", fontsize=8)
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig
