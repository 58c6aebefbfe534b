"""The training chapters' small labelled sets (``hfanatomy.training_sets``): shipped files
equal to their recipe, the sizes and layouts the chapters rely on, and no sentence shared
with the learner's hand-written suites."""

from __future__ import annotations

import pytest

from hfanatomy import training_sets
from hfanatomy.train import training_sets as recipe


def test_shipped_files_equal_a_fresh_run_of_the_recipe():
    built = recipe.build()
    for name, text in built.items():
        shipped = (training_sets.HERE / name).read_text(encoding="utf-8")
        assert shipped == text, f"{name} differs: run python -m hfanatomy.train training-sets"


@pytest.mark.parametrize("split", training_sets.SPLITS)
def test_reviews_have_the_sizes_labels_and_languages_the_chapter_uses(split):
    rows = training_sets.reviews(split)
    assert len(rows) == recipe.SIZES["reviews"][split]
    assert {r.label for r in rows} == {"negative", "positive"}
    assert {r.lang for r in rows} == {"en", "ko"}
    assert len({r.text for r in rows}) == len(rows)
    share = sum(r.label == "positive" for r in rows) / len(rows)
    assert 0.35 < share < 0.65


@pytest.mark.parametrize("split", training_sets.SPLITS)
def test_questions_are_squad_v2_rows_whose_answers_sit_at_answer_start(split):
    rows = training_sets.questions(split)
    assert len(rows) == recipe.SIZES["qa"][split]
    assert len({r["id"] for r in rows}) == len(rows)
    unanswerable = 0
    for r in rows:
        assert set(r) == {"id", "question", "context", "answers", "lang"}
        texts, starts = r["answers"]["text"], r["answers"]["answer_start"]
        assert len(texts) == len(starts) <= 1
        if not texts:
            unanswerable += 1
        for text, start in zip(texts, starts):
            assert text and r["context"][start:start + len(text)] == text
    assert 0.05 < unanswerable / len(rows) < 0.3
    assert {r["lang"] for r in rows} == {"en", "ko"}


def test_splits_are_disjoint_and_share_no_sentence_with_the_hand_written_suites():
    hand = recipe.hand_written_sentences()
    assert len(hand) > 1000  # the suites were read
    seen = {}
    for split in training_sets.SPLITS:
        sentences = set()
        for r in training_sets.reviews(split):
            sentences |= recipe.sentences(r.text)
        for q in training_sets.questions(split):
            sentences |= recipe.sentences(q["question"])
        assert not sentences & hand, sorted(sentences & hand)[:5]
        seen[split] = sentences
    assert not {r.text for r in training_sets.reviews("train")} & {
        r.text for r in training_sets.reviews("validation")}
    assert not {q["context"] for q in training_sets.questions("train")} & {
        q["context"] for q in training_sets.questions("validation")}


def test_sentences_split_on_end_punctuation_and_ignore_case():
    assert recipe.sentences("Great food! The staff was kind. 다시 갈게요~") == {
        "great food", "the staff was kind", "다시 갈게요"}


def test_an_unknown_split_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="train"):
        training_sets.reviews("test")
    with pytest.raises(ValueError, match="validation"):
        training_sets.questions("dev")
