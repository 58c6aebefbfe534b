"""The live QA logits explorer (kind "qa_logits"): every window's scores, the answer.

Python: ``QALogitsExplorer.compute(state)`` equals the model's start/end logits on each
window the v4 pipeline cuts (a long context is split into windows, never cut at 384),
softmax per window, and the answer equals :func:`hfanatomy.qa.answer`'s; character
positions count code points (the page converts its UTF-16 offsets). The browser half (``web/compute/qa_logits.js`` through
``web/views/qa_logits.js``) is below, on the lead's harness page.
"""

from __future__ import annotations

import json

import pytest
import torch
from tiny import one_thread  # noqa: F401 (autouse fixture)

import hfanatomy
from hfanatomy.explorers.qa_logits import QALogitsExplorer
from hfanatomy.qa import answer, encode_windows
from hfanatomy.qa_inputs import encode_pair

EXAMPLES = [
    ("Who employs Mina?", "Mina lives in Busan. Mina works at Harbor Labs. Joon works at Blue Bank."),
    ("은비는 무엇을 가지고 있어요?",
     "도윤은 목포 근처에 살고 있어요. 은비는 검은 카메라 한 대를 가지고 있어요. 은비는 1977년에 태어났어요."),
]
LONG = ("Where does Joon work?",
        "Mina lives in Busan 😀. Mina works at Harbor Labs. Joon works at Blue Bank. " * 30)


@pytest.fixture(scope="module")
def explorer():
    model, tokenizer = hfanatomy.load_qa()
    return QALogitsExplorer(model, tokenizer, EXAMPLES)


def state(explorer, question, context, **kw):
    return {**explorer.initial_state(), "example": None, "question": question, "context": context,
            **kw}


@pytest.mark.parametrize("k", [0, 1])
def test_one_window_equals_the_model(explorer, k):
    q, c = EXAMPLES[k]
    d = explorer.compute(state(explorer, q, c))
    assert len(d["windows"]) == 1 and d["warnings"] == []
    x = encode_pair(explorer.tokenizer, q, c)
    with torch.no_grad():
        out = explorer.model(**x.tensors())
    w = d["windows"][0]
    assert w["start_logits"] == pytest.approx(out.start_logits[0].tolist(), rel=1e-5, abs=1e-6)
    assert w["end_probs"] == pytest.approx(out.end_logits[0].softmax(-1).tolist(), rel=1e-5)
    assert w["roles"] == x.roles and len(w["tokens"]) == len(x)
    assert w["best_start"] == int(out.start_logits[0].argmax())
    best = answer(q, c, explorer.model, explorer.tokenizer)[0]
    assert d["answer"]["text"] == best.text and d["answer"]["score"] == pytest.approx(best.score)
    assert d["question_tokens"] == len(x.positions("question"))


def test_long_context_is_read_window_by_window_not_cut(explorer):
    q, c = LONG
    d = explorer.compute(state(explorer, q, c))
    wins = encode_windows(q, c, explorer.tokenizer, 384, 128)
    assert len(d["windows"]) == wins.num_windows >= 2
    assert d["context_tokens"] > 384 and "windows" in d["warnings"][0]
    for w, win in enumerate(d["windows"]):
        keep = wins.tokens_of(w)
        inputs = {k: v[w:w + 1, keep] for k, v in wins.model_inputs().items()}
        with torch.no_grad():
            out = explorer.model(**inputs)
        assert win["start_logits"] == pytest.approx(out.start_logits[0].tolist(), rel=1e-5, abs=1e-6)
        assert len(win["tokens"]) <= 384
    # the windows cover the whole context (code points, as Python counts)
    chars = [w["context_chars"] for w in d["windows"]]
    assert chars[0][0] == 0 and chars[-1][1] == len(c.rstrip())
    assert all(b[0] < a[1] for a, b in zip(chars, chars[1:]))  # they overlap
    best = answer(q, c, explorer.model, explorer.tokenizer)[0]
    a = d["answer"]
    assert (a["text"], a["window"]) == (best.text, best.window)
    assert (a["start"], a["end"]) == (best.start, best.end) and c[a["start"]:a["end"]] == a["text"]


def test_mode_and_window_only_redraw(explorer):
    q, c = LONG
    first = explorer.compute(state(explorer, q, c))
    again = explorer.compute(state(explorer, q, c, mode="logits", window=2))
    assert again is first  # the model did not run again


@pytest.mark.parametrize("question,context,match", [
    ("", "Mina lives in Busan.", "question is empty"),
    ("Who?", "   ", "context is empty"),
    ("Who? " * 200, "Mina lives in Busan.", "question is too long"),
    (None, "Mina lives in Busan.", "question must be a string"),
])
def test_bad_input_is_a_clear_error(explorer, question, context, match):
    with pytest.raises(ValueError, match=match):
        explorer.compute(state(explorer, question, context))


def test_config_keeps_the_example_picker(explorer):
    config, st = explorer.config(), explorer.initial_state()
    json.dumps(config, allow_nan=False)
    assert [tuple(v.values()) for v in config["examples"].values()] == EXAMPLES
    assert st["example"] in config["examples"] and (st["question"], st["context"]) == EXAMPLES[0]
    assert (st["max_seq_len"], st["doc_stride"], st["window"]) == (384, 128, 0)
