"""Shared rules of the generators: the hash split (``is_held_out``, ``fill_distinct``),
the sentiment labels and the Korean particles (은/는, 이/가, 을/를).
"""

from __future__ import annotations

import hashlib

LABELS = {0: "negative", 1: "positive"}
HELD_OUT_PERCENT = 10  # share of distinct texts reserved for evaluation


def is_held_out(text: str) -> bool:
    """True for the ~10 % of texts reserved for evaluation (stable across runs)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return digest[0] * 100 // 256 < HELD_OUT_PERCENT


def fill_distinct(items: list, n: int, make, split: str, tries_per_item: int = 50) -> list:
    """Append ``make()``'s items to ``items`` until there are ``n``, each with a text not seen
    yet and on the ``split`` side of the hash split; returns ``items``."""
    seen = {it.text for it in items}
    want_test = split == "test"
    attempts = 0
    while len(items) < n:
        attempts += 1
        if attempts > tries_per_item * n + 10000:
            raise RuntimeError("could not generate enough distinct sentences")
        item = make()
        if item.text in seen or is_held_out(item.text) != want_test:
            continue
        seen.add(item.text)
        items.append(item)
    return items


def _has_batchim(word: str) -> bool:
    """Does the last Hangul syllable end in a consonant? (selects 은/는, 이/가, 을/를)."""
    code = ord(word[-1]) - 0xAC00
    if 0 <= code < 11172:
        return code % 28 != 0
    return word[-1].isdigit() and word[-1] in "013678"


def topic(word: str) -> str:
    return word + ("은" if _has_batchim(word) else "는")


def subject(word: str) -> str:
    return word + ("이" if _has_batchim(word) else "가")


def obj(word: str) -> str:
    return word + ("을" if _has_batchim(word) else "를")


