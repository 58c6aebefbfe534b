"""The span-grid explorer: every (start, end) pair of one window, scored and masked.

Rows are start tokens, columns end tokens. A valid cell's shade is its score
p_start[i] * p_end[j] (see :func:`hfanatomy.qa.span_scores`); masked cells are
grey (start or end outside the context), pale (end before start) or hatched
(longer than ``max_answer_len``). The n best cells are outlined and ranked; an
"x" marks where two independent argmaxes would point. Beside the grid: p_start
per row and p_end per column.

Live view (kernel and site, drawn by ``web/views/span_grid.js`` on a canvas that draws
only the cells in view): question and context boxes, an example picker, max_answer_len,
top_k, handle_impossible_answer and the window; the v4 pipeline's answers over every
window under the grid. Its data is :func:`grid_data` (computed here in a kernel, by
``web/compute/span_grid.js`` in the site's page). Recorded view (``fallback_html``,
JavaScript off or a foreign checkpoint): one pre-rendered SVG grid per (example,
max_answer_len), the first ``max_tokens`` tokens.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from hfanatomy import html, qa
from hfanatomy.checks import whole_number
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.tokens import readable_piece, tokenizer_kind

_REASON_STYLE = {
    qa.OUTSIDE_CONTEXT: ("#c8ced6", qa.MASK_REASONS[qa.OUTSIDE_CONTEXT]),
    qa.END_BEFORE_START: ("#e4e7eb", qa.MASK_REASONS[qa.END_BEFORE_START]),
    qa.TOO_LONG: (None, qa.MASK_REASONS[qa.TOO_LONG]),  # hatched
}


@dataclass
class SpanGridView:
    """What the explorer draws for one window (tensors cropped to ``len(tokens)``)."""

    question: str
    context: str
    window: int
    num_windows: int
    tokens: list[str]
    roles: list[str]  # "question", "context", "special" or "pad" per token
    start_logits: torch.Tensor  # (L,)
    end_logits: torch.Tensor  # (L,)
    start_probs: torch.Tensor  # (L,) after masking + softmax, null token not yet zeroed
    end_probs: torch.Tensor  # (L,)
    grid: torch.Tensor  # (L, L) p_start[i] * p_end[j] on valid cells, 0 elsewhere
    reasons: torch.Tensor  # (L, L) codes of qa.mask_reasons
    null_index: int
    null_score: float
    best: list[qa.Answer]  # the n best spans of this window, best first
    argmax_start: int  # independent argmaxes of the raw logits (the naive reading)
    argmax_end: int
    max_answer_len: int
    cropped: int  # tokens of the window not drawn (0 if all are drawn)


def _roles(windows: qa.Windows, w: int) -> list[str]:
    seq = windows.encodings[w].sequence_ids
    ctx_id = 1 if windows.question_first else 0
    att = windows.attention_mask[w].tolist()
    return ["pad" if not a else "special" if s is None else "context" if s == ctx_id
            else "question" for s, a in zip(seq, att)]


def grid_view(windows: qa.Windows, start_logits: torch.Tensor, end_logits: torch.Tensor,
              window: int = 0, max_answer_len: int = 15, top_k: int = 3,
              max_tokens: int | None = None) -> SpanGridView:
    """The data of one window's grid from the model's (W, L) logits (pure)."""
    w = window
    scores = qa.span_scores(start_logits[w], end_logits[w], windows.context_mask[w],
                            max_answer_len, True, windows.null_index[w])
    reasons = qa.mask_reasons(windows.context_mask[w], max_answer_len)  # (L, L)
    spans = qa.top_spans(scores, top_k)[0]
    ctx = windows.contexts[int(windows.sample[w])]
    best = []
    for sp in spans:
        a, b = int(windows.offsets[w, sp.start, 0]), int(windows.offsets[w, sp.end, 1])
        best.append(qa.Answer(ctx[a:b], a, b, sp.score, w, sp.start, sp.end))
    length = int(windows.attention_mask[w].sum())  # real tokens (right padding)
    if not windows.question_first or windows.attention_mask[w, 0] == 0:
        length = windows.input_ids.shape[1]
    n = min(length, max_tokens) if max_tokens else length
    tokens = windows.encodings[w].tokens
    return SpanGridView(
        question=windows.questions[int(windows.sample[w])], context=ctx, window=w,
        num_windows=len(windows.windows_of(int(windows.sample[w]))),
        tokens=list(tokens[:n]), roles=_roles(windows, w)[:n],
        start_logits=start_logits[w, :n], end_logits=end_logits[w, :n],
        start_probs=scores.start_probs[0, :n], end_probs=scores.end_probs[0, :n],
        grid=scores.grid[0, :n, :n], reasons=reasons[:n, :n],
        null_index=int(windows.null_index[w]), null_score=float(scores.null_scores[0]),
        best=best, argmax_start=int(start_logits[w, :length].argmax()),
        argmax_end=int(end_logits[w, :length].argmax()), max_answer_len=max_answer_len,
        cropped=length - n,
    )


def span_grid_view(model, tokenizer, question: str, context: str, max_answer_len: int = 15,
                   top_k: int = 3, window: int = 0, max_seq_len: int = 384,
                   doc_stride: int = 128, max_tokens: int | None = None) -> SpanGridView:
    """Encode, run the model and build the grid of one window (the live view's data)."""
    windows = qa.encode_windows(question, context, tokenizer, max_seq_len, doc_stride)
    start, end = qa.run_model(model, windows)
    return grid_view(windows, start, end, min(window, windows.num_windows - 1), max_answer_len,
                     top_k, max_tokens)


def grid_data(windows: qa.Windows, start_logits: torch.Tensor, end_logits: torch.Tensor,
              window: int = 0, max_answer_len: int = 15, top_k: int = 3,
              handle_impossible_answer: bool = False) -> dict:
    """What the live view draws, JSON-able (pure): one window's tokens and start/end
    probabilities (the grid is p_start[i] * p_end[j] on the cells the view masks with the
    tokens' roles: the view computes the L x L cells, the data stays O(L)), its ``top_k``
    best cells, where the separate argmaxes of the logits point, and the pipeline's
    answers over every window.

    Characters (``start``, ``end``, ``windows``) are Python's (code points); the page's
    compute converts its JS string indices to them.
    """
    whole_number(max_answer_len, "max_answer_len", 1)
    whole_number(top_k, "top_k", 1)
    whole_number(window, "window", 0)
    num = windows.num_windows
    w = min(window, num - 1)
    ctx = windows.contexts[0]
    keep = windows.tokens_of(w)  # the window's real tokens (what v4 and the JS runtime feed)
    start, end = start_logits[w, keep], end_logits[w, keep]  # (n,)
    mask = windows.context_mask[w, keep]  # (n,) bool
    null = int(windows.null_index[w]) - keep.start
    scores = qa.span_scores(start, end, mask, max_answer_len, True, null)
    best = []
    for sp in qa.top_spans(scores, top_k)[0]:
        a = int(windows.offsets[w, sp.start + keep.start, 0])
        b = int(windows.offsets[w, sp.end + keep.start, 1])
        best.append({"start_token": sp.start, "end_token": sp.end, "text": ctx[a:b],
                     "start": a, "end": b, "score": sp.score})
    answers = qa.decode(windows, start_logits, end_logits, top_k=top_k,
                        max_answer_len=max_answer_len,
                        handle_impossible_answer=handle_impossible_answer)[0]
    all_scores = qa.span_scores(start_logits, end_logits, windows.context_mask, max_answer_len,
                                True, windows.null_index)
    roles = _roles(windows, w)[keep]
    warnings = []
    if num > 1:
        warnings.append(
            f"The context is cut into {num} windows of at most {windows.max_seq_len} tokens "
            f"(each repeats the last {windows.doc_stride} context tokens of the one before); "
            f"the grid shows window {w + 1}, the answers come from all {num}.")
    if window >= num:
        warnings.append(f"There is no window {window + 1}: showing the last, {num}.")
    return {
        "window": w,
        "num_windows": num,
        "windows": [list(windows.context_chars(k)) if windows.context_mask[k].any() else None
                    for k in range(num)],  # the context characters each window covers
        "tokens": list(windows.encodings[w].tokens[keep]),
        "roles": roles,
        "start_probs": scores.start_probs[0].tolist(),  # null token kept (zeroed in the grid)
        "end_probs": scores.end_probs[0].tolist(),
        "null_index": null,
        "null_score": float(scores.null_scores[0]),
        "max_answer_len": max_answer_len,
        "best": best,
        "argmax_start": int(start.argmax()),
        "argmax_end": int(end.argmax()),
        "answers": [{"text": a.text, "score": a.score, "start": a.start,
                     "end": a.end, "window": a.window, "start_token": a.start_token,
                     "end_token": a.end_token, "merged": a.merged} for a in answers],
        "null_answer_score": float(all_scores.null_scores.min()),
        "handle_impossible_answer": bool(handle_impossible_answer),
        "warnings": warnings,
    }


def _short(token: str, n: int = 9) -> str:
    return token if len(token) <= n else token[: n - 1] + "…"


_BOX_PX = 660  # inner width of an explorer box on the book's page (measured in Chromium)
MIN_FONT = 9  # no token label is smaller (px); smaller cells label every k-th token


def _cell_px(n: int) -> int:
    """Pixels per token of the recorded grid: what the book's explorer box leaves."""
    return min(14, max(7, (_BOX_PX - 92 - 70 - 20) // max(n, 1)))


def label_font(cell: int) -> tuple[int, int]:
    """(font px, every k-th token labelled) for cells of ``cell`` px: MIN_FONT..11 px; a
    column label rises at 60 degrees, so two of them need ``font / sin 60`` px between
    their columns (the live view's rule, web/views/span_grid.js)."""
    fs = max(MIN_FONT, min(11, cell - 2))
    return fs, max(1, math.ceil(fs / (cell * math.sin(math.pi / 3)) - 1e-9))


_ROLE_COLOR = {"question": "#0550ae", "context": "#1f2328", "special": "#8250df", "pad": "#8c959f"}


def span_grid_svg(view: SpanGridView) -> str:
    """The grid as inline SVG (rows = start token, columns = end token)."""
    n = len(view.tokens)
    left, top = 92, 86  # room for the row and column token labels
    bar = 70  # p_start bars to the right, p_end bars below
    # the grid gets what the book's explorer box leaves (660 px inside its padding)
    cell = _cell_px(n)
    gw = n * cell
    width, height = left + gw + bar + 20, top + gw + bar + 16
    pid = html.new_id("hatch", f"{view.question}{view.context}{view.max_answer_len}")
    best_score = max(float(view.grid.max()), 1e-12)
    grid = view.grid.tolist()
    reasons = view.reasons.tolist()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="start by end span score grid">',
        f'<defs><pattern id="{pid}" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="#f6f8fa"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="#8c959f" stroke-width="1.4"/></pattern></defs>',
        f'<text x="{left + gw / 2:.0f}" y="10" font-size="11" text-anchor="middle" '
        f'fill="#57606a">end token →</text>',
        f'<text x="10" y="{top + gw / 2:.0f}" font-size="11" text-anchor="middle" fill="#57606a" '
        f'transform="rotate(-90 10 {top + gw / 2:.0f})">start token →</text>',
    ]
    fs, stride = label_font(cell)
    for k, (tok, role) in enumerate(zip(view.tokens, view.roles)):
        if k % stride:
            continue
        c = _ROLE_COLOR[role]
        y = top + k * cell + cell * 0.75
        parts.append(f'<text x="{left - 4}" y="{y:.1f}" font-size="{fs}" text-anchor="end" '
                     f'fill="{c}"><title>{html.esc(f"{k}: {tok} ({role})")}</title>'
                     f'{html.esc(_short(tok))}</text>')
        x = left + k * cell + cell * 0.7
        parts.append(f'<text x="{x:.1f}" y="{top - 4}" font-size="{fs}" fill="{c}" '
                     f'transform="rotate(-60 {x:.1f} {top - 4})">'
                     f'<title>{html.esc(f"{k}: {tok} ({role})")}</title>'
                     f'{html.esc(_short(tok))}</text>')
    for i in range(n):
        y = top + i * cell
        j = 0
        while j < n:  # masked cells: one rectangle per run of the same reason
            r = reasons[i][j]
            if r == qa.VALID:
                s = grid[i][j]
                fill = html.color(0.1 + 0.9 * (s / best_score) ** 0.5, 0, 1, "Blues")
                tip = (f"start {i} {view.tokens[i]!r}, end {j} {view.tokens[j]!r}: "
                       f"p_start {float(view.start_probs[i]):.4f} x p_end "
                       f"{float(view.end_probs[j]):.4f} = {s:.4g}")
                parts.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell}" '
                             f'height="{cell}" fill="{fill}" stroke="#fff" stroke-width="0.5" '
                             f'data-start="{i}" data-end="{j}" data-value="{s:.6g}">'
                             f'<title>{html.esc(tip)}</title></rect>')
                j += 1
                continue
            k = j
            while k < n and reasons[i][k] == r:
                k += 1
            fill, why = _REASON_STYLE[r]
            fill = fill or f"url(#{pid})"
            parts.append(f'<rect x="{left + j * cell}" y="{y}" width="{(k - j) * cell}" '
                         f'height="{cell}" fill="{fill}" data-masked="{r}" data-value="0">'
                         f'<title>{html.esc(f"start {i}, end {j}..{k - 1}: {why}")}</title></rect>')
            j = k
    parts.append(f'<rect x="{left}" y="{top}" width="{gw}" height="{gw}" fill="none" '
                 f'stroke="#8c959f"/>')
    # where two independent argmaxes point
    i, j = view.argmax_start, view.argmax_end
    if i < n and j < n:
        cx, cy = left + j * cell + cell / 2, top + i * cell + cell / 2
        why = _REASON_STYLE.get(reasons[i][j], (None, qa.MASK_REASONS[qa.VALID]))[1]
        parts.append(f'<g data-argmax="{i},{j}"><title>{html.esc(f"argmax start {i} and argmax end {j} taken separately: {why}")}'
                     f'</title><path d="M{cx - 5:.1f} {cy - 5:.1f}L{cx + 5:.1f} {cy + 5:.1f}'
                     f'M{cx - 5:.1f} {cy + 5:.1f}L{cx + 5:.1f} {cy - 5:.1f}" stroke="#cf222e" '
                     f'stroke-width="2.2"/></g>')
    for rank, a in enumerate(view.best, 1):
        if a.start_token < n and a.end_token < n:
            color = "#cf222e" if rank == 1 else "#bc4c00"
            x, y = left + a.end_token * cell, top + a.start_token * cell
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="none" '
                         f'stroke="{color}" stroke-width="{2.5 if rank == 1 else 1.5}" '
                         f'data-rank="{rank}"><title>{html.esc(f"#{rank}: {a.text!r} score {a.score:.4g}")}'
                         f'</title></rect>')
            parts.append(f'<text x="{x + cell + 2}" y="{y + cell - 2}" font-size="10" '
                         f'fill="{color}" font-weight="700">{rank}</text>')
    # marginals: p_start per row (right), p_end per column (below)
    pmax = max(float(view.start_probs.max()), float(view.end_probs.max()), 1e-12)
    for i in range(n):
        p = float(view.start_probs[i])
        w = p / pmax * (bar - 8)
        parts.append(f'<rect x="{left + gw + 4}" y="{top + i * cell + 1}" width="{max(w, 0.3):.1f}" '
                     f'height="{cell - 2}" fill="#1a7f37" data-kind="p_start" data-value="{p:.6g}">'
                     f'<title>{html.esc(f"p_start[{i}] {view.tokens[i]!r} = {p:.4f}")}</title></rect>')
        p = float(view.end_probs[i])
        h = p / pmax * (bar - 8)
        parts.append(f'<rect x="{left + i * cell + 1}" y="{top + gw + 4}" width="{cell - 2}" '
                     f'height="{max(h, 0.3):.1f}" fill="#8250df" data-kind="p_end" '
                     f'data-value="{p:.6g}"><title>{html.esc(f"p_end[{i}] {view.tokens[i]!r} = {p:.4f}")}'
                     f'</title></rect>')
    parts.append(f'<text x="{left + gw + 4}" y="{top - 6}" font-size="10" fill="#1a7f37">p_start</text>')
    parts.append(f'<text x="{left - 4}" y="{top + gw + 14}" font-size="10" text-anchor="end" '
                 f'fill="#8250df">p_end</text>')
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    sw = ('<span style="display:inline-block;width:11px;height:11px;border:1px solid #d0d7de;'
          'vertical-align:-1px;background:{}"></span>')
    hatch = ("repeating-linear-gradient(45deg,#8c959f 0 1.4px,#f6f8fa 1.4px 4px)")
    return ('<div class="hfa-note" style="margin:0 0 4px">'
            f'{sw.format("#2f7ebc")} valid span (shade ∝ √score) · '
            f'{sw.format("#c8ced6")} start or end outside the context · '
            f'{sw.format("#e4e7eb")} end before start · '
            f'{sw.format(hatch)} longer than max_answer_len · '
            '<b style="color:#cf222e">1</b> best span · '
            '<b style="color:#cf222e">×</b> two separate argmaxes</div>')


