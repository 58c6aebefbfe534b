"""Tiny RoBERTa tokenizer and classifiers built in memory for the head, loss, outputs and
Part I ch5-7 tests (no download).

``tests/conftest.py`` puts ``tests/helpers/`` on ``sys.path``: ``from tiny_classifier import ...``;
``tests/head/test_head_stand_ins.py`` checks that the stand-ins behave like the real thing.
"""

from __future__ import annotations

import copy
import functools

import tiny

TEXTS = ["the movie was great", "I hated the plot.", "fine acting, boring story",
         "what a wonderful film", "terrible, just terrible"]


@functools.cache
def tokenizer():
    """A byte-level BPE RobertaTokenizerFast: <s>=0, <pad>=1, </s>=2, like roberta-base."""
    return tiny.bpe_tokenizer(TEXTS * 3, 300)


def config(num_labels: int = 3, **kw):
    from transformers import RobertaConfig

    id2label = {i: name for i, name in enumerate(["negative", "neutral", "positive", "mixed",
                                                  "other"][:num_labels])}
    if num_labels > 5:
        id2label = {i: f"L{i}" for i in range(num_labels)}
    base = dict(tiny.TINY_SIZES, vocab_size=len(tokenizer()), num_labels=num_labels,
                max_position_embeddings=66, id2label=id2label,
                label2id={v: k for k, v in id2label.items()})
    return RobertaConfig(**{**base, **kw})


@functools.cache
def _model(num_labels: int, layers: int):
    from transformers import RobertaForSequenceClassification

    return tiny.tiny_model(RobertaForSequenceClassification, config, seed=num_labels * 10 + layers,
                           num_labels=num_labels, num_hidden_layers=layers)


def model(num_labels: int = 3, layers: int = 2):
    """A fresh copy (tests may mutate config.problem_type) of a tiny eager classifier."""
    return copy.deepcopy(_model(num_labels, layers))


def batch(texts=("the movie was great", "fine acting, boring story")):
    return tokenizer()(list(texts), return_tensors="pt", padding=True)
