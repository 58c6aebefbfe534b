"""The tiny stand-ins of ``tests/helpers/tiny_qa.py`` behave like the real thing."""

from __future__ import annotations

import pytest
from tiny_qa import CONTEXT, EN_CONTEXT, EN_QUESTION, QUESTION, bpe_tokenizer, wordpiece_tokenizer

pytestmark = pytest.mark.usefixtures("one_thread")


def test_wordpiece_pairs_have_two_segments():
    enc = wordpiece_tokenizer()(QUESTION, CONTEXT)
    assert set(enc["token_type_ids"]) == {0, 1}
    assert enc.tokens()[0] == "[CLS]"


def test_bpe_pairs_have_no_token_types():
    tok = bpe_tokenizer()
    enc = tok(EN_QUESTION, EN_CONTEXT)
    assert "token_type_ids" not in enc
    assert enc.tokens()[0] == "<s>" and enc.tokens().count("</s>") == 3
