"""Keyboard and screen readers: axe-core finds nothing serious on any page of the built site.

Every chapter of the built site is opened in headless Chromium in its first state (every live
explorer ready or failed), the vendored axe-core (tests/vendor/axe-core, MPL-2.0, used by the
tests only) is injected, and ``axe.run`` must report no violation of impact "serious" or
"critical": controls without a name, text below 4.5:1 contrast, duplicate ids, scroll boxes a
keyboard cannot reach... Each page is checked in the light theme with every rule, then
switched to the dark theme in place (what the theme switch does) and checked again with the
colour rules. The first tests prove the vendored file is the pinned release and that the
check itself fails on a page made for it. The harness is ``tests/helpers/accessibility.py``,
which also checks a built folder by hand.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from accessibility import AXE, AXE_DIR, CHROMIUM, THEME_EXCEPTIONS, check_site, page_violations

from chapters import ROOT, toc_chapters

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is absent (apt install chromium)")


def test_vendored_axe_is_the_pinned_release():
    vendor = json.loads((AXE_DIR / "VENDOR.json").read_text(encoding="utf-8"))
    assert vendor["package"] == "axe-core" and vendor["license"] == "MPL-2.0"
    for name, digest in vendor["sha256"].items():
        assert hashlib.sha256((AXE_DIR / name).read_bytes()).hexdigest() == digest, name
    assert set(vendor["sha256"]) == {"axe.min.js", "LICENSE"}
    assert AXE.read_text(encoding="utf-8").startswith(f"/*! axe v{vendor['version']}")
    assert "Mozilla Public License" in (AXE_DIR / "LICENSE").read_text(encoding="utf-8")
    assert f"VERSION={vendor['version']}" in (ROOT / "tools" / "refresh_axe.sh").read_text()


LONG = "<p>" + "a long text that scrolls " * 20 + "</p>"


def test_the_check_finds_violations(browser, tmp_path):
    """An unlabelled input, grey text on white and a scroll box with no way in fail; the same
    page done right passes; a theme exception covers its own rule only."""
    wrong = ('<input type="text"><p style="color:#aaa;background:#fff">faint text</p>'
             f'<div class="hfa-scroll" style="width:100px;height:40px;overflow:auto">{LONG}</div>'
             '<button class="search-button-field search-button__button"></button>')
    right = ('<label>name <input type="text"></label><p style="color:#1f2328">plain text</p>'
             '<div tabindex="0" role="group" aria-label="text" style="width:100px;height:40px;'
             f'overflow:auto">{LONG}</div><button>go</button>')
    page = browser.new_page()
    found = {}
    for name, body in (("wrong", wrong), ("right", right)):
        path = tmp_path / f"{name}.html"
        path.write_text(f'<!doctype html><html lang="en"><head><title>{name}</title></head><body>'
                        f"<main><h1>{name}</h1>{body}</main></body></html>", encoding="utf-8")
        page.goto(path.as_uri())
        found[name] = {v["id"]: v for v in page_violations(page)}
    page.close()
    assert not [sel for _, sel, _ in THEME_EXCEPTIONS if "hfa" in sel]  # never the book's own
    assert {"label", "color-contrast", "scrollable-region-focusable",
            "button-name"} <= set(found["wrong"]), found["wrong"]
    assert found["wrong"]["label"]["impact"] == "critical"
    assert found["wrong"]["label"]["targets"] == ["input"]
    assert not found["right"], found["right"]


#: the book in two halves, so that the two test workers can share the pass
_TOC = toc_chapters()
HALVES = {"first-half": _TOC[: len(_TOC) // 2], "second-half": _TOC[len(_TOC) // 2:]}


@pytest.mark.parametrize("half", HALVES)
def test_no_serious_violation_on_any_page(half, site, server, browser):
    failures, counts = check_site(browser, server, HALVES[half])
    assert len(counts) == len(HALVES[half]) >= 8  # every page of its half was checked
    assert not failures, ("axe finds serious or critical violations (rule (impact, count): "
                          "help, first targets, why):\n" + "\n".join(failures))
