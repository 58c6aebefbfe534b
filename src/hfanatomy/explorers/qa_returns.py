"""What ``BertForQuestionAnswering(...)`` returns, for each combination of call options.

``qa_return(model, inputs, positions=..., hidden=..., attentions=...)`` calls the
model twice, once returning a ``QuestionAnsweringModelOutput`` and once with
``return_dict=False``, checks that the tuple is exactly the output's non-``None``
fields in order, and describes both (:class:`QAReturn`).

:class:`QAReturnsExplorer` is its explorer. A state is the call's options: ``positions``
(the gold positions passed: one of :data:`POSITION_CHOICES`), ``hidden``, ``attentions``
and ``as_tuple`` (``return_dict=False``), booleans. ``compute`` gives the JSON of Part I's
return-value explorer (:mod:`hfanatomy.explorers.returns` describes it), drawn by the same
JS view, ``web/views/returns.js``. The page cannot call the model, so on the site the
explorer is *recorded* (:mod:`hfanatomy.explorers.live`): all 24 combinations are computed
when the book is built; in a notebook the same controls call the model again.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import torch

from hfanatomy.checks import true_or_false
from hfanatomy.explorers.live import LiveExplorer

__all__ = ["QAReturn", "qa_return", "QAReturnsExplorer", "POSITION_CHOICES"]

#: which gold positions a call passes
POSITION_CHOICES = ("none", "start only", "both")

#: the output options of a call: the state's key and the keyword argument it writes
OPTIONS = (("hidden", "output_hidden_states=True"), ("attentions", "output_attentions=True"),
           ("as_tuple", "return_dict=False"))

#: what the explorer says under a call with start positions only
START_ONLY = "Only start positions: no loss is computed, and nothing warns you."


def _describe(value) -> str:
    if isinstance(value, torch.Tensor):
        if value.dim() == 0:
            return f"tensor, 0-d (a number: {value.item():.4f})"
        return f"tensor {tuple(value.shape)}"
    if isinstance(value, tuple):
        inner = {_describe(v) for v in value}
        return f"tuple of {len(value)} x " + (inner.pop() if len(inner) == 1 else "mixed")
    return type(value).__name__


@dataclass(frozen=True)
class QAReturn:
    """One call's return value, described."""

    positions: str
    hidden: bool
    attentions: bool
    output_type: str
    fields: list[str]  # the non-None fields, in order (= the tuple's items)
    descriptions: list[str]  # what each is (shape)
    none_fields: list[str]  # fields left None
    tuple_length: int


def qa_return(model, inputs: Mapping[str, torch.Tensor], start_positions: torch.Tensor,
              end_positions: torch.Tensor, positions: str = "none", hidden: bool = False,
              attentions: bool = False) -> QAReturn:
    """Call the model with the given options, as a ModelOutput and as a tuple; describe both."""
    if positions not in POSITION_CHOICES:
        raise ValueError(f"positions must be one of {POSITION_CHOICES}; got {positions!r}.")
    kw = dict(output_hidden_states=hidden, output_attentions=attentions)
    if positions in ("start only", "both"):
        kw["start_positions"] = start_positions
    if positions == "both":
        kw["end_positions"] = end_positions
    with torch.no_grad():
        out = model(**inputs, **kw)
        tup = model(**inputs, **kw, return_dict=False)
    names = list(out.keys())  # a ModelOutput's keys are its fields that are not None
    if len(names) != len(tup):
        raise AssertionError(f"tuple of {len(tup)} items vs fields {names}")
    for name, item in zip(names, tup):
        a = out[name]
        same = (torch.equal(a, item) if isinstance(a, torch.Tensor)
                else all(torch.equal(u, v) for u, v in zip(a, item)))
        if not same:
            raise AssertionError(f"tuple item for {name} differs from the field")
    all_fields = [f for f in type(out).__dataclass_fields__]
    return QAReturn(positions, hidden, attentions, type(out).__name__, names,
                    [_describe(out[n]) for n in names],
                    [f for f in all_fields if f not in names], len(tup))



class QAReturnsExplorer(LiveExplorer):
    """``QAReturnsExplorer(model, inputs, start_positions, end_positions)``: what comes back
    for each combination of call options. ``explorer.data`` is the :class:`QAReturn` of the
    last state computed."""

    title = "What model(...) returns: QuestionAnsweringModelOutput or tuple"
    kind = "returns"
    python_only = True
    recorded_why = ("every combination of the options was run when the book was built; this "
                    "explorer is about the Python objects the call returns, so only Python can "
                    "make them. In a notebook, the same controls call the model.")

    def __init__(self, model, inputs: Mapping[str, torch.Tensor], start_positions: torch.Tensor,
                 end_positions: torch.Tensor):
        self.model, self.inputs = model, dict(inputs)
        self.starts, self.ends = start_positions, end_positions
        self.data: QAReturn | None = None
        self.compute(self.initial_state())  # a wrong input fails here, not when shown


    def config(self) -> dict:
        return {"title": self.title,
                "caption": ("Pick the options of the call; the table lists exactly what came "
                            "back. The tuple is always the non-None fields, in order."),
                "targets": {"name": "positions", "label": "gold positions",
                            "choices": [[p, p] for p in POSITION_CHOICES]}}

    def initial_state(self) -> dict:
        return {"positions": "none", "hidden": False, "attentions": False, "as_tuple": False}

    def recorded_variants(self) -> list[dict]:
        """Every combination: gold positions x hidden states x attentions x tuple (24)."""
        return [{"positions": p, "hidden": h, "attentions": a, "as_tuple": t}
                for p, h, a, t in itertools.product(POSITION_CHOICES, *[(False, True)] * 3)]

    def compute(self, state: dict) -> dict:
        """Call the model with the state's options; describe what came back."""
        positions = state.get("positions", "none")
        hidden, attentions, as_tuple = true_or_false(state, ("hidden", "attentions", "as_tuple"))
        r = qa_return(self.model, self.inputs, self.starts, self.ends, positions, hidden, attentions)
        self.data = r
        targets = {"none": [], "start only": ["start_positions=starts"],
                   "both": ["start_positions=starts", "end_positions=ends"]}[positions]
        return {"arguments": targets + [a for k, a in OPTIONS if state.get(k)],
                "type": "tuple" if as_tuple else r.output_type, "output_type": r.output_type,
                "as_tuple": as_tuple, "length": r.tuple_length,
                "items": [{"name": n, "what": d} for n, d in zip(r.fields, r.descriptions)],
                "none": r.none_fields, "note": START_ONLY if positions == "start only" else None}
