"""The reader's view: the book builds with -W from a clean folder, and every page is clean.

Checks the built HTML: no tracebacks, no stderr or error outputs, no external scripts
other than MathJax, every internal link resolves. Every page opened in headless Chromium
(no console error, no request leaving the site) is test_pages.py's page pass.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from web_pages import ALLOWED_EXTERNAL

from chapters import ROOT


def test_book_builds_without_warnings(site):
    tail = "\n".join(site.log.splitlines()[-40:])
    assert site.returncode == 0, f"jupyter-book build failed:\n{tail}"
    assert "build succeeded" in site.log


def test_every_toc_entry_has_a_page(site):
    missing = [str(p) for p in site.pages() if not p.exists()]
    assert not missing, f"no HTML page for: {missing}"


ERROR_MARKERS = [
    ("Traceback (most recent call last)", "a Python traceback"),
    ('class="output traceback', "an error output"),
    ('class="output stderr', "stderr output"),
    ("cell_output_error", "an error output"),
]


def test_no_error_output_on_any_page(site):
    problems = []
    for page in site.pages():
        text = page.read_text(encoding="utf-8")
        for marker, what in ERROR_MARKERS:
            if marker in text:
                problems.append(f"{page.name}: {what}")
    assert not problems, problems


def test_no_external_scripts(site):
    offenders = []
    for page in site.pages():
        text = page.read_text(encoding="utf-8")
        for src in re.findall(r'<script[^>]+src="([^"]+)"', text):
            if src.startswith(("http:", "https:", "//")) and not any(a in src for a in ALLOWED_EXTERNAL):
                offenders.append(f"{page.name}: {src}")
    assert not offenders, f"pages load scripts from outside the site: {offenders}"


def internal_link_problems(pages: list[Path]) -> list[str]:
    """Every ``<a href>`` of ``pages`` that stays in the site must name a file of the built
    site, and its ``#fragment`` an id of that page (tests/book/test_links.py checks the sources)."""
    import html
    from urllib.parse import unquote, urlsplit

    ids: dict[Path, set[str]] = {}

    def page_ids(path: Path) -> set[str]:
        if path not in ids:
            text = path.read_text(encoding="utf-8")
            ids[path] = set(re.findall(r'\s(?:id|name)="([^"]+)"', text))
        return ids[path]

    problems = []
    for page in pages:
        for href in re.findall(r'<a\s[^>]*?href="([^"]*)"', page.read_text(encoding="utf-8")):
            parts = urlsplit(html.unescape(href))
            if parts.scheme or parts.netloc:
                continue  # external: tests/book/test_links.py checks their form
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                problems.append(f"{page.name}: {href}: no such file")
            elif parts.fragment and target.suffix == ".html" \
                    and unquote(parts.fragment) not in page_ids(target):
                problems.append(f"{page.name}: {href}: no id {parts.fragment!r} there")
    return problems


def test_internal_links_resolve_in_the_built_site(site):
    problems = internal_link_problems(site.pages())
    assert not problems, "\n".join(problems)


def test_internal_link_check_catches_a_broken_link(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#x">b</a> <a class="r" href="#top">t</a> '
                                     '<a href="gone.html">g</a> <a href="https://e.org/">e</a>'
                                     '<h1 id="top">A</h1>')
    (tmp_path / "b.html").write_text('<p id="y"></p>')
    problems = internal_link_problems([tmp_path / "a.html"])
    assert len(problems) == 2 and "gone.html" in problems[1] and "'x'" in problems[0]


def test_a_broken_chapter_fails_the_build(tmp_path):
    """`make book` must exit non-zero when a chapter raises (a temp copy, never the book)."""
    book = tmp_path / "src"
    (book / "book").mkdir(parents=True)
    for name in ("_config.yml", "Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, book / name)  # copy2 keeps mtimes: no re-install
    shutil.copytree(ROOT / "tools", book / "tools")
    header = (ROOT / "book" / "intro.md").read_text().split("---", 2)[1]
    (book / "book" / "broken.md").write_text(
        f"---{header}---\n\n# Broken\n\n```{{code-cell}} ipython3\n1 / 0\n```\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: book/broken\n")
    # -o: never re-install into the shared venv from this temp copy (an editable install
    # would then point at a folder that is gone), even when pyproject.toml is newer
    proc = subprocess.run(["make", "-C", str(book), "-o", str(ROOT / ".venv" / ".installed"),
                           "book", f"VENV={ROOT / '.venv'}"],
                          check=False, capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0, "a chapter raising ZeroDivisionError still built:\n" + proc.stdout[-2000:]
    assert "ZeroDivisionError" in proc.stdout + proc.stderr
