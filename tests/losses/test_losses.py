"""hfanatomy.losses against the models' own ``outputs.loss`` (tiny config-built models)."""

from __future__ import annotations

import math

import pytest
import torch
from transformers import (
    BertConfig,
    BertForQuestionAnswering,
    RobertaConfig,
    RobertaForSequenceClassification,
)

from hfanatomy.losses import classification_loss, infer_problem_type, qa_loss

SEEDS = range(8)


def _roberta(num_labels: int) -> RobertaForSequenceClassification:
    torch.manual_seed(0)
    cfg = RobertaConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, num_labels=num_labels)
    return RobertaForSequenceClassification(cfg).eval()


@pytest.fixture(scope="module")
def clf3():
    return _roberta(3)


@pytest.fixture(scope="module")
def clf1():
    return _roberta(1)


@pytest.fixture(scope="module")
def qa_model():
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64)
    return BertForQuestionAnswering(cfg).eval()


def _ids(gen: torch.Generator, B: int, L: int) -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.randint(3, 100, (B, L), generator=gen)
    ids[:, 0] = 0
    lengths = torch.randint(2, L + 1, (B,), generator=gen)
    mask = torch.arange(L)[None, :] < lengths[:, None]  # (B, L)
    ids[~mask] = 1
    return ids, mask.long()


def _model_loss(model, ids, mask, labels, problem_type=None):
    model.config.problem_type = problem_type
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
    return out, model.config.problem_type


# --------------------------------------------------------------------------- classification


@pytest.mark.parametrize("seed", SEEDS)
def test_single_label_equals_model(clf3, seed):
    gen = torch.Generator().manual_seed(seed)
    B = int(torch.randint(1, 6, (1,), generator=gen))
    ids, mask = _ids(gen, B, 9)
    labels = torch.randint(0, 3, (B,), generator=gen)
    if seed % 3 == 1:
        labels = labels[:, None]  # (B, 1) labels are accepted (the model views them as (B,))
    out, stuck = _model_loss(clf3, ids, mask, labels)
    res = classification_loss(out.logits, labels)
    assert res.problem_type == stuck == "single_label_classification"
    assert torch.allclose(res.loss, out.loss, atol=1e-7, rtol=1e-6)
    assert res.terms.shape == (B,)
    assert torch.allclose(res.terms.mean(), out.loss, atol=1e-6)
    # each term is -log softmax(logits)[label]
    lp = out.logits.log_softmax(-1)[torch.arange(B), labels.view(-1)]
    assert torch.allclose(res.terms, -lp, atol=1e-6)
    assert res.ignored is not None and not res.ignored.any()
    assert torch.allclose(res.probabilities.sum(-1), torch.ones(B))


def test_single_label_ignore_index(clf3):
    gen = torch.Generator().manual_seed(1)
    ids, mask = _ids(gen, 4, 8)
    labels = torch.tensor([2, -100, 0, -100])
    out, _ = _model_loss(clf3, ids, mask, labels)
    res = classification_loss(out.logits, labels)
    assert torch.allclose(res.loss, out.loss, atol=1e-7)
    assert res.ignored.tolist() == [False, True, False, True]
    assert res.terms[1] == 0 and res.terms[3] == 0
    assert torch.allclose(res.loss, res.terms[~res.ignored].mean(), atol=1e-6)
    labels = torch.full((4,), -100)
    out, _ = _model_loss(clf3, ids, mask, labels)
    assert math.isnan(out.loss.item()) and math.isnan(classification_loss(out.logits, labels).loss)


@pytest.mark.parametrize("seed", SEEDS)
def test_multi_label_equals_model(clf3, seed):
    gen = torch.Generator().manual_seed(100 + seed)
    B = int(torch.randint(1, 6, (1,), generator=gen))
    ids, mask = _ids(gen, B, 9)
    labels = torch.randint(0, 2, (B, 3), generator=gen).float()
    if seed % 2:
        labels = torch.rand(B, 3, generator=gen)  # soft targets in [0, 1] are fine too
    out, stuck = _model_loss(clf3, ids, mask, labels)
    res = classification_loss(out.logits, labels)
    assert res.problem_type == stuck == "multi_label_classification"
    assert torch.allclose(res.loss, out.loss, atol=1e-7, rtol=1e-6)
    assert res.terms.shape == (B, 3)
    assert torch.allclose(res.terms.mean(), out.loss, atol=1e-6)
    p = out.logits.sigmoid()
    assert torch.allclose(res.terms, -(labels * p.log() + (1 - labels) * (1 - p).log()), atol=1e-5)


