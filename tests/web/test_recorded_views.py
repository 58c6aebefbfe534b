"""The explorers only Python can compute (the model tree, the two return-value explorers) and
the data objects a notebook shows (a TokenTable, a ModuleNode) are drawn by their JS views,
like every explorer: in a kernel as the anywidget, whose ``state`` recomputes ``data``; on
the site as a recorded root, whose view draws every recorded state (every combination of the
return-value explorers' options) with no page error, and answers any other with a clear
error. The tree opens and closes on click and from the keyboard; nothing spills over a
360 px screen, in the light or the dark theme."""

from __future__ import annotations

import json

import pytest
import torch
from live import (
    checked_page,
    computed,
    open_device,
    open_live,
    root,
    served,
    type_error,
    wait_computed,
)
from overflow import hidden_boxes
from tiny_classifier import batch, model, tokenizer
from tiny_qa import EN_CONTEXT, EN_QUESTION, tiny_bert_qa, wordpiece_tokenizer

from hfanatomy import display
from hfanatomy.explorers.live import NOSCRIPT, RECORDED_ONLY, LiveView
from hfanatomy.explorers.modeltree import ModelTreeExplorer
from hfanatomy.explorers.qa_returns import POSITION_CHOICES, QAReturnsExplorer
from hfanatomy.explorers.returns import ReturnsExplorer
from hfanatomy.explorers.tokens import TokenTableExplorer
from hfanatomy.modeltree import format_count, module_tree
from hfanatomy.tokens import token_table

pytestmark = pytest.mark.usefixtures("one_thread")

TABLE_TEXT = "the movie was great"
OPTIONS = ("hidden", "attentions", "as_tuple")


class Shown:
    """What a notebook cell's output holds on the site for a data object: the text/html of
    its mime bundle (``display.register``'s formatter)."""

    def __init__(self, obj):
        from IPython.core.interactiveshell import InteractiveShell

        shell = InteractiveShell.instance()
        assert display.register(shell)
        self.bundle, _ = shell.display_formatter.format(obj)

    def static_html(self) -> str:
        return self.bundle["text/html"]


@pytest.fixture(scope="module")
def explorers():
    m = model()
    qa = tiny_bert_qa()
    inputs = wordpiece_tokenizer()(EN_QUESTION, EN_CONTEXT, return_tensors="pt")
    return {"tree": ModelTreeExplorer(m, open_depth=2),
            "returns": ReturnsExplorer(m, batch(), labels=torch.tensor([0, 2])),
            "qa": QAReturnsExplorer(qa, inputs, torch.tensor([3]), torch.tensor([5])),
            "table": Shown(token_table(tokenizer(), TABLE_TEXT))}


@pytest.fixture(scope="module")
def page_url(tmp_path_factory, explorers):
    folder = tmp_path_factory.mktemp("recorded-views")
    with served(folder, "file", *explorers.values()) as (url, _):
        yield url


# ------------------------------------------------------------------------- Python: the data

def test_recorded_models_hold_every_option_and_no_drawing(explorers):
    returns, qa, tree = explorers["returns"], explorers["qa"], explorers["tree"]
    model_ = returns.recorded_model()
    assert model_["config"]["needs"] is None and returns.embedded is None
    states = [r["state"] for r in model_["recorded"]]
    assert len(states) == 16 == len({json.dumps(s, sort_keys=True) for s in states})
    for r in model_["recorded"]:
        assert r["data"] == returns.compute(r["state"])
        s = r["state"]
        assert r["data"]["length"] == 1 + s["labels"] + s["hidden"] + s["attentions"]
        assert len(r["data"]["items"]) + len(r["data"]["none"]) == 4
    assert len(qa.recorded_model()["recorded"]) == 24
    assert len(tree.recorded_model()["recorded"]) == 1
    for ex in (returns, qa, tree):
        html = ex.static_html()
        assert f'data-hfa-live="{ex.kind}" data-hfa-needs=""' in html
        assert NOSCRIPT in html and "<table" not in html and "<details" not in html


