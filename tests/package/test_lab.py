"""`make lab`: a double-click on a chapter in JupyterLab's file browser opens it as a notebook.

Starts JupyterLab on 127.0.0.1 the way ``make lab`` does (jupytext's contents manager, the
settings override ``tools/lab/overrides.json`` in the venv's ``overrides.d``), then drives
the file browser in headless Chromium with Playwright: the intro, a Part I and a Part II
chapter each open in a notebook panel with its code cells, not in the text editor.

Marked slow (``make test-slow``): about 40 s, most of it JupyterLab starting. The server is
the ``lab`` fixture of ``tests/conftest.py``; ``tests/helpers/lab_harness.py`` holds what it
and :func:`kernel_view` share.
"""

from __future__ import annotations

import pytest
from lab_harness import TOKEN, kernel_view

from chapters import ROOT

pytestmark = pytest.mark.slow

CHAPTERS = ["intro.md", "part1/02_tokens.md", "part2/01_task_input.md"]


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
            # the pieces' "covers" cells spell the Korean text (however the BPE splits it:
            # the embedded tokenizer reads 정말 as two pieces, 정 and 말)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-OutputArea td[data-col=\"covers\"]')]"
                ".map((c) => c.textContent).join('') === '정말좋아요'", timeout=30_000)
        except Exception:
            page.screenshot(path=str(ROOT / "_build" / "test-lab-live-failed.png"))
            raise
        assert box.input_value() == "정말 좋아요"
        if (ROOT / "_build").is_dir():
            page.screenshot(path=str(ROOT / "_build" / "test-lab-live.png"))
