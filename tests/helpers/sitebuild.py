"""Build the site from a clean output folder, as `make book` does.

The build runs in a subprocess started right after test collection (see conftest.py),
so it executes the chapters while the other tests run; the ``site`` fixture waits for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
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


class Build:
    """A ``jupyter-book build`` of ``source`` into a fresh temp folder, started at once."""

    def __init__(self, source: Path = ROOT):
        self.out = Path(tempfile.mkdtemp(prefix="hfanatomy-book-"))
        jb = Path(sys.executable).parent / "jupyter-book"
        self.log_path = self.out / "build.log"
        self._log = self.log_path.open("w")
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [str(jb), "build", str(source), "--path-output", str(self.out), *JB_FLAGS],
            stdout=self._log, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self._site: Site | None = None

    def stop(self) -> None:
        """End the build and the kernels it started, if it is still running."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def wait(self) -> Site:
        if self._site is None:
            rc = self.proc.wait()
            self._log.close()
            self._site = Site(self.out / "_build" / "html", rc, self.log_path.read_text(),
                              time.perf_counter() - self.t0)
        return self._site
