"""The module-tree explorer: ``print(model)`` as a tree that opens and closes, with counts.

Each module is a line: its attribute name, class, the numbers its subtree holds and the
share of the whole model (a bar behind the line shows it at a glance); opening it shows
its children and the shapes of the parameters it owns. The drawing is the JS view
``web/views/modeltree.js`` (kind ``"modeltree"``), in a kernel and on the site alike;
which lines are open, how many levels open at first and whether the shapes show are the
view's own settings, so nothing is computed again when they change.

The data is :func:`tree_data` of :func:`hfanatomy.modeltree.module_tree`: the model's
modules, the same for every input. The page cannot compute it (it would need the model's
Python classes), so the explorer is always *recorded* (:mod:`hfanatomy.explorers.live`):
its one state is recorded at build time. A :class:`~hfanatomy.modeltree.ModuleNode`
shown in a notebook (``hfanatomy.display``) is drawn by this explorer too.
"""

from __future__ import annotations

from torch import nn

from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.modeltree import ModuleNode, module_tree

__all__ = ["ModelTreeExplorer", "node_data", "tree_data"]


def node_data(node: ModuleNode) -> dict:
    """One module and its subtree as JSON: ``{"name", "path", "cls", "extra" (its
    ``extra_repr()``), "own" (numbers in its own parameters), "total" (in its subtree),
    "shapes": [[parameter name, shape], ...], "children": [...]}``."""
    return {"name": node.name, "path": node.path, "cls": node.cls, "extra": node.extra,
            "own": node.own_params, "total": node.total_params,
            "shapes": [[k, list(v)] for k, v in node.shapes.items()],
            "children": [node_data(c) for c in node.children]}


def tree_data(tree: ModuleNode) -> dict:
    """What the view draws: ``{"total": the model's parameter count, "modules": how many
    modules, "depth": the deepest level (the root is level 0), "tree": node_data(tree)}``."""
    nodes = list(tree.walk())
    depth = max((n.path.count(".") + 1 if n.path else 0) for n in nodes)
    return {"total": tree.total_params, "modules": len(nodes), "depth": depth,
            "tree": node_data(tree)}


class ModelTreeExplorer(LiveExplorer):
    """``ModelTreeExplorer(model_or_tree, open_depth=2)``: the module tree with parameter
    counts; lines open and close on click (or Enter / Space), ``open_depth`` levels open at
    first; the parameter shapes can be hidden."""

    title = "Module tree with parameter counts"
    kind = "modeltree"
    python_only = True
    recorded_why = ("the tree is the model's modules, the same for every input, computed when "
                    "the book was built; opening and closing lines happens in your browser.")

    def __init__(self, model: nn.Module | ModuleNode, open_depth: int = 2, caption: str | None = None):
        if not isinstance(open_depth, int) or isinstance(open_depth, bool) or open_depth < 0:
            raise ValueError(f"open_depth must be a whole number of levels, 0 or more; got {open_depth!r}.")
        self.tree = model if isinstance(model, ModuleNode) else module_tree(model)
        self.open_depth = open_depth
        self.caption = caption or ("Click a line (or focus it and press Enter) to open or close it. "
                                   "The blue bar is each module's share of all parameters: look "
                                   "where the numbers live.")

    @property
    def data(self) -> ModuleNode:
        return self.tree


    def config(self) -> dict:
        return {"title": self.title, "caption": self.caption, "open_depth": self.open_depth}

    def initial_state(self) -> dict:
        return {}

    def compute(self, state: dict) -> dict:
        """The tree (the same for every state: opening lines is the view's business)."""
        return tree_data(self.tree)
