"""The part2 ch01/02/03/06 exercise checkers: right answers pass, wrong ones explain, placeholders never raise."""

import pytest
from tiny_qa import tiny_bert_qa, wordpiece_tokenizer

from hfanatomy.exercises import part2_ch01 as ch01
from hfanatomy.exercises import part2_ch02 as ch02
from hfanatomy.exercises import part2_ch03 as ch03
from hfanatomy.exercises import part2_ch06 as ch06
from hfanatomy.losses import qa_loss
from hfanatomy.qa_inputs import encode_pair

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def tok():
    return wordpiece_tokenizer()


def test_ch01(tok, capsys):
    x = encode_pair(tok, ch01.SEED_QUESTION, ch01.SEED_CONTEXT)
    assert ch01.check_first_context_token(x.context_tokens[0], tokenizer=tok)
    assert not ch01.check_first_context_token(1, tokenizer=tok)
    assert "question token" in capsys.readouterr().out
    span = x.find(ch01.SEED_ANSWER)
    assert ch01.check_answer_tokens(span, tokenizer=tok)
    assert not ch01.check_answer_tokens((span[0], span[1] + 1), tokenizer=tok)
    assert "inclusive" in capsys.readouterr().out
    assert ch01.check_truncation("only_second") and not ch01.check_truncation("longest_first")
    assert not ch01.check_answer_tokens(None)
    assert "Replace None" in capsys.readouterr().out


def test_ch02(capsys):
    model = tiny_bert_qa()
    assert ch02.check_head_weight_shape((2, 32), model=model)
    assert not ch02.check_head_weight_shape((32, 2), model=model)
    assert "out_features" in capsys.readouterr().out
    assert ch02.check_logits_shape((3, 40)) and not ch02.check_logits_shape((3, 40, 1))
    assert ch02.check_softmax_dim(-1) and ch02.check_softmax_dim(1) and not ch02.check_softmax_dim(0)
    assert not ch02.check_softmax_dim(None)


def test_ch03(capsys):
    assert ch03.check_clamped([0, 3, 24, 24]) and not ch03.check_clamped([0, 3, 23, 23])
    assert ch03.check_single_example_loss("nan") and not ch03.check_single_example_loss(1.5)

    def right(s, e, sp, ep):
        return qa_loss(s, e, sp, ep).loss

    def summed(s, e, sp, ep):
        r = qa_loss(s, e, sp, ep)
        return r.start_loss + r.end_loss

    def broken(s, e, sp, ep):
        raise RuntimeError("oops")

    assert ch03.check_loss_function(right)
    assert not ch03.check_loss_function(summed)
    assert not ch03.check_loss_function(broken)
    assert "raised" in capsys.readouterr().out
    assert not ch03.check_loss_function(None)


def test_ch06(capsys):
    model = tiny_bert_qa()
    assert ch06.check_tuple_length(4) and not ch06.check_tuple_length(5)
    assert ch06.check_hidden_states_count(3, model=model) and not ch06.check_hidden_states_count(2, model=model)
    assert "Off by one" in capsys.readouterr().out
    from transformers.pipelines.document_question_answering import select_starts_ends

    assert ch06.check_decoder_name(select_starts_ends) and ch06.check_decoder_name("decode_spans")
    assert not ch06.check_decoder_name("pipeline")
