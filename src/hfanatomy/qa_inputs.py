"""What an extractive-QA model is fed: a question and a context encoded as one pair.

``encode_pair(tokenizer, question, context)`` runs the tokenizer the way QA
models expect (question first, only the context may be cut, offsets kept) and
returns a :class:`QAInput`: plain Python lists, one entry per token, that say
for every token its id, its segment (``token_type_ids``, when the tokenizer
makes them), which characters it covers and whether it belongs to the question,
the context or is a special token. From there, a character span of the context
maps to token positions (``token_span``) and back (``char_span``, ``text``),
which is what labelling an answer for the loss and decoding an answer need.

Works with any fast tokenizer: BERT's WordPiece (two segments, ``[CLS] q [SEP]
c [SEP]``) and RoBERTa's byte-level BPE (one segment, ``<s> q </s></s> c
</s>``, no ``token_type_ids``) alike. Long contexts are cut to the first window
here (``truncated`` says so); windows with a stride are chapter 5's business.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QAInput", "encode_pair", "QUESTION", "CONTEXT", "SPECIAL", "PAD", "NO_TOKENS",
           "require_tokens"]

QUESTION, CONTEXT, SPECIAL, PAD = "question", "context", "special", "pad"

#: the error for a context the tokenizer makes nothing of (control characters only, say);
#: the page's words are the same (web/compute/qa_forward.js)
NO_TOKENS = "the context has no token: the tokenizer drops every character of it."


@dataclass(frozen=True)
class QAInput:
    """One encoded (question, context) pair; every list has one entry per token."""

    question: str
    context: str
    input_ids: list[int]
    tokens: list[str]
    #: segment of each token (0 question, 1 context in BERT); None if the tokenizer makes none
    token_type_ids: list[int] | None
    attention_mask: list[int]
    #: (start, end) characters of each token in ``question`` or ``context``; (0, 0) for specials
    offsets: list[tuple[int, int]]
    #: 0 question, 1 context, None special/pad (the tokenizer's ``sequence_ids()``)
    sequence_ids: list[int | None]
    #: "question", "context", "special" or "pad" per token
    roles: list[str]
    max_length: int
    #: True when the context did not fit and was cut (only the context is ever cut)
    truncated: bool

    def __len__(self) -> int:
        return len(self.input_ids)

    def positions(self, role: str) -> list[int]:
        """Token positions with the given role ("question", "context", "special", "pad")."""
        return [i for i, r in enumerate(self.roles) if r == role]

    @property
    def question_tokens(self) -> tuple[int, int]:
        """(first, last) token position of the question, inclusive."""
        q = self.positions(QUESTION)
        return q[0], q[-1]

    @property
    def context_tokens(self) -> tuple[int, int]:
        """(first, last) token position of the context inside the window, inclusive."""
        c = self.positions(CONTEXT)
        return c[0], c[-1]

    @property
    def context_chars(self) -> tuple[int, int]:
        """Characters ``[start, end)`` of the context that the window covers."""
        first, last = self.context_tokens
        return self.offsets[first][0], self.offsets[last][1]

    def token_span(self, char_start: int, char_end: int) -> tuple[int, int] | None:
        """Token positions (start, end), inclusive, covering ``context[char_start:char_end]``.

        None when the span is not wholly inside the window (the answer was cut
        off): that is the case a training script labels specially.
        """
        if not (0 <= char_start < char_end <= len(self.context)):
            raise ValueError(
                f"need 0 <= char_start < char_end <= len(context) = {len(self.context)}; "
                f"got char_start={char_start}, char_end={char_end}."
            )
        first, last = self.context_tokens
        if char_start < self.offsets[first][0] or char_end > self.offsets[last][1]:
            return None
        start = next(i for i in range(first, last + 1) if self.offsets[i][1] > char_start)
        end = next(i for i in range(last, first - 1, -1) if self.offsets[i][0] < char_end)
        return start, end

    def find(self, answer: str, occurrence: int = 0) -> tuple[int, int] | None:
        """``token_span`` of the ``occurrence``-th appearance of ``answer`` in the context."""
        at = -1
        for _ in range(occurrence + 1):
            at = self.context.find(answer, at + 1)
            if at < 0:
                raise ValueError(f"{answer!r} does not occur {occurrence + 1} time(s) in the context.")
        return self.token_span(at, at + len(answer))

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Characters ``[start, end)`` of the context covered by tokens ``start..end`` (inclusive)."""
        for name, pos in (("start", start), ("end", end)):
            if not 0 <= pos < len(self) or self.roles[pos] != CONTEXT:
                first, last = self.context_tokens
                raise ValueError(
                    f"{name} token {pos} is not a context token; context tokens are "
                    f"{first}..{last} of {len(self)}."
                )
        if end < start:
            raise ValueError(f"end token {end} comes before start token {start}.")
        return self.offsets[start][0], self.offsets[end][1]

    def text(self, start: int, end: int) -> str:
        """The context text of tokens ``start..end`` (inclusive), cut from the original string."""
        a, b = self.char_span(start, end)
        return self.context[a:b]

    def tensors(self) -> dict:
        """The model's keyword inputs as (1, L) tensors; token_type_ids only if there are any."""
        import torch

        out = {
            "input_ids": torch.tensor([self.input_ids]),  # (1, L)
            "attention_mask": torch.tensor([self.attention_mask]),  # (1, L)
        }
        if self.token_type_ids is not None:
            out["token_type_ids"] = torch.tensor([self.token_type_ids])  # (1, L)
        return out


