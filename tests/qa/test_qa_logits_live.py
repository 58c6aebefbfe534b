"""The live QA logits explorer (kind "qa_logits"): every window's scores, the answer.

Python: ``QALogitsExplorer.compute(state)`` equals the model's start/end logits on each
window the v4 pipeline cuts (a long context is split into windows, never cut at 384),
softmax per window, and the answer equals :func:`hfanatomy.qa.answer`'s; character
positions count code points (the page converts its UTF-16 offsets). In Chromium
(``web/compute/qa_logits.js`` through ``web/views/qa_logits.js``, file:// and http): typed
questions and contexts (English, Korean with an emoji, a two-window context read with
progress) equal Python; the window and mode pickers redraw without a new run; an empty
question is an error line; the example picker brings an example back.
"""

from __future__ import annotations

import json

import pytest
import torch
from live import served

import hfanatomy
from hfanatomy.explorers.qa_logits import QALogitsExplorer
from hfanatomy.qa import answer, encode_windows, null_score, run_model
from hfanatomy.qa_inputs import encode_pair

pytestmark = pytest.mark.usefixtures("one_thread")

EXAMPLES = [
    ("Who employs Mina?", "Mina lives in Busan. Mina works at Harbor Labs. Joon works at Blue Bank."),
    ("은비는 무엇을 가지고 있어요?",
     "도윤은 목포 근처에 살고 있어요. 은비는 검은 카메라 한 대를 가지고 있어요. 은비는 1977년에 태어났어요."),
]
#: with windows of 48 tokens (stride 24) the answer, Blue Bank, is read from window 3 of 5
SMALL_WINDOWS = ("Where does Joon work?",
                 "Mina lives in Busan. Noah was born in 1987. " * 6 + "Joon works at Blue Bank. "
                 "Hannah works at Iron Press. Oliver lives in Oslo. Chloe lives in Lima. "
                 "Emma works at Swift Motors.")
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


@pytest.mark.parametrize("question", ["Where does Hannah work?", "Where does Joon work?"])
def test_null_score_is_what_the_null_answer_scores(explorer, question):
    """``answer.null_score`` equals the null answer the decoder appends with
    handle_impossible_answer=True; the answer stays the pipeline default's best span."""
    c = EXAMPLES[0][1]
    d = explorer.compute(state(explorer, question, c))
    both = answer(question, c, explorer.model, explorer.tokenizer, top_k=5,
                  handle_impossible_answer=True)
    null = [a for a in both if a.text == ""]
    assert len(null) == 1 and d["answer"]["null_score"] == pytest.approx(null[0].score, rel=1e-6)
    assert d["answer"]["text"] == [a for a in both if a.text][0].text
    # Hannah is absent: the null answer wins; Joon works at Blue Bank: the span wins
    absent = question.startswith("Where does Hannah")
    assert (d["answer"]["null_score"] > d["answer"]["score"]) == absent
    wins = encode_windows(question, c, explorer.tokenizer, 384, 128)
    assert null_score(wins, *run_model(explorer.model, wins)) == pytest.approx(null[0].score, rel=1e-6)


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
    assert [(v["question"], v["context"]) for v in config["examples"].values()] == EXAMPLES
    assert st["example"] in config["examples"] and (st["question"], st["context"]) == EXAMPLES[0]
    assert (st["max_seq_len"], st["doc_stride"], st["window"]) == (384, 128, None)


# ---------------------------------------------------------------------------
# in the page: web/compute/qa_logits.js through web/views/qa_logits.js, in Chromium
# ---------------------------------------------------------------------------
def test_run_reports_bad_input_as_status(explorer):
    data, status = explorer.run(state(explorer, "Who?", ""))
    assert data is None and status.startswith("error: context is empty")


def test_kernel_view_recomputes_on_state(explorer):
    w = explorer.widget
    assert w.config["needs"] == "qa" and w.data["answer"]["text"] == "Harbor Labs"
    w.state = {**w.state, "question": "Where does Joon work?"}
    assert w.data["answer"]["text"] == "Blue Bank" and w.data == explorer.compute(w.state)


def _py(explorer, question, context):
    return explorer.compute(state(explorer, question, context))


