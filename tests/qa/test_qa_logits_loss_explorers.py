"""The QA logits and QA loss explorers: data equal to the model's, live controls react; on
a checkpoint other than the embedded model the page's HTML is the explorer's root with the
recorded states (each equal to compute), a noscript line and no second drawing."""

import json
import math
import re

import pytest
import torch
from tiny_qa import (
    CONTEXT,
    EN_CONTEXT,
    EN_QUESTION,
    QUESTION,
    tiny_bert_qa,
    wordpiece_tokenizer,
)

from hfanatomy.explorers.live import NOSCRIPT
from hfanatomy.explorers.qa_logits import QALogitsExplorer
from hfanatomy.explorers.qa_loss import QALossExplorer, loss_grid
from hfanatomy.plots.qa import plot_loss_terms, plot_start_end, tick_label
from hfanatomy.qa_head import qa_logits
from hfanatomy.qa_inputs import encode_pair

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def model():
    return tiny_bert_qa()


@pytest.fixture(scope="module")
def logits_explorer(model):
    return QALogitsExplorer(model, wordpiece_tokenizer(), [(QUESTION, CONTEXT), (EN_QUESTION, EN_CONTEXT)])


@pytest.fixture(scope="module")
def loss_explorer(model):
    return QALossExplorer(model, wordpiece_tokenizer(), QUESTION, CONTEXT, answer="마크업 언어")


def no_external_urls(markup: str) -> None:
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", markup)
    assert "http://" not in markup and "https://" not in markup


def recorded(markup: str, explorer) -> dict:
    """The model JSON of a recorded root (a tiny checkpoint, not the embedded model): one
    root, a noscript line, no second drawing; every recorded state's data is compute's."""
    no_external_urls(markup)
    assert markup.count("data-hfa-live=") == 1 and f"<noscript><div class=\"hfa-note\">{NOSCRIPT}" in markup
    assert "data-hfa-state=" not in markup and "data-hfa-fallback" not in markup
    assert "<svg" not in markup and "hfa-chip" not in markup
    found = re.search(r"<script type=\"application/json\" data-hfa-model>(.*?)</script>", markup, re.S)
    spec = json.loads(found.group(1).replace("<\\/", "</"))
    assert spec["config"]["needs"] is None and "data-hfa-recorded" in markup
    for r in spec["recorded"]:
        assert r["data"] == json.loads(json.dumps(explorer.compute(r["state"])))
    return spec


def test_logits_data_matches_model(model):
    x = encode_pair(wordpiece_tokenizer(), QUESTION, CONTEXT)
    d = qa_logits(model, x)
    with torch.no_grad():
        out = model(**x.tensors())
    assert torch.equal(d.start_logits, out.start_logits[0])
    assert torch.allclose(d.start_probs, out.start_logits[0].softmax(-1))
    assert torch.allclose(d.end_probs.sum(), torch.tensor(1.0))


def test_logits_recorded_view(logits_explorer):
    spec = recorded(logits_explorer.static_html(), logits_explorer)
    labels = list(logits_explorer.config()["examples"])
    assert [(r["state"]["example"], r["state"]["mode"]) for r in spec["recorded"]] == [
        (k, m) for k in labels for m in ("probabilities", "logits")]  # 2 examples x 2 modes
    d = logits_explorer.results[0]
    assert spec["data"]["windows"][0]["start_probs"] == pytest.approx(d.start_probs.tolist(), rel=1e-5)
    assert spec["data"]["windows"][0]["roles"] == d.input.roles
    bundle = logits_explorer._repr_mimebundle_()
    assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


def test_logits_recorded_windows(model):
    """An example read in several windows: each window is recorded, as the picker sets it."""
    from hfanatomy.qa import encode_windows

    tok = wordpiece_tokenizer()
    ex = QALogitsExplorer(model, tok, [(EN_QUESTION, EN_CONTEXT), (QUESTION, CONTEXT)],
                          max_length=24)
    n = [encode_windows(q, c, tok, 24, 12).num_windows for q, c in ex.examples]
    assert min(n) >= 2
    spec = recorded(ex.static_html(), ex)
    labels = list(ex.config()["examples"])
    assert [(r["state"]["example"], r["state"]["mode"], r["state"]["window"])
            for r in spec["recorded"]] == [
        (k, m, None) for k in labels for m in ("probabilities", "logits")] + [
        (k, "probabilities", w) for k, count in zip(labels, n) for w in range(count)]
    assert all(len(r["data"]["windows"]) == count
               for r in spec["recorded"] for k, count in zip(labels, n)
               if r["state"]["example"] == k)


def test_logits_widget_reacts(logits_explorer):
    """The kernel's live view (a LiveView): a new question keeps the context (the pair)."""
    w = logits_explorer.widget
    context = w.state["context"]
    w.state = {**w.state, "question": "What does a wiki use?", "example": None}
    roles = w.data["windows"][0]["roles"]
    assert w.state["context"] == context and "context" in roles and "question" in roles
    x = encode_pair(wordpiece_tokenizer(), "What does a wiki use?", context)
    assert w.data["windows"][0]["start_logits"] == pytest.approx(
        qa_logits(logits_explorer.model, x).start_logits.tolist(), rel=1e-5, abs=1e-6)
    w.state = {**w.state, "context": ""}
    assert "context is empty" in w.status


