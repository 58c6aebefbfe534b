"""The learner's benchmark (``hfanatomy.train.learner``): hand-written suites, kept apart.

Holds the suites to their shape (sizes per group, balanced labels, dev and test disjoint),
keeps the test suites out of everything training reads (the generators, the lexicons, the
clause banks, the generator's name pools), and re-scores the embedded models on the whole
test suites against the numbers on their cards and the targets.
"""

from __future__ import annotations

import hashlib
import json
import re
import string

import pytest

import hfanatomy
from hfanatomy import models
from hfanatomy.train import classifier, data, hard_sentiment, learner, reviews, typed

LEXICON_SHA256 = {
    "vader_lexicon.txt": "1ec9c6e9ee19aade328f8beb393a6afa71a5bb3acf7d3cc22d4ef568df374bf5",
    "textblob-en-sentiment.xml":
        "0ca603db55570bab9b2865716a3696ede01e3da02b570c47628a9dbcc3b37d1e",
}


def _plain(text: str) -> str:
    """Lower case, no punctuation, single spaces: near-copies compare equal."""
    text = "".join(c for c in text.lower() if c not in string.punctuation)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def suites():
    return {s: learner.reviews(s) for s in learner.SUITES}


@pytest.fixture(scope="module")
def qa_suites():
    return {s: learner.questions(s) for s in learner.SUITES}


@pytest.mark.parametrize("suite", learner.SUITES)
def test_sentiment_suite_shape(suites, suite):
    items = suites[suite]
    assert len(items) >= 200
    assert sum(r.group == "korean" for r in items) >= 70
    for group in learner.SENTIMENT_GROUPS:
        rows = [r for r in items if r.group == group]
        assert len(rows) >= 30, group
        assert 0.4 <= sum(r.label for r in rows) / len(rows) <= 0.6, group
    assert len({_plain(r.text) for r in items}) == len(items)


@pytest.mark.parametrize("suite", learner.SUITES)
def test_qa_suite_shape(qa_suites, suite):
    items = qa_suites[suite]
    assert len(items) >= 150
    assert sum(q.lang == "ko" for q in items) >= len(items) / 3 - 1
    for group in learner.QA_GROUPS:
        assert sum(group in q.groups for q in items) >= 30, group
    for q in items:
        assert q.lang in q.groups
        assert ("unanswerable" in q.groups) == (not q.answers), q.id
        for gold in q.answers:
            assert gold in q.context, (q.id, gold)
    assert len({q.id for q in items}) == len(items)


def test_dev_and_test_suites_are_disjoint(suites, qa_suites):
    dev = {_plain(r.text) for r in suites["dev"]}
    assert not dev & {_plain(r.text) for r in suites["test"]}
    dev_contexts = {q.context for q in qa_suites["dev"]}
    assert not dev_contexts & {q.context for q in qa_suites["test"]}


def test_no_test_review_is_in_the_training_data(suites):
    test = {_plain(r.text) for r in suites["test"]}
    trained = hard_sentiment.classifier_data(10000, 1234, "train") + reviews.review_data(
        20000, 1234, "train")
    assert len(trained) == 30000
    assert not test & {_plain(it.text) for it in trained}
    banks = [_plain(c) for lang in ("en", "ko") for side in reviews.clauses(lang) for c in side]
    assert len(banks) > 2000
    assert not test & set(banks)
    # nor does any test review contain a clause of five words or more from the banks
    assert not [(c, t) for c in banks if len(c.split()) >= 5 for t in test if c in t]
    # and the sentences the old test file holds by hand are no test-suite sentences either
    from hand_written import HAND_WRITTEN
    assert not test & {_plain(t) for t, _ in HAND_WRITTEN}


def _trigrams(text: str) -> set[str]:
    s = _plain(text).replace(" ", "")
    return {s[i : i + 3] for i in range(max(1, len(s) - 2))}


