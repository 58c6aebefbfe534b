"""Start and end scores over the tokens: what a QA head says about every position.

``qa_logits(model, qa_input)`` runs a question-answering model on one encoded
pair and returns :class:`QALogits`: the raw start/end logits (one score per
token, shape (L,)) and their softmax over the sequence axis, the model's
probability that the answer starts / ends at each token.

Live (kernel and site): :func:`qa_logits_data` is the JSON the JS view
``web/views/qa_logits.js`` draws for a state ``{"example", "question", "context",
"mode", "window", "max_seq_len", "doc_stride"}``: a long context is *not* cut at
``max_seq_len``; it is split into the v4 pipeline's overlapping windows
(:func:`hfanatomy.qa.encode_windows`), each run alone, and the view shows one window
at a time with the answer :func:`hfanatomy.qa.decode` reads from all of them. On the
site ``web/compute/qa_logits.js`` computes the same JSON in the reader's browser,
window by window in a worker, with progress.

Fallback (JS off, foreign checkpoint on the site): ``render_logits(data, mode)``
draws token chips (question and context coloured apart, a start strip and an end
strip under each token, exact values on hover), pre-rendered per example and mode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from hfanatomy import html
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.qa import decode, encode_windows, null_score, run_model
from hfanatomy.qa_inputs import PAD, QAInput, encode_pair
from hfanatomy.tokens import readable_piece, tokenizer_kind

__all__ = ["QALogits", "qa_logits", "render_logits", "QALogitsExplorer", "QA_CSS", "key_html",
           "chip"]


@dataclass(frozen=True)
class QALogits:
    """One example's start/end scores; tensors are (L,), one entry per token."""

    input: QAInput
    start_logits: torch.Tensor
    end_logits: torch.Tensor
    start_probs: torch.Tensor
    end_probs: torch.Tensor

    @property
    def best_start(self) -> int:
        """Position with the highest start score (not yet an answer: see chapter 4)."""
        return int(self.start_logits.argmax())

    @property
    def best_end(self) -> int:
        return int(self.end_logits.argmax())


@torch.no_grad()
def qa_logits(model, qa_input: QAInput) -> QALogits:
    """Run ``model`` on one encoded pair; softmax runs over the sequence axis (all L tokens)."""
    out = model(**qa_input.tensors())
    start = out.start_logits[0].float()  # (L,)
    end = out.end_logits[0].float()  # (L,)
    keep = torch.tensor(qa_input.attention_mask, dtype=torch.bool)  # (L,) pads get probability 0
    start_p = start.masked_fill(~keep, float("-inf")).softmax(-1)  # (L,), sums to 1
    end_p = end.masked_fill(~keep, float("-inf")).softmax(-1)  # (L,)
    return QALogits(qa_input, start, end, start_p, end_p)


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


QA_CSS = """
.hfa-qa .hfa-chips{display:flex;flex-wrap:wrap;gap:3px;align-items:flex-start;line-height:1.2}
.hfa-qa .hfa-chip{display:inline-flex;flex-direction:column;min-width:22px;border-radius:4px;
 border:1px solid #d0d7de;overflow:hidden;background:#fff}
.hfa-qa .hfa-chip .t{padding:1px 4px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;
 font-size:12px;white-space:pre;text-align:center}
.hfa-qa .hfa-chip .b{height:9px;font-size:8px;line-height:9px;text-align:center}
.hfa-qa .r-question .t{background:#efe7fb}
.hfa-qa .r-context .t{background:#e6f4ea}
.hfa-qa .r-special .t{background:#f6f8fa;color:#8250df;font-weight:600}
.hfa-qa .r-pad{opacity:.45}
.hfa-qa .hfa-gold{outline:3px solid #cf222e;outline-offset:-1px}
.hfa-qa .hfa-key{display:inline-flex;gap:10px;flex-wrap:wrap;font-size:12px;margin:2px 0 6px}
.hfa-qa .hfa-key span.sw{display:inline-block;width:12px;height:10px;border:1px solid #d0d7de;
 vertical-align:middle;margin-right:3px}
.hfa-qa .hfa-sum{font-size:12px;margin-top:6px}
.hfa-qa .hfa-sum b{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
"""

_START_CMAP, _END_CMAP = "Blues", "Oranges"


