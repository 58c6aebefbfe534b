"""Sphinx extension: offer every MyST-notebook chapter as a downloadable .ipynb.

sphinx-book-theme shows a ".ipynb" entry in the page's download menu when the page
context has ``ipynb_source``. Chapters are MyST Markdown (jupytext), so this writes the
notebook next to the page's source under ``_sources/`` and sets that key.
"""

from __future__ import annotations

from pathlib import Path

import jupytext


def _add_ipynb(app, pagename, templatename, context, doctree):
    if doctree is None or not app.env.metadata.get(pagename, {}).get("kernelspec"):
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md":
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = jupytext.read(source)
    nb.metadata.pop("jupytext", None)
    jupytext.write(nb, target, fmt="ipynb")
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    app.connect("html-page-context", _add_ipynb, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
