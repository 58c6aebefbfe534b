"""The loaders: embedded models offline, other checkpoints, errors, silence, dtype, eager attention."""

from __future__ import annotations

import json
import time

import pytest
import torch
from transformers import (
    BertForQuestionAnswering,
    BertTokenizerFast,
    RobertaConfig,
    RobertaForSequenceClassification,
    RobertaTokenizerFast,
)

import hfanatomy
from hfanatomy import models
from hfanatomy.train import data


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("HFANATOMY_CLASSIFIER", raising=False)
    monkeypatch.delenv("HFANATOMY_QA", raising=False)


@pytest.fixture(scope="module")
def classifier():
    return hfanatomy.load_classifier()


@pytest.fixture(scope="module")
def qa():
    return hfanatomy.load_qa()


def test_embedded_classifier_loads_fast_silently(capfd):
    hfanatomy.load_classifier()  # warm the lazy imports
    capfd.readouterr()
    start = time.perf_counter()
    model, tok = hfanatomy.load_classifier()
    assert time.perf_counter() - start < 1.0
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert isinstance(model, RobertaForSequenceClassification)
    assert isinstance(tok, RobertaTokenizerFast)
    assert not model.training
    assert model.device.type == "cpu"
    assert model.config._attn_implementation == "eager"
    assert all(p.dtype == torch.float32 for p in model.parameters())


def test_embedded_qa_loads_fast_silently(capfd):
    hfanatomy.load_qa()
    capfd.readouterr()
    start = time.perf_counter()
    model, tok = hfanatomy.load_qa()
    assert time.perf_counter() - start < 1.0
    assert capfd.readouterr() == ("", "")
    assert isinstance(model, BertForQuestionAnswering)
    assert isinstance(tok, BertTokenizerFast)
    assert all(p.dtype == torch.float32 for p in model.parameters())


def test_shipped_weights_are_fp16_but_load_as_float32():
    from safetensors import safe_open

    for folder in (models.CLASSIFIER_DIR, models.QA_DIR):
        with safe_open(folder / "model.safetensors", "pt") as f:
            dtypes = {f.get_tensor(k).dtype for k in f.keys()}
        assert dtypes == {torch.float16}
        assert (folder / "model.safetensors").stat().st_size < 10 * 2**20


def test_card_sha256_matches_files():
    from hfanatomy.train.common import sha256

    for folder in (models.CLASSIFIER_DIR, models.QA_DIR):
        card = json.loads((folder / "card.json").read_text())
        for name, meta in card["files"].items():
            assert sha256(folder / name) == meta["sha256"], name


def test_special_tokens(classifier, qa):
    _, bpe = classifier
    ids = {t: bpe.convert_tokens_to_ids(t) for t in ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]}
    assert ids == {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4}
    _, wp = qa
    ids = [wp.convert_tokens_to_ids(t) for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]]
    assert ids == [0, 1, 2, 3, 4]
    enc = wp("Where does Hannah live?", "Hannah lives in Lisbon.", return_offsets_mapping=True)
    assert enc["offset_mapping"][0] == (0, 0)
    # Hangul is kept whole (no jamo decomposition from accent stripping)
    assert "서울" in wp.decode(wp("민준은 서울 시내에 살아요.")["input_ids"])


def test_tokenizers_split_ordinary_english_sensibly(classifier, qa):
    _, bpe = classifier
    _, wp = qa
    sentence = "The restaurant was surprisingly good, but the service was terrible."
    assert len(bpe.tokenize(sentence)) <= 14
    assert len(wp.tokenize(sentence)) <= 14


def test_attentions_come_back_eager(classifier):
    model, tok = classifier
    enc = tok(["The food was not good."], return_tensors="pt")
    out = model(**enc, output_attentions=True)
    assert len(out.attentions) == model.config.num_hidden_layers
    length = enc["input_ids"].shape[1]
    assert out.attentions[0].shape == (1, model.config.num_attention_heads, length, length)


def test_classifier_held_out_sample(classifier):
    from hfanatomy.train.classifier import evaluate

    model, tok = classifier
    items = data.sentiment_data(400, 99, "test")
    report = evaluate(model, tok, items)
    assert report["accuracy"] >= 0.97, report["errors"][:5]
    for group in ("negation", "contrast", "korean"):
        assert report["groups"][group]["accuracy"] >= 0.93, (group, report["groups"])


