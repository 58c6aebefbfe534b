"""Watch one forward pass: which module ran, in what order, with what shapes.

:func:`trace` runs the model once under ``torch.no_grad()`` with a forward
pre-hook and a forward hook on every submodule (or on those whose qualified
names match ``modules`` patterns). Each call becomes a :class:`CallRecord`:
qualified name, class, nesting depth, the shapes of its inputs (positional
arguments named after the ``forward`` parameters) and of its output (tensors,
tuples, ``ModelOutput``/dicts, ``None``). For the modules named in ``keep`` the
actual input and output tensors are kept too::

    from hfanatomy.tracing import trace
    t = trace(model, **tokenizer(["a fine film"], return_tensors="pt"),
              keep=["roberta.embeddings", "classifier"])
    t.find("classifier").inputs      # {'features': (1, 5, 768)}
    t.tensors["classifier"]          # the logits, (1, num_labels)
    t.table(depth=3)                 # HTML table in a notebook, text with print()

Records are in *call order* (the order in which modules start running, which
is the execution order, parents before their children). Hooks are removed when
the pass ends, also when it fails. The model's mode (``eval``/``train``) is
left as it is; trace an ``eval()`` model to get deterministic dropout.
"""

from __future__ import annotations

import difflib
import fnmatch
import html as _html
import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

__all__ = ["CallRecord", "Trace", "TraceTable", "describe", "trace"]

ROOT = ""  # qualified name of the model itself (as in ``model.named_modules()``)


@dataclass
class CallRecord:
    """One call of one module during the traced forward pass.

    Attributes:
        index: position in call order (0 = the first module to start running).
        name: qualified name as in ``model.named_modules()`` (``""`` for the model itself).
        class_name: the module's class (``"RobertaEmbeddings"``, ``"Linear"``...).
        depth: nesting depth among the *traced* calls running at that moment (0 = outermost).
        parent: ``index`` of the traced call this one ran inside, or ``None``.
        call: 0 for the module's first call, 1 for its second... (most modules run once).
        inputs: argument name -> shape summary (see :func:`describe`), for arguments that were
            passed and are not ``None``; positional arguments are named after ``forward``'s
            parameters (``hidden_states``, ``features``...).
        output: shape summary of what ``forward`` returned (``None`` until it returns).
        output_type: class name of the output (``"Tensor"``, ``"tuple"``, ``"BaseModelOutput"``...).
        kept_inputs: for kept modules, argument name -> the actual value (tensors cloned).
        kept_output: for kept modules, the actual output (tensors cloned), else ``None``.
        kept: whether this module's values were kept.
    """

    index: int
    name: str
    class_name: str
    depth: int
    parent: int | None
    call: int
    inputs: dict[str, Any]
    output: Any = None
    output_type: str = ""
    kept_inputs: dict[str, Any] | None = None
    kept_output: Any = None
    kept: bool = False
    finished: bool = False
    parent_name: str | None = None

    @property
    def label(self) -> str:
        """The name to show: the qualified name, ``(model)`` for the root."""
        return self.name if self.name != ROOT else "(model)"

    @property
    def short_label(self) -> str:
        """The name relative to the enclosing traced call (``layer.0`` inside ``roberta.encoder``)."""
        p = self.parent_name
        if p and self.name.startswith(p + "."):
            return self.name[len(p) + 1:]
        return self.label

    def __str__(self) -> str:
        ins = ", ".join(f"{k}={format_summary(v)}" for k, v in self.inputs.items())
        return f"{self.label} [{self.class_name}]({ins}) -> {format_summary(self.output)}"


