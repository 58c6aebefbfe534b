"""The span-grid and windows explorers: the data carries the decoder's real numbers, the
live widgets recompute it when a control moves, and a page built on a checkpoint other than
the embedded model holds the recorded states (each equal to compute), not a second drawing."""

from __future__ import annotations

import json
import re

import pytest
import torch
from qa_corpus import CORPUS, build_tokenizer
from tiny import sharp_qa_model
from transformers import BertConfig, BertForQuestionAnswering

from hfanatomy import qa
from hfanatomy.explorers.span_grid import SpanGridExplorer, grid_data
from hfanatomy.explorers.windows import WindowsExplorer, windows_view

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def tiny():
    tok = build_tokenizer()
    model = sharp_qa_model(BertForQuestionAnswering, BertConfig, seed=0,
                           vocab_size=len(tok), max_position_embeddings=128)
    return model, tok


EXAMPLES = [("Who lives in London?", CORPUS[0]), ("위키는 어떤 언어를 이용하는가?", CORPUS[3])]


def _recorded(explorer) -> list[dict]:
    """The recorded states of the explorer's page: one root, no second drawing, each
    state's data what compute gives."""
    markup = explorer.static_html()
    assert markup.count("data-hfa-live=") == 1 and "<noscript>" in markup
    assert "data-hfa-state=" not in markup and "<svg" not in markup
    assert "http" not in markup
    found = re.search(r"<script type=\"application/json\" data-hfa-model>(.*?)</script>", markup, re.S)
    spec = json.loads(found.group(1).replace("<\\/", "</"))
    assert spec["config"]["needs"] is None
    for r in spec["recorded"]:
        assert r["data"] == json.loads(json.dumps(explorer.compute(r["state"])))
    return spec["recorded"]


def test_span_grid_records_the_grid(tiny):
    model, tok = tiny
    ex = SpanGridExplorer(model, tok, EXAMPLES, max_answer_lens=(2, 15), top_k=3)
    recorded = _recorded(ex)
    labels = list(ex.config()["examples"])
    assert [(r["state"]["example"], r["state"]["max_answer_len"],
             r["state"]["handle_impossible_answer"]) for r in recorded] == [
        (k, m, h) for k in labels for m, h in ((15, False), (2, False), (15, True))]
    windows = qa.encode_windows(*EXAMPLES[0], tok)
    start, end = qa.run_model(model, windows)
    for m, r in ((15, recorded[0]), (2, recorded[1])):
        sc = qa.span_scores(start, end, windows.context_mask, m)
        data = r["data"]
        assert data["start_probs"] == pytest.approx(sc.start_probs[0].tolist(), rel=1e-5, abs=1e-12)
        assert [(b["start_token"], b["end_token"]) for b in data["best"]] == [
            (s.start, s.end) for s in qa.top_spans(sc, 3)[0]]
        assert all(b["end_token"] - b["start_token"] < m for b in data["best"])
    hia = recorded[2]["data"]  # handle_impossible_answer: the null answer joins when it scores
    nulls = [a for a in hia["answers"] if a["window"] is None]
    assert hia["handle_impossible_answer"] is True
    assert bool(nulls) == (hia["null_answer_score"] >= hia["answers"][-1]["score"])


def test_span_grid_data_best_cells_and_argmaxes(tiny):
    model, tok = tiny
    windows = qa.encode_windows(*EXAMPLES[1], tok)
    start, end = qa.run_model(model, windows)
    data = grid_data(windows, start, end, 0, max_answer_len=3, top_k=2)
    keep = windows.tokens_of(0)
    assert data["argmax_start"] == int(start[0, keep].argmax())
    assert [(b["start_token"], b["end_token"]) for b in data["best"]] == [
        (s.start, s.end) for s in qa.top_spans(qa.span_scores(start, end, windows.context_mask,
                                                               3), 2)[0]]
    assert all(EXAMPLES[1][1][b["start"]:b["end"]] == b["text"] for b in data["best"])
    roles = data["roles"]
    assert roles[0] == "special" and "question" in roles and "context" in roles


