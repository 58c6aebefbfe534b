"""hfanatomy.qa against golden answers of the real transformers 4 pipeline.

``tests/fixtures/qa_golden.json`` holds what v4's ``QuestionAnsweringPipeline`` (4.57, in a
side venv, ``make golden``) returned on generated cases over three float32 checkpoints:
the embedded QA model, a tiny random BERT (``tests/fixtures/qa_golden_tiny_bert``) and
MiniLM with a seeded head (``tests/helpers/minilm.py``). Every case must come back the same from
:func:`hfanatomy.qa_pipeline.question_answerer` (the same structure: a bare dict for one
answer; every rank, text, start and end equal; scores within a relative 1e-4) and from
:func:`hfanatomy.qa.answer`. The checkpoints must be the ones the fixture was made from
(sha256): after retraining the embedded model, run ``make golden``.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer

from hfanatomy import qa
from hfanatomy.models import QA_DIR, quiet
from hfanatomy.qa_pipeline import question_answerer
from minilm import minilm_qa_dir

pytestmark = pytest.mark.usefixtures("one_thread")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOLDEN = json.loads((FIXTURES / "qa_golden.json").read_text())
CASES = GOLDEN["cases"]
TEXTS = GOLDEN["texts"]
RTOL = 1e-4


def checkpoint_dir(name: str) -> Path:
    return {"embedded": QA_DIR, "tiny-bert": FIXTURES / "qa_golden_tiny_bert"}.get(name) or minilm_qa_dir()


@cache
def loaded(name: str, side: str):
    path = checkpoint_dir(name)
    with quiet():
        model = AutoModelForQuestionAnswering.from_pretrained(path, dtype=torch.float32).eval()
        tok = AutoTokenizer.from_pretrained(path)
    tok.padding_side = side
    return model, tok


def inputs_of(case: dict) -> dict:
    return {k: [TEXTS[i] for i in v] if isinstance(v, list) else TEXTS[v]
            for k, v in case["inputs"].items()}


def assert_same(got, want, where: str = "") -> None:
    """The same nesting, texts and offsets; scores within RTOL (relative)."""
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{where}: expected one answer (a dict), got {got!r}"
        assert (got["answer"], got["start"], got["end"]) == (want["answer"], want["start"],
                                                             want["end"]), where
        assert got["score"] == pytest.approx(want["score"], rel=RTOL, abs=0), where
        return
    assert isinstance(got, list) and len(got) == len(want), f"{where}: {got!r} vs {want!r}"
    for k, (g, w) in enumerate(zip(got, want)):
        assert_same(g, w, f"{where}[{k}]")


@pytest.mark.parametrize("name", sorted(GOLDEN["checkpoints"]))
def test_checkpoints_are_the_ones_the_fixture_was_made_from(name):
    path = checkpoint_dir(name)
    made = GOLDEN["checkpoints"][name]
    for file, key in (("model.safetensors", "sha256"), ("tokenizer.json", "tokenizer_sha256")):
        digest = hashlib.sha256((path / file).read_bytes()).hexdigest()
        assert digest == made[key], (
            f"{path / file} is not the file the golden answers were made from: run make golden "
            f"(tools/golden.py) to ask transformers 4 again.")


def test_the_fixture_covers_what_it_should():
    assert len(CASES) >= 150 and GOLDEN["versions"]["transformers"].startswith("4.")
    kinds = {c["kind"] for c in CASES}
    assert {"long", "korean", "korean-long", "cases"} <= kinds
    assert {c["padding_side"] for c in CASES} == {"left", "right"}
    assert {c["checkpoint"] for c in CASES} == {"embedded", "tiny-bert", "minilm"}
    options = {k for c in CASES for k in c["kwargs"]}
    assert options == {"top_k", "handle_impossible_answer", "max_answer_len", "max_seq_len",
                       "doc_stride", "align_to_words"}
    assert any(isinstance(c["inputs"]["question"], list) for c in CASES)  # batches
    flat = [a for c in CASES for r in ([c["expected"]] if isinstance(c["expected"], dict)
                                       else c["expected"])
            for a in ([r] if isinstance(r, dict) else r)]
    assert any(a["score"] > 1 for a in flat)  # merged over windows
    assert any(a["answer"] == "" for a in flat)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_pipeline_call_equals_v4(case):
    model, tok = loaded(case["checkpoint"], case["padding_side"])
    got = question_answerer(model, tok)(**inputs_of(case), **case["kwargs"])
    assert_same(got, case["expected"], case["id"])


@pytest.mark.parametrize("case", [c for c in CASES if isinstance(c["inputs"]["question"], int)][::4],
                         ids=lambda c: c["id"])
def test_answer_equals_v4(case):
    """qa.answer (the book's function) gives the same answers, as Answer objects."""
    model, tok = loaded(case["checkpoint"], case["padding_side"])
    inputs = inputs_of(case)
    got = qa.answer(inputs["question"], inputs["context"], model, tok, **case["kwargs"])
    want = case["expected"] if isinstance(case["expected"], list) else [case["expected"]]
    assert_same([{"answer": a.text, "start": a.start, "end": a.end, "score": a.score}
                 for a in got], want, case["id"])
