"""Exercise checkers of Part I chapters 1-4 accept the right answer and explain a wrong one."""

from __future__ import annotations

import pytest
from tiny_encoder import bpe_tokenizer, roberta_classifier

from hfanatomy.exercises import part1_ch01 as c1
from hfanatomy.exercises import part1_ch02 as c2
from hfanatomy.exercises import part1_ch03 as c3
from hfanatomy.exercises import part1_ch04 as c4


def _cases():
    model = roberta_classifier()
    tok = bpe_tokenizer()
    cfg = model.config
    n = sum(p.numel() for p in model.parameters())
    n_tok = len(tok("I loved it")["input_ids"])
    ids = [[1, 1, 0, 5, 6, 2]]
    return [
        (c1.check_total_params, (model,), n, len(list(model.parameters())), "tensors"),
        (c1.check_position_rows, (512, 1), 514, 512, "pad_token_id + 1"),
        (c1.check_word_embedding_params, (32000, 768), 32000 * 768, 32000 * 768 + 768, "no bias"),
        (c2.check_num_tokens, (tok, "I loved it"), n_tok, n_tok - 2, "special"),
        (c2.check_special_ids, (tok,), (0, 1, 2), (0, 0, 2), "pad"),
        (c2.check_utf8_bytes, ("한국어",), 9, 3, "characters"),
        (c3.check_position_ids, (ids, 1), [[1, 1, 2, 3, 4, 5]], [[0, 1, 2, 3, 4, 5]], "arange"),
        (c3.check_max_tokens, (514, 1), 512, 514, "rows"),
        (c3.check_embeds_position_ids, (4, 1), [2, 3, 4, 5], [0, 1, 2, 3], "cannot see pads"),
        (c4.check_additive_mask, ([1, 1, 0],), [0.0, 0.0, -1e9], [1, 1, 0], "add"),
        (c4.check_num_hidden_states, (cfg,), cfg.num_hidden_layers + 1, cfg.num_hidden_layers, "embeddings"),
        (c4.check_scaling, (cfg,), (cfg.hidden_size // cfg.num_attention_heads) ** -0.5,
         cfg.hidden_size ** -0.5, "one head"),
    ]


@pytest.mark.parametrize("case", range(12))
def test_checkers(case, capsys):
    check, args, right, wrong, hint = _cases()[case]
    assert check(right, *args) is True
    assert "Correct" in capsys.readouterr().out
    assert check(wrong, *args) is False
    out = capsys.readouterr().out
    assert "Not yet" in out and hint in out
    assert check(None, *args) is False
    assert "Replace None" in capsys.readouterr().out
    assert check("nonsense", *args) is False  # never raises on junk