def test_tree_data_is_the_model_s(explorers):
    data = explorers["tree"].compute({})
    m = explorers["tree"].tree
    assert data["total"] == m.total_params and data["modules"] == len(list(m.walk()))
    assert data["tree"]["cls"] == "RobertaForSequenceClassification"
    out_proj = data["tree"]["children"][1]["children"][2]
    assert out_proj["path"] == "classifier.out_proj"
    assert out_proj["shapes"] == [["weight", [3, 32]], ["bias", [3]]]
    with pytest.raises(ValueError, match="open_depth must be a whole number"):
        ModelTreeExplorer(m, open_depth=-1)


def test_the_kernel_recomputes_on_state(explorers):
    returns = explorers["returns"]
    w = returns.widget
    assert isinstance(w, LiveView) and w.data["length"] == 1
    w.state = {**w.state, "labels": True, "attentions": True, "as_tuple": True}
    assert w.status == "" and w.data["type"] == "tuple"
    assert [i["name"] for i in w.data["items"]] == ["loss", "logits", "attentions"]
    assert w.data["arguments"] == ["labels=labels", "output_attentions=True", "return_dict=False"]
    assert returns.data.fields == ["loss", "logits", "attentions"]  # what the kernel shows
    w.state = {**w.state, "hidden": "yes"}
    assert w.status == 'error: hidden must be true or false; got "yes".'
    assert w.data["type"] == "tuple"  # the last good data stays
    qa = explorers["qa"].widget
    qa.state = {**qa.state, "positions": "start only"}
    assert qa.data["none"][0] == "loss" and "no loss" in qa.data["note"]
    qa.state = {**qa.state, "positions": "end only"}
    assert qa.status.startswith("error: positions must be one of")
    tree = explorers["tree"].widget
    assert tree.data["tree"]["cls"] == "RobertaForSequenceClassification"


