"""Live explorers: Python computes the data, one JavaScript view draws it everywhere.

A live explorer (a subclass of :class:`LiveExplorer`) says what it draws in three pure
pieces, all JSON:

* ``config()``: what never changes (title, caption, examples as ``{label: state}``...);
* ``initial_state()``: the inputs it opens on (text, layer, temperature...);
* ``compute(state)``: the data its view draws for those inputs, made with the package's
  pure functions (tested against transformers).

The drawing is ``src/hfanatomy/web/views/<kind>.js``, an ES module with anywidget's
``render({model, el})``. It runs

* in a kernel (JupyterLab, VS Code, Colab) as :class:`LiveView`, an anywidget whose
  ``state`` the view sets and whose ``data`` Python recomputes with ``compute``; and
* on the static site, where ``web/page.js`` runs the same ``render`` over a plain-object
  model and computes new states in the page with ``web/compute/<kind>.js``, which mirrors
  ``compute`` step for step (the tests hold the two equal).

``static_html()`` (what the site's page holds) is the explorer's root: the model as JSON
and a ``<noscript>`` line; there is no second drawing. An explorer fed by a checkpoint other
than the embedded ones (the page can run only those) is *recorded*: its model carries the
data of :meth:`LiveExplorer.recorded_states` (the first state and each example), its
example picker offers those only, and the page answers any other state with
:data:`RECORDED_ONLY`.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
from typing import Any

import anywidget
import traitlets

from hfanatomy import html as H
from hfanatomy.explorers.base import Explorer
from hfanatomy.models import EMBEDDED_DIRS

__all__ = ["NOSCRIPT", "RECORDED_BUDGET", "RECORDED_ONLY", "LiveExplorer", "LiveView",
           "embedded_name", "jsonable", "model_json"]

#: what a page says for a state a recorded explorer does not hold (web/page.js, word for word)
RECORDED_ONLY = ("this view was recorded when the book was built, for the examples it offers "
                 "only: pick one of them, or run the chapter as a notebook to change it")
#: what a reader with JavaScript off sees in place of an explorer
NOSCRIPT = ("This explorer is drawn by JavaScript, which is off in this browser: turn it on "
            "to see it, or run the chapter as a notebook.")
#: the most bytes of JSON a recorded explorer's states may take in a page (1.5 MB a page)
RECORDED_BUDGET = 400_000


def jsonable(x: Any) -> Any:
    """``x`` as plain JSON values: tensors and arrays to lists, tuples to lists, NaN and
    infinities to None (what ``JSON.stringify`` makes of them in the page)."""
    if hasattr(x, "detach"):  # a torch tensor
        x = x.detach().cpu().tolist()
    elif hasattr(x, "tolist") and not isinstance(x, (str, bytes)):  # numpy
        x = x.tolist()
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, bool) or x is None or isinstance(x, (int, str)):
        return x
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    raise TypeError(f"not JSON data: {type(x).__name__}")


def model_json(obj: Any) -> str:
    """JSON for a ``<script type="application/json">``: no ``</`` or ``<!--`` inside."""
    text = json.dumps(jsonable(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def embedded_name(*objects: Any) -> str | None:
    """"classifier" or "qa" when every given model / tokenizer was loaded from that embedded
    folder (its ``name_or_path``), else None."""
    from pathlib import Path

    names = set()
    for obj in objects:
        if obj is None:
            continue
        where = str(getattr(obj, "name_or_path", "")
                    or getattr(getattr(obj, "config", None), "_name_or_path", "") or "")
        try:
            resolved = Path(where).resolve() if where else None
        except (OSError, ValueError):
            resolved = None
        names.add(next((n for n, d in EMBEDDED_DIRS.items() if resolved == d), None))
    return names.pop() if len(names) == 1 else None


class _Messages(logging.Handler):
    """Collects what transformers logs (e.g. "Token indices sequence length is longer...")."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage().strip())