def test_real_review_files_are_licensed_small_and_hold_no_learner_review(suites):
    """train/real_reviews/: real sentences with their licences, a few MB, and no sentence
    of either learner suite, nor one near it (one inside the other, or character trigrams
    with a Jaccard similarity of 0.5 or more)."""
    from collections import Counter

    folder = classifier.REAL
    for name in ("README.md", "LICENSE-uci.txt", "LICENSE-nsmc.txt"):
        assert (folder / name).is_file(), name
    assert "CC BY 4.0" in (folder / "LICENSE-uci.txt").read_text(encoding="utf-8")
    assert "CC0" in (folder / "LICENSE-nsmc.txt").read_text(encoding="utf-8")
    real_data = [p for d in (folder, reviews.LEXICONS) for p in d.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in real_data) <= 5_000_000
    real = classifier.real_reviews("train") + classifier.real_reviews("test")
    assert {it.group for it in real} == {"real/en", "real/ko"}
    assert len([it for it in real if it.group == "real/en"]) >= 2500
    assert len([it for it in real if it.group == "real/ko"]) >= 15000
    assert 0.45 < sum(it.label for it in real) / len(real) < 0.55
    learner_texts = [r.text for s in learner.SUITES for r in suites[s]]
    plain_real = [_plain(it.text) for it in real]
    assert not set(plain_real) & {_plain(t) for t in learner_texts}
    grams = [_trigrams(it.text) for it in real]
    index: dict[str, list[int]] = {}
    for k, g in enumerate(grams):
        for t in g:
            index.setdefault(t, []).append(k)
    near = []
    for text in learner_texts:
        g, p = _trigrams(text), _plain(text)
        shared = Counter(k for t in g for k in index.get(t, ()))
        near += [(text, real[k].text) for k, n in shared.items()
                 if n / len(g | grams[k]) >= 0.5]
        if len(p) >= 12:
            near += [(text, real[k].text) for k, q in enumerate(plain_real)
                     if len(q) >= 12 and (p in q or q in p)]
    assert not near, near[:5]


