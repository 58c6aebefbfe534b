"""Move the gold answer and watch the QA loss: both cross-entropy terms, clamping, ignoring.

``loss_grid(start_logits, end_logits, positions)`` takes one example's (L,)
logits and a list of gold positions to try (negative ones and ones at or past
``L`` included) and returns :class:`LossGrid`: for each gold start its clamped
position and cross-entropy term (or "ignored"), the same for each gold end, and
the loss ``BertForQuestionAnswering`` would return for every (start, end) pair
of one example. The terms come from :func:`hfanatomy.losses.qa_loss`, which
equals the model's own loss.

:class:`QALossExplorer` shows them over the tokens. Live (``web/views/qa_loss.js``,
in a kernel and on the site): the reader's question, context and answer, gold start and
end sliders running past both ends of the window; ``qa_loss_data`` is what it draws, and
``web/compute/qa_loss.js`` computes the same in the page. Recorded view (JavaScript off):
two selectors switch between values computed at build time by a tiny inline script.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
from dataclasses import dataclass

import torch

from hfanatomy import html
from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.explorers.qa_logits import QA_CSS, QALogits, chip, key_html, qa_logits
from hfanatomy.explorers.windows import NO_TOKENS
from hfanatomy.qa_inputs import encode_pair

__all__ = ["LossGrid", "loss_grid", "describe_position", "render_loss", "QALossExplorer"]


@dataclass(frozen=True)
class LossGrid:
    """Loss terms for gold positions tried on one example (one row, B = 1)."""

    L: int
    positions: list[int]
    clamped: list[int]
    start_terms: list[float | None]  # None: ignored (clamped to L)
    end_terms: list[float | None]

    def loss(self, i: int, j: int) -> float:
        """The model's loss for gold start ``positions[i]`` and gold end ``positions[j]``.

        With one example, an ignored term is a mean over zero rows: nan, and so is the loss.
        """
        s, e = self.start_terms[i], self.end_terms[j]
        if s is None or e is None:
            return math.nan
        return (s + e) / 2


def loss_grid(start_logits: torch.Tensor, end_logits: torch.Tensor,
              positions: list[int]) -> LossGrid:
    """Per-position start/end terms of the QA loss for one example's (L,) logits."""
    from hfanatomy.losses import qa_loss

    if start_logits.dim() != 1 or start_logits.shape != end_logits.shape:
        raise ValueError(f"need two (L,) logits of one example; got {tuple(start_logits.shape)} "
                         f"and {tuple(end_logits.shape)}.")
    P = len(positions)
    pos = torch.tensor(positions, dtype=torch.long)  # (P,)
    r = qa_loss(start_logits.expand(P, -1), end_logits.expand(P, -1), pos, pos)  # P rows
    L = r.ignore_index
    start = [None if bool(r.start_ignored[k]) else float(r.start_terms[k]) for k in range(P)]
    end = [None if bool(r.end_ignored[k]) else float(r.end_terms[k]) for k in range(P)]
    return LossGrid(L, list(positions), r.clamped_start.tolist(), start, end)


def describe_position(grid: LossGrid, k: int, tokens: list[str], which: str) -> str:
    """One line of HTML: gold position, what clamping made of it, and its term."""
    p, L = grid.positions[k], grid.L
    term = (grid.start_terms if which == "start" else grid.end_terms)[k]
    head = f"gold {which} = <b>{p}</b>"
    if p < 0:
        head += f" &rarr; clamped to <b>0</b> ({html.esc(tokens[0])}): still counts"
    elif p >= L:
        head += f" &rarr; clamped to <b>{L}</b> = L = ignore_index: <b>ignored</b>"
    else:
        head += f" ({html.esc(tokens[p])})"
    if term is None:
        return head + f"; {which} term: none"
    return head + f"; {which} term &minus;log p = <b>{term:.4f}</b>"


def _loss_line(grid: LossGrid, i: int, j: int) -> str:
    v = grid.loss(i, j)
    if math.isnan(v):
        return ("loss = <b>nan</b>: with one example, an ignored term is the mean of zero rows "
                "(nan), and nan spreads into the average")
    s, e = grid.start_terms[i], grid.end_terms[j]
    return f"loss = ({s:.4f} + {e:.4f}) / 2 = <b>{v:.4f}</b>"


