"""The return-value explorer: what ``model(...)`` gives back for each combination of options.

A state is the call's options, all booleans: ``labels`` (pass ``labels=labels``),
``hidden`` (``output_hidden_states=True``), ``attentions`` (``output_attentions=True``) and
``as_tuple`` (``return_dict=False``). :meth:`ReturnsExplorer.compute` calls the model with
them (:func:`hfanatomy.outputs.return_row`: once as a ``ModelOutput``, once as a tuple,
checked equal) and describes what came back::

    {"arguments": ["labels=labels", "return_dict=False"],  # after **inputs, as written
     "type": "tuple",                        # what came back: "tuple" or output_type
     "output_type": "SequenceClassifierOutput", "as_tuple": true,
     "length": 2,                            # len(out)
     "items": [{"name": "loss", "what": "scalar ()"}, ...],  # the fields set, in order:
                                             # the tuple's items
     "none": ["hidden_states", "attentions"],  # the fields left None
     "note": null}                           # a line to read under the table, or null

The JS view ``web/views/returns.js`` (kind ``"returns"``) draws it, in a kernel and on the
site alike; the QA return-value explorer (:mod:`hfanatomy.explorers.qa_returns`) gives the
same shape, with gold positions in place of labels.

The page cannot call the model, so on the site the explorer is *recorded*
(:mod:`hfanatomy.explorers.live`): all 16 combinations of the options are computed when the
book is built (:meth:`ReturnsExplorer.recorded_variants`). In a notebook the same controls
call the model again.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import torch

from hfanatomy.checks import true_or_false
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.outputs import ReturnRow, return_row

__all__ = ["ReturnsExplorer", "OPTIONS"]

#: the output options of a call: the state's key and the keyword argument it writes
OPTIONS = (("hidden", "output_hidden_states=True"), ("attentions", "output_attentions=True"),
           ("as_tuple", "return_dict=False"))

#: the fields of a SequenceClassifierOutput
FIELDS = ("loss", "logits", "hidden_states", "attentions")



class ReturnsExplorer(LiveExplorer):
    """``ReturnsExplorer(model, inputs, labels=None)``: what comes back for each call.

    ``inputs`` is the tokenizer's output (a small batch); ``labels`` the gold labels passed
    when the ``labels`` option is on (label 0 for every example when None). ``explorer.data``
    is the :class:`~hfanatomy.outputs.ReturnRow` of the last state computed.
    """

    title = "Return-value explorer: what model(...) gives back"
    kind = "returns"
    python_only = True
    recorded_why = ("every combination of the options was run when the book was built; this "
                    "explorer is about the Python objects the call returns, so only Python can "
                    "make them. In a notebook, the same controls call the model.")

    def __init__(self, model, inputs: Mapping[str, torch.Tensor],
                 labels: torch.Tensor | None = None):
        self.model, self.inputs, self.labels = model, dict(inputs), labels
        self.data: ReturnRow | None = None
        self.compute(self.initial_state())  # a wrong input fails here, not when shown


    def config(self) -> dict:
        return {"title": self.title,
                "caption": ("Pick the options of the call; the table shows exactly what came "
                            "back, with the name and shape at each index. The tuple is always "
                            "the fields that are set, in order."),
                "targets": {"name": "labels", "label": "labels=labels",
                            "choices": [[False, "no"], [True, "yes"]]}}

    def initial_state(self) -> dict:
        return {"labels": False, "hidden": False, "attentions": False, "as_tuple": False}

    def recorded_variants(self) -> list[dict]:
        """Every combination of the four options (16)."""
        keys = tuple(self.initial_state())
        return [dict(zip(keys, values)) for values in itertools.product((False, True), repeat=4)]

    def compute(self, state: dict) -> dict:
        """Call the model with the state's options; describe what came back."""
        labels, hidden, attentions, as_tuple = true_or_false(state, tuple(self.initial_state()))
        row = return_row(self.model, self.inputs, self.labels, with_labels=labels,
                         output_hidden_states=hidden, output_attentions=attentions)
        self.data = row
        return {"arguments": ["labels=labels"] * labels + [a for k, a in OPTIONS if state.get(k)],
                "type": "tuple" if as_tuple else row.output_type, "output_type": row.output_type,
                "as_tuple": as_tuple, "length": row.tuple_length,
                "items": [{"name": name, "what": what} for name, what in row.tuple_items],
                "none": [f for f in FIELDS if f not in row.fields], "note": None}