@pytest.mark.parametrize("seed", SEEDS)
def test_regression_equals_model(clf1, seed):
    gen = torch.Generator().manual_seed(200 + seed)
    B = int(torch.randint(1, 6, (1,), generator=gen))  # includes B == 1 (0-d after squeeze)
    ids, mask = _ids(gen, B, 9)
    labels = [torch.randn(B, generator=gen), torch.randn(B, 1, generator=gen),
              torch.randint(0, 5, (B,), generator=gen)][seed % 3]  # long labels: still regression
    out, stuck = _model_loss(clf1, ids, mask, labels)
    res = classification_loss(out.logits, labels)
    assert res.problem_type == stuck == "regression"
    assert "num_labels == 1" in res.inferred_from
    assert torch.allclose(res.loss, out.loss, atol=1e-6, rtol=1e-6)
    assert res.terms.shape == (B,)
    assert torch.allclose(res.terms, (out.logits.view(B) - labels.view(B)) ** 2, atol=1e-5)
    assert res.probabilities is None


def test_regression_with_several_outputs(clf3):
    gen = torch.Generator().manual_seed(3)
    ids, mask = _ids(gen, 3, 7)
    labels = torch.randn(3, 3, generator=gen)
    out, _ = _model_loss(clf3, ids, mask, labels, problem_type="regression")
    res = classification_loss(out.logits, labels, problem_type="regression")
    assert torch.allclose(res.loss, out.loss, atol=1e-7)
    assert res.terms.shape == (3, 3)


def test_infer_problem_type_matches_model_branches():
    assert infer_problem_type(1, torch.tensor([1]))[0] == "regression"
    assert infer_problem_type(3, torch.tensor([1]))[0] == "single_label_classification"
    assert infer_problem_type(3, torch.tensor([1], dtype=torch.int32))[0] == \
        "single_label_classification"
    for dt in (torch.int16, torch.uint8, torch.bool, torch.float32, torch.float64):
        assert infer_problem_type(3, torch.tensor([1], dtype=dt))[0] == "multi_label_classification"


def test_sticky_problem_type(clf3):
    gen = torch.Generator().manual_seed(5)
    ids, mask = _ids(gen, 2, 7)
    clf3.config.problem_type = None
    with torch.no_grad():
        out = clf3(input_ids=ids, attention_mask=mask, labels=torch.tensor([0, 2]))
    assert clf3.config.problem_type == "single_label_classification"  # written into the config
    multi_hot = torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    # a fresh inference would say multi-label...
    assert classification_loss(out.logits, multi_hot).problem_type == "multi_label_classification"
    # ...but the model keeps its stuck value and fails; the helper, told the stuck value, explains
    with pytest.raises(ValueError, match="batch_size"), torch.no_grad():
        clf3(input_ids=ids, attention_mask=mask, labels=multi_hot)
    with pytest.raises(TypeError, match="stuck in the config") as err:
        classification_loss(out.logits, multi_hot, problem_type=clf3.config.problem_type)
    assert "problem_type = None" in str(err.value)
    with pytest.raises(RuntimeError, match="Long"), torch.no_grad():
        clf3(input_ids=ids, attention_mask=mask, labels=torch.tensor([0.0, 2.0]))
    with pytest.raises(TypeError, match="expected target dtype to be Long"):
        classification_loss(out.logits, torch.tensor([0.0, 2.0]),
                            problem_type=clf3.config.problem_type)
    # given problem_type is used as is, and says so
    res = classification_loss(out.logits, torch.tensor([0, 2]), problem_type="single_label_classification")
    assert "was given" in res.inferred_from
    clf3.config.problem_type = None


def test_int32_labels(clf3):
    gen = torch.Generator().manual_seed(6)
    ids, mask = _ids(gen, 2, 7)
    labels = torch.tensor([0, 2], dtype=torch.int32)
    clf3.config.problem_type = None
    with pytest.raises(RuntimeError, match="Long or Byte, but got Int"), torch.no_grad():
        clf3(input_ids=ids, attention_mask=mask, labels=labels)
    assert clf3.config.problem_type == "single_label_classification"  # inferred, then failed
    clf3.config.problem_type = None
    logits = torch.randn(2, 3)
    with pytest.raises(TypeError, match=r"torch\.long") as err:
        classification_loss(logits, labels)
    assert ".long()" in str(err.value) and "torch.int32" in str(err.value)
    assert torch.allclose(classification_loss(logits, labels.long()).loss,
                          torch.nn.functional.cross_entropy(logits, labels.long()))


