"""The book's own Sphinx extension (loaded through ``local_extensions`` in _config.yml).

* Offers every MyST-notebook chapter as a downloadable ``.ipynb``: sphinx-book-theme
  shows a ".ipynb" entry in the page's download menu when the page context has
  ``ipynb_source``; chapters are MyST Markdown (jupytext), so this writes the notebook
  next to the page's source under ``_sources/`` and sets that key.
* Every exported notebook (download button, ``make notebooks``, Colab and Binder) starts
  with one set-up cell: when the package is missing it installs the release
  (``hfanatomy==<version>`` from PyPI) or, when there is none yet, the repository's branch
  that ``_config.yml`` names (``git+<repository.url>@<repository.branch>``), says which,
  and then says in one sentence how to fix a transformers other than the checked one
  (``hfanatomy.versions.check``). The chapters themselves do not carry it: in the
  repository (``make lab``, the tests, the site build) the package is installed.
* Points the launch buttons (Colab, Binder) at those exported notebooks: the publish
  workflow (.github/workflows/book.yml) commits them next to the chapters on the branch
  that ``repository.branch`` names, so a ``.md`` page launches its ``.ipynb``. This runs
  after sphinx-book-theme's own handler (priority 501), which would otherwise also put the
  executed notebook, without the set-up cell, in ``_sources/``.
* Makes the live explorers run on the site: writes the browser runtime and the embedded
  models' weights (``hfanatomy.web.write_assets``) to ``_static/hfa/``, and gives only the
  pages that hold a live explorer (``data-hfa-live``) the script tags that load them:
  the runtime, and the weights of the models their explorers need (``data-hfa-needs``).
* Drops repeated ``<script>`` entries: with jupyter-book 1.0.4, sphinx-thebe's set-up can
  run twice, which declares ``const THEBE_JS_URL`` twice and logs a console error on
  every page. Drops the kernel's widget state (myst-nb embeds what nbclient stored): the
  site never loads a widget manager, and its live explorers carry their own model.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat

#: tag of the set-up cell that write_ipynb puts first in every exported notebook
SETUP_TAG = "hfanatomy-setup"


def book_repository() -> tuple[str, str]:
    """``(url, branch)`` of the repository the launch buttons open (``_config.yml``)."""
    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "_config.yml").read_text())
    return config["repository"]["url"].removesuffix("/").removesuffix(".git"), \
        config["repository"]["branch"]


def install_sources(version: str | None = None, repository: tuple[str, str] | None = None
                    ) -> list[str]:
    """What the set-up cell asks pip for, in order: the release, then the repository's branch."""
    if version is None:
        from hfanatomy import __version__ as version
    url, branch = repository or book_repository()
    return [f"hfanatomy=={version}", f"git+{url}@{branch}"]


def setup_source(version: str | None = None, repository: tuple[str, str] | None = None) -> str:
    """The first cell of an exported notebook: install hfanatomy if missing, check versions.

    It tries the release on PyPI first and, until there is one, the branch of the
    repository that ``_config.yml`` names (what the launch buttons open), and prints which
    one it installed. ``version`` and ``repository`` (url, branch) default to the package's
    version and ``_config.yml``."""
    release, branch = install_sources(version, repository)
    return (
        "# Set-up: the book's package (it brings torch and transformers). From a clone of the\n"
        "# repository instead: `pip install -e /path/to/hfanatomy`, or `make lab` there.\n"
        "try:\n"
        "    import hfanatomy\n"
        "except ImportError:  # the release on PyPI; until there is one, the book's repository\n"
        "    import importlib, subprocess, sys\n"
        f"    for _source in [\"{release}\",\n"
        f"                    \"{branch}\"]:\n"
        "        _pip = subprocess.run([sys.executable, \"-m\", \"pip\", \"install\", \"--quiet\", _source],\n"
        "                              capture_output=True, text=True)\n"
        "        print(\"pip install\", _source, \"->\", \"done\" if _pip.returncode == 0 else \"failed\")\n"
        "        if _pip.returncode == 0:\n"
        "            break\n"
        "    else:\n"
        "        raise RuntimeError(\"could not install hfanatomy:\\n\" + _pip.stderr[-3000:])\n"
        "    importlib.invalidate_caches()\n"
        "    import hfanatomy\n"
        "from hfanatomy import versions\n"
        "versions.check()  # says how to fix a transformers other than the one the book checked"
    )


def write_ipynb(source: Path, target: Path) -> None:
    """Write the MyST chapter ``source`` as a plain notebook (no outputs) at ``target``,
    with the set-up cell first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = jupytext.read(source)
    nb.metadata.pop("jupytext", None)
    nb.cells.insert(0, nbformat.v4.new_code_cell(setup_source(), metadata={"tags": [SETUP_TAG]}))
    jupytext.write(nb, target, fmt="ipynb")


def launch_to_ipynb(header_buttons: list, pagename: str) -> int:
    """Make the launch buttons of page ``pagename`` open its ``.ipynb``; return how many."""
    changed = 0
    for group in header_buttons:
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            url = button.get("url", "")
            if url.endswith(f"{pagename}.md"):
                # path_to_book "." makes the theme write "..././book/..."; GitHub wants "/book/"
                button["url"] = url.removesuffix(".md").replace("/./", "/") + ".ipynb"
                changed += 1
    return changed


def _add_ipynb(app, pagename, templatename, context, doctree):
    if doctree is None or not app.env.metadata.get(pagename, {}).get("kernelspec"):
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md":
        return
    write_ipynb(source, Path(app.outdir) / "_sources" / f"{pagename}.ipynb")
    context["ipynb_source"] = f"{pagename}.ipynb"
    launch_to_ipynb(context.get("header_buttons", []), pagename)


def _script_key(js) -> tuple:
    attributes = getattr(js, "attributes", {}) or {}
    return (getattr(js, "filename", str(js)) or "",  # None and "" both mean an inline body
            tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        if (getattr(js, "attributes", {}) or {}).get("type") == WIDGET_STATE:
            continue
        key = _script_key(js)
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

#: where the runtime and the weights go in the built site
ASSETS = "_static/hfa"

_NEEDS = re.compile(r'data-hfa-needs="(\w+)"')


def live_scripts(body: str) -> list[str]:
    """The asset files a page body with live explorers needs, in load order (none without)."""
    if "data-hfa-live=" not in body:
        return []
    models = sorted(set(_NEEDS.findall(body)))
    return [f"{ASSETS}/hfa-runtime.js", *(f"{ASSETS}/hfa-{m}.js" for m in models)]


def _write_assets(app):
    from hfanatomy.web import write_assets

    if app.builder.format == "html":
        write_assets(Path(app.outdir) / ASSETS)


def _add_live_scripts(app, pagename, templatename, context, doctree):
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    needed = live_scripts(context.get("body", ""))
    if scripts is None or not needed:
        return
    # a new list: the context's list is the builder's, shared by every page
    context["script_files"] = [*scripts, *(_JavaScript(f, defer="defer", priority=800)
                                           for f in needed)]


def setup(app):
    app.connect("builder-inited", _write_assets)
    app.connect("html-page-context", _add_live_scripts, priority=600)
    app.connect("html-page-context", _add_ipynb, priority=502)  # after the theme's launch buttons
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
