"""hfanatomy.qa_inputs.encode_pair agrees with the tokenizer, for two-segment and one-segment tokenizers."""

import pytest
import torch
from tiny_qa import (
    CONTEXT,
    EN_CONTEXT,
    EN_QUESTION,
    QUESTION,
    bpe_tokenizer,
    tiny_bert_qa,
    tiny_roberta_qa,
    wordpiece_tokenizer,
)

from hfanatomy.qa_inputs import encode_pair

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.parametrize("make", [wordpiece_tokenizer, bpe_tokenizer])
@pytest.mark.parametrize("q,c", [(QUESTION, CONTEXT), (EN_QUESTION, EN_CONTEXT)])
@pytest.mark.parametrize("max_length", [18, 24, 384])
def test_encode_pair_agrees_with_tokenizer(make, q, c, max_length):
    tok = make()
    x = encode_pair(tok, q, c, max_length=max_length)
    enc = tok(q, c, max_length=max_length, truncation="only_second", return_offsets_mapping=True)
    assert x.input_ids == enc["input_ids"]
    assert x.tokens == enc.tokens()
    assert x.sequence_ids == enc.sequence_ids()
    assert x.offsets == [tuple(o) for o in enc["offset_mapping"]]
    assert x.token_type_ids == enc.get("token_type_ids")
    assert x.truncated == (len(tok(q, c)["input_ids"]) > max_length)
    # roles come from sequence_ids; offsets of question/context tokens point into their own strings
    for i, role in enumerate(x.roles):
        assert role == {0: "question", 1: "context", None: "special"}[x.sequence_ids[i]]
        a, b = x.offsets[i]
        if role == "question":
            assert q[a:b].strip()
        if role == "context":
            assert c[a:b].strip()


def test_token_types_follow_segments_in_bert():
    x = encode_pair(wordpiece_tokenizer(), QUESTION, CONTEXT)
    first_sep = x.tokens.index("[SEP]")
    assert set(x.token_type_ids[: first_sep + 1]) == {0}
    assert set(x.token_type_ids[first_sep + 1:]) == {1}


def test_token_span_round_trip_and_window():
    x = encode_pair(wordpiece_tokenizer(), QUESTION, CONTEXT, max_length=16)
    span = x.find("마크업 언어")
    assert span is not None and x.text(*span).startswith("마크업 언어")
    assert x.truncated and x.find("위키 문서라") is None  # cut off by the window
    with pytest.raises(ValueError, match="not a context token"):
        x.char_span(0, 3)


def test_padding_marks_pad_tokens():
    x = encode_pair(wordpiece_tokenizer(), EN_QUESTION, EN_CONTEXT, max_length=64, padding=True)
    assert len(x) == 64 and x.roles[-1] == "pad" and x.attention_mask[-1] == 0


@pytest.mark.parametrize("bad,exc,msg", [
    (dict(question=""), ValueError, "question is empty"),
    (dict(context="   "), ValueError, "context is empty"),
    (dict(question=3), TypeError, "question must be a str"),
    (dict(max_length=5), ValueError, "leaves no room for the context"),
    (dict(truncation="longest_first"), ValueError, "only_second"),
])
def test_clear_errors(bad, exc, msg):
    kw = dict(question=QUESTION, context=CONTEXT) | bad
    with pytest.raises(exc, match=msg):
        encode_pair(wordpiece_tokenizer(), **kw)


def test_tensors_run_both_models():
    for tok, model in ((wordpiece_tokenizer(), tiny_bert_qa()), (bpe_tokenizer(), tiny_roberta_qa())):
        x = encode_pair(tok, EN_QUESTION, EN_CONTEXT)
        with torch.no_grad():
            out = model(**x.tensors())
        assert out.start_logits.shape == (1, len(x))
    assert tiny_roberta_qa().config.type_vocab_size == 1
    assert "token_type_ids" not in encode_pair(bpe_tokenizer(), EN_QUESTION, EN_CONTEXT).tensors()
