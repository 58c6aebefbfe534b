"""hfanatomy.metrics against the official SQuAD 2.0 evaluation script, and its rules by hand.

``tests/fixtures/squad_v2_golden.json`` holds 300 generated questions (a SQuAD 2.0 data
file, predictions, no-answer probabilities) and what the unchanged official
``evaluate-v2.0.py`` made of them, run outside this repository: its per-question
``get_raw_scores`` and its output for several ``--na-prob-file`` / ``--na-prob-thresh``
settings (its ``source`` says where the script was read from). Every number must come back
from :mod:`hfanatomy.metrics`. The tests below the golden ones check each rule on small
hand-made cases, and that the fixture would catch a wrong rule.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from hfanatomy import metrics
from hfanatomy.metrics import (
    KOREAN_PARTICLES,
    best_threshold,
    exact_match,
    f1,
    learner_exact_match,
    learner_f1,
    normalize_answer,
    squad_v2,
    strip_particle,
)

GOLDEN = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "squad_v2_golden.json")
                    .read_text(encoding="utf-8"))
PREDICTIONS: dict[str, str] = GOLDEN["predictions"]
NA_PROBS: dict[str, float] = GOLDEN["na_probs"]
PER_QUESTION: dict[str, dict] = GOLDEN["per_question"]
#: question id -> gold answer texts, in the data file's order ([] = unanswerable)
GOLDS: dict[str, list[str]] = {
    qa["id"]: [a["text"] for a in qa["answers"]]
    for article in GOLDEN["data"]["data"] for p in article["paragraphs"] for qa in p["qas"]
}
REL = 1e-9


def run_id(run: dict) -> str:
    return f"thresh={run['na_prob_thresh']}-na_probs={run['with_na_probs']}"


# --- the golden fixture ---------------------------------------------------------------------


def test_the_fixture_covers_what_it_should():
    assert "evaluate-v2.0.py" in GOLDEN["source"] and "outside this repository" in GOLDEN["source"]
    assert len(GOLDS) >= 240 and set(PER_QUESTION) == set(GOLDS) == set(PREDICTIONS)
    assert set(NA_PROBS) == set(GOLDS) and list(NA_PROBS) != list(GOLDS)  # its own order
    unanswerable = [q for q, g in GOLDS.items() if not g]
    assert len(unanswerable) >= 50 and sum(len(g) >= 2 for g in GOLDS.values()) >= 30
    assert any(PREDICTIONS[q] for q in unanswerable)  # answers to unanswerable questions
    assert any(not PREDICTIONS[q] for q, g in GOLDS.items() if g)  # empty for answerable
    assert any(re.search("[가-힣]", p) for p in PREDICTIONS.values())
    probs = list(NA_PROBS.values())
    assert len(set(probs)) < len(probs)  # ties
    runs = {(r["na_prob_thresh"], r["with_na_probs"]) for r in GOLDEN["runs"]}
    assert (None, False) in runs and (None, True) in runs
    assert len({t for t, with_na in runs if with_na}) >= 3


@pytest.mark.parametrize("run", GOLDEN["runs"], ids=run_id)
def test_every_run_of_the_official_script_comes_back(run):
    thresh = 1.0 if run["na_prob_thresh"] is None else run["na_prob_thresh"]
    got = squad_v2(PREDICTIONS, GOLDS, NA_PROBS if run["with_na_probs"] else None, thresh)
    want = run["output"]
    assert list(got) == list(want)  # the same keys, in the same order
    for key, value in want.items():
        if key.endswith("_total") or key == "total":
            assert got[key] == value, key
        else:
            assert got[key] == pytest.approx(value, rel=REL, abs=1e-12), key


def test_every_question_scores_as_in_the_official_script():
    wrong = []
    for qid, want in PER_QUESTION.items():
        got = (exact_match(PREDICTIONS[qid], GOLDS[qid]), f1(PREDICTIONS[qid], GOLDS[qid]))
        if got[0] != want["exact"] or got[1] != pytest.approx(want["f1"], rel=REL, abs=1e-12):
            wrong.append((qid, GOLDS[qid], PREDICTIONS[qid], got, want))
    assert not wrong, wrong[:5]


def test_best_threshold_walks_ties_in_the_na_prob_order():
    """find_best_thresh keeps the na_prob file's order among equal probabilities, and the
    fixture's numbers depend on it: another order of the ties gives other numbers."""
    run = next(r for r in GOLDEN["runs"] if r["with_na_probs"])["output"]
    raw = metrics.raw_scores(PREDICTIONS, GOLDS)
    has = {q: s.has_answer for q, s in raw.items()}
    by_qid = dict(sorted(NA_PROBS.items()))
    changed = False
    for kind in ("exact", "f1"):
        scores = {q: getattr(s, kind) for q, s in raw.items()}
        got = best_threshold(PREDICTIONS, scores, NA_PROBS, has)
        assert got == pytest.approx((run[f"best_{kind}"], run[f"best_{kind}_thresh"]), rel=REL)
        changed |= best_threshold(PREDICTIONS, scores, by_qid, has) != got
    assert changed


