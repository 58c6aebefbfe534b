"""One layer, step by step (``hfanatomy.layer_steps`` and its explorer's Python side): every
step equals what hooks capture on the real modules of the installed transformers (eager
attention), for English, Korean, a padded batch and a 512-token input; the explorer's
source lines are the installed ones; its inputs are checked."""

from __future__ import annotations

import inspect
import sys

import pytest
import torch
from tiny import bpe_tokenizer, tiny_model

from hfanatomy import load_classifier, load_qa
from hfanatomy.explorers.layer_steps import EMPTY_TEXT, LayerStepsExplorer
from hfanatomy.layer_steps import additive_mask, layer_steps

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def classifier():
    return load_classifier()


@pytest.fixture(scope="module")
def qa():
    return load_qa()


def captured(model, enc, layer: int) -> dict:
    """Run the model once with hooks on layer ``layer``'s modules: what each one saw."""
    lay = model.base_model.encoder.layer[layer]
    got: dict = {}

    def out(name):
        return lambda mod, args, output: got.__setitem__(name, output)

    def inp(name):
        return lambda mod, args: got.__setitem__(name, args[0])

    def self_attention(mod, args, kwargs, output):
        got["mask"] = kwargs.get("attention_mask")
        got["context"], got["weights"] = output

    hooks = [
        lay.register_forward_pre_hook(inp("hidden_in")),
        lay.attention.self.query.register_forward_hook(out("q")),
        lay.attention.self.key.register_forward_hook(out("k")),
        lay.attention.self.value.register_forward_hook(out("v")),
        lay.attention.self.register_forward_hook(self_attention, with_kwargs=True),
        lay.attention.output.dense.register_forward_hook(out("attn_dense")),
        lay.attention.output.LayerNorm.register_forward_pre_hook(inp("attn_residual")),
        lay.attention.output.register_forward_hook(out("attention_out")),
        lay.intermediate.dense.register_forward_hook(out("intermediate_pre")),
        lay.intermediate.register_forward_hook(out("intermediate")),
        lay.output.dense.register_forward_hook(out("ffn_dense")),
        lay.output.LayerNorm.register_forward_pre_hook(inp("ffn_residual")),
        lay.register_forward_hook(out("out")),
    ]
    softmax = torch.nn.functional.softmax
    scores = []

    def recording(x, *a, **kw):  # the eager attention's softmax input: the masked scores
        if x.dim() == 4:
            scores.append(x.detach().clone())
        return softmax(x, *a, **kw)

    try:
        torch.nn.functional.softmax = recording
        with torch.no_grad():
            model(**enc)
    finally:
        torch.nn.functional.softmax = softmax
        for hk in hooks:
            hk.remove()
    got["scores"] = scores[layer]
    return got


