"""General English for the tokenizers' corpus: the running Python's standard library
docstrings, in a fixed order.
"""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

# ---------------------------------------------------------------------------
# general English for the tokenizer corpus
# ---------------------------------------------------------------------------
STDLIB_SKIP = {"test", "tests", "idlelib", "site-packages", "lib2to3", "turtledemo", "ensurepip",
               "pydoc_data", "config-3.11-x86_64-linux-gnu", "__pycache__", "encodings"}


def stdlib_docstrings(max_chars: int = 3_000_000) -> list[str]:
    """Docstrings of the running Python's standard library, in a fixed order.

    Ordinary English (plus some code words) so that the tokenizers do not split
    everyday words absurdly. Depends only on the Python version.
    """
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        p for p in root.rglob("*.py")
        if not (set(p.relative_to(root).parts[:-1]) & STDLIB_SKIP)
    )
    out: list[str] = []
    total = 0
    for path in files:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc and len(doc) > 40:
                    for para in doc.split("\n\n"):
                        para = " ".join(para.split())
                        if len(para) > 40 and sum(c.isalpha() for c in para) > 0.7 * len(para):
                            out.append(para)
                            total += len(para)
            if total >= max_chars:
                return out
    return out


