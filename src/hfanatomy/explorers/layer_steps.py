"""The "one layer, step by step" explorer: a text, a layer, a head and a query token, then
every number the installed source computes for them, beside the lines that compute it.

Python's data is :func:`hfanatomy.layer_steps.layer_steps` over the model's own hidden
states (eager attention); ``web/compute/layer_steps.js`` computes the same JSON in the page
for the embedded models and ``web/views/layer_steps.js`` draws it in every host.

State: ``text`` (and ``text_pair`` for a question and its context), ``batch_with`` (a
second text in the same batch, or ""; when it is the longer, ``text`` gets padding and the
additive mask appears), ``layer``, ``head``, ``query`` and ``key`` (token indices; an index
past the end of a new text is moved to its last token).

The source lines of each step come from the installed transformers (``source.show_source``
with content anchors, at the time ``config()`` is built): when they move, the anchors fail
loudly.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import torch

from hfanatomy.attention import cut_warning, model_max_tokens, torch_threads
from hfanatomy.checks import whole_number
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.layer_steps import layer_steps
from hfanatomy.models import quiet
from hfanatomy.source import show_source
from hfanatomy.tokens import readable_tokens, tokenizer_kind

__all__ = ["DECIMALS", "LayerStepsExplorer", "check_state", "step_sources"]

#: numbers are sent with this many decimals (Python and page alike), as the attention
#: explorer's weights: a softmax row here is the same JSON as there
DECIMALS = 7

EMPTY_TEXT = "text is empty: type some words to step through a layer"


def _round(x: Any) -> Any:
    """A tensor (or float) as lists of floats with DECIMALS decimals."""
    if isinstance(x, torch.Tensor):
        x = x.detach().double().tolist()
    if isinstance(x, list):
        return [_round(v) for v in x]
    return round(float(x), DECIMALS)


def check_state(state: Mapping, num_layers: int, num_heads: int) -> dict:
    """The state's inputs, checked, with the messages the page gives word for word."""
    text, pair = state.get("text"), state.get("text_pair") or None
    other = state.get("batch_with") or None
    if not isinstance(text, str) or (pair is not None and not isinstance(pair, str)) \
            or (other is not None and not isinstance(other, str)):
        raise ValueError("text, text_pair and batch_with must be strings")
    if not text.strip():
        raise ValueError(EMPTY_TEXT)
    if pair is not None and not pair.strip():
        raise ValueError("text_pair is empty: type the context the question is about")
    return {"text": text, "pair": pair, "other": other if other and other.strip() else None,
            "layer": whole_number(state.get("layer", 0), "layer", 0, num_layers),
            "head": whole_number(state.get("head", 0), "head", 0, num_heads),
            "query": whole_number(state.get("query", 0), "query"),
            "key": whole_number(state.get("key", 0), "key")}


# ----------------------------------------------------------------------------- source
def _view(obj: Any, start: str | None = None, end: str | None = None) -> dict:
    """One slice of installed source as JSON: caption, name and [number, text] per line;
    ``end=None`` after a ``start``: that line's block only (one line for a statement)."""
    v = show_source(obj, start, end, block=start is not None and end is None)
    body = v.text.split("\n")
    return {"caption": v.caption, "name": v.name.rsplit(".", 2)[-2] + "." + v.name.rsplit(".", 1)[-1]
            if v.name.count(".") > 1 else v.name,
            "lines": [[line.number, code] for line, code in zip(v.lines, body, strict=True)]}


