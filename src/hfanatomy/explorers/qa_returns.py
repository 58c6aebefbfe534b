"""What ``BertForQuestionAnswering(...)`` returns, for each combination of call options.

``qa_return(model, inputs, positions=..., hidden=..., attentions=...)`` calls the
model twice, once returning a ``QuestionAnsweringModelOutput`` and once with
``return_dict=False``, checks that the tuple is exactly the output's non-``None``
fields in order, and describes both (:class:`QAReturn`).

:class:`QAReturnsExplorer` shows every combination (gold positions: none / start
only / both; hidden states; attentions; dict or tuple) in the static view, and
runs the model again on every change in the live view.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import torch

from hfanatomy import html
from hfanatomy.explorers.base import Explorer
from hfanatomy.explorers.returns import call_text, option_checkboxes

__all__ = ["QAReturn", "qa_return", "render_return", "QAReturnsExplorer", "POSITION_CHOICES"]

#: which gold positions a call passes
POSITION_CHOICES = ("none", "start only", "both")


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


def _call(r: QAReturn, as_tuple: bool) -> str:
    targets = []
    if r.positions in ("start only", "both"):
        targets.append("start_positions=starts")
    if r.positions == "both":
        targets.append("end_positions=ends")
    return call_text(*targets, hidden=r.hidden, attentions=r.attentions, as_tuple=as_tuple)


def render_return(r: QAReturn, as_tuple: bool) -> str:
    """The call, the type that comes back and one row per item."""
    call = f'<pre style="margin:2px 0 6px;font-size:12px">{html.esc(_call(r, as_tuple))}</pre>'
    if as_tuple:
        head = f"<div>type: <b>tuple</b>, <code>len(out) == {r.tuple_length}</code></div>"
        rows = [[f"out[{i}]", n, d] for i, (n, d) in enumerate(zip(r.fields, r.descriptions))]
        body = html.table(["index", "is the field", "what"], rows)
    else:
        head = (f"<div>type: <b>{html.esc(r.output_type)}</b>; None: "
                f"{html.esc(', '.join(r.none_fields) or 'nothing')}</div>")
        rows = [[f"out.{n}", f"out[{i}]", d] for i, (n, d) in enumerate(zip(r.fields, r.descriptions))]
        body = html.table(["field", "same as", "what"], rows)
    note = ""
    if r.positions == "start only":
        note = ('<div class="hfa-note">Only start positions: no loss is computed, '
                'and nothing warns you.</div>')
    return call + head + body + note


class QAReturnsExplorer(Explorer):
    """Every combination of call options and what comes back (static), or one call (live)."""

    title = "What model(...) returns: QuestionAnsweringModelOutput or tuple"

    def __init__(self, model, inputs: Mapping[str, torch.Tensor], start_positions: torch.Tensor,
                 end_positions: torch.Tensor):
        self.model, self.inputs = model, dict(inputs)
        self.starts, self.ends = start_positions, end_positions
        self.rows = {
            (p, h, a): qa_return(model, self.inputs, self.starts, self.ends, p, h, a)
            for p, h, a in itertools.product(POSITION_CHOICES, (False, True), (False, True))
        }
        self.data = self.rows[("none", False, False)]
        self.as_tuple = False

    def static_html(self) -> str:
        yn = [("0", "no"), ("1", "yes")]
        controls = [
            html.select("positions", [(p, p) for p in POSITION_CHOICES], label="gold positions"),
            html.select("hidden", yn, label="output_hidden_states"),
            html.select("attentions", yn, label="output_attentions"),
            html.select("form", [("dict", "ModelOutput (default)"), ("tuple", "return_dict=False")],
                        label="return"),
        ]
        states = {}
        for (p, h, a), r in self.rows.items():
            for form in ("dict", "tuple"):
                states[(p, str(int(h)), str(int(a)), form)] = render_return(r, form == "tuple")
        note = ('<div class="hfa-note">Pick the options of the call; the table lists exactly what '
                'came back. The tuple is always the non-None fields, in order.</div>'
                + html.recorded_note("every combination of the options was run when the book "
                                     "was built; this explorer is about the Python objects the "
                                     "call returns, so there is nothing to type. In a notebook, "
                                     "the same controls call the model."))
        return html.stateful_view(self.title, controls, states, ("none", "0", "0", "dict"), note=note)

    def update(self, positions: str | None = None, hidden: bool | None = None,
               attentions: bool | None = None, as_tuple: bool | None = None) -> QAReturn:
        """Call the model with changed options (what the live controls do)."""
        d = self.data
        self.as_tuple = self.as_tuple if as_tuple is None else as_tuple
        self.data = qa_return(self.model, self.inputs, self.starts, self.ends,
                              d.positions if positions is None else positions,
                              d.hidden if hidden is None else hidden,
                              d.attentions if attentions is None else attentions)
        if getattr(self, "view", None) is not None:
            self.view.value = html.explorer_box(render_return(self.data, self.as_tuple),
                                                title=self.title)
        return self.data

    def build_widget(self):
        import ipywidgets as w

        self.positions_box = w.Dropdown(options=list(POSITION_CHOICES), value="none",
                                        description="positions")
        self.hidden_box, self.attentions_box, self.tuple_box = option_checkboxes(self.update)
        self.view = w.HTML()
        self.update()
        self.positions_box.observe(lambda c: self.update(positions=c["new"]), names="value")
        return w.VBox([w.HBox([self.positions_box, self.hidden_box]),
                       w.HBox([self.attentions_box, self.tuple_box]), self.view])
