"""The windows explorer: how a long context is cut into overlapping windows.

A context longer than one window is encoded as several windows
(``return_overflowing_tokens=True``), each repeating the last ``doc_stride``
context tokens of the one before. The explorer draws every window as a bar over
the context's tokens and shows the context text with the chosen window
highlighted (characters it shares with another window in orange). With a model,
each window's own best answer is marked, and the answer chosen across windows.

``windows_data`` is the JSON the view (``web/views/windows.js``, in a kernel and on the
site) draws; the page computes the same with ``web/compute/windows.js``. A book built on
another checkpoint records each example at every (max_seq_len, doc_stride) of the
explorer's ``max_seq_lens`` x ``strides``, with each window picked
(:meth:`WindowsExplorer.recorded_states`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from hfanatomy import qa
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.qa_inputs import require_tokens

__all__ = ["WindowsExplorer", "WindowsView", "WindowSpan", "windows_data", "windows_view"]


@dataclass
class WindowSpan:
    """One window over the context: token and character ranges (inclusive tokens)."""

    index: int
    first_token: int  # index among all context tokens
    last_token: int
    first_char: int
    end_char: int  # exclusive
    best: qa.Answer | None = None  # this window's own best span (with a model)
    best_tokens: tuple[int, int] | None = None  # its (first, last) index among context tokens


@dataclass
class WindowsView:
    """The data the explorer draws for one (question, context, max_seq_len, doc_stride)."""

    question: str
    context: str
    max_seq_len: int
    doc_stride: int
    room: int  # context tokens per window
    num_context_tokens: int
    windows: list[WindowSpan] = field(default_factory=list)
    chosen: qa.Answer | None = None  # the answer chosen across windows (with a model)
    error: str | None = None  # why these settings make no windows (doc_stride too large...)


def windows_view(tokenizer, question: str, context: str, max_seq_len: int = 384,
                 doc_stride: int = 128, model=None, max_answer_len: int = 15) -> WindowsView:
    """Cut ``context`` into windows and, given a model, read each window's best span."""
    view = WindowsView(question, context, max_seq_len, doc_stride, 0, 0)
    try:
        view.room = qa.context_room(question, tokenizer, max_seq_len)
        w = qa.encode_windows(question, context, tokenizer, max_seq_len, doc_stride)
    except ValueError as exc:
        view.error = str(exc)
        return view
    # window i holds context tokens i * (room - doc_stride) onwards (the tokenizer's
    # truncation with a stride); first[i] is its first one's number among all context tokens
    first = [i * (view.room - doc_stride) for i in range(w.num_windows)]
    positions = []  # (n_i,) positions of each window's context tokens
    for i in range(w.num_windows):
        idx = w.context_mask[i].nonzero().flatten().tolist()
        positions.append(idx)
        a, b = int(w.offsets[i, idx[0], 0]), int(w.offsets[i, idx[-1], 1])
        view.windows.append(WindowSpan(i, first[i], first[i] + len(idx) - 1, a, b))
    view.num_context_tokens = view.windows[-1].last_token + 1

    def order(i: int, t: int) -> int:  # token t of window i -> its number among context tokens
        return first[i] + positions[i].index(t)

    if model is not None:
        start, end = qa.run_model(model, w)
        per_window = qa.top_spans(qa.span_scores(start, end, w.context_mask, max_answer_len,
                                                 False, w.null_index), 1)
        for i, sp in enumerate(per_window):
            if sp:
                a, b = int(w.offsets[i, sp[0].start, 0]), int(w.offsets[i, sp[0].end, 1])
                view.windows[i].best = qa.Answer(context[a:b], a, b, sp[0].score, i,
                                                 sp[0].start, sp[0].end)
                view.windows[i].best_tokens = (order(i, sp[0].start), order(i, sp[0].end))
        view.chosen = qa.decode(w, start, end, max_answer_len=max_answer_len,
                                align_to_words=False)[0][0]
    return view


def _whole(value, name: str) -> int:
    """A setting as an int (missing: 0); 12.5 or "abc" is an error, as in the page."""
    value = 0 if value is None else value
    try:
        n = float(value)
    except (TypeError, ValueError):
        n = math.nan
    if not n.is_integer():
        raise ValueError(f"max_seq_len, doc_stride and window must be integers ({name}={value}).")
    return int(n)


