"""Tiny tokenizers and models built in memory for the part1a tests (no download).

Importable by the other ``test_part1a_*`` modules (``tests/`` is on ``sys.path``).
"""

from __future__ import annotations

import functools

TEXTS = ["the movie was not good but the acting was great", "I loved it", "a terrible, boring film",
         "한국어 문장입니다", "what a wonderful film"]


@functools.cache
def bpe_tokenizer():
    """Byte-level BPE RobertaTokenizerFast with <s>=0, <pad>=1, </s>=2 (like roberta-base)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import RobertaTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    tok.train_from_iterator(TEXTS * 3, trainers.BpeTrainer(
        vocab_size=320, special_tokens=specials, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0))
    return RobertaTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                sep_token="</s>", cls_token="<s>", unk_token="<unk>",
                                pad_token="<pad>", mask_token="<mask>")


@functools.cache
def wordpiece_tokenizer():
    """WordPiece BertTokenizerFast ([PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4)."""
    from tokenizers import (
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
        trainers,
    )
    from transformers import BertTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(TEXTS * 3, trainers.WordPieceTrainer(
        vocab_size=200, special_tokens=specials, show_progress=False))
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    return BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]",
                             pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]")


def roberta_config(**kw):
    from transformers import RobertaConfig

    base = dict(vocab_size=320, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                intermediate_size=64, num_labels=3, max_position_embeddings=64)
    base.update(kw)
    return RobertaConfig(**base)


def roberta_classifier(attn: str = "eager", **kw):
    """A tiny RobertaForSequenceClassification in eval mode (seeded)."""
    import torch
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(0)
    return AutoModelForSequenceClassification.from_config(roberta_config(**kw),
                                                          attn_implementation=attn).eval()


def test_stand_ins_look_like_the_real_ones():
    bpe, wp = bpe_tokenizer(), wordpiece_tokenizer()
    assert (bpe.cls_token_id, bpe.pad_token_id, bpe.sep_token_id) == (0, 1, 2)
    assert wp.pad_token_id == 0 and wp.cls_token_id == 2
    assert bpe("hi there")["input_ids"][0] == 0
