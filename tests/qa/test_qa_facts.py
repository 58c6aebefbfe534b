"""Fact sheet items 13, 14, 15, 16 and 18, asserted against transformers' BertForQuestionAnswering itself."""

import pytest
import torch
from tiny_qa import tiny_bert_qa
from transformers import BertConfig, BertForQuestionAnswering, BertForSequenceClassification

from hfanatomy.losses import qa_loss

pytestmark = pytest.mark.usefixtures("one_thread")

IDS = torch.tensor([[2, 10, 11, 12, 3, 20, 21, 22, 23, 3], [2, 13, 14, 3, 24, 25, 26, 27, 28, 3]])
TYPES = torch.tensor([[0] * 5 + [1] * 5, [0] * 4 + [1] * 6])


@pytest.fixture(scope="module")
def model():
    return tiny_bert_qa()


def run(model, **kw):
    with torch.no_grad():
        return model(input_ids=IDS, token_type_ids=TYPES, **kw)


def test_13_head_is_linear_hidden_to_2_per_token(model):
    head = model.qa_outputs
    assert isinstance(head, torch.nn.Linear)
    assert (head.in_features, head.out_features) == (model.config.hidden_size, 2)
    assert model.config.num_labels == 2  # not the number of context tokens
    # applied to every token independently: perturb one token's hidden state, only its scores move
    with torch.no_grad():
        seq = model.bert(input_ids=IDS, token_type_ids=TYPES).last_hidden_state  # (B, L, H)
        seq2 = seq.clone()
        seq2[:, 4] += 1.0
        diff = (head(seq2) - head(seq)).abs().sum(-1)  # (B, L)
    assert diff[:, 4].gt(0).all() and diff[:, :4].eq(0).all() and diff[:, 5:].eq(0).all()


def test_13_three_labels_fail_to_unpack():
    with pytest.raises(ValueError, match="too many values to unpack"):
        run(tiny_bert_qa(num_labels=3))


def test_14_split_last_axis_and_squeeze(model):
    out = run(model)
    with torch.no_grad():
        raw = model.qa_outputs(model.bert(input_ids=IDS, token_type_ids=TYPES)[0])  # (B, L, 2)
    assert out.start_logits.shape == out.end_logits.shape == IDS.shape
    assert torch.equal(out.start_logits, raw[..., 0]) and torch.equal(out.end_logits, raw[..., 1])
    pieces = raw.split(1, dim=1)  # the seed's "dim=1" reading: cuts along tokens
    assert len(pieces) == IDS.shape[1] and pieces[0].shape == (2, 1, 2)


def test_15_softmax_over_the_sequence_axis_per_example(model):
    out = run(model)
    p = out.start_logits.softmax(dim=-1)  # (B, L)
    assert torch.allclose(p.sum(-1), torch.ones(2))
    # per example: the other example in the batch does not change it
    with torch.no_grad():
        alone = model(input_ids=IDS[:1], token_type_ids=TYPES[:1]).start_logits.softmax(-1)
    assert torch.allclose(alone[0], p[0], atol=1e-5)


@pytest.mark.parametrize("seed", range(8))
def test_16_qa_loss_equals_model_on_random_positions(model, seed):
    g = torch.Generator().manual_seed(seed)
    L = IDS.shape[1]
    s = torch.randint(-6, L + 6, (2,), generator=g)
    e = torch.randint(-6, L + 6, (2,), generator=g)
    out = run(model, start_positions=s, end_positions=e)
    mine = qa_loss(out.start_logits, out.end_logits, s, e)
    assert torch.allclose(mine.loss, out.loss, equal_nan=True)
    ce = torch.nn.functional.cross_entropy
    by_hand = (ce(out.start_logits, s.clamp(0, L), ignore_index=L)
               + ce(out.end_logits, e.clamp(0, L), ignore_index=L)) / 2
    assert torch.allclose(by_hand, out.loss, equal_nan=True)


def test_16_clamping_ignoring_nan_none_and_b1(model):
    L = IDS.shape[1]
    base = run(model, start_positions=torch.tensor([1, 5]), end_positions=torch.tensor([2, 6]))
    # out-of-window rows drop out: loss equals the in-window row alone
    mixed = run(model, start_positions=torch.tensor([1, L + 3]), end_positions=torch.tensor([2, L]))
    ce = torch.nn.functional.cross_entropy
    row0 = (ce(mixed.start_logits[:1], torch.tensor([1])) + ce(mixed.end_logits[:1], torch.tensor([2]))) / 2
    assert torch.allclose(mixed.loss, row0)
    # a negative position is clamped to 0 ([CLS]) and counts
    neg = run(model, start_positions=torch.tensor([-5, 5]), end_positions=torch.tensor([2, 6]))
    zero = run(model, start_positions=torch.tensor([0, 5]), end_positions=torch.tensor([2, 6]))
    assert torch.equal(neg.loss, zero.loss) and not torch.equal(neg.loss, base.loss)
    # every row out of the window: nan
    assert run(model, start_positions=torch.tensor([L, 99]), end_positions=torch.tensor([L, 99])).loss.isnan()
    # only start positions: no loss at all
    assert run(model, start_positions=torch.tensor([1, 5])).loss is None
    # (B, 1) positions are accepted and squeezed
    b1 = run(model, start_positions=torch.tensor([[1], [5]]), end_positions=torch.tensor([[2], [6]]))
    assert torch.equal(b1.loss, base.loss)
    # the average of the two terms, not their sum (the output docstring says "sum")
    r = qa_loss(base.start_logits, base.end_logits, torch.tensor([1, 5]), torch.tensor([2, 6]))
    assert torch.allclose(base.loss, (r.start_loss + r.end_loss) / 2)
    assert not torch.allclose(base.loss, r.start_loss + r.end_loss)


def test_18_qa_uses_sequence_output_classifier_uses_pooler(model):
    assert model.bert.pooler is None
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=64, num_labels=3)
    clf = BertForSequenceClassification._from_config(cfg, attn_implementation="eager").eval()
    with torch.no_grad():
        body = clf.bert(input_ids=IDS, token_type_ids=TYPES)
        assert body.pooler_output is not None
        assert torch.allclose(clf(input_ids=IDS, token_type_ids=TYPES).logits,
                              clf.classifier(body.pooler_output))
    assert isinstance(model, BertForQuestionAnswering)