# --- the fixture would catch a wrong rule ---------------------------------------------------


def _exact_with(normalize, first_gold_only: bool = False) -> dict[str, int]:
    out = {}
    for qid, golds in GOLDS.items():
        kept = [g for g in golds if normalize(g)] or [""]
        if first_gold_only:
            kept = kept[:1]
        out[qid] = max(int(normalize(PREDICTIONS[qid]) == normalize(g)) for g in kept)
    return out


def _golden_exact() -> dict[str, int]:
    return {q: s["exact"] for q, s in PER_QUESTION.items()}


def test_the_fixture_needs_the_article_rule():
    def no_articles(s):
        return " ".join("".join(c for c in s.lower() if c not in string.punctuation).split())

    assert _exact_with(no_articles) != _golden_exact()


def test_the_fixture_needs_whole_word_articles():
    def inside_words_too(s):
        s = "".join(c for c in s.lower() if c not in string.punctuation)
        return " ".join(re.sub("a|an|the", " ", s).split())

    assert _exact_with(inside_words_too) != _golden_exact()


def test_the_fixture_needs_the_punctuation_rule():
    def keep_punctuation(s):
        return " ".join(re.sub(r"\b(a|an|the)\b", " ", s.lower()).split())

    assert _exact_with(keep_punctuation) != _golden_exact()


def test_the_fixture_needs_lower_case_and_whitespace():
    assert _exact_with(lambda s: " ".join(
        re.sub(r"\b(a|an|the)\b", " ", "".join(c for c in s if c not in string.punctuation))
        .split())) != _golden_exact()  # no lower-casing
    assert _exact_with(lambda s: re.sub(r"\b(a|an|the)\b", " ", "".join(
        c for c in s.lower() if c not in string.punctuation))) != _golden_exact()  # no collapse


def test_the_fixture_needs_the_max_over_golds():
    assert _exact_with(normalize_answer, first_gold_only=True) != _golden_exact()


def test_the_fixture_needs_the_counter_intersection():
    """Counting common words as a set (not a multiset) changes some F1."""
    def set_f1(pred, gold):
        p, g = pred.split(), gold.split()
        if not p or not g:
            return float(p == g)
        same = len(set(p) & set(g))
        return 0.0 if same == 0 else 2 * (same / len(p)) * (same / len(g)) / (
            same / len(p) + same / len(g))

    differs = False
    for qid, golds in GOLDS.items():
        kept = [normalize_answer(g) for g in golds if normalize_answer(g)] or [""]
        got = max(set_f1(normalize_answer(PREDICTIONS[qid]), g) for g in kept)
        differs |= got != pytest.approx(PER_QUESTION[qid]["f1"], rel=REL, abs=1e-12)
    assert differs


# --- the rules by hand ----------------------------------------------------------------------


@pytest.mark.parametrize("text, normal", [
    ("The Denver Broncos!", "denver broncos"),
    ("  a   theatre\tin\nLondon ", "theatre in london"),  # "theatre" keeps its "the"
    ("another", "another"),
    ("an other", "other"),
    ("U.S.A.", "usa"),
    ("the-end", "theend"),  # punctuation goes before the articles
    ("a.b", "ab"),
    ("l'the", "lthe"),
    ("The the THE", ""),
    ("“smart quotes”", "“smart quotes”"),  # not string.punctuation
    ("École\u00a0Polytechnique", "école polytechnique"),
    ("강릉에.", "강릉에"),
    ("the강릉", "the강릉"),  # no word boundary between "the" and Hangul
    ("", ""),
])
def test_normalize_answer(text, normal):
    assert normalize_answer(text) == normal


def test_exact_match_is_the_max_over_golds():
    assert exact_match("Broncos", ["Denver Broncos", "the Broncos"]) == 1
    assert exact_match("Broncos", ["Denver Broncos"]) == 0
    assert exact_match("THE BRONCOS.", ["Denver Broncos", "broncos"]) == 1


