"""Every chapter in _toc.yml runs top to bottom in a fresh kernel and writes nothing to stderr.

The chapters are executed once per test run, by the site build (conftest starts it in the
background; ``tools/execute_chapters.py`` reads each MyST file as myst-nb does and runs it
in a fresh kernel in the chapter's folder, as a learner's notebook runs, two at a time, into
the execution cache the build renders from). These tests read the executed notebooks from
that cache instead of running every chapter a second time. By hand,
``tests/helpers/chapters.py`` runs chapters with jupytext and nbclient.
"""

from __future__ import annotations

import pytest

from chapters import ROOT, stderr_outputs, toc_chapters

CHAPTERS = toc_chapters()


def test_toc_lists_existing_files():
    missing = [str(p.relative_to(ROOT)) for p in CHAPTERS if not p.exists()]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def executed(site, path):
    """The notebook the site build executed for the chapter at ``path``."""
    try:
        return site.executed(path)
    except KeyError:
        pytest.fail(f"the build executed no notebook for {path.name}:\n{site.log[-3000:]}")


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_executes_cleanly(path, site):
    nb = executed(site, path)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code and all(c.get("execution_count") for c in code), (
        f"{path.name}: code cells that did not run")
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
