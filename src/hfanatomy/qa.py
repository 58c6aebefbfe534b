"""Extractive question answering: from start/end logits to answer text.

transformers 5 removed ``pipeline("question-answering")``; only its decoding
core survives, as ``select_starts_ends`` / ``decode_spans`` in
``transformers.pipelines.document_question_answering``. This module is the whole
decoder of the v4 pipeline (``QuestionAnsweringPipeline`` of transformers 4.57),
in small pure steps, and returns what it returned (the tests hold it equal to
golden answers of the real v4 pipeline):

1. :func:`encode_windows` -- question + context as a pair, the context cut into
   overlapping windows (``return_overflowing_tokens``, ``stride``), with offsets
   back to characters and a mask of which tokens belong to the context.
2. :func:`run_model` -- the model on every window, start and end logits (W, L).
3. :func:`span_scores` -- per window: non-context tokens set to -10000, softmax
   over the sequence, the null token ([CLS]) zeroed (its p_start * p_end kept as
   the null score), then the start x end grid p_start[i] * p_end[j] limited to
   i <= j < i + max_answer_len with both ends inside the context.
4. :func:`top_spans` -- the n best allowed cells of each window's grid (what the
   book reads); :func:`pipeline_spans` -- what v4 took: the n best cells of the
   whole grid, *then* the spans with an end outside the context dropped.
5. :func:`decode` -- spans to characters through the offsets (aligned to whole
   words, as v4 did by default), gathered over all windows of one example with
   v4's rules: ``top_k * 2 + 10`` candidates per window when aligning to words,
   answers of equal text (ignoring case) merged with their scores *added* (so a
   score can exceed 1), the null answer appended, sorted, the first ``top_k``.

:func:`answer` chains the five::

    from hfanatomy.qa import answer
    answer("Where does Ada live?", "Ada lives in Paris.", model, tokenizer)
    # [Answer(text='Paris', start=13, end=18, score=0.93, ...)]

:mod:`hfanatomy.qa_pipeline` wraps it in a call shaped like the old pipeline (dicts,
``question=``/``context=``), :mod:`hfanatomy.qa_course` is the other decoder, the
one of the Hugging Face course and the ``run_qa`` training script.

Shapes: W windows, L tokens per window (padded to the longest window).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch

from hfanatomy.checks import whole_number

__all__ = [
    "Windows",
    "SpanScores",
    "Span",
    "Answer",
    "encode_windows",
    "run_model",
    "span_scores",
    "top_spans",
    "pipeline_spans",
    "pre_topk",
    "merge_answers",
    "span_chars",
    "decode",
    "answer",
    "context_room",
    "pipeline_defaults",
    "mask_reasons",
    "MASKED_LOGIT",
    "VALID",
    "OUTSIDE_CONTEXT",
    "END_BEFORE_START",
    "TOO_LONG",
]

#: the value non-context logits get before the softmax (as in ``select_starts_ends``)
MASKED_LOGIT = -10000.0


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------
@dataclass
class Windows:
    """Question/context pairs encoded as overlapping windows over the context."""

    input_ids: torch.Tensor  # (W, L) long
    attention_mask: torch.Tensor  # (W, L) long, 0 on padding
    token_type_ids: torch.Tensor | None  # (W, L) long, or None (e.g. RoBERTa)
    offsets: torch.Tensor  # (W, L, 2) character offsets into the token's own text
    context_mask: torch.Tensor  # (W, L) bool: True where the token comes from the context
    null_index: torch.Tensor  # (W,) long: the window's first token (the null token, [CLS])
    sample: torch.Tensor  # (W,) long: which (question, context) pair (overflow_to_sample_mapping)
    questions: list[str]
    contexts: list[str]
    question_first: bool  # True: [CLS] question [SEP] context [SEP]; False: context first
    max_seq_len: int
    doc_stride: int
    encodings: list[Any] = field(repr=False, default_factory=list)  # tokenizers.Encoding per window
    input_names: tuple[str, ...] = ("input_ids", "attention_mask")
    # (W, L) bool: the tokens v4 let into the softmax and into answers (0 in its p_mask):
    # the context and [CLS] when the question comes first, every token when the context
    # comes first (v4's p_mask was all 0 then: question tokens could be answers)
    answer_mask: torch.Tensor | None = None

    @property
    def num_windows(self) -> int:
        return int(self.input_ids.shape[0])

    @property
    def allowed(self) -> torch.Tensor:
        """(W, L) bool: the tokens an answer may use (``answer_mask``, else the context)."""
        return self.answer_mask if self.answer_mask is not None else self.context_mask

    def model_inputs(self, rows: slice | None = None) -> dict[str, torch.Tensor]:
        """The tensors the model takes (only the names the tokenizer declares)."""
        rows = rows if rows is not None else slice(None)
        out = {"input_ids": self.input_ids[rows], "attention_mask": self.attention_mask[rows]}
        if self.token_type_ids is not None and "token_type_ids" in self.input_names:
            out["token_type_ids"] = self.token_type_ids[rows]
        return out

    def context_chars(self, w: int) -> tuple[int, int]:
        """(first, last + 1) character of the context that window ``w`` covers."""
        idx = self.context_mask[w].nonzero().flatten()  # (n_context_tokens,)
        return int(self.offsets[w, idx[0], 0]), int(self.offsets[w, idx[-1], 1])

    def windows_of(self, sample: int) -> list[int]:
        """Indices of the windows cut from pair number ``sample``."""
        return [int(w) for w in (self.sample == sample).nonzero().flatten()]

    def tokens_of(self, w: int) -> slice:
        """The positions of window ``w`` that are not padding (what v4 fed the model)."""
        idx = self.attention_mask[w].nonzero().flatten()
        return slice(int(idx[0]), int(idx[-1]) + 1)


@dataclass
class SpanScores:
    """The start x end score grid of every window, with what was masked and why."""

    start_probs: torch.Tensor  # (W, L) softmax over context tokens + the null token
    end_probs: torch.Tensor  # (W, L)
    null_scores: torch.Tensor  # (W,) start_probs[null] * end_probs[null]
    grid: torch.Tensor  # (W, L, L) p_start[i] * p_end[j] on valid cells, 0 elsewhere
    valid: torch.Tensor  # (W, L, L) bool: i, j in context, i <= j, j - i + 1 <= max_answer_len
    max_answer_len: int
    handle_impossible_answer: bool


@dataclass(frozen=True)
class Span:
    """One candidate in token positions of one window (``end`` inclusive)."""

    window: int
    start: int
    end: int
    score: float

    def __repr__(self) -> str:
        return (f"Span(window={self.window}, start={self.start}, end={self.end}, "
                f"score={self.score:.4g})")


@dataclass
class Answer:
    """One answer: ``context[start:end] == text``; the null answer is ``("", 0, 0)``."""

    text: str
    start: int
    end: int
    score: float
    window: int | None = None  # which window it was read from (None: the null answer)
    start_token: int | None = None
    end_token: int | None = None
    merged: int = 1  # how many token spans (in all windows) had this text; their scores add up

    def __getitem__(self, key: str):  # dict-style access, like the v4 pipeline's dicts
        return getattr(self, key)

    def __repr__(self) -> str:
        where = "" if self.window is None else (
            f", window={self.window}, tokens={self.start_token}..{self.end_token}")
        if self.merged > 1:
            where += f", merged={self.merged}"
        return (f"Answer(text={self.text!r}, start={self.start}, end={self.end}, "
                f"score={self.score:.4g}{where})")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------
def _as_list(value: Any, name: str) -> tuple[list[str], bool]:
    if isinstance(value, str):
        values, single = [value], True
    elif isinstance(value, (list, tuple)):
        values, single = list(value), False
    else:
        raise TypeError(f"{name} must be a string or a list of strings; got {type(value).__name__}.")
    if not values:
        raise ValueError(f"{name} is an empty list; give at least one {name}.")
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise TypeError(f"{name}[{i}] must be a string; got {type(v).__name__}.")
        if not v.strip():
            where = name if single else f"{name}[{i}]"
            raise ValueError(f"{where} is empty (or only whitespace); an extractive QA model "
                             f"needs a non-empty question and a non-empty context.")
    return values, single


def context_room(question: str, tokenizer, max_seq_len: int) -> int:
    """How many context tokens fit in one window next to ``question``.

    ``max_seq_len`` minus the question's tokens minus the special tokens of a pair
    ([CLS] q [SEP] c [SEP] -> 3 for BERT, 4 for RoBERTa).
    """
    q_len = len(tokenizer(question, add_special_tokens=False)["input_ids"])
    return max_seq_len - q_len - tokenizer.num_special_tokens_to_add(pair=True)


def pipeline_defaults(tokenizer, max_seq_len: int | None = None,
                      doc_stride: int | None = None) -> tuple[int, int]:
    """``(max_seq_len, doc_stride)`` with v4's defaults for the ones given as None.

    ``max_seq_len = min(tokenizer.model_max_length, 384)``, then
    ``doc_stride = min(max_seq_len // 2, 128)`` (``QuestionAnsweringPipeline.preprocess``).
    """
    if max_seq_len is None:
        max_seq_len = min(int(tokenizer.model_max_length), 384)
    if doc_stride is None and isinstance(max_seq_len, int) and not isinstance(max_seq_len, bool):
        doc_stride = min(max_seq_len // 2, 128)
    return max_seq_len, doc_stride


# ---------------------------------------------------------------------------
# 1. windows
# ---------------------------------------------------------------------------
def encode_windows(
    question: str | Sequence[str],
    context: str | Sequence[str],
    tokenizer,
    max_seq_len: int | None = None,
    doc_stride: int | None = None,
) -> Windows:
    """Encode question/context pairs, cutting long contexts into overlapping windows.

    Like the v4 pipeline: a tokenizer that pads on the right gets
    ``(question, context)`` with ``truncation="only_second"``; one that pads on the
    left gets ``(context, question)`` with ``truncation="only_first"``. Each window
    holds at most ``max_seq_len`` tokens (default ``min(model_max_length, 384)``) and
    repeats the last ``doc_stride`` context tokens (default ``min(max_seq_len // 2,
    128)``) of the window before it. ``question``/``context`` may be lists (paired).
    ``context_mask`` marks the context's tokens in both orders; ``answer_mask`` is
    what v4 allowed: the same plus [CLS] when the question comes first, but every
    token when the context comes first (v4's ``p_mask`` masked nothing then).
    """
    max_seq_len, doc_stride = pipeline_defaults(tokenizer, max_seq_len, doc_stride)
    questions, q_single = _as_list(question, "question")
    contexts, c_single = _as_list(context, "context")
    if q_single != c_single or len(questions) != len(contexts):
        raise ValueError(
            f"question and context must both be strings or lists of the same length "
            f"(pairs); got {len(questions)} question(s) and {len(contexts)} context(s)."
        )
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError(
            f"{type(tokenizer).__name__} is not a fast (tokenizers-backed) tokenizer: decoding "
            "needs offset mappings. Load it with AutoTokenizer.from_pretrained(...)."
        )
    whole_number(max_seq_len, "max_seq_len", 2)
    whole_number(doc_stride, "doc_stride", 0)
    for i, q in enumerate(questions):
        room = context_room(q, tokenizer, max_seq_len)
        where = "question" if q_single else f"question[{i}]"
        if room < 1:
            raise ValueError(
                f"{where} is too long: it leaves no room for the context in a window of "
                f"max_seq_len={max_seq_len} tokens ({max_seq_len - room} tokens would be needed "
                f"for the question and the special tokens). Shorten the question or raise "
                f"max_seq_len."
            )
        if doc_stride >= room:
            raise ValueError(
                f"doc_stride={doc_stride} must be smaller than the room left for the context "
                f"in one window ({room} tokens = max_seq_len {max_seq_len} - question and "
                f"special tokens for {where}); otherwise windows would never advance. Use a "
                f"doc_stride below {room} or a larger max_seq_len."
            )

    question_first = tokenizer.padding_side == "right"
    first, second = (questions, contexts) if question_first else (contexts, questions)
    enc = tokenizer(
        first, second,
        truncation="only_second" if question_first else "only_first",
        max_length=max_seq_len,
        stride=doc_stride,
        padding=True,  # pad to the longest window, on the tokenizer's padding side
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        return_tensors="pt",
    )
    n = enc["input_ids"].shape[0]  # W
    context_index = 1 if question_first else 0
    seq_ids = [enc.sequence_ids(w) for w in range(n)]
    context_mask = torch.tensor([[s == context_index for s in ids] for ids in seq_ids])  # (W, L)
    input_ids = enc["input_ids"]  # (W, L)
    attention = enc["attention_mask"].bool()  # (W, L)
    # v4 ran each window unpadded and took its position 0 as the null token ([CLS])
    null_index = attention.float().argmax(dim=1)  # (W,) first non-padding position
    # v4's p_mask: 1 on everything but the context (question first) or 0 everywhere
    # (context first); every [CLS] kept at 0
    answer_mask = (context_mask if question_first else attention.clone()) & attention  # (W, L)
    if tokenizer.cls_token_id is not None:
        answer_mask |= (input_ids == tokenizer.cls_token_id) & attention
    return Windows(
        input_ids=input_ids,
        attention_mask=enc["attention_mask"],
        token_type_ids=enc.get("token_type_ids"),
        offsets=enc["offset_mapping"],  # (W, L, 2)
        context_mask=context_mask,
        null_index=null_index,
        sample=enc["overflow_to_sample_mapping"].long(),  # (W,)
        questions=questions,
        contexts=contexts,
        question_first=question_first,
        max_seq_len=max_seq_len,
        doc_stride=doc_stride,
        encodings=list(enc.encodings),
        input_names=tuple(tokenizer.model_input_names),
        answer_mask=answer_mask,
    )


# ---------------------------------------------------------------------------
# 2. the model
# ---------------------------------------------------------------------------
def _position_limit(model) -> int | None:
    """How many tokens the model's position table allows (RoBERTa loses padding_idx + 1)."""
    n = getattr(getattr(model, "config", None), "max_position_embeddings", None)
    if n is None:
        return None
    emb = getattr(getattr(model, "base_model", None), "embeddings", None)
    pad = getattr(emb, "padding_idx", None)  # RobertaEmbeddings counts positions from pad + 1
    return int(n - (pad + 1)) if isinstance(pad, int) else int(n)


@torch.no_grad()
def run_model(model, windows: Windows, batch_size: int | None = None
              ) -> tuple[torch.Tensor, torch.Tensor]:
    """Start and end logits of every window, each (W, L), float32 on the CPU.

    By default each window runs alone and without its padding, as in the v4 pipeline
    (``batch_size=1``): the model sees exactly the tokens v4 gave it. ``batch_size=n``
    runs n padded windows at a time (faster on long texts; logits differ in the last
    bits). Padding positions get logit 0 (they are masked before any softmax).
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (a ...ForQuestionAnswering model); "
                        f"got {type(model).__name__}.")
    limit = _position_limit(model)
    length = windows.input_ids.shape[1]
    if limit is not None and length > limit:
        raise ValueError(
            f"windows of {length} tokens are longer than the {limit} positions this model "
            f"has; use max_seq_len <= {limit}."
        )
    if batch_size is not None:
        whole_number(batch_size, "batch_size", 1)
    device = next(model.parameters()).device

    def forward(inputs: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        out = model(**{k: v.to(device) for k, v in inputs.items()})
        start = getattr(out, "start_logits", None) if not isinstance(out, tuple) else None
        end = getattr(out, "end_logits", None) if not isinstance(out, tuple) else None
        if start is None or end is None:
            raise ValueError(
                f"{type(model).__name__} returned no start_logits/end_logits: it is not an "
                f"extractive question-answering model. Load one with "
                f"AutoModelForQuestionAnswering (e.g. hfanatomy.load_qa())."
            )
        return start.float().cpu(), end.float().cpu()  # (b, l) each

    if batch_size is None:  # one window at a time, without padding, like v4
        starts = torch.zeros(windows.input_ids.shape)  # (W, L)
        ends = torch.zeros(windows.input_ids.shape)
        for w in range(windows.num_windows):
            keep = windows.tokens_of(w)
            inputs = {k: v[w:w + 1, keep] for k, v in windows.model_inputs().items()}
            starts[w, keep], ends[w, keep] = (t[0] for t in forward(inputs))
        return starts, ends
    starts_list, ends_list = [], []
    for lo in range(0, windows.num_windows, batch_size):
        start, end = forward(windows.model_inputs(slice(lo, lo + batch_size)))  # (b, L) each
        starts_list.append(start)
        ends_list.append(end)
    return torch.cat(starts_list), torch.cat(ends_list)  # (W, L) each


# ---------------------------------------------------------------------------
# 3. the score grid
# ---------------------------------------------------------------------------
def span_scores(
    start_logits: torch.Tensor,
    end_logits: torch.Tensor,
    context_mask: torch.Tensor,
    max_answer_len: int = 15,
    handle_impossible_answer: bool = False,
    null_index: int | torch.Tensor = 0,
) -> SpanScores:
    """Score every (start, end) pair of every window, as ``select_starts_ends`` does.

    ``start_logits``/``end_logits``/``context_mask`` are (W, L) (or (L,) for one
    window). Tokens outside the context, except the null token at ``null_index``,
    get -10000 before a softmax over the sequence; the null token's
    p_start * p_end is kept as the window's null score, then its probabilities are
    zeroed; cell (i, j) = p_start[i] * p_end[j] where i <= j < i + max_answer_len
    and both are context tokens, 0 elsewhere.
    """
    whole_number(max_answer_len, "max_answer_len", 1)
    if start_logits.dim() == 1:
        start_logits, end_logits, context_mask = start_logits[None], end_logits[None], context_mask[None]
    if start_logits.shape != end_logits.shape or start_logits.shape != context_mask.shape:
        raise ValueError(f"start_logits {tuple(start_logits.shape)}, end_logits "
                         f"{tuple(end_logits.shape)} and context_mask {tuple(context_mask.shape)} "
                         f"must have the same (W, L) shape.")
    w, length = start_logits.shape
    context_mask = context_mask.bool()  # (W, L)
    null_index = torch.as_tensor(null_index, dtype=torch.long).expand(w)  # (W,)
    rows = torch.arange(w)
    null_onehot = torch.zeros(w, length, dtype=torch.bool)  # (W, L)
    null_onehot[rows, null_index] = True
    allowed = context_mask | null_onehot  # (W, L): context tokens and the null token

    start_probs = _softmax(start_logits.float().masked_fill(~allowed, MASKED_LOGIT))  # (W, L)
    end_probs = _softmax(end_logits.float().masked_fill(~allowed, MASKED_LOGIT))  # (W, L)
    null_scores = start_probs[rows, null_index] * end_probs[rows, null_index]  # (W,)

    p_start = start_probs.masked_fill(null_onehot, 0.0)  # (W, L) null token zeroed
    p_end = end_probs.masked_fill(null_onehot, 0.0)
    grid = p_start[:, :, None] * p_end[:, None, :]  # (W, L, L): rows = start, columns = end

    i = torch.arange(length)[:, None]  # (L, 1) start
    j = torch.arange(length)[None, :]  # (1, L) end
    band = (j >= i) & (j - i < max_answer_len)  # (L, L): upper triangle, length <= max
    valid = context_mask[:, :, None] & context_mask[:, None, :] & band  # (W, L, L)
    return SpanScores(
        start_probs=start_probs,
        end_probs=end_probs,
        null_scores=null_scores,
        grid=grid.masked_fill(~valid, 0.0),
        valid=valid,
        max_answer_len=max_answer_len,
        handle_impossible_answer=bool(handle_impossible_answer),
    )


def _softmax(x: torch.Tensor) -> torch.Tensor:
    """exp(x - max) / sum over the last axis, the formula (and float32) of v4's numpy."""
    e = torch.exp(x - x.max(dim=-1, keepdim=True).values)  # (W, L)
    return e / e.sum(dim=-1, keepdim=True)


#: codes of :func:`mask_reasons`
VALID, OUTSIDE_CONTEXT, END_BEFORE_START, TOO_LONG = 0, 1, 2, 3
#: what each code means, indexed by code (``web/rules/spans.js`` holds the same words)
MASK_REASONS = ("a valid span", "masked: start or end is not a context token",
                "masked: end before start", "masked: longer than max_answer_len")


def mask_reasons(context_mask: torch.Tensor, max_answer_len: int) -> torch.Tensor:
    """Why each (start, end) cell is excluded: (W, L, L) or (L, L) codes.

    VALID (0); OUTSIDE_CONTEXT (1): start or end is a question, special or padding
    token; END_BEFORE_START (2); TOO_LONG (3): end - start + 1 > max_answer_len.
    The first reason that applies wins, in that order.
    """
    whole_number(max_answer_len, "max_answer_len", 1)
    single = context_mask.dim() == 1
    ctx = context_mask.bool()[None] if single else context_mask.bool()  # (W, L)
    length = ctx.shape[1]
    i = torch.arange(length)[:, None]  # (L, 1)
    j = torch.arange(length)[None, :]  # (1, L)
    codes = torch.full((ctx.shape[0], length, length), VALID, dtype=torch.long)  # (W, L, L)
    codes[((j - i) >= max_answer_len).expand_as(codes)] = TOO_LONG
    codes[(j < i).expand_as(codes)] = END_BEFORE_START
    codes[~(ctx[:, :, None] & ctx[:, None, :])] = OUTSIDE_CONTEXT
    return codes[0] if single else codes


def top_spans(scores: SpanScores, top_k: int = 1) -> list[list[Span]]:
    """The ``top_k`` best valid cells of each window's grid, best first."""
    whole_number(top_k, "top_k", 1)
    w, length, _ = scores.grid.shape
    flat = scores.grid.masked_fill(~scores.valid, -1.0).flatten(1)  # (W, L*L); invalid below 0
    order = torch.sort(flat, dim=1, descending=True, stable=True).indices[:, :top_k]  # (W, k)
    out = []
    for win in range(w):
        spans = []
        for idx in order[win].tolist():
            s, e = divmod(idx, length)
            if scores.valid[win, s, e]:
                spans.append(Span(win, s, e, float(scores.grid[win, s, e])))
        out.append(spans)
    return out


def pre_topk(top_k: int, align_to_words: bool = True) -> int:
    """How many spans v4 read from each window: ``top_k * 2 + 10`` when aligning to
    words ("some candidates may be deleted"), else ``top_k``."""
    return top_k * 2 + 10 if align_to_words else top_k


def _v4_order(flat: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest values, best first, with numpy's own tie order
    (``decode_spans``: argmax for k = 1, else argpartition then argsort)."""
    if k == 1:
        return np.array([np.argmax(flat)])
    if len(flat) <= k:  # v4 had `<` and crashed at equality (argpartition's kth out of bounds);
        return np.argsort(-flat)  # transformers 5's decode_spans has `<=`
    idx = np.argpartition(-flat, k)[0:k]
    return idx[np.argsort(-flat[idx])]


def pipeline_spans(scores: SpanScores, windows: Windows, top_k: int = 1) -> list[list[Span]]:
    """Per window, the spans the v4 pipeline's ``decode_spans`` returned, best first.

    v4 took the ``top_k`` largest cells of the whole grid of the unpadded window
    (allowed or not; masked cells are 0) and *then* dropped the spans whose start or
    end is outside ``answer_mask``. When a window has fewer than ``top_k`` allowed
    cells with a score above 0, cells scored 0 fill the rest: some are dropped (a
    window can give fewer than ``top_k``), some kept, with score 0 (an end before the
    start, or longer than ``max_answer_len``). Position 0 always passed that filter
    (``np.isin`` against the 2-D ``nonzero()`` of a (1, L) mask also matches row 0).
    """
    whole_number(top_k, "top_k", 1)
    allowed = windows.allowed
    out = []
    for w in range(scores.grid.shape[0]):
        keep = windows.tokens_of(w)
        grid = scores.grid[w, keep, keep].numpy()  # (n, n) the unpadded window, as v4 saw it
        order = _v4_order(grid.flatten(), top_k)
        starts, ends = np.unravel_index(order, grid.shape)
        ok = allowed[w, keep].numpy().nonzero()[0]  # (m,)
        ok = np.concatenate([[0], ok]) if ok.size else ok
        desired = np.isin(starts, ok) & np.isin(ends, ok)
        out.append([Span(w, int(s) + keep.start, int(e) + keep.start, float(grid[s, e]))
                    for s, e in zip(starts[desired], ends[desired])])
    return out


# ---------------------------------------------------------------------------
# 4. back to characters and across windows
# ---------------------------------------------------------------------------
def span_chars(windows: Windows, w: int, s: int, e: int, align_to_words: bool = True
               ) -> tuple[int, int]:
    """Characters ``(start, end)`` of tokens s..e of window w, as v4's ``get_indices``.

    With ``align_to_words`` the first and last token are widened to the words they
    belong to (``token_to_word`` then ``word_to_chars``); when that fails (a special
    token has no word) both ends fall back to the tokens' own offsets.
    """
    seq_index = 1 if windows.question_first else 0
    if align_to_words and windows.encodings:
        enc = windows.encodings[w]
        sw, ew = enc.token_to_word(s), enc.token_to_word(e)
        if sw is not None and ew is not None:
            first = enc.word_to_chars(sw, sequence_index=seq_index)
            last = enc.word_to_chars(ew, sequence_index=seq_index)
            if first is not None and last is not None:
                return int(first[0]), int(last[1])
    return int(windows.offsets[w, s, 0]), int(windows.offsets[w, e, 1])


def merge_answers(answers: Sequence[Answer]) -> list[Answer]:
    """v4's ``get_answer`` rule: an answer whose text equals (ignoring case) an earlier
    one is not added; its score is added to the earlier one's (which keeps its place,
    start and end). Over several windows a sum can exceed 1."""
    merged: list[Answer] = []
    by_text: dict[str, Answer] = {}
    for a in answers:
        first = by_text.get(a.text.lower())
        if first is None:
            first = by_text[a.text.lower()] = Answer(**a.to_dict())
            merged.append(first)
        else:
            first.score += a.score
            first.merged += a.merged
    return merged


def decode(
    windows: Windows,
    start_logits: torch.Tensor,
    end_logits: torch.Tensor,
    *,
    top_k: int = 1,
    max_answer_len: int = 15,
    handle_impossible_answer: bool = False,
    align_to_words: bool = True,
) -> list[list[Answer]]:
    """Answers for every pair in ``windows`` from the model's (W, L) logits, best first.

    The v4 pipeline's ``postprocess``: per window the :func:`pipeline_spans` of
    :func:`pre_topk` candidates, mapped to characters; over the pair's windows in
    order, answers of equal text (ignoring case) merged by :func:`merge_answers`; the
    null answer ``("", 0, 0)`` appended, scored with the smallest null score over
    the windows, when ``handle_impossible_answer``; sorted by score (stable); the
    first ``top_k``.
    """
    whole_number(top_k, "top_k", 1)
    allowed = windows.allowed
    scores = span_scores(start_logits, end_logits, allowed, max_answer_len,
                         handle_impossible_answer, windows.null_index)
    spans = pipeline_spans(scores, windows, pre_topk(top_k, align_to_words))
    results = []
    for sample, ctx in enumerate(windows.contexts):
        found: list[Answer] = []
        for w in windows.windows_of(sample):
            for sp in spans[w]:
                a, b = span_chars(windows, w, sp.start, sp.end, align_to_words)
                found.append(Answer(ctx[a:b], a, b, sp.score, w, sp.start, sp.end))
        found = merge_answers(found)
        if handle_impossible_answer:
            null = float(scores.null_scores[windows.sample == sample].min())
            found.append(Answer("", 0, 0, null))
        found.sort(key=lambda ans: ans.score, reverse=True)  # stable: ties keep their order
        results.append(found[:top_k])
    return results


def null_score(windows: Windows, start_logits: torch.Tensor, end_logits: torch.Tensor,
               sample: int = 0) -> float:
    """The null answer's score for pair ``sample``: the smallest null token p_start * p_end
    over its windows, what :func:`decode` appends with ``handle_impossible_answer``."""
    # max_answer_len (15) bounds the spans only; the null token's scores do not depend on it
    scores = span_scores(start_logits, end_logits, windows.allowed, 15, True, windows.null_index)
    return float(scores.null_scores[windows.sample == sample].min())


def answer(
    question: str | Sequence[str],
    context: str | Sequence[str],
    model,
    tokenizer,
    *,
    top_k: int = 1,
    max_answer_len: int = 15,
    max_seq_len: int | None = None,
    doc_stride: int | None = None,
    max_question_len: int = 64,
    handle_impossible_answer: bool = False,
    align_to_words: bool = True,
) -> list[Answer] | list[list[Answer]]:
    """Answer ``question`` from ``context`` with an extractive QA model, best first.

    The v4 ``pipeline("question-answering")``, its defaults and its scoring: a list of
    at most ``top_k`` :class:`Answer` (``text``, ``start``, ``end``, ``score``;
    ``context[start:end] == text``). With lists of questions and contexts (pairs), a
    list of such lists. ``max_seq_len`` defaults to ``min(model_max_length, 384)``,
    ``doc_stride`` to ``min(max_seq_len // 2, 128)``; ``max_question_len`` is accepted
    and, as in v4 with a fast tokenizer, not used. ``align_to_words=True`` widens a
    span to whole words (v4's default); ``False`` keeps exact token offsets.
    :func:`hfanatomy.qa_pipeline.question_answerer` returns v4's dicts instead.
    """
    whole_number(top_k, "top_k", 1)
    whole_number(max_answer_len, "max_answer_len", 1)
    whole_number(max_question_len, "max_question_len", 1)
    windows = encode_windows(question, context, tokenizer, max_seq_len, doc_stride)
    start_logits, end_logits = run_model(model, windows)
    results = decode(windows, start_logits, end_logits, top_k=top_k,
                     max_answer_len=max_answer_len,
                     handle_impossible_answer=handle_impossible_answer,
                     align_to_words=align_to_words)
    return results[0] if isinstance(question, str) else results
