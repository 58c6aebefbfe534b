"""The old ``pipeline("question-answering")`` call, for code that lost it in transformers 5.

transformers 5 removed ``QuestionAnsweringPipeline``. :func:`question_answerer` gives back
a callable with its signature and its results, computed by :mod:`hfanatomy.qa` (which the
tests hold equal to golden answers of the real v4 pipeline)::

    from hfanatomy.qa_pipeline import question_answerer
    qa = question_answerer(model, tokenizer)          # or question_answerer("path/to/ckpt")
    qa(question="Where does Ada live?", context="Ada lives in Paris.")
    # {'score': 0.93, 'start': 13, 'end': 18, 'answer': 'Paris'}

Like v4: keyword arguments ``top_k`` (or the deprecated ``topk``), ``doc_stride``,
``max_answer_len``, ``max_seq_len``, ``max_question_len``, ``handle_impossible_answer``,
``align_to_words``, given to :func:`question_answerer` or to each call; inputs as
``question=``/``context=`` (strings, a list of questions with one context, or two lists),
two positional strings, a ``{"question", "context"}`` dict or a list of them. One answer
comes back as a bare dict, several as a list, and several examples as a list of those.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import torch

from hfanatomy import qa

__all__ = ["QuestionAnsweringPipeline", "question_answerer", "OPTIONS"]

#: the keyword arguments v4's pipeline took (``padding`` only as its default)
OPTIONS = ("top_k", "topk", "doc_stride", "max_answer_len", "max_seq_len", "max_question_len",
           "handle_impossible_answer", "align_to_words", "padding")


class QuestionAnsweringPipeline:
    """A callable with v4's ``QuestionAnsweringPipeline.__call__`` shape (PyTorch, fast
    tokenizers)."""

    def __init__(self, model, tokenizer, **options):
        self.model = model
        self.tokenizer = tokenizer
        self.options = self._sanitize(options)

    def __repr__(self) -> str:
        return (f"QuestionAnsweringPipeline(model={type(self.model).__name__}, "
                f"tokenizer={type(self.tokenizer).__name__}, options={self.options})")

    @staticmethod
    def _sanitize(options: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise TypeError(f"unknown option(s) {unknown}; the question-answering pipeline takes "
                            f"{', '.join(OPTIONS)}.")
        out = dict(options)
        if "topk" in out:
            topk = out.pop("topk")
            if "top_k" not in out:
                warnings.warn("topk parameter is deprecated, use top_k instead", UserWarning,
                              stacklevel=3)
                out["top_k"] = topk
        padding = out.pop("padding", None)
        if padding not in (None, False, "do_not_pad"):
            raise ValueError(f"padding={padding!r} is not supported: windows are read without "
                             f"padding, as with v4's default padding='do_not_pad'.")
        return out

    @staticmethod
    def _examples(args: tuple, kwargs: dict) -> tuple[list[tuple[str, str]], bool]:
        """(question, context) pairs, and whether one result (not a list of them) is due."""
        if args:
            if len(args) == 2 and all(isinstance(a, str) for a in args):
                items: Any = [{"question": args[0], "context": args[1]}]
            elif len(args) == 1:
                items = args[0]
            else:
                items = list(args)
        elif "question" in kwargs and "context" in kwargs:
            q, c = kwargs.pop("question"), kwargs.pop("context")
            if isinstance(q, list) and isinstance(c, str):
                items = [{"question": x, "context": c} for x in q]
            elif isinstance(q, list) and isinstance(c, list):
                if len(q) != len(c):
                    raise ValueError(f"Questions and contexts don't have the same lengths "
                                     f"({len(q)} and {len(c)}).")
                items = [{"question": x, "context": y} for x, y in zip(q, c)]
            elif isinstance(q, str) and isinstance(c, str):
                items = [{"question": q, "context": c}]
            else:
                raise ValueError(f"Arguments can't be understood: question is "
                                 f"{type(q).__name__}, context is {type(c).__name__} (give two "
                                 f"strings, a list of questions and a string, or two lists).")
        else:
            raise ValueError("Give question= and context= (or a {'question', 'context'} dict).")
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, Sequence) or isinstance(items, str):
            raise ValueError(f"Invalid input {items!r}: give question= and context=.")
        pairs = []
        for item in items:
            if not isinstance(item, dict) or "question" not in item or "context" not in item:
                raise ValueError(f"{item!r}: each example must be a dict with the keys "
                                 f"'question' and 'context'.")
            pairs.append((item["question"], item["context"]))
        return pairs, len(pairs) == 1

    def __call__(self, *args, **kwargs):
        """Answers as v4 returned them: ``{'score', 'start', 'end', 'answer'}`` dicts."""
        kwargs = dict(kwargs)
        pairs, single = self._examples(args, kwargs)
        options = {**self.options, **self._sanitize(kwargs)}
        if not pairs:
            return []
        questions = [q for q, _ in pairs]
        contexts = [c for _, c in pairs]
        found = qa.answer(questions, contexts, self.model, self.tokenizer, **options)
        results = []
        for answers in found:
            dicts = [{"score": a.score, "start": a.start, "end": a.end, "answer": a.text}
                     for a in answers]
            results.append(dicts[0] if len(dicts) == 1 else dicts)
        return results[0] if single else results


def question_answerer(model, tokenizer=None, **options) -> QuestionAnsweringPipeline:
    """What ``pipeline("question-answering", model=..., tokenizer=...)`` gave in v4.

    ``model`` is a ``...ForQuestionAnswering`` model, or a folder to load one from
    (with its tokenizer, in float32: v4 4.57 kept an fp16 checkpoint in fp16, and then
    most span scores underflow to 0). ``options`` are v4's keyword arguments.
    """
    if isinstance(model, (str, bytes)) or hasattr(model, "__fspath__"):
        from transformers import AutoModelForQuestionAnswering, AutoTokenizer

        path = model
        model = AutoModelForQuestionAnswering.from_pretrained(path, dtype=torch.float32).eval()
        if tokenizer is None:
            tokenizer = AutoTokenizer.from_pretrained(path)
    if tokenizer is None:
        raise ValueError("give the tokenizer that goes with the model (a fast tokenizer, "
                         "AutoTokenizer.from_pretrained(...)).")
    return QuestionAnsweringPipeline(model, tokenizer, **options)