def test_f1_counts_common_words_with_their_multiplicity():
    assert f1("Denver Broncos", ["Denver Broncos"]) == 1.0
    assert f1("the Denver", ["Denver Broncos"]) == pytest.approx(2 / 3)
    # "dog dog dog" vs "dog dog": 2 in common, precision 2/3, recall 1
    assert f1("dog dog dog", ["dog dog"]) == pytest.approx(0.8)
    assert f1("Denver", ["Broncos", "Denver Broncos", "x"]) == pytest.approx(2 / 3)
    assert f1("Miami", ["Denver Broncos"]) == 0.0


def test_unanswerable_questions_have_the_empty_gold_answer():
    for golds in ([], ["the"], [".", "A"]):  # none normalises to anything
        assert exact_match("", golds) == 1 and f1("", golds) == 1.0
        assert exact_match(" the. ", golds) == 1 and f1(" the. ", golds) == 1.0
        assert exact_match("Denver", golds) == 0 and f1("Denver", golds) == 0.0
    # a gold that normalises to nothing is dropped when another gold is left
    assert exact_match("", ["the", "Denver"]) == 0
    assert exact_match("Denver", ["the", "Denver"]) == 1


def test_f1_with_no_words_on_a_side_is_whether_both_are_empty():
    assert f1("", ["Denver"]) == 0.0
    assert f1("a an the", ["Denver"]) == 0.0
    assert f1("Denver", [""]) == 0.0
    assert f1("", [""]) == 1.0


def test_a_prediction_is_needed_for_every_question():
    with pytest.raises(KeyError, match="no prediction"):
        squad_v2({"q1": "x"}, {"q1": ["x"], "q2": []})


def test_squad_v2_by_hand():
    golds = {"a": ["Denver Broncos"], "b": ["Paris"], "n": [], "m": []}
    preds = {"a": "Denver", "b": "Paris", "n": "", "m": "London", "extra": "ignored"}
    out = squad_v2(preds, golds)
    assert out == pytest.approx({
        "exact": 50.0, "f1": 100 * (2 / 3 + 1 + 1 + 0) / 4, "total": 4,
        "HasAns_exact": 50.0, "HasAns_f1": 100 * (2 / 3 + 1) / 2, "HasAns_total": 2,
        "NoAns_exact": 50.0, "NoAns_f1": 50.0, "NoAns_total": 2})
    assert list(out) == ["exact", "f1", "total", "HasAns_exact", "HasAns_f1", "HasAns_total",
                         "NoAns_exact", "NoAns_f1", "NoAns_total"]
    # only answerable questions: no NoAns keys
    assert list(squad_v2({"a": "x"}, {"a": ["x"]})) == ["exact", "f1", "total", "HasAns_exact",
                                                        "HasAns_f1", "HasAns_total"]


def test_the_threshold_is_strictly_above():
    golds = {"a": ["Denver"], "n": []}
    preds = {"a": "Denver", "n": "London"}
    na = {"a": 0.5, "n": 0.5}
    assert squad_v2(preds, golds, na, threshold=0.5)["exact"] == 50.0  # 0.5 is not > 0.5
    low = squad_v2(preds, golds, na, threshold=0.4)  # both taken as "no answer"
    assert (low["HasAns_exact"], low["NoAns_exact"], low["NoAns_f1"]) == (0.0, 100.0, 100.0)
    # without na_probs every probability is 0.0: only a negative threshold applies
    assert squad_v2(preds, golds)["exact"] == 50.0
    assert squad_v2(preds, golds, threshold=-0.1)["exact"] == 50.0
    assert squad_v2(preds, golds, threshold=-0.1)["HasAns_exact"] == 0.0


