"""The module-tree explorer: ``print(model)`` as collapsible boxes with parameter counts.

Each module is a ``<details>`` element (opens and closes without JavaScript):
its attribute name, class, the numbers its subtree holds and the share of the
whole model; opening it shows its children and the shapes of the parameters it
owns. A bar behind each line shows the share at a glance. The data comes from
:func:`hfanatomy.modeltree.module_tree`.
"""

from __future__ import annotations

from torch import nn

from hfanatomy import html as H
from hfanatomy.explorers.base import Explorer
from hfanatomy.modeltree import ModuleNode, format_count, module_tree

__all__ = ["ModelTreeExplorer", "render_tree"]

# colours from the explorers' theme variables (web/views/theme.js), so the tree reads in dark
# mode too; the fallbacks are the light values, for the kernel's ipywidgets view (no frame)
_CSS = """
.hfa-tree details{margin-left:14px;border-left:1px dotted var(--hfa-border,#d0d7de);padding-left:4px}
.hfa-tree>details{margin-left:0;border-left:none}
.hfa-tree summary{cursor:pointer;white-space:nowrap;position:relative;padding:1px 2px;list-style-position:inside}
.hfa-tree .hfa-leaf{margin-left:14px;white-space:nowrap;padding:1px 2px;position:relative}
.hfa-tree .hfa-name{font-family:ui-monospace,Menlo,monospace;font-weight:600}
.hfa-tree .hfa-cls{color:var(--hfa-special-fg,#6639ba)}
.hfa-tree .hfa-count{color:var(--hfa-strong,#0a3069);font-family:ui-monospace,Menlo,monospace}
.hfa-tree .hfa-shapes{margin:1px 0 2px 18px;color:var(--hfa-muted,#57606a);font-family:ui-monospace,Menlo,monospace;font-size:12px}
.hfa-tree .hfa-muted{color:var(--hfa-muted,#57606a)}
"""


def _line(node: ModuleNode, root_total: int) -> str:
    share = node.total_params / root_total if root_total else 0.0
    label = node.name or "(model)"
    extra = f' <span class="hfa-muted">{H.esc(node.extra)}</span>' if node.extra and not node.children else ""
    return (f'<span class="hfa-line"><span class="hfa-name">{H.esc(label)}</span> '
            f'<span class="hfa-cls">{H.esc(node.cls)}</span>{extra} · '
            f'<span class="hfa-count" data-value="{node.total_params}" '
            f'title="{node.total_params:,} parameters ({100 * share:.2f}% of the model)">'
            f'{format_count(node.total_params)}</span>'
            f'<span class="hfa-muted"> ({100 * share:.1f}%)</span></span>')


def _shapes(node: ModuleNode) -> str:
    if not node.shapes:
        return ""
    items = ", ".join(f"{H.esc(k)} {H.esc(tuple(v))}" for k, v in node.shapes.items())
    return f'<div class="hfa-shapes">own parameters: {items}</div>'


def _bar(node: ModuleNode, root_total: int) -> str:
    """Inline style drawing the module's share of all parameters as a bar behind its line."""
    pct = 100 * node.total_params / root_total if root_total else 0.0
    return (f' style="background:linear-gradient(90deg,var(--hfa-question-bg,#ddf4ff) {pct:.1f}%,'
            f'transparent {pct:.1f}%)"')


def _node(node: ModuleNode, root_total: int, open_depth: int, shapes: bool, level: int) -> str:
    own = _shapes(node) if shapes else ""
    bar = _bar(node, root_total)
    if not node.children:
        return (f'<div class="hfa-leaf" data-path="{H.esc(node.path)}"><div{bar}>'
                f'{_line(node, root_total)}</div>{own}</div>')
    is_open = " open" if level < open_depth else ""
    kids = "".join(_node(c, root_total, open_depth, shapes, level + 1) for c in node.children)
    return (f'<details{is_open} data-path="{H.esc(node.path)}"><summary{bar}>{_line(node, root_total)}'
            f'</summary>{own}{kids}</details>')


def render_tree(tree: ModuleNode, open_depth: int = 2, shapes: bool = True) -> str:
    """The tree as nested ``<details>`` markup (no script needed)."""
    return (f'<div class="hfa-tree"><style>{_CSS}</style>'
            f'{_node(tree, tree.total_params, open_depth, shapes, 0)}</div>')


class ModelTreeExplorer(Explorer):
    """Collapsible module tree of ``model`` with counts; optional parameter shapes."""

    title = "Module tree with parameter counts"

    def __init__(self, model: nn.Module | ModuleNode, open_depth: int = 2, caption: str | None = None):
        self.tree = model if isinstance(model, ModuleNode) else module_tree(model)
        self.open_depth = open_depth
        self.show_shapes = True
        self.caption = caption or ("Click a line to open or close it. The blue bar is each module's share "
                                   "of all parameters: look where the numbers live.")

    @property
    def data(self) -> ModuleNode:
        return self.tree

    def static_html(self) -> str:
        states = {(v,): render_tree(self.tree, self.open_depth, shapes=(v == "yes"))
                  for v in ("yes", "no")}
        caption = (f'<div class="hfa-note">{H.esc(self.caption)}</div>'
                   + H.recorded_note("the tree is the model's modules, the same for every "
                                     "input; both views were drawn when the book was built."))
        return H.stateful_view(self.title,
                               [H.select("shapes", [("yes", "with shapes"), ("no", "counts only")],
                                         label="parameter shapes")],
                               states, ("yes",), note=caption)

    def build_widget(self):
        import ipywidgets as w

        toggle = w.Checkbox(value=self.show_shapes, description="parameter shapes", indent=False)
        depth = w.IntSlider(value=self.open_depth, min=0, max=6, description="open levels",
                            continuous_update=False)
        view = w.HTML(render_tree(self.tree, self.open_depth, self.show_shapes))

        def redraw(_=None):
            self.show_shapes = toggle.value
            self.open_depth = depth.value
            view.value = render_tree(self.tree, self.open_depth, self.show_shapes)

        toggle.observe(redraw, names="value")
        depth.observe(redraw, names="value")
        box = w.VBox([w.HTML(f"<b>{H.esc(self.title)}</b>"), w.HBox([toggle, depth]), view])
        box.toggle, box.depth, box.view = toggle, depth, view
        return box
