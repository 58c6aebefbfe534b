"""Execute chapters the way CI does: jupytext reads the MyST file, nbclient runs it.

Used by ``tests/book/test_chapters.py`` and handy by hand::

    .venv/bin/python tests/helpers/chapters.py book/part1/02_tokens.md

prints each cell's stderr (which the tests forbid) and exits non-zero on error.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
# the build's own list of chapters and its reader (myst-nb's), shared with the tests
from execute_chapters import chapters as _toc_files  # noqa: E402
from execute_chapters import read as read_chapter  # noqa: E402, F401 - for sitebuild


def toc_chapters() -> list[Path]:
    """Every file listed in ``_toc.yml`` (root, chapters and sections), in order: the list
    ``tools/execute_chapters.py`` executes for the build."""
    return _toc_files()


def execute(path: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Run the chapter at ``path`` top to bottom in a fresh kernel; return the notebook."""
    nb = jupytext.read(path)
    env_cwd = str(path.parent)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": env_cwd}})
    client.execute()
    return nb


def stderr_outputs(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, text) of every stream output written to stderr."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append((i, out.get("text", "")))
    return found


if __name__ == "__main__":
    status = 0
    for arg in sys.argv[1:] or [str(p) for p in toc_chapters()]:
        t0 = time.perf_counter()
        try:
            nb = execute(Path(arg).resolve())
        except Exception as exc:  # noqa: BLE001 - report and go on
            print(f"FAIL {arg}: {type(exc).__name__}: {str(exc)[-2000:]}")
            status = 1
            continue
        errs = stderr_outputs(nb)
        for i, text in errs:
            print(f"STDERR {arg} cell {i}: {text[:500]}")
        status |= bool(errs)
        print(f"ok   {arg} ({time.perf_counter() - t0:.1f} s)" if not errs else f"FAIL {arg}")
    os._exit(status)
