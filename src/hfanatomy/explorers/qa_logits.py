"""Start and end scores over the tokens: what a QA head says about every position.

``qa_logits(model, qa_input)`` runs a question-answering model on one encoded
pair and returns :class:`QALogits`: the raw start/end logits (one score per
token, shape (L,)) and their softmax over the sequence axis, the model's
probability that the answer starts / ends at each token.

``render_logits(data, mode)`` draws them as token chips (question and context
coloured apart, a start strip and an end strip under each token, exact values on
hover); :class:`QALogitsExplorer` shows a few examples in the static view
(example x logits/probabilities, pre-rendered) and, live, recomputes for any
question and context typed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from hfanatomy import html
from hfanatomy.explorers.base import Explorer
from hfanatomy.qa_inputs import PAD, QAInput, encode_pair

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


class QALogitsExplorer(Explorer):
    """Start/end scores per token for a few (question, context) pairs; live: your own pair."""

    title = "Start and end scores over the tokens"

    def __init__(self, model, tokenizer, examples: Sequence[tuple[str, str]],
                 max_length: int = 384):
        if not examples:
            raise ValueError("give at least one (question, context) example.")
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length
        self.examples = [(str(q), str(c)) for q, c in examples]
        self.results = [self.compute(q, c) for q, c in self.examples]
        self.data = self.results[0]

    def compute(self, question: str, context: str) -> QALogits:
        """Encode the pair and run the model (the pure functions, wired)."""
        return qa_logits(self.model, encode_pair(self.tokenizer, question, context, self.max_length))

    caption = ("Each token carries two strips: darker blue = more likely the answer starts there, "
               "darker orange = more likely it ends there. Hover a token for its exact scores.")

    def static_html(self) -> str:
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

    def build_widget(self):
        import ipywidgets as w

        q0, c0 = self.examples[0]
        self.question_box = w.Text(value=q0, description="question", continuous_update=False,
                                   layout=w.Layout(width="95%"))
        self.context_box = w.Textarea(value=c0, description="context", continuous_update=False,
                                      layout=w.Layout(width="95%", height="90px"))
        self.mode = w.Dropdown(options=["probabilities", "logits"], value="probabilities",
                               description="show")
        self.view = w.HTML()
        self.message = w.HTML()

        def redraw(*_):
            try:
                self.data = self.compute(self.question_box.value, self.context_box.value)
            except (ValueError, TypeError) as exc:
                self.message.value = f'<span style="color:#cf222e">{html.esc(exc)}</span>'
                return
            self.message.value = ""
            self.view.value = html.explorer_box(render_logits(self.data, self.mode.value),
                                                title=self.title)

        for c in (self.question_box, self.context_box, self.mode):
            c.observe(redraw, names="value")
        redraw()
        return w.VBox([self.question_box, self.context_box, self.mode, self.message, self.view])