def render_loss(data: QALogits, grid: LossGrid, i: int, j: int) -> str:
    """Token chips with the model's start/end probabilities; gold start/end outlined; terms below."""
    x, L = data.input, grid.L
    s_hi, e_hi = float(data.start_probs.max()), float(data.end_probs.max())
    cs, ce = grid.clamped[i], grid.clamped[j]
    chips = []
    for t in range(L):
        sv, ev = float(data.start_probs[t]), float(data.end_probs[t])
        cls = " ".join(c for c, on in (("gold-s", t == cs), ("gold-e", t == ce)) if on)
        chips.append(chip(t, x.tokens[t], x.roles[t], sv, ev,
                          html.color(sv, 0, s_hi, "Blues"), html.color(ev, 0, e_hi, "Oranges"),
                          ".4f", cls))
    ghost_cls = " ".join(c for c, on in (("gold-s", cs == L), ("gold-e", ce == L)) if on)
    chips.append(f'<span class="hfa-chip r-beyond {ghost_cls}" data-pos="{L}" '
                 f'title="position L = {L}: one past the last token; the ignore_index">'
                 f'<span class="t">L={L} (outside)</span><span class="b"></span>'
                 f'<span class="b"></span></span>')
    css = (QA_CSS
           + ".hfa-qa .hfa-chip .b{height:13px;font-weight:700;color:#fff;font-size:10px;"
             "line-height:13px}"
           ".hfa-qa .gold-s{border:2px solid #cf222e}.hfa-qa .gold-e{border:2px solid #1a7f37}"
           ".hfa-qa .gold-s.gold-e{border-color:#cf222e #1a7f37 #1a7f37 #cf222e}"
           ".hfa-qa .gold-s .b:nth-child(2)::after{content:'START'}"
           ".hfa-qa .gold-s .b:nth-child(2){background:#cf222e!important}"
           ".hfa-qa .gold-e .b:nth-child(3)::after{content:'END'}"
           ".hfa-qa .gold-e .b:nth-child(3){background:#1a7f37!important}"
           ".hfa-qa .r-beyond{border-style:dashed;color:#57606a}")
    ids = ' data-part="start"', ' data-part="end"', ' data-part="loss"'
    summary = (f'<div class="hfa-sum"><div{ids[0]}>{describe_position(grid, i, x.tokens, "start")}'
               f'</div><div{ids[1]}>{describe_position(grid, j, x.tokens, "end")}</div>'
               f'<div{ids[2]}>{_loss_line(grid, i, j)}</div></div>')
    key = key_html('<span>red START: gold start; green END: gold end</span>')
    return (f'<div class="hfa-qa"><style>{css}</style>{key}'
            f'<div class="hfa-chips">{"".join(chips)}</div>{summary}</div>')


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise ValueError(f"{name} must be a whole number (a token position); got {value!r}.")
    return int(value)


