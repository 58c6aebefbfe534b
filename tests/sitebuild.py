"""Build the site once per test session, from a clean output folder, as `make book` does."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from chapters import ROOT, toc_chapters

JB_FLAGS = ["-W", "-n", "--keep-going"]


@dataclass
class Site:
    html: Path          # the built _build/html
    returncode: int
    log: str
    seconds: float

    def page(self, chapter: Path) -> Path:
        return self.html / chapter.relative_to(ROOT).with_suffix(".html")

    def pages(self) -> list[Path]:
        return [self.page(p) for p in toc_chapters()]


def build(out: Path, source: Path = ROOT) -> Site:
    """``jupyter-book build`` of ``source`` into ``out/_build`` (which must not exist yet)."""
    jb = Path(sys.executable).parent / "jupyter-book"
    t0 = time.perf_counter()
    proc = subprocess.run([str(jb), "build", str(source), "--path-output", str(out), *JB_FLAGS],
                          check=False, capture_output=True, text=True)
    return Site(out / "_build" / "html", proc.returncode, proc.stdout + proc.stderr,
                time.perf_counter() - t0)
