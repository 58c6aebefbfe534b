"""hfanatomy.attention: the data behind the attention explorer, checked against transformers.

The tiny tokenizers and models come from ``tests/helpers/tiny_attention.py``.
"""

from __future__ import annotations

import pytest
import torch
from tiny_attention import TEXT, roberta, tiny_bert, tiny_bert_tokenizer, tiny_model, tiny_tokenizer

from hfanatomy.attention import (
    AttentionData,
    attention_data,
    compute_attention,
    model_max_tokens,
)


# ------------------------------------------------------------------ compute_attention
def test_compute_attention_equals_the_models_own_attentions():
    model, tok = roberta(), tiny_tokenizer()
    data = compute_attention(model, tok, TEXT)
    enc = tok(TEXT, return_tensors="pt")
    with torch.no_grad():
        out = model(**enc, output_attentions=True)
    assert isinstance(data, AttentionData)
    assert data.weights.shape == (2, 4, enc["input_ids"].shape[1], enc["input_ids"].shape[1])
    assert torch.equal(data.weights, torch.stack([a[0] for a in out.attentions]))
    assert data.tokens == tok.convert_ids_to_tokens(enc["input_ids"][0])
    assert (data.num_layers, data.num_heads, data.length) == (2, 4, 13)
    assert data.is_special == [t in ("<s>", "</s>") for t in data.tokens]
    assert not any(data.is_pad)


def test_rows_sum_to_one_every_layer_head_and_mean():
    data = compute_attention(roberta(), tiny_tokenizer(), TEXT, "what is good")
    sums = data.row_sums()  # (layers, heads, L)
    assert sums.shape == (data.num_layers, data.num_heads, data.length)
    assert torch.allclose(sums, torch.ones_like(sums), atol=1e-5)
    for layer in range(data.num_layers):
        mean = data.mean_over_heads(layer)  # (L, L)
        assert torch.allclose(mean, data.weights[layer].mean(0))
        assert torch.allclose(mean.sum(-1), torch.ones(data.length), atol=1e-5)
        assert torch.equal(data.head(layer, "mean"), mean)
        assert torch.equal(data.head(layer, 3), data.weights[layer, 3])
    # the attention is not trivial: the random model's heads differ
    assert not torch.allclose(data.head(0, 0), data.head(0, 1))


def test_pair_text_and_bert_specials():
    model, tok = tiny_bert(), tiny_bert_tokenizer()
    data = compute_attention(model, tok, "where is the cat", "the cat sat on the mat")
    assert data.tokens[0] == "[CLS]" and data.tokens.count("[SEP]") == 2
    assert [t for t, s in zip(data.tokens, data.is_special) if s] == ["[CLS]", "[SEP]", "[SEP]"]
    assert data.text_pair == "the cat sat on the mat"
    assert model_max_tokens(model, tok) == 24  # BERT: the whole position table


def test_roberta_limit_counts_the_padding_offset():
    # RoBERTa's real positions start at padding_idx + 1 = 2: 40 rows -> 38 tokens
    assert model_max_tokens(roberta(), tiny_tokenizer()) == 38
    long = " ".join(["cat"] * 36)  # 38 tokens with <s> and </s>: fits exactly
    assert compute_attention(roberta(), tiny_tokenizer(), long).length == 38
    with pytest.raises(ValueError, match=r"39 tokens but this model accepts at most 38"):
        compute_attention(roberta(), tiny_tokenizer(), long + " cat")


def test_max_length_truncates_with_a_note():
    data = compute_attention(roberta(), tiny_tokenizer(), " ".join(["dog"] * 50), max_length=10)
    assert data.length == 10 and data.tokens[-1] == "</s>"
    assert data.note == "truncated: 52 tokens, kept the first 10"
    assert compute_attention(roberta(), tiny_tokenizer(), TEXT, max_length=30).note == ""
    with pytest.raises(ValueError, match="max_length=50 is more than the model accepts"):
        compute_attention(roberta(), tiny_tokenizer(), TEXT, max_length=50)


def test_training_mode_is_restored_and_dropout_is_off():
    model = tiny_model()
    model.config.attention_probs_dropout_prob = 0.5
    model.train()
    a = compute_attention(model, tiny_tokenizer(), TEXT)
    b = compute_attention(model, tiny_tokenizer(), TEXT)
    assert model.training
    assert torch.equal(a.weights, b.weights)


def test_sdpa_model_is_refused_before_running(capfd):
    model = tiny_model(attn="sdpa")
    with pytest.raises(ValueError) as err:
        compute_attention(model, tiny_tokenizer(), TEXT)
    msg = str(err.value)
    assert "'sdpa'" in msg and 'attn_implementation="eager"' in msg
    assert 'set_attn_implementation("eager")' in msg
    assert capfd.readouterr().err == ""  # refused up front: transformers logged nothing
    model.set_attn_implementation("eager")  # the fix the message gives works
    assert compute_attention(model, tiny_tokenizer(), TEXT).num_layers == 2


@pytest.mark.parametrize("text, exc, match", [
    ("", ValueError, "text is empty"),
    ("   ", ValueError, "text is empty"),
    (None, TypeError, "text must be a str, got NoneType"),
    (["the", "cat"], TypeError, "text must be a str, got list"),
])
def test_bad_text(text, exc, match):
    with pytest.raises(exc, match=match):
        compute_attention(roberta(), tiny_tokenizer(), text)


def test_empty_pair_is_refused():
    with pytest.raises(ValueError, match="text_pair is empty"):
        compute_attention(roberta(), tiny_tokenizer(), TEXT, "")


