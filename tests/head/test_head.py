"""The classification head, checked against transformers itself (facts 1, 2, 3)."""

from __future__ import annotations

import pytest
import torch
from tiny_classifier import TEXTS, batch, model, tokenizer

from hfanatomy.head import classify, head_steps, logits_view

pytestmark = pytest.mark.usefixtures("one_thread")


def _body_and_logits(m, enc):
    with torch.no_grad():
        body = m.roberta(**enc)
        return body, m.classifier(body[0]), m(**enc).logits


def test_body_output_0_is_last_hidden_state_per_token():  # fact 1
    m, enc = model(), batch()
    body, from_head, logits = _body_and_logits(m, enc)
    B, L = enc["input_ids"].shape
    assert body[0].shape == (B, L, m.config.hidden_size)
    assert body[0] is body.last_hidden_state
    assert torch.equal(from_head, logits)


@pytest.mark.parametrize("fill", [0.0, 1e3, float("nan")])
def test_head_reads_only_token_0(fill):  # fact 1
    m, enc = model(), batch()
    body, _, logits = _body_and_logits(m, enc)
    seq = body.last_hidden_state.clone()
    seq[:, 1:, :] = fill  # every position but <s>
    with torch.no_grad():
        assert torch.equal(m.classifier(seq), logits)
        seq[:, 0, :] += 1.0  # and position 0 does matter
        assert not torch.allclose(m.classifier(seq), logits)


def test_pooler_is_none_and_head_layers():  # fact 2
    m = model()
    assert m.roberta.pooler is None
    names = [n for n, _ in m.classifier.named_children()]
    assert names == ["dense", "dropout", "out_proj"]
    assert m.classifier.out_proj.out_features == m.config.num_labels


@pytest.mark.parametrize("num_labels", [1, 2, 5])
def test_hand_computed_head_equals_model(num_labels):
    m, enc = model(num_labels), batch(TEXTS[:3])
    body, _, logits = _body_and_logits(m, enc)
    steps = head_steps(m.classifier, body.last_hidden_state)
    assert torch.allclose(steps.logits, logits, atol=1e-6)
    assert torch.equal(steps.first_token, body.last_hidden_state[:, 0])
    assert torch.equal(steps.tanh, torch.tanh(steps.dense))
    m.train()  # dropout is active in train mode: then the hand computation is not the output
    torch.manual_seed(0)
    with torch.no_grad():
        assert not torch.allclose(m.classifier(body.last_hidden_state), logits)


def test_head_steps_rejects_bad_input():
    m = model()
    with pytest.raises(ValueError, match="last_hidden_state"):
        head_steps(m.classifier, torch.zeros(2, 32))
    with pytest.raises(TypeError, match="RobertaClassificationHead"):
        head_steps(torch.nn.Linear(2, 2), torch.zeros(1, 2, 32))


def test_logits_are_not_probabilities():  # fact 3
    m, enc = model(), batch(TEXTS)
    with torch.no_grad():
        logits = m(**enc).logits
    assert not torch.allclose(logits.sum(-1), torch.ones(len(TEXTS)))
    assert (logits < 0).any()
    v = logits_view(logits, m.config.id2label)
    assert torch.allclose(v.probabilities.sum(-1), torch.ones(len(TEXTS)))


@pytest.mark.parametrize("t", [0.5, 1.0, 2.0, 5.0])
def test_logits_view_softmax_sigmoid_temperature(t):
    logits = torch.randn(4, 3) * 3
    v = logits_view(logits, {0: "a", 1: "b", 2: "c"}, temperature=t)
    assert v.function == "softmax"
    assert torch.allclose(v.probabilities, torch.softmax(logits / t, -1))
    assert v.predicted == [["a", "b", "c"][i] for i in logits.argmax(-1).tolist()]
    m = logits_view(logits, None, temperature=t, problem_type="multi_label_classification")
    assert torch.allclose(m.probabilities, torch.sigmoid(logits / t))
    assert torch.equal(m.active, logits >= 0)
    r = logits_view(logits, None, problem_type="regression")
    assert torch.equal(r.probabilities, logits)


def test_logits_view_errors():
    with pytest.raises(ValueError, match="temperature"):
        logits_view(torch.zeros(3), temperature=0)
    with pytest.raises(ValueError, match="problem_type"):
        logits_view(torch.zeros(3), problem_type="softmax")
    with pytest.raises(TypeError, match="Tensor"):
        logits_view([0.1, 0.2])
    with pytest.raises(ValueError, match="id2label"):
        logits_view(torch.zeros(3), {0: "a"})


@pytest.mark.parametrize("num_labels,problem_type", [(3, None), (1, None),
                                                     (3, "multi_label_classification")])
def test_logits_view_equals_pipeline(num_labels, problem_type):
    from transformers import pipeline

    m, tok = model(num_labels), tokenizer()
    m.config.problem_type = problem_type
    pipe = pipeline("text-classification", model=m, tokenizer=tok)
    got = pipe(TEXTS, top_k=None)
    view = logits_view(classify(m, tok, TEXTS), m.config.id2label, problem_type=problem_type)
    for row, scores in enumerate(got):
        by_label = {d["label"]: d["score"] for d in scores}
        mine = dict(zip(view.labels, view.probabilities[row].tolist()))
        assert by_label.keys() == mine.keys()
        for k in mine:
            assert by_label[k] == pytest.approx(mine[k], abs=1e-6)
