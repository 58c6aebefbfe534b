"""What a sequence-classification model returns, for every combination of options.

:func:`return_table` calls the model 8 times (labels given or not x
``output_hidden_states`` x ``output_attentions``), each time with
``return_dict=True`` and ``return_dict=False``, and records what came back: the
output class, the fields that are set, the tuple's length and what sits at each
index of the tuple. :func:`describe` writes a value's shape in words
("tuple of 3 x (2, 7, 32)").
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import torch


def describe(value: Any) -> str:
    """A short shape description of an output value."""
    if value is None:
        return "None"
    if isinstance(value, torch.Tensor):
        return "scalar ()" if value.dim() == 0 else str(tuple(value.shape))
    if isinstance(value, tuple):
        if not value:
            return "empty tuple"
        shapes = {describe(v) for v in value}
        inner = shapes.pop() if len(shapes) == 1 else "mixed"
        return f"tuple of {len(value)} x {inner}"
    return type(value).__name__


@dataclass
class ReturnRow:
    """What one call returned, in both forms."""

    labels: bool
    output_hidden_states: bool
    output_attentions: bool
    output_type: str  # e.g. "SequenceClassifierOutput"
    fields: list[str]  # fields that are set (not None), in order
    tuple_length: int  # len(model(..., return_dict=False))
    tuple_items: list[tuple[str, str]] = field(default_factory=list)  # (field name, shape)

    @property
    def options(self) -> str:
        """The call's options as the keyword arguments one would write."""
        parts = []
        if self.labels:
            parts.append("labels=labels")
        if self.output_hidden_states:
            parts.append("output_hidden_states=True")
        if self.output_attentions:
            parts.append("output_attentions=True")
        return ", ".join(parts) or "(no options)"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and torch.equal(a, b)
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(_same, a, b))
    return a is b


def return_row(model, inputs: Mapping[str, torch.Tensor], labels: torch.Tensor | None = None,
               *, with_labels: bool = False, output_hidden_states: bool = False,
               output_attentions: bool = False) -> ReturnRow:
    """Call ``model(**inputs, ...)`` once with ``return_dict=True`` and once with
    ``return_dict=False`` for one combination of options, and describe what came back.

    ``inputs`` is what the tokenizer returned; ``labels`` defaults to label 0 for every
    example (used only when ``with_labels``). The model must be in eval mode. The
    config's ``problem_type`` is restored afterwards (a call with labels may set it).
    Raises if the tuple and the dataclass disagree.
    """
    if "input_ids" not in inputs and "inputs_embeds" not in inputs:
        raise ValueError("inputs must contain input_ids (what the tokenizer returned), got "
                         f"keys {sorted(inputs)}.")
    if model.training:
        raise ValueError("return_row needs model.eval(): dropout would make the two calls "
                         "of each combination differ.")
    first = inputs["input_ids"] if "input_ids" in inputs else inputs["inputs_embeds"]
    if labels is None:
        labels = torch.zeros(first.shape[0], dtype=torch.long)
    kw = dict(output_hidden_states=output_hidden_states, output_attentions=output_attentions)
    if with_labels:
        kw["labels"] = labels
    sticky = model.config.problem_type
    try:
        with torch.no_grad():
            out = model(**inputs, **kw)  # a ModelOutput
            tup = model(**inputs, **kw, return_dict=False)  # a plain tuple
    finally:
        model.config.problem_type = sticky
    names = list(out.keys())  # a ModelOutput's keys are its fields that are not None
    if len(names) != len(tup) or not all(_same(out[k], v) for k, v in zip(names, tup)):
        raise AssertionError(f"the tuple does not match the dataclass fields for {kw}: "
                             f"{names} vs {len(tup)} items")
    return ReturnRow(labels=with_labels, output_hidden_states=output_hidden_states,
                     output_attentions=output_attentions, output_type=type(out).__name__,
                     fields=names, tuple_length=len(tup),
                     tuple_items=[(k, describe(v)) for k, v in zip(names, tup)])


def return_table(model, inputs: Mapping[str, torch.Tensor],
                 labels: torch.Tensor | None = None) -> list[ReturnRow]:
    """:func:`return_row` for the 8 combinations of labels / output_hidden_states /
    output_attentions, in the order (no options) ... (all three)."""
    return [return_row(model, inputs, labels, with_labels=lab, output_hidden_states=hs,
                       output_attentions=att)
            for lab, hs, att in itertools.product((False, True), repeat=3)]


def table_rows(rows: list[ReturnRow]) -> list[list[str]]:
    """``rows`` as strings for a table: options, tuple length, fields, shapes."""
    return [[r.options, str(r.tuple_length), ", ".join(r.fields),
             "; ".join(s for _, s in r.tuple_items)] for r in rows]
