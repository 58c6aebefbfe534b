"""Build the site from a clean output folder, as `make book` does.

The build runs in a subprocess started right after test collection (see conftest.py),
so it executes the chapters while the other tests run; the ``site`` fixture waits for it.
As in `make book`, ``tools/execute_chapters.py`` first runs the chapters two at a time into
jupyter-book's execution cache, and ``jupyter-book build`` then renders them from it;
:meth:`Site.executed` reads a chapter's executed notebook from that cache.
Under pytest-xdist (``make test`` runs two workers) the first worker starts it into a folder
named after the test run, and the others wait for the ``returncode`` file it writes there
(:class:`SharedBuild`): one build serves every worker.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from chapters import ROOT, read_chapter, toc_chapters

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

    def executed(self, chapter: Path):
        """The executed notebook of ``chapter`` from the build's execution cache (myst-nb's
        ``jupyter_execute`` copy holds no outputs for a chapter it found in the cache);
        ``KeyError`` when the cache holds none (the chapter failed)."""
        from jupyter_cache import get_cache

        cache = get_cache(str(self.html.parent / ".jupyter_cache"))
        return cache.merge_match_into_notebook(read_chapter(chapter))[1]


def shared_folder(run_id: str) -> Path:
    """Where the build of test run ``run_id`` goes when test processes share it."""
    return Path(tempfile.gettempdir()) / f"hfanatomy-book-{run_id}"


class Build:
    """A ``jupyter-book build`` of ``source`` into ``out`` (default: a fresh temp folder),
    started at once. When it ends, a thread writes ``returncode`` (the exit status and the
    seconds it took) beside its log, for :class:`SharedBuild`."""

    def __init__(self, source: Path = ROOT, out: Path | None = None):
        if out is None:
            out = Path(tempfile.mkdtemp(prefix="hfanatomy-book-"))
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        jb = Path(sys.executable).parent / "jupyter-book"
        execute = [sys.executable, str(ROOT / "tools" / "execute_chapters.py"),
                   "--path-output", str(self.out), "--jobs", "2"]
        build = [str(jb), "build", str(source), "--path-output", str(self.out), *JB_FLAGS]
        self.log_path = self.out / "build.log"
        self._log = self.log_path.open("w")
        self.t0 = time.perf_counter()
        # the build's exit status is jupyter-book's: a chapter that failed in the first step
        # is run again by the build, which reports it
        self.proc = subprocess.Popen(
            ["/bin/sh", "-c", f"{shlex.join(execute)}; exec {shlex.join(build)}"],
            cwd=source, stdout=self._log, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self._site: Site | None = None
        threading.Thread(target=self._mark_done, daemon=True).start()

    def _mark_done(self) -> None:
        rc = self.proc.wait()
        tmp = self.out / "returncode.tmp"
        tmp.write_text(f"{rc} {time.perf_counter() - self.t0:.1f}")
        tmp.rename(self.out / "returncode")  # whole, or not there at all

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


class SharedBuild:
    """The build another test process started into ``out``: :meth:`wait` waits for its
    ``returncode`` file (at most ``timeout`` seconds)."""

    def __init__(self, out: Path, timeout: float = 1800):
        self.out, self.timeout = Path(out), timeout
        self._site: Site | None = None

    def stop(self) -> None:
        """The process that started the build ends it."""

    def wait(self) -> Site:
        if self._site is None:
            done = self.out / "returncode"
            t0 = time.monotonic()
            while not done.exists():
                if time.monotonic() - t0 > self.timeout:
                    raise TimeoutError(f"no build finished in {self.out} in {self.timeout:.0f} s")
                time.sleep(0.5)
            rc, seconds = done.read_text().split()
            self._site = Site(self.out / "_build" / "html", int(rc),
                              (self.out / "build.log").read_text(), float(seconds))
        return self._site
