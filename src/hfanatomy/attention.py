"""Attention weights as data: what each token looks at, per layer and head.

Two ways in, one dataclass out:

* :func:`attention_data` takes what a model already returned (bertviz's contract:
  ``attention`` is a tuple with one ``(B, heads, L, L)`` tensor per layer, and
  ``tokens`` the ``L`` token strings of the example) and checks it up front;
* :func:`compute_attention` runs a model once on a text (or a pair of texts) with
  ``output_attentions=True`` and hands the result to :func:`attention_data`.

:class:`AttentionData` holds the weights of ONE example as a single tensor
``(layers, heads, L, L)``: ``weights[l, h, i, j]`` is how much token ``i`` (the
query, "from") takes from token ``j`` (the key, "to") in head ``h`` of layer ``l``.
Each row is a softmax, so it sums to 1.

Choices (documented because they matter to a reader):

* Text longer than the model accepts raises a ``ValueError`` saying how many tokens
  it has and how many fit. Passing ``max_length=`` asks for truncation instead, and
  :attr:`AttentionData.note` then says how many tokens were cut.
* In transformers 5 the default attention implementation is ``sdpa``, which returns
  no attention weights at all (an empty tuple). :func:`compute_attention` checks
  ``model.config._attn_implementation`` before running and says how to switch to
  ``eager``.
* The model is run in eval mode (dropout off), then put back in the mode it was in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

#: token strings marked as special when the caller gives no list
DEFAULT_SPECIAL_TOKENS = frozenset(
    {"<s>", "</s>", "<pad>", "<unk>", "<mask>", "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"}
)
#: token strings taken as padding when no attention mask is given
DEFAULT_PAD_TOKENS = frozenset({"<pad>", "[PAD]"})

_EAGER_FIX = (
    'Load the model with attn_implementation="eager" (e.g. '
    'AutoModel.from_pretrained(name, attn_implementation="eager")) or switch it with '
    'model.set_attn_implementation("eager"); the outputs (logits) do not change.'
)

Head = int | str  # a head index, or "mean" for the mean over heads


@dataclass(frozen=True, eq=False)
class AttentionData:
    """The attention weights of one example, checked and ready to draw.

    ``weights`` is ``(layers, heads, L, L)`` (float32, on the CPU); ``tokens``,
    ``is_special`` and ``is_pad`` have one entry per position ``0..L-1``.
    """

    weights: torch.Tensor  # (layers, heads, L, L)
    tokens: list[str]
    is_special: list[bool]
    is_pad: list[bool]
    text: str | None = None
    text_pair: str | None = None
    note: str = ""
    _means: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def num_layers(self) -> int:
        return self.weights.shape[0]

    @property
    def num_heads(self) -> int:
        return self.weights.shape[1]

    @property
    def length(self) -> int:
        """L, the number of token positions (padding included)."""
        return self.weights.shape[-1]

    @property
    def shown(self) -> list[int]:
        """Positions that are not padding (what the views draw by default)."""
        return [i for i, pad in enumerate(self.is_pad) if not pad]

    def check_layer(self, layer: int) -> int:
        if isinstance(layer, bool) or not isinstance(layer, int):
            raise TypeError(f"layer must be an int, got {type(layer).__name__} {layer!r}")
        if not 0 <= layer < self.num_layers:
            raise ValueError(
                f"layer {layer} is out of range: this model has {self.num_layers} layer(s), "
                f"valid layers are 0..{self.num_layers - 1}"
            )
        return layer

    def check_head(self, head: Head) -> Head:
        if head == "mean":
            return head
        if isinstance(head, bool) or not isinstance(head, int):
            raise TypeError(f'head must be an int or "mean", got {type(head).__name__} {head!r}')
        if not 0 <= head < self.num_heads:
            raise ValueError(
                f"head {head} is out of range: each layer has {self.num_heads} head(s), "
                f'valid heads are 0..{self.num_heads - 1} (or "mean")'
            )
        return head

    def head(self, layer: int, head: Head) -> torch.Tensor:
        """The ``(L, L)`` map of one head: row ``i`` = what token ``i`` attends to."""
        self.check_layer(layer)
        if head == "mean":
            return self.mean_over_heads(layer)
        self.check_head(head)
        return self.weights[layer, head]  # (L, L)

    def mean_over_heads(self, layer: int) -> torch.Tensor:
        """The ``(L, L)`` mean of a layer's heads (rows still sum to 1)."""
        self.check_layer(layer)
        if layer not in self._means:
            self._means[layer] = self.weights[layer].mean(dim=0)  # (heads, L, L) -> (L, L)
        return self._means[layer]

    def map(self, layer: int, head: Head) -> torch.Tensor:
        """``head(layer, head)``, where ``head`` may also be ``"mean"``."""
        return self.head(layer, head)

    def row_sums(self) -> torch.Tensor:
        """``(layers, heads, L)``: each should be 1 (softmax rows)."""
        return self.weights.sum(dim=-1)