def step_sources(layer_module: torch.nn.Module, encoder: torch.nn.Module) -> list[dict]:
    """The seven steps: id, title, shape note and the installed lines that compute each."""
    sa = layer_module.attention.self
    module = sys.modules[type(sa).__module__]
    eager = module.eager_attention_forward
    enc, lay = type(encoder), type(layer_module)
    att, selfatt, selfout = type(layer_module.attention), type(sa), type(layer_module.attention.output)
    inter, out = type(layer_module.intermediate), type(layer_module.output)
    matmul = "attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling"
    return [
        {"id": "hidden", "title": "Hidden states entering the layer",
         "sources": [_view(enc.forward, "for i, layer_module in enumerate(self.layer):",
                           "hidden_states = layer_module(")]},
        {"id": "qkv", "title": "Query, key and value of one head",
         "sources": [_view(selfatt.forward, "hidden_shape = ", "value_layer = self.value(")]},
        {"id": "score", "title": "One score: q ⊙ k, summed, scaled, masked",
         "sources": [_view(selfatt.__init__, "self.scaling = "),
                     _view(eager, matmul, "attn_weights = attn_weights + attention_mask")]},
        {"id": "softmax", "title": "Softmax over the keys",
         "sources": [_view(eager, "attn_weights = nn.functional.softmax(")]},
        {"id": "context", "title": "Weighted sum of the values, heads side by side",
         "sources": [_view(eager, "attn_output = torch.matmul(attn_weights, value)",
                           "attn_output = attn_output.transpose(1, 2)"),
                     _view(selfatt.forward, "attn_output = attn_output.reshape(")]},
        {"id": "attention_out", "title": "Output dense, residual, LayerNorm",
         "sources": [_view(att.forward, "attention_output = self.output("),
                     _view(selfout.forward)]},
        {"id": "ffn", "title": "Feed-forward block: the layer's output",
         "sources": [_view(lay.feed_forward_chunk), _view(inter.forward), _view(out.forward)]},
    ]


