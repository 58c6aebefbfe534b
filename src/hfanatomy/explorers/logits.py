"""The logits explorer: logits, probabilities and the predicted label of a sentence.

Live (kernel and site): the JS view ``web/views/logits.js`` draws what
:meth:`LogitsExplorer.compute` returns for a state ``{"example", "text",
"temperature"}`` -- the logits of the text (one forward pass, the text cut to the
model's length *with a warning*), divided by the temperature, and what softmax
(sigmoid, nothing) makes of them, via :func:`hfanatomy.head.logits_view`. On the site
``web/compute/logits.js`` computes the same JSON in the reader's browser.

A page built with a checkpoint other than the embedded classifier is recorded (see
:mod:`hfanatomy.explorers.live`): each example sentence at each preset temperature (the
view's buttons), computed at build time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from hfanatomy.explorers.live import LiveExplorer
from hfanatomy.head import TEMPERATURES, classify, logits_view

#: the live view's left chart: its half width holds max|logits| / SCALE_TEMPERATURE
SCALE_TEMPERATURE = 0.5


def read_limit(model, tokenizer) -> int:
    """How many tokens (specials included) the model reads: the tokenizer's
    ``model_max_length``, no more than the positions the model has (RoBERTa counts
    them from ``padding_idx + 1``: 514 - 2 = 512)."""
    limit = int(min(getattr(tokenizer, "model_max_length", 512) or 512, 10**9))
    n = getattr(model.config, "max_position_embeddings", None)
    if n is not None:
        emb = getattr(getattr(model, "base_model", None), "embeddings", None)
        pad = getattr(emb, "padding_idx", None)
        limit = min(limit, int(n - (pad + 1)) if isinstance(pad, int) else int(n))
    return limit


#: what every text explorer says for an empty text (or only whitespace): an error, the view shows it alone
EMPTY_TEXT = "text is empty: type some words to see the model's scores"


def read_text(model, tokenizer, text: str) -> dict:
    """One forward pass over ``text``: ``{"tokens", "read", "logits" (C,), "warnings"}``.

    ``tokens`` is the text's length in tokens (specials included), ``read`` how many the
    model read: the text is cut at :func:`read_limit` as the pipeline's
    ``truncation=True`` does, never silently (``warnings`` says so). An empty text (or
    whitespace only) raises :data:`EMPTY_TEXT`.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string; got {type(text).__name__}.")
    if not text.strip():
        raise ValueError(EMPTY_TEXT)
    limit = read_limit(model, tokenizer)
    n = len(tokenizer(text, verbose=False)["input_ids"])  # (L,) with the special tokens, uncut
    warnings = []
    if n > limit:
        warnings.append(f"{n} tokens: the model reads only the first {limit} (its position "
                        f"table ends there); the last {n - limit} are cut off, as the "
                        "pipeline does with truncation=True.")
    enc = tokenizer(text, truncation=True, max_length=limit, return_tensors="pt")
    with torch.no_grad():
        logits = model(**enc).logits[0].float()  # (C,)
    return {"tokens": n, "read": int(enc["input_ids"].shape[1]), "logits": logits,
            "warnings": warnings}


def temperature_data(read: dict, id2label, temperature: float = 1.0,
                     problem_type: str | None = None) -> dict:
    """The JSON the logits view draws: :func:`read_text`'s logits at ``temperature``.

    ``{"tokens", "read", "labels", "function", "temperature", "logits", "scaled",
    "probabilities", "active", "predicted", "scale", "warnings"}`` from
    :func:`hfanatomy.head.logits_view`; ``scale`` is the value that fills half the left
    chart, ``max|logits| / SCALE_TEMPERATURE``, the same at every T, so the bars of one
    text shrink visibly as T grows (clipped below T = 0.5).
    """
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) \
            or not math.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a number > 0 (it divides the logits); "
                         f"got {temperature!r}.")
    logits = read["logits"]  # (C,)
    view = logits_view(logits, id2label, float(temperature), problem_type)
    return {
        "tokens": read["tokens"],
        "read": read["read"],
        "labels": view.labels,
        "function": view.function,
        "temperature": view.temperature,
        "logits": view.logits[0].tolist(),  # (C,)
        "scaled": view.scaled[0].tolist(),  # (C,) logits / T
        "probabilities": view.probabilities[0].tolist(),  # (C,)
        "active": view.active[0].tolist(),  # (C,) bool
        "predicted": view.predicted[0],
        "scale": max(1e-6, logits.abs().max().item() / SCALE_TEMPERATURE),
        "warnings": list(read["warnings"]),
    }