def _as_tensor(layer_attn: Any, index: int) -> torch.Tensor:
    if isinstance(layer_attn, torch.Tensor):
        return layer_attn
    try:
        return torch.as_tensor(layer_attn)
    except Exception as exc:  # noqa: BLE001 - re-raised with context
        raise TypeError(
            f"attention[{index}] must be a tensor (B, heads, L, L), got {type(layer_attn).__name__}"
        ) from exc


def attention_data(
    attention: Sequence[torch.Tensor] | torch.Tensor | None,
    tokens: Sequence[str] | Sequence[Sequence[str]],
    *,
    special_tokens: Collection[str] | None = None,
    attention_mask: torch.Tensor | Sequence[int] | None = None,
    batch_index: int | None = None,
    text: str | None = None,
    text_pair: str | None = None,
    note: str = "",
) -> AttentionData:
    """Check a model's attentions against the tokens and keep one example.

    ``attention``: one ``(B, heads, L, L)`` tensor per layer (what
    ``model(..., output_attentions=True).attentions`` is), or ``(heads, L, L)``
    per layer for a single example. ``tokens``: the ``L`` token strings (or one
    list per example when B > 1). With B > 1, ``batch_index`` picks the example.
    ``special_tokens``: token strings to mark (default: ``<s>``, ``</s>``,
    ``[CLS]``, ``[SEP]``, pads...). ``attention_mask``: ``(L,)`` or ``(B, L)`` of
    0/1; zeros are padding (default: tokens ``<pad>``/``[PAD]``).
    """
    if attention is None or (not isinstance(attention, torch.Tensor) and len(attention) == 0):
        raise ValueError(
            "attention is empty: the model returned no attention weights. In transformers 5 "
            "the default attention implementation 'sdpa' returns none even with "
            "output_attentions=True. " + _EAGER_FIX
        )
    if isinstance(attention, torch.Tensor):
        raise TypeError(
            "attention must be a tuple/list with one (B, heads, L, L) tensor per layer "
            f"(what outputs.attentions is), got a single tensor of shape {tuple(attention.shape)}; "
            "wrap a per-layer tensor as (tensor,) or pass list(stacked) for a stacked one"
        )
    layers = [_as_tensor(a, i) for i, a in enumerate(attention)]
    first = tuple(layers[0].shape)
    for i, a in enumerate(layers):
        if a.dim() not in (3, 4):
            raise ValueError(
                f"attention[{i}] has shape {tuple(a.shape)}; expected (B, heads, L, L) "
                "or (heads, L, L) for one example"
            )
        if a.shape[-1] != a.shape[-2]:
            raise ValueError(
                f"attention[{i}] has shape {tuple(a.shape)}: the last two sizes must be equal "
                "(L queries x L keys)"
            )
        if tuple(a.shape) != first:
            raise ValueError(
                f"attention[{i}] has shape {tuple(a.shape)} but attention[0] has {first}: "
                "every layer must have the same (B, heads, L, L)"
            )
    stacked = torch.stack([a.detach().to("cpu", torch.float32) for a in layers])
    if stacked.dim() == 4:  # (layers, heads, L, L) -> (layers, 1, heads, L, L)
        stacked = stacked.unsqueeze(1)
    num_layers, batch, num_heads, length, _ = stacked.shape

    # choose the example
    if batch > 1 and batch_index is None:
        raise ValueError(
            f"attention holds a batch of {batch} examples (shape {first}); pass batch_index= "
            f"0..{batch - 1} to choose the one to show"
        )
    b = 0 if batch_index is None else batch_index
    if isinstance(b, bool) or not isinstance(b, int) or not 0 <= b < batch:
        raise ValueError(f"batch_index={batch_index!r} is out of range: valid are 0..{batch - 1}")
    weights = stacked[:, b]  # (layers, heads, L, L)

    toks = list(tokens) if tokens is not None else []
    if toks and isinstance(toks[0], (list, tuple)):  # one list per example
        if len(toks) != batch:
            raise ValueError(f"tokens has {len(toks)} lists but the attention batch has {batch}")
        toks = list(toks[b])
    if not all(isinstance(t, str) for t in toks):
        raise TypeError("tokens must be strings (e.g. tokenizer.convert_ids_to_tokens(ids))")
    if len(toks) != length:
        raise ValueError(
            f"{len(toks)} tokens were given but the attention maps are {length} x {length} "
            f"(shape {first}): pass the tokens of exactly the input the model saw, special "
            "and padding tokens included"
        )
    if not torch.isfinite(weights).all() or weights.min() < 0 or weights.max() > 1 + 1e-4:
        raise ValueError(
            f"attention values must be probabilities in [0, 1] (softmax output); got values in "
            f"[{weights.min().item():.4g}, {weights.max().item():.4g}]. Pass the model's "
            "outputs.attentions, not scores before the softmax"
        )

    special = DEFAULT_SPECIAL_TOKENS if special_tokens is None else frozenset(special_tokens)
    is_special = [t in special for t in toks]
    if attention_mask is None:
        is_pad = [t in DEFAULT_PAD_TOKENS for t in toks]
    else:
        mask = torch.as_tensor(attention_mask)
        if mask.dim() == 2:
            if mask.shape[0] != batch:
                raise ValueError(
                    f"attention_mask has shape {tuple(mask.shape)} but the batch has {batch}"
                )
            mask = mask[b]
        if mask.dim() != 1 or mask.shape[0] != length:
            raise ValueError(
                f"attention_mask has shape {tuple(torch.as_tensor(attention_mask).shape)}; "
                f"expected ({length},) or ({batch}, {length})"
            )
        is_pad = [not bool(m) for m in mask.tolist()]
    return AttentionData(weights=weights.contiguous(), tokens=toks, is_special=is_special,
                         is_pad=is_pad, text=text, text_pair=text_pair, note=note)


