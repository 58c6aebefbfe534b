"""Loss: problem_type inference and stickiness (fact 10), the loss explorer's terms == model loss."""

from __future__ import annotations

import pytest
import torch
from tiny_classifier import TEXTS, batch, model, tokenizer

from hfanatomy.explorers.loss import target_options
from hfanatomy.losses import loss_breakdown, target_tensor

pytestmark = pytest.mark.usefixtures("one_thread")


def _loss(m, enc, labels):
    with torch.no_grad():
        return m(**enc, labels=labels).loss


def test_problem_type_inference():  # fact 10
    enc = batch()
    cases = [(1, torch.tensor([1, 0]), "regression"),
             (3, torch.tensor([2, 0]), "single_label_classification"),
             (3, torch.tensor([[1.0, 0, 1], [0, 0, 1]]), "multi_label_classification")]
    for num_labels, labels, want in cases:
        m = model(num_labels)
        assert m.config.problem_type is None
        loss = _loss(m, enc, labels)
        assert m.config.problem_type == want
        logits = m(**enc).logits.detach()
        F = torch.nn.functional
        if want == "regression":
            by_hand = F.mse_loss(logits.squeeze(), labels.squeeze().float())
        elif want == "single_label_classification":
            by_hand = F.cross_entropy(logits, labels)
        else:
            by_hand = F.binary_cross_entropy_with_logits(logits, labels)
        assert torch.allclose(loss, by_hand, atol=1e-6)


def test_inference_is_sticky_and_wrong_dtypes_fail():  # fact 10
    enc = batch()
    m = model(3)
    _loss(m, enc, torch.tensor([2, 0]))
    assert m.config.problem_type == "single_label_classification"
    with pytest.raises(ValueError, match="batch_size"):
        _loss(m, enc, torch.tensor([[1.0, 0, 1], [0, 0, 1]]))  # multi-hot after stuck
    with pytest.raises(RuntimeError, match="Long"):
        _loss(m, enc, torch.tensor([2.0, 0.0]))
    fresh = model(3)
    with pytest.raises(RuntimeError, match="Long or Byte, but got Int"):
        _loss(fresh, enc, torch.tensor([2, 0], dtype=torch.int32))
    assert fresh.config.problem_type == "single_label_classification"  # written before failing
    fresh.config.problem_type = None  # resetting lets the model infer again
    _loss(fresh, enc, torch.tensor([[1.0, 0, 1], [0, 0, 1]]))
    assert fresh.config.problem_type == "multi_label_classification"


@pytest.mark.parametrize("num_labels", [1, 2, 3])
def test_breakdown_terms_sum_to_model_loss(num_labels):
    m, tok = model(num_labels), tokenizer()
    enc = tok(TEXTS[1], return_tensors="pt")
    with torch.no_grad():
        logits = m(**enc).logits[0]
    for key, _, (ptype, target) in target_options(num_labels):
        if ptype == "single_label_classification" and num_labels == 1:
            continue
        b = loss_breakdown(logits, target, ptype, m.config.id2label)
        m.config.problem_type = ptype
        want = _loss(m, enc, target_tensor(ptype, target, num_labels))
        assert torch.allclose(b.loss, want, atol=1e-6), key
        total = b.terms.sum() if b.reduction == "sum" else b.terms.mean()
        assert torch.allclose(total, want, atol=1e-6), key


def test_target_options_and_errors():
    keys = [k for k, _, _ in target_options(2)]
    assert len(keys) == 2 + 4 + 5 and len(set(keys)) == len(keys)
    assert len(target_options(6)) == 6 + 8 + 5  # capped multi-hot list
    with pytest.raises(ValueError, match="class id"):
        target_tensor("single_label_classification", 5, 3)
    with pytest.raises(ValueError, match="zeros/ones"):
        target_tensor("multi_label_classification", [1, 2, 0], 3)
    with pytest.raises(ValueError, match="problem_type"):
        target_tensor("softmax", 0, 3)