def windows_data(tokenizer, state: dict, model=None, max_answer_len: int = 15,
                 views: dict | None = None) -> dict:
    """The JSON the live windows view draws for ``state`` (question, context, max_seq_len,
    doc_stride, window: 0 = all or 1..n, answers: read each window's best span with
    ``model``). Characters are Python's (code points). Bad settings raise ValueError.

    ``views``, a dict kept by the caller, holds the last :func:`windows_view` result: picking
    another window of the same texts and settings does not run the model again."""
    question, context = state.get("question"), state.get("context")
    for name, text in (("question", question), ("context", context)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} is empty (or only whitespace); an extractive QA model "
                             "needs a non-empty question and a non-empty context.")
    m, s, k = (_whole(state.get(key), key) for key in ("max_seq_len", "doc_stride", "window"))
    require_tokens(tokenizer, context)
    answers = bool(state.get("answers"))
    if answers and model is None:
        raise ValueError("this explorer has no model: it cannot read answers from the windows.")
    key = (question, context, m, s, answers)
    view = (views or {}).get(key)
    if view is None:
        view = windows_view(tokenizer, question, context, m, s, model if answers else None,
                            max_answer_len)
        if views is not None:
            views.clear()
            views[key] = view
    if view.error:
        raise ValueError(view.error)
    warnings = []
    selected = k - 1 if 1 <= k <= len(view.windows) else None
    if k > len(view.windows):
        warnings.append(f"there is no window {k}: max_seq_len={m} and doc_stride={s} make "
                        f"{len(view.windows)} window(s); all are shown.")

    def answer(a: qa.Answer | None, tokens: tuple[int, int] | None = None) -> dict | None:
        if a is None:
            return None
        out = {"text": a.text, "start": a.start, "end": a.end, "score": a.score,
               "window": a.window}
        if tokens is not None:
            out["first_token"], out["last_token"] = tokens
        return out

    return {
        "max_seq_len": m, "doc_stride": s, "room": view.room,
        "num_context_tokens": view.num_context_tokens,
        "windows": [{"first_token": w.first_token, "last_token": w.last_token,
                     "first_char": w.first_char, "end_char": w.end_char,
                     "best": answer(w.best, w.best_tokens)} for w in view.windows],
        "answers": answers,
        "chosen": answer(view.chosen),
        "selected": selected,
        "warnings": warnings,
    }


class WindowsExplorer(LiveExplorer):
    """Windows with a stride over one long context.

    ``WindowsExplorer(tokenizer, question, context, max_seq_lens=(64, 128, 384),
    strides=(8, 16, 32), model=None, examples=None)``. Live (``web/views/windows.js``):
    question and context boxes, max_seq_len, doc_stride and window sliders, and with a
    model each window's own best span. ``examples`` adds ``{label: (question, context)}``
    to the picker. ``max_seq_lens[0]`` and ``strides[1]`` (or the only one) are the
    examples' settings; a recorded page (another checkpoint) holds every
    ``max_seq_lens`` x ``strides`` pair.
    """

    kind = "windows"
    title = "Windows explorer: a long context cut into overlapping windows"
    caption = ("Each bar is one window over the context's tokens; orange is what a window "
               "repeats from the one before. In the text (window: all), windows alternate "
               "yellow and blue and shared characters are orange; pick one window to see only "
               "its characters. Red marks the best span each window finds on its own.")

    def __init__(self, tokenizer, question: str, context: str,
                 max_seq_lens: Sequence[int] = (64, 128, 384),
                 strides: Sequence[int] = (8, 16, 32), model=None, max_answer_len: int = 15,
                 examples: dict[str, tuple[str, str]] | None = None):
        qa._as_list(question, "question")
        qa._as_list(context, "context")
        self.tokenizer, self.model = tokenizer, model
        self.question, self.context = question, context
        self.max_seq_lens = [int(m) for m in max_seq_lens]
        self.strides = [int(s) for s in strides]
        self.max_answer_len = max_answer_len
        self.examples = {"the chapter's context": (question, context), **(examples or {})}
        self._views: dict = {}  # windows_data's last view (a window picked: no new run)

    @property
    def _stride0(self) -> int:
        return self.strides[min(1, len(self.strides) - 1)]

    def _limit(self) -> int:
        """The longest window the slider offers: the model's positions (512 without one)."""
        n = qa._position_limit(self.model) if self.model is not None else None
        return int(n or 512)

    def _example_state(self, question: str, context: str) -> dict:
        return {"question": question, "context": context, "max_seq_len": self.max_seq_lens[0],
                "doc_stride": self._stride0, "window": 0, "answers": self.model is not None}

    def config(self) -> dict:
        return {"title": self.title, "caption": self.caption,
                "examples": {k: self._example_state(q, c) for k, (q, c) in self.examples.items()},
                "can_answer": self.model is not None, "max_answer_len": self.max_answer_len,
                "min_seq_len": 16, "max_seq_len_limit": self._limit(), "max_stride": 256}

    def initial_state(self) -> dict:
        label = next(iter(self.examples))
        return {"example": label, **self._example_state(*self.examples[label])}

    def compute(self, state: dict) -> dict:
        """:func:`windows_data` for ``state`` with this explorer's tokenizer and model."""
        return windows_data(self.tokenizer, state, self.model, self.max_answer_len,
                            self._views)

    def recorded_variants(self) -> list[dict]:
        pairs = [{"max_seq_len": m, "doc_stride": s}
                 for m in self.max_seq_lens for s in self.strides]
        first = {"max_seq_len": self.max_seq_lens[0], "doc_stride": self._stride0}
        return [first] + [p for p in pairs if p != first] + (
            [{"answers": False}] if self.model is not None else [])

    def recorded_states(self) -> list[dict]:
        """Each example at every (max_seq_len, doc_stride) and without the model's answers
        (:meth:`recorded_variants`), then, for each of those settings, every window picked
        (the window slider's 1..n)."""
        states = super().recorded_states()
        for state in list(states):
            if state.get("answers") != (self.model is not None):
                continue
            try:  # how many windows: the tokenizer alone says
                n = len(windows_data(self.tokenizer, {**state, "answers": False})["windows"])
            except ValueError:
                continue
            for k in range(1, n + 1):
                if {**state, "window": k} not in states:
                    states.append({**state, "window": k})
        return states
