"""Build one chapter alone, with the book's own _config.yml, for a quick look.

    .venv/bin/python tools/preview.py book/part1/02_tokens.md [--out /tmp/preview]

Prints the path of the built HTML page. The full book is built by `make book`.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ap = argparse.ArgumentParser()
ap.add_argument("chapter")
ap.add_argument("--out", default=None)
args = ap.parse_args()
chapter = Path(args.chapter).resolve().relative_to(ROOT)
stem = chapter.with_suffix("")
work = Path(args.out or f"/tmp/preview_{stem.name}")
work.mkdir(parents=True, exist_ok=True)
shutil.copy(ROOT / "_config.yml", work / "_config.yml")
(work / "_toc.yml").write_text(f"format: jb-book\nroot: {stem}\n")
for name in ("book", "tools"):  # chapters, and the local Sphinx extension in tools/
    link = work / name
    if not link.exists():
        link.symlink_to(ROOT / name)
cmd = [str(ROOT / ".venv/bin/jupyter-book"), "build", str(work), "--path-output", str(work)]
rc = subprocess.call(cmd)
page = work / "_build/html" / (str(stem) + ".html")
print(page if page.exists() else "no page built")
sys.exit(rc)
