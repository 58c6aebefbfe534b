"""The tiny stand-ins of ``tests/helpers/tiny_classifier.py`` behave like the real thing."""

from __future__ import annotations

import pytest
from tiny_classifier import batch, model, tokenizer

pytestmark = pytest.mark.usefixtures("one_thread")


def test_tokenizer_is_roberta_like():
    tok = tokenizer()
    ids = tok("the movie")["input_ids"]
    assert ids[0] == 0 and ids[-1] == 2 and tok.pad_token_id == 1
    assert any(p.startswith("Ġ") for p in tok.convert_ids_to_tokens(ids))


def test_model_runs_and_pads_right():
    enc = batch()
    assert enc["input_ids"][0, -1] == 1 and enc["attention_mask"][0, -1] == 0
    out = model()(**enc)
    assert out.logits.shape == (2, 3)
