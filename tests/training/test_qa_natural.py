"""The natural-paragraph generator for the QA model (``train.qa_natural``)."""

from __future__ import annotations

import random
import re

from hfanatomy.train import data, qa_natural
from hfanatomy.train.features import aux_targets


def test_items_point_at_their_answers_in_both_languages():
    items = qa_natural.natural_data(1500, 0, "train")
    assert {it.lang for it in items} == {"en", "ko"}
    answerable = [it for it in items if it.answer]
    assert 0.7 < len(answerable) / len(items) < 0.9
    for it in answerable:
        assert it.context[it.answer_start : it.answer_start + len(it.answer)] == it.answer


def test_pronouns_first_names_appositions_and_reverse_questions_occur():
    items = qa_natural.natural_data(1500, 1, "train")
    en = " ".join(it.context for it in items if it.lang == "en")
    ko = " ".join(it.context for it in items if it.lang == "ko")
    assert re.search(r"\. (He|She|They) ", en)
    assert ", who works at " in en and re.search(r", an? [a-z ]+, ", en)
    assert "그는 " in ko or "그녀는 " in ko
    reverse = [it for it in items if it.extra.get("reverse")]
    assert len(reverse) > 100
    for it in reverse:  # answered by the person's first (full-name) mention
        assert it.question.startswith("Who") or "누가" in it.question or "누구" in it.question
        assert it.context.index(it.answer) == it.answer_start
    relations = {it.attribute for it in items}
    assert {"grew_up", "studied", "plays", "pet", "children"} <= relations


def test_a_pronoun_follows_a_sentence_about_the_same_person():
    rng = random.Random(3)
    for _ in range(300):
        it = qa_natural.en_item(rng)
        sentences = it.context.split(". ")
        fillers = {f.rstrip(".") for f in data.EN_FILLER}
        for prev, sent in zip(sentences, sentences[1:]):
            if sent.split(" ")[0] in ("He", "She", "They") and sent.rstrip(".") not in fillers:
                assert prev.rstrip(".") not in fillers, (prev, sent)


def test_split_keeps_held_out_names_out_of_training():
    train = qa_natural.natural_data(400, 2, "train")
    test = qa_natural.natural_data(400, 2, "test")
    names = {it.answer for it in train if it.extra.get("reverse")}
    held = {it.answer for it in test if it.extra.get("reverse")}
    assert names and held and not names & held
    assert all(not data.is_held_out(n) for n in names)
    assert all(data.is_held_out(n) for n in held)


def test_natural_items_carry_no_attention_supervision():
    it = qa_natural.en_item(random.Random(0))
    targets = aux_targets(it, [0] * 5, [None, 0, None, 1, None], [(0, 0)] * 5)
    assert targets and all(not any(rows) for rows in targets.values())
