"""hfanatomy.tracing on tiny config-built models: shapes, kept tensors, order, hook clean-up."""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn
from transformers import (
    BertConfig,
    BertForQuestionAnswering,
    RobertaConfig,
    RobertaForSequenceClassification,
)

from hfanatomy.tracing import describe, trace

H, NUM_LABELS = 32, 3


@pytest.fixture(scope="module")
def clf():
    torch.manual_seed(0)
    cfg = RobertaConfig(vocab_size=100, hidden_size=H, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, num_labels=NUM_LABELS)
    return RobertaForSequenceClassification(cfg).eval()


@pytest.fixture(scope="module")
def batch():
    ids = torch.tensor([[0, 5, 6, 7, 2, 1, 1], [0, 8, 9, 10, 11, 12, 2]])
    return {"input_ids": ids, "attention_mask": (ids != 1).long()}


def _no_hooks(model: nn.Module) -> bool:
    """No hook of hfanatomy.tracing is left (transformers installs output-capturing hooks of its
    own on first use with output_hidden_states; those stay, they are not ours)."""
    hooks = [h for m in model.modules()
             for h in (*m._forward_hooks.values(), *m._forward_pre_hooks.values())]
    return not any(getattr(h, "__module__", "") == "hfanatomy.tracing" for h in hooks)


def test_no_hooks_detects_leftovers(clf):
    handle = clf.classifier.register_forward_hook(describe)  # any function of hfanatomy.tracing
    try:
        assert not _no_hooks(clf)
    finally:
        handle.remove()
    assert _no_hooks(clf)


def test_shapes_and_kept_tensors(clf, batch):
    t = trace(clf, **batch, output_hidden_states=True, keep=["roberta.embeddings", "classifier"])
    B, L = batch["input_ids"].shape
    out = t.output
    # the recorded output of the embeddings is hidden_states[0]
    assert torch.equal(t.tensors["roberta.embeddings"], out.hidden_states[0])
    emb = t.find("roberta.embeddings")
    assert emb.output == (B, L, H) and emb.inputs["input_ids"] == (B, L)
    # the head reads (B, L, H) and returns (B, num_labels)
    head = t.find("classifier")
    assert head.class_name == "RobertaClassificationHead"
    assert head.inputs == {"features": (B, L, H)}  # positional arg named after forward's parameter
    assert head.output == (B, NUM_LABELS)
    assert torch.equal(t.inputs["classifier"]["features"], out.hidden_states[-1])
    assert torch.equal(t.tensors["classifier"], out.logits)
    # the head's dense layer sees one vector per example: token 0 was picked
    assert t.find("classifier.dense").inputs == {"input": (B, H)}
    # the same dropout module runs twice inside the head
    assert [r.call for r in t.select("classifier.dropout")] == [0, 1]
    # structured outputs are summarised field by field
    root = t.find("")
    assert root.output_type == "SequenceClassifierOutput"
    assert root.output["logits"] == (B, NUM_LABELS)
    assert len(root.output["hidden_states"]) == clf.config.num_hidden_layers + 1
    assert t.find("roberta").output["last_hidden_state"] == (B, L, H)
    assert t.find("roberta.encoder.layer.0.attention.self").output[1] is None  # tuple with None
    # tensors of modules that were not kept are not stored
    assert t.find("roberta.encoder").kept_output is None and "roberta.encoder" not in t.tensors
    assert _no_hooks(clf)


def test_call_order_matches_execution(clf, batch):
    executed: list[nn.Module] = []
    handle = nn.modules.module.register_module_forward_pre_hook(
        lambda m, a: executed.append(m))  # an independent, global observer
    try:
        t = trace(clf, **batch)
    finally:
        handle.remove()
    names = {id(m): n for n, m in clf.named_modules()}
    assert [names[id(m)] for m in executed if id(m) in names] == t.names
    assert [r.index for r in t.records] == list(range(len(t.records)))
    order = t.names
    assert order[0] == "" and order.index("roberta.embeddings") < order.index("roberta.encoder")
    assert order.index("roberta.encoder.layer.0") < order.index("roberta.encoder.layer.1")
    assert order.index("roberta.encoder.layer.1") < order.index("classifier")
    # nesting: each parent is the enclosing module, one level up
    for r in t.records[1:]:
        parent = t.records[r.parent]
        assert r.name.startswith(parent.name) and r.depth == parent.depth + 1
    assert all(r.finished for r in t.records)
    # attention's own dropout module is never called (sdpa/eager use a functional dropout)
    assert "roberta.encoder.layer.0.attention.self.dropout" in t.not_called
    assert "roberta.encoder.layer" not in t.not_called  # containers have no forward


