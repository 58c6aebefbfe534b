"""Training: data generators, labelling through offsets, and a few-step end-to-end run."""

from __future__ import annotations

import json
import random
import re

import pytest

import hfanatomy
from hfanatomy.train import data


def test_sentiment_splits_are_disjoint_and_deterministic():
    train = data.sentiment_data(3000, 0, "train")
    test = data.sentiment_data(300, 1, "test")
    assert not {it.text for it in train} & {it.text for it in test}
    assert [it.text for it in data.sentiment_data(50, 5, "train")] == [
        it.text for it in data.sentiment_data(50, 5, "train")
    ]
    assert {it.group for it in train} == set(data.GROUPS)
    assert {it.label for it in train} == {0, 1}


def test_contrast_label_follows_the_second_clause():
    rng = random.Random(3)
    for _ in range(200):
        item = data.sentiment_item(rng)
        if item.group == "contrast" and ", but " in item.text and " not " not in item.text:
            second = item.text.split(", but ")[1]
            words = set(second.strip(".!").replace(",", " ").split())
            polar = 1 if words & set(data.EN_POS) else 0 if words & set(data.EN_NEG) else None
            if polar is not None:
                assert polar == item.label, item.text


def test_qa_items_point_at_their_answer():
    rng = random.Random(0)
    for _ in range(300):
        it = data.qa_item(rng)
        if it.answer:
            assert it.context[it.answer_start : it.answer_start + len(it.answer)] == it.answer
        else:
            assert it.answer_start == -1 and it.group == "unanswerable"


def test_windows_label_answers_through_offsets():
    from hfanatomy.train.qa import windows

    _, tok = hfanatomy.load_qa()
    items = data.qa_data(60, 3, "train", long_share=0.5)
    wins = windows(tok, items)
    assert len(wins) > len(items)  # some contexts need several windows
    labelled = set()
    for w in wins:
        it = items[w.item]
        if w.start:
            text = it.context[w.offsets[w.start][0] : w.offsets[w.end][1]]
            assert text == it.answer
            labelled.add(w.item)
        else:
            assert w.end == 0  # [CLS]
    assert labelled == {k for k, it in enumerate(items) if it.answer}


def test_every_name_form_is_one_token_of_the_shipped_qa_tokenizer():
    """The name comparison head needs whole names: 민준의 split as 민 + ##준의 cannot match."""
    _, tok = hfanatomy.load_qa()
    split = [form for form, _ in data.name_forms() if len(tok.tokenize(form)) != 1]
    assert not split


def test_attention_supervision_targets():
    """name_match: context names -> the question's name if the same person, else [SEP];
    subject: every context token -> its sentence's name (ko: genitive question, topic context)."""
    from hfanatomy.train.qa import windows

    _, tok = hfanatomy.load_qa()
    cases = [
        ("Where does Oliver work?", "Hannah works at Blue Bank. Oliver works at Swift Motors.",
         "oliver"),
        ("민준의 직업은 무엇인가요?", "서연은 현재 교사 일을 하고 있어요. 민준은 현재 약사 일을 하고 있어요.",
         "민준의"),
    ]
    for question, context, q_name in cases:
        item = data.QAItem(question, context, "", -1, "en", "job", 2)
        (w,) = windows(tok, [item], aux=True)
        toks = tok.convert_ids_to_tokens(w.input_ids)
        sep = toks.index("[SEP]")
        names = [i for i in range(sep + 1, len(toks)) if w.name_match[i] != -100]
        assert len(names) == 2, toks  # one name per sentence, both supervised
        first, second = names
        assert w.name_match[first] == sep  # another person: look at [SEP]
        assert w.name_match[second] == toks.index(q_name)  # the asked person: question's name
        for i in range(sep + 1, len(toks) - 1):  # each token -> the name of its own sentence
            assert w.subject[i] == (first if i < second else second), (i, toks[i])
        assert w.subject[0] == w.subject[sep] == w.name_match[toks.index(q_name)] == -100


def test_bad_split_is_a_clear_error():
    with pytest.raises(ValueError, match="split"):
        data.sentiment_data(3, 0, "dev")
    with pytest.raises(ValueError, match="kind"):
        data.examples("summaries")


def test_training_runs_end_to_end(tmp_path, capsys):
    from hfanatomy.train.__main__ import main

    assert main(["all", "--steps", "2", "--small", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "classifier: step 2/2" in printed and "qa/finetune: step 2/2" in printed
    for name in ("classifier", "qa"):
        card = json.loads((tmp_path / name / "card.json").read_text())
        assert set(card["files"]) >= {"config.json", "model.safetensors", "tokenizer.json"}
    model, tok = hfanatomy.load_classifier(tmp_path / "classifier")
    assert model.config.id2label == {0: "negative", 1: "positive"}
    qa_model, qa_tok = hfanatomy.load_qa(tmp_path / "qa")
    assert type(qa_model).__name__ == "BertForQuestionAnswering"


def test_hard_sentiment_splits_groups_and_labels():
    from hfanatomy.train import hard_sentiment as hs

    train = hs.classifier_data(3000, 0, "train")
    test = hs.classifier_data(300, 1, "test")
    assert not {it.text for it in train} & {it.text for it in test}
    assert [it.text for it in hs.classifier_data(40, 5, "train")] == [
        it.text for it in hs.classifier_data(40, 5, "train")
    ]
    assert {it.group for it in train} == set(data.GROUPS) | {"negators", "negated_adj", "neutral"}
    assert {it.label for it in train if it.group == "neutral"} == {hs.NEUTRAL}
    assert {it.label for it in train if it.group != "neutral"} == {0, 1}
    # the template stream is untouched: the BPE tokenizer was trained on it
    templates = {it.text for it in data.sentiment_data(3000, 0, "train", verb_contrast=0.5)}
    assert len(templates & {it.text for it in train}) >= 1400
    # a negator in front of a liking verb makes the sentence negative, and vice versa
    likes = {past for _, past, _ in hs.EN_POS_V}
    dislikes = {past for _, past, _ in hs.EN_NEG_V}
    checked = 0
    for it in train:
        if it.group != "negators":
            continue
        m = re.match(r"(?:[A-Z][a-z ]+, )?(?:nobody|no one) (\w+(?: about)?) ", it.text, re.I)
        if m and m[1] in likes | dislikes:
            assert it.label == (0 if m[1] in likes else 1), it.text
            checked += 1
    assert checked >= 5