def check_every_step(model, enc, layer: int, head: int, query: int, key: int, row: int = 0):
    with torch.no_grad():
        hidden = model(**enc, output_hidden_states=True).hidden_states
    st = layer_steps(model.base_model.encoder.layer[layer], hidden[layer], enc["attention_mask"],
                     row=row, head=head, query=query, key=key, layer=layer)
    got = captured(model, enc, layer)
    H = model.config.num_attention_heads
    d = model.config.hidden_size // H
    cut = slice(head * d, (head + 1) * d)
    same = dict(rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(st.hidden_in, got["hidden_in"][row, query], **same)
    torch.testing.assert_close(st.q, got["q"][row, query, cut], **same)
    torch.testing.assert_close(st.k, got["k"][row, :, cut], **same)
    torch.testing.assert_close(st.v, got["v"][row, :, cut], **same)
    torch.testing.assert_close(st.products.sum() * st.scaling,
                               got["scores"][row, head, query, key], **same)
    torch.testing.assert_close(st.scores, got["scores"][row, head, query], **same)
    torch.testing.assert_close(st.weights, got["weights"][row, head, query], **same)
    torch.testing.assert_close(st.head_out, got["context"][row, query, cut], **same)
    torch.testing.assert_close(st.context, got["context"][row, query], **same)
    for name in ("attn_dense", "attn_residual", "attention_out", "intermediate_pre",
                 "intermediate", "ffn_dense", "ffn_residual", "out"):
        torch.testing.assert_close(getattr(st, name), got[name][row, query], **same, msg=name)
    torch.testing.assert_close(st.out, hidden[layer + 1][row, query], **same)
    if got["mask"] is None:
        assert st.mask is None
    else:  # (B, 1, L, L): the same key mask on every query row
        torch.testing.assert_close(st.mask, got["mask"][row, 0, query], rtol=0, atol=0)
    assert st.scaling == model.base_model.encoder.layer[layer].attention.self.scaling
    return st


def test_english_every_step_equals_the_modules(classifier):
    model, tok = classifier
    enc = tok(["The waiter was friendly, but the soup was cold."], return_tensors="pt")
    for layer in range(model.config.num_hidden_layers):
        st = check_every_step(model, enc, layer, head=1, query=3, key=8)
        assert st.mask is None  # nothing padded: transformers 5 builds no mask


def test_korean_every_step_equals_the_modules(classifier):
    model, tok = classifier
    enc = tok(["음식이 너무 짜고 서비스도 별로였어요."], return_tensors="pt")
    check_every_step(model, enc, 1, head=3, query=2, key=5)


def test_padded_row_gets_the_additive_mask(classifier):
    model, tok = classifier
    enc = tok(["A gem.", "The waiter was friendly, but the pasta was never hot."],
              padding=True, return_tensors="pt")
    st = check_every_step(model, enc, 0, head=0, query=1, key=2, row=0)
    pads = enc["attention_mask"][0] == 0
    assert pads.any()
    assert bool((st.mask[pads] == torch.finfo(torch.float32).min).all())
    assert bool((st.mask[~pads] == 0).all())
    assert bool((st.weights[pads] == 0).all())  # a padded key gets no weight at all
    torch.testing.assert_close(st.weights.sum(), torch.tensor(1.0))
    # the longer text, unpadded, in the same batch: its mask row is all zeros
    st1 = check_every_step(model, enc, 1, head=2, query=4, key=0, row=1)
    assert bool((st1.mask == 0).all())


def test_qa_pair_and_512_tokens(qa):
    model, tok = qa
    enc = tok("Where does Hannah live?", "Oliver lives in Vienna. Hannah lives in Lisbon.",
              return_tensors="pt")
    check_every_step(model, enc, 3, head=2, query=3, key=15)
    context = "Hannah lives in Lisbon and works at a bakery near the river. " * 60
    enc = tok("Where does Hannah work?", context, truncation=True, max_length=512,
              return_tensors="pt")
    assert enc["input_ids"].shape[1] == 512
    check_every_step(model, enc, 2, head=1, query=4, key=500)


def test_a_tiny_roberta_too():
    from transformers import RobertaConfig, RobertaForSequenceClassification

    tok = bpe_tokenizer(["the soup was cold", "a gem"], 300)
    model = tiny_model(RobertaForSequenceClassification, RobertaConfig, seed=3,
                       vocab_size=len(tok), pad_token_id=tok.pad_token_id,
                       max_position_embeddings=40, initializer_range=0.5)
    enc = tok(["a gem", "the soup was cold"], padding=True, return_tensors="pt")
    check_every_step(model, enc, 1, head=1, query=2, key=1)


def test_additive_mask():
    assert additive_mask(torch.ones(2, 3, dtype=torch.long)) is None
    m = additive_mask(torch.tensor([[1, 1, 0]]))
    assert m.tolist() == [[0.0, 0.0, torch.finfo(torch.float32).min]]
    assert not torch.signbit(m[0, 0])  # +0.0, as transformers builds it


def test_bad_indices_are_named(classifier):
    model, tok = classifier
    enc = tok(["A gem."], return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc, output_hidden_states=True).hidden_states
    lay = model.base_model.encoder.layer[0]
    with pytest.raises(ValueError, match="head must be 0..3; got 4."):
        layer_steps(lay, hidden[0], enc["attention_mask"], head=4)
    with pytest.raises(TypeError, match="query must be an integer; got"):
        layer_steps(lay, hidden[0], enc["attention_mask"], query=1.0)


# ----------------------------------------------------------------------------- the explorer
@pytest.fixture(scope="module")
def explorer(classifier):
    model, tok = classifier
    return LayerStepsExplorer(model, tok, "The soup was cold and salty.", query=2, key=4)


def test_explorer_data_is_the_steps(explorer):
    data = explorer.compute({**explorer.initial_state(), "layer": 1, "head": 2})
    L = data["length"]
    assert data["tokens"][0] == "<s>" and data["tokens"][2] == "Ġsoup"
    assert data["mask"] is None and data["batch"] == 1
    assert data["shapes"] == {"hidden": [1, L, 128], "heads": [1, 4, L, 32],
                              "scores": [1, 4, L, L], "context": [1, L, 128],
                              "intermediate": [1, L, 512]}
    with torch.no_grad():
        enc = explorer.tokenizer(["The soup was cold and salty."], return_tensors="pt")
        out = explorer.model(**enc, output_attentions=True, output_hidden_states=True)
    # the softmax row is the attention explorer's row; the last step is the next hidden state
    torch.testing.assert_close(torch.tensor(data["weights"]), out.attentions[1][0, 2, 2],
                               rtol=0, atol=6e-6)
    torch.testing.assert_close(torch.tensor(data["out"]), out.hidden_states[2][0, 2],
                               rtol=0, atol=6e-6)
    assert data["dot"] == pytest.approx(sum(data["products"]), abs=1e-3)
    assert data["scores"][4] == pytest.approx(data["dot"] * data["scaling"], rel=1e-4)


def test_explorer_padding_clamping_and_errors(explorer):
    state = explorer.initial_state()
    data = explorer.compute({**state, "batch_with": "The waiter was friendly, but the pasta "
                                                    "was never hot and the sauce was bland."})
    assert data["batch"] == 2 and any(data["padded"]) and data["mask"] is not None
    assert all(w == 0 for w, p in zip(data["weights"], data["padded"]) if p)
    short = explorer.compute({**state, "text": "Yum.", "query": 40, "key": 40})
    assert short["query"] == short["key"] == short["length"] - 1  # moved to the last token
    with pytest.raises(ValueError, match=EMPTY_TEXT.split(":")[0]):
        explorer.compute({**state, "text": "   "})
    with pytest.raises(ValueError, match="layer must be 0..1; got 2."):
        explorer.compute({**state, "layer": 2})
    with pytest.raises(TypeError, match="query must be an integer; got"):
        explorer.compute({**state, "query": "2"})
    assert explorer.run({**state, "text": ""})[0] is None  # the view shows the error alone


def test_long_text_is_cut_with_a_warning(explorer):
    data = explorer.compute({**explorer.initial_state(), "text": "The food was cold. " * 200})
    assert data["length"] == 512
    assert data["warnings"] == [f"{len(explorer.tokenizer('The food was cold. ' * 200).input_ids)}"
                                " tokens: the model reads at most 512, so the end of the text "
                                "was cut"]


def test_source_lines_are_the_installed_ones(explorer):
    steps = explorer.config()["steps"]
    assert [s["id"] for s in steps] == ["hidden", "qkv", "score", "softmax", "context",
                                        "attention_out", "ffn"]
    module = sys.modules[type(explorer.model.roberta.encoder.layer[0].attention.self).__module__]
    lines, first = inspect.getsourcelines(module)
    for step in steps:
        for view in step["sources"]:
            assert view["caption"].startswith("transformers 5.23.0 · transformers/models/"
                                              "roberta/modeling_roberta.py")
            for number, code in view["lines"]:
                assert code.strip() == lines[number - 1].strip(), (step["id"], number)
    text = {s["id"]: "\n".join(c for v in s["sources"] for _, c in v["lines"]) for s in steps}
    assert "torch.matmul(query, key.transpose(2, 3)) * scaling" in text["score"]
    assert "attn_weights + attention_mask" in text["score"]
    assert "nn.functional.softmax(attn_weights, dim=-1)" in text["softmax"]
    assert "self.LayerNorm(hidden_states + input_tensor)" in text["attention_out"]
    assert "self.intermediate_act_fn(hidden_states)" in text["ffn"]


def test_explorer_on_the_qa_model(qa):
    model, tok = qa
    ex = LayerStepsExplorer(model, tok, "Where does Hannah live?",
                            "Oliver lives in Vienna. Hannah lives in Lisbon.", layer=3, query=3)
    data = ex.compute(ex.initial_state())
    assert data["tokens"][:4] == ["[CLS]", "where", "does", "hannah"]
    assert ex.config()["pair"] is True and ex.embedded == "qa"
    assert "bert/modeling_bert.py" in ex.config()["steps"][1]["sources"][0]["caption"]


# ----------------------------------------------------------------------------- exercises
def test_exercise_one_weight_by_hand(explorer, capsys):
    from hfanatomy.exercises.part1_ch04 import check_one_weight

    data = explorer.compute({**explorer.initial_state(), "text": "A gem.", "query": 2,
                             "key": 3, "batch_with": "The pasta was cold and the waiter "
                                                     "was rude."})
    q, k, mask = torch.tensor(data["q"]), torch.tensor(data["k"]), torch.tensor(data["mask"])
    raw = k @ q
    right = float((raw * data["scaling"] + mask).softmax(-1)[3])
    assert check_one_weight(right, data)
    assert not check_one_weight(None, data) and "Replace None" in capsys.readouterr().out
    assert not check_one_weight(float(raw[3] * data["scaling"]), data)
    assert "before the softmax" in capsys.readouterr().out
    assert not check_one_weight(float((raw + mask).softmax(-1)[3]), data)
    assert "scaling" in capsys.readouterr().out
    assert not check_one_weight(right + 0.1, data)


def test_exercise_padded_key(capsys):
    from hfanatomy.exercises.part1_ch04 import check_padded_key

    assert check_padded_key(0.0, False) and check_padded_key(0, False)
    assert not check_padded_key(1e-9, False) and "exactly 0" in capsys.readouterr().out
    assert not check_padded_key(0.0, True) and "without the padding" in capsys.readouterr().out
    assert not check_padded_key(None, None) and "Replace None" in capsys.readouterr().out
    assert not check_padded_key(0.0, "no")
