"""While the page's weights script is still downloading, a live explorer says so, and what
the reader types then is computed once the weights are in (never an error)."""

from __future__ import annotations

import pytest
from live import computed, served, wait_computed

import hfanatomy
from hfanatomy.explorers.logits import LogitsExplorer

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def explorer():
    model, tok = hfanatomy.load_classifier()
    return LogitsExplorer(model, tok, ["I loved this movie.", "The soup was not good."])


def test_a_loading_line_until_the_weights_arrive(explorer, browser, tmp_path):
    with served(tmp_path, "http", explorer) as (url, _):
        page = browser.new_page()
        held = []
        page.route("**/hfa-classifier.js*", lambda route: held.append(route))
        page.goto(url, wait_until="commit")  # the deferred weights script holds DOMContentLoaded
        page.wait_for_selector("[data-hfa-live][data-hfa-ready][data-hfa-loading]")
        r = page.locator("[data-hfa-live]").first
        status = r.locator(".hfa-live-host .hfa-status")
        assert "loading the book's classifier" in status.inner_text()
        assert "hfa-stale" not in r.locator(".hfa-live-view").get_attribute("class")
        # typed while loading: the line stays, no error, and the text waits for the weights
        before = computed(r)
        r.locator('.hfa-live-host [data-hfa-input="text"]').fill("Terrible service.")
        page.wait_for_timeout(400)
        assert computed(r) == before and r.get_attribute("data-hfa-error") is None
        assert "loading the book's classifier" in status.inner_text()
        assert held, "the weights script was never requested"
        held[0].continue_()
        data = wait_computed(r, before)
        want = explorer.compute({"text": "Terrible service.", "temperature": 1.0})
        assert data["logits"] == pytest.approx(want["logits"], rel=1e-4, abs=1e-5)
        assert r.get_attribute("data-hfa-loading") is None
        assert "loading" not in status.inner_text()
        page.close()
