"""The span-grid and windows explorers: static markup carries the real numbers, the
live widgets recompute their data when a control moves."""

from __future__ import annotations

import re

import pytest
import torch
from test_qa import CORPUS, build_tokenizer
from tiny import sharp_qa_model
from transformers import BertConfig, BertForQuestionAnswering

from hfanatomy import qa
from hfanatomy.explorers.span_grid import SpanGridExplorer, grid_view
from hfanatomy.explorers.windows import WindowsExplorer, windows_view

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def tiny():
    tok = build_tokenizer()
    model = sharp_qa_model(BertForQuestionAnswering, BertConfig, seed=0,
                           vocab_size=len(tok), max_position_embeddings=128)
    return model, tok


EXAMPLES = [("Who lives in London?", CORPUS[0]), ("위키는 어떤 언어를 이용하는가?", CORPUS[3])]


def _state(markup: str, key: str) -> str:
    """The markup of one pre-rendered state."""
    start = markup.index(f'data-hfa-state="{key}"')
    end = markup.find('data-hfa-state="', start + 10)
    return markup[start:end if end > 0 else len(markup)]


def test_span_grid_static_cells_are_the_grid(tiny):
    model, tok = tiny
    ex = SpanGridExplorer(model, tok, EXAMPLES, max_answer_lens=(2, 15), top_k=3)
    markup = ex.static_html()
    assert markup.count("data-hfa-state=") == 4 and "http" not in markup.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    windows = qa.encode_windows(*EXAMPLES[0], tok)
    start, end = qa.run_model(model, windows)
    for m in (2, 15):
        state = _state(markup, f"0|{m}")
        cells = re.findall(r'data-start="(\d+)" data-end="(\d+)" data-value="([^"]+)"', state)
        sc = qa.span_scores(start, end, windows.context_mask, m)
        assert len(cells) == int(sc.valid[0].sum())  # one rect per allowed cell
        for i, j, v in cells:
            assert float(v) == pytest.approx(float(sc.grid[0, int(i), int(j)]), rel=1e-4)
        best = qa.top_spans(sc, 1)[0][0]
        rank1 = re.search(r'<rect x="(\d+)" y="(\d+)"[^>]*data-rank="1"', state)
        assert rank1 is not None
        assert 'data-masked="2"' in state and 'data-masked="1"' in state
        assert ('data-masked="3"' in state) == (m == 2)  # too-long cells only with a short max
        assert f"{best.score:.4g}" in state
    assert "data-argmax=" in markup and "live explorer" in markup


def test_span_grid_view_masks_and_argmaxes(tiny):
    model, tok = tiny
    windows = qa.encode_windows(*EXAMPLES[1], tok)
    start, end = qa.run_model(model, windows)
    view = grid_view(windows, start, end, 0, max_answer_len=3, top_k=2)
    assert torch.equal(view.reasons == qa.VALID, view.grid > 0)
    assert view.argmax_start == int(start[0].argmax())
    assert [(a.start_token, a.end_token) for a in view.best] == [
        (s.start, s.end) for s in qa.top_spans(qa.span_scores(start, end, windows.context_mask,
                                                               3), 2)[0]]
    assert all(view.context[a.start:a.end] == a.text for a in view.best)
    assert view.roles[0] == "special" and "question" in view.roles and "context" in view.roles


def test_span_grid_widget_recomputes(tiny):
    """Any checkpoint works in a kernel (here a tiny BERT): the LiveView recomputes its data
    when the view sets a new state; the site's markup is the recording, and says why."""
    model, tok = tiny
    ex = SpanGridExplorer(model, tok, EXAMPLES, max_answer_lens=(15,))
    bundle = ex._repr_mimebundle_()
    assert "data-hfa-recorded" in bundle["text/html"] and "data-hfa-live=" not in bundle["text/html"]
    view = ex.widget
    band = lambda d: sum(1 for b in d["best"] if b["end_token"] - b["start_token"] < 2)  # noqa: E731
    view.state = {**view.state, "max_answer_len": 2, "top_k": 5}
    assert view.data["max_answer_len"] == 2 and band(view.data) == len(view.data["best"]) == 5
    view.state = {**view.state, "question": "Who owns a boat?"}
    assert view.data["tokens"][1:5] == tok.tokenize("Who owns a boat?")[:4]
    view.state = {**view.state, "context": "   "}  # empty: an error message, the last data kept
    assert "context is empty" in view.status and view.data["max_answer_len"] == 2


def test_windows_explorer_static_and_live(tiny):
    model, tok = tiny
    context = " ".join(CORPUS[:5] * 2)
    ex = WindowsExplorer(tok, "Who lives in London?", context, max_seq_lens=(32, 64),
                         strides=(0, 8), model=model)
    markup = ex.static_html()
    view = windows_view(tok, "Who lives in London?", context, 32, 8, model)
    state = _state(markup, "32|8|all")
    assert state.count("data-window=") == len(view.windows) > 2
    for win in view.windows:  # every bar carries its token range
        assert f'data-window="{win.index}" data-value="{win.first_token},{win.last_token}"' in state
    # consecutive windows overlap by exactly the stride (in context tokens)
    for a, b in zip(view.windows, view.windows[1:]):
        assert a.last_token - b.first_token + 1 == 8
    assert view.chosen is not None and context[view.chosen.start:view.chosen.end] == view.chosen.text
    no_overlap = windows_view(tok, "Who lives in London?", context, 32, 0)
    assert all(a.last_token + 1 == b.first_token
               for a, b in zip(no_overlap.windows, no_overlap.windows[1:]))
    assert "Only" in _state(markup, f"64|8|{len(view.windows) - 1}")  # fewer windows at 64
    # live: the kernel's LiveView recomputes the data the view draws
    w = ex.widget
    n = len(w.data["windows"])
    w.state = {**w.state, "max_seq_len": 64}
    assert w.data["max_seq_len"] == 64 and len(w.data["windows"]) < n
    w.state = {**w.state, "doc_stride": 200}  # larger than the room: explained, data kept
    assert w.status.startswith("error: doc_stride=200") and w.data["max_seq_len"] == 64
    w.state = {**w.state, "doc_stride": 4, "window": 2}
    assert w.data["doc_stride"] == 4 and w.data["selected"] == 1 and w.status == ""
