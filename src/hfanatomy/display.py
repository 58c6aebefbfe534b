"""How a notebook draws the package's data objects: the wiring between data and drawing.

The data modules (:mod:`hfanatomy.tokens`, :mod:`hfanatomy.modeltree`) import no
drawing code. Instead, IPython's HTML formatter is told, by type name, which drawing
draws them: :func:`register` runs when ``hfanatomy`` is imported inside IPython (a
notebook, the book's build), and imports the drawing only when such an object is shown.
Outside IPython the objects print as text (their ``__str__``).
"""

from __future__ import annotations

import sys


def token_table_html(table) -> str:
    """A :class:`hfanatomy.tokens.TokenTable` as the token table explorer draws it."""
    from hfanatomy import html
    from hfanatomy.explorers.tokens import render_table

    return html.explorer_box(render_table(table), title="Token table")


def module_tree_html(tree) -> str:
    """A :class:`hfanatomy.modeltree.ModuleNode` as the model tree explorer draws it."""
    from hfanatomy.explorers.modeltree import render_tree

    return render_tree(tree)


#: (module, class name) -> the function that draws it as HTML
DRAWINGS = {
    ("hfanatomy.tokens", "TokenTable"): token_table_html,
    ("hfanatomy.modeltree", "ModuleNode"): module_tree_html,
}


def register(shell=None) -> bool:
    """Tell IPython's HTML formatter how to draw the data objects; False outside IPython."""
    if shell is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    for (module, name), draw in DRAWINGS.items():
        formatter.for_type_by_name(module, name, draw)
    return True
