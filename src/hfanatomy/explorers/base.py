"""The base of every explorer: displayed by ending a cell with it.

``_repr_mimebundle_`` offers both

* ``application/vnd.jupyter.widget-view+json``: the kernel's view (an anywidget,
  :class:`hfanatomy.explorers.live.LiveView`), which JupyterLab, VS Code and Colab render
  (they prefer it), and
* ``text/html``: the root the book's site renders (``_config.yml`` removes the widget
  mime type from the html builder's priorities), drawn there by the same JS view.

:class:`hfanatomy.explorers.live.LiveExplorer` is the mechanism every explorer uses: it
implements ``static_html()`` and ``build_widget()``. Neither is built until asked for, and
the widget is built once.
"""

from __future__ import annotations

from typing import Any


class Explorer:
    """Base class of every explorer in the book."""

    #: shown as the explorer's heading and in its ``repr``
    title: str = "explorer"

    def static_html(self) -> str:  # pragma: no cover - abstract
        """Self-contained markup of the static view (first state drawn in the markup)."""
        raise NotImplementedError

    def build_widget(self):  # pragma: no cover - abstract
        """The live ipywidgets view: controls wired to the data function and renderer."""
        raise NotImplementedError

    @property
    def widget(self):
        """The live widget, built on first use and kept (so its state survives redisplay)."""
        if getattr(self, "_widget", None) is None:
            self._widget = self.build_widget()
        return self._widget

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        bundle = {"text/plain": repr(self), "text/html": self.static_html()}
        widget_bundle = self.widget._repr_mimebundle_() or {}
        if isinstance(widget_bundle, tuple):  # anywidget returns (data, metadata)
            widget_bundle = widget_bundle[0]
        if "application/vnd.jupyter.widget-view+json" in widget_bundle:
            bundle["application/vnd.jupyter.widget-view+json"] = widget_bundle[
                "application/vnd.jupyter.widget-view+json"
            ]
        return bundle