def logits_data(model, tokenizer, text: str, temperature: float = 1.0,
                problem_type: str | None = None) -> dict:
    """:func:`temperature_data` of :func:`read_text`: the view's data for one text."""
    return temperature_data(read_text(model, tokenizer, text), dict(model.config.id2label),
                            temperature, problem_type)


class LogitsExplorer(LiveExplorer):
    """Logits -> probabilities -> predicted label, with a temperature.

    ``LogitsExplorer(model, tokenizer, texts=[...])``; ``problem_type`` None uses the
    pipeline's default (softmax for several labels). ``explorer.data`` is the
    :class:`~hfanatomy.head.LogitsView` of the first text at T = 1; what the live view
    shows is ``explorer.widget.data`` (:meth:`compute` of its state).
    """

    title = "Logits explorer: scores, probabilities, prediction"

    def __init__(self, model, tokenizer, texts: Sequence[str],
                 temperatures: Sequence[float] = TEMPERATURES, problem_type: str | None = None):
        if isinstance(texts, str):
            texts = [texts]
        if not texts:
            raise ValueError("LogitsExplorer needs at least one example text.")
        self.model, self.tokenizer = model, tokenizer
        self.texts = list(texts)
        self.temperatures = [float(t) for t in temperatures]
        if 1.0 not in self.temperatures:
            self.temperatures.insert(0, 1.0)
        self.problem_type = problem_type
        self.id2label = dict(model.config.id2label)
        self.logits = classify(model, tokenizer, self.texts)  # (B, C)
        self.data = logits_view(self.logits[:1], self.id2label, 1.0, problem_type)

    # -- live: JSON for the JS view (web/views/logits.js) -------------------------------
    kind = "logits"
    needs = "classifier"
    #: the temperature slider's range (log scale) in the live view
    temperature_range = (0.1, 10.0)
    caption = ("Left: the raw scores the head returns (logits, or logits / T once a "
               "temperature is set); right: what softmax/sigmoid makes of them. Raise T and "
               "watch the probabilities flatten while the winner stays.")

    def example_label(self, i: int) -> str:
        t = self.texts[i]
        return f"{i + 1}: {t if len(t) <= 50 else t[:47] + '...'}"

    def config(self) -> dict:
        view = logits_view(self.logits[:1], self.id2label, 1.0, self.problem_type)
        return {
            "title": self.title,
            "caption": self.caption,
            # an example sets the text; the temperature stays where the reader put it
            "examples": {self.example_label(i): {"text": t} for i, t in enumerate(self.texts)},
            "labels": view.labels,
            "function": view.function,
            "problem_type": view.problem_type,
            "temperatures": self.temperatures,
            "temperature_range": list(self.temperature_range),
            "max_tokens": read_limit(self.model, self.tokenizer),
        }

    def initial_state(self) -> dict:
        return {"example": self.example_label(0), "text": self.texts[0], "temperature": 1.0}

    def compute(self, state: dict) -> dict:
        """What the view draws for ``state`` (see :func:`logits_data`); the model runs once
        per text: moving the temperature only divides the same logits."""
        text = state.get("text")
        if getattr(self, "_read", (None, None))[0] != text or not isinstance(text, str):
            self._read = (text, read_text(self.model, self.tokenizer, text))
        return temperature_data(self._read[1], self.id2label, state.get("temperature", 1.0),
                                self.problem_type)

    def recorded_variants(self) -> list[dict]:
        """Every preset temperature (the view's buttons), T = 1 first."""
        return [{"temperature": t} for t in sorted(set(self.temperatures), key=lambda t: t != 1.0)]
