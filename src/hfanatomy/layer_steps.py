"""One encoder layer, step by step: every number one attention head makes for one query token.

:func:`layer_steps` takes the hidden states entering a layer (as the model's own forward pass
returns them, ``output_hidden_states=True``) and recomputes that layer by hand from its
weights, in the order the installed transformers runs it (eager attention):

1. the hidden states entering the layer: the query token's row and every row's norm;
2. ``query``, ``key`` and ``value`` (one ``Linear`` each), cut into heads: ``(B, H, L, d)``;
3. one score: the element-wise products ``q ⊙ k`` (bertviz's neuron view), their sum, the
   scaling by ``1 / sqrt(d)``, and the additive mask (none at all when no key is padding:
   transformers 5 passes ``attention_mask=None`` then);
4. the softmax over the keys: the row of ``outputs.attentions[layer]``;
5. the weighted sum of the value rows (the head's output), every head side by side again;
6. ``attention.output``: dense, residual, LayerNorm;
7. the feed-forward block: dense, GELU, dense, residual, LayerNorm: the layer's output row.

Only tensors go in and out (:class:`LayerSteps`, one sequence of the batch, one head, one
query token); the explorer (``explorers.layer_steps``) turns them into its JSON, and
``web/compute/layer_steps.js`` computes the same in the page. ``tests/attention/test_layer_steps.py``
holds every step equal to what hooks on the real modules capture.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from hfanatomy.checks import whole_number

__all__ = ["LayerSteps", "additive_mask", "layer_steps"]


@dataclass(frozen=True)
class LayerSteps:
    """Every intermediate of one layer for one sequence, one head and one query token.

    Vectors are of the query token unless said otherwise; d is the head size, D the hidden
    size, I the feed-forward size, L the (padded) length.
    """

    layer: int
    head: int
    query: int
    key: int
    hidden_in: torch.Tensor  # (D,) the query token's row entering the layer
    norms: torch.Tensor  # (L,) the norm of every row entering the layer
    q: torch.Tensor  # (d,) the query vector of this head
    k: torch.Tensor  # (L, d) every key vector of this head
    v: torch.Tensor  # (L, d) every value vector of this head
    mask: torch.Tensor | None  # (L,) what is added to the query's scores; None: no mask built
    products: torch.Tensor  # (d,) q * k[key], element-wise
    scaling: float  # 1 / sqrt(d)
    scores: torch.Tensor  # (L,) (q . k_j) * scaling + mask_j
    weights: torch.Tensor  # (L,) softmax(scores): the row of outputs.attentions[layer]
    head_out: torch.Tensor  # (d,) sum_j weights_j v_j
    context: torch.Tensor  # (D,) every head's output side by side
    attn_dense: torch.Tensor  # (D,) attention.output.dense(context)
    attn_residual: torch.Tensor  # (D,) attn_dense + hidden_in
    attention_out: torch.Tensor  # (D,) LayerNorm(attn_residual)
    intermediate_pre: torch.Tensor  # (I,) intermediate.dense(attention_out)
    intermediate: torch.Tensor  # (I,) GELU of it
    ffn_dense: torch.Tensor  # (D,) output.dense(intermediate)
    ffn_residual: torch.Tensor  # (D,) ffn_dense + attention_out
    out: torch.Tensor  # (D,) LayerNorm(ffn_residual): hidden_states[layer + 1][row, query]

    @property
    def dot(self) -> float:
        """q . k[key]: the sum of the products."""
        return float(self.products.sum())


def additive_mask(attention_mask: torch.Tensor, dtype: torch.dtype = torch.float32) -> torch.Tensor | None:
    """What eager attention adds to each score, per key: 0 to keep it, the dtype's minimum to
    drop it. ``attention_mask`` (B, L) of 0/1 -> (B, L); None when every key is kept, as
    transformers 5 builds no mask then."""
    if bool(attention_mask.all()):
        return None
    low = torch.tensor(torch.finfo(dtype).min, dtype=dtype)
    return torch.where(attention_mask.bool(), torch.zeros((), dtype=dtype), low)  # (B, L)


@torch.no_grad()
def layer_steps(layer_module: torch.nn.Module, hidden: torch.Tensor, attention_mask: torch.Tensor,
                *, row: int = 0, head: int = 0, query: int = 0, key: int = 0,
                layer: int = 0) -> LayerSteps:
    """Recompute one encoder layer by hand (see the module docstring).

    layer_module: ``model.base_model.encoder.layer[layer]`` (BERT or RoBERTa);
    hidden: (B, L, D) the hidden states entering it; attention_mask: (B, L) of 0/1;
    row: which sequence of the batch; head, query, key: indices.
    """
    sa = layer_module.attention.self
    H, d = sa.num_attention_heads, sa.attention_head_size
    B, L, D = hidden.shape
    row = whole_number(row, "row", 0, B)
    head = whole_number(head, "head", 0, H)
    query = whole_number(query, "query", 0, L)
    key = whole_number(key, "key", 0, L)
    x = hidden[row]  # (L, D)

    def heads(linear: torch.nn.Linear) -> torch.Tensor:  # (L, D) -> (H, L, d)
        return F.linear(x, linear.weight, linear.bias).view(L, H, d).transpose(0, 1)

    q_all, k_all, v_all = heads(sa.query), heads(sa.key), heads(sa.value)  # (H, L, d) each
    masks = additive_mask(attention_mask, hidden.dtype)
    mask = None if masks is None else masks[row]  # (L,)
    scaling = d ** -0.5
    scores_all = q_all @ k_all.transpose(1, 2) * scaling  # (H, L, L)
    if mask is not None:
        scores_all = scores_all + mask  # every query row gets the same key mask
    weights_all = torch.softmax(scores_all, dim=-1)  # (H, L, L)
    context = (weights_all @ v_all).transpose(0, 1).reshape(L, H * d)  # (L, D)

    out_mod = layer_module.attention.output
    attn_dense = F.linear(context[query], out_mod.dense.weight, out_mod.dense.bias)  # (D,)
    attn_residual = attn_dense + x[query]
    attention_out = F.layer_norm(attn_residual, (D,), out_mod.LayerNorm.weight,
                                 out_mod.LayerNorm.bias, out_mod.LayerNorm.eps)
    inter = layer_module.intermediate
    intermediate_pre = F.linear(attention_out, inter.dense.weight, inter.dense.bias)  # (I,)
    intermediate = inter.intermediate_act_fn(intermediate_pre)
    ffn = layer_module.output
    ffn_dense = F.linear(intermediate, ffn.dense.weight, ffn.dense.bias)  # (D,)
    ffn_residual = ffn_dense + attention_out
    out = F.layer_norm(ffn_residual, (D,), ffn.LayerNorm.weight, ffn.LayerNorm.bias,
                       ffn.LayerNorm.eps)

    q, k, v = q_all[head, query], k_all[head], v_all[head]
    return LayerSteps(
        layer=layer, head=head, query=query, key=key,
        hidden_in=x[query], norms=x.norm(dim=-1), q=q, k=k, v=v, mask=mask,
        products=q * k[key], scaling=scaling, scores=scores_all[head, query],
        weights=weights_all[head, query], head_out=context[query, head * d:(head + 1) * d],
        context=context[query], attn_dense=attn_dense, attn_residual=attn_residual,
        attention_out=attention_out, intermediate_pre=intermediate_pre,
        intermediate=intermediate, ffn_dense=ffn_dense, ffn_residual=ffn_residual, out=out)