class LiveExplorer(Explorer):
    """An explorer drawn by ``web/views/<kind>.js`` in every host (see the module docstring)."""

    #: the view's name: ``web/views/<kind>.js`` and ``web/compute/<kind>.js``
    kind: str = ""
    #: True for an explorer only Python can compute (it calls the model with options, or
    #: shows a Python object): always recorded on a page, whatever the model
    python_only: bool = False
    #: why a recorded page holds recorded states only: the line under its root
    recorded_why: str = ("this page was built with a checkpoint other than the book's "
                         "embedded models, and only those run in the browser, so it shows the "
                         "examples recorded at build time. Run the chapter as a notebook to "
                         "type your own.")

    def config(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def initial_state(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def compute(self, state: dict) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def sources(self) -> tuple:
        """The model and / or tokenizer the explorer computes with (for :meth:`embedded`)."""
        return (getattr(self, "model", None), getattr(self, "tokenizer", None))

    @property
    def embedded(self) -> str | None:
        """Which embedded model the page must load ("classifier" / "qa"); None if foreign or
        ``python_only`` (the page then holds recorded states)."""
        return None if self.python_only else embedded_name(*self.sources())

    def run(self, state: dict) -> tuple[dict | None, str]:
        """``(compute(state), status)``: the status line carries what the computation warned
        (Python warnings, transformers' log), or the error a bad input raised, in one line."""
        handler = _Messages()
        log = logging.getLogger("transformers")
        log.addHandler(handler)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                data = jsonable(self.compute(dict(state)))
        except Exception as err:  # noqa: BLE001 - shown to the reader, not raised in a widget
            return None, f"error: {err}"
        finally:
            log.removeHandler(handler)
        notes = [str(w.message) for w in caught] + handler.lines
        return data, " · ".join(dict.fromkeys(notes))

    def live_model(self) -> dict:
        """config, state and data of the first state: what a view opens on."""
        state = jsonable(self.initial_state())
        data, status = self.run(state)
        if data is None:
            raise ValueError(f"{self.title}: the first state does not compute ({status})")
        config = {**jsonable(self.config()), "needs": self.embedded}  # the page's model
        return {"kind": self.kind, "config": config, "state": state,
                "data": data, "status": status}

    def recorded_states(self) -> list[dict]:
        """The states a recorded page holds: the first, then each example as the view's
        example picker sets it (the first state, the examples' inputs cleared, the example's
        values, ``example`` = its label), each with every :meth:`recorded_variants`."""
        first = jsonable(self.initial_state())
        examples = jsonable(self.config()).get("examples") or {}
        inputs = {k for e in examples.values() if isinstance(e, dict) for k in e}
        states = []
        bases = [first] + [{**first, **{k: None for k in inputs}, **e, "example": label}
                           for label, e in examples.items() if isinstance(e, dict)]
        for base in bases:
            for variant in self.recorded_variants():
                state = {**base, **jsonable(variant)}
                if state not in states:
                    states.append(state)
        return states

    def recorded_variants(self) -> list[dict]:
        """Settings recorded for every example besides the first state's (e.g. both padding
        sides); ``[{}]``: the first state's only."""
        return [{}]

    def recorded_model(self) -> dict:
        """The model of a recorded page: :meth:`live_model` with ``recorded`` (the data of
        each state of :meth:`recorded_states` that computes, within RECORDED_BUDGET bytes)
        and ``config.examples`` cut to the examples recorded."""
        model = self.live_model()
        recorded, size = [], 0
        for state in self.recorded_states():
            # the first state was computed by live_model(): not again
            data = model["data"] if state == model["state"] else self.run(state)[0]
            if data is None:
                continue
            size += len(model_json({"state": state, "data": data}))
            if recorded and size > RECORDED_BUDGET:
                break
            recorded.append({"state": state, "data": data})
        kept = {r["state"].get("example") for r in recorded}
        examples = model["config"].get("examples")
        if isinstance(examples, dict):
            model["config"]["examples"] = {k: v for k, v in examples.items() if k in kept}
        model["config"]["needs"] = None
        model["recorded"] = recorded
        return model

    def static_html(self) -> str:
        name = self.embedded
        model = self.live_model() if name else self.recorded_model()
        root = (f'<div class="hfa-live" data-hfa-live="{H.esc(self.kind)}" '
                f'data-hfa-needs="{H.esc(name or "")}">'
                f'<script type="application/json" data-hfa-model>{model_json(model)}</script>'
                f'<noscript><div class="hfa-note">{H.esc(NOSCRIPT)}</div></noscript>'
                f'</div><!--/hfa-live-->')
        if name is None:
            return root + (f'<p class="hfa-note" data-hfa-recorded>Recorded view: '
                           f'{H.esc(self.recorded_why)}</p>')
        return (root + f'<p class="hfa-model-line" data-hfa-model-line="{H.esc(name)}">'
                f'{MODEL_LINES[name]} <a href="{MODELS_PAGE}">What it knows and where it '
                f'fails</a>.</p>')

    def build_widget(self):
        return LiveView(self)


#: one line under every live explorer of the site: which model runs, and where it is described
MODEL_LINES = {
    "classifier": "Runs the book's embedded classifier in your browser: a 1.5 M-parameter "
                  "RoBERTa trained from scratch on generated English and Korean reviews.",
    "qa": "Runs the book's embedded QA model in your browser: a small BERT trained from "
          "scratch on generated paragraphs about people.",
}
MODELS_PAGE = "../appendix/models.html"  # from book/part1/ and book/part2/ pages


class LiveView(anywidget.AnyWidget):
    """The kernel's view of a live explorer: the kind's ES module, ``state`` set by the
    view, ``data`` and ``status`` recomputed here on every change of ``state``."""

    _esm = traitlets.Unicode().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)
    data = traitlets.Dict().tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    def __init__(self, explorer: LiveExplorer):
        from hfanatomy.web.assets import view_module

        self._explorer = explorer
        first = explorer.live_model()
        super().__init__(_esm=view_module(explorer.kind), config=first["config"],
                         state=first["state"], data=first["data"], status=first["status"])

    @traitlets.observe("state")
    def _recompute(self, change) -> None:
        data, status = self._explorer.run(change["new"])
        if data is not None:
            self.data = data
        self.status = status