# ------------------------------------------------------------------ attention_data
def _batch():
    """A padded batch of 2 through the model: (attentions, tokens, mask)."""
    tok = tiny_tokenizer()
    enc = tok(["the cat sat", "i loved the film and it was good"], padding=True,
              return_tensors="pt")
    with torch.no_grad():
        out = roberta()(**enc, output_attentions=True)
    tokens = [tok.convert_ids_to_tokens(row) for row in enc["input_ids"]]
    return out.attentions, tokens, enc["attention_mask"]


def test_batch_index_picks_the_example_and_the_mask_marks_padding():
    attn, tokens, mask = _batch()
    data = attention_data(attn, tokens, attention_mask=mask, batch_index=0)
    assert torch.equal(data.weights, torch.stack([a[0] for a in attn]))
    assert data.tokens == tokens[0]
    assert data.is_pad == [not m for m in mask[0].tolist()]
    assert data.shown == list(range(5))  # <s> the cat sat </s>, then 5 pads
    # padding keys get (almost) zero weight: that is what the mask did
    assert data.weights[..., 5:].max() < 1e-6
    other = attention_data(attn, tokens[1], attention_mask=mask[1], batch_index=1)
    assert not any(other.is_pad) and torch.equal(other.weights, torch.stack([a[1] for a in attn]))
    # without a mask, <pad> tokens count as padding
    assert attention_data(attn, tokens, batch_index=0).is_pad == data.is_pad


def test_three_dim_layers_and_custom_specials():
    attn, tokens, mask = _batch()
    single = [a[1] for a in attn]  # (heads, L, L) per layer
    data = attention_data(single, tokens[1], special_tokens={"film"})
    assert data.weights.shape == (2, 4, 10, 10)
    assert data.is_special == [t == "film" for t in tokens[1]]


def test_errors_name_what_is_wrong():
    attn, tokens, mask = _batch()
    with pytest.raises(ValueError, match=r"batch of 2 examples .*pass batch_index= 0..1"):
        attention_data(attn, tokens[0])
    with pytest.raises(ValueError, match=r"batch_index=2 is out of range: valid are 0..1"):
        attention_data(attn, tokens[0], batch_index=2)
    with pytest.raises(ValueError, match=r"9 tokens were given but the attention maps are 10 x 10"):
        attention_data(attn, tokens[0][:9], batch_index=0)
    with pytest.raises(ValueError, match=r"attention\[1\] has shape \(2, 4, 9, 9\) but "
                                         r"attention\[0\] has \(2, 4, 10, 10\)"):
        attention_data((attn[0], attn[1][:, :, :9, :9]), tokens, batch_index=0)
    with pytest.raises(ValueError, match=r"attention\[0\] has shape \(4, 10, 9\)"):
        attention_data((attn[0][0, :, :, :9],), tokens[0])
    with pytest.raises(ValueError, match=r"attention\[0\] has shape \(10, 10\); expected"):
        attention_data((attn[0][0, 0],), tokens[0])
    with pytest.raises(TypeError, match=r"got a single tensor of shape \(2, 4, 10, 10\)"):
        attention_data(attn[0], tokens, batch_index=0)
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*not scores"):
        attention_data(tuple(a * 3 - 1 for a in attn), tokens, batch_index=0)
    with pytest.raises(ValueError, match=r"attention_mask has shape \(9,\); expected \(10,\)"):
        attention_data(attn, tokens, batch_index=0, attention_mask=mask[0, :9])
    with pytest.raises(ValueError, match="tokens has 1 lists but the attention batch has 2"):
        attention_data(attn, tokens[:1], batch_index=0)
    with pytest.raises(TypeError, match="tokens must be strings"):
        attention_data([a[0] for a in attn], list(range(10)))


@pytest.mark.parametrize("empty", [None, (), []])
def test_empty_attention_says_sdpa_and_how_to_fix(empty):
    with pytest.raises(ValueError) as err:
        attention_data(empty, ["<s>", "</s>"])
    assert "'sdpa'" in str(err.value) and 'attn_implementation="eager"' in str(err.value)


def test_sdpa_outputs_really_are_empty_so_the_check_matters():
    # the fact behind the message: sdpa + output_attentions=True returns an empty tuple
    import transformers

    model = tiny_model(attn="sdpa")
    enc = tiny_tokenizer()(TEXT, return_tensors="pt")
    verbosity = transformers.logging.get_verbosity()
    transformers.logging.set_verbosity_error()
    try:
        with torch.no_grad():
            out = model(**enc, output_attentions=True)
    finally:
        transformers.logging.set_verbosity(verbosity)
    assert out.attentions == ()
    with pytest.raises(ValueError, match="sdpa"):
        attention_data(out.attentions, tiny_tokenizer().convert_ids_to_tokens(enc["input_ids"][0]))


def test_layer_and_head_out_of_range_say_the_valid_range():
    data = compute_attention(roberta(), tiny_tokenizer(), TEXT)
    with pytest.raises(ValueError, match=r"layer 2 is out of range: .* valid layers are 0..1"):
        data.head(2, 0)
    with pytest.raises(ValueError, match=r"layer -1 is out of range"):
        data.mean_over_heads(-1)
    with pytest.raises(ValueError, match=r'head 4 is out of range: .* valid heads are 0..3 '
                                         r'\(or "mean"\)'):
        data.head(0, 4)
    with pytest.raises(TypeError, match=r'head must be an int or "mean", got str \'max\''):
        data.head(0, "max")
    with pytest.raises(TypeError, match="layer must be an int, got float"):
        data.head(1.0, 0)


def test_num_threads_is_used_for_the_forward_and_restored():
    before = torch.get_num_threads()
    data = compute_attention(roberta(), tiny_tokenizer(), TEXT, num_threads=1)
    assert torch.get_num_threads() == before
    assert torch.equal(data.weights, compute_attention(roberta(), tiny_tokenizer(), TEXT).weights)