def test_errors():
    logits = torch.randn(2, 3)
    with pytest.raises(ValueError, match=r"label 3 at position 1 is out of range.*0\.\.2"):
        classification_loss(logits, torch.tensor([0, 3]))
    with pytest.raises(ValueError, match="-1 at position 0"):
        classification_loss(logits, torch.tensor([-1, 0]))
    with pytest.raises(ValueError, match=r"multi-hot.*labels\.float\(\)"):
        classification_loss(logits, torch.tensor([[0, 1, 1], [1, 0, 0]]))
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*labels\.long\(\)"):
        classification_loss(logits, torch.tensor([0.0, 2.0]))  # float class ids -> multi-label
    with pytest.raises(TypeError, match=r"int16.*neither torch.long nor torch.int"):
        classification_loss(logits, torch.tensor([0, 2], dtype=torch.int16))
    with pytest.raises(TypeError, match=r"labels\.float\(\)"):
        classification_loss(logits, torch.tensor([[0, 1, 1], [1, 0, 0]]),
                            problem_type="multi_label_classification")
    with pytest.raises(ValueError, match=r"\[0, 1\].*example 1, label 0"):
        classification_loss(logits, torch.tensor([[0.0, 1.0, 1.0], [2.0, 0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"one target per example: shape \(2,\) or \(2, 1\)"):
        classification_loss(torch.randn(2, 1), torch.randn(2, 2))
    with pytest.raises(ValueError, match="num_labels=4 but logits have 3 columns"):
        classification_loss(logits, torch.tensor([0, 1]), num_labels=4)
    with pytest.raises(ValueError, match="logits must have shape"):
        classification_loss(torch.randn(3), torch.tensor([0]))
    with pytest.raises(TypeError, match=r"torch\.tensor\(labels\)"):
        classification_loss(logits, [0, 1])
    with pytest.raises(ValueError, match="problem_type must be one of"):
        classification_loss(logits, torch.tensor([0, 1]), problem_type="multiclass")


# --------------------------------------------------------------------------- question answering


def _qa_model_loss(model, ids, start, end):
    with torch.no_grad():
        return model(input_ids=ids, start_positions=start, end_positions=end)


@pytest.mark.parametrize("seed", range(10))
def test_qa_loss_equals_model(qa_model, seed):
    gen = torch.Generator().manual_seed(300 + seed)
    B = int(torch.randint(1, 7, (1,), generator=gen))
    L = int(torch.randint(4, 12, (1,), generator=gen))
    ids, _ = _ids(gen, B, L)
    # in-window, out of window (>= L), negative positions, mixed
    start = torch.randint(-3, L + 4, (B,), generator=gen)
    end = torch.randint(-3, L + 4, (B,), generator=gen)
    if seed % 4 == 0:
        start, end = start[:, None], end[:, None]  # (B, 1) accepted, squeezed
    out = _qa_model_loss(qa_model, ids, start, end)
    res = qa_loss(out.start_logits, out.end_logits, start, end)
    assert res.ignore_index == L
    if torch.isnan(out.loss):
        assert torch.isnan(res.loss)
    else:
        assert torch.allclose(res.loss, out.loss, atol=1e-7, rtol=1e-6)
    s, e = start.view(-1), end.view(-1)
    assert torch.equal(res.clamped_start, s.clamp(0, L))
    assert torch.equal(res.clamped_end, e.clamp(0, L))
    assert torch.equal(res.start_ignored, s >= L) and torch.equal(res.end_ignored, e >= L)
    assert torch.equal(res.ignored, (s >= L) & (e >= L))
    kept = ~res.start_ignored
    if kept.any():
        lp = out.start_logits.log_softmax(-1)[torch.arange(B), res.clamped_start.clamp(max=L - 1)]
        assert torch.allclose(res.start_terms[kept], -lp[kept], atol=1e-5)
        assert torch.allclose(res.start_loss, res.start_terms[kept].mean(), atol=1e-6)
    assert (res.start_terms[res.start_ignored] == 0).all()


def test_qa_specific_cases(qa_model):
    gen = torch.Generator().manual_seed(7)
    ids, _ = _ids(gen, 3, 8)
    L = 8
    # in window
    start, end = torch.tensor([1, 2, 3]), torch.tensor([2, 4, 5])
    out = _qa_model_loss(qa_model, ids, start, end)
    res = qa_loss(out.start_logits, out.end_logits, start, end)
    assert torch.allclose(res.loss, out.loss, atol=1e-7)
    assert torch.allclose(res.loss, (res.start_terms.mean() + res.end_terms.mean()) / 2, atol=1e-6)
    # one row out of window: the loss is the mean over the other rows only
    start, end = torch.tensor([1, 20, 3]), torch.tensor([2, 30, 5])
    out = _qa_model_loss(qa_model, ids, start, end)
    res = qa_loss(out.start_logits, out.end_logits, start, end)
    assert torch.allclose(res.loss, out.loss, atol=1e-7)
    assert res.ignored.tolist() == [False, True, False]
    assert res.clamped_start.tolist() == [1, L, 3]
    # a negative start is clamped to 0 ([CLS]) and counts
    start, end = torch.tensor([-5, 2, 3]), torch.tensor([3, 4, 5])
    out = _qa_model_loss(qa_model, ids, start, end)
    res = qa_loss(out.start_logits, out.end_logits, start, end)
    assert torch.allclose(res.loss, out.loss, atol=1e-7)
    assert res.clamped_start[0] == 0 and not res.start_ignored[0] and res.start_terms[0] > 0
    # all rows ignored: nan, like the model
    start, end = torch.tensor([8, 9, 50]), torch.tensor([8, 10, 60])
    out = _qa_model_loss(qa_model, ids, start, end)
    res = qa_loss(out.start_logits, out.end_logits, start, end)
    assert math.isnan(out.loss.item()) and math.isnan(res.loss.item())
    assert res.ignored.all()
    # only start positions: the model returns no loss, the helper says why
    assert _qa_model_loss(qa_model, ids, start, None).loss is None
    with pytest.raises(ValueError, match="end_positions is None.*loss is None"):
        qa_loss(out.start_logits, out.end_logits, start, None)


def test_qa_errors():
    s, e = torch.randn(2, 5), torch.randn(2, 5)
    with pytest.raises(TypeError, match=r"torch\.long.*Long or Byte.*\.long\(\)"):
        qa_loss(s, e, torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1, 2]))
    with pytest.raises(TypeError, match=r"end_positions must be token indices.*float32"):
        qa_loss(s, e, torch.tensor([1, 2]), torch.tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"shape \(2,\) or \(2, 1\).*got \(3,\)"):
        qa_loss(s, e, torch.tensor([1, 2, 3]), torch.tensor([1, 2]))
    with pytest.raises(ValueError, match=r"same shape"):
        qa_loss(s, torch.randn(2, 6), torch.tensor([1, 2]), torch.tensor([1, 2]))
    with pytest.raises(ValueError, match=r"\(batch, seq_len\)"):
        qa_loss(torch.randn(5), torch.randn(5), torch.tensor([1]), torch.tensor([1]))
    with pytest.raises(TypeError, match="torch.Tensor"):
        qa_loss(s, e, [1, 2], torch.tensor([1, 2]))


def test_html_views():
    logits = torch.tensor([[2.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    res = classification_loss(logits, torch.tensor([0, -100]))
    html = res._repr_html_()
    assert "single_label_classification · CrossEntropyLoss" in html and "ignored (label -100)" in html
    assert f"{res.terms[0].item():.4f}" in html and "http" not in html
    header, rows = classification_loss(logits, torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])).rows()
    assert len(header) == 4 and len(rows) == 2 and rows[0][1].startswith("1 / ")
    header, rows = classification_loss(torch.tensor([[0.5], [1.5]]), torch.tensor([1.0, 1.0])).rows()
    assert rows[0][1:] == ["0.5000", "1", "0.2500"]
    q = qa_loss(torch.zeros(2, 4), torch.zeros(2, 4), torch.tensor([-5, 9]), torch.tensor([[2], [3]]))
    header, rows = q.rows()
    assert rows[0][1] == "-5 -> 0" and rows[1][1] == "9 -> 4" and rows[1][2] == "ignored (= L = 4)"
    assert rows[0][2] == f"{torch.log(torch.tensor(4.0)).item():.4f}"  # uniform over 4 positions
    assert "QA loss = (start" in q._repr_html_()


def test_uint8_ids_with_explicit_single_label(clf3):
    gen = torch.Generator().manual_seed(9)
    ids, mask = _ids(gen, 3, 6)
    labels = torch.tensor([2, 0, 1], dtype=torch.uint8)
    out, _ = _model_loss(clf3, ids, mask, labels, problem_type="single_label_classification")
    res = classification_loss(out.logits, labels, problem_type="single_label_classification")
    assert torch.allclose(res.loss, out.loss, atol=1e-7)
    clf3.config.problem_type = None
