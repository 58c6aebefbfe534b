"""Keyboard and screen readers: axe-core finds nothing serious on any page of the built site.

Every chapter of the built site is opened in headless Chromium in its first state (every live
explorer ready or failed), the vendored axe-core (tests/vendor/axe-core, MPL-2.0, used by the
tests only) is injected, and ``axe.run`` must report no violation of impact "serious" or
"critical": controls without a name, text below 4.5:1 contrast, duplicate ids, scroll boxes a
keyboard cannot reach... Each page is checked in the light theme with every rule, then
switched to the dark theme in place (what the theme switch does) and checked again with the
colour rules. The first tests prove the vendored file is the pinned release and that the
check itself fails on a page made for it.

Check a built folder by hand (exit status 1 when something is found)::

    .venv/bin/python tests/test_accessibility.py _build/html
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from chapters import ROOT, toc_chapters

AXE_DIR = ROOT / "tests" / "vendor" / "axe-core"
AXE = AXE_DIR / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")

#: what fails a page
IMPACTS = ("serious", "critical")
#: the dark pass: the rules a change of theme can change the outcome of, outside the code
#: cells (their dark colours are pydata-sphinx-theme's own accessible pygments style, and
#: checking their thousands of tokens would double the pass; the light pass checks them)
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
DARK_SKIP = ["div.highlight"]

#: Violations in markup the book does not write and cannot change from its own files
#: (_config.yml, book/_static/hfanatomy.css, hfanatomy): (rule, CSS selector, why). Never
#: one of the book's own elements (.hfa-*).
THEME_EXCEPTIONS = [
    ("label-content-name-mismatch", ".search-button-field.search-button__button",
     "pydata-sphinx-theme's search button: aria-label 'Search' while the visible text also "
     "holds the Ctrl+K shortcut (theme template search-button-field.html)"),
    ("label-content-name-mismatch", ".theme-switch-button",
     "pydata-sphinx-theme's theme switch: aria-label 'Color mode' while its icons carry the "
     "titles Light / Dark / System Settings (theme template theme-switcher.html)"),
    ("label-content-name-mismatch", 'details.hide > summary[aria-label="Toggle hidden content"]',
     "myst-nb's hidden-cell toggle: the aria-label is written by myst_nb.sphinx_."
     "visit_HideCellInput, the visible text is 'Show code cell source'"),
]

#: every live explorer has drawn its first state, or says why it could not
READY = """() => [...document.querySelectorAll('[data-hfa-live]')]
    .every((r) => r.dataset.hfaReady !== undefined || r.dataset.hfaError !== undefined)"""

RUN_AXE = """async ({rules, skip, impacts, exceptions}) => {
  const options = {resultTypes: ['violations'], elementRef: true};
  if (rules) options.runOnly = {type: 'rule', values: rules};
  const {violations} = await axe.run(skip.length ? {exclude: skip.map((s) => [s])} : document,
                                     options);
  const excepted = (rule, el) => exceptions.some(([r, sel]) => r === rule && el && el.matches(sel));
  return violations.filter((v) => impacts.includes(v.impact)).map((v) => {
    const nodes = v.nodes.filter((n) => impacts.includes(n.impact) && !excepted(v.id, n.element));
    return {id: v.id, impact: v.impact, help: v.help, count: nodes.length,
            targets: nodes.slice(0, 4).map((n) => n.target.join(' ')),
            summary: (nodes[0]?.failureSummary ?? '').split('\\n').slice(0, 3).join(' ')};
  }).filter((v) => v.count > 0);
}"""

#: Subtrees that are not rendered (what a view hides: a stepper's other steps, closed
#: panels) leave the page: neither a screen reader nor the eye meets them, axe skips them
#: anyway, and walking them costs it time.
DROP_UNRENDERED = """() => document.querySelectorAll('[hidden]').forEach(
    (e) => getComputedStyle(e).display === 'none' && e.remove())"""

#: what pydata-sphinx-theme's switch does (setMode in pydata-sphinx-theme.js), minus the store;
#: then waits for the colour transitions it starts (axe would read colours half-way)
TO_DARK = """async () => {
  document.documentElement.dataset.mode = 'dark';
  document.documentElement.dataset.theme = 'dark';
  document.querySelectorAll('.dropdown-menu').forEach((m) => m.classList.add('dropdown-menu-dark'));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  await Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition)
    .map((a) => a.finished.catch(() => null)));
}"""


def page_violations(page, rules: list[str] | None = None, skip: list[str] = ()) -> list[dict]:
    """axe's serious and critical violations on ``page`` as it is now, with ``rules`` (all by
    default), outside the elements ``skip`` selects, theme exceptions left out: one dict per
    rule with id, impact, help, count, the first targets and a summary."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, {"rules": rules, "skip": list(skip), "impacts": list(IMPACTS),
                                   "exceptions": [[r, s] for r, s, _ in THEME_EXCEPTIONS]})


def describe(found: list[dict]) -> str:
    return "\n".join(f"  {v['id']} ({v['impact']}, {v['count']}x): {v['help']}\n"
                     f"      {' | '.join(v['targets'])}\n      {v['summary']}" for v in found)


def check_site(browser, base: str) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Every chapter at ``base`` (an http URL without a trailing slash) in its first state,
    light then dark: (failure messages, {page: {"theme rule": count}})."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    ctx.add_init_script("localStorage.setItem('mode','light');localStorage.setItem('theme','light')")
    ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        (base, "data:")) else route.abort())
    page = ctx.new_page()
    failures, counts = [], {}
    try:
        for chapter in toc_chapters():
            rel = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
            page.goto(f"{base}/{rel}", wait_until="load")
            page.wait_for_function(READY, timeout=30_000)
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r)))")
            page.evaluate(DROP_UNRENDERED)
            counts[rel] = {}
            for theme, rules, skip in (("light", None, ()), ("dark", COLOUR_RULES, DARK_SKIP)):
                if theme == "dark":
                    page.evaluate(TO_DARK)
                found = page_violations(page, rules, skip)
                counts[rel].update({f"{theme} {v['id']}": v["count"] for v in found})
                if found:
                    failures.append(f"{rel} ({theme}):\n{describe(found)}")
    finally:
        ctx.close()
    return failures, counts


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


def test_no_serious_violation_on_any_page(site, server, browser):
    failures, _ = check_site(browser, server)
    assert not failures, ("axe finds serious or critical violations (rule (impact, count): "
                          "help, first targets, why):\n" + "\n".join(failures))


if __name__ == "__main__":
    from playwright.sync_api import sync_playwright
    from web_pages import CHROMIUM_ARGS, http_server

    with http_server(Path(sys.argv[1])) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        problems, per_page = check_site(browser, url.rstrip("/"))
        browser.close()
    print(json.dumps(per_page, indent=1))
    print("\n".join(problems) or "no serious or critical violation")
    sys.exit(1 if problems else 0)
