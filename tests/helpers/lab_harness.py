"""JupyterLab as ``make lab`` starts it, for the kernel tests: where the settings override
goes, the token, a free port (the ``lab`` fixture of ``tests/conftest.py`` starts the
server), and :func:`kernel_view`, which runs a cell in a fresh notebook and yields its output.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import urllib.request
from pathlib import Path

from chapters import ROOT

CHROMIUM = "/usr/bin/chromium"
OVERRIDES = ROOT / "tools" / "lab" / "overrides.json"
# where `make lab` installs the override (LAB_OVERRIDES in the Makefile)
INSTALLED = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "hfanatomy.json"
TOKEN = "hfanatomy-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
