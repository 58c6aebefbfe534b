"""What comes back (facts 4, 6, 11): the return table against the real calls."""

from __future__ import annotations

import inspect
import itertools

import pytest
import torch
from tiny_classifier import batch, model

from hfanatomy.outputs import describe, return_row, return_table

pytestmark = pytest.mark.usefixtures("one_thread")


def test_table_matches_real_tuples_for_all_8_combinations():  # fact 4
    m, enc = model(), batch()
    rows = return_table(m, enc)
    assert len(rows) == 8
    assert m.config.problem_type is None  # the table does not leave the inference stuck
    for row, (lab, hs, att) in zip(rows, itertools.product((False, True), repeat=3)):
        kw = dict(output_hidden_states=hs, output_attentions=att, return_dict=False)
        if lab:
            kw["labels"] = torch.tensor([0, 1])
        with torch.no_grad():
            tup = m(**enc, **kw)
        assert isinstance(tup, tuple) and len(tup) == row.tuple_length
        assert row.tuple_length == 1 + lab + hs + att <= 4
        assert all(x is not None for x in tup)  # no None slot, no cache
        assert row.fields == [f for f, on in (("loss", lab), ("logits", True),
                                              ("hidden_states", hs), ("attentions", att)) if on]
        assert row.output_type == "SequenceClassifierOutput"


def test_body_tuple_has_no_pooler_slot():  # fact 4
    m, enc = model(), batch()
    with torch.no_grad():
        assert len(m.roberta(**enc, return_dict=False)) == 1


def test_hidden_states_and_attentions_lengths():  # fact 6
    for layers in (1, 3):
        m, enc = model(2, layers), batch()
        with torch.no_grad():
            out = m(**enc, output_hidden_states=True, output_attentions=True)
            emb = m.roberta.embeddings(input_ids=enc["input_ids"])
            last = m.roberta(**enc).last_hidden_state
        assert len(out.hidden_states) == layers + 1
        assert len(out.attentions) == layers
        assert torch.allclose(out.hidden_states[0], emb)
        assert torch.allclose(out.hidden_states[-1], last)
        row = return_row(m, enc, output_hidden_states=True)
        assert row.tuple_items[1][1].startswith(f"tuple of {layers + 1} x")


def test_head_mask_ignored_and_positional_shift():  # fact 11
    m, enc = model(), batch()
    params = list(inspect.signature(m.forward).parameters)
    assert "head_mask" not in params and params[4] == "inputs_embeds"
    assert "output_attentions" not in params and "kwargs" in params
    heads = m.config.num_attention_heads
    with torch.no_grad():
        plain = m(**enc).logits
        masked = m(**enc, head_mask=torch.zeros(m.config.num_hidden_layers, heads)).logits
    assert torch.equal(plain, masked)
    try:
        m(enc["input_ids"], enc["attention_mask"], None, None, torch.zeros(2, heads))
    except ValueError as exc:
        assert "exactly one of input_ids or inputs_embeds" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a v4-style positional head_mask should land in inputs_embeds")


def test_describe():
    assert describe(None) == "None"
    assert describe(torch.tensor(1.0)) == "scalar ()"
    assert describe((torch.zeros(2, 3), torch.zeros(2, 3))) == "tuple of 2 x (2, 3)"