def require_tokens(tokenizer, context: str) -> None:
    """Raise ValueError(:data:`NO_TOKENS`) when ``context`` gives the tokenizer no token."""
    if not tokenizer(context, add_special_tokens=False, truncation=True,
                     max_length=1)["input_ids"]:
        raise ValueError(NO_TOKENS)


def _check_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str; got {type(value).__name__}.")
    if not value.strip():
        raise ValueError(f"{name} is empty (or only whitespace): give the model some text to read.")
    return value


def encode_pair(tokenizer, question: str, context: str, max_length: int = 384,
                truncation: str = "only_second", padding: bool = False) -> QAInput:
    """Encode ``question`` + ``context`` as one pair, question first, for an extractive-QA model.

    ``truncation="only_second"`` cuts only the context when the pair is longer than
    ``max_length`` (the question must survive whole); ``padding=True`` pads to
    ``max_length``. The tokenizer must be a fast one (it has to report offsets).
    """
    question = _check_text("question", question)
    context = _check_text("context", context)
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError(
            f"encode_pair needs a fast tokenizer (it reports character offsets); got "
            f"{type(tokenizer).__name__}. Load one with AutoTokenizer.from_pretrained(...)."
        )
    if truncation not in ("only_second", False, "do_not_truncate"):
        raise ValueError(
            f"truncation must be 'only_second' (cut only the context) or False; got {truncation!r}. "
            "Cutting the question ('only_first', 'longest_first') changes what is asked."
        )
    if not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1:
        raise ValueError(f"max_length must be a positive int; got {max_length!r}.")
    n_question = len(tokenizer(question, add_special_tokens=False)["input_ids"])
    n_special = tokenizer.num_special_tokens_to_add(pair=True)
    if truncation == "only_second" and n_question + n_special >= max_length:
        raise ValueError(
            f"the question alone takes {n_question} tokens + {n_special} special tokens, which "
            f"leaves no room for the context in max_length={max_length}. Shorten the question "
            "or raise max_length."
        )
    full = tokenizer(question, context, add_special_tokens=True)["input_ids"]
    enc = tokenizer(
        question,
        context,
        max_length=max_length,
        truncation=truncation,
        padding="max_length" if padding else False,
        return_offsets_mapping=True,
        return_token_type_ids=None,  # the tokenizer's own default: BERT yes, RoBERTa no
    )
    seq_ids = enc.sequence_ids()
    mask = list(enc["attention_mask"])
    roles = []
    for sid, m in zip(seq_ids, mask):
        if sid == 0:
            roles.append(QUESTION)
        elif sid == 1:
            roles.append(CONTEXT)
        else:
            roles.append(SPECIAL if m else PAD)
    types = enc.get("token_type_ids")
    return QAInput(
        question=question,
        context=context,
        input_ids=list(enc["input_ids"]),
        tokens=enc.tokens(),
        token_type_ids=list(types) if types is not None else None,
        attention_mask=mask,
        offsets=[tuple(o) for o in enc["offset_mapping"]],
        sequence_ids=list(seq_ids),
        roles=roles,
        max_length=max_length,
        truncated=len(full) > sum(mask),
    )
