"""The return-value explorer: what ``model(...)`` gives back for each combination of options.

Static view: the 16 results (labels yes/no x hidden states x attentions x
``return_dict``) computed at build time by :func:`hfanatomy.outputs.return_table`,
one table each, switched by four selectors. Live view: the same as checkboxes,
running the model again on every change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import torch

from hfanatomy import html
from hfanatomy.explorers.base import Explorer
from hfanatomy.outputs import ReturnRow, return_row, return_table


def call_text(*targets: str, hidden: bool, attentions: bool, as_tuple: bool) -> str:
    """The ``out = model(...)`` line of one call: ``**inputs``, the ``targets`` arguments
    (e.g. ``"labels=labels"``), then the output options that are switched on."""
    args = ["**inputs", *targets]
    if hidden:
        args.append("output_hidden_states=True")
    if attentions:
        args.append("output_attentions=True")
    if as_tuple:
        args.append("return_dict=False")
    return f"out = model({', '.join(args)})"


def option_checkboxes(update: Callable[..., object]):
    """The output_hidden_states / output_attentions / return_dict=False checkboxes of the
    live return-value explorers, wired to ``update(hidden=...)``, ``update(attentions=...)``
    and ``update(as_tuple=...)``."""
    import ipywidgets as W

    hidden = W.Checkbox(value=False, description="output_hidden_states")
    attentions = W.Checkbox(value=False, description="output_attentions")
    as_tuple = W.Checkbox(value=False, description="return_dict=False")
    hidden.observe(lambda c: update(hidden=c["new"]), names="value")
    attentions.observe(lambda c: update(attentions=c["new"]), names="value")
    as_tuple.observe(lambda c: update(as_tuple=c["new"]), names="value")
    return hidden, attentions, as_tuple


def _call_text(row: ReturnRow, as_tuple: bool) -> str:
    return call_text(*(["labels=labels"] if row.labels else []), hidden=row.output_hidden_states,
                     attentions=row.output_attentions, as_tuple=as_tuple)


def row_html(row: ReturnRow, as_tuple: bool) -> str:
    """The markup of one result: the call, what type comes back, and each item."""
    call = f'<pre style="margin:2px 0 6px;font-size:12px;white-space:pre-wrap">{html.esc(_call_text(row, as_tuple))}</pre>'
    if as_tuple:
        head = (f"<div>type: <b>tuple</b> · <code>len(out) == {row.tuple_length}</code> · "
                f"no None slots, no cache</div>")
        body = html.table(["index", "what it is", "shape"],
                          [[f"out[{i}]", name, shape]
                           for i, (name, shape) in enumerate(row.tuple_items)])
    else:
        unset = [f for f in ("loss", "logits", "hidden_states", "attentions")
                 if f not in row.fields]
        head = (f"<div>type: <b>{html.esc(row.output_type)}</b> · fields set: "
                f"{len(row.fields)}" + (f" · not set (None): {html.esc(', '.join(unset))}" if unset else "")
                + "</div>")
        body = html.table(["access", "also out[i]", "shape"],
                          [[f"out.{name}", f"out[{i}]", shape]
                           for i, (name, shape) in enumerate(row.tuple_items)])
    body = body.replace('<table class="hfa-table"', '<table class="hfa-table" style="margin:0"', 1)
    tag = f'<div data-tuple-length="{row.tuple_length}" data-fields="{html.esc(",".join(row.fields))}">'
    return tag + call + head + body + "</div>"


class ReturnsExplorer(Explorer):
    """``ReturnsExplorer(model, inputs, labels=None)``: what comes back for each call.

    ``inputs`` is the tokenizer's output (a small batch). ``explorer.data`` is the
    :class:`~hfanatomy.outputs.ReturnRow` the live widget currently shows.
    """

    title = "Return-value explorer: what model(...) gives back"

    def __init__(self, model, inputs: Mapping[str, torch.Tensor],
                 labels: torch.Tensor | None = None):
        self.model, self.inputs, self.labels = model, dict(inputs), labels
        self.rows = return_table(model, self.inputs, labels)
        self.data = self.rows[0]
        self.as_tuple = False

    def static_html(self) -> str:
        yn = [("0", "no"), ("1", "yes")]
        controls = [
            '<div class="hfa-note" style="margin-top:0;width:100%">Pick the options of the '
            'call; the table shows exactly what came back (computed when the book was '
            'built).</div>',
            html.select("labels", yn, label="labels"),
            html.select("hidden", yn, label="output_hidden_states"),
            html.select("attentions", yn, label="output_attentions"),
            html.select("form", [("dict", "ModelOutput (default)"),
                                 ("tuple", "tuple (return_dict=False)")], label="return"),
        ]
        states = {}
        for r in self.rows:
            for form in ("dict", "tuple"):
                key = (str(int(r.labels)), str(int(r.output_hidden_states)),
                       str(int(r.output_attentions)), form)
                states[key] = row_html(r, form == "tuple")
        return html.stateful_view(self.title, controls, states, ("0", "0", "0", "dict"),
                                  note=html.recorded_note(
                                      "every combination of the options was run when the book "
                                      "was built; this explorer is about the Python objects the "
                                      "call returns, so there is nothing to type. In a notebook, "
                                      "the same controls call the model."))

    def update(self, labels: bool | None = None, hidden: bool | None = None,
               attentions: bool | None = None, as_tuple: bool | None = None) -> ReturnRow:
        """Run the model for the given options (what the checkboxes call)."""
        cur = self.data
        labels = cur.labels if labels is None else labels
        hidden = cur.output_hidden_states if hidden is None else hidden
        attentions = cur.output_attentions if attentions is None else attentions
        self.as_tuple = self.as_tuple if as_tuple is None else as_tuple
        self.data = return_row(self.model, self.inputs, self.labels, with_labels=labels,
                               output_hidden_states=hidden, output_attentions=attentions)
        if getattr(self, "_out", None) is not None:
            self._out.value = html.explorer_box(row_html(self.data, self.as_tuple))
        return self.data

    def build_widget(self):
        import ipywidgets as W

        self.labels_box = W.Checkbox(value=False, description="labels")
        self.hidden_box, self.attentions_box, self.tuple_box = option_checkboxes(self.update)
        self._out = W.HTML()
        self.update()
        self.labels_box.observe(lambda c: self.update(labels=c["new"]), names="value")
        return W.VBox([W.HTML(f"<b>{html.esc(self.title)}</b>"),
                       W.HBox([self.labels_box, self.hidden_box]),
                       W.HBox([self.attentions_box, self.tuple_box]), self._out])
