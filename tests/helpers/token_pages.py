"""The token explorers the live-page tests draw: the embedded classifier's byte-level BPE and
the QA model's WordPiece, each with examples of a pair, a padded batch (right and left) and a
truncated window. Used by tests/tokens/test_tokens_live.py and test_tokens_ux.py."""

from __future__ import annotations

from hfanatomy.explorers.tokens import TokenExplorer

#: a short and a longer review: a batch of them is padded
TWO = ["A gem.", "Too long, and not funny at all."]


def token_explorers(bpe, wp) -> list[TokenExplorer]:
    """A TokenExplorer for ``bpe`` (the classifier's) and one for ``wp`` (the QA model's)."""
    return [
        TokenExplorer(bpe, {
            "English": "The food was never good.",
            "pair of texts": {"text": "I loved it.", "text_pair": "Me too."},
            "padded batch": {"text": TWO, "padding": True},
            "left-padded batch": {"text": TWO, "padding": True, "padding_side": "left"},
        }),
        TokenExplorer(wp, {
            "English pair": {"text": "Who employs Mina?", "text_pair": "Mina works at Harbor Labs."},
            "short window": {"text": "Who employs Mina?", "text_pair": "Mina lives in Busan. " * 8,
                             "truncation": "only_second", "max_length": 24},
        }),
    ]
