"""Tiny tokenizers and a RoBERTa classifier built in memory for the tokens, positions,
model-tree and Part I ch1-4 exercise tests (no download).

``tests/conftest.py`` puts ``tests/helpers/`` on ``sys.path``: ``from tiny_encoder import ...``.
"""

from __future__ import annotations

import functools

import tiny

TEXTS = ["the movie was not good but the acting was great", "I loved it", "a terrible, boring film",
         "한국어 문장입니다", "what a wonderful film"]


@functools.cache
def bpe_tokenizer():
    """Byte-level BPE RobertaTokenizerFast with <s>=0, <pad>=1, </s>=2 (like roberta-base)."""
    return tiny.bpe_tokenizer(TEXTS * 3, 320)


@functools.cache
def wordpiece_tokenizer():
    """WordPiece BertTokenizerFast ([PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4); strips accents."""
    return tiny.wordpiece_tokenizer(TEXTS * 3, 200, strip_accents=None)


def roberta_config(**kw):
    from transformers import RobertaConfig

    base = dict(tiny.TINY_SIZES, vocab_size=320, num_labels=3, max_position_embeddings=64)
    base.update(kw)
    return RobertaConfig(**base)


def roberta_classifier(attn: str = "eager", **kw):
    """A tiny RobertaForSequenceClassification in eval mode (seeded)."""
    from transformers import RobertaForSequenceClassification

    return tiny.tiny_model(RobertaForSequenceClassification, roberta_config, attn=attn, **kw)