def view_table(view: SpanGridView) -> str:
    """The n-best list and the null score under the grid."""
    rows = [(rank, f"{a.start_token}..{a.end_token}", repr(a.text), f"{a.score:.4g}")
            for rank, a in enumerate(view.best, 1)]
    best = view.best[0].score if view.best else 0.0
    verdict = ("beats" if view.null_score > best else "loses to")
    i, j = view.argmax_start, view.argmax_end
    naive = (f"separate argmaxes: start {i} {view.tokens[i] if i < len(view.tokens) else ''!r}, "
             f"end {j} {view.tokens[j] if j < len(view.tokens) else ''!r}"
             + (" (end before start: no span at all)" if j < i else ""))
    crop = (f" · {view.cropped} more tokens not drawn" if view.cropped else "")
    stride = label_font(_cell_px(len(view.tokens)))[1]
    if stride > 1:
        crop += (f" · labels on every {stride}{'nd' if stride == 2 else 'rd' if stride == 3 else 'th'}"
                 f" token ({MIN_FONT} px is the smallest legible label): hover a cell for its tokens")
    return (html.table(["rank", "tokens", "text", "score"], rows)
            + f'<div style="margin-top:4px">null score p_start[{view.null_index}] × '
              f'p_end[{view.null_index}] = {view.null_score:.4g} ({verdict} the best span; '
              f'counts only with handle_impossible_answer=True) · {html.esc(naive)} · window '
              f'{view.window + 1} of {view.num_windows}{html.esc(crop)}</div>')