def test_best_threshold_by_hand():
    has = {"a": True, "b": True, "n": False, "m": False}
    preds = {"a": "x", "b": "y", "n": "", "m": " "}  # " " is a non-empty prediction
    scores = {"a": 1, "b": 0, "n": 1, "m": 1}
    # start: 2 (both unanswerable right); a: 3 at 0.1; b: 3; n: 3; m: 2
    na = {"m": 0.9, "n": 0.3, "b": 0.2, "a": 0.1}
    assert best_threshold(preds, scores, na, has) == (75.0, 0.1)
    # nothing beats "no answer everywhere": the threshold stays 0.0
    assert best_threshold(preds, {"a": 0, "b": 0, "n": 1, "m": 1}, na, has) == (50.0, 0.0)
    # ties: the walk follows the order of na_probs and may stop inside a tie
    tie_first_a = {"a": 0.5, "m": 0.5, "b": 0.5, "n": 0.5}
    tie_first_m = {"m": 0.5, "a": 0.5, "b": 0.5, "n": 0.5}
    assert best_threshold(preds, scores, tie_first_a, has) == (75.0, 0.5)
    assert best_threshold(preds, scores, tie_first_m, has) == (50.0, 0.0)
    # probabilities of questions without a score are skipped
    assert best_threshold(preds, scores, {**na, "zz": 0.0}, has) == (75.0, 0.1)


def test_squad_v2_reports_the_best_thresholds_with_na_probs():
    golds = {"a": ["Denver Broncos"], "n": []}
    preds = {"a": "Denver", "n": "London"}
    out = squad_v2(preds, golds, {"a": 0.2, "n": 0.7})
    assert list(out)[-4:] == ["best_exact", "best_exact_thresh", "best_f1", "best_f1_thresh"]
    assert (out["best_exact"], out["best_exact_thresh"]) == (50.0, 0.0)
    assert out["best_f1"] == pytest.approx(100 * (1 + 2 / 3) / 2) and out["best_f1_thresh"] == 0.2


# --- our addition: Korean particles for the learner suites ---------------------------------


def test_korean_particles_are_listed_longest_first():
    assert {"은", "는", "이", "가", "을", "를", "에", "에서", "에게", "한테", "의", "와", "과", "로",
            "으로", "도", "만", "까지", "부터", "이에요", "예요", "이다", "께서"} == set(KOREAN_PARTICLES)
    lengths = [len(p) for p in KOREAN_PARTICLES]
    assert lengths == sorted(lengths, reverse=True)


@pytest.mark.parametrize("text, stripped", [
    ("강릉에", "강릉"),
    ("한빛전자에서", "한빛전자"),
    ("집으로", "집"),  # 으로 before 로
    ("강릉이에요", "강릉"),
    ("강릉에서도", "강릉에서"),  # one particle only
    ("이", "이"),  # the whole word is a particle: kept
    ("강릉", "강릉"),
    ("강릉에서 일해요", "강릉에서 일해요"),  # the last word has none
    ("서울 대학교에 ", "서울 대학교"),
    ("", ""),
])
def test_strip_particle(text, stripped):
    assert strip_particle(text) == stripped


def test_learner_exact_match_forgives_one_korean_particle():
    assert learner_exact_match("강릉에", ["강릉"], "ko") == 1
    assert learner_exact_match("강릉", ["강릉"], "ko") == 1
    assert learner_exact_match("한빛전자에서", ["한빛전자"], "ko") == 1
    assert learner_exact_match("한빛전자에서.", ["삼성", "한빛전자"], "ko") == 1
    assert learner_exact_match("강릉에서 일해요", ["강릉"], "ko") == 0
    assert learner_exact_match("강릉에서도", ["강릉"], "ko") == 0  # not twice
    assert learner_exact_match("이", ["이"], "ko") == 1
    assert learner_exact_match("이", [""], "ko") == 0  # "이" alone is not stripped to ""
    assert learner_exact_match("", [], "ko") == 1
    # SQuAD's rule alone would not match
    assert exact_match("강릉에", ["강릉"]) == 0


def test_learner_rules_do_not_apply_to_english():
    assert learner_exact_match("강릉에", ["강릉"], "en") == 0
    assert learner_exact_match("Broncos에", ["Broncos"], "en") == 0
    assert learner_exact_match("The Broncos.", ["broncos"], "en") == 1
    assert learner_f1("강릉에", ["강릉"], "en") == 0.0
    with pytest.raises(ValueError, match="lang"):
        learner_exact_match("x", ["x"], "fr")


def test_learner_f1_forgives_one_particle_on_the_last_word():
    assert learner_f1("서울 대학교에", ["서울 대학교"], "ko") == 1.0
    assert f1("서울 대학교에", ["서울 대학교"]) == pytest.approx(0.5)
    assert learner_f1("강릉에 있어요", ["강릉"], "ko") == 0.0  # only the last word
    assert learner_f1("강릉에서도", ["강릉"], "ko") == 0.0
    assert learner_f1("한빛전자에서 일해요", ["한빛전자에서"], "ko") == pytest.approx(2 / 3)
