"""hfanatomy: the package behind the book.

Opens up ``RobertaForSequenceClassification`` and ``BertForQuestionAnswering``
as small, concept-named modules (tokens, positions, losses, qa, tracing, source,
plots, explorers, models). The top level exposes the two loaders::

    import hfanatomy
    model, tokenizer = hfanatomy.load_classifier()   # embedded, offline
    model, tokenizer = hfanatomy.load_qa()
"""

__version__ = "0.1.0"
__all__ = ["load_classifier", "load_qa"]


def _register_display() -> None:
    """In IPython, draw the data objects (token tables, module trees) as HTML."""
    import sys

    if "IPython" in sys.modules:
        from hfanatomy import display

        display.register()


_register_display()


def __getattr__(name):  # lazy: importing hfanatomy must not import torch/transformers
    if name in __all__:
        from hfanatomy import models

        return getattr(models, name)
    raise AttributeError(f"module 'hfanatomy' has no attribute {name!r}")
