"""Every chapter in _toc.yml runs top to bottom in a fresh kernel and writes nothing to stderr.

This is the learner's view: the .md chapter opened as a notebook and run. (nbmake cannot
run MyST .md notebooks, so jupytext reads them and nbclient executes them.)
"""

from __future__ import annotations

import pytest

from chapters import ROOT, execute, stderr_outputs, toc_chapters

CHAPTERS = toc_chapters()


def test_toc_lists_existing_files():
    missing = [str(p.relative_to(ROOT)) for p in CHAPTERS if not p.exists()]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_executes_cleanly(path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    nb = execute(path)
    errors = [
        (i, out.get("ename"))
        for i, cell in enumerate(nb.cells)
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors, f"cells with error outputs: {errors}"
    noisy = stderr_outputs(nb)
    assert not noisy, "cells wrote to stderr (warnings, progress bars, logs):\n" + "\n".join(
        f"cell {i}: {text[:300]}" for i, text in noisy
    )
