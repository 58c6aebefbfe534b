"""Move the gold answer and watch the QA loss: both cross-entropy terms, clamping, ignoring.

``loss_grid(start_logits, end_logits, positions)`` takes one example's (L,)
logits and a list of gold positions to try (negative ones and ones at or past
``L`` included) and returns :class:`LossGrid`: for each gold start its clamped
position and cross-entropy term (or "ignored"), the same for each gold end, and
the loss ``BertForQuestionAnswering`` would return for every (start, end) pair
of one example (``plots.qa.plot_loss_terms`` draws it). The terms come from
:func:`hfanatomy.losses.qa_loss`, which equals the model's own loss.

:class:`QALossExplorer` (kind ``"qa_loss"``) shows them over the tokens, drawn by
``web/views/qa_loss.js`` in a kernel and on the site alike: the reader's question, context
and answer, gold start and end sliders running past both ends of the window.
:func:`qa_loss_data` is what it draws, and ``web/compute/qa_loss.js`` computes the same in
the page. A book built on another checkpoint records each example, and each with one gold
slider moved to either end or to ``L`` (:meth:`QALossExplorer.recorded_states`).
"""

from __future__ import annotations

import contextlib
import logging
import math
from dataclasses import dataclass

import torch

from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.qa_head import QALogits, qa_logits
from hfanatomy.qa_inputs import encode_pair, require_tokens

__all__ = ["LossGrid", "loss_grid", "QALossExplorer", "qa_loss_data"]


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
    require_tokens(tokenizer, context)
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


class QALossExplorer(LiveExplorer):
    """Pick the gold start and end (inside or outside the window) and read the QA loss.

    Drawn by ``web/views/qa_loss.js``: question, context and answer boxes, gold start and
    end sliders from ``-margin`` to ``L + margin``; ``compute(state)`` is
    :func:`qa_loss_data`.
    """

    kind = "qa_loss"
    title = "Move the gold answer: the two terms of the QA loss"
    caption = ("The strips show the model's probabilities (fixed); the outlines mark the gold "
               "positions you choose. A position at or past L is ignored; a negative one is "
               "clamped to 0 and counts.")

    def __init__(self, model, tokenizer, question: str, context: str, answer: str | None = None,
                 max_length: int = 384, margin: int = 6,
                 examples: dict[str, tuple[str, str, str | None]] | None = None):
        self.model, self.tokenizer, self.max_length, self.margin = model, tokenizer, max_length, margin
        self.question, self.context, self.answer = question, context, answer
        self.logits: QALogits = qa_logits(model, encode_pair(tokenizer, question, context,
                                                             max_length))
        gold = self.logits.input.find(answer) if answer else None
        self._answer_found = gold is not None  # the example's gold follows its answer
        if gold is None:
            gold = (self.logits.best_start, self.logits.best_end)
        self.gold = gold
        self.examples = {"the chapter's example": (question, context, answer), **(examples or {})}

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

    def recorded_states(self) -> list[dict]:
        """The first state and each example, then each of them with one gold slider moved
        (the other gold where the example put it) to either end of the slider
        (``-margin``: clamped to 0, still counts; ``L + margin``: ignored) and to ``L``
        itself (the ignore_index). Every position would cost a state each: a long context
        takes some 20 kB a state."""
        bases = super().recorded_states()
        states = list(bases)
        for base in bases:
            data, _ = self.run(base)
            if data is None:
                continue
            gold, L = data["gold"], data["L"]
            for name in ("gold_start", "gold_end"):
                for p in (-self.margin, L, L + self.margin):
                    state = {**base, "follow_answer": False, "gold_start": gold["start"],
                             "gold_end": gold["end"], name: p}
                    if state not in states:
                        states.append(state)
        return states
