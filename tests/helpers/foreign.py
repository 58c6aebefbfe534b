"""A foreign RoBERTa classifier for the tests: not the embedded one in any size or vocabulary.

:func:`foreign_roberta_dir` saves a ``RobertaForSequenceClassification`` built from a config
(4 layers, hidden 48, 6 heads of 8, intermediate 96, 66 positions = 64 tokens, 3 labels
named ``contra/neutral/pro``), with random weights from a fixed seed and its own byte-level
BPE tokenizer (vocabulary 400, trained here on a few sentences in English and Korean). It
stands in for ``roberta-base`` or ``klue/roberta-base``, which cannot be downloaded here: Part
I must hold up on any classifier it is given (``HFANATOMY_CLASSIFIER=<dir>``).

Built in about a second and cached beside the MiniLM checkpoint (``tests/helpers/minilm.py``
``cache_dir()``), under a name that changes whenever the recipe does.

Run as a script to print the folder: ``python tests/helpers/foreign.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from minilm import cache_dir, cache_lock

SEED = 20261201
LABELS = ["contra", "neutral", "pro"]
SIZES = dict(num_hidden_layers=4, hidden_size=48, num_attention_heads=6, intermediate_size=96,
             max_position_embeddings=66, vocab_size=400)
NAME = "foreign-roberta-v1"  # bump when the recipe changes

CORPUS = [
    "I loved this movie, the acting was wonderful.",
    "The movie was great, but the ending was boring.",
    "The soup was not good, and the service was slow.",
    "A quiet film about a family, told with care and patience.",
    "Nothing in this book surprised me; it is long and flat.",
    "The songs are the best part of the show.",
    "영화가 정말 좋았어요",
    "음식이 맛없었어요",
    "배우들의 연기가 훌륭했다",
]


def foreign_roberta_dir(cache: Path | None = None) -> Path:
    """Folder of the foreign ``RobertaForSequenceClassification`` and its tokenizer."""
    cache = Path(cache) if cache is not None else cache_dir()
    out = cache / NAME
    if (out / "model.safetensors").exists():
        return out
    with cache_lock(cache):
        if not (out / "model.safetensors").exists():  # not built while this one waited
            _build(cache, out)
    return out


def _build(cache: Path, out: Path) -> None:
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from tokenizers.processors import RobertaProcessing
    from transformers import RobertaConfig, RobertaForSequenceClassification, RobertaTokenizerFast
    from transformers.utils import logging

    logging.disable_progress_bar()  # save_pretrained draws a "Writing model shards" bar
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    bpe = ByteLevelBPETokenizer(add_prefix_space=False)
    bpe.train_from_iterator(CORPUS * 4, vocab_size=SIZES["vocab_size"], min_frequency=1,
                            special_tokens=specials, show_progress=False)
    bpe.post_processor = RobertaProcessing(("</s>", bpe.token_to_id("</s>")),
                                           ("<s>", bpe.token_to_id("<s>")))
    tokenizer = RobertaTokenizerFast(tokenizer_object=bpe, model_max_length=SIZES["max_position_embeddings"] - 2)
    config = RobertaConfig(
        **SIZES, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2,
        num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={n: i for i, n in enumerate(LABELS)},
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
    )
    config.vocab_size = len(tokenizer)
    torch.manual_seed(SEED)
    model = RobertaForSequenceClassification(config).eval()
    tmp = cache / f"{NAME}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    tmp.rename(out)


if __name__ == "__main__":
    print(foreign_roberta_dir())