def model_max_tokens(model: Any, tokenizer: Any = None) -> int | None:
    """How many tokens the model accepts (position table size, RoBERTa's offset removed)."""
    limit = None
    for module in model.modules():
        pos = getattr(module, "position_embeddings", None)
        if isinstance(pos, torch.nn.Embedding):
            limit = pos.num_embeddings
            pad = getattr(module, "padding_idx", None)
            if pad is not None:  # RoBERTa: real positions start at padding_idx + 1
                limit -= pad + 1
            break
    tok_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_max, int) and tok_max < 1_000_000:
        limit = tok_max if limit is None else min(limit, tok_max)
    return limit


@contextlib.contextmanager
def torch_threads(n: int | None):
    """Run the block on ``n`` torch threads (``None``: leave the setting alone)."""
    if n is None:
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def check_eager(model: Any) -> None:
    """Raise a clear error unless ``model`` computes attention eagerly (and so can return it)."""
    impl = getattr(getattr(model, "config", None), "_attn_implementation", None)
    if impl is not None and impl != "eager":
        raise ValueError(
            f"this model runs attention with {impl!r}, which returns no attention weights "
            "(output_attentions=True gives an empty tuple in transformers 5). " + _EAGER_FIX
        )


def compute_attention(
    model: Any,
    tokenizer: Any,
    text: str,
    text_pair: str | None = None,
    max_length: int | None = None,
    num_threads: int | None = None,
) -> AttentionData:
    """Run ``model`` once on ``text`` (and ``text_pair``) and return its attention.

    Raises ``ValueError`` for empty text, for text longer than the model accepts
    (unless ``max_length`` is given: then the input is truncated to it and
    ``.note`` says so), and for a model whose attention implementation returns no
    weights (``sdpa``). ``num_threads``: run the forward pass on that many torch
    threads, then restore the setting (the live explorer uses 1: a small model gains
    nothing from more, and on a busy machine extra threads wait on each other).
    """
    with torch_threads(num_threads):  # the checks after the forward are torch ops too
        return _compute_attention(model, tokenizer, text, text_pair, max_length)


