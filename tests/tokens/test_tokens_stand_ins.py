"""The tiny stand-ins of ``tests/helpers/tiny_encoder.py`` look like the real tokenizers."""

from __future__ import annotations

from tiny_encoder import bpe_tokenizer, wordpiece_tokenizer


def test_stand_ins_look_like_the_real_ones():
    bpe, wp = bpe_tokenizer(), wordpiece_tokenizer()
    assert (bpe.cls_token_id, bpe.pad_token_id, bpe.sep_token_id) == (0, 1, 2)
    assert wp.pad_token_id == 0 and wp.cls_token_id == 2
    assert bpe("hi there")["input_ids"][0] == 0