def test_loss_grid_equals_model_loss(model, loss_explorer):
    x = loss_explorer.logits.input
    L = len(x)
    g = loss_grid(loss_explorer.logits.start_logits, loss_explorer.logits.end_logits,
                  [-6, -1, *range(L), L, L + 6])
    assert g.L == L
    for i, j in [(2, 3), (0, 5), (g.positions.index(L), 4), (len(g.positions) - 1, 3), (1, 1)]:
        s, e = g.positions[i], g.positions[j]
        with torch.no_grad():
            out = model(**x.tensors(), start_positions=torch.tensor([s]), end_positions=torch.tensor([e]))
        v = g.loss(i, j)
        assert (math.isnan(v) and out.loss.isnan()) or v == pytest.approx(out.loss.item(), rel=1e-5)


def test_loss_recorded_view(loss_explorer):
    spec = recorded(loss_explorer.static_html(), loss_explorer)
    L = len(loss_explorer.logits.input)
    first = loss_explorer.initial_state()
    assert spec["recorded"][0]["state"] == first  # the chapter's example is the first state
    moved = [(r["state"]["gold_start"], r["state"]["gold_end"]) for r in spec["recorded"][1:]]
    s0, e0 = first["gold_start"], first["gold_end"]  # one slider at a time: ends and L
    assert moved == [(-6, e0), (L, e0), (L + 6, e0), (s0, -6), (s0, L), (s0, L + 6)]
    assert all(r["state"]["follow_answer"] is False for r in spec["recorded"][1:])
    losses = [r["data"]["gold"]["loss"] for r in spec["recorded"][1:]]
    assert losses[0] is not None and losses[1] is None and losses[4] is None  # clamped; ignored


def test_loss_widget_reacts(model, loss_explorer):
    w = loss_explorer.widget  # the kernel's LiveView: state in, data out
    L = len(loss_explorer.logits.input)
    # the sliders moved (the gold no longer follows the answer); -3 is clamped to 0 and counts
    w.state = {**w.state, "gold_start": -3, "gold_end": 4, "follow_answer": False}
    g = w.data["gold"]
    assert g["clamped_start"] == 0 and g["loss"] is not None
    x = loss_explorer.logits.input
    with torch.no_grad():
        out = model(**x.tensors(), start_positions=torch.tensor([-3]), end_positions=torch.tensor([4]))
    assert g["loss"] == pytest.approx(out.loss.item(), rel=1e-5)
    w.state = {**w.state, "gold_end": L + 2}
    assert w.data["gold"]["loss"] is None and w.data["gold"]["end_term"] is None  # nan
    html = loss_explorer.static_html()  # still the build-time state
    assert f'"state":{json.dumps(loss_explorer.initial_state(), ensure_ascii=False, separators=(",", ":"))}' in html


def test_plots_draw_without_warnings(loss_explorer, recwarn):
    fig = plot_start_end(loss_explorer.logits)
    fig2 = plot_loss_terms(loss_grid(loss_explorer.logits.start_logits, loss_explorer.logits.end_logits,
                                     list(range(-2, len(loss_explorer.logits.input) + 3))))
    fig.canvas.draw()
    fig2.canvas.draw()
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    assert tick_label(3, "markup") == "3 markup" and tick_label(3, "위키") == "3"


def test_returns_explorer(model):
    from hfanatomy.explorers.qa_returns import QAReturnsExplorer, qa_return

    x = encode_pair(wordpiece_tokenizer(), EN_QUESTION, EN_CONTEXT)
    s, e = torch.tensor([3]), torch.tensor([5])
    ex = QAReturnsExplorer(model, x.tensors(), s, e)
    spec = recorded(ex.static_html(), ex)  # one root, every state's data is compute's
    rows = {(r["state"]["positions"], r["state"]["hidden"], r["state"]["attentions"],
             r["state"]["as_tuple"]): r["data"] for r in spec["recorded"]}
    assert len(rows) == 24  # gold positions x hidden states x attentions x tuple
    names = lambda d: [i["name"] for i in d["items"]]  # noqa: E731
    assert names(rows[("none", False, False, False)]) == ["start_logits", "end_logits"]
    assert names(rows[("start only", True, False, False)]) == ["start_logits", "end_logits",
                                                               "hidden_states"]
    assert "no loss" in rows[("start only", True, False, False)]["note"]
    assert rows[("both", True, True, True)]["length"] == 5
    assert spec["kind"] == "returns" and "<table" not in ex.static_html()  # views/returns.js
    w = ex.widget
    w.state = {**w.state, "positions": "both", "as_tuple": True}
    assert ex.data.fields[0] == "loss" and w.data["type"] == "tuple" and w.data["length"] == 3
    with pytest.raises(ValueError, match="positions must be one of"):
        qa_return(model, x.tensors(), s, e, positions="end only")
