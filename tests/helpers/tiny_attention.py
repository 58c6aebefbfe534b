"""Tiny word-level tokenizers and config-built models for the attention tests (no download):
random weights with sharp attention, RoBERTa's or BERT's specials.

``tests/conftest.py`` puts ``tests/helpers/`` on ``sys.path``: ``from tiny_attention import ...``.
"""

from __future__ import annotations

import functools

import tiny

WORDS = ("the a cat dog sat on mat film was great bad not very good and it i loved hated "
         "what question answer is where").split()
TEXT = "i loved the film and it was very good not bad"


@functools.cache
def tiny_tokenizer():
    """Word-level tokenizer with RoBERTa's specials: <s>=0, <pad>=1, </s>=2."""
    return tiny.wordlevel_tokenizer(WORDS, "<s>", "</s>", "<pad>", "</s> ")


@functools.cache
def tiny_bert_tokenizer():
    """Word-level tokenizer with BERT's specials: [CLS]=0, [PAD]=1, [SEP]=2."""
    return tiny.wordlevel_tokenizer(WORDS, "[CLS]", "[SEP]", "[PAD]", "")


def tiny_model(layers: int = 2, heads: int = 4, attn: str = "eager", max_positions: int = 40):
    """Config-built RobertaForSequenceClassification (random weights, sharp attention)."""
    from transformers import RobertaConfig, RobertaForSequenceClassification

    return tiny.tiny_model(RobertaForSequenceClassification, RobertaConfig, seed=0, attn=attn,
                           vocab_size=32, num_hidden_layers=layers, num_attention_heads=heads,
                           max_position_embeddings=max_positions, pad_token_id=1,
                           initializer_range=0.5)


def tiny_bert(attn: str = "eager"):
    from transformers import BertConfig, BertForQuestionAnswering

    return tiny.tiny_model(BertForQuestionAnswering, BertConfig, seed=1, attn=attn, vocab_size=32,
                           max_position_embeddings=24, pad_token_id=1, initializer_range=0.5)


@functools.cache
def roberta():
    return tiny_model()
