"""How a notebook draws the package's data objects: the wiring between data and drawing.

The data modules (:mod:`hfanatomy.tokens`, :mod:`hfanatomy.modeltree`) import no drawing
code. Instead, IPython's mime-bundle formatter is told, by type name, which explorer draws
them: :func:`register` runs when ``hfanatomy`` is imported inside IPython (a notebook, the
book's build), and imports the explorer only when such an object is shown. Outside IPython
the objects print as text (their ``__str__``).

A shown object is a recorded explorer (:mod:`hfanatomy.explorers.live`) of that one object,
drawn by its kind's JS view like every explorer: in a kernel the bundle's anywidget, on the
site its ``text/html`` (the live root with the object's data, which ``web/page.js`` mounts).

* a :class:`~hfanatomy.tokens.TokenTable`: the token view (kind ``"tokens"``) of
  :class:`~hfanatomy.explorers.tokens.TokenTableExplorer`;
* a :class:`~hfanatomy.modeltree.ModuleNode`: the model-tree view (kind ``"modeltree"``) of
  :class:`~hfanatomy.explorers.modeltree.ModelTreeExplorer`.
"""

from __future__ import annotations

import sys
from typing import Any


def token_table_explorer(table):
    """The explorer that draws a :class:`hfanatomy.tokens.TokenTable`."""
    from hfanatomy.explorers.tokens import TokenTableExplorer

    return TokenTableExplorer(table)


def module_tree_explorer(tree):
    """The explorer that draws a :class:`hfanatomy.modeltree.ModuleNode` (its subtree)."""
    from hfanatomy.explorers.modeltree import ModelTreeExplorer

    return ModelTreeExplorer(tree)


#: (module, class name) -> the function that makes the explorer drawing it
EXPLORERS = {
    ("hfanatomy.tokens", "TokenTable"): token_table_explorer,
    ("hfanatomy.modeltree", "ModuleNode"): module_tree_explorer,
}


def bundle(obj: Any, explorer) -> dict:
    """The mime bundle of ``obj`` drawn by ``explorer``: the explorer's (anywidget view, live
    root) with the object's own text as ``text/plain``."""
    return {**explorer._repr_mimebundle_(), "text/plain": str(obj)}


def register(shell=None) -> bool:
    """Tell IPython's mime-bundle formatter how to draw the data objects; False outside
    IPython."""
    if shell is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    formatter = shell.display_formatter.mimebundle_formatter
    for (module, name), make in EXPLORERS.items():
        formatter.for_type_by_name(module, name, lambda obj, make=make: bundle(obj, make(obj)))
    return True
