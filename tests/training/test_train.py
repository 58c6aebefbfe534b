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


def test_common_name_pairs_point_at_the_first_persons_fact():
    items = data.common_name_pairs(12)
    assert len(items) == 12 * 11 and len({it.question + it.context for it in items}) == 132
    for it in items:
        name = it.extra["name"]
        assert not data.is_held_out(name) and it.question.split()[2] == name
        assert it.context[it.answer_start : it.answer_start + len(it.answer)] == it.answer
        # the answer is the asked person's fact: the sentence it ends starts with the name
        assert it.context[: it.answer_start].rsplit(". ", 1)[-1].startswith(name + " ")


def test_qa_split_is_by_names_and_values():
    """Held-out items mention no name and no value of the training items, and the reverse."""
    def strings(items):
        out = set()
        for it in items:
            out |= {it.context[a:b] for _, _, a, b, _ in it.extra["sentences"] if a >= 0}
            out.add(it.extra["name"])
            if it.answer and it.attribute != "born":
                out.add(it.answer)
        return out

    train = data.qa_data(300, 0, "train", long_share=0.2)
    test = data.qa_data(100, 1, "test", long_share=0.2)
    assert not strings(train) & strings(test)
    assert all(data.is_held_out(s) for s in strings(test))
    assert {it.lang for it in test} == {"en", "ko"}
    assert {it.group for it in test} == {"answerable", "unanswerable"}
    assert any(" " in it.extra["name"] for it in test)  # full names
    assert [it.question for it in data.qa_data(20, 5, "test")] == [
        it.question for it in data.qa_data(20, 5, "test")]


def test_windows_label_answers_through_offsets():
    from hfanatomy.train.features import windows

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


def test_qa_tokenizer_has_no_unk_in_ordinary_text():
    """Every KS X 1001 syllable and ASCII character is a token, word-initial and as ##."""
    _, tok = hfanatomy.load_qa()
    texts = [
        "대한민국의 수도는 서울이며, 인구는 약 950만 명이다. 한강이 도시를 가로질러 흐른다!",
        "Mina works at Blue Harbor Labs. (She moved there in 2019; it's 30 km away.) #1 @ $5?",
        " ".join(data.ks_x_1001_hangul()),  # every syllable starting a word ...
        " ".join("가" + s for s in data.ks_x_1001_hangul()),  # ... and inside one (##)
    ]
    for text in texts:
        assert tok.unk_token not in tok.tokenize(text), text
    assert "김" in tok.get_vocab() and "##김" in tok.get_vocab()


def test_korean_names_read_the_same_with_every_particle():
    """김민지는 / 김민지의 / 김민지가: the name's tokens are the same, the particle apart."""
    _, tok = hfanatomy.load_qa()
    for name in ("김민지", "이준서", "박하늘", "민지"):
        forms = [data.topic(name), data.subject(name), name + "의", data.obj(name)]
        pieces = [tok.tokenize(f) for f in forms]
        assert all(p[:-1] == tok.tokenize(name) for p in pieces), pieces