def key_html(extra: str = "") -> str:
    """The colour key shared by the QA explorers."""
    return (
        '<div class="hfa-key">'
        '<span><span class="sw" style="background:#efe7fb"></span>question</span>'
        '<span><span class="sw" style="background:#e6f4ea"></span>context</span>'
        '<span><span class="sw" style="background:#f6f8fa"></span>special</span>'
        f'<span><span class="sw" style="background:{html.color(0.8, cmap=_START_CMAP)}"></span>'
        'start strip</span>'
        f'<span><span class="sw" style="background:{html.color(0.8, cmap=_END_CMAP)}"></span>'
        f'end strip</span>{extra}</div>'
    )


def chip(i: int, token: str, role: str, start: float, end: float, s_rgb: str, e_rgb: str,
         fmt: str, extra_class: str = "") -> str:
    """One token: its text over a start strip and an end strip (values on hover)."""
    label = token if token.strip() else "␣"
    tip = f"#{i} {token!r} ({role})\nstart {start:{fmt}}\nend {end:{fmt}}"
    cls = f"hfa-chip r-{role}{(' ' + extra_class) if extra_class else ''}"
    return (
        f'<span class="{cls}" data-pos="{i}" title="{html.esc(tip)}">'
        f'<span class="t">{html.esc(label)}</span>'
        f'<span class="b" data-kind="start" data-value="{start:.6g}" '
        f'style="background:{s_rgb}"></span>'
        f'<span class="b" data-kind="end" data-value="{end:.6g}" '
        f'style="background:{e_rgb}"></span></span>'
    )


def render_logits(data: QALogits, mode: str = "probabilities") -> str:
    """Token chips with start/end strips; ``mode`` is "probabilities" or "logits"."""
    if mode not in ("probabilities", "logits"):
        raise ValueError(f"mode must be 'probabilities' or 'logits'; got {mode!r}.")
    x = data.input
    if mode == "probabilities":
        s, e = data.start_probs, data.end_probs
        s_lo, s_hi, e_lo, e_hi = 0.0, float(s.max()), 0.0, float(e.max())
        fmt = ".4f"
    else:
        real = torch.tensor([r != PAD for r in x.roles])
        s, e = data.start_logits, data.end_logits
        s_lo, s_hi = float(s[real].min()), float(s[real].max())
        e_lo, e_hi = float(e[real].min()), float(e[real].max())
        fmt = ".3f"
    chips = []
    for i, (tok, role) in enumerate(zip(x.tokens, x.roles)):
        sv, ev = float(s[i]), float(e[i])
        chips.append(chip(i, tok, role, sv, ev, html.color(sv, s_lo, s_hi, _START_CMAP),
                          html.color(ev, e_lo, e_hi, _END_CMAP), fmt))
    bs, be = data.best_start, data.best_end

    def where(i: int) -> str:
        return f"#{i} <b>{html.esc(x.tokens[i])}</b> ({x.roles[i]})"

    summary = (
        f'<div class="hfa-sum">Highest start score: {where(bs)}, p = {float(data.start_probs[bs]):.3f}; '
        f'highest end score: {where(be)}, p = {float(data.end_probs[be]):.3f}. '
        f'Softmax runs over all {len(x)} positions, so each strip sums to 1 in probability mode.</div>'
    )
    return (f'<div class="hfa-qa"><style>{QA_CSS}</style>{key_html()}'
            f'<div class="hfa-chips">{"".join(chips)}</div>{summary}</div>')


class QALogitsExplorer(LiveExplorer):
    """Start/end scores per token for a few (question, context) pairs; live: your own pair."""

    title = "Start and end scores over the tokens"

    def __init__(self, model, tokenizer, examples: Sequence[tuple[str, str]],
                 max_length: int = 384):
        if not examples:
            raise ValueError("give at least one (question, context) example.")
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length
        self.examples = [(str(q), str(c)) for q, c in examples]
        self.results = [self.compute_pair(q, c) for q, c in self.examples]
        self.data = self.results[0]

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

    def fallback_html(self) -> str:
        ex_opts = [(str(i), f"{i + 1}: {q[:60]}") for i, (q, _) in enumerate(self.examples)]
        modes = [("probabilities", "probabilities (softmax over positions)"),
                 ("logits", "raw logits")]
        states = {}
        for i, data in enumerate(self.results):
            for m, _ in modes:
                states[(str(i), m)] = render_logits(data, m)
        note = (f'<div class="hfa-note">{html.esc(self.caption)}</div>'
                + html.live_note("type your own question and context"))
        return html.stateful_view(self.title, [html.select("example", ex_opts, label="example"),
                                               html.select("mode", modes, label="show")],
                                  states, ("0", "probabilities"), note=note)
