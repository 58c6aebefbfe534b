"""The import rules of ARCHITECTURE.md, for the Python package and the JavaScript modules.

Python imports are read with ``ast`` (every ``import`` and ``from ... import``, also inside
functions); JavaScript imports with a regular expression over ``import ... from "..."``.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "src" / "hfanatomy"
WEB = PKG / "web"

#: top-level modules that are not data
NOT_DATA = {"html", "display", "__init__"}

def module_name(path: Path) -> str:
    rel = path.relative_to(PKG).with_suffix("")
    return ".".join(rel.parts)


def project_imports(path: Path) -> set[str]:
    """The hfanatomy modules ``path`` imports, without the ``hfanatomy.`` prefix; ``from
    hfanatomy import html`` counts as ``html``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = here[: len(here) - node.level]
                mod = ".".join(["hfanatomy", *base] + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names = [mod] + [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name == "hfanatomy" or not name.startswith("hfanatomy."):
                continue
            found.add(name.removeprefix("hfanatomy."))
    return found


def layer(name: str) -> str:
    """The layer of a module name (``losses``, ``plots.qa``, ``explorers.live``...)."""
    head = name.split(".")[0]
    if head in ("plots", "explorers", "web", "exercises", "train", "embedded"):
        return head
    if head in ("html",):
        return "drawing"
    if head in ("display",):
        return "glue"
    return "data"


def is_module(name: str) -> bool:
    """``name`` is a module of the package (``from hfanatomy.losses import qa_loss`` also
    yields ``losses.qa_loss``, a name inside a module: not a module)."""
    parts = name.split(".")
    return (PKG.joinpath(*parts).with_suffix(".py").is_file()
            or (PKG.joinpath(*parts) / "__init__.py").is_file())


def imports_by_module() -> dict[str, set[str]]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        out[module_name(path)] = {n for n in project_imports(path) if is_module(n)}
    return out


ALLOWED = {
    "data": {"data"},
    "drawing": {"data", "drawing"},
    "plots": {"data", "drawing", "plots"},
    "web": {"data", "web"},
    "explorers": {"data", "drawing", "web", "explorers"},
    "exercises": {"data", "exercises"},
    "train": {"data", "train"},
    "glue": {"data", "drawing", "plots", "web", "explorers", "glue"},
}


def test_each_layer_imports_only_what_it_may():
    wrong = []
    for mod, deps in imports_by_module().items():
        if mod.split(".")[-1] == "__init__" and "." not in mod:
            continue  # the package's lazy attributes (models, display)
        mine = layer(mod)
        if mine not in ALLOWED:
            continue
        for dep in deps:
            if layer(dep) not in ALLOWED[mine]:
                wrong.append(f"{mod} ({mine}) imports {dep} ({layer(dep)})")
    assert wrong == []


def test_explorers_do_not_import_each_other():
    shared = {"explorers.live", "explorers.base", "explorers", "explorers.__init__"}
    found = set()
    for mod, deps in imports_by_module().items():
        if not mod.startswith("explorers."):
            continue
        for dep in deps:
            if dep.startswith("explorers.") and dep not in shared and dep != mod:
                found.add((mod, dep))
    assert found == set(), sorted(found)


def test_nothing_outside_train_imports_train():
    for mod, deps in imports_by_module().items():
        if not mod.startswith("train"):
            assert not any(d.startswith("train") for d in deps), mod


def test_the_rules_see_real_imports():
    """The reader of imports finds what a module plainly imports (so the rules can fail)."""
    deps = imports_by_module()
    assert "explorers.live" in deps["explorers.layer_steps"]
    assert "layer_steps" in deps["explorers.layer_steps"]
    assert "html" in deps["explorers.live"]  # from hfanatomy import html as H
    assert layer("losses") == "data" and layer("explorers.qa_loss") == "explorers"


# ----------------------------------------------------------------------------- JavaScript
JS_IMPORT = re.compile(r'^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"', re.M)


def js_imports(path: Path) -> set[Path]:
    return {(path.parent / spec).resolve() for spec in JS_IMPORT.findall(path.read_text())}


def js_group(path: Path) -> str:
    rel = path.resolve().relative_to(WEB.resolve())
    if rel.parts[0] in ("compute", "views", "vendor", "rules"):
        return rel.parts[0]
    return "page" if rel.name == "page.js" else "runtime"


JS_ALLOWED = {
    "rules": set(),  # small shared rules: import nothing, imported by anyone
    "runtime": {"runtime", "vendor", "rules"},
    "compute": {"runtime", "compute", "rules"},
    "views": {"views", "rules"},
    "page": {"runtime", "compute", "views"},
}


@pytest.mark.parametrize("group", sorted(JS_ALLOWED))
def test_js_modules_import_only_what_they_may(group):
    files = [p for p in WEB.rglob("*.js") if "vendor" not in p.parts and js_group(p) == group]
    assert files
    for path in files:
        for dep in js_imports(path):
            assert dep.is_file(), f"{path.name} imports a missing {dep}"
            assert js_group(dep) in JS_ALLOWED[group], f"{path.relative_to(WEB)} imports {dep}"


def test_span_rules_are_python_s():
    """The mask reasons of web/rules/spans.js are hfanatomy.qa's, word for word and code for
    code."""
    from hfanatomy import qa

    text = (WEB / "rules" / "spans.js").read_text()
    codes = dict(re.findall(r"(VALID|OUTSIDE_CONTEXT|END_BEFORE_START|TOO_LONG) = (\d)", text))
    assert {k: int(v) for k, v in codes.items()} == {
        "VALID": qa.VALID, "OUTSIDE_CONTEXT": qa.OUTSIDE_CONTEXT,
        "END_BEFORE_START": qa.END_BEFORE_START, "TOO_LONG": qa.TOO_LONG}
    reasons = re.search(r"REASONS = (\[.*?\]);", text, re.S).group(1)
    assert json.loads(reasons) == list(qa.MASK_REASONS)


def test_every_view_and_compute_is_registered():
    for folder in ("views", "compute"):
        index = (WEB / folder / "index.js").read_text()
        kinds = {p.stem for p in (WEB / folder).glob("*.js")} - {"index", "common", "theme",
                                                                 "readout", "qa_forward"}
        for kind in kinds:
            assert f'from "./{kind}.js"' in index, f"{folder}/{kind}.js is not in index.js"
    assert {p.stem for p in (WEB / "views").glob("*.js")} >= {
        p.stem for p in (WEB / "compute").glob("*.js")} - {"index", "qa_forward"}