class SpanGridExplorer(LiveExplorer):
    """Score grid of (start, end) pairs, live: question, context, max_answer_len, top_k,
    handle_impossible_answer and the window; the v4 pipeline's answers under the grid.

    ``SpanGridExplorer(model, tokenizer, examples=[(question, context), ...],
    max_answer_lens=(3, 15))``: the examples feed the view's picker, ``max_answer_lens``
    the recorded view (JavaScript off) and the first state (the largest). Drawn by
    ``web/views/span_grid.js``; ``compute(state)`` is its data (:func:`grid_data`).
    """

    kind = "span_grid"
    needs = "qa"
    title = "Span-grid explorer: every (start, end) pair and why it counts or not"
    caption = ("Each cell is one candidate answer (row = start token, column = end token). Only "
               "the white-to-blue band right of the diagonal inside the context can be an answer; "
               "hover or tap a cell for p_start × p_end. Shrink max_answer_len and watch the band "
               "narrow; click an answer to find its cell.")

    def __init__(self, model, tokenizer, examples: Sequence[tuple[str, str]],
                 max_answer_lens: Sequence[int] = (3, 15), top_k: int = 3,
                 max_tokens: int = 56, max_seq_len: int = 384, doc_stride: int = 128):
        if not examples:
            raise ValueError("SpanGridExplorer needs at least one (question, context) example.")
        examples = [tuple(e) for e in examples]
        if any(len(e) != 2 for e in examples):
            raise ValueError("examples must be (question, context) pairs.")
        self.model, self.tokenizer = model, tokenizer
        self.examples = examples
        self.max_answer_lens = [int(m) for m in max_answer_lens]
        for m in self.max_answer_lens:
            whole_number(m, "max_answer_len", 1)
        self.top_k, self.max_tokens = top_k, max_tokens
        self.max_seq_len, self.doc_stride = max_seq_len, doc_stride
        self._encoded = []
        for q, c in examples:
            windows = qa.encode_windows(q, c, tokenizer, max_seq_len, doc_stride)
            self._encoded.append((windows, *qa.run_model(model, windows)))
        self.data = self._view(0, self.max_answer_lens[-1])
        self._last = None  # (key, windows, start, end) of the last texts computed

    # -- live -----------------------------------------------------------------------------
    def _labels(self) -> list[str]:
        labels = []
        for q, _ in self.examples:
            label = q if len(q) <= 50 else q[:47] + "..."
            while label in labels:
                label += " (again)"
            labels.append(label)
        return labels

    def config(self) -> dict:
        return {
            "title": self.title,
            "caption": self.caption,
            "examples": {label: {"question": q, "context": c, "window": 0}
                         for label, (q, c) in zip(self._labels(), self.examples)},
            "limits": {"max_answer_len": max(30, *self.max_answer_lens),
                       "top_k": max(10, self.top_k)},
        }

    def initial_state(self) -> dict:
        q, c = self.examples[0]
        return {"example": self._labels()[0], "question": q, "context": c,
                "max_answer_len": max(self.max_answer_lens), "top_k": self.top_k,
                "handle_impossible_answer": False, "window": 0,
                "max_seq_len": self.max_seq_len, "doc_stride": self.doc_stride}

    def compute(self, state: dict) -> dict:
        """The view's data for ``state`` (:func:`grid_data`); the model runs again only
        when the texts or the windowing change."""
        # the settings first, then the texts (the order of the page's checks)
        max_answer_len = whole_number(state.get("max_answer_len", 15), "max_answer_len", 1)
        top_k = whole_number(state.get("top_k", self.top_k), "top_k", 1)
        window = whole_number(state.get("window", 0), "window", 0)
        q, c = state.get("question"), state.get("context")
        for name, value in (("question", q), ("context", c)):
            if not isinstance(value, str):
                raise ValueError(f"{name} must be a string; got {value!r}.")
        max_seq_len = whole_number(state.get("max_seq_len", self.max_seq_len), "max_seq_len", 2)
        doc_stride = whole_number(state.get("doc_stride", self.doc_stride), "doc_stride", 0)
        key = (q, c, max_seq_len, doc_stride)
        if self._last is None or self._last[0] != key:
            windows = qa.encode_windows(q, c, self.tokenizer, max_seq_len, doc_stride)
            self._last = (key, windows, *qa.run_model(self.model, windows))
        _, windows, start, end = self._last
        data = grid_data(windows, start, end, window, max_answer_len, top_k,
                         bool(state.get("handle_impossible_answer", False)))
        if tokenizer_kind(self.tokenizer) == "byte-level BPE":  # a foreign RoBERTa-like checkpoint
            # the book's one way for pieces: decoded, a leading space written Ġ (as reads_as)
            data["tokens"] = [readable_piece(t).replace("\u2423", "\u0120") if r != "special"
                              else t for t, r in zip(data["tokens"], data["roles"])]
        return data

    # -- recorded view (JavaScript off, or a checkpoint the page cannot run) --------------
    def _view(self, example: int, max_answer_len: int) -> SpanGridView:
        windows, start, end = self._encoded[example]
        return grid_view(windows, start, end, 0, max_answer_len, self.top_k, self.max_tokens)

    @staticmethod
    def render(view: SpanGridView) -> str:
        return (_legend() + f'<div style="margin-bottom:2px"><b>Q:</b> {html.esc(view.question)}'
                f'</div>' + span_grid_svg(view) + view_table(view))

    def _recorded(self) -> list[int]:
        """The examples the recording holds: those whose first window fits in ``max_tokens``
        (a longer one would be cut there; it is in the live view only), at least the first."""
        fits = [e for e, (w, _, _) in enumerate(self._encoded)
                if int(w.attention_mask[0].sum()) <= self.max_tokens]
        return fits if 0 in fits else [0, *fits]

    def fallback_html(self) -> str:
        states = {}
        recorded = self._recorded()
        for e in recorded:
            for m in self.max_answer_lens:
                states[(str(e), str(m))] = self.render(self._view(e, m))
        caption = ('<div class="hfa-note" style="margin-top:0">Each cell is one candidate answer '
                   '(row = start token, column = end token). Only the white-to-blue band right of '
                   'the diagonal inside the context can be an answer; hover a cell for '
                   'p_start × p_end. Shrink max_answer_len and watch the band narrow.</div>')
        controls = [
            caption,
            html.select("example", [(str(i), (q if len(q) <= 50 else q[:47] + "..."))
                                    for i, (q, _) in enumerate(self.examples) if i in recorded],
                        label="question"),
            html.select("max_answer_len", [(str(m), str(m)) for m in self.max_answer_lens],
                        value=str(self.max_answer_lens[-1]), label="max_answer_len"),
        ]
        return html.stateful_view(self.title, controls, states,
                                  ("0", str(self.max_answer_lens[-1])),
                                  note=html.live_note("type your own question and context"))