def test_attention_supervision_targets():
    """name_match: each context name token -> the same token of the question's name, else
    [SEP]; subject: every context token -> all tokens of its sentence's name; sentence and
    question: its sentence, the question's words outside the name."""
    from hfanatomy.train.features import windows

    _, tok = hfanatomy.load_qa()
    cases = [
        ("Who is Leo Martin's employer?",
         "Leo Vogel works at Blue Bank. Leo Martin works at Swift Motors.",
         ["Leo Vogel", "Leo Martin"]),
        ("김민지의 직업은 무엇인가요?",
         "김민수는 현재 교사 일을 하고 있어요. 김민지는 현재 약사 일을 하고 있어요.",
         ["김민수", "김민지"]),
    ]
    for question, context, names in cases:
        item = data.annotated_item(question, context, "", names)
        (w,) = windows(tok, [item], aux=True)
        toks = tok.convert_ids_to_tokens(w.input_ids)
        sep = toks.index("[SEP]")
        q_name = [i for i in range(1, sep) if toks[i] in tok.tokenize(names[1])]
        n = len(tok.tokenize(names[0]))
        rows = [i for i in range(sep + 1, len(toks)) if w.name_match[i]]
        assert len(rows) == 2 * n, toks  # both names, every token of each
        first, second = rows[:n], rows[n:]
        # first name: the shared word matches the question's, the other token looks at [SEP]
        assert w.name_match[first[0]] == [q_name[0]] and w.name_match[first[-1]] == [sep]
        assert [w.name_match[i] for i in second] == [[i] for i in q_name]  # the one asked
        for i in range(sep + 1, len(toks) - 1):  # each token -> its own sentence's name
            assert w.subject[i] == (first if i < second[0] else second), (i, toks[i])
        assert w.subject[0] == w.subject[sep] == w.name_match[q_name[0]] == []
        # sentence: the tokens of its own sentence; question: the question minus the name
        assert w.sentence[second[0]] == list(range(second[0], len(toks) - 1))
        asked_for = [i for i in range(1, sep) if i not in q_name]
        assert all(w.question[i] == asked_for for i in range(sep + 1, len(toks) - 1))
        # next: each context token -> the one after it (the last one -> the final [SEP])
        assert all(w.next[i] == [i + 1] for i in range(sep + 1, len(toks) - 1))
        assert w.next[0] == w.next[sep] == w.next[len(toks) - 1] == []


def test_varied_pools_train_only_on_the_training_side():
    """varied draws more made-up values for training; the held-out set is the card's."""
    rng = random.Random(8)
    items = [data.qa_item(rng, varied=True) for _ in range(400)]
    jobs = {it.answer for it in items if it.attribute == "job" and it.answer}
    assert len(jobs & set(data.EN_JOBS + data.KO_JOBS)) < 0.5 * len(jobs)
    assert not any(data.is_held_out(j) for j in jobs)
    plain, varied = random.Random(9), random.Random(9)
    assert [data.qa_item(plain, split="test").context for _ in range(30)] == [
        data.qa_item(varied, split="test").context for _ in range(30)]


def test_inside_word_penalty():
    """Zero for spans on word boundaries, large when the mass sits inside a word; no gold
    span of the training stream starts or ends inside a word."""
    from types import SimpleNamespace

    import torch

    from hfanatomy.train import qa
    from hfanatomy.train.features import collate, windows

    _, tok = hfanatomy.load_qa()
    inside = qa.continuation_table(tok)
    rng = random.Random(4)
    wins = windows(tok, [data.qa_item(rng, varied=True) for _ in range(150)])
    for w in wins:
        ids = torch.tensor(w.input_ids)
        if w.start:
            assert not inside[ids[w.start]] and not inside[ids[w.end + 1]]
    def penalty(w, s, e):
        ids, types, mask = collate([w], tok.pad_token_id)
        start, end = torch.full(ids.shape, -30.0), torch.full(ids.shape, -30.0)
        start[0, s], end[0, e] = 30.0, 30.0
        out = SimpleNamespace(start_logits=start, end_logits=end)
        return float(qa.inside_word_penalty(out, ids, types, mask, inside))

    # answers whose first word, and whose last word, take several pieces
    cut = [w for w in wins if w.start and inside[w.input_ids[w.start + 1]]
           and inside[w.input_ids[w.end]]]
    assert cut
    for w in cut:
        assert penalty(w, w.start, w.end) < 1e-6
        assert penalty(w, w.start + 1, w.end) > 10  # starts inside a word
        assert penalty(w, w.start, w.end - 1) > 10  # ends inside a word


def test_bad_split_is_a_clear_error():
    from hfanatomy.train import evaluate

    with pytest.raises(ValueError, match="split"):
        data.sentiment_data(3, 0, "dev")
    with pytest.raises(ValueError, match="split"):
        data.qa_data(3, 0, "dev")
    with pytest.raises(ValueError, match="kind"):
        evaluate.examples("summaries")


