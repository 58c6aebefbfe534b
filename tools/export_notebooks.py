"""Export every chapter in _toc.yml to .ipynb (for Colab and VS Code users).

    .venv/bin/python tools/export_notebooks.py _build/notebooks

The .md chapters stay the source of truth; the exported notebooks have no outputs.
"""

import sys
from pathlib import Path

from book_ext import write_ipynb  # tools/ is on the path when this script runs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "helpers"))
from chapters import ROOT, toc_chapters  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/notebooks")
for md in toc_chapters():
    target = out / md.relative_to(ROOT / "book").with_suffix(".ipynb") if md.is_relative_to(ROOT / "book") \
        else out / md.with_suffix(".ipynb").name
    write_ipynb(md, target)
    print(target)
