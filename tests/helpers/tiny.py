"""Builders of tiny in-memory tokenizers and config-built models for the tests (no download).

Each test module keeps its own texts (the vocabulary its assertions depend on) and
calls these builders with them:

* :func:`wordpiece_tokenizer`: a BERT-style WordPiece ``BertTokenizerFast``
  (``[PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4``; pairs ``[CLS] a [SEP] b [SEP]``
  with two segments);
* :func:`bpe_tokenizer`: a RoBERTa-style byte-level BPE ``RobertaTokenizerFast``
  (``<s>=0, <pad>=1, </s>=2``; pairs ``<s> a </s></s> b </s>``, no token types);
* :func:`wordlevel_tokenizer`: a word-level fast tokenizer over a fixed word list;
* :func:`tiny_model`: a seeded, eval-mode model built from a config
  (:data:`TINY_SIZES`: hidden 32, 2 layers, 2 heads, unless overridden);
  :func:`sharp_qa_model`: the same for a QA model with spread-out logits.

``tests/conftest.py`` puts ``tests/helpers/`` on ``sys.path``, so ``from tiny import ...``
works; its fixture ``one_thread`` runs a module's tiny models on one thread
(``pytestmark = pytest.mark.usefixtures("one_thread")``).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

#: the sizes every tiny test model starts from
TINY_SIZES = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)

_BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
_ROBERTA_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def _max_length(model_max_length: int | None) -> dict:
    return {} if model_max_length is None else {"model_max_length": model_max_length}


def wordpiece_tokenizer(texts: Iterable[str], vocab_size: int, *, strip_accents: bool | None = False,
                        model_max_length: int | None = None):
    """A WordPiece ``BertTokenizerFast`` trained on ``texts`` (lower-cased).

    ``strip_accents=None`` follows ``lowercase`` (accents stripped, which splits Hangul
    syllables into jamo); ``False`` keeps them.
    """
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
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=strip_accents)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.train_from_iterator(list(texts), trainers.WordPieceTrainer(
        vocab_size=vocab_size, special_tokens=_BERT_SPECIALS, show_progress=False))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]",
                             pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]",
                             **_max_length(model_max_length))


def bpe_tokenizer(texts: Iterable[str], vocab_size: int, *, min_frequency: int = 0,
                  model_max_length: int | None = None):
    """A byte-level BPE ``RobertaTokenizerFast`` trained on ``texts`` (every byte in the vocab)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import RobertaTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(list(texts), trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=_ROBERTA_SPECIALS,
        show_progress=False, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=True)
    return RobertaTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>",
                                sep_token="</s>", cls_token="<s>", unk_token="<unk>",
                                pad_token="<pad>", mask_token="<mask>",
                                **_max_length(model_max_length))


def wordlevel_tokenizer(words: Iterable[str], cls: str, sep: str, pad: str, pair_sep: str,
                        model_max_length: int = 64):
    """A word-level fast tokenizer: ``cls``=0, ``pad``=1, ``sep``=2, ``<unk>``=3, then ``words``.

    Pairs are ``cls a sep pair_sep b sep`` (``pair_sep`` is ``"</s> "`` for RoBERTa's
    double separator, ``""`` for BERT's single one).
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    vocab = {cls: 0, pad: 1, sep: 2, "<unk>": 3}
    for w in words:
        vocab[w] = len(vocab)
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single=f"{cls} $A {sep}", pair=f"{cls} $A {sep} {pair_sep}$B {sep}",
        special_tokens=[(cls, 0), (sep, 2)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, cls_token=cls, sep_token=sep,
                                   pad_token=pad, unk_token="<unk>",
                                   model_max_length=model_max_length)


def tiny_model(model_cls, config_cls, *, seed: int = 0, attn: str | None = "eager", **config):
    """``model_cls`` (e.g. ``BertForQuestionAnswering``) built from ``config_cls(**TINY_SIZES,
    **config)`` after ``torch.manual_seed(seed)``, in eval mode.

    ``attn=None`` keeps transformers' default attention implementation.
    """
    torch.manual_seed(seed)
    cfg = config_cls(**{**TINY_SIZES, **config})
    kw = {} if attn is None else {"attn_implementation": attn}
    return model_cls._from_config(cfg, **kw).eval()


def sharp_qa_model(model_cls, config_cls, *, seed: int = 0, sharpen: float = 20.0, **config):
    """A tiny ``...ForQuestionAnswering`` (transformers' default attention) whose
    ``qa_outputs`` weight is multiplied by ``sharpen``: the logits spread, so the scores of
    different spans differ clearly."""
    model = tiny_model(model_cls, config_cls, seed=seed, attn=None, **config)
    with torch.no_grad():
        model.qa_outputs.weight.mul_(sharpen)
    return model