@dataclass
class Trace:
    """The result of :func:`trace`.

    Attributes:
        records: one :class:`CallRecord` per module call, in call order.
        output: what the model returned (e.g. ``SequenceClassifierOutput``).
        tensors: kept module name -> its output (first call), for the names in ``keep``.
        inputs: kept module name -> its inputs (argument name -> value), first call.
        not_called: traced modules whose ``forward`` never ran (e.g. a pooler-less model has no
            pooler at all, but modules such as an unused dropout show up here).
    """

    records: list[CallRecord]
    output: Any
    tensors: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_called: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Qualified names in call order (a module called twice appears twice)."""
        return [r.name for r in self.records]

    def find(self, name: str, call: int = 0) -> CallRecord:
        """The record of module ``name`` (its ``call``-th call); KeyError with suggestions."""
        for r in self.records:
            if r.name == name and r.call == call:
                return r
        known = sorted({r.name for r in self.records})
        close = difflib.get_close_matches(name, known, n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        if name in known:
            raise KeyError(f"module {name!r} ran fewer than {call + 1} times")
        raise KeyError(f"no traced call of module {name!r}{hint} (names are qualified as in "
                       "model.named_modules(), e.g. 'roberta.embeddings'; the model itself is '')")

    def select(self, pattern: str) -> list[CallRecord]:
        """Records whose name matches a glob ``pattern`` (``"roberta.encoder.layer.*.output"``)."""
        return [r for r in self.records if fnmatch.fnmatchcase(r.name, pattern)]

    def table(self, depth: int | None = None, *, names: str | None = None,
              flags: bool = False) -> TraceTable:
        """A table of the calls, to display (HTML in a notebook, aligned text with ``print``).

        ``depth``: deepest nesting level shown (0 = the model only); ``names``: a glob pattern
        to show only some modules; ``flags``: also list non-tensor arguments (``use_cache``...).
        """
        rows = [r for r in self.records
                if (depth is None or r.depth <= depth)
                and (names is None or fnmatch.fnmatchcase(r.name, names))]
        return TraceTable(rows, flags=flags)

    def __repr__(self) -> str:
        return (f"<Trace: {len(self.records)} calls, output {type(self.output).__name__}, "
                f"kept {sorted(self.tensors)}>")

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()


@dataclass
class TraceTable:
    """Rows of a :class:`Trace` to display: ``_repr_html_`` in notebooks, ``str`` as text."""

    rows: list[CallRecord]
    flags: bool = False
    title: str = "One forward pass, module by module"

    def as_rows(self) -> list[tuple[str, str, str, str, str]]:
        """(order, indented module name, class, inputs, output) per row, as strings.

        Inputs list the tensor arguments (and, with ``flags=True``, the other arguments too,
        e.g. ``return_dict: True``); a ``ModelOutput`` is prefixed with its class name.
        """
        out = []
        for r in self.rows:
            ins = ", ".join(f"{k}: {format_summary(v)}" for k, v in r.inputs.items()
                            if self.flags or _has_tensor(v))
            res = format_summary(r.output)
            if r.output_type not in ("Tensor", "tuple", "list", "dict", "NoneType", ""):
                res = r.output_type + res
            out.append((str(r.index), "  " * r.depth + r.label, r.class_name, ins, res))
        return out

    def __str__(self) -> str:
        header = ("#", "module", "class", "inputs", "output")
        rows = [header, *self.as_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = []
        for row in rows:
            cells = [row[i].ljust(widths[i]) if i else row[i].rjust(widths[i]) for i in range(4)]
            lines.append("  ".join(cells) + "  " + row[4])
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        """A compact, self-contained table (inline styles only): names relative to the parent
        call, indented by depth, the full qualified name on hover and in ``data-name``."""
        esc = _html.escape
        cell = "padding:2px 8px;border-bottom:1px solid #eaeef2;vertical-align:top;"
        head = "".join(f'<th style="{cell}text-align:left;background:#f6f8fa">{h}</th>'
                       for h in ("#", "module", "class", "inputs", "output"))
        body = []
        for r, (idx, _, cls, _ins, res) in zip(self.rows, self.as_rows(), strict=True):
            muted = "color:#8c959f;" if r.class_name in _QUIET else ""
            ins = "<br>".join(
                f'{esc(k)} <b style="font-weight:600">{esc(format_summary(v))}</b>'
                for k, v in r.inputs.items() if self.flags or _has_tensor(v))
            body.append(
                f'<tr data-name="{esc(r.name)}" style="{muted}">'
                f'<td style="{cell}color:#8c959f;text-align:right">{idx}</td>'
                f'<td style="{cell}padding-left:{8 + 14 * r.depth}px;white-space:nowrap" '
                f'title="{esc(r.label)}">{esc(r.short_label)}</td>'
                f'<td style="{cell}">{esc(cls)}</td>'
                f'<td style="{cell}white-space:nowrap">{ins}</td>'
                f'<td style="{cell}"><b style="font-weight:600">{esc(res)}</b></td></tr>')
        title = f'<div style="font-weight:600;margin-bottom:4px">{esc(self.title)}</div>'
        return ('<div class="hfa-trace" style="font-family:ui-monospace,SFMono-Regular,Menlo,'
                'Consolas,monospace;font-size:12px;color:#1f2328;background:#fff;border:1px solid '
                '#d0d7de;border-radius:6px;padding:6px 8px;margin:0.5em 0;overflow-x:auto">'
                f'{title}<table style="border-collapse:collapse;margin:0">'
                f"<tr>{head}</tr>{''.join(body)}</table></div>")


# classes whose rows are shown muted (shape-preserving plumbing)
_QUIET = {"Dropout", "GELUActivation", "Tanh", "Identity"}


# ---------------------------------------------------------------------- summaries


def describe(value: Any) -> Any:
    """A shape summary of any forward input or output.

    Tensor -> tuple of ints (``(2, 7, 32)``); tuple/list -> list of summaries; ``ModelOutput``
    and dicts -> dict of the non-``None`` fields' summaries; ``None`` -> ``None``; numbers,
    strings and booleans -> themselves; anything else -> its class name.
    """
    if isinstance(value, torch.Tensor):
        return tuple(value.shape)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):  # ModelOutput is an OrderedDict of its non-None fields
        return {str(k): describe(v) for k, v in value.items() if v is not None}
    if isinstance(value, (tuple, list)):
        return [describe(v) for v in value]
    return type(value).__name__


def _has_tensor(summary: Any) -> bool:
    if isinstance(summary, tuple):
        return True
    if isinstance(summary, list):
        return any(_has_tensor(s) for s in summary)
    if isinstance(summary, dict):
        return any(_has_tensor(s) for s in summary.values())
    return False


def format_summary(summary: Any) -> str:
    """Text for a :func:`describe` summary: ``(2, 7, 32)``, ``[(2, 7, 32), None]``..."""
    if isinstance(summary, tuple):
        return "(" + ", ".join(str(d) for d in summary) + ("," if len(summary) == 1 else "") + ")"
    if isinstance(summary, list):
        return "[" + ", ".join(format_summary(s) for s in summary) + "]"
    if isinstance(summary, dict):
        return "{" + ", ".join(f"{k}: {format_summary(v)}" for k, v in summary.items()) + "}"
    if summary is None:
        return "None"
    return str(summary)


def _clone(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, Mapping) and not hasattr(value, "to_tuple"):
        return {k: _clone(v) for k, v in value.items()}
    if hasattr(value, "to_tuple"):  # ModelOutput: same class, cloned tensors
        return type(value)(**{k: _clone(v) for k, v in value.items()})
    if isinstance(value, tuple):
        return tuple(_clone(v) for v in value)
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _named_arguments(module: nn.Module, args: tuple, kwargs: dict) -> dict[str, Any]:
    """Positional args named after ``module.forward``'s parameters; ``**kwargs`` flattened."""
    try:
        bound = inspect.signature(module.forward).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        named = {f"arg{i}": a for i, a in enumerate(args)}
        named.update(kwargs)
        return named
    params = inspect.signature(module.forward).parameters
    named: dict[str, Any] = {}
    for key, val in bound.arguments.items():
        kind = params[key].kind
        if kind is inspect.Parameter.VAR_KEYWORD:
            named.update(val)
        elif kind is inspect.Parameter.VAR_POSITIONAL:
            named.update({f"{key}[{i}]": v for i, v in enumerate(val)})
        else:
            named[key] = val
    return named


