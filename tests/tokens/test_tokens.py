"""hfanatomy.tokens agrees with the tokenizers' own outputs (and fact 19)."""

from __future__ import annotations

import pytest
from tiny_encoder import TEXTS, bpe_tokenizer, roberta_classifier, wordpiece_tokenizer

from hfanatomy.tokens import bytes_of_piece, readable_piece, token_table, tokenizer_kind


@pytest.mark.parametrize("make", [bpe_tokenizer, wordpiece_tokenizer])
@pytest.mark.parametrize("kw", [{}, {"padding": True}, {"padding": True, "padding_side": "left"},
                                {"truncation": True, "max_length": 6, "padding": "max_length"}])
def test_token_table_agrees_with_tokenizer(make, kw):
    tok = make()
    table = token_table(tok, TEXTS, **kw)
    enc = tok(TEXTS, return_offsets_mapping=True, **kw)
    assert table.input_ids == enc["input_ids"]
    for b in range(len(TEXTS)):
        assert table.column("attention_mask", b) == enc["attention_mask"][b]
        assert table.column("piece", b) == tok.convert_ids_to_tokens(enc["input_ids"][b])
        assert table.column("word_id", b) == enc.word_ids(b)
        for row, (s, e) in zip(table.sequence(b), enc["offset_mapping"][b]):
            if row.start is not None:
                assert (row.start, row.end) == (s, e)
            assert row.is_special == (row.id in tok.all_special_ids)


def test_pairs_carry_token_types_for_wordpiece_only():
    wp = token_table(wordpiece_tokenizer(), "I loved it", "a boring film")
    enc = wordpiece_tokenizer()("I loved it", "a boring film")
    assert wp.has_token_types and wp.column("token_type") == enc["token_type_ids"]
    bpe = token_table(bpe_tokenizer(), "I loved it", "a boring film")
    assert not bpe.has_token_types
    assert bpe.column("piece").count("</s>") == 3  # <s> A </s></s> B </s>


def test_fact19_byte_level_bpe_vs_wordpiece():
    bpe, wp = bpe_tokenizer(), wordpiece_tokenizer()
    assert tokenizer_kind(bpe) == "byte-level BPE" and tokenizer_kind(wp) == "WordPiece"
    assert (bpe.convert_ids_to_tokens([0, 1, 2])) == ["<s>", "<pad>", "</s>"]
    pieces = bpe.tokenize("the movie")
    assert pieces[1].startswith("Ġ")
    korean = token_table(bpe, "한국어")
    pieces = [r.piece for r in korean.sequence(0) if not r.is_special]
    assert b"".join(bytes_of_piece(p) for p in pieces) == "한국어".encode()
    assert not any("가" <= ch <= "힣" for p in pieces for ch in p)  # stored as byte symbols
    # the architecture does not care which tokenizer made the ids
    import torch

    model = roberta_classifier(vocab_size=wp.vocab_size, pad_token_id=wp.pad_token_id)
    enc = wp("I loved it", return_tensors="pt")
    with torch.no_grad():
        assert model(**enc).logits.shape == (1, 3)


def test_readable_piece():
    assert readable_piece("Ġgood") == "␣good"
    assert readable_piece("##ing", "WordPiece") == "##ing"  # as the tokenizer writes it
    cut = "한".encode()[:2]
    alpha = {b: s for s, b in __import__("hfanatomy.tokens", fromlist=["x"])._byte_alphabet().items()}
    assert readable_piece("".join(alpha[b] for b in cut)) == "<ED 95>"


def test_bad_input():
    with pytest.raises(TypeError, match="string"):
        token_table(bpe_tokenizer(), 123)
    with pytest.raises(ValueError, match="sets"):
        token_table(bpe_tokenizer(), "hi", return_tensors="pt")
