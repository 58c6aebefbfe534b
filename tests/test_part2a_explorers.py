"""The QA logits and QA loss explorers: self-contained static HTML, data equal to the model's, live controls react."""

import math
import re

import pytest
import torch
from test_part2a_tiny import (
    CONTEXT,
    EN_CONTEXT,
    EN_QUESTION,
    QUESTION,
    one_thread,  # noqa: F401 - autouse fixture
    tiny_bert_qa,
    wordpiece_tokenizer,
)

from hfanatomy.explorers.qa_logits import QALogitsExplorer, qa_logits, render_logits
from hfanatomy.explorers.qa_loss import QALossExplorer, loss_grid
from hfanatomy.plots.qa import plot_loss_terms, plot_start_end, tick_label
from hfanatomy.qa_inputs import encode_pair


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


def test_logits_data_matches_model(model):
    x = encode_pair(wordpiece_tokenizer(), QUESTION, CONTEXT)
    d = qa_logits(model, x)
    with torch.no_grad():
        out = model(**x.tensors())
    assert torch.equal(d.start_logits, out.start_logits[0])
    assert torch.allclose(d.start_probs, out.start_logits[0].softmax(-1))
    assert torch.allclose(d.end_probs.sum(), torch.tensor(1.0))


def test_logits_static_view(logits_explorer):
    markup = logits_explorer.static_html()
    no_external_urls(markup)
    assert markup.count('data-hfa-state="') == 4  # 2 examples x 2 modes
    d = logits_explorer.results[0]
    values = [float(v) for v in re.findall(r'data-kind="start" data-value="([^"]+)"', markup)]
    assert values[: len(d.input)] == pytest.approx(d.start_probs.tolist(), rel=1e-5)
    assert "r-question" in markup and "r-context" in markup
    ids = re.findall(r'id="([^"]+)"', markup)
    assert len(ids) == len(set(ids))
    bundle = logits_explorer._repr_mimebundle_()
    assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


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


def test_render_rejects_unknown_mode(logits_explorer):
    with pytest.raises(ValueError, match="probabilities"):
        render_logits(logits_explorer.results[0], "odds")


def test_loss_grid_equals_model_loss(model, loss_explorer):
    x = loss_explorer.logits.input
    g = loss_explorer.grid
    L = len(x)
    assert g.L == L
    for i, j in [(2, 3), (0, 5), (g.positions.index(L), 4), (len(g.positions) - 1, 3), (1, 1)]:
        s, e = g.positions[i], g.positions[j]
        with torch.no_grad():
            out = model(**x.tensors(), start_positions=torch.tensor([s]), end_positions=torch.tensor([e]))
        v = g.loss(i, j)
        assert (math.isnan(v) and out.loss.isnan()) or v == pytest.approx(out.loss.item(), rel=1e-5)


def test_loss_static_view(loss_explorer):
    markup = loss_explorer.static_html()
    no_external_urls(markup)
    assert markup.count("<select data-hfa-control=") == 2
    assert "gold-s" in markup and "gold-e" in markup and "(outside)" in markup
    assert "START" in markup and "ignore_index" in markup


def test_loss_widget_reacts(model, loss_explorer):
    w = loss_explorer.widget  # the kernel's LiveView: state in, data out
    L = loss_explorer.grid.L
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
    assert "data-hfa-control" in loss_explorer.static_html()  # still the build-time state


def test_plots_draw_without_warnings(loss_explorer, recwarn):
    fig = plot_start_end(loss_explorer.logits)
    fig2 = plot_loss_terms(loss_grid(loss_explorer.logits.start_logits, loss_explorer.logits.end_logits,
                                     list(range(-2, loss_explorer.grid.L + 3))))
    fig.canvas.draw()
    fig2.canvas.draw()
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    assert tick_label(3, "markup") == "3 markup" and tick_label(3, "위키") == "3"


def test_returns_explorer(model):
    from hfanatomy.explorers.qa_returns import QAReturnsExplorer, qa_return

    x = encode_pair(wordpiece_tokenizer(), EN_QUESTION, EN_CONTEXT)
    s, e = torch.tensor([3]), torch.tensor([5])
    ex = QAReturnsExplorer(model, x.tensors(), s, e)
    assert ex.rows[("none", False, False)].fields == ["start_logits", "end_logits"]
    assert ex.rows[("start only", True, False)].fields == ["start_logits", "end_logits", "hidden_states"]
    assert ex.rows[("both", True, True)].tuple_length == 5
    markup = ex.static_html()
    no_external_urls(markup)
    assert markup.count('data-hfa-state="') == 24
    ex.widget  # noqa: B018
    ex.positions_box.value = "both"
    ex.tuple_box.value = True
    assert ex.data.fields[0] == "loss" and "len(out) == 3" in ex.view.value
    with pytest.raises(ValueError, match="positions must be one of"):
        qa_return(model, x.tensors(), s, e, positions="end only")


def test_loss_static_script_in_chromium(loss_explorer, tmp_path, browser):
    """The loss explorer's own inline script: choosing gold positions updates marks and numbers."""
    page_file = tmp_path / "loss.html"
    page_file.write_text(f"<!doctype html><meta charset='utf-8'><body>{loss_explorer.static_html()}</body>",
                         encoding="utf-8")
    g = loss_explorer.grid
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    page.select_option("select[data-hfa-control=gs]", str(g.positions.index(-1)))
    assert page.get_attribute(".gold-s", "data-pos") == "0"  # clamped to [CLS]
    page.select_option("select[data-hfa-control=ge]", str(g.positions.index(3)))
    shown = page.inner_text("[data-part=loss]")
    assert f"{g.loss(g.positions.index(-1), g.positions.index(3)):.4f}" in shown
    page.select_option("select[data-hfa-control=ge]", str(g.positions.index(g.L)))
    assert "nan" in page.inner_text("[data-part=loss]")
    assert page.get_attribute(".gold-e", "data-pos") == str(g.L)
    page.close()
    assert not errors