# ---------------------------------------------------------------------- trace


def trace(model: nn.Module, *args: Any, modules: str | Iterable[str] | None = None,
          keep: str | Iterable[str] = (), **inputs: Any) -> Trace:
    """Run ``model(*args, **inputs)`` once under ``torch.no_grad()`` and record every module call.

    Args:
        model: any ``torch.nn.Module`` (e.g. ``RobertaForSequenceClassification``).
        *args, **inputs: what you would pass to the model (``input_ids=..., attention_mask=...``,
            or ``**tokenizer(...)``). A single positional mapping (a tokenizer's
            ``BatchEncoding``) is unpacked into keyword arguments.
        modules: glob patterns (``fnmatch``: ``*`` also matches dots) on qualified names
            (``"roberta.encoder.layer.0.*"``, ``"*.attention.self"``); only matching modules
            are traced. ``None``: every module, the model itself (``""``)
            included.
        keep: names or glob patterns of modules whose actual inputs and outputs are kept
            (``trace.tensors[name]``, ``trace.inputs[name]``); always traced.

    Returns:
        :class:`Trace` with the records in call order and the model's output.

    Raises:
        TypeError if ``model`` is not a module; ValueError if a ``modules``/``keep`` pattern
        matches no module (with close names). Errors of the forward pass itself propagate
        unchanged, after the hooks are removed.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"trace needs a torch.nn.Module (a model), got {type(model).__name__}")
    if len(args) == 1 and isinstance(args[0], Mapping) and not inputs:
        inputs, args = dict(args[0]), ()
    mod_patterns = _patterns("modules", modules)
    keep_patterns = _patterns("keep", keep)

    named = list(model.named_modules(remove_duplicate=False))
    all_names = [n for n, _ in named]
    _check_patterns("modules", mod_patterns, all_names)
    _check_patterns("keep", keep_patterns, all_names)

    def matches(name: str, patterns: list[str] | None) -> bool:
        return any(fnmatch.fnmatchcase(name, p) for p in patterns or ())

    records: list[CallRecord] = []
    stack: list[CallRecord] = []
    counts: dict[str, int] = {}
    handles = []
    traced: list[str] = []

    def make_hooks(name: str, kept: bool):
        def pre_hook(module, hook_args, hook_kwargs):
            values = _named_arguments(module, hook_args, hook_kwargs)
            rec = CallRecord(
                index=len(records), name=name, class_name=type(module).__name__,
                depth=len(stack), parent=stack[-1].index if stack else None,
                parent_name=stack[-1].name if stack else None,
                call=counts.get(name, 0),
                inputs={k: describe(v) for k, v in values.items() if v is not None},
                kept=kept,
                kept_inputs={k: _clone(v) for k, v in values.items() if v is not None}
                if kept else None)
            counts[name] = rec.call + 1
            records.append(rec)
            stack.append(rec)

        def post_hook(module, hook_args, hook_kwargs, output):
            # the innermost unfinished record of this module is the one ending now
            while stack and stack[-1].name != name:
                stack.pop()  # a traced child that raised and was caught inside forward
            if not stack:
                return
            rec = stack.pop()
            rec.output = describe(output)
            rec.output_type = type(output).__name__
            rec.finished = True
            if kept:
                rec.kept_output = _clone(output)

        return pre_hook, post_hook

    seen: set[int] = set()
    for name, module in named:
        if id(module) in seen and name:  # shared module object: hook it once (first name)
            continue
        want = mod_patterns is None or matches(name, mod_patterns)
        kept = matches(name, keep_patterns)
        if not (want or kept):
            continue
        seen.add(id(module))
        traced.append(name)
        pre, post = make_hooks(name, kept)
        try:
            handles.append(module.register_forward_pre_hook(pre, with_kwargs=True))
            handles.append(module.register_forward_hook(post, with_kwargs=True))
        except BaseException:
            for h in handles:
                h.remove()
            raise
    try:
        with torch.no_grad():
            output = model(*args, **inputs)
    finally:
        for h in handles:
            h.remove()

    result = Trace(records=records, output=output)
    for rec in records:
        if rec.kept and rec.call == 0:
            result.tensors[rec.name] = rec.kept_output
            result.inputs[rec.name] = rec.kept_inputs or {}
    called = {r.name for r in records}
    containers = {n for n, m in named if isinstance(m, (nn.ModuleList, nn.ModuleDict))}
    result.not_called = [n for n in traced if n not in called and n not in containers]
    return result


def _patterns(what: str, value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    out = list(value)
    if not all(isinstance(p, str) for p in out):
        raise TypeError(f"{what} must be a module name/glob pattern or a list of them, got {value!r}")
    return out


def _check_patterns(what: str, patterns: list[str] | None, names: list[str]) -> None:
    for p in patterns or ():
        if not any(fnmatch.fnmatchcase(n, p) for n in names):
            close = difflib.get_close_matches(p, [n for n in names if n], n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(f"{what} pattern {p!r} matches no module of this model{hint} "
                             "(qualified names as in model.named_modules(), e.g. "
                             "'roberta.embeddings', 'classifier.dense', 'roberta.encoder.layer.*')")