def test_span_grid_widget_recomputes(tiny):
    """Any checkpoint works in a kernel (here a tiny BERT): the LiveView recomputes its data
    when the view sets a new state; the site's markup is the recorded view, and says why."""
    model, tok = tiny
    ex = SpanGridExplorer(model, tok, EXAMPLES, max_answer_lens=(15,))
    bundle = ex._repr_mimebundle_()
    assert "data-hfa-recorded" in bundle["text/html"] and "data-hfa-live=" in bundle["text/html"]
    view = ex.widget
    band = lambda d: sum(1 for b in d["best"] if b["end_token"] - b["start_token"] < 2)  # noqa: E731
    view.state = {**view.state, "max_answer_len": 2, "top_k": 5}
    assert view.data["max_answer_len"] == 2 and band(view.data) == len(view.data["best"]) == 5
    view.state = {**view.state, "question": "Who owns a boat?"}
    assert view.data["tokens"][1:5] == tok.tokenize("Who owns a boat?")[:4]
    view.state = {**view.state, "context": "   "}  # empty: an error message, the last data kept
    assert "context is empty" in view.status and view.data["max_answer_len"] == 2


def test_windows_explorer_recorded_and_live(tiny):
    model, tok = tiny
    context = " ".join(CORPUS[:5] * 2)
    ex = WindowsExplorer(tok, "Who lives in London?", context, max_seq_lens=(32, 64),
                         strides=(0, 8), model=model)
    recorded = _recorded(ex)
    view = windows_view(tok, "Who lives in London?", context, 32, 8, model)
    at = {(r["state"]["max_seq_len"], r["state"]["doc_stride"], r["state"]["window"],
           r["state"]["answers"]): r["data"] for r in recorded}
    data = at[32, 8, 0, True]  # the first state: every window, their best spans
    assert len(data["windows"]) == len(view.windows) > 2
    for win, w in zip(view.windows, data["windows"]):  # every window carries its token range
        assert (w["first_token"], w["last_token"]) == (win.first_token, win.last_token)
        assert w["best"]["text"] == win.best.text
    # consecutive windows overlap by exactly the stride (in context tokens)
    for a, b in zip(view.windows, view.windows[1:]):
        assert a.last_token - b.first_token + 1 == 8
    assert view.chosen is not None and context[view.chosen.start:view.chosen.end] == view.chosen.text
    no_overlap = windows_view(tok, "Who lives in London?", context, 32, 0)
    assert all(a.last_token + 1 == b.first_token
               for a, b in zip(no_overlap.windows, no_overlap.windows[1:]))
    # recorded: every (max_seq_len, doc_stride), without the answers, and each window picked
    assert {k[:2] for k in at} == {(32, 0), (32, 8), (64, 0), (64, 8)}
    assert (32, 8, 0, False) in at and at[32, 8, 0, False]["windows"][0]["best"] is None
    for m, s in {k[:2] for k in at}:
        n = len(at[m, s, 0, True]["windows"])
        assert sorted(k[2] for k in at if k[:2] == (m, s) and k[3]) == list(range(n + 1))
        assert at[m, s, n, True]["selected"] == n - 1
    assert len(at[64, 8, 0, True]["windows"]) < len(view.windows)  # fewer windows at 64
    # live: the kernel's LiveView recomputes the data the view draws
    w = ex.widget
    n = len(w.data["windows"])
    w.state = {**w.state, "max_seq_len": 64}
    assert w.data["max_seq_len"] == 64 and len(w.data["windows"]) < n
    w.state = {**w.state, "doc_stride": 200}  # larger than the room: explained, data kept
    assert w.status.startswith("error: doc_stride=200") and w.data["max_seq_len"] == 64
    w.state = {**w.state, "doc_stride": 4, "window": 2}
    assert w.data["doc_stride"] == 4 and w.data["selected"] == 1 and w.status == ""