def test_hooks_removed_even_on_error(clf):
    with pytest.raises(ValueError, match="input_ids or inputs_embeds"):
        trace(clf)  # the model's own error propagates
    assert _no_hooks(clf)
    with pytest.raises(IndexError):
        trace(clf, input_ids=torch.tensor([[0, 500, 2]]))  # id beyond the vocabulary
    assert _no_hooks(clf)


def test_modules_filter_keep_and_mapping_input(clf, batch):
    t = trace(clf, batch, modules=["roberta.encoder.layer.[0-9].output"], keep="classifier.out_proj")
    assert t.names == ["roberta.encoder.layer.0.output", "roberta.encoder.layer.1.output",
                       "classifier.out_proj"]
    assert [r.depth for r in t.records] == [0, 0, 0]  # depth counts traced calls only
    assert torch.equal(t.tensors["classifier.out_proj"], t.output.logits)
    assert t.find("roberta.encoder.layer.0.output").inputs == {
        "hidden_states": (2, 7, 64), "input_tensor": (2, 7, 32)}
    # the output is the model's own
    with torch.no_grad():
        assert torch.equal(t.output.logits, clf(**batch).logits)


def test_errors(clf, batch):
    with pytest.raises(ValueError, match=r"keep pattern 'clasifier' matches no module.*'classifier'"):
        trace(clf, **batch, keep=["clasifier"])
    with pytest.raises(ValueError, match="modules pattern 'encoder.*' matches no module"):
        trace(clf, **batch, modules="encoder.*")
    with pytest.raises(TypeError, match="torch.nn.Module"):
        trace("roberta", **batch)
    t = trace(clf, **batch, modules="classifier*")
    with pytest.raises(KeyError, match="did you mean 'classifier.dense'"):
        t.find("classifier.dens")
    with pytest.raises(KeyError, match="fewer than 3 times"):
        t.find("classifier.dropout", call=2)
    assert _no_hooks(clf)


def test_table_text_and_html(clf, batch):
    t = trace(clf, **batch)
    text = str(t.table(depth=2))
    assert "roberta.embeddings" in text and "RobertaEmbeddings" in text
    assert "roberta.encoder.layer.0" not in text  # depth 3, cut
    assert re.search(r"classifier\s+RobertaClassificationHead\s+features: \(2, 7, 32\)\s+\(2, 3\)",
                     text)
    assert "return_dict" not in text and "return_dict: True" in str(t.table(depth=1, flags=True))
    html = t._repr_html_()
    assert "http" not in html and "<link" not in html and "src=" not in html
    assert html.count("<tr") == len(t.records) + 1
    assert "SequenceClassifierOutput{logits: (2, 3)}" in html
    only = t.table(names="classifier*")
    assert [r.name for r in only.rows] == [n for n in t.names if n.startswith("classifier")]


def test_qa_head_shapes():
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=100, hidden_size=H, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=64)
    model = BertForQuestionAnswering(cfg).eval()
    ids = torch.randint(0, 100, (3, 9))
    t = trace(model, input_ids=ids, keep="qa_outputs")
    assert t.find("qa_outputs").output == (3, 9, 2)  # one (start, end) pair per token
    assert torch.equal(t.tensors["qa_outputs"][..., 0], t.output.start_logits)
    assert torch.equal(t.tensors["qa_outputs"][..., 1], t.output.end_logits)
    assert t.find("").output_type == "QuestionAnsweringModelOutput"


def test_describe():
    assert describe(torch.zeros(2, 3)) == (2, 3)
    assert describe((torch.zeros(1), None)) == [(1,), None]
    assert describe({"a": torch.zeros(4, 1), "b": None}) == {"a": (4, 1)}
    assert describe(3) == 3 and describe(None) is None
    assert describe(object()) == "object"
