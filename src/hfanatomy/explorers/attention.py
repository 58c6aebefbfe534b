"""The attention explorer: which token looks at which, per layer and head.

``AttentionExplorer(model, tokenizer, "some text")`` runs the model once (eager
attention) and shows three views of :class:`hfanatomy.attention.AttentionData`:

* ``heatmap``: the (layer, head) map, rows = "from" (query), columns = "to" (key);
* ``lines``: bertviz's head view, tokens in two columns joined by lines whose
  opacity is the weight (hover a token on the left to isolate its lines);
* ``model``: every layer x head as small maps (click one to open its heatmap).

Every head can also be ``"mean"`` (the mean over the layer's heads). Special tokens
are purple, padding is hidden (``show_pad=True`` greys it instead).

Live (a kernel, and the site for the embedded models): ``web/views/attention.js`` draws
the data of :meth:`AttentionExplorer.compute` on a canvas, only the visible part (a 512-token
map is a scroll box), and ``web/compute/attention.js`` computes the same data in the page.
The data holds only what the view needs: the readable pieces (as the token table writes
them), the selected (layer, head) map (packed in 1e-4 units past 128 tokens) and a small
block-max thumbnail of every head for the model view; a layer or head change recomputes
it from the attentions kept from the last forward pass. Input past the model's 512 tokens
is cut (as transformers' ``truncation=True``), with a warning.

A page built with a checkpoint other than the embedded ones is recorded (see
:mod:`hfanatomy.explorers.live`): the same view over the data computed at build time for
each example as it opens, then in the other two views, then in the other layers and heads
(and their mean), first example first, as far as the page's budget allows.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import torch

from hfanatomy import html
from hfanatomy.attention import (
    AttentionData,
    Head,
    attention_data,
    block_max,
    compute_attention,
    cut_warning,
    model_max_tokens,
    torch_threads,
)
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.models import quiet
from hfanatomy.tokens import readable_tokens, tokenizer_kind

VIEWS = (("heatmap", "heatmap"), ("lines", "lines (head view)"), ("model", "model view"))
SCALE = 10_000  # packed maps and the view's hover readout: 4 decimals
#: the model view's thumbnails have at most THUMB x THUMB blocks (see block_max), and at
#: most THUMB_BUDGET numbers in all
THUMB, THUMB_BUDGET = 32, 20_480
#: the selected map travels as JSON floats up to PACK_PAST tokens, packed past them
PACK_PAST = 128
#: decimals of the weights sent as JSON floats
DECIMALS = 7


# ----------------------------------------------------------------------------- numbers
@lru_cache(maxsize=4)
def colour_table(cmap: str = "Blues") -> tuple[str, ...]:
    """256 hex colours of ``cmap`` (``config.colours``): the view shades a weight w with
    colour ``round(255 * sqrt(w))``, which spreads small weights on one fixed scale for
    every head (0 = white, 1 = darkest)."""
    return tuple(html.color(i / 255, 0.0, 1.0, cmap) for i in range(256))


def _quantized(m: torch.Tensor) -> np.ndarray:
    # numpy, not torch: no thread pool to wake for a few thousand numbers
    a = m.detach().cpu().numpy().astype(np.float32) * np.float32(SCALE)
    return np.clip(np.rint(a), 0, SCALE).astype(np.int64)


def quantize(m: torch.Tensor) -> list[list[int]]:
    """Weights as integers in units of 1e-4, round half to even (how a map past
    ``PACK_PAST`` tokens travels, see :func:`packed`)."""
    return _quantized(m).tolist()


def _positions(data: AttentionData, show_pad: bool) -> list[int]:
    return list(range(data.length)) if show_pad else data.shown


# ----------------------------------------------------------------------------- live data
# What the JS view (web/views/attention.js) draws, as JSON; web/compute/attention.js
# computes the same in the browser for the embedded models, step for step.
def check_selection(state: dict, num_layers: int, num_heads: int) -> tuple[int, Head]:
    """``state["layer"]`` and ``state["head"]`` (an int or ``"mean"``), checked."""
    layer, head = state.get("layer", 0), state.get("head", 0)
    if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer < num_layers:
        raise ValueError(f"layer must be 0..{num_layers - 1}, got {layer!r}")
    if head != "mean" and (isinstance(head, bool) or not isinstance(head, int)
                           or not 0 <= head < num_heads):
        raise ValueError(f'head must be 0..{num_heads - 1} or "mean", got {head!r}')
    return layer, head


def packed(q: np.ndarray) -> str:
    """Integers in 0..65535 as little-endian uint16, base64: how a map past ``PACK_PAST``
    tokens travels (``unpack`` in the view).

    A 512-token map is 262,144 numbers: as a JSON list of floats it takes ~120 ms to walk
    and write in Python and 2.8 MB on the wire; packed in 1e-4 units, 0.7 MB and a few ms.
    """
    return base64.b64encode(np.ascontiguousarray(q, dtype="<u2").tobytes()).decode("ascii")


def unpack(text: str) -> np.ndarray:
    """The integers of :func:`packed` (flat)."""
    return np.frombuffer(base64.b64decode(text), dtype="<u2").astype(np.int64)


def rounded(m: torch.Tensor | np.ndarray) -> list:
    """Weights as JSON floats with ``DECIMALS`` decimals (the page's float64 forward pass
    and torch's float32 one then agree within ~1e-7: live.assert_same's tolerance)."""
    a = m.detach().cpu().numpy() if isinstance(m, torch.Tensor) else np.asarray(m)
    return np.round(a.astype(np.float64), DECIMALS).tolist()


def thumb_size(n: int, maps: int) -> int:
    """Blocks per side of the model view's thumbnails: up to ``THUMB``, fewer for models
    with many heads (``THUMB_BUDGET`` numbers in all), at least 8, never more than ``n``."""
    return min(n, THUMB, max(8, math.isqrt(THUMB_BUDGET // maps)))


def thumbnails(data: AttentionData, keep: Sequence[int]) -> tuple[int, list]:
    """The model view's maps: per layer, per head then the mean over heads, a ``t x t``
    :func:`~hfanatomy.attention.block_max` thumbnail (row-major, floats); returns ``(t,
    [layer][head or mean] -> t * t floats)``."""
    maps = torch.cat([data.weights, data.weights.mean(dim=1, keepdim=True)],
                     dim=1)  # (layers, heads + 1, L, L)
    t = thumb_size(len(keep), maps.shape[0] * maps.shape[1])
    small = block_max(maps, keep, t)  # (layers, heads + 1, t, t)
    return t, rounded(small.reshape(small.shape[0], small.shape[1], -1))


# ----------------------------------------------------------------------------- explorer
class AttentionExplorer(LiveExplorer):
    """Attention of one text (or pair), by layer and head: heatmap, lines, model view.

    Give ``model`` + ``tokenizer`` + ``text`` (the model must run eager attention),
    or ``attention`` (one ``(B, heads, L, L)`` tensor per layer) + ``tokens`` (precomputed:
    only the layer, head and view change). ``examples`` maps a label to a text or a
    ``(text, pair)`` for the view's example picker (default: the given text).
    """

    title = "Attention: who looks at whom"
    kind = "attention"

    def __init__(self, model: Any = None, tokenizer: Any = None, text: str | None = None,
                 text_pair: str | None = None, *, attention: Sequence[torch.Tensor] | None = None,
                 tokens: Sequence[str] | None = None, layer: int = 0, head: Head = 0,
                 view: str = "heatmap", attention_mask: Any = None, batch_index: int | None = None,
                 special_tokens: Any = None, max_length: int | None = None,
                 show_pad: bool = False, title: str | None = None, num_threads: int | None = 1,
                 examples: Mapping[str, str | tuple[str, str | None]] | None = None):
        if view not in [v for v, _ in VIEWS]:
            raise ValueError(f"view must be one of {[v for v, _ in VIEWS]}, got {view!r}")
        if (model is None) != (tokenizer is None):
            raise ValueError("pass both model and tokenizer (or neither, with attention= and "
                             "tokens=)")
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length
        self.show_pad = show_pad
        self.num_threads = num_threads
        if title:
            self.title = title
        if attention is not None or tokens is not None:
            if attention is None or tokens is None:
                raise ValueError("pass attention= and tokens= together (bertviz's contract)")
            self.data = attention_data(attention, tokens, special_tokens=special_tokens,
                                       attention_mask=attention_mask, batch_index=batch_index,
                                       text=text, text_pair=text_pair)
        elif model is not None:
            if text is None:
                raise ValueError("pass text= (the sentence whose attention to show)")
            self.data = compute_attention(model, tokenizer, text, text_pair, max_length,
                                          num_threads=num_threads)
        else:
            raise ValueError("pass model=, tokenizer= and text=, or attention= and tokens=")
        self.layer = self.data.check_layer(layer)
        self.head = self.data.check_head(head)
        self.view = view
        if examples is None:
            examples = {"example": (self.data.text or "", self.data.text_pair)}
        self.examples = {k: (v, None) if isinstance(v, str) else (v[0], v[1] or None)
                         for k, v in examples.items()}
        if not self.examples:
            raise ValueError("examples must hold at least one text (or (text, pair))")
        self.piece_kind = (tokenizer_kind(tokenizer) if tokenizer is not None
                           else "byte-level BPE" if any("\u0120" in t for t in self.data.tokens)
                           else "WordPiece")
        self.max_tokens = model_max_tokens(model, tokenizer) if model is not None else None
        self._last: tuple | None = None  # ((text, pair), AttentionData, warnings, thumbnails)

    # --------------------------------------------------------------- recorded page
    def recorded_variants(self) -> list[dict]:
        """Every (layer, head or mean) in every view, so that on a recorded page the view's
        selects and the model view's clicks find their data: the first state's view first,
        in it the first state's layer first, the mean before the heads."""
        views = [self.view] + [v for v, _ in VIEWS if v != self.view]
        layers = [self.layer] + [i for i in range(self.data.num_layers) if i != self.layer]
        pairs = [(i, h) for i in layers for h in ["mean", *range(self.data.num_heads)]]
        pairs.remove((self.layer, self.head))
        pairs.insert(0, (self.layer, self.head))
        return [{"layer": i, "head": h, "view": v} for v in views for i, h in pairs]

    def recorded_states(self) -> list[dict]:
        """:meth:`LiveExplorer.recorded_states` with every example's opening first (its
        first layer, head and view), then those in the other views, then the other layers
        and heads, example by example: RECORDED_BUDGET cuts the last ones (every state
        carries the thumbnails of every head: 200 KB for 12 x 12 heads), so a big model's
        page keeps its examples before its other views and heads."""
        def rank(state: dict) -> int:
            if (state["layer"], state["head"]) != (self.layer, self.head):
                return 2
            return 0 if state["view"] == self.view else 1

        return sorted(super().recorded_states(), key=rank)  # stable: the examples' order

    # --------------------------------------------------------------- live data
    def title_base(self) -> str | None:
        """The title without the example it names, when it ends with one in brackets
        ("Attention: who looks at whom (Oliver's employer)" with an example "Oliver's
        employer"): the live view then names the example shown, or "(your text)" once the
        reader types. None when the title names no example."""
        for label in sorted(self.examples, key=len, reverse=True):
            if self.title.endswith(f"({label})"):
                return self.title[: -len(label) - 2].rstrip() or None
        return None

    def config(self) -> dict:
        """What never changes: title (and ``title_base``, see :meth:`title_base`), caption,
        examples, sizes, views and colours."""
        d = self.data
        return {
            "title": self.title,
            "title_base": self.title_base(),
            "caption": ("Row = the token that looks, column = the token it looks at; each row "
                        "is a softmax, so it sums to 1. Special tokens are purple. Hover or "
                        "tap a cell for its exact weight; in the model view, click a map to "
                        "open its heatmap."),
            "examples": {k: {"text": t, "text_pair": p} for k, (t, p) in self.examples.items()},
            "pair": any(p is not None for _, p in self.examples.values()),
            "num_layers": d.num_layers, "num_heads": d.num_heads,
            "max_tokens": self.max_tokens, "piece_kind": self.piece_kind,
            "special_tokens": sorted(self._special_tokens()),
            "views": [list(v) for v in VIEWS], "scale": SCALE, "thumb": THUMB,
            "thumb_budget": THUMB_BUDGET, "pack_past": PACK_PAST, "decimals": DECIMALS,
            "colours": list(colour_table()),
        }

    def _special_tokens(self) -> set[str]:
        d = self.data
        if self.tokenizer is not None and getattr(self.tokenizer, "all_special_tokens", None):
            return set(self.tokenizer.all_special_tokens)
        return {t for t, sp in zip(d.tokens, d.is_special) if sp}

    def initial_state(self) -> dict:
        """The chapter's text, layer, head and view."""
        d = self.data
        here = (d.text or "", d.text_pair)
        example = next((k for k, v in self.examples.items() if v == here), None)
        return {"example": example, "text": here[0], "text_pair": here[1],
                "layer": self.layer, "head": self.head, "view": self.view}

    def _forward(self, text: str, pair: str | None) -> tuple:
        """AttentionData, warnings and thumbnails of (text, pair), kept for the next call
        (a layer or head change only slices)."""
        if self._last is not None and self._last[0] == (text, pair):
            return self._last[1:]
        if self.model is None:
            if (text, pair) != (self.data.text or "", self.data.text_pair):
                raise ValueError("built from precomputed attention: pass model= and "
                                 "tokenizer= to run your own text")
            data, warnings = self.data, []
        else:
            limit = self.max_tokens
            with quiet():  # transformers' "longer than the maximum" line: the warning says it
                n_full = len(self.tokenizer(text, pair)["input_ids"]) if text.strip() else 0
                warnings = []
                if limit is not None and n_full > limit:
                    warnings.append(cut_warning(n_full, limit, pair is not None))
                cut = limit if warnings else None
                data = compute_attention(self.model, self.tokenizer, text, pair, cut,
                                         num_threads=self.num_threads)
        thumbs = thumbnails(data, _positions(data, self.show_pad))
        self._last = ((text, pair), data, warnings, thumbs)
        return data, warnings, thumbs

    def compute(self, state: dict) -> dict:
        """The data the view draws for ``state``: the readable pieces (``tokens``; the
        vocabulary's in ``pieces``), the selected (layer, head) map (``weights``, row =
        from: n lists of n floats, or past ``PACK_PAST`` tokens :func:`packed` in 1e-4
        units), every head's thumbnail (``thumbs``: [layer][head, then the mean] -> t * t
        floats, ``thumb_size`` t) and the warnings."""
        text, pair = state.get("text"), state.get("text_pair") or None
        if not isinstance(text, str) or (pair is not None and not isinstance(pair, str)):
            raise ValueError("text (and text_pair) must be strings")
        layer, head = check_selection(state, self.data.num_layers, self.data.num_heads)
        with torch_threads(self.num_threads):
            data, warnings, (t, thumbs) = self._forward(text, pair)
            keep = _positions(data, self.show_pad)
            idx = torch.as_tensor(keep)
            m = data.map(layer, head)[idx][:, idx]  # (n, n)
            weights = packed(_quantized(m)) if len(keep) > PACK_PAST else rounded(m)
        tokens = [data.tokens[i] for i in keep]
        special = [data.is_special[i] for i in keep]
        return {"tokens": readable_tokens(tokens, special, self.piece_kind), "pieces": tokens,
                "special": special, "positions": keep, "layer": layer, "head": head,
                "weights": weights, "thumbs": thumbs, "thumb_size": t,
                "warnings": list(warnings)}
