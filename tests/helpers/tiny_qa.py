"""Tiny tokenizers and QA models built in memory for the QA tests (no download, < 1 s).

``tests/conftest.py`` puts ``tests/helpers/`` on ``sys.path``: ``from tiny_qa import ...``;
``tests/qa/test_qa_stand_ins.py`` checks that the stand-ins behave like the real thing.
"""

from __future__ import annotations

import functools

import tiny

QUESTION = "위키는 어떤 언어를 이용하는가?"
CONTEXT = ("위키는 간단한 마크업 언어와 웹 브라우저를 이용, 함께 문서를 작성하는 공동체를 "
           "가능케 한다. 위키 웹사이트의 한 문서는 위키 문서라 부른다.")
EN_QUESTION = "Which language does a wiki use?"
EN_CONTEXT = "A wiki uses a simple markup language and a web browser to write pages together."
TEXTS = [QUESTION, CONTEXT, EN_QUESTION, EN_CONTEXT]


@functools.cache
def wordpiece_tokenizer():
    """A BERT-style WordPiece fast tokenizer: [CLS] q [SEP] c [SEP], two segments."""
    return tiny.wordpiece_tokenizer(TEXTS, 300)


@functools.cache
def bpe_tokenizer():
    """A RoBERTa-style byte-level BPE fast tokenizer: <s> q </s></s> c </s>, no token types."""
    return tiny.bpe_tokenizer(TEXTS, 400)


def tiny_bert_qa(num_labels: int = 2, seed: int = 0):
    """A randomly initialised BertForQuestionAnswering (hidden 32, 2 layers), eval, eager."""
    from transformers import BertConfig, BertForQuestionAnswering

    return tiny.tiny_model(BertForQuestionAnswering, BertConfig, seed=seed,
                           vocab_size=wordpiece_tokenizer().vocab_size,
                           max_position_embeddings=128, num_labels=num_labels)


def tiny_roberta_qa(seed: int = 0):
    """A randomly initialised RobertaForQuestionAnswering: one segment (type_vocab_size 1)."""
    from transformers import RobertaConfig, RobertaForQuestionAnswering

    return tiny.tiny_model(RobertaForQuestionAnswering, RobertaConfig, seed=seed,
                           vocab_size=bpe_tokenizer().vocab_size, max_position_embeddings=130,
                           type_vocab_size=1, pad_token_id=1)
