"""Train the two tokenizers with the ``tokenizers`` library and wrap them for transformers.

- byte-level BPE for RoBERTa: ``<s>``=0, ``<pad>``=1, ``</s>``=2, ``<unk>``=3, ``<mask>``=4,
  loadable as ``RobertaTokenizerFast`` (``Ġ`` marks a leading space; Hangul is learnt
  from its UTF-8 bytes);
- WordPiece for BERT: ``[PAD]``=0, ``[UNK]``=1, ``[CLS]``=2, ``[SEP]``=3, ``[MASK]``=4,
  lower-cased without stripping accents (stripping would decompose Hangul into jamo),
  loadable as ``BertTokenizerFast``. Its pieces are learnt on English only; Korean is
  written one syllable per token (the 2,350 syllables of KS X 1001, word-initial and
  ``##`` forms), so a name reads the same with every particle (김민지는, 김민지의: 김 ##민
  ##지 + the particle) and no common text becomes ``[UNK]``. Every printable ASCII
  character is in the vocabulary, alone and as a ``##`` piece. No list of names.

Corpus: the package's own sentiment (and, for WordPiece, QA) texts, plus the Python
standard library's docstrings as ordinary English.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

from hfanatomy.train import data
from hfanatomy.train.common import say

BPE_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
WORDPIECE_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
BPE_VOCAB = 8000
WORDPIECE_VOCAB = 5000  # learnt (English) pieces; the Hangul syllables come on top
HANGUL = re.compile("[\uac00-\ud7a3]")


def bpe_corpus(seed: int, small: bool = False) -> list[str]:
    """Docstrings, the template reviews and the reviews of ``train.reviews`` (whose clauses of
    experience bring the everyday Korean words the templates lack: with the templates
    alone, '강추합니다' and '발열이' were spelled byte by byte, three tokens a syllable)."""
    from hfanatomy.train import reviews

    texts = [it.text for it in data.sentiment_data(2000 if small else 30000, seed, "train")]
    texts += [it.text for it in reviews.review_data(1000 if small else 30000, seed, "train")]
    return data.stdlib_docstrings(50_000 if small else 3_000_000) + texts


def wordpiece_corpus(seed: int, small: bool = False) -> list[str]:
    texts = [it.text for it in data.sentiment_data(1000 if small else 10000, seed, "train")]
    docs = data.stdlib_docstrings(50_000 if small else 3_000_000)
    return docs + texts + data.qa_corpus(seed, small=small)


def syllable_vocabulary(learnt: list[str]) -> list[str]:
    """``learnt`` without its multi-syllable Hangul pieces, plus every KS X 1001 syllable
    and printable ASCII character, each word-initial and as a ``##`` piece."""
    keep = [t for t in learnt if len(HANGUL.findall(t)) == 0]
    chars = data.ks_x_1001_hangul() + [c for c in string.printable if not c.isspace()]
    extra = [c.lower() for c in chars] + ["##" + c.lower() for c in chars]
    seen = set(keep)
    for t in extra:
        if t not in seen:
            seen.add(t)
            keep.append(t)
    return keep


def train_bpe(corpus: list[str], vocab_size: int = BPE_VOCAB):
    """Return a transformers ``RobertaTokenizerFast`` trained on ``corpus``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import RobertaTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=2, special_tokens=BPE_SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer=trainer)
    model = json.loads(tok.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    hf = RobertaTokenizerFast(vocab=model["vocab"], merges=merges, model_max_length=512)
    for i, t in enumerate(BPE_SPECIALS):
        assert hf.convert_tokens_to_ids(t) == i, (t, hf.convert_tokens_to_ids(t))
    return hf


def train_wordpiece(corpus: list[str], vocab_size: int = WORDPIECE_VOCAB):
    """Return a transformers ``BertTokenizerFast`` trained on ``corpus``.

    Not bitwise reproducible: the trainer numbers its ``##`` pieces in hash-map order,
    which changes from process to process, and those numbers break ties between equally
    frequent merges (huggingface/tokenizers#1794). Three trainings on the same corpus here
    gave vocabularies that differed pairwise in 1-2 of 6000 tokens and in the ids of about
    400. The byte-level BPE has no ``##`` pieces and came out identical.
    """
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, min_frequency=2, special_tokens=WORDPIECE_SPECIALS,
        continuing_subword_prefix="##", show_progress=False,
    )
    # pieces are learnt on the text without its Hangul: Korean is one syllable per token
    tok.train_from_iterator([HANGUL.sub(" ", t) for t in corpus], trainer=trainer)
    learnt = sorted(tok.get_vocab().items(), key=lambda kv: kv[1])
    tokens = syllable_vocabulary([t for t, _ in learnt])
    hf = BertTokenizerFast(vocab={t: i for i, t in enumerate(tokens)}, do_lower_case=True,
                           strip_accents=False, model_max_length=512)
    for i, t in enumerate(WORDPIECE_SPECIALS):
        assert hf.convert_tokens_to_ids(t) == i, (t, hf.convert_tokens_to_ids(t))
    return hf


def save(tokenizer, out: Path) -> None:
    from hfanatomy.models import quiet

    out.mkdir(parents=True, exist_ok=True)
    with quiet():
        tokenizer.save_pretrained(out)


def run(which: str = "all", seed: int = 1234, out_root: Path | None = None,
        small: bool = False) -> dict[str, Path]:
    """Train and save the tokenizers; returns {name: directory}."""
    from hfanatomy.train.common import DEFAULT_DIRS

    dirs = {}
    if which in ("all", "bpe"):
        out = (out_root / "classifier") if out_root else DEFAULT_DIRS["classifier"]
        say("tokenizers: training byte-level BPE ...")
        tok = train_bpe(bpe_corpus(seed, small), 1000 if small else BPE_VOCAB)
        save(tok, out)
        say(f"tokenizers: byte-level BPE, {len(tok)} tokens -> {out}")
        dirs["bpe"] = out
    if which in ("all", "wordpiece"):
        out = (out_root / "qa") if out_root else DEFAULT_DIRS["qa"]
        say("tokenizers: training WordPiece ...")
        tok = train_wordpiece(wordpiece_corpus(seed, small), 1000 if small else WORDPIECE_VOCAB)
        save(tok, out)
        say(f"tokenizers: WordPiece, {len(tok)} tokens -> {out}")
        dirs["wordpiece"] = out
    return dirs
