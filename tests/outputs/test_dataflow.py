"""The part maps are read off the model: every module stage names a real submodule of the
right class, sizes follow the config, and a different model gives a different map."""

from __future__ import annotations

import re

import pytest
from transformers import (
    BertConfig,
    BertForQuestionAnswering,
    RobertaConfig,
    RobertaForSequenceClassification,
)

import hfanatomy
from hfanatomy.dataflow import PART1_CHAPTERS, PART2_CHAPTERS, classifier_flow, qa_flow
from hfanatomy.plots.dataflow import flow_map, flow_map_html


@pytest.fixture(scope="module")
def loaded():
    return hfanatomy.load_classifier(), hfanatomy.load_qa()


def _modules_are_real(model, fmap):
    mods = [s for s in fmap.stages if s.module]
    assert {s.key for s in mods} == {"embeddings", "encoder", "head"}
    for s in mods:
        sub = model.get_submodule(s.module)
        assert type(sub).__name__ in s.detail
    enc = [s for s in mods if s.key == "encoder"][0]
    assert f"{model.config.num_hidden_layers} layers" in enc.title


def test_maps_of_the_book_models(loaded):
    (clf, tok), (qa, qtok) = loaded
    p1, p2 = classifier_flow(clf, tok), qa_flow(qa, qtok)
    _modules_are_real(clf, p1)
    _modules_are_real(qa, p2)
    assert p1.keys()[:2] == ["text", "tokenizer"] and p1.keys()[-1] == "output"
    assert "SequenceClassifierOutput" in p1.stages[-1].detail
    assert "QuestionAnsweringModelOutput" in p2.stages[-1].detail
    head = [s for s in p2.stages if s.key == "head"][0]
    assert f"Linear({qa.config.hidden_size} → 2)" in head.detail
    for fmap, chapters in ((p1, PART1_CHAPTERS), (p2, PART2_CHAPTERS)):
        for chapter, keys in chapters.items():
            assert set(keys) <= set(fmap.keys())
            markup = flow_map_html(fmap, chapter)
            assert len(re.findall(r'class="hfa-box [^"]*hfa-here"', markup)) == len(keys)
            assert markup.count('class="hfa-step"') == len(fmap.stages)


def test_a_different_model_gives_a_different_map(loaded):
    (_, tok), (_, qtok) = loaded
    r = RobertaForSequenceClassification(RobertaConfig(
        vocab_size=60, hidden_size=24, num_hidden_layers=5, num_attention_heads=2,
        intermediate_size=32, num_labels=7))
    p1 = classifier_flow(r, tok)
    assert "encoder: 5 layers" in p1.stages[3].title and "(B, 7)" in p1.stages[5].detail
    b = BertForQuestionAnswering(BertConfig(vocab_size=60, hidden_size=20, num_hidden_layers=3,
                                            num_attention_heads=2, intermediate_size=32))
    p2 = qa_flow(b, qtok)
    assert "3 x BertLayer" in p2.stages[3].detail and "model.bert.encoder" in flow_map_html(
        p2, "2 The QA head")


def test_unknown_chapter_and_wrong_model(loaded):
    (clf, tok), _ = loaded
    with pytest.raises(ValueError, match="choose one of"):
        flow_map(classifier_flow(clf, tok), "9 Nowhere")
    with pytest.raises(TypeError, match="BERT-like"):
        classifier_flow(tok, tok)