class LayerStepsExplorer(LiveExplorer):
    """One layer of a BERT or RoBERTa model, step by step, for one head and query token.

    Give ``model`` (eager attention), ``tokenizer`` and ``text`` (with ``text_pair`` for QA);
    ``batch_with`` puts a second text in the batch. ``examples`` maps a label to a text, a
    ``(text, pair)`` or a dict with ``text``, ``text_pair``, ``batch_with``, ``query``.
    """

    title = "One layer, step by step"
    kind = "layer_steps"

    def __init__(self, model: Any, tokenizer: Any, text: str, text_pair: str | None = None, *,
                 batch_with: str | None = None, layer: int = 0, head: int = 0, query: int = 0,
                 key: int = 0, examples: Mapping[str, Any] | None = None,
                 title: str | None = None, num_threads: int | None = 1):
        self.model, self.tokenizer, self.num_threads = model, tokenizer, num_threads
        if title:
            self.title = title
        cfg = model.config
        self.num_layers, self.num_heads = cfg.num_hidden_layers, cfg.num_attention_heads
        self.max_tokens = model_max_tokens(model, tokenizer)
        self.piece_kind = tokenizer_kind(tokenizer)
        first = {"text": text, "text_pair": text_pair, "batch_with": batch_with or "",
                 "query": query}
        raw = examples if examples is not None else {"example": first}
        self.examples = {k: self._example(v) for k, v in raw.items()}
        if not self.examples:
            raise ValueError("examples must hold at least one text")
        self.first = {**first, "layer": layer, "head": head, "key": key}
        self._last: tuple | None = None
        check_state(self.first, self.num_layers, self.num_heads)

    @staticmethod
    def _example(v: Any) -> dict:
        if isinstance(v, str):
            v = {"text": v}
        elif isinstance(v, tuple):
            v = {"text": v[0], "text_pair": v[1]}
        return {"text": v["text"], "text_pair": v.get("text_pair") or None,
                "batch_with": v.get("batch_with") or "", "query": v.get("query", 0)}

    def config(self) -> dict:
        cfg = self.model.config
        base = self.model.base_model
        return {
            "title": self.title,
            "caption": ("Pick a query token (the one that looks) and a key token (the one it "
                        "looks at), then step through the layer: each step shows the installed "
                        "transformers lines that compute it and the numbers they give."),
            "examples": self.examples,
            "pair": any(e["text_pair"] is not None for e in self.examples.values()),
            "model_type": cfg.model_type,
            "num_layers": self.num_layers, "num_heads": self.num_heads,
            "hidden_size": cfg.hidden_size, "intermediate_size": cfg.intermediate_size,
            "head_dim": cfg.hidden_size // cfg.num_attention_heads,
            "max_tokens": self.max_tokens, "piece_kind": self.piece_kind,
            "special_tokens": sorted(set(self.tokenizer.all_special_tokens)),
            "decimals": DECIMALS,
            "steps": step_sources(base.encoder.layer[0], base.encoder),
        }

    def initial_state(self) -> dict:
        f = self.first
        here = {k: f[k] for k in ("text", "text_pair", "batch_with", "query")}
        example = next((k for k, v in self.examples.items() if v == here), None)
        return {"example": example, "text": f["text"], "text_pair": f["text_pair"],
                "batch_with": f["batch_with"], "layer": f["layer"], "head": f["head"],
                "query": f["query"], "key": f["key"]}

    def _forward(self, text: str, pair: str | None, other: str | None) -> tuple:
        """(encoding, hidden states, warnings) of the batch [text, other], kept for the next
        call (a layer, head or token change only recomputes one layer)."""
        key = (text, pair, other)
        if self._last is not None and self._last[0] == key:
            return self._last[1:]
        texts = [text] + ([other] if other else [])
        pairs = [pair] * len(texts) if pair is not None else None
        limit = self.max_tokens
        warnings = []
        with quiet():
            for i, t in enumerate(texts):
                n_full = len(self.tokenizer(t, pair)["input_ids"])
                if limit is not None and n_full > limit:
                    w = cut_warning(n_full, limit, pair is not None)
                    warnings.append(w if i == 0 else f"batch_with: {w}")
            enc = self.tokenizer(texts, pairs, padding=True, truncation=limit is not None,
                                 max_length=limit, return_tensors="pt")
        with torch.no_grad():
            out = self.model(**enc, output_hidden_states=True)
        self._last = (key, enc, out.hidden_states, warnings)
        return enc, out.hidden_states, warnings

    def compute(self, state: dict) -> dict:
        """The numbers of every step for ``state`` (see ``layer_steps.LayerSteps``), the
        pieces of the followed sequence (row 0 of the batch) and its padding."""
        s = check_state(state, self.num_layers, self.num_heads)
        with torch_threads(self.num_threads):
            enc, hidden, warnings = self._forward(s["text"], s["pair"], s["other"])
            ids, mask = enc["input_ids"], enc["attention_mask"]  # (B, L)
            B, L = ids.shape
            query, key = min(s["query"], L - 1), min(s["key"], L - 1)
            layer_module = self.model.base_model.encoder.layer[s["layer"]]
            st = layer_steps(layer_module, hidden[s["layer"]], mask, row=0, head=s["head"],
                             query=query, key=key, layer=s["layer"])
        pieces = self.tokenizer.convert_ids_to_tokens(ids[0].tolist())
        special = self.tokenizer.get_special_tokens_mask(ids[0].tolist(),
                                                         already_has_special_tokens=True)
        special = [bool(x) for x in special]
        H, d = self.num_heads, st.q.shape[-1]
        D, inner = st.hidden_in.shape[-1], st.intermediate.shape[-1]
        dot = float(st.products.sum())
        return {
            "tokens": readable_tokens(pieces, special, self.piece_kind), "pieces": pieces,
            "special": special, "padded": [m == 0 for m in mask[0].tolist()],
            "length": L, "batch": B, "layer": s["layer"], "head": s["head"],
            "query": query, "key": key,
            "shapes": {"hidden": [B, L, D], "heads": [B, H, L, d], "scores": [B, H, L, L],
                       "context": [B, L, D], "intermediate": [B, L, inner]},
            "mask": None if st.mask is None else _round(st.mask),
            "hidden_in": _round(st.hidden_in), "norms": _round(st.norms),
            "q": _round(st.q), "k": _round(st.k), "v": _round(st.v),
            "products": _round(st.products), "dot": _round(dot), "scaling": _round(st.scaling),
            "scores": _round(st.scores), "weights": _round(st.weights),
            "head_out": _round(st.head_out), "context": _round(st.context),
            "attn_dense": _round(st.attn_dense), "attn_residual": _round(st.attn_residual),
            "attention_out": _round(st.attention_out),
            "intermediate_pre": _round(st.intermediate_pre),
            "intermediate": _round(st.intermediate), "ffn_dense": _round(st.ffn_dense),
            "ffn_residual": _round(st.ffn_residual), "out": _round(st.out),
            "warnings": warnings,
        }
