"""`make lab`: a double-click on a chapter in JupyterLab's file browser opens it as a notebook.

Starts JupyterLab on 127.0.0.1 the way ``make lab`` does (jupytext's contents manager, the
settings override ``tools/lab/overrides.json`` in the venv's ``overrides.d``), then drives
the file browser in headless Chromium with Playwright: the intro, a Part I and a Part II
chapter each open in a notebook panel with its code cells, not in the text editor.

Marked slow (``make test-slow``): about 40 s, most of it JupyterLab starting.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import urllib.request
from pathlib import Path

import pytest

from chapters import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
OVERRIDES = ROOT / "tools" / "lab" / "overrides.json"
# where `make lab` installs the override (LAB_OVERRIDES in the Makefile)
INSTALLED = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "hfanatomy.json"
TOKEN = "hfanatomy-test"
CHAPTERS = ["intro.md", "part1/02_tokens.md", "part2/01_task_input.md"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_double_click_opens_chapters_as_notebooks(lab, browser):
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{lab}/lab?token={TOKEN}", wait_until="domcontentloaded")
        listing = page.locator(".jp-DirListing-content")
        listing.wait_for(timeout=90_000)
        for chapter in CHAPTERS:
            *folders, name = chapter.split("/")
            page.locator(".jp-BreadCrumbs-home").click()
            for folder in folders:
                page.locator(".jp-DirListing-item", has_text=folder).first.dblclick()
                page.locator(f".jp-BreadCrumbs-item:has-text('{folder}')").wait_for()
            page.locator(".jp-DirListing-item", has_text=name).first.dblclick()
            panel = page.locator(".jp-MainAreaWidget:visible").last
            # the chapter's prose and code as cells (the notebook renders the cells in view)
            try:
                panel.locator(".jp-Notebook .jp-MarkdownCell").first.wait_for(timeout=60_000)
            except Exception:
                page.screenshot(path=str(ROOT / "_build" / "test-lab-failed.png"))
                raise
            assert panel.locator(".jp-Notebook .jp-CodeCell").count() >= 1
            assert panel.locator(".jp-FileEditor").count() == 0, f"{chapter} opened as text"
            tab = page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").last
            assert tab.inner_text() == name
        if (ROOT / "_build").is_dir():
            page.screenshot(path=str(ROOT / "_build" / "test-lab.png"))
    finally:
        page.close()


LIVE_NOTEBOOK = "_hfa_live_test.ipynb"  # made through the server's API, deleted after
LIVE_CELL = """from hfanatomy import load_classifier
from hfanatomy.explorers.tokens import TokenExplorer
_, tok = load_classifier()
TokenExplorer(tok, {"English": "The food was good.", "Korean": "정말 좋아요"})"""


def _api(lab: str, method: str, path: str, body: dict | None = None):
    import json

    req = urllib.request.Request(f"{lab}/api/contents/{path}?token={TOKEN}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    return urllib.request.urlopen(req, timeout=30)


@contextlib.contextmanager
def kernel_view(lab: str, browser, cell: str, selector: str, name: str,
                viewport: tuple[int, int] = (1400, 1000)):
    """A notebook ``name`` holding ``cell``, made through the server's API and opened in
    JupyterLab (a fresh workspace), run once the kernel is idle: yields (page, the output's
    element matching ``selector``). A screenshot is left in _build when the view never
    comes; the page closes and the notebook is deleted afterwards."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cell)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    _api(lab, "PUT", name, {"type": "notebook", "format": "json", "content": nb})
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        page.goto(f"{lab}/lab/tree/{name}?reset&token={TOKEN}", wait_until="domcontentloaded")
        page.locator(".jp-Notebook .jp-CodeCell").first.wait_for(timeout=90_000)
        # the kernel is up when the status bar says Idle; then Run > Run All Cells
        page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for(timeout=90_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        view = page.locator(f".jp-OutputArea {selector}")
        try:
            view.wait_for(timeout=120_000)
        except Exception:
            if (ROOT / "_build").is_dir():
                page.screenshot(path=str(ROOT / "_build" / f"{Path(name).stem}-failed.png"))
            raise
        yield page, view
    finally:
        page.close()
        _api(lab, "DELETE", name)


def test_live_explorer_in_a_kernel(lab, browser):
    """The same view module the site runs (web/views/tokens.js), as an anywidget in a
    JupyterLab kernel: typing recomputes the table in Python, the example picker works."""
    with kernel_view(lab, browser, LIVE_CELL, ".hfa-live-view", LIVE_NOTEBOOK) as (page, view):
        assert view.locator(".hfa-title").inner_text() == "Token table"
        assert view.locator("tr.hfa-special").count() == 2  # styled: <s> and </s>
        box = view.locator('[data-hfa-input="text"]')
        box.fill("We never enjoyed the trip.")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-OutputArea .hfa-chip')]"
            ".some((c) => c.textContent.startsWith('\\u0120never'))", timeout=30_000)
        view.locator('select[data-hfa-control="example"]').select_option(label="Korean")
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-OutputArea td[data-col=\"covers\"]')]"
                ".some((c) => c.textContent === '정말')", timeout=30_000)
        except Exception:
            page.screenshot(path=str(ROOT / "_build" / "test-lab-live-failed.png"))
            raise
        assert box.input_value() == "정말 좋아요"
        if (ROOT / "_build").is_dir():
            page.screenshot(path=str(ROOT / "_build" / "test-lab-live.png"))
