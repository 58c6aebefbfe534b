"""The embedded classifier off its templates: held-out groups, calibration, hand-written sentences."""

from __future__ import annotations

import json

import pytest
import torch
from hand_written import HAND_WRITTEN

import hfanatomy
from hfanatomy import models
from hfanatomy.train import calibration, classifier, hard_sentiment

HARD_GROUPS = ("negation", "negators", "negated_adj", "contrast", "korean", "unseen")


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("HFANATOMY_CLASSIFIER", raising=False)


@pytest.fixture(scope="module")
def embedded():
    return hfanatomy.load_classifier()


@pytest.fixture(scope="module")
def card():
    return json.loads((models.CLASSIFIER_DIR / "card.json").read_text())


@pytest.fixture(scope="module")
def sample_report(embedded):
    """A fresh held-out sample (another seed than the card's), every group represented."""
    items = classifier.held_out(seed=4321, test_items=1200, unseen_items=300)
    return classifier.evaluate(*embedded, items)


def test_card_meets_the_targets(card):
    held = card["held_out"]
    assert held["accuracy"] >= 0.98, held
    for group in HARD_GROUPS:
        assert held["groups"][group]["accuracy"] >= 0.95, (group, held["groups"][group])
    assert held["groups"]["unseen"]["n"] >= 300
    # the learner issue's bound: the temperature is fitted half on hand-written reviews, so
    # the model is slightly under-confident on its own generator's sentences
    assert held["ece"] <= 0.05, held["ece"]


def test_held_out_sample_per_group(sample_report):
    assert sample_report["accuracy"] >= 0.97, sample_report["errors"][:5]
    for group in HARD_GROUPS:
        g = sample_report["groups"][group]
        # groups of this sample hold 100-300 sentences: one miss is 0.3-1 point
        assert g["n"] >= 100 and g["accuracy"] >= 0.93, (group, g)


def test_probabilities_are_calibrated_not_all_0999(sample_report):
    assert sample_report["ece"] <= 0.05, sample_report["ece"]
    assert sample_report["mean_confidence"] < 0.995
    neutral = sample_report["neutral"]  # "I bought the lamp on Monday." has no opinion
    assert 0.25 < neutral["mean_p_positive"] < 0.75, neutral


def test_hand_written_sentences(embedded):
    model, tok = embedded
    texts = [t for t, _ in HAND_WRITTEN]
    gold = torch.tensor([y for _, y in HAND_WRITTEN])
    probs = classifier.logits_of(model, tok, texts).softmax(-1)  # (N, 2)
    conf, pred = probs.max(-1)
    right = pred == gold
    misses = [(t, round(p, 3)) for t, p, r in zip(texts, probs[:, 1].tolist(), right) if not r]
    assert right.float().mean() >= 0.9, misses
    # confident where right, but not 0.999 on everything: the misses are as confident as
    # the hits (0.99, see card.json calibration notes), so only the mean is bounded here
    assert 0.9 < conf[right].mean() < 0.995
    assert conf.mean() < 0.995


def test_unseen_nouns_never_occur_in_training():
    from hfanatomy.train import reviews

    train = (hard_sentiment.classifier_data(3000, 0, "train") + reviews.review_data(3000, 0, "train")
             + classifier.real_reviews("train"))
    words = {w.strip(".,;!?").lower() for it in train for w in it.text.split()}
    assert not words & set(hard_sentiment.EN_THINGS_UNSEEN)
    text = " ".join(it.text for it in train)
    assert not [w for w in hard_sentiment.KO_THINGS_UNSEEN if w in text]


def test_ece_by_hand():
    # two bins: (0.6, 0.667] holds 0.62 and 0.64 (one right), (0.933, 1] holds 0.95 (right)
    conf = torch.tensor([0.62, 0.64, 0.95])
    right = torch.tensor([True, False, True])
    want = (2 * abs(0.5 - 0.63) + abs(1 - 0.95)) / 3
    assert calibration.ece(conf, right) == pytest.approx(want, rel=1e-6)  # conf is float32
    with pytest.raises(ValueError, match="1-D"):
        calibration.ece(conf, right[:2])


def test_folded_temperature_equals_dividing_the_logits():
    torch.manual_seed(0)
    head = torch.nn.Linear(8, 2)
    x = torch.randn(5, 8)
    before = head(x)
    calibration.fold_temperature(head, 2.5)
    assert torch.allclose(head(x), before / 2.5, rtol=1e-6)
    logits = torch.randn(400, 2) * 4
    labels = (logits[:, 1] - logits[:, 0] + torch.randn(400) * 4 > 0).long()  # noisy labels
    assert calibration.fit_temperature(logits, labels) > 1  # overconfident logits get softened
    with pytest.raises(ValueError, match="temperature"):
        calibration.fold_temperature(head, 0.0)


def test_real_sentences_split_and_mix():
    """Phase 3's real sentences: the held-out tenth is never in the training side, and a
    mix holds the asked share of English, every sentence once before any comes back."""
    from hfanatomy.train import data

    train, test = classifier.real_reviews("train"), classifier.real_reviews("test")
    assert not {it.text for it in train} & {it.text for it in test}
    assert all(data.is_held_out(it.text) for it in test)
    assert 0.07 < len(test) / (len(train) + len(test)) < 0.13
    en = sum(it.group == "real/en" for it in train)
    items = classifier.real_items(2 * en + 10, 0, en_share=0.5)
    english = [it.text for it in items if it.group == "real/en"]
    assert len(english) == en + 5 and len(set(english)) == en
    assert {it.text for it in items} <= {it.text for it in train}
    with pytest.raises(ValueError, match="split"):
        classifier.real_reviews("dev")
