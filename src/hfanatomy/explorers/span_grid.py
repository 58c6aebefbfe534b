"""The span-grid explorer: every (start, end) pair of one window, scored and masked.

Rows are start tokens, columns end tokens. A valid cell's shade is its score
p_start[i] * p_end[j] (see :func:`hfanatomy.qa.span_scores`); masked cells are
grey (start or end outside the context), pale (end before start) or hatched
(longer than ``max_answer_len``). The n best cells are outlined and ranked; an
"x" marks where two independent argmaxes would point. Beside the grid: p_start
per row and p_end per column.

The explorer (kind ``"span_grid"``) is drawn by ``web/views/span_grid.js``, in a kernel
and on the site alike, on a canvas that draws only the cells in view: question and context
boxes, an example picker, max_answer_len, top_k, handle_impossible_answer and the window;
the v4 pipeline's answers over every window under the grid. Its data is :func:`grid_data`
(computed here in a kernel, by ``web/compute/span_grid.js`` in the site's page). A book
built on another checkpoint records each example at every ``max_answer_lens`` value, with
handle_impossible_answer, and in each of its windows
(:meth:`SpanGridExplorer.recorded_states`).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from hfanatomy import qa
from hfanatomy.checks import whole_number
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.tokens import readable_piece, tokenizer_kind

__all__ = ["SpanGridExplorer", "grid_data"]


def _roles(windows: qa.Windows, w: int) -> list[str]:
    seq = windows.encodings[w].sequence_ids
    ctx_id = 1 if windows.question_first else 0
    att = windows.attention_mask[w].tolist()
    return ["pad" if not a else "special" if s is None else "context" if s == ctx_id
            else "question" for s, a in zip(seq, att)]


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


class SpanGridExplorer(LiveExplorer):
    """Score grid of (start, end) pairs, live: question, context, max_answer_len, top_k,
    handle_impossible_answer and the window; the v4 pipeline's answers under the grid.

    ``SpanGridExplorer(model, tokenizer, examples=[(question, context), ...],
    max_answer_lens=(3, 15))``: the examples feed the view's picker, ``max_answer_lens``
    the first state (the largest) and the values a recorded page holds (a book built on
    another checkpoint). Drawn by ``web/views/span_grid.js``; ``compute(state)`` is its
    data (:func:`grid_data`).
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
                 max_seq_len: int = 384, doc_stride: int = 128):
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
        self.top_k = top_k
        self.max_seq_len, self.doc_stride = max_seq_len, doc_stride
        for q, c in examples:  # a bad example says so now, not when a reader picks it
            qa.encode_windows(q, c, tokenizer, max_seq_len, doc_stride)
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

    def recorded_variants(self) -> list[dict]:
        return ([{"max_answer_len": m} for m in sorted(set(self.max_answer_lens), reverse=True)]
                + [{"handle_impossible_answer": True}])

    def recorded_states(self) -> list[dict]:
        """Each example at every ``max_answer_lens`` value and with handle_impossible_answer
        (:meth:`recorded_variants`), then each other window of an example read in several,
        at the first state's settings: what the window picker (or an answer clicked) sets."""
        states = super().recorded_states()
        first = self.initial_state()
        for state in list(states):
            if (state["max_answer_len"], state["handle_impossible_answer"]) != (
                    first["max_answer_len"], first["handle_impossible_answer"]):
                continue
            n = qa.encode_windows(state["question"], state["context"], self.tokenizer,
                                  state["max_seq_len"], state["doc_stride"]).num_windows
            for k in range(1, n):
                if {**state, "window": k} not in states:
                    states.append({**state, "window": k})
        return states
