"""The accessibility check of the built site: axe-core (vendored in ``tests/vendor/axe-core``,
MPL-2.0, used by the tests only) on every chapter, light theme with every rule, then dark
with the colour rules; ``tests/site/test_accessibility.py`` runs it.

Check a built folder by hand (exit status 1 when something is found)::

    .venv/bin/python tests/helpers/accessibility.py _build/html
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from web_pages import EXPLORERS_DRAWN, site_only

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


def check_site(browser, base: str, chapters: list[Path] | None = None,
               ) -> tuple[list[str], dict[str, dict[str, int]]]:
    """Every chapter (or those of ``chapters``) at ``base`` (an http URL without a trailing
    slash) in its first state, light then dark: (failure messages, {page: {"theme rule":
    count}})."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    ctx.add_init_script("localStorage.setItem('mode','light');localStorage.setItem('theme','light')")
    site_only(ctx, base)
    page = ctx.new_page()
    failures, counts = [], {}
    try:
        for chapter in toc_chapters() if chapters is None else chapters:
            rel = chapter.relative_to(ROOT).with_suffix(".html").as_posix()
            page.goto(f"{base}/{rel}", wait_until="load")
            page.wait_for_function(EXPLORERS_DRAWN, timeout=30_000)
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
