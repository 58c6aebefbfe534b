"""On a touch screen a tap shows what hovering shows: the exact numbers of a token chip or a
bar, in the view's readout line (web/views/readout.js)."""

from __future__ import annotations

import pytest
from live import served

import hfanatomy
from hfanatomy.explorers.logits import LogitsExplorer
from hfanatomy.explorers.qa_logits import QALogitsExplorer

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def explorers():
    clf, clf_tok = hfanatomy.load_classifier()
    qa, qa_tok = hfanatomy.load_qa()
    return [LogitsExplorer(clf, clf_tok, ["I loved this movie.", "The soup was not good."]),
            QALogitsExplorer(qa, qa_tok, [("Who employs Mina?",
                                           "Mina lives in Busan. Mina works at Harbor Labs.")])]


def test_a_tap_reads_a_chip_and_a_bar(explorers, browser, tmp_path):
    with served(tmp_path, "http", *explorers) as (url, _):
        ctx = browser.new_context(viewport={"width": 360, "height": 800}, has_touch=True,
                                  is_mobile=True)
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_function("""() => [...document.querySelectorAll('[data-hfa-live]')]
            .every((r) => r.dataset.hfaReady)""", timeout=30_000)
        qa = page.locator('[data-hfa-live="qa_logits"] .hfa-live-host')
        readout = qa.locator("[data-hfa-readout]")
        assert readout.inner_text().startswith("Tap (or hover)")
        chip = qa.locator(".hfa-chip", has_text="harbor").first
        chip.tap()
        title = chip.get_attribute("title")
        assert title.startswith("#") and readout.inner_text() == title.replace("\n", " · ")
        logits = page.locator('[data-hfa-live="logits"] .hfa-live-host')
        bar = logits.locator('rect[data-kind="probability"]').first
        bar.tap()
        assert logits.locator("[data-hfa-readout]").inner_text() == \
            bar.locator("title").text_content()
        ctx.close()
