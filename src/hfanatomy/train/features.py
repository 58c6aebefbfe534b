"""QA features: question + context windows, answer labels and attention-supervision targets.

``windows`` tokenizes (question, context) pairs the way the book's decoder does (windows of
``MAX_LEN`` tokens overlapping by ``STRIDE``), labels each window's answer span through the
offset mapping with the book's rule (``hfanatomy.qa_labels.training_positions``; [CLS] =
position 0 when the answer is not in the window), and, for
training, the targets of the two supervised attention heads (``aux_targets``). Used by the
trainer (``train.qa``) and by the evaluation (``train.evaluate``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from hfanatomy.qa_labels import answer_chars, training_positions
from hfanatomy.train import data

MAX_LEN = 384  # the book's default max_seq_len
STRIDE = 128  # the book's default doc_stride


@dataclass
class Window:
    item: int  # index of the QAItem
    input_ids: list[int]
    token_type_ids: list[int]
    offsets: list[tuple[int, int] | None]  # None outside the context
    start: int  # 0 ([CLS]) when the answer is not in this window
    end: int
    # attention-supervision targets (training only): per token, the positions its attention
    # should go to (empty = not supervised), see aux_targets
    subject: list[list[int]] | None = None
    name_match: list[list[int]] | None = None
    sentence: list[list[int]] | None = None
    question: list[list[int]] | None = None
    next: list[list[int]] | None = None


def aux_targets(item: data.QAItem, ids: list[int], seq: list[int | None],
                offsets: list[tuple[int, int]]) -> dict[str, list[list[int]]]:
    """Targets for the supervised heads, per token of one window (empty list = none).

    ``name_match[i]``: for a context token inside a person's name, the tokens of the
    question's name that are the same token (a comparison that works on any token, seen
    or not), else the first [SEP]. ``subject[i]``: for a context token, every token of the
    name of its sentence's person (else the sentence's first token). Together: "how much of
    this sentence's name is the name asked about?"
    """
    n = len(ids)
    if "sentences" not in item.extra:  # no annotations (train.qa_natural): nothing supervised
        return {k: [[] for _ in range(n)]
                for k in ("subject", "name_match", "sentence", "question", "next")}
    subject: list[list[int]] = [[] for _ in range(n)]
    name_match: list[list[int]] = [[] for _ in range(n)]
    sentence: list[list[int]] = [[] for _ in range(n)]
    sep = seq.index(None, 1)  # first [SEP]
    qa, qb = item.extra["question_name"]
    q_name = [i for i in range(n) if seq[i] == 0 and qa <= offsets[i][0] < qb]
    q_rest = [i for i in range(n) if seq[i] == 0 and i not in q_name]
    spans = item.extra["sentences"]  # (start, end, name_start, name_end, person), in order
    starts = [s[0] for s in spans]
    ctx = [i for i in range(n) if seq[i] == 1]
    sentence_of = {}
    for i in ctx:
        k = bisect.bisect_right(starts, offsets[i][0]) - 1
        if k >= 0 and offsets[i][0] < spans[k][1]:
            sentence_of[i] = k
    members: dict[int, list[int]] = {}
    for i, k in sentence_of.items():
        members.setdefault(k, []).append(i)
    for k, toks in members.items():
        _, _, na, nb, _ = spans[k]
        names = [i for i in toks if na <= offsets[i][0] < nb]
        for i in toks:
            subject[i] = names if names else [toks[0]]
            sentence[i] = toks
        for i in names:
            same = [j for j in q_name if ids[j] == ids[i]]
            name_match[i] = same or [sep]
    question = [q_rest if seq[i] == 1 else [] for i in range(n)]
    # next[i]: the token after a context token (whether it goes on the same word is what
    # tells the end of an answer from a cut inside a word: "Copen|hagen")
    following = [[i + 1] if seq[i] == 1 and i + 1 < n else [] for i in range(n)]
    return {"subject": subject, "name_match": name_match, "sentence": sentence,
            "question": question, "next": following}


def windows(tokenizer, items: list[data.QAItem], max_len: int = MAX_LEN,
            stride: int = STRIDE, aux: bool = False) -> list[Window]:
    """Tokenize question + context, split long contexts, label start/end via offsets."""
    enc = tokenizer(
        [it.question for it in items], [it.context for it in items],
        truncation="only_second", max_length=max_len, stride=stride,
        return_overflowing_tokens=True, return_offsets_mapping=True,
    )
    out = []
    for w, item_idx in enumerate(enc["overflow_to_sample_mapping"]):
        it = items[item_idx]
        seq = enc.sequence_ids(w)
        raw = [tuple(o) for o in enc["offset_mapping"][w]]
        offsets = [o if s == 1 else None for o, s in zip(raw, seq)]
        # the book's labelling rule (the course's preprocess_training_examples); the
        # generator writes every answer on token boundaries, where it is the exact span
        labels = training_positions([raw], [seq], [0],
                                    [answer_chars(it.context, it.answer, it.answer_start)])
        start, end = int(labels.start_positions[0]), int(labels.end_positions[0])
        win = Window(item_idx, enc["input_ids"][w], enc["token_type_ids"][w], offsets, start, end)
        if aux:
            for name, targets in aux_targets(it, win.input_ids, seq, raw).items():
                setattr(win, name, targets)
        out.append(win)
    return out


def window_counts(tokenizer, items: list[data.QAItem]) -> list[int]:
    """How many windows of the default size and stride each item's context needs."""
    counts = [0] * len(items)
    for w in windows(tokenizer, items):
        counts[w.item] += 1
    return counts


def length_buckets(batch: list[Window], edges: tuple[int, ...] = (96, 192)) -> list[list[Window]]:
    """Split windows by length so each bucket is padded only to its own longest window."""
    buckets: list[list[Window]] = [[] for _ in range(len(edges) + 1)]
    for w in batch:
        buckets[sum(len(w.input_ids) > e for e in edges)].append(w)
    return [b for b in buckets if b]


def collate(batch: list[Window], pad_id: int):
    import torch

    length = max(len(w.input_ids) for w in batch)
    ids = torch.full((len(batch), length), pad_id, dtype=torch.long)  # (B, L)
    types = torch.zeros((len(batch), length), dtype=torch.long)  # (B, L)
    for i, w in enumerate(batch):
        ids[i, : len(w.input_ids)] = torch.tensor(w.input_ids)
        types[i, : len(w.token_type_ids)] = torch.tensor(w.token_type_ids)
    return ids, types, ids.ne(pad_id).long()