def _compute_attention(model: Any, tokenizer: Any, text: str, text_pair: str | None,
                       max_length: int | None) -> AttentionData:
    check_eager(model)
    for name, value in (("text", text), ("text_pair", text_pair)):
        if value is None and name == "text_pair":
            continue
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
        if not value.strip():
            raise ValueError(f"{name} is empty: type some words to see their attention")
    limit = model_max_tokens(model, tokenizer)
    if max_length is not None:
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 2:
            raise ValueError(f"max_length must be an int >= 2, got {max_length!r}")
        if limit is not None and max_length > limit:
            raise ValueError(f"max_length={max_length} is more than the model accepts ({limit})")

    full = tokenizer(text, text_pair, return_tensors="pt")
    n_full = full["input_ids"].shape[1]  # (1, L)
    note = ""
    if max_length is not None and n_full > max_length:
        enc = tokenizer(text, text_pair, return_tensors="pt", truncation=True,
                        max_length=max_length)
        note = f"truncated: {n_full} tokens, kept the first {enc['input_ids'].shape[1]}"
    else:
        if limit is not None and n_full > limit:
            raise ValueError(
                f"the text has {n_full} tokens but this model accepts at most {limit}: "
                "shorten it, or pass max_length= to truncate"
            )
        enc = full
    ids = enc["input_ids"]  # (1, L)
    inputs = {k: v.to(model.device) for k, v in enc.items()
              if k in ("input_ids", "attention_mask", "token_type_ids")}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(**inputs, output_attentions=True)
    finally:
        model.train(was_training)
    tokens = tokenizer.convert_ids_to_tokens(ids[0].tolist())
    special = set(getattr(tokenizer, "all_special_tokens", []) or []) or None
    return attention_data(out.attentions, tokens, special_tokens=special,
                          attention_mask=enc.get("attention_mask"),
                          text=text, text_pair=text_pair, note=note)


def block_max(weights: torch.Tensor, keep: Sequence[int], size: int) -> torch.Tensor:
    """Small thumbnails of attention maps: the strongest weight in each block.

    ``weights`` is ``(..., L, L)``; the rows and columns ``keep`` (e.g. the non-padding
    positions, ``n`` of them) are cut into ``t = min(n, size)`` bands, position ``r`` of
    ``keep`` going to band ``floor(r * t / n)``, and each ``t x t`` block keeps its maximum
    (a thin bright column survives, where a mean would wash it out). Returns ``(..., t, t)``.
    """
    n = len(keep)
    if n == 0:
        raise ValueError("no positions to draw: keep is empty")
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be an int >= 1, got {size!r}")
    t = min(n, size)
    idx = torch.as_tensor(list(keep))
    w = weights.index_select(-2, idx).index_select(-1, idx)  # (..., n, n)
    starts = [-(-a * n // t) for a in range(t)]  # first r of band a: ceil(a * n / t)
    ends = starts[1:] + [n]
    rows = torch.stack([w[..., s:e, :].amax(dim=-2) for s, e in zip(starts, ends)], dim=-2)
    return torch.stack([rows[..., s:e].amax(dim=-1) for s, e in zip(starts, ends)], dim=-1)


def cut_warning(n_full: int, limit: int, pair: bool) -> str:
    """What the reader is told when the input has more tokens than the model reads."""
    cut = "the longer text was cut first" if pair else "the end of the text was cut"
    return f"{n_full} tokens: the model reads at most {limit}, so {cut}"
