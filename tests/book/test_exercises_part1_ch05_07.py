"""Exercise checkers of Part I chapters 5-7: accept right answers, explain wrong ones."""

from __future__ import annotations

import pytest
import torch
from tiny_classifier import batch, model

from hfanatomy.exercises import part1_ch05 as ch05
from hfanatomy.exercises import part1_ch06 as ch06
from hfanatomy.exercises import part1_ch07 as ch07

pytestmark = pytest.mark.usefixtures("one_thread")


def _says(capsys, *words):
    out = " ".join(capsys.readouterr().out.split())  # messages are wrapped
    for w in words:
        assert w in out, out
    return out


def test_ch05(capsys):
    assert not ch05.check_head_position(None) and _says(capsys, "Replace None")
    assert ch05.check_head_position(0) and _says(capsys, "Right")
    assert not ch05.check_head_position(-1) and _says(capsys, "last token")
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, -3.0]])
    assert ch05.check_probabilities(logits.exp() / logits.exp().sum(-1, keepdim=True), logits)
    assert not ch05.check_probabilities(torch.sigmoid(logits), logits)
    _says(capsys, "sigmoid")
    assert not ch05.check_probabilities(logits.softmax(0), logits) and _says(capsys, "dim=-1")
    names = {0: "neg", 1: "neu", 2: "pos"}
    assert ch05.check_multilabel_prediction(["neg", "pos"], logits[0], names)
    _says(capsys, "Right")
    assert not ch05.check_multilabel_prediction(["neg"], logits[0], names)
    hint = _says(capsys, "sigmoid")
    assert "z >= 0" not in hint and "sign" not in hint  # no give-away
    assert not ch05.check_multilabel_prediction(["zzz"], logits[0], names) and _says(capsys, "zzz")


def test_ch06_problem_types_against_transformers(capsys):
    right = {}
    enc = batch()
    for key, (num_labels, labels) in ch06.PROBLEM_TYPE_CASES.items():
        m = model(num_labels)  # a real RobertaForSequenceClassification, problem_type None
        assert m.config.problem_type is None
        try:
            m(**enc, labels=labels)
        except (ValueError, RuntimeError):
            pass  # case d fails after inferring
        right[key] = m.config.problem_type
    assert ch06.check_problem_types(right) and _says(capsys, "All four right")
    wrong = {**right, "d": "single_label_classification"}
    assert not ch06.check_problem_types(wrong)
    hint = _says(capsys, "case d", "Hint")
    assert right["d"] not in hint  # the hint never names the right answer
    assert not ch06.check_problem_types(None) and _says(capsys, "Replace None")


def test_ch06_losses(capsys):
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, -3.0]])
    labels = torch.tensor([0, 2])
    ce = torch.nn.functional.cross_entropy(logits, labels)
    assert ch06.check_cross_entropy(ce, logits, labels)
    assert not ch06.check_cross_entropy(ce * 2, logits, labels) and _says(capsys, "sum")
    assert not ch06.check_cross_entropy("x", logits, labels) and _says(capsys, "number")
    y = torch.tensor([[1.0, 0, 1], [0, 0, 1]])
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
    assert ch06.check_bce(bce.item(), logits, y)
    assert not ch06.check_bce(bce * 3, logits, y) and _says(capsys, "summed over labels")


def test_ch07(capsys):
    m, enc = model(), batch()
    labels = torch.tensor([0, 1])
    calls = {"a": {}, "b": {"labels": labels}, "c": {"output_attentions": True},
             "d": {"labels": labels, "output_hidden_states": True, "output_attentions": True}}
    with torch.no_grad():
        right = {k: len(m(**enc, **kw, return_dict=False)) for k, kw in calls.items()}
    assert ch07.check_tuple_lengths(right) and _says(capsys, "All right")
    assert not ch07.check_tuple_lengths({**right, "d": 6})
    hint = _says(capsys, "case d")
    assert "hidden_states, attentions" not in hint  # no give-away
    assert ch07.check_hidden_states_count(m.config.num_hidden_layers + 1, m)
    assert not ch07.check_hidden_states_count(m.config.num_hidden_layers, m)
    _says(capsys, "embeddings")
    assert ch07.check_fifth_positional("inputs_embeds")
    assert not ch07.check_fifth_positional("head_mask") and _says(capsys, "v4")
