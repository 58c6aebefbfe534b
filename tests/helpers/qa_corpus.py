"""Texts and tokenizers the QA tests share (no download).

* :data:`CORPUS`, :func:`build_tokenizer` (WordPiece), :func:`build_roberta_tokenizer`
  (byte-level BPE) and :func:`long_context` (sentences of the corpus drawn from a seed): the
  decoder's tests (``tests/qa/test_qa_decoding.py``, ``test_qa_course.py``) and the span-grid
  explorers';
* :data:`LONG`: ten people and where they live, ~200 context tokens (the windows explorer's
  tests and ``benchmarks/live_windows.py``).

``tests/conftest.py`` puts ``tests/helpers/`` on ``sys.path``: ``from qa_corpus import ...``.
"""

from __future__ import annotations

import random

import tiny

CORPUS = [
    "Ada Lovelace lives in London and works at the Science Museum as a curator.",
    "Grace Hopper was born in 1906 and owns a small red boat called Nova.",
    "Alan Turing works in Manchester, where he builds machines and runs marathons.",
    "위키는 간단한 마크업 언어와 웹 브라우저를 이용하여 함께 문서를 작성하는 공동체를 가능케 한다.",
    "김민수는 서울에 살고 부산의 병원에서 의사로 일한다.",
    "Who lives in London? Where does Alan work? When was Grace born? What does she own?",
    "위키는 어떤 언어를 이용하는가? 김민수는 어디에 사는가?",
]


def build_tokenizer():
    """A small WordPiece BertTokenizerFast trained in memory (no download)."""
    return tiny.wordpiece_tokenizer(CORPUS * 3, 400, model_max_length=128)


def build_roberta_tokenizer():
    """A small byte-level BPE RobertaTokenizerFast trained in memory (one segment, no
    token_type_ids, ``<s> q </s></s> c </s>``)."""
    return tiny.bpe_tokenizer(CORPUS * 3, 600, min_frequency=2, model_max_length=128)


def long_context(seed: int, n: int = 12) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(CORPUS[:5]) for _ in range(n))


#: the windows explorer's long context: ten people, where they live, when they were born
PEOPLE = ["Mina Park", "Ada Lovelace", "Jun Seo", "Grace Hopper", "Alan Turing", "Hana Kim",
          "Omar Haddad", "Lena Vogel", "Tomas Silva", "Yuki Tanaka"]
CITIES = ["Busan", "London", "Seoul", "Boston", "Manchester", "Daegu", "Cairo", "Berlin",
          "Lisbon", "Osaka"]
LONG = " ".join(f"{p} lives in {CITIES[k]}. {p} was born in {1950 + 3 * k}."
                for k, p in enumerate(PEOPLE))  # ~200 context tokens
