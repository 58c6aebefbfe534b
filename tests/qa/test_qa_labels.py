"""hfanatomy.qa_labels against a from-scratch labeller, on many windows of both tokenizers.

The reference below shares no code with the package: it maps every context character to
the token that covers it (from the offsets), then labels a window by the tokens holding
the answer's first and last characters, or the null position when either is missing.
"""

from __future__ import annotations

import random

import pytest
import torch

import hfanatomy
from hfanatomy.qa import encode_windows
from hfanatomy.qa_labels import answer_chars, label_windows, training_positions

SENTENCES = [
    "Mina lives in Busan.", "Mina works at Blue Harbor Labs.", "Noah was born in 1987.",
    "Emma owns a red bicycle.", "The library opens at nine.", "Jun plays the cello badly.",
    "Sora studies marine biology in Jeju.", "Leo drives an old green truck.",
    "은비는 검은 카메라 한 대를 가지고 있어요.", "도윤은 목포 근처에 살고 있어요.",
]


def reference(enc, w: int, span, null: int) -> tuple[int, int]:
    """(start, end) of window w by a character -> token map; (null, null) when not inside."""
    if span is None:
        return null, null
    owner = {}  # character -> token covering it
    for t, (sid, (a, b)) in enumerate(zip(enc.sequence_ids(w), enc["offset_mapping"][w])):
        if sid == 1:
            for ch in range(a, b):
                owner.setdefault(ch, t)
    first, last = span[0], span[1] - 1
    if first not in owner or last not in owner:
        return null, null
    return owner[first], owner[last]


def examples(seed: int, n: int, korean: bool):
    rng = random.Random(seed)
    pool = SENTENCES if korean else SENTENCES[:8]
    out = []
    for _ in range(n):
        context = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 9)))
        words = context.split(" ")
        if rng.random() < 0.15:
            out.append(("Who is it?", context, None))
            continue
        i = rng.randrange(len(words))
        j = min(len(words), i + rng.randint(1, 3))
        answer = " ".join(words[i:j]).rstrip(".,?")
        start = len(" ".join(words[:i])) + (1 if i else 0)
        out.append(("Who is it?", context, answer_chars(context, answer, start)))
    return out


@pytest.fixture(scope="module")
def tokenizers():
    return {"WordPiece": hfanatomy.load_qa()[1], "byte-level BPE": hfanatomy.load_classifier()[1]}


@pytest.mark.parametrize("kind", ["WordPiece", "byte-level BPE"])
@pytest.mark.parametrize("max_length,stride", [(24, 6), (40, 12), (64, 0)])
def test_labels_equal_a_from_scratch_labeller(tokenizers, kind, max_length, stride):
    tok = tokenizers[kind]
    data = examples(seed=max_length + stride, n=40, korean=(kind == "WordPiece"))
    enc = tok([q for q, _, _ in data], [c for _, c, _ in data], truncation="only_second",
              max_length=max_length, stride=stride, return_overflowing_tokens=True,
              return_offsets_mapping=True, padding=True)
    W = len(enc["input_ids"])
    labels = training_positions(enc["offset_mapping"], [enc.sequence_ids(w) for w in range(W)],
                                enc["overflow_to_sample_mapping"], [a for _, _, a in data])
    assert W > len(data)  # long contexts were cut into several windows
    n_inside = 0
    for w in range(W):
        span = data[enc["overflow_to_sample_mapping"][w]][2]
        want = reference(enc, w, span, null=0)
        got = (int(labels.start_positions[w]), int(labels.end_positions[w]))
        assert got == want, (kind, w, span)
        n_inside += bool(labels.inside[w])
        if labels.inside[w]:  # the labelled tokens cover the answer, and no fewer would
            offs = enc["offset_mapping"][w]
            assert offs[got[0]][0] <= span[0] < offs[got[0]][1]
            assert offs[got[1]][0] < span[1] <= offs[got[1]][1]
    assert 0 < n_inside < W  # both cases occur


def test_windows_of_the_book_and_the_null_position(tokenizers):
    tok = tokenizers["WordPiece"]
    data = examples(seed=7, n=12, korean=True)
    win = encode_windows([q for q, _, _ in data], [c for _, c, _ in data], tok, max_seq_len=32,
                         doc_stride=8)
    labels = label_windows(win, [a for _, _, a in data])
    for w in range(win.num_windows):
        span = data[int(win.sample[w])][2]
        s, e = int(labels.start_positions[w]), int(labels.end_positions[w])
        if not labels.inside[w]:
            assert s == e == int(win.null_index[w]) == 0  # [CLS]
            if span is not None:  # really not inside: the window misses a character of it
                a, b = win.context_chars(w)
                assert span[0] < a or span[1] > b
        else:
            assert win.context_mask[w, s] and win.context_mask[w, e] and s <= e
            text = win.contexts[int(win.sample[w])]
            covered = text[int(win.offsets[w, s, 0]):int(win.offsets[w, e, 1])]
            assert text[span[0]:span[1]] in covered


def test_bad_input_says_what_is_wrong():
    with pytest.raises(ValueError, match="answer_start"):
        answer_chars("Mina lives in Busan.", "Busan", 3)
    assert answer_chars("abc", "", -1) is None
    offs = torch.zeros(2, 4, 2, dtype=torch.long)
    seq = [[None, 0, 1, None]] * 2
    with pytest.raises(ValueError, match="one answer"):
        training_positions(offs, seq, [0, 1], [(0, 1)])
    with pytest.raises(ValueError, match="same encoding"):
        training_positions(offs, seq[:1], [0, 0], [(0, 1)])
    with pytest.raises(ValueError, match="context_id"):
        training_positions(offs, [[None, 0, 0, None]] * 2, [0, 0], [(0, 1)])
    with pytest.raises(ValueError, match="first_char < end_char"):
        training_positions(offs, seq, [0, 0], [(3, 3)])
