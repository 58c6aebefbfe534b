"""hfanatomy.positions against RobertaEmbeddings / BertEmbeddings themselves (facts 7, 8)."""

from __future__ import annotations

import pytest
import torch
from tiny_encoder import bpe_tokenizer, roberta_classifier
from transformers import BertConfig, BertModel
from transformers.models.roberta.modeling_roberta import RobertaEmbeddings

from hfanatomy.positions import (
    bert_position_ids,
    padded_positions,
    position_rows,
    roberta_position_ids,
    roberta_position_ids_from_embeds,
)


def _random_batch(gen: torch.Generator, pad: int):
    batch = int(torch.randint(1, 5, (1,), generator=gen))
    length = int(torch.randint(1, 12, (1,), generator=gen))
    ids = torch.randint(0, 50, (batch, length), generator=gen)
    ids[ids == pad] = pad + 1
    side = ["left", "right", "none"][int(torch.randint(0, 3, (1,), generator=gen))]
    for b in range(batch):
        n_pad = int(torch.randint(0, length, (1,), generator=gen)) if side != "none" else 0
        if n_pad:
            if side == "right":
                ids[b, length - n_pad:] = pad
            else:
                ids[b, :n_pad] = pad
    return ids


@pytest.mark.parametrize("pad", [0, 1, 5])
def test_roberta_position_ids_equal_transformers(pad):
    gen = torch.Generator().manual_seed(pad)
    for _ in range(200):
        ids = _random_batch(gen, pad)
        past = int(torch.randint(0, 6, (1,), generator=gen))
        ours = roberta_position_ids(ids, pad, past)
        theirs = RobertaEmbeddings.create_position_ids_from_input_ids(ids, pad, past)
        assert torch.equal(ours, theirs), (ids, past)


def test_fact7_examples():
    ids = torch.tensor([[0, 5, 6, 7, 2, 1, 1], [0, 8, 9, 10, 11, 12, 2]])
    expected = [[2, 3, 4, 5, 6, 1, 1], [2, 3, 4, 5, 6, 7, 8]]
    assert RobertaEmbeddings.create_position_ids_from_input_ids(ids, 1).tolist() == expected
    assert roberta_position_ids(ids, 1).tolist() == expected
    left = torch.tensor([[1, 1, 0, 5, 6, 7, 2]])
    assert roberta_position_ids(left, 1).tolist() == [[1, 1, 2, 3, 4, 5, 6]]
    assert roberta_position_ids(torch.tensor([[0, 5, 2]]), 1, 3).tolist() == [[5, 6, 7]]
    assert isinstance(RobertaEmbeddings.__dict__["create_position_ids_from_input_ids"], staticmethod)


def test_inputs_embeds_path_cannot_see_padding():
    emb = torch.zeros(2, 5, 8)
    theirs = RobertaEmbeddings.create_position_ids_from_inputs_embeds(emb, 1)
    assert torch.equal(roberta_position_ids_from_embeds(2, 5, 1), theirs)
    assert theirs[0].tolist() == [2, 3, 4, 5, 6]


def test_left_padding_gives_same_hidden_states_for_real_tokens():
    model = roberta_classifier()
    short = torch.tensor([[0, 5, 6, 7, 2]])
    left = torch.tensor([[1, 1, 0, 5, 6, 7, 2]])
    with torch.no_grad():
        a = model.roberta(short).last_hidden_state
        b = model.roberta(left, attention_mask=(left != 1).long()).last_hidden_state
    assert torch.allclose(a, b[:, 2:], atol=1e-5)


def test_bert_position_ids_equal_bert_default():
    cfg = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=40)
    torch.manual_seed(0)
    emb = BertModel(cfg).eval().embeddings
    gen = torch.Generator().manual_seed(3)
    for _ in range(30):
        ids = _random_batch(gen, 0)
        ours = bert_position_ids(ids)
        with torch.no_grad():
            default = emb(input_ids=ids)
            explicit = emb(input_ids=ids, position_ids=ours)
        assert torch.equal(default, explicit)
        assert torch.equal(ours[0], emb.position_ids[0, : ids.shape[1]])


def test_fact8_limit_of_the_position_table():
    from transformers import RobertaConfig

    assert RobertaConfig().max_position_embeddings == 512
    model = roberta_classifier(max_position_embeddings=20)
    ok = torch.full((1, 18), 5)  # uses rows 2..19
    with torch.no_grad():
        model(ok)
    with pytest.raises((IndexError, RuntimeError), match="index 20 is out of bounds"):
        with torch.no_grad():
            model(torch.full((1, 19), 5))
    assert position_rows(torch.full((1, 19), 5), 1, 20).overflow == [20]


@pytest.mark.parametrize("bad, err, text", [
    ([0, 5, 2], ValueError, "2-D"),
    (torch.zeros(1, 3), TypeError, "integer"),
    ("0 5 2", TypeError, "tensor"),
    (torch.zeros(1, 2, 3, dtype=torch.long), ValueError, "2-D"),
    ([[0, 5], [1]], TypeError, "grid"),
])
def test_bad_input_gives_clear_errors(bad, err, text):
    with pytest.raises(err, match=text):
        roberta_position_ids(bad, 1)
    with pytest.raises(err, match=text):
        bert_position_ids(bad)


def test_padded_positions_left_and_right():
    tok = bpe_tokenizer()
    right = padded_positions(tok, ["I loved it", "what a wonderful film"], "right")
    left = padded_positions(tok, ["I loved it", "what a wonderful film"], "left")
    real_r = right.roberta[0][right.attention_mask[0] == 1]
    real_l = left.roberta[0][left.attention_mask[0] == 1]
    assert torch.equal(real_r, real_l)
    assert not torch.equal(right.bert[0][right.attention_mask[0] == 1],
                           left.bert[0][left.attention_mask[0] == 1])