class _NoLengthNote(logging.Filter):
    """Drops the tokenizer's "Token indices sequence length is longer than ..." note, which
    encode_pair's untruncated count of a long pair triggers: nothing longer than the window
    reaches the model, and qa_loss_data says itself where the context is cut."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Token indices sequence length" not in record.getMessage()


@contextlib.contextmanager
def _quiet_length_note():
    log, note = logging.getLogger("transformers.tokenization_utils_base"), _NoLengthNote()
    log.addFilter(note)
    try:
        yield
    finally:
        log.removeFilter(note)


def qa_loss_data(model, tokenizer, state: dict, max_length: int = 384) -> dict:
    """The JSON the live QA-loss view draws for ``state`` (question, context, answer,
    gold_start, gold_end, follow_answer): the tokens with the model's start/end
    probabilities, the gold positions after clamping, both terms (None where ignored) and
    the loss (None: nan), plus the loss with the answer's own span as gold (``answer_span``).

    With ``follow_answer`` true the gold is the answer's tokens, or position 0 for both (the
    null answer, as :mod:`hfanatomy.qa_labels` labels a window without the answer) when the
    answer is empty or not in the window; ``gold_start``/``gold_end`` are then not read.
    Moving a gold slider turns following off."""
    from hfanatomy.losses import qa_loss

    question, context = state.get("question"), state.get("context")
    for name, text in (("question", question), ("context", context)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} is empty (or only whitespace): give the model some text "
                             "to read.")
    follow = state.get("follow_answer") is True
    gs, ge = (0, 0) if follow else (_int(state.get("gold_start"), "gold start"),
                                    _int(state.get("gold_end"), "gold end"))
    if not tokenizer(context, add_special_tokens=False, truncation=True, max_length=1)["input_ids"]:
        raise ValueError(NO_TOKENS)
    with _quiet_length_note():
        x = encode_pair(tokenizer, question, context, max_length)
    data = qa_logits(model, x)
    x, L = data.input, len(data.input)
    warnings = []
    if x.truncated:
        warnings.append(f"the pair is longer than {max_length} tokens: the context is cut to "
                        f"its first {len(x.positions('context'))} tokens, the window this loss "
                        "sees.")

    def loss_at(s: int, e: int) -> dict:
        r = qa_loss(data.start_logits[None], data.end_logits[None], torch.tensor([s]),
                    torch.tensor([e]))
        term = lambda t, ign: None if bool(ign[0]) else float(t[0])  # noqa: E731
        return {"start": s, "end": e,
                "clamped_start": int(r.clamped_start[0]), "clamped_end": int(r.clamped_end[0]),
                "start_term": term(r.start_terms, r.start_ignored),
                "end_term": term(r.end_terms, r.end_ignored),
                "loss": None if math.isnan(float(r.loss)) else float(r.loss)}

    span = None
    answer = state.get("answer") or ""
    if answer.strip():
        at = context.find(answer)
        if at < 0:
            warnings.append(f'the answer "{answer}" does not occur in the context.')
        else:
            tokens = x.token_span(at, at + len(answer))
            if tokens is None:
                warnings.append(f'the answer "{answer}" lies past the cut, outside the window.')
            else:
                span = loss_at(*tokens)
    if follow and span is not None:  # the gold follows the typed answer's tokens
        gs, ge = span["start"], span["end"]
    elif follow:  # no answer in the window: the null position, as training labels it
        warnings.append("no answer in the window: the gold is position 0 for both, the null "
                        "answer, as training labels an answer that is not in the window.")
    return {
        "L": L, "tokens": x.tokens, "roles": x.roles,
        "start_probs": data.start_probs.tolist(), "end_probs": data.end_probs.tolist(),
        "gold": loss_at(gs, ge), "answer_span": span, "truncated": x.truncated,
        "follow_answer": follow, "warnings": warnings,
    }


_SCRIPT = """
(function(){var root=document.getElementById(%(id)s);if(!root)return;
var D=JSON.parse(document.getElementById(%(data)s).textContent);
var gs=root.querySelector('[data-hfa-control=gs]'),ge=root.querySelector('[data-hfa-control=ge]');
function mark(cls,pos){root.querySelectorAll('.'+cls).forEach(function(e){e.classList.remove(cls)});
var c=root.querySelector('.hfa-chip[data-pos="'+pos+'"]');if(c)c.classList.add(cls);}
function show(){var i=+gs.value,j=+ge.value;mark('gold-s',D.clamped[i]);mark('gold-e',D.clamped[j]);
root.querySelector('[data-part=start]').innerHTML=D.start[i];
root.querySelector('[data-part=end]').innerHTML=D.end[j];
var v=D.loss[i][j];root.querySelector('[data-part=loss]').innerHTML=v===null?D.nan:
'loss = ('+D.s[i].toFixed(4)+' + '+D.e[j].toFixed(4)+') / 2 = <b>'+v.toFixed(4)+'</b>';}
gs.addEventListener('change',show);ge.addEventListener('change',show);show();})();
"""


class QALossExplorer(LiveExplorer):
    """Pick the gold start and end (inside or outside the window) and read the QA loss.

    Live (``web/views/qa_loss.js``): question, context and answer boxes, gold start and end
    sliders from ``-margin`` to ``L + margin``. The recorded view (JavaScript off) offers
    every position of the first example in two selects.
    """

    kind = "qa_loss"
    title = "Move the gold answer: the two terms of the QA loss"
    caption = ("The strips show the model's probabilities (fixed); the outlines mark the gold "
               "positions you choose. A position at or past L is ignored; a negative one is "
               "clamped to 0 and counts.")

    def __init__(self, model, tokenizer, question: str, context: str, answer: str | None = None,
                 max_length: int = 384, margin: int = 6,
                 examples: dict[str, tuple[str, str, str | None]] | None = None):
        self.data = None
        self.model, self.tokenizer, self.max_length, self.margin = model, tokenizer, max_length, margin
        self.question, self.context, self.answer = question, context, answer
        x = encode_pair(tokenizer, question, context, max_length)
        self.logits: QALogits = qa_logits(model, x)
        L = len(x)
        self.positions = [-margin, -1] + list(range(L)) + [L, L + margin]
        self.grid = loss_grid(self.logits.start_logits, self.logits.end_logits, self.positions)
        gold = x.find(answer) if answer else None
        self._answer_found = gold is not None  # the example's gold follows its answer
        if gold is None:
            gold = (self.logits.best_start, self.logits.best_end)
        self.gold = gold
        self.examples = {"the chapter's example": (question, context, answer), **(examples or {})}
        self._select(*gold)

    def _example_state(self, question: str, context: str, answer: str | None) -> dict:
        """An example's inputs; its gold positions are the answer's tokens (else the argmaxes)."""
        if (question, context, answer) == (self.question, self.context, self.answer):
            gold = self.gold
            found_answer = self._answer_found
        else:
            lg = qa_logits(self.model, encode_pair(self.tokenizer, question, context,
                                                   self.max_length))
            found = lg.input.find(answer) if answer else None
            gold = found if found is not None else (lg.best_start, lg.best_end)
            found_answer = found is not None
        return {"question": question, "context": context, "answer": answer or "",
                "gold_start": int(gold[0]), "gold_end": int(gold[1]),
                "follow_answer": found_answer}

    def config(self) -> dict:
        return {"title": self.title, "caption": self.caption, "margin": self.margin,
                "max_length": self.max_length,
                "examples": {k: self._example_state(*v) for k, v in self.examples.items()}}

    def initial_state(self) -> dict:
        label = next(iter(self.examples))
        return {"example": label, **self._example_state(*self.examples[label])}

    def compute(self, state: dict) -> dict:
        """:func:`qa_loss_data` for ``state`` with this explorer's model and tokenizer."""
        return qa_loss_data(self.model, self.tokenizer, state, self.max_length)

    def _select(self, start: int, end: int) -> None:
        """Set the gold positions; ``self.data`` becomes the QALoss the model would compute."""
        from hfanatomy.losses import qa_loss

        self.start, self.end = int(start), int(end)
        self.data = qa_loss(self.logits.start_logits[None], self.logits.end_logits[None],
                            torch.tensor([self.start]), torch.tensor([self.end]))

    def _index(self, p: int) -> int:
        if p in self.positions:
            return self.positions.index(p)
        raise ValueError(f"position {p} is not among the offered ones {self.positions[0]}.."
                         f"{self.positions[-1]}")

    def _option(self, p: int) -> str:
        L, toks = self.grid.L, self.logits.input.tokens
        if p < 0:
            return f"{p} (negative)"
        if p >= L:
            return f"{p} ({'= L' if p == L else '> L'}, outside)"
        return f"{p} {toks[p]}"

    def fallback_html(self) -> str:
        g, toks = self.grid, self.logits.input.tokens
        i, j = self._index(self.gold[0]), self._index(self.gold[1])  # the build-time choice
        payload = {
            "clamped": g.clamped,
            "start": [describe_position(g, k, toks, "start") for k in range(len(g.positions))],
            "end": [describe_position(g, k, toks, "end") for k in range(len(g.positions))],
            "s": [t if t is None else round(t, 4) for t in g.start_terms],
            "e": [t if t is None else round(t, 4) for t in g.end_terms],
            "loss": [[None if math.isnan(v := g.loss(a, b)) else round(v, 4)
                      for b in range(len(g.positions))] for a in range(len(g.positions))],
            "nan": _loss_line(g, next(k for k, t in enumerate(g.start_terms) if t is None), 0),
        }
        opts = [(str(k), self._option(p)) for k, p in enumerate(g.positions)]
        eid = html.new_id("hfa", "qa-loss" + "".join(toks))
        data_id = eid + "-data"
        controls = (f'<div class="hfa-controls">{html.select("gs", opts, str(i), "gold start")}'
                    f'{html.select("ge", opts, str(j), "gold end")}</div>')
        inner = controls + render_loss(self.logits, g, i, j) + html.json_script(payload, data_id)
        note = (f'<div class="hfa-note">{html.esc(self.caption)}</div>'
                + html.live_note("drag sliders over every position or try another text"))
        script = _SCRIPT % {"id": json.dumps(eid), "data": json.dumps(data_id)}
        return html.explorer_box(inner, title=self.title, note=note, script=script, element_id=eid)
