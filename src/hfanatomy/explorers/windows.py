"""The windows explorer: how a long context is cut into overlapping windows.

A context longer than one window is encoded as several windows
(``return_overflowing_tokens=True``), each repeating the last ``doc_stride``
context tokens of the one before. The explorer draws every window as a bar over
the context's tokens and shows the context text with the chosen window
highlighted (characters it shares with another window in orange). With a model,
each window's own best answer is marked, and the answer chosen across windows.

``windows_data`` is the JSON the live view (``web/views/windows.js``, in a kernel and
on the site) draws; the page computes the same with ``web/compute/windows.js``. The
recorded view (JavaScript off, or another checkpoint) has pre-rendered states for a few
max_seq_len and doc_stride values and each window.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from hfanatomy import html, qa
from hfanatomy.explorers.live import LiveExplorer

_FILL = ["#ffffff", "#fff3b0", "#ffc680", "#f0883e", "#d1591c"]  # by windows covering a char


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


#: the error for a context the tokenizer makes nothing of (control characters only, say)
NO_TOKENS = "the context has no token: the tokenizer drops every character of it."


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


def windows_data(tokenizer, state: dict, model=None, max_answer_len: int = 15) -> dict:
    """The JSON the live windows view draws for ``state`` (question, context, max_seq_len,
    doc_stride, window: 0 = all or 1..n, answers: read each window's best span with
    ``model``). Characters are Python's (code points). Bad settings raise ValueError."""
    question, context = state.get("question"), state.get("context")
    for name, text in (("question", question), ("context", context)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} is empty (or only whitespace); an extractive QA model "
                             "needs a non-empty question and a non-empty context.")
    m, s, k = (_whole(state.get(key), key) for key in ("max_seq_len", "doc_stride", "window"))
    if not tokenizer(context, add_special_tokens=False, truncation=True, max_length=1)["input_ids"]:
        raise ValueError(NO_TOKENS)
    answers = bool(state.get("answers"))
    if answers and model is None:
        raise ValueError("this explorer has no model: it cannot read answers from the windows.")
    view = windows_view(tokenizer, question, context, m, s, model if answers else None,
                        max_answer_len)
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


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------
def strip_svg(view: WindowsView, selected: int | None = None) -> str:
    """Every window as a bar over the context tokens; the selected one stands out."""
    n = max(view.num_context_tokens, 1)
    left, width, row = 70, 460, 18
    height = 24 + row * len(view.windows) + 16
    x = lambda t: left + t / n * width  # noqa: E731 - token index -> pixels
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 20}" '
             f'height="{height}" role="img" aria-label="windows over the context tokens">',
             f'<text x="{left}" y="12" font-size="10" fill="#57606a">context token 0</text>',
             f'<text x="{left + width}" y="12" font-size="10" fill="#57606a" '
             f'text-anchor="end">{n - 1}</text>']
    prev_last = -1
    for win in view.windows:
        y = 20 + win.index * row
        on = selected is None or selected == win.index
        op = "1" if on else "0.3"
        parts.append(f'<text x="{left - 6}" y="{y + 12}" font-size="11" text-anchor="end" '
                     f'opacity="{op}">window {win.index + 1}</text>')
        tip = (f"window {win.index + 1}: context tokens {win.first_token}..{win.last_token}, "
               f"characters {win.first_char}..{win.end_char}")
        parts.append(f'<rect x="{x(win.first_token):.1f}" y="{y + 2}" '
                     f'width="{x(win.last_token + 1) - x(win.first_token):.1f}" height="{row - 5}" '
                     f'fill="#fff3b0" stroke="#bf8700" opacity="{op}" data-window="{win.index}" '
                     f'data-value="{win.first_token},{win.last_token}"><title>{html.esc(tip)}'
                     f'</title></rect>')
        if prev_last >= win.first_token:  # the part repeated from the window before
            parts.append(f'<rect x="{x(win.first_token):.1f}" y="{y + 2}" '
                         f'width="{x(prev_last + 1) - x(win.first_token):.1f}" height="{row - 5}" '
                         f'fill="#ffc680" stroke="#bf8700" opacity="{op}"><title>'
                         f'{html.esc(f"tokens {win.first_token}..{prev_last}: also in window {win.index}")}'
                         f'</title></rect>')
        prev_last = win.last_token
        if win.best_tokens is not None:  # this window's own best span
            a, b = win.best_tokens
            tip = f"window {win.index + 1} best span: {win.best.text!r}, score {win.best.score:.4g}"
            parts.append(f'<rect x="{x(a):.1f}" y="{y + row - 6}" '
                         f'width="{max(x(b + 1) - x(a), 2):.1f}" height="4" fill="#cf222e" '
                         f'opacity="{op}" '
                         f'data-answer-window="{win.index}" data-value="{win.best.score:.6g}">'
                         f'<title>{html.esc(tip)}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def text_html(view: WindowsView, selected: int | None = None) -> str:
    """The context with the selected window (or all windows) painted over the characters."""
    ctx = view.context
    cover = [0] * len(ctx)  # windows covering each character
    last = [-1] * len(ctx)  # the last window covering it (its parity tints single cover)
    inside = [False] * len(ctx)  # inside the selected window
    for win in view.windows:
        for c in range(win.first_char, win.end_char):
            cover[c] += 1
            last[c] = win.index
            if selected == win.index:
                inside[c] = True
    marks = [None] * len(ctx)  # the best answer(s) drawn in bold red
    for win in view.windows:
        if win.best is not None and (selected is None or selected == win.index):
            for c in range(win.best.start, win.best.end):
                marks[c] = win.best

    def style(c: int) -> tuple:
        if selected is None:  # one window: yellow / blue by parity; shared: orange
            fill = _FILL[min(cover[c], len(_FILL) - 1)]
            if cover[c] == 1 and last[c] % 2:
                fill = "#dbeafe"
            dim = False
        else:
            fill = (_FILL[2] if cover[c] > 1 else _FILL[1]) if inside[c] else "#ffffff"
            dim = not inside[c]
        return fill, dim, marks[c]

    out, c = [], 0
    while c < len(ctx):
        key = style(c)
        k = c
        while k < len(ctx) and style(k) == key:
            k += 1
        fill, dim, mark = key
        css = f"background:{fill};" + ("color:#8c959f;" if dim else "")
        attrs = ""
        if mark is not None:
            css += "color:#cf222e;font-weight:700;text-decoration:underline;"
            attrs = (f' title="{html.esc(f"window {mark.window + 1} best span: {mark.text!r}, score {mark.score:.4g}")}"'
                     f' data-answer-window="{mark.window}" data-value="{mark.score:.6g}"')
        out.append(f'<span style="{css}"{attrs}>{html.esc(ctx[c:k])}</span>')
        c = k
    return ('<div style="font-family:system-ui,sans-serif;line-height:1.7;font-size:13px;'
            'max-width:600px;white-space:pre-wrap;border:1px solid #d0d7de;padding:6px 8px;'
            f'border-radius:4px">{"".join(out)}</div>')


def windows_table(view: WindowsView) -> str:
    rows = []
    for win in view.windows:
        best = win.best
        rows.append((win.index + 1, f"{win.first_token}..{win.last_token}",
                     f"{win.first_char}..{win.end_char}",
                     repr(best.text) if best else "", f"{best.score:.4g}" if best else ""))
    header = ["window", "context tokens", "characters", "best span in this window", "score"]
    note = ""
    if view.chosen is not None:
        c = view.chosen
        same = [w.index + 1 for w in view.windows
                if w.best and (w.best.start, w.best.end) == (c.start, c.end)]
        note = (f'<div style="margin-top:4px">chosen across windows: <b>{html.esc(repr(c.text))}'
                f'</b> (characters {c.start}..{c.end}, score {c.score:.4g}, from window '
                f'{c.window + 1})' + (f" · the same span is the best of windows "
                                      f"{', '.join(map(str, same))}" if len(same) > 1 else "")
                + "</div>")
    return html.table(header, rows) + note


def render(view: WindowsView, selected: int | None = None) -> str:
    if view.error:
        return f'<div style="color:#cf222e;max-width:760px">{html.esc(view.error)}</div>'
    repeat = (f"the last {view.doc_stride} repeated by the next window" if view.doc_stride
              else "no overlap (doc_stride=0)")
    head = (f'<div style="margin-bottom:2px">{len(view.windows)} window(s) of at most '
            f'{view.max_seq_len} tokens: up to {view.room} context tokens each, {repeat} · '
            f'{view.num_context_tokens} context tokens in all</div>')
    return head + strip_svg(view, selected) + text_html(view, selected) + windows_table(view)


class WindowsExplorer(LiveExplorer):
    """Windows with a stride over one long context.

    ``WindowsExplorer(tokenizer, question, context, max_seq_lens=(64, 128, 384),
    strides=(8, 16, 32), model=None, examples=None)``. Live (``web/views/windows.js``):
    question and context boxes, max_seq_len, doc_stride and window sliders, and with a
    model each window's own best span. ``examples`` adds ``{label: (question, context)}``
    to the picker. The recorded view (JavaScript off) has the ``max_seq_lens`` x
    ``strides`` states.
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
        self._views = {(m, s): windows_view(tokenizer, question, context, m, s, model,
                                            max_answer_len)
                       for m in self.max_seq_lens for s in self.strides}
        self.data = self._views[(self.max_seq_lens[0], self._stride0)]

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
        return windows_data(self.tokenizer, state, self.model, self.max_answer_len)

    def fallback_html(self) -> str:
        most = max(len(v.windows) for v in self._views.values())
        states = {}
        for (m, s), view in self._views.items():
            states[(str(m), str(s), "all")] = render(view, None)
            for k in range(most):
                if k < len(view.windows):
                    states[(str(m), str(s), str(k))] = render(view, k)
                else:
                    states[(str(m), str(s), str(k))] = (
                        f'<div class="hfa-muted">Only {len(view.windows)} window(s) with '
                        f'max_seq_len={m} and doc_stride={s}: choose "all" or a window up to '
                        f'{len(view.windows)}.</div>')
        caption = f'<div class="hfa-note" style="margin-top:0">{html.esc(self.caption)}</div>'
        controls = [
            caption,
            html.select("max_seq_len", [(str(m), str(m)) for m in self.max_seq_lens],
                        label="max_seq_len"),
            html.select("doc_stride", [(str(s), str(s)) for s in self.strides],
                        value=str(self._stride0), label="doc_stride"),
            html.select("window", [("all", "all")] + [(str(k), str(k + 1)) for k in range(most)],
                        label="window"),
        ]
        initial = (str(self.max_seq_lens[0]), str(self._stride0), "all")
        return html.stateful_view(self.title, controls, states, initial,
                                  note=html.live_note("paste your own context and drag the "
                                                      "sliders"))
