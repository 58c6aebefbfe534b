"""The module tree of a model with parameter counts and shapes, as plain data.

``print(model)`` shows the nesting of modules but no sizes. :func:`module_tree`
walks ``named_children()`` and returns a :class:`ModuleNode` per module with
its class, the parameters it owns directly (name -> shape), how many numbers
those hold, and how many numbers the whole subtree holds. The root's
``total_params`` equals ``sum(p.numel() for p in model.parameters())`` (shared
parameters counted once, as ``parameters()`` does).

Works on models built on the ``meta`` device (shapes without memory), which is
how the book sizes ``klue/roberta-base`` without downloading it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from torch import nn

__all__ = ["ModuleNode", "module_tree", "compare_trees", "format_count"]


@dataclass
class ModuleNode:
    """One module: where it sits, what it is, and how many parameters it holds."""

    name: str  # attribute name in its parent ("" for the root)
    path: str  # dotted path from the root, e.g. "roberta.encoder.layer.0"
    cls: str  # class name, e.g. "RobertaLayer"
    extra: str  # the module's extra_repr(), e.g. "in_features=32, out_features=32, bias=True"
    own_params: int  # numbers in parameters registered on this module itself
    total_params: int  # numbers in the whole subtree (shared parameters once)
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)  # own parameter name -> shape
    children: list[ModuleNode] = field(default_factory=list)

    def walk(self) -> Iterator[ModuleNode]:
        """This node and every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, path: str) -> ModuleNode:
        """The node at a dotted path, e.g. ``tree.find("classifier.out_proj")``."""
        for node in self.walk():
            if node.path == path:
                return node
        raise KeyError(f"no module at path {path!r}; paths look like "
                       f"{[n.path for n in self.children][:4]}")

    def lines(self, depth: int | None = None, _level: int = 0) -> list[str]:
        """An indented text outline with counts, down to ``depth`` levels."""
        label = self.name or self.cls
        out = [f"{'  ' * _level}{label} ({self.cls}): {format_count(self.total_params)}"]
        if depth is None or _level < depth:
            for child in self.children:
                out += child.lines(depth, _level + 1)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def format_count(n: int) -> str:
    """``124_645_632`` -> ``"124.6M"``; small counts stay exact."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f}M"
    if n >= 10_000:
        return f"{n / 1e3:.1f}k"
    return str(n)


def module_tree(model: nn.Module, name: str = "", path: str = "") -> ModuleNode:
    """The :class:`ModuleNode` tree of ``model`` (any ``nn.Module``)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"module_tree expects a torch.nn.Module (e.g. the loaded model), "
                        f"got {type(model).__name__}.")
    own = dict(model.named_parameters(recurse=False))
    shapes = {k: tuple(p.shape) for k, p in own.items()}
    children = [module_tree(child, n, f"{path}.{n}" if path else n)
                for n, child in model.named_children()]
    total = sum(p.numel() for p in model.parameters())  # dedups shared tensors
    return ModuleNode(name=name, path=path, cls=type(model).__name__, extra=model.extra_repr(),
                      own_params=sum(p.numel() for p in own.values()), total_params=total,
                      shapes=shapes, children=children)


def compare_trees(a: ModuleNode, b: ModuleNode, depth: int = 2) -> list[tuple[str, str, int, int | None]]:
    """Rows (path, class, params in ``a``, params in ``b``) for ``a``'s nodes down to ``depth``.

    ``b``'s count is None where ``b`` has no module at that path (e.g. a layer
    index the smaller model lacks).
    """
    b_nodes = {n.path: n for n in b.walk()}
    rows = []
    for node in a.walk():
        level = 0 if not node.path else node.path.count(".") + 1
        if level <= depth:
            other = b_nodes.get(node.path)
            rows.append((node.path or "(model)", node.cls, node.total_params,
                         None if other is None else other.total_params))
    return rows
