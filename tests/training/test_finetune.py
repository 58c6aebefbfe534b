"""Fine-tuning helpers (``hfanatomy.finetune``) and the training chapters' exercise checkers:
a fresh head as from_pretrained makes it, the linear schedule, gradient bookkeeping, and
SQuAD 2.0's no-answer threshold curve."""

from __future__ import annotations

import math

import pytest
import torch
from tiny import tiny_model
from transformers import (
    AutoModelForQuestionAnswering,
    AutoModelForSequenceClassification,
    BertConfig,
    BertForQuestionAnswering,
    RobertaConfig,
    RobertaForSequenceClassification,
    get_linear_schedule_with_warmup,
)

from hfanatomy import metrics
from hfanatomy.exercises import part1_ch08, part2_ch07
from hfanatomy.finetune import block_of, fresh_head, gradient_norms, linear_lr, threshold_curve

pytestmark = pytest.mark.usefixtures("one_thread")


def _classifier(labels=3):
    return tiny_model(RobertaForSequenceClassification, RobertaConfig, vocab_size=60,
                      max_position_embeddings=40, pad_token_id=1, num_labels=labels)


def test_fresh_head_keeps_the_body_and_reports_only_the_head_as_missing():
    old = _classifier(labels=3)
    new, info = fresh_head(old, AutoModelForSequenceClassification, seed=0, num_labels=2)
    head = {n for n, _ in new.named_parameters() if n.startswith("classifier.")}
    assert set(info["missing_keys"]) == head and head
    assert new.config.num_labels == 2 and new.classifier.out_proj.weight.shape[0] == 2
    for (n, p), (m, q) in zip(new.base_model.named_parameters(), old.base_model.named_parameters()):
        assert n == m and torch.equal(p, q), n
    again, _ = fresh_head(old, AutoModelForSequenceClassification, seed=0, num_labels=2)
    other, _ = fresh_head(old, AutoModelForSequenceClassification, seed=1, num_labels=2)
    w = new.classifier.dense.weight
    assert torch.equal(w, again.classifier.dense.weight)  # the seed decides the start
    assert not torch.equal(w, other.classifier.dense.weight)
    assert new.config._attn_implementation == "eager"


def test_fresh_qa_head_is_the_one_linear_layer():
    old = tiny_model(BertForQuestionAnswering, BertConfig, vocab_size=50)
    new, info = fresh_head(old, AutoModelForQuestionAnswering, seed=0)
    assert set(info["missing_keys"]) == {"qa_outputs.weight", "qa_outputs.bias"}
    assert not torch.equal(new.qa_outputs.weight, old.qa_outputs.weight)


@pytest.mark.parametrize("warmup", [0, 3])
def test_linear_lr_is_the_rate_of_transformers_schedule_at_every_step(warmup):
    total, peak = 12, 5e-4
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=peak)
    schedule = get_linear_schedule_with_warmup(opt, warmup, total)
    for step in range(total + 2):
        want = opt.param_groups[0]["lr"]
        assert math.isclose(linear_lr(step, peak, total, warmup), want, rel_tol=1e-12,
                            abs_tol=1e-15), step
        opt.step()
        schedule.step()


def test_block_of_names_embeddings_layers_and_heads():
    assert block_of("roberta.embeddings.word_embeddings.weight") == "embeddings"
    assert block_of("bert.encoder.layer.3.attention.self.query.weight") == "layer 3"
    assert block_of("classifier.out_proj.bias") == "classifier"
    assert block_of("qa_outputs.weight") == "qa_outputs"
    assert block_of("bert.pooler.dense.weight") == "pooler"


def test_gradient_norms_tell_frozen_blocks_from_trained_ones():
    m = _classifier(labels=2)
    for p in m.base_model.parameters():
        p.requires_grad = False
    m.train()
    ids = torch.tensor([[0, 5, 6, 7, 2]])
    m(input_ids=ids, labels=torch.tensor([1])).loss.backward()
    norms = gradient_norms(m)
    assert norms["classifier"] is not None and norms["classifier"] > 0
    assert {b for b, n in norms.items() if n is None} == {"embeddings", "layer 0", "layer 1"}
    want = sum(float(p.grad.pow(2).sum()) for n, p in m.named_parameters()
               if n.startswith("classifier.")) ** 0.5
    assert math.isclose(norms["classifier"], want, rel_tol=1e-9)


