"""hfanatomy.qa_course (the course / run_qa decoder) against a from-scratch implementation.

The reference below is written from the description of ``postprocess_qa_predictions``
(the Hugging Face course, chapter 7, and ``run_qa``'s ``utils_qa.py``) in their own
terms: per window (a "feature") lists of logits and offsets with ``None`` outside the
context, ``np.argsort(logits)[-1:-n_best_size - 1:-1]``, nested loops, dicts. The package
works on tensors. Both must agree on random logits over real windows (many sizes and
settings, with and without null answers) and on a model's logits.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import tiny
import torch
from qa_corpus import CORPUS, build_tokenizer, long_context
from transformers import BertConfig, BertForQuestionAnswering

from hfanatomy import qa
from hfanatomy.qa_course import course_answer, course_decode

pytestmark = pytest.mark.usefixtures("one_thread")


def reference(features, context, n_best_size=20, max_answer_length=30,
              version_2_with_negative=False, null_score_diff_threshold=0.0):
    """``features``: per window (start_logits, end_logits, offsets-or-None), unpadded."""
    min_null = None
    prelim = []
    for start_logits, end_logits, offsets in features:
        null_score = start_logits[0] + end_logits[0]
        if min_null is None or min_null["score"] > null_score:
            min_null = {"offsets": (0, 0), "score": null_score,
                        "start_logit": start_logits[0], "end_logit": end_logits[0]}
        start_indexes = np.argsort(start_logits)[-1:-n_best_size - 1:-1].tolist()
        end_indexes = np.argsort(end_logits)[-1:-n_best_size - 1:-1].tolist()
        for s in start_indexes:
            for e in end_indexes:
                if offsets[s] is None or offsets[e] is None:
                    continue
                if e < s or e - s + 1 > max_answer_length:
                    continue
                prelim.append({"offsets": (offsets[s][0], offsets[e][1]),
                               "score": start_logits[s] + end_logits[e],
                               "start_logit": start_logits[s], "end_logit": end_logits[e]})
    if version_2_with_negative:
        prelim.append(min_null)
        null_score = min_null["score"]
    preds = sorted(prelim, key=lambda x: x["score"], reverse=True)[:n_best_size]
    if version_2_with_negative and not any(p["offsets"] == (0, 0) for p in preds):
        preds.append(min_null)
    for p in preds:
        p["text"] = context[p["offsets"][0]:p["offsets"][1]]
    if not preds or (len(preds) == 1 and preds[0]["text"] == ""):
        preds.insert(0, {"text": "empty", "start_logit": 0.0, "end_logit": 0.0, "score": 0.0,
                         "offsets": (0, 0)})
    scores = np.array([p["score"] for p in preds], dtype=np.float64)
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    for p, prob in zip(preds, probs):
        p["probability"] = prob
    if not version_2_with_negative:
        return preds[0]["text"], preds, None
    i = 0
    while preds[i]["text"] == "":
        i += 1
    diff = null_score - preds[i]["start_logit"] - preds[i]["end_logit"]
    return ("" if diff > null_score_diff_threshold else preds[i]["text"]), preds, diff


def features_of(windows: qa.Windows, start: torch.Tensor, end: torch.Tensor, sample: int = 0):
    out = []
    for w in windows.windows_of(sample):
        keep = windows.tokens_of(w)
        ctx = windows.context_mask[w, keep].tolist()
        offs = windows.offsets[w, keep].tolist()
        out.append((start[w, keep].numpy(), end[w, keep].numpy(),
                    [tuple(o) if c else None for o, c in zip(offs, ctx)]))
    return out


def assert_same(pred, ref):
    text, preds, diff = ref
    assert pred.text == text
    assert [(c.text, c.start, c.end) for c in pred.n_best] == [
        (p["text"], *p["offsets"]) if p["text"] != "empty" else ("empty", 0, 0) for p in preds]
    np.testing.assert_allclose([c.score for c in pred.n_best], [p["score"] for p in preds],
                               rtol=1e-6)
    np.testing.assert_allclose([c.probability for c in pred.n_best],
                               [p["probability"] for p in preds], rtol=1e-5)
    if diff is None:
        assert pred.score_diff is None
    else:
        assert pred.score_diff == pytest.approx(float(diff), rel=1e-5)


@pytest.fixture(scope="module")
def tok():
    return build_tokenizer()


@pytest.mark.parametrize("seed", range(8))
def test_course_decode_equals_reference_on_random_logits(tok, seed):
    rng = random.Random(seed)
    g = torch.Generator().manual_seed(seed)
    checked = 0
    for _ in range(12):
        question = rng.choice(["Who lives in London?", "위키는 어떤 언어를 이용하는가?",
                               "When was Grace born?"])
        context = long_context(rng.randrange(100), rng.choice([1, 3, 8]))
        seq = rng.choice([32, 48, 64, 128])
        windows = qa.encode_windows(question, context, tok, seq, rng.choice([4, 8]))
        shape = windows.input_ids.shape
        scale = rng.choice([1.0, 4.0])
        start = torch.randn(shape, generator=g) * scale
        end = torch.randn(shape, generator=g) * scale
        if rng.random() < 0.3:  # a confident null token in some windows
            start[:, 0] += 6
            end[:, 0] += 6
        opts = dict(n_best_size=rng.choice([1, 3, 20]), max_answer_length=rng.choice([1, 5, 30]),
                    version_2_with_negative=rng.random() < 0.5,
                    null_score_diff_threshold=rng.choice([0.0, 2.0, -1.0]))
        got = course_decode(windows, start, end, **opts)[0]
        assert_same(got, reference(features_of(windows, start, end), context, **opts))
        checked += 1
    assert checked == 12


def test_course_answer_equals_reference_with_a_model(tok):
    model = tiny.sharp_qa_model(BertForQuestionAnswering, BertConfig, seed=2, sharpen=4.0,
                                vocab_size=len(tok), max_position_embeddings=128)
    for question, context in [("Who lives in London?", long_context(3, 6)),
                              ("김민수는 어디에 사는가?", CORPUS[4])]:
        for v2 in (False, True):
            got = course_answer(question, context, model, tok, max_seq_len=48, doc_stride=12,
                                version_2_with_negative=v2)
            windows = qa.encode_windows(question, context, tok, 48, 12)
            start, end = qa.run_model(model, windows)
            assert_same(got, reference(features_of(windows, start, end), context,
                                       version_2_with_negative=v2))
            assert all(context[c.start:c.end] == c.text for c in got.n_best)


def test_no_candidate_gives_the_text_empty(tok):
    """utils_qa's edge case: nothing valid (here max_answer_length excludes all pairs
    of the 1-best start and end) -> the fake prediction "empty"."""
    windows = qa.encode_windows("Who lives in London?", CORPUS[0], tok)
    start, end = torch.zeros(windows.input_ids.shape), torch.zeros(windows.input_ids.shape)
    ctx = windows.context_mask[0].nonzero().flatten()
    start[0, ctx[-1]] = end[0, ctx[0]] = 5.0  # best start after best end
    got = course_decode(windows, start, end, n_best_size=1)[0]
    assert got.text == "empty" and got.n_best[0].probability == 1.0


def test_errors(tok):
    windows = qa.encode_windows("Who lives in London?", CORPUS[0], tok)
    z = torch.zeros(windows.input_ids.shape)
    with pytest.raises(ValueError, match="n_best_size must be >= 1"):
        course_decode(windows, z, z, n_best_size=0)
    with pytest.raises(TypeError, match="max_answer_length must be an integer"):
        course_decode(windows, z, z, max_answer_length=2.5)
