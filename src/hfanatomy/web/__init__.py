"""The embedded models in the reader's browser: a small runtime as plain ES modules.

``tokenize.js`` (the vendored tokenizers.js plus offsets and token type ids),
``forward.js`` (both encoders and heads over Float32Array), ``losses.js``,
``weights.js`` (fp16 asset -> float32), ``qa.js`` (the v4 question-answering decoder,
equal to :mod:`hfanatomy.qa`) and ``runtime.js`` (the entry point).
:mod:`hfanatomy.web.assets` writes the static files a page loads them from.
"""

from hfanatomy.web.assets import runtime_script, weights_script, write_assets

__all__ = ["runtime_script", "weights_script", "write_assets"]
