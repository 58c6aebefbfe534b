"""hfanatomy.modeltree counts equal sum(p.numel()); facts 1, 2, 6, 9 against transformers."""

from __future__ import annotations

import torch
from tiny_encoder import roberta_classifier, roberta_config
from transformers import RobertaForSequenceClassification

from hfanatomy.modeltree import compare_trees, module_tree


def test_counts_equal_numel_everywhere():
    model = roberta_classifier()
    tree = module_tree(model)
    assert tree.total_params == sum(p.numel() for p in model.parameters())
    modules = dict(model.named_modules())
    for node in tree.walk():
        mod = modules[node.path]
        assert node.total_params == sum(p.numel() for p in mod.parameters())
        assert node.own_params == sum(p.numel() for p in mod.parameters(recurse=False))
        assert node.shapes == {k: tuple(p.shape) for k, p in mod.named_parameters(recurse=False)}
        assert node.cls == type(mod).__name__
    assert sum(n.own_params for n in tree.walk()) == tree.total_params


def test_meta_device_full_size_klue_shape():
    cfg = roberta_config(vocab_size=32000, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                         intermediate_size=3072, num_labels=30, max_position_embeddings=514,
                         type_vocab_size=1)
    with torch.device("meta"):
        big = RobertaForSequenceClassification(cfg)
    tree = module_tree(big)
    assert tree.total_params == sum(p.numel() for p in big.parameters())
    assert tree.find("roberta.embeddings.word_embeddings").shapes["weight"] == (32000, 768)
    assert tree.find("roberta.embeddings.position_embeddings").shapes["weight"] == (514, 768)
    assert tree.find("classifier.out_proj").shapes["weight"] == (30, 768)
    rows = compare_trees(tree, module_tree(roberta_classifier()), depth=2)
    assert rows[0][2] == tree.total_params and rows[0][3] is not None


def test_fact1_fact2_head_reads_token_zero_and_no_pooler():
    model = roberta_classifier()
    assert model.roberta.pooler is None
    head = model.classifier
    assert [n for n, _ in head.named_children()] == ["dense", "dropout", "out_proj"]
    ids = torch.tensor([[0, 5, 6, 7, 2, 1, 1], [0, 8, 9, 10, 11, 12, 2]])
    with torch.no_grad():
        seq = model.roberta(ids, attention_mask=(ids != 1).long())[0]
        assert seq.shape == (2, 7, model.config.hidden_size)
        changed = seq.clone()
        changed[:, 1:] = torch.randn_like(changed[:, 1:])
        assert torch.equal(head(seq), head(changed))


def test_fact6_hidden_states():
    model = roberta_classifier()
    ids = torch.tensor([[0, 5, 6, 7, 2]])
    with torch.no_grad():
        out = model.roberta(ids, output_hidden_states=True)
        assert len(out.hidden_states) == model.config.num_hidden_layers + 1
        assert torch.equal(out.hidden_states[0], model.roberta.embeddings(input_ids=ids))
        assert torch.equal(out.hidden_states[-1], out.last_hidden_state)


def test_fact9_token_type_buffer():
    model = roberta_classifier()
    emb = model.roberta.embeddings
    assert emb.token_type_ids.shape == (1, model.config.max_position_embeddings)
    assert not emb.token_type_ids.any()
    keys = model.state_dict().keys()
    assert not any(k.endswith(("embeddings.position_ids", "embeddings.token_type_ids")) for k in keys)
    ids = torch.tensor([[0, 5, 6, 7, 2]])
    with torch.no_grad():
        assert torch.equal(emb(input_ids=ids), emb(input_ids=ids, token_type_ids=torch.zeros_like(ids)))