def test_a_shown_token_table_and_module_tree_are_explorers(explorers):
    bundle = explorers["table"].bundle
    assert "application/vnd.jupyter.widget-view+json" in bundle  # the anywidget in a kernel
    assert 'data-hfa-live="tokens" data-hfa-needs=""' in bundle["text/html"]
    assert "<table" not in bundle["text/html"]
    table = token_table(tokenizer(), TABLE_TEXT)
    assert bundle["text/plain"] == str(table)
    shown = TokenTableExplorer(table)
    assert shown.compute(shown.initial_state())["sequences"][0][1]["piece"] == table.rows[1].piece
    with pytest.raises(ValueError, match="TokenExplorer"):
        shown.compute({**shown.initial_state(), "text": "typed"})
    tree = Shown(module_tree(model())).bundle
    assert 'data-hfa-live="modeltree"' in tree["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in tree


# ----------------------------------------------------------------------- the page: the views

def test_each_view_draws_its_recorded_root(browser, page_url, explorers):
    with checked_page(browser, page_url) as page:
        for kind in ("modeltree", "returns", "tokens"):
            assert root(page, kind).get_attribute("data-hfa-error") is None, kind
        tree = root(page, "modeltree")
        items = tree.locator(".hfa-live-host [role=treeitem]")
        assert items.count() == explorers["tree"].compute({})["modules"]
        nodes = list(explorers["tree"].tree.walk())
        counts = tree.locator(".hfa-live-host .hfa-count")
        assert counts.first.get_attribute("data-value") == str(nodes[0].total_params)
        # the page writes each count as Python's format_count does (hidden lines included)
        assert counts.evaluate_all("(els) => els.map((e) => e.textContent)") == [
            format_count(n.total_params) for n in nodes]
        returns = root(page, "returns")
        assert returns.locator(".hfa-live-host .hfa-call").inner_text() == "out = model(**inputs)"
        assert returns.locator(".hfa-live-host td").first.inner_text() == "out.logits"
        qa = root(page, "returns", 1)
        before = computed(qa)
        qa.locator(".hfa-live-host select[data-hfa-control='positions']").select_option(
            label="start only")
        assert wait_computed(qa, before)["note"] is not None
        assert "no loss is computed" in qa.locator(".hfa-live-host .hfa-warn").inner_text()
        table = root(page, "tokens")
        rows = table.locator(".hfa-live-host table.hfa-tokens tr")
        assert rows.count() == 1 + len(token_table(tokenizer(), TABLE_TEXT).rows)
        # the shown table is recorded: typing is answered with the page's words
        assert type_error(table, "text", "typed by a reader") == RECORDED_ONLY


def test_the_tree_opens_and_closes_on_click_and_keys(browser, page_url):
    with checked_page(browser, page_url) as page:
        tree = root(page, "modeltree").locator(".hfa-live-host")
        item = lambda path: tree.locator(f'[role=treeitem][data-path="{path}"]')  # noqa: E731
        encoder, layer = item("roberta.encoder"), item("roberta.encoder.layer")
        assert encoder.get_attribute("aria-expanded") == "false" and not layer.is_visible()
        encoder.locator(":scope > .hfa-line").click()
        assert encoder.get_attribute("aria-expanded") == "true" and layer.is_visible()
        encoder.locator(":scope > .hfa-line").click()
        assert encoder.get_attribute("aria-expanded") == "false" and not layer.is_visible()
        # the keyboard: one tab stop, arrows move, Enter / Space / Right / Left open and close
        assert tree.locator("[role=treeitem][tabindex='0']").count() == 1
        item("").focus()
        page.keyboard.press("ArrowDown")  # roberta
        page.keyboard.press("ArrowDown")  # roberta.embeddings
        page.keyboard.press("ArrowDown")  # roberta.encoder
        focused = page.evaluate("document.activeElement.dataset.path")
        assert focused == "roberta.encoder"
        page.keyboard.press("Enter")
        assert encoder.get_attribute("aria-expanded") == "true"
        page.keyboard.press("ArrowRight")  # into the first child
        assert page.evaluate("document.activeElement.dataset.path") == "roberta.encoder.layer"
        page.keyboard.press("ArrowLeft")  # layer is closed: up to its parent
        page.keyboard.press("Space")
        assert encoder.get_attribute("aria-expanded") == "false"
        page.keyboard.press("ArrowRight")
        assert encoder.get_attribute("aria-expanded") == "true"
        page.keyboard.press("ArrowLeft")
        assert encoder.get_attribute("aria-expanded") == "false"
        assert tree.locator("[role=treeitem][tabindex='0']").get_attribute("data-path") == "roberta.encoder"
        # levels open, parameter shapes: the view's own settings, nothing computed
        tree.locator("select[data-hfa-control='open-levels']").select_option("0")
        assert item("").get_attribute("aria-expanded") == "false"
        tree.locator("select[data-hfa-control='open-levels']").select_option(label="7 (all)")
        assert item("roberta.encoder.layer.1.attention.self.query").is_visible()
        shapes = item("classifier.out_proj").locator(":scope > .hfa-shapes")
        assert shapes.inner_text() == "own parameters: weight (3, 32), bias (3,)"
        tree.locator("input[data-hfa-control='shapes']").uncheck()
        assert not shapes.is_visible()
        assert root(page, "modeltree").get_attribute("data-hfa-computed") is None


def test_every_recorded_combination_shows_its_rows(browser, page_url, explorers):
    page = open_live(browser, page_url)
    try:
        r = root(page, "returns")
        view = r.locator(".hfa-live-host")
        recorded = explorers["returns"].recorded_model()["recorded"]
        for rec in recorded:
            for key in ("labels", *OPTIONS):
                box = view.locator(f"input[data-hfa-control='{key}']")
                if box.is_checked() != rec["state"][key]:
                    before = computed(r)
                    box.click()
                    wait_computed(r, before)
            data = rec["data"]
            if computed(r):  # the first state is drawn from the root's model, not computed
                assert json.loads(r.get_attribute("data-hfa-state")) == rec["state"]
                assert json.loads(r.get_attribute("data-hfa-result")) == data
            drawn = view.locator(".hfa-returns")
            assert drawn.get_attribute("data-length") == str(data["length"])
            names = [i["name"] for i in data["items"]]
            assert drawn.get_attribute("data-fields") == ",".join(names)
            assert view.locator(".hfa-returns tr[data-name]").count() == len(names)
            first = view.locator(".hfa-returns tr[data-name] td").first.inner_text()
            assert first == ("out[0]" if data["as_tuple"] else f"out.{names[0]}")
            assert view.locator(".hfa-call").inner_text() == (
                f"out = model({', '.join(['**inputs', *data['arguments']])})")
        assert r.get_attribute("data-hfa-error") is None and page.errors == []
        qa = root(page, "returns", 1)
        options = qa.locator(".hfa-live-host select[data-hfa-control='positions'] option")
        assert options.all_inner_texts() == list(POSITION_CHOICES)
    finally:
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_nothing_spills_over_a_phone(browser, page_url, scheme):
    with open_device(browser, page_url, 360, dpr=2, touch=True) as page:
        page.emulate_media(color_scheme=scheme)
        qa = root(page, "returns", 1)
        for key in ("hidden", "attentions"):
            before = computed(qa)
            qa.locator(f".hfa-live-host input[data-hfa-control='{key}']").click()
            wait_computed(qa, before)
        tree = root(page, "modeltree").locator(".hfa-live-host")
        tree.locator("select[data-hfa-control='open-levels']").select_option(label="7 (all)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        found = hidden_boxes(page)  # (the token table scrolls, and says so: not hidden)
        assert found == [], found
        bg = page.evaluate("getComputedStyle(document.querySelector('.hfa-live-view'))"
                           ".backgroundColor")
        assert (bg == "rgb(22, 27, 34)") == (scheme == "dark")
        assert page.errors == []


# --------------------------------------------------------------- the kernel: the same view

#: anywidget's host, in short: render the widget's _esm over a model whose save_changes sends
#: the state to Python (window.pyState: the widget's state set in the kernel) and takes back
#: the data and status Python computed, as the kernel's comm would
KERNEL_HOST = """async ([esm, values]) => {
  const handlers = {};
  const model = {
    get: (k) => values[k],
    set: (k, v) => { values[k] = v; (handlers[`change:${k}`] ?? []).forEach((f) => f(v)); },
    save_changes: async () => {
      const back = await window.pyState(values.state);
      model.set("data", back.data);
      model.set("status", back.status);
    },
    on: (e, f) => (handlers[e] ??= []).push(f),
    off: (e, f) => { handlers[e] = (handlers[e] ?? []).filter((g) => g !== f); },
  };
  const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
  const view = (await import(url)).default;
  await view.render({ model, el: document.getElementById("host") });
}"""


def test_the_kernel_draws_the_same_view(browser, tmp_path):
    """The kernel's anywidget (LiveView._esm: views/returns.js and what it imports) draws the
    widget's data; a box the reader ticks sets the widget's state, Python calls the model
    again, and the view draws what came back."""
    ex = ReturnsExplorer(model(), batch())
    w = ex.widget
    assert all(n in w._esm for n in ("views/returns.js", "views/common.js", "views/theme.js"))

    def py_state(state):
        w.state = state
        return {"data": w.data, "status": w.status}

    (tmp_path / "kernel.html").write_text('<!doctype html><html lang="en"><body><div id="host">'
                                          "</div></body></html>", encoding="utf-8")
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    try:
        page.expose_function("pyState", py_state)
        page.goto((tmp_path / "kernel.html").as_uri())
        page.evaluate(KERNEL_HOST, [w._esm, {"config": w.config, "state": w.state,
                                             "data": w.data, "status": w.status}])
        view = page.locator("#host .hfa-live-view")
        assert view.locator(".hfa-call").inner_text() == "out = model(**inputs)"
        view.locator("input[data-hfa-control='hidden']").click()
        page.wait_for_function("() => document.querySelector('#host .hfa-returns')"
                               ".dataset.length === '2'")
        assert w.state["hidden"] is True and ex.data.fields == ["logits", "hidden_states"]
        assert view.locator(".hfa-returns tr[data-name]").all_inner_texts()[1].startswith(
            "out.hidden_states")
        assert page.errors == []
    finally:
        page.close()