def _test_names(items: list[learner.Question]) -> set[str]:
    """People, firms and places of the test suite: the answers to reverse questions (people)
    and multi-word answers (firms, places), and the capitalised word runs of the English
    paragraphs."""
    names = {g for q in items if {"reverse", "multiword"} & set(q.groups) for g in q.answers
             if not re.search(r"\d", g)}
    for q in items:
        if q.lang == "en":
            names |= set(re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", q.context))
    jobs = set(data.EN_JOBS) | set(data.KO_JOBS)
    return {n for n in names if n not in jobs and len(n) >= 2}


def test_qa_test_suite_names_are_absent_from_the_generator(qa_suites):
    names = _test_names(qa_suites["test"])
    assert len(names) >= 100
    pools = (set(data.EN_NAMES) | set(data.EN_SURNAMES) | set(data.EN_CITIES)
             | set(data.KO_CITIES) | set(typed.NAMES) | set(typed.VALUES))
    firms = {f"{a} {b}" for a in data.EN_CO_A for b in data.EN_CO_B}
    firms |= {a + b for a in data.KO_CO_A for b in data.KO_CO_B}
    assert not names & (pools | firms)
    for name in names:  # no part of a test person's full name is a pool first name or surname
        assert not set(name.split()) & (set(data.EN_NAMES) | set(data.EN_SURNAMES)), name
    generated = " ".join(it.context for it in data.qa_data(1000, 1234, "train"))
    found = sorted(n for n in names if len(n) >= 4 and re.search(rf"\b{re.escape(n)}\b",
                                                                  generated))
    assert not found


def test_lexicons_are_the_pinned_files():
    for name, digest in LEXICON_SHA256.items():
        got = hashlib.sha256((reviews.LEXICONS / name).read_bytes()).hexdigest()
        assert got == digest, name
    for licence in ("LICENSE-vader.txt", "LICENSE-textblob.txt"):
        assert "Permission is hereby granted" in (reviews.LEXICONS / licence).read_text()
    pos, neg = reviews.adjectives()
    assert {"delicious", "kind", "spotless"} <= set(pos)
    assert {"salty", "rude", "stale"} <= set(neg)
    assert not set(pos) & set(neg)


def test_review_generator_labels_follow_the_verdict():
    items = reviews.review_data(2000, 0, "train")
    assert {it.group for it in items} == {"plain", "negation", "contrast", "nouns", "korean"}
    assert 0.45 < sum(it.label for it in items) / len(items) < 0.55
    assert all(not data.is_held_out(it.text) for it in items)
    held = reviews.review_data(200, 0, "test")
    assert all(data.is_held_out(it.text) for it in held)
    never = [it for it in items if it.text.startswith("I will never come back")]
    assert never and all(it.label == 0 for it in never)


def _card(kind: str) -> dict:
    return json.loads((models.EMBEDDED_DIRS[kind] / "card.json").read_text(encoding="utf-8"))


def test_classifier_test_suite_matches_its_card():
    """The whole test suite re-scored (seconds): the card's numbers, and today's floors."""
    card = _card("classifier")
    model, tok = hfanatomy.load_classifier()
    got = learner.score_classifier(model, tok, "test")
    assert got["n"] == card["learner_test"]["n"] == len(learner.reviews("test"))
    assert got["accuracy"] == pytest.approx(card["learner_test"]["accuracy"], abs=0.005)
    for group, row in card["learner_test"]["groups"].items():
        assert got["groups"][group]["accuracy"] == pytest.approx(row["accuracy"], abs=0.01)
    assert got["mean_confidence_on_errors"] == pytest.approx(
        card["learner_test"]["mean_confidence_on_errors"], abs=0.005)
    # the targets (92 % overall, 85 % a group, 0.75 on errors) are not met yet; the
    # card says so, and these floors hold what the shipped model reaches (75.8 % overall,
    # 67.5 % in its weakest group, 0.754 on its errors)
    assert card["learner_targets"]["met"] == learner.met("classifier", got)
    assert got["accuracy"] >= 0.74
    assert all(got["groups"][g]["accuracy"] >= 0.65 for g in learner.SENTIMENT_GROUPS)
    assert got["mean_confidence_on_errors"] <= 0.78


def test_qa_test_suite_matches_its_card():
    """The QA test suite re-scored with the book decoder: the card's numbers. The targets
    are not met by the shipped QA model (the card says so), so only the card is held."""
    card = _card("qa")
    model, tok = hfanatomy.load_qa()
    got = learner.score_qa(model, tok, "test")
    assert got["n"] == card["learner_test"]["n"] == len(learner.questions("test"))
    assert got["exact_match"] == pytest.approx(card["learner_test"]["exact_match"], abs=0.005)
    for group, row in card["learner_test"]["groups"].items():
        assert got["groups"][group]["exact_match"] == pytest.approx(row["exact_match"], abs=0.01)
    assert card["learner_targets"]["met"] == learner.met("qa", got)


@pytest.mark.parametrize("kind", ["classifier", "qa"])
def test_known_failures_on_the_card_are_the_recipe_list(kind):
    card = _card(kind)
    assert card["known_failures"] == learner.KNOWN_FAILURES[kind]
    assert len(card["known_failures"]) >= 5
    assert all(f["why"] for f in card["known_failures"])


def test_classifier_regression_floors():
    """No group of the frozen held-out set falls more than 2 points below the floors."""
    floors = json.loads((classifier.FROZEN / "floors.json").read_text())["classifier"]
    model, tok = hfanatomy.load_classifier()
    got = classifier.evaluate(model, tok, classifier.frozen_held_out())
    assert got["accuracy"] >= floors["accuracy"] - 0.02
    for group, floor in floors["groups"].items():
        assert got["groups"][group]["accuracy"] >= floor - 0.02, group