# ---- the no-answer threshold ---------------------------------------------------------------
GOLDS = {"a": ["Daegu"], "b": ["Busan"], "c": [], "d": [], "e": ["a nurse"]}
BEST = {"a": "Daegu", "b": "Seoul", "c": "Lisbon", "d": "Oslo", "e": "nurse"}
DIFF = {"a": -3.0, "b": 0.5, "c": 2.0, "d": -1.0, "e": 1.5}


def _by_hand(t):
    """Exact match (%) when a question is answered "" iff its diff exceeds t."""
    hits = [metrics.exact_match("" if DIFF[q] > t else BEST[q], GOLDS[q]) for q in GOLDS]
    return 100 * sum(hits) / len(hits)


def test_threshold_curve_follows_the_rule_at_every_threshold():
    grid = [-5, -3, -2, -1, 0, 0.5, 1, 1.5, 2, 5]
    curve = threshold_curve(BEST, DIFF, GOLDS, grid)
    assert curve.exact == pytest.approx([_by_hand(t) for t in grid])
    assert curve.has_ans_exact[0] == 0 and curve.no_ans_exact[0] == 100  # "" everywhere
    assert curve.no_ans_exact[-1] == 0  # answered everywhere: c and d wrong


def test_threshold_curve_best_is_the_official_best_and_holds_where_it_says():
    curve = threshold_curve(BEST, DIFF, GOLDS, [-5, 5])
    best = max(_by_hand(t) for t in sorted(DIFF.values()) + [-math.inf])
    assert curve.best_exact == pytest.approx(best)
    assert _by_hand(curve.best_threshold) == pytest.approx(best)


def test_threshold_curve_best_is_minus_infinity_when_answering_nothing_wins():
    wrong = {q: "zzz" for q in BEST}
    curve = threshold_curve(wrong, DIFF, GOLDS, [0.0])
    assert curve.best_threshold == -math.inf and curve.best_exact == pytest.approx(40.0)


# ---- the exercise checkers -----------------------------------------------------------------
def _says(capsys, *words):
    out = " ".join(capsys.readouterr().out.split())
    for w in words:
        assert w in out, out
    return True


def test_part1_ch08_checkers(capsys):
    m = _classifier(labels=2)
    head = sum(p.numel() for n, p in m.named_parameters() if n.startswith("classifier."))
    total = sum(p.numel() for p in m.parameters())
    assert not part1_ch08.check_trainable_count(None, m) and _says(capsys, "Replace None")
    assert part1_ch08.check_trainable_count(head, m) and _says(capsys, "Correct")
    assert not part1_ch08.check_trainable_count(total, m) and _says(capsys, "every number")
    assert not part1_ch08.check_trainable_count(total - head, m) and _says(capsys, "body")
    assert part1_ch08.check_learning_rate(5e-4 * 18 / 48, 30, 5e-4, 48)
    assert not part1_ch08.check_learning_rate(5e-4 * 17 / 48, 30, 5e-4, 48)
    _says(capsys, "Off by one")
    assert not part1_ch08.check_learning_rate(5e-4, 30, 5e-4, 48) and _says(capsys, "peak")


def test_part2_ch07_checkers(capsys):
    assert not part2_ch07.check_exact_and_f1(None, None) and _says(capsys, "Replace None")
    assert part2_ch07.check_exact_and_f1(0, 0.8) and _says(capsys, "Correct")
    assert not part2_ch07.check_exact_and_f1(1, 0.8) and _says(capsys, "Exact match first")
    alt = metrics.f1("the Cedar Books company", ["Cedar Books Ltd."])
    assert not part2_ch07.check_exact_and_f1(0, alt) and _says(capsys, "second gold")
    assert part2_ch07.check_split({"HasAns_exact": 200 / 3, "NoAns_exact": 50})
    assert not part2_ch07.check_split({"HasAns_exact": 2 / 3, "NoAns_exact": 0.5})
    _says(capsys, "percentages")
