"""Tiny tokenizers and QA models built in memory for the part2a tests (no download, < 1 s).

Importable by the other ``test_part2a_*`` modules (``tests/`` is on ``sys.path``);
the tests here check that the stand-ins behave like the real thing.
"""

from __future__ import annotations

import functools

import pytest
import torch

QUESTION = "위키는 어떤 언어를 이용하는가?"
CONTEXT = ("위키는 간단한 마크업 언어와 웹 브라우저를 이용, 함께 문서를 작성하는 공동체를 "
           "가능케 한다. 위키 웹사이트의 한 문서는 위키 문서라 부른다.")
EN_QUESTION = "Which language does a wiki use?"
EN_CONTEXT = "A wiki uses a simple markup language and a web browser to write pages together."
TEXTS = [QUESTION, CONTEXT, EN_QUESTION, EN_CONTEXT]


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models run fastest on one thread on a busy machine; restore the setting after."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@functools.cache
def wordpiece_tokenizer():
    """A BERT-style WordPiece fast tokenizer: [CLS] q [SEP] c [SEP], two segments."""
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
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok.train_from_iterator(TEXTS, trainers.WordPieceTrainer(
        vocab_size=300, special_tokens=specials, show_progress=False))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tok.decoder = decoders.WordPiece()
    return BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                             cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")


@functools.cache
def bpe_tokenizer():
    """A RoBERTa-style byte-level BPE fast tokenizer: <s> q </s></s> c </s>, no token types."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import RobertaTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    tok.train_from_iterator(TEXTS, trainers.BpeTrainer(
        vocab_size=400, special_tokens=specials, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=True)
    tok.decoder = decoders.ByteLevel()
    return RobertaTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                sep_token="</s>", cls_token="<s>", unk_token="<unk>",
                                pad_token="<pad>", mask_token="<mask>")


def tiny_bert_qa(num_labels: int = 2, seed: int = 0):
    """A randomly initialised BertForQuestionAnswering (hidden 32, 2 layers), eval, eager."""
    from transformers import BertConfig, BertForQuestionAnswering

    torch.manual_seed(seed)
    cfg = BertConfig(vocab_size=wordpiece_tokenizer().vocab_size, hidden_size=32,
                     num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                     max_position_embeddings=128, num_labels=num_labels)
    return BertForQuestionAnswering._from_config(cfg, attn_implementation="eager").eval()


def tiny_roberta_qa(seed: int = 0):
    """A randomly initialised RobertaForQuestionAnswering: one segment (type_vocab_size 1)."""
    from transformers import RobertaConfig, RobertaForQuestionAnswering

    torch.manual_seed(seed)
    cfg = RobertaConfig(vocab_size=bpe_tokenizer().vocab_size, hidden_size=32,
                        num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=130, type_vocab_size=1, pad_token_id=1)
    return RobertaForQuestionAnswering._from_config(cfg, attn_implementation="eager").eval()


def test_wordpiece_pairs_have_two_segments():
    enc = wordpiece_tokenizer()(QUESTION, CONTEXT)
    assert set(enc["token_type_ids"]) == {0, 1}
    assert enc.tokens()[0] == "[CLS]"


def test_bpe_pairs_have_no_token_types():
    tok = bpe_tokenizer()
    enc = tok(EN_QUESTION, EN_CONTEXT)
    assert "token_type_ids" not in enc
    assert enc.tokens()[0] == "<s>" and enc.tokens().count("</s>") == 3
