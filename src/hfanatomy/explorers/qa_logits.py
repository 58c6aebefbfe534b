"""Start and end scores over the tokens: what a QA head says about every position.

The data of one encoded pair is :func:`hfanatomy.qa_head.qa_logits` (raw start/end
logits and their softmax over the sequence axis); :class:`QALogitsExplorer` keeps it
for each example (``results``, what the chapter plots).

The explorer (kind ``"qa_logits"``) is drawn by the JS view ``web/views/qa_logits.js``,
in a kernel and on the site alike. :func:`qa_logits_data` is the JSON it draws for a state
``{"example", "question", "context", "mode", "window", "max_seq_len", "doc_stride"}``: a
long context is *not* cut at ``max_seq_len``; it is split into the v4 pipeline's
overlapping windows (:func:`hfanatomy.qa.encode_windows`), each run alone, and the view
shows one window at a time with the answer :func:`hfanatomy.qa.decode` reads from all of
them. On the site ``web/compute/qa_logits.js`` computes the same JSON in the reader's
browser, window by window in a worker, with progress. A book built on another checkpoint
records each example in both modes, and every window of an example that has several
(:meth:`QALogitsExplorer.recorded_states`).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.qa import decode, encode_windows, null_score, run_model
from hfanatomy.qa_head import QALogits, qa_logits
from hfanatomy.qa_inputs import encode_pair
from hfanatomy.tokens import readable_piece, tokenizer_kind

__all__ = ["QALogitsExplorer", "qa_logits_data"]


_ROLES = {0: "question", 1: "context", None: "special"}


@torch.no_grad()
def qa_logits_data(model, tokenizer, question: str, context: str,
                   max_seq_len: int | None = 384, doc_stride: int | None = 128) -> dict:
    """The JSON the QA logits view draws: every window's start/end scores and the answer.

    ``{"max_seq_len", "doc_stride", "question_tokens", "context_tokens", "windows":
    [{"tokens", "roles", "start_logits", "end_logits", "start_probs", "end_probs",
    "best_start", "best_end", "context_chars"}], "answer", "warnings"}``. Each window
    is what the v4 pipeline feeds the model (:func:`hfanatomy.qa.encode_windows`, run
    alone and unpadded); its probabilities are a softmax over all its positions, as
    :func:`qa_logits`. ``answer`` is :func:`hfanatomy.qa.decode`'s best over all
    windows (``{"text", "start", "end", "score", "window", "start_token",
    "end_token", "null_score"}``), as the pipeline's default
    (``handle_impossible_answer=False``) returns it; ``null_score`` is what the null
    answer would score (:func:`hfanatomy.qa.null_score`), so the view can say when it
    wins. Character positions count code points, as Python's (the page converts its UTF-16
    offsets).
    """
    for name, value in (("question", question), ("context", context)):
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string; got {type(value).__name__}.")
    windows = encode_windows(question, context, tokenizer, max_seq_len, doc_stride)
    start, end = run_model(model, windows)  # (W, L) each, one window at a time
    best = decode(windows, start, end)[0]
    kind = tokenizer_kind(tokenizer)
    out = []
    for w in range(windows.num_windows):
        keep = windows.tokens_of(w)
        s, e = start[w, keep], end[w, keep]  # (L_w,)
        seq = windows.encodings[w].sequence_ids[keep]
        if not windows.question_first:
            seq = [None if i is None else 1 - i for i in seq]
        a, b = windows.context_chars(w)
        out.append({
            "tokens": [readable_piece(t, kind) for t in windows.encodings[w].tokens[keep]],
            "roles": [_ROLES[i] for i in seq],
            "start_logits": s.tolist(),
            "end_logits": e.tolist(),
            "start_probs": s.softmax(-1).tolist(),  # (L_w,) sums to 1
            "end_probs": e.softmax(-1).tolist(),
            "best_start": int(s.argmax()),
            "best_end": int(e.argmax()),
            "context_chars": [a, b],
        })
    n_question = sum(r == "question" for r in out[0]["roles"])
    n_context = len(tokenizer(context, add_special_tokens=False, verbose=False)["input_ids"])
    warnings = []
    if len(out) > 1:
        warnings.append(
            f"The context is {n_context} tokens: more than fit next to the question in one "
            f"window of {windows.max_seq_len} tokens. It is read in {len(out)} overlapping "
            f"windows (each repeats the last {windows.doc_stride} context tokens of the one "
            "before), each run alone; the scores below are one window's, the answer is read "
            "from all of them.")
    answer = None
    if best:
        a0 = best[0]
        answer = {"text": a0.text, "start": a0.start, "end": a0.end, "score": float(a0.score),
                  "window": a0.window, "start_token": a0.start_token,
                  "end_token": a0.end_token,
                  # what the null answer would score (handle_impossible_answer=True)
                  "null_score": null_score(windows, start, end)}
    return {"max_seq_len": windows.max_seq_len, "doc_stride": windows.doc_stride,
            "question_tokens": n_question, "context_tokens": n_context,
            "windows": out, "answer": answer, "warnings": warnings}


class QALogitsExplorer(LiveExplorer):
    """Start/end scores per token for a few (question, context) pairs; live: your own pair."""

    title = "Start and end scores over the tokens"

    def __init__(self, model, tokenizer, examples: Sequence[tuple[str, str]],
                 max_length: int = 384):
        if not examples:
            raise ValueError("give at least one (question, context) example.")
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length
        self.examples = [(str(q), str(c)) for q, c in examples]
        #: each example's scores in one window of ``max_length`` (what the chapter plots)
        self.results = [self.compute_pair(q, c) for q, c in self.examples]

    def compute_pair(self, question: str, context: str) -> QALogits:
        """Encode the pair and run the model (the pure functions, wired)."""
        return qa_logits(self.model, encode_pair(self.tokenizer, question, context, self.max_length))

    caption = ("Each token carries two strips: darker blue = more likely the answer starts there, "
               "darker orange = more likely it ends there. Hover or tap a token for its exact scores.")

    # -- live: JSON for the JS view (web/views/qa_logits.js) ----------------------------
    kind = "qa_logits"
    needs = "qa"
    modes = (("probabilities", "probabilities (softmax over positions)"), ("logits", "raw logits"))

    def example_label(self, i: int) -> str:
        q = self.examples[i][0]
        return f"{i + 1}: {q if len(q) <= 60 else q[:57] + '...'}"

    def config(self) -> dict:
        return {
            "title": self.title,
            "caption": self.caption,
            "examples": {self.example_label(i): {"question": q, "context": c, "window": None}
                         for i, (q, c) in enumerate(self.examples)},
            "modes": [list(m) for m in self.modes],
        }

    def initial_state(self) -> dict:
        q, c = self.examples[0]
        return {"example": self.example_label(0), "question": q, "context": c,
                # window None: the view shows the window the answer comes from
                "mode": "probabilities", "window": None, "max_seq_len": self.max_length,
                "doc_stride": min(self.max_length // 2, 128)}

    def compute(self, state: dict) -> dict:
        """What the view draws for ``state`` (see :func:`qa_logits_data`); the model runs
        once per (question, context, max_seq_len, doc_stride): switching the mode or the
        window only redraws."""
        key = (state.get("question"), state.get("context"), state.get("max_seq_len", self.max_length),
               state.get("doc_stride"))
        if getattr(self, "_cache", (None, None))[0] != key:
            self._cache = (key, qa_logits_data(self.model, self.tokenizer, *key))
        return self._cache[1]

    def recorded_variants(self) -> list[dict]:
        return [{"mode": m} for m, _ in self.modes]

    def recorded_states(self) -> list[dict]:
        """Each example in both modes (:meth:`recorded_variants`), then every window of an
        example read in several, in the first mode: what the window picker sets."""
        states = super().recorded_states()
        mode = self.initial_state()["mode"]
        for state in list(states):
            if state["mode"] != mode:
                continue
            try:
                n = encode_windows(state["question"], state["context"], self.tokenizer,
                                   state["max_seq_len"], state["doc_stride"]).num_windows
            except ValueError:  # not recorded: recorded_model leaves out what fails
                continue
            for k in range(n) if n > 1 else ():
                if {**state, "window": k} not in states:
                    states.append({**state, "window": k})
        return states
