"""The data flow of each part of the book, read off the loaded model's own modules.

Part I follows ``text -> ids -> embeddings -> encoder -> head -> logits -> loss/output``
through a sequence classifier; Part II follows ``question + context -> windows -> ...
-> start/end logits -> spans -> answer text`` through a question-answering model. The
stages that are modules are found in the model (``model.base_model_prefix``, the
encoder's layer list, the children that are not the body), with their class names and
the sizes that shape their outputs, so the map of a different checkpoint says what that
checkpoint holds. :func:`hfanatomy.plots.dataflow.flow_map` draws a :class:`FlowMap`.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

__all__ = ["Stage", "FlowMap", "classifier_flow", "qa_flow", "PART1_CHAPTERS", "PART2_CHAPTERS"]


@dataclass(frozen=True)
class Stage:
    """One step of the flow: data (``module is None``) or a module of the model."""

    key: str  # short name the chapters refer to ("embeddings", "head", ...)
    title: str  # what the reader sees in the box
    detail: str  # class name and shape, e.g. "RobertaEmbeddings -> (B, L, 64)"
    module: str | None = None  # dotted path in the model (model.get_submodule works on it)


@dataclass(frozen=True)
class FlowMap:
    """The stages of one part, in order, and which stages each chapter covers."""

    part: str
    stages: tuple[Stage, ...]
    chapters: dict[str, tuple[str, ...]]  # chapter name -> keys of the stages it opens up

    def keys(self) -> list[str]:
        return [s.key for s in self.stages]

    def stages_of(self, chapter: str) -> list[Stage]:
        """The stages ``chapter`` covers; a clear error for an unknown chapter."""
        if chapter not in self.chapters:
            raise ValueError(f"{chapter!r} is not a chapter of {self.part}; "
                             f"choose one of {list(self.chapters)}.")
        return [s for s in self.stages if s.key in self.chapters[chapter]]


#: which stages each chapter opens up (keys of the stages below)
PART1_CHAPTERS = {
    "1 Meet the model": ("embeddings", "encoder", "head"),
    "2 Tokens in": ("text", "tokenizer"),
    "3 Embeddings and position ids": ("embeddings",),
    "4 Inside the encoder": ("encoder",),
    "5 The classification head": ("head", "logits"),
    "6 The loss": ("loss",),
    "7 What comes back": ("output",),
}
PART2_CHAPTERS = {
    "1 The task and its input": ("text", "tokenizer"),
    "2 The QA head": ("head", "logits"),
    "3 The QA loss": ("loss",),
    "4 From logits to an answer": ("spans",),
    "5 Long contexts": ("tokenizer", "spans", "answer"),
    "6 What comes back": ("output", "answer"),
}


def _body(model):
    prefix = getattr(model, "base_model_prefix", "")
    body = getattr(model, prefix, None)
    if body is None or not hasattr(body, "embeddings") or not hasattr(body, "encoder"):
        raise TypeError(f"{type(model).__name__} has no encoder body with .embeddings and "
                        f".encoder under model.{prefix or '?'}; the map is drawn for BERT-like "
                        "models (RoBERTa, BERT...).")
    return prefix, body


def _head(model, prefix: str) -> str:
    """The name of the one module next to the body (``classifier``, ``qa_outputs``...)."""
    heads = [name for name, _ in model.named_children() if name != prefix]
    if len(heads) != 1:
        raise TypeError(f"expected one head next to the body, found {heads}.")
    return heads[0]


def _output_class(model) -> str:
    ann = inspect.signature(type(model).forward).return_annotation
    names = [getattr(a, "__name__", "") for a in getattr(ann, "__args__", (ann,))]
    found = [n for n in names if n.endswith("Output")]
    return found[0] if found else "ModelOutput"


def _body_stages(model, prefix: str, body) -> list[Stage]:
    cfg = model.config
    layers = body.encoder.layer
    return [
        Stage("embeddings", "embeddings", f"{type(body.embeddings).__name__} -> "
              f"(B, L, {cfg.hidden_size})", f"{prefix}.embeddings"),
        Stage("encoder", f"encoder: {len(layers)} layers",
              f"{type(body.encoder).__name__}: {len(layers)} x {type(layers[0]).__name__} "
              f"-> (B, L, {cfg.hidden_size})",
              f"{prefix}.encoder"),
    ]


def classifier_flow(model, tokenizer) -> FlowMap:
    """Part I's map for a sequence classifier (``RobertaForSequenceClassification``...)."""
    prefix, body = _body(model)
    head = _head(model, prefix)
    cfg = model.config
    stages = [
        Stage("text", "text", "str"),
        Stage("tokenizer", "token ids", f"{type(tokenizer).__name__} -> input_ids, "
              "attention_mask (B, L)"),
        *_body_stages(model, prefix, body),
        Stage("head", f"head: {head}", f"{type(getattr(model, head)).__name__} reads token 0",
              head),
        Stage("logits", "logits", f"(B, {cfg.num_labels}): one score per label"),
        Stage("loss", "loss", f"problem_type: {cfg.problem_type}"),
        Stage("output", "output", _output_class(model)),
    ]
    return FlowMap("Part I", tuple(stages), dict(PART1_CHAPTERS))


def qa_flow(model, tokenizer) -> FlowMap:
    """Part II's map for an extractive QA model (``BertForQuestionAnswering``...)."""
    prefix, body = _body(model)
    head = _head(model, prefix)
    layer = getattr(model, head)
    shape = (f"Linear({layer.in_features} → {layer.out_features})"
             if hasattr(layer, "in_features") else type(layer).__name__)
    stages = [
        Stage("text", "question + context", "str, str"),
        Stage("tokenizer", "windows", f"{type(tokenizer).__name__} -> input_ids (W, L), "
              "offsets"),
        *_body_stages(model, prefix, body),
        Stage("head", f"head: {head}", f"{shape} on every token", head),
        Stage("logits", "start / end logits", "(W, L) each"),
        Stage("loss", "loss", "with start/end positions"),
        Stage("spans", "spans", "best (start, end) pairs"),
        Stage("answer", "answer text", "offsets -> context[a:b]"),
        Stage("output", "output", _output_class(model)),
    ]
    return FlowMap("Part II", tuple(stages), dict(PART2_CHAPTERS))