QA_SAMPLE = 120  # held-out items re-measured here (the card has 400 of the same generator)
# The targets (>= 95 % overall, >= 90 % in each group) are NOT met (card: book
# decoder 94.25 %, long contexts 89.9 %; the training script's rule 89.5 %). On this sample
# the shipped model measured 96.7 % with the book's decoder (lowest group Korean, 91.3 %)
# and 90.0 % with the script rule (lowest Korean, 78.3 %: it cuts 오슬로 to 오슬, ##로 also
# reading as a particle): these floors guard what it does, a little below.
QA_FLOOR = {"script": {"overall": 0.87, "group": 0.75},
            "book": {"overall": 0.93, "group": 0.88}}


@pytest.fixture(scope="module")
def qa_sample():
    return data.qa_data(QA_SAMPLE, 99, "test", long_share=0.25)  # names and values never seen


@pytest.fixture(scope="module")
def qa_report(qa, qa_sample):
    from hfanatomy.train.evaluate import evaluate

    model, tok = qa
    return evaluate(model, tok, qa_sample)  # the training script's rule, as the card


def test_qa_held_out_sample_matches_the_card(qa_report):
    """Re-measured exact match agrees with what card.json reports (a regression guard)."""
    card = json.loads((models.QA_DIR / "card.json").read_text())
    assert qa_report["groups"]["long"]["n"] >= 20  # contexts longer than one 384-token window
    # 120 items: a standard error of about 3 points (measured 90.0 % against the card's 89.5)
    assert abs(qa_report["exact_match"] - card["held_out"]["exact_match"]) < 0.1, qa_report


def test_qa_reaches_target(qa, qa_sample, qa_report):
    """Names and values never seen, both decoders, at their measured floors; a floor at the
    issue's target (>= 95 % exact match, >= 90 % in each group) must go with a card that
    says the target is met, and the reverse."""
    from hfanatomy.train.evaluate import evaluate

    card = json.loads((models.QA_DIR / "card.json").read_text())
    book = evaluate(*qa, qa_sample, decoder="book")
    for decoder, report in (("script", qa_report), ("book", book)):
        floor = QA_FLOOR[decoder]
        assert report["exact_match"] >= floor["overall"], (decoder, report["errors"][:5])
        for group in ("en", "ko", "multi-token", "long", "unanswerable"):
            # groups of this sample hold 20-110 questions: one miss is 1-5 points
            assert report["groups"][group]["exact_match"] >= floor["group"], (
                decoder, group, report["groups"])
        at_target = floor["overall"] >= 0.95 and floor["group"] >= 0.90
        assert card["target"]["met"][decoder] == at_target, (decoder, card["target"])


def test_qa_common_names_two_people(qa):
    """The names a learner types first (Hannah, Oliver: the generator's list of common
    names, seen in training) in the plainest context: two people, two facts each. Every
    ordered pair of 20 names, the training script's rule (11 of 380 wrong; the model before
    phase 4: 8). The held-out set does not see this: a recipe that taught layer
    0 head 3 to look at the next token met the targets there but answered about half of
    such pairs with nothing (card: what did not work)."""
    from hfanatomy.train.evaluate import common_names

    report = common_names(*qa, n_names=20)
    assert report["n"] == 380 and report["wrong"] <= 0.05 * report["n"], report


def test_describe_embedded(classifier, qa):
    d = models.describe(*classifier)
    assert d["is_embedded"] and d["checkpoint"] == "embedded:classifier"
    assert d["tokenizer_kind"] == "byte-level BPE"
    assert d["labels"] == {0: "negative", 1: "positive"}
    assert d["max_position_embeddings"] == 514
    d = models.describe(*qa)
    assert d["is_embedded"] and d["tokenizer_kind"] == "WordPiece"
    assert d["labels"] is None