def test_training_runs_end_to_end(tmp_path, capsys):
    from hfanatomy.train.__main__ import main

    assert main(["all", "--steps", "2", "--small", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "classifier: step 2/2" in printed and "qa/finetune: step 2/2" in printed
    for name in ("classifier", "qa"):
        card = json.loads((tmp_path / name / "card.json").read_text())
        assert set(card["files"]) >= {"config.json", "model.safetensors", "tokenizer.json"}
    card = json.loads((tmp_path / "qa" / "card.json").read_text())
    assert card["training"]["batch"] == 8  # --small: 8 windows a step, not the recipe's 32
    common = card["common_names_two_people"]
    assert common["script"]["n"] == common["book"]["n"] == 6 * 5
    typed_rows = card["typed_questions"]
    assert set(typed_rows) == {"en", "ko"}
    assert all(r["n"] == 7 and 0 <= r[d]["right"] <= 7 for r in typed_rows.values()
               for d in ("script", "book"))
    card = json.loads((tmp_path / "classifier" / "card.json").read_text())
    phases = card["training"]["phases"]
    assert [ph["name"] for ph in phases] == ["templates", "reviews", "real"]
    assert [ph["steps"] for ph in phases] == [2, 4, 4]  # --small: later phases 2 x --steps
    assert phases[2]["real_share"] > 0 and card["held_out_real"]["n"] == 100
    model, tok = hfanatomy.load_classifier(tmp_path / "classifier")
    assert model.config.id2label == {0: "negative", 1: "positive"}
    qa_model, qa_tok = hfanatomy.load_qa(tmp_path / "qa")
    assert type(qa_model).__name__ == "BertForQuestionAnswering"


def test_finetune_evaluates_saves_and_resumes(tmp_path, capsys, monkeypatch):
    """With ``eval_every``, training logs the held-out score and what the held-out set
    misses (common-name pairs, typed questions), saves a checkpoint, and a run given the
    same arguments goes on from it."""
    from hfanatomy.train import qa

    monkeypatch.setattr(qa, "EVAL_ITEMS", 4)
    model, tok = hfanatomy.load_qa()
    test = data.qa_data(4, 3, "test")
    kw = dict(eval_every=1, checkpoint_dir=tmp_path, init=model, lr=1e-5, log_every=1)
    qa.finetune(tok, None, 2, 0, test, stop_after=1, **kw)
    printed = capsys.readouterr().out
    assert "qa/finetune: step 1 held-out (4) EM" in printed
    line = next(x for x in printed.splitlines() if "common-name pairs wrong" in x)
    assert line.startswith("qa/finetune: step 1 common-name pairs wrong ")
    assert "of 380; typed questions right en " in line and line.endswith("of 7 (book/script)")
    assert (tmp_path / "step1" / "model.safetensors").is_file()
    qa.finetune(tok, None, 2, 0, test, **kw)
    printed = capsys.readouterr().out
    assert "resumed from" in printed and "after step 1" in printed
    assert "step 2/2" in printed and "step 1/2" not in printed


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


def test_the_qa_recipe_is_its_phases_and_its_notes_are_on_the_card():
    """train.qa: PHASES drive training and write the recipe; the notes file beside the model
    is what the card's what_did_not_work says (the card copies it)."""
    import json

    from hfanatomy.models import QA_DIR
    from hfanatomy.train import qa

    text = qa.recipe(0)
    assert [p.name for p in qa.PHASES] == ["first", "second", "third", "fourth"]
    for p in qa.PHASES:
        assert f"{p.name.capitalize()} phase: {p.steps} steps, lr {p.lr}" in text
    assert qa.PHASES[3].options(10)["boundary_from"] == 6  # a smoke run: at 3/5 of its steps
    assert qa.PHASES[0].options(800)["boundary_from"] == 0
    notes = qa.what_did_not_work()
    assert len(notes) >= 10 and all(n and "\n" not in n for n in notes)
    card = json.loads((QA_DIR / "card.json").read_text())
    assert card["what_did_not_work"][: len(notes)] == notes


def test_the_classifier_notes_are_a_file_its_card_copies():
    import json

    from hfanatomy.models import CLASSIFIER_DIR
    from hfanatomy.train import classifier
    from hfanatomy.train.common import read_notes

    notes = read_notes(classifier.NOTES)
    assert len(notes) >= 10 and all(n and "\n" not in n for n in notes)
    card = json.loads((CLASSIFIER_DIR / "card.json").read_text())
    assert card["calibration"]["notes"] == notes
