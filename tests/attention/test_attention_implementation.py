"""Fact 5 of the book, checked against transformers itself.

The default attention implementation is ``sdpa``; asking it for attentions returns an
empty tuple (and logs a line); ``eager`` returns them, with the same logits; the model
class's constructor does not take ``attn_implementation``.
"""

import logging

import pytest
import torch
from transformers import (
    AutoModelForSequenceClassification,
    RobertaConfig,
    RobertaForSequenceClassification,
)
from transformers.utils import logging as hf_logging

CFG = dict(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
           intermediate_size=64, num_labels=3)
IDS = torch.tensor([[0, 5, 6, 7, 2, 1, 1], [0, 8, 9, 10, 11, 12, 2]])


def _model():
    torch.manual_seed(0)
    return AutoModelForSequenceClassification.from_config(RobertaConfig(**CFG)).eval()


def test_default_is_sdpa_and_returns_no_attentions():
    model = _model()
    assert model.config._attn_implementation == "sdpa"
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    # the line is logged with warning_once (cached per message) at WARNING level: make this
    # test independent of what earlier tests already logged or silenced
    hf_logging.warning_once.cache_clear()
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_warning()
    hf_logging.get_logger("transformers").addHandler(handler)
    try:
        out = model(input_ids=IDS, attention_mask=IDS != 1, output_attentions=True)
    finally:
        hf_logging.get_logger("transformers").removeHandler(handler)
        hf_logging.set_verbosity(verbosity)
    assert out.attentions == () or not out.attentions
    assert any("sdpa" in line for line in lines), lines


def test_eager_returns_attentions_with_the_same_logits():
    model = _model()
    with torch.no_grad():
        sdpa_logits = model(input_ids=IDS, attention_mask=IDS != 1).logits
        model.set_attn_implementation("eager")
        out = model(input_ids=IDS, attention_mask=IDS != 1, output_attentions=True)
    assert len(out.attentions) == CFG["num_hidden_layers"]
    assert out.attentions[0].shape == (2, 2, 7, 7)
    torch.testing.assert_close(out.logits, sdpa_logits, atol=1e-5, rtol=1e-5)


def test_constructor_rejects_attn_implementation():
    with pytest.raises(TypeError):
        RobertaForSequenceClassification(RobertaConfig(**CFG), attn_implementation="eager")
