"""The token explorer's columns: one symbol for a space (Ġ), and text[start:end] for every
token, checked against the texts themselves on many inputs and on both tokenizer kinds."""

from __future__ import annotations

import json

import pytest

import hfanatomy
from hfanatomy.explorers.tokens import covered_text, reads_as, table_data
from hfanatomy.tokens import token_table

ENGLISH = ["The movie was not good, but the acting was great.", "  two  spaces", "A gem.",
           "Too long, and not funny at all.", "Great 🎬🍿!"]
KOREAN = ["이 영화 정말 재미있어요", "위키는 어떤 언어를 이용하는가?",
          "은비는 검은 카메라 한 대를 가지고 있어요."]


@pytest.fixture(scope="module")
def tokenizers():
    return hfanatomy.load_classifier()[1], hfanatomy.load_qa()[1]


def test_one_symbol_for_a_space(tokenizers):
    bpe, _ = tokenizers
    for text in ENGLISH + KOREAN:
        table = token_table(bpe, text)
        shown_data = json.dumps(table_data(table), ensure_ascii=False)  # what the view draws
        assert "\u2423" not in shown_data, text  # never ␣ next to the vocabulary's Ġ
        for r in table.sequence(0):
            shown = reads_as(table, r)
            assert shown.startswith("\u0120") == r.piece.startswith("\u0120"), (text, r.piece)


@pytest.mark.parametrize("which", [0, 1])
def test_covered_text_is_the_texts_own_characters(tokenizers, which):
    tok = tokenizers[which]
    for q, c in zip(ENGLISH + KOREAN, reversed(ENGLISH + KOREAN)):
        table = token_table(tok, q, c)
        enc = tok(q, c, return_offsets_mapping=True)
        rows = table.sequence(0)
        assert len(rows) == len(enc["input_ids"])
        for r, (a, b), sid in zip(rows, enc["offset_mapping"], enc.sequence_ids()):
            got = covered_text(table, r)
            if sid is None:
                assert got is None
            else:
                assert got == (q if sid == 0 else c)[a:b]
        # together the tokens of each text cover every character of it but the spaces (byte
        # pieces of one Hangul syllable each cover that whole syllable)
        for sid, text in ((0, q), (1, c)):
            covered = {i for r in rows if r.sequence_id == sid for i in range(r.start, r.end)}
            assert covered == {i for i, ch in enumerate(text) if not ch.isspace()}
        assert [r["covers"] for r in table_data(table)["sequences"][0]] == [
            covered_text(table, r) for r in rows]


def test_an_unk_shows_what_it_covers(tokenizers):
    _, wordpiece = tokenizers
    table = token_table(wordpiece, "위키는 어떤 언어를 이용하는가?", "Great 🍿 film")
    unk = [r for r in table.sequence(0) if r.piece == wordpiece.unk_token]
    assert unk, "expected an [UNK] in this pair"
    assert all(covered_text(table, r) for r in unk)


def test_batches_use_their_own_text(tokenizers):
    bpe, _ = tokenizers
    texts = ["A gem.", "Too long, and not funny at all."]
    table = token_table(bpe, texts, padding=True)
    for b, text in enumerate(texts):
        joined = "".join(covered_text(table, r) or "" for r in table.sequence(b))
        assert joined.replace(" ", "") == text.replace(" ", "")