def _drive(browser, url, base, explorer):
    from live import (
        LOGITS,
        assert_same,
        checked_page,
        choose,
        computed,
        root,
        type_into,
        wait_computed,
    )

    with checked_page(browser, url, base) as page:
        r = root(page, "qa_logits")
        host = r.locator(".hfa-live-host")
        assert page.locator("[data-hfa-fallback]").count() == 0  # one drawing: the view's
        # type a question, then a context: both boxes keep their text (the pair survives)
        js = type_into(r, "question", "Where does Joon work?")
        assert_same(js, _py(explorer, "Where does Joon work?", EXAMPLES[0][1]), rtol=1e-3, atol=1e-9, keys=LOGITS)
        assert js["answer"]["text"] == "Blue Bank"
        assert host.locator(".hfa-null-wins").count() == 0
        # a question about someone absent: the null answer wins, and the line says so
        js = type_into(r, "question", "Where does Hannah work?")
        assert_same(js, _py(explorer, "Where does Hannah work?", EXAMPLES[0][1]), rtol=1e-3, atol=1e-9, keys=LOGITS)
        assert js["answer"]["null_score"] > js["answer"]["score"]
        assert "handle_impossible_answer=True it answers nothing" in host.locator(".hfa-null-wins").inner_text()
        korean_q, korean_c = EXAMPLES[1]
        type_into(r, "question", korean_q)
        js = type_into(r, "context", korean_c + " 도윤은 빨간 우산을 가지고 있어요 😀.")
        assert_same(js, _py(explorer, korean_q, korean_c + " 도윤은 빨간 우산을 가지고 있어요 😀."), rtol=1e-3, atol=1e-9, keys=LOGITS)
        assert host.locator("[data-hfa-input=question]").input_value() == korean_q
        assert host.locator(".hfa-answer").inner_text().count(js["answer"]["text"]) == 1
        # a long context: window by window, with progress, not cut at 384
        q, c = LONG
        type_into(r, "question", q)
        before = computed(r)
        host.locator("[data-hfa-input=context]").fill(c)
        page.wait_for_function("el => el.querySelector('.hfa-status').textContent"
                               ".includes('running the model on window 1 of')",
                               arg=r.element_handle(), timeout=10_000)
        js = wait_computed(r, before)
        py = _py(explorer, q, c)
        assert len(js["windows"]) == len(py["windows"]) >= 2
        assert_same(js, py, rtol=1e-3, atol=1e-9, keys=LOGITS)
        assert "overlapping windows" in host.locator(".hfa-status").inner_text()
        # the window picker shows another window without running the model again
        chips_before = host.locator(".hfa-chip").count()
        before = computed(r)
        host.locator("select[data-hfa-control=window]").select_option(index=1)
        assert wait_computed(r, before) == js
        assert host.locator(".hfa-chip").count() == len(js["windows"][1]["tokens"]) != chips_before
        # raw logits: the strips carry the logits
        js2 = choose(r, "mode", "raw logits")
        first = float(host.locator('.hfa-chip .b[data-kind="start"]').first.get_attribute("data-value"))
        assert first == pytest.approx(js2["windows"][1]["start_logits"][0], rel=1e-6)
        # an empty question is an error line, and the example picker brings an example back
        before = computed(r)
        host.locator("[data-hfa-input=question]").fill("")
        page.wait_for_function("([el, n]) => Number(el.dataset.hfaComputed) > n && !el.dataset.hfaBusy",
                               arg=[r.element_handle(), before])
        assert "question is empty" in host.locator(".hfa-status").inner_text()
        label = list(explorer.config()["examples"])[0]
        js = choose(r, "example", label)
        assert_same(js, _py(explorer, *EXAMPLES[0]), rtol=1e-3, atol=1e-9, keys=LOGITS)
        assert host.locator("[data-hfa-input=context]").input_value() == EXAMPLES[0][1]
        assert host.locator(".hfa-answer-token").count() == 2  # "harbor", "labs" outlined
        type_into(r, "question", "<img src=x onerror=alert(1)>?")
        assert host.locator("img").count() == 0


def test_the_view_opens_on_the_answers_window(explorer, browser, tmp_path):
    """window null (the first state, or after typing): the view shows the window the answer
    is read from; the picker still shows any other."""
    from live import LOGITS, assert_same, checked_page, choose, live_page, root

    small = QALogitsExplorer(explorer.model, explorer.tokenizer, [SMALL_WINDOWS, EXAMPLES[0]],
                             max_length=48)
    py = small.compute(small.initial_state())
    assert len(py["windows"]) >= 4 and py["answer"]["window"] == 3
    with checked_page(browser, live_page(tmp_path, small).as_uri()) as page:
        host = root(page, "qa_logits").locator(".hfa-live-host")
        picker = host.locator("select[data-hfa-control=window]")
        assert picker.input_value() == "3" and "(the answer)" in picker.inner_text()
        outlined = host.locator(".hfa-answer-token")
        assert [outlined.nth(i).get_attribute("data-pos") for i in range(2)] == [
            str(py["answer"]["start_token"]), str(py["answer"]["end_token"])]
        # another example, then back: the answer's window again, equal to Python
        choose(root(page, "qa_logits"), "example", list(small.config()["examples"])[1])
        js = choose(root(page, "qa_logits"), "example", list(small.config()["examples"])[0])
        assert_same(js, py, rtol=1e-3, atol=1e-9, keys=LOGITS)
        assert picker.input_value() == "3"
        picker.select_option("0")
        assert host.locator(".hfa-answer-token").count() == 0


@pytest.mark.parametrize("over", ["file"])  # over http: tests/site/test_explorer_states.py, every explorer
def test_typing_in_the_page_equals_python(explorer, browser, tmp_path, over):
    with served(tmp_path, over, explorer) as (url, base):
        _drive(browser, url, base, explorer)