def test_unknown_hub_id_offline_fails_fast_naming_it():
    start = time.perf_counter()
    with pytest.raises(models.HubUnreachableError) as err:
        hfanatomy.load_classifier("nobody-here/no-such-model")
    assert time.perf_counter() - start < 1.0
    message = str(err.value)
    assert "nobody-here/no-such-model" in message
    assert "unreachable" in message and "load_classifier()" in message


def test_unknown_hub_id_from_env_var(monkeypatch):
    monkeypatch.setenv("HFANATOMY_QA", "someone/qa-model")
    with pytest.raises(models.HubUnreachableError, match="HFANATOMY_QA"):
        hfanatomy.load_qa()


def test_unreachable_hub_without_offline_flag_fails_fast(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(models, "_probe_hub", lambda *a: "unreachable: test")
    with pytest.raises(models.HubUnreachableError, match="unreachable"):
        hfanatomy.load_qa("deepset/roberta-base-squad2")


@pytest.mark.parametrize("path", ["/no/such/dir", "./missing-model", "a/b/c"])
def test_missing_local_path_is_a_clear_error(path):
    with pytest.raises(FileNotFoundError, match="No local checkpoint directory"):
        hfanatomy.load_classifier(path)


def test_directory_without_config(tmp_path):
    with pytest.raises(FileNotFoundError, match="config.json"):
        hfanatomy.load_qa(tmp_path)


def test_forced_options_cannot_be_overridden():
    with pytest.raises(TypeError, match="trust_remote_code"):
        hfanatomy.load_classifier(trust_remote_code=True)


@pytest.fixture(scope="module")
def klue_like(tmp_path_factory):
    """A RoBERTa classifier with a WordPiece tokenizer and 30 labels, saved fp16, like klue's."""
    folder = tmp_path_factory.mktemp("klue_like")
    wp = BertTokenizerFast.from_pretrained(models.QA_DIR)
    labels = {i: f"relation_{i}" for i in range(30)}
    cfg = RobertaConfig(vocab_size=len(wp), hidden_size=32, num_hidden_layers=3,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=66,
                        pad_token_id=0, id2label=labels, label2id={v: k for k, v in labels.items()})
    torch.manual_seed(0)
    model = RobertaForSequenceClassification(cfg).half()
    with models.quiet():
        model.save_pretrained(folder)
        wp.save_pretrained(folder)
    return folder, model


def test_other_checkpoint_through_argument_and_env_var(klue_like, monkeypatch):
    folder, saved = klue_like
    model, tok = hfanatomy.load_classifier(folder)
    d = models.describe(model, tok)
    assert not d["is_embedded"]
    assert d["tokenizer_kind"] == "WordPiece"
    assert (d["num_layers"], d["hidden_size"], d["num_heads"]) == (3, 32, 2)
    assert len(d["labels"]) == 30 and d["labels"][7] == "relation_7"
    assert d["dtype"] == "float32"  # stored fp16
    weight = model.classifier.out_proj.weight
    assert torch.equal(weight, saved.classifier.out_proj.weight.float())
    monkeypatch.setenv("HFANATOMY_CLASSIFIER", str(folder))
    model2, _ = hfanatomy.load_classifier()
    assert models.describe(model2, tok)["num_layers"] == 3
    out = model2(**tok(["안녕 hello"], return_tensors="pt"), output_attentions=True)
    assert len(out.attentions) == 3 and out.logits.shape == (1, 30)


def test_examples_are_held_out_and_right(classifier, qa):
    from hfanatomy.train.evaluate import examples

    items = examples("sentiment", n=6, model=classifier)
    assert len(items) == 6 and {it.group for it in items} >= {"negation", "contrast", "korean"}
    assert all(data.is_held_out(it.text) for it in items)
    qa_items = examples("qa", n=2, model=qa, long=True)
    assert all(it.answer for it in qa_items)


def test_card_is_the_shipped_file_and_none_for_other_models(tmp_path):
    from hfanatomy.models import QA_DIR, card

    model, _ = hfanatomy.load_qa()
    assert card(model) == json.loads((QA_DIR / "card.json").read_text())
    assert "exact_match" in card(model)["held_out"]
    other = tmp_path / "other"
    model.save_pretrained(other)
    reloaded, _ = hfanatomy.load_qa(str(other), tokenizer=str(QA_DIR))
    assert card(reloaded) is None
