"""Execute the book's chapters in parallel into jupyter-book's execution cache.

    python tools/execute_chapters.py [--path-output DIR] [--jobs N]

``jupyter-book build`` (``execute_notebooks: cache``) runs each chapter that has no cached
outputs itself, one after another. This script runs the chapters of ``_toc.yml`` that are not
cached yet in ``N`` fresh kernels at a time (default: the number of cores), exactly as the
build would run them (myst-nb's reader, jupyter-cache's ``single_nb_execution`` in the
chapter's folder), and caches each executed notebook in ``DIR/_build/.jupyter_cache``, the
cache the build reads. The build that follows finds every chapter cached and only renders.

A chapter that fails is not cached: the build then runs it itself and reports the error as
it always does (``make book`` fails with the traceback). Each kernel gets one torch thread
(``OMP_NUM_THREADS=1``) so that parallel kernels do not fight over the cores.

``make book`` and the tests' site build (``tests/helpers/sitebuild.py``) run it first.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600  # _config.yml's execute.timeout


def chapters() -> list[Path]:
    """Every file listed in ``_toc.yml`` (root, chapters and their sections), in order."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            files.append(ch["file"])
            files.extend(s["file"] for s in ch.get("sections", []))
    return [ROOT / f"{f}.md" for f in files]


@functools.cache
def _md_config():
    """The MyST parser configuration jupyter-book gives myst-nb for this book."""
    from jupyter_book.config import get_final_config
    from myst_parser.config.main import MdParserConfig

    sphinx_config, _ = get_final_config(user_yaml=ROOT / "_config.yml", sourcedir=ROOT,
                                        cli_config={"latex_individualpages": False})
    return MdParserConfig(enable_extensions=set(sphinx_config.get("myst_enable_extensions", ())))


def read(path: Path):
    """The chapter as myst-nb reads it for the build: the notebook whose code cells (sources
    and metadata) and kernelspec jupyter-cache hashes."""
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), config=_md_config(),
                                       add_source_map=True, path=str(path))


def execute(path: Path) -> tuple[Path, dict | None, float, str]:
    """Run one chapter in a fresh kernel in its folder: (path, executed notebook as a dict or
    None when it failed, seconds, the error)."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = read(path)
    result = single_nb_execution(nb, cwd=str(path.parent), allow_errors=False,
                                 timeout=TIMEOUT, meta_override=True)
    if result.err is not None:
        return path, None, result.time, f"{type(result.err).__name__}: {result.err}"
    return path, nb, result.time, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path-output", type=Path, default=ROOT,
                        help="jupyter-book's --path-output (the cache is DIR/_build/.jupyter_cache)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    os.environ["OMP_NUM_THREADS"] = "1"  # inherited by every kernel
    cache = get_cache(str(args.path_output / "_build" / ".jupyter_cache"))
    todo = []
    for path in chapters():
        try:
            cache.match_cache_notebook(read(path))
        except KeyError:
            todo.append(path)
    t0 = time.perf_counter()
    failed = 0
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for path, nb, seconds, error in pool.map(execute, todo):
            name = path.relative_to(ROOT)
            if nb is None:
                failed += 1
                print(f"{name}: failed after {seconds:.1f} s ({error.splitlines()[0]}); "
                      "the build will run it and show why", flush=True)
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nbformat.from_dict(nb), str(path),
                              data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)
            print(f"{name}: executed in {seconds:.1f} s", flush=True)
    print(f"{len(todo) - failed} of {len(todo)} chapters executed and cached "
          f"({len(chapters()) - len(todo)} already cached) in {time.perf_counter() - t0:.1f} s "
          f"with {args.jobs} kernels at a time", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
