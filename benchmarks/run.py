"""Benchmarks of the book's interactive parts: ``make benchmarks`` or

    .venv/bin/python benchmarks/run.py [--only KIND ...]

Runs every live explorer's benchmark (``benchmarks/live_<kind>.py``: one update in the
kernel, Python's compute through the LiveView path, and in headless Chromium, the page's
compute and redraw; page size and time to ready), then ``benchmarks/live_site.py`` on the
built site when ``_build/html`` exists (ready time and update time of every explorer on
every page). Each writes ``benchmarks/results/<name>.json``; this collects the medians into
``benchmarks/results/latest.json`` and prints a table. Not a test: the figures depend on
the machine's load, which each result records.

The browser runtime's own benchmarks (forward pass, QA decoding) are
``benchmarks/browser_runtime.py`` and ``benchmarks/browser_qa.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
RESULTS = HERE / "results"


def kinds() -> list[str]:
    return sorted(p.stem.removeprefix("live_") for p in HERE.glob("live_*.py")
                  if p.stem not in ("live_update", "live_site"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=None, help="kinds to run (default: all)")
    args = ap.parse_args(argv)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    summary = {"date": time.strftime("%Y-%m-%d %H:%M"), "load_average_start": os.getloadavg(),
               "explorers": {}}
    for kind in args.only or kinds():
        print(f"== {kind}", flush=True)
        subprocess.run([sys.executable, str(HERE / f"live_{kind}.py")], check=True, env=env)
        result = json.loads((RESULTS / f"live_{kind}.json").read_text())
        summary["explorers"][kind] = result
    if (ROOT / "_build" / "html").is_dir() and not args.only:
        print("== the built site", flush=True)
        subprocess.run([sys.executable, str(HERE / "live_site.py")], check=True, env=env)
        summary["site"] = json.loads((RESULTS / "live_site.json").read_text())
    summary["load_average_end"] = os.getloadavg()
    (RESULTS / "latest.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(f"wrote {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
