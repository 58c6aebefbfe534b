"""Draw the real review sentences of this folder from their sources (run once, by hand).

    python src/hfanatomy/train/real_reviews/draw.py NSMC_GIT_DIR UCI_GIT_DIR

``NSMC_GIT_DIR``: a clone of https://github.com/e9t/nsmc (its ``raw/*.json``, the crawled
reviews with their 1-10 ratings, read with ``git show`` at ``NSMC_COMMIT``);
``UCI_GIT_DIR``: a clone of a GitHub copy of UCI's Sentiment Labelled Sentences
(``UCI_REPO`` at ``UCI_COMMIT``, the three ``DataSets/*_labelled.txt`` files).

Writes ``nsmc.tsv`` and ``uci.tsv`` (columns ``text``, ``label`` 0/1, ``source``, ``id``)
beside this script. Sentences equal or near to a learner-suite sentence (dev or test) are
left out (``near_learner``), so that neither suite is ever trained on.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SEED = 1234
NSMC_REPO = "e9t/nsmc"
NSMC_COMMIT = "cc0670e872d4ac27bfe36c87456783004b39ef6c"
NSMC_PER_LABEL = 10000
NSMC_CHARS = (10, 60)  # reviews of 10 to 59 characters: long ones cost padding in every batch
UCI_CHARS = 200  # the longest IMDb sentences (up to 480 characters) are left out too
UCI_REPO = "RaveenBouy/UCI---Sentiment-Labelled-Sentences-Data-Set-"
UCI_COMMIT = "b1f3f1df423c74c29683554c2af79292f1a920ec"
UCI_FILES = {"amazon": "amazon_cells_labelled.txt", "imdb": "imdb_labelled.txt",
             "yelp": "yelp_labelled.txt"}
HANGUL = re.compile("[\uac00-\ud7a3]")


def plain(text: str) -> str:
    """Lower case, letters and digits only, single spaces (as tests/training/test_learner_suites.py)."""
    text = re.sub(r"[^\w\s]", " ", text.lower()).replace("_", " ")
    return " ".join(text.split())


def grams(text: str, n: int = 3) -> set[str]:
    s = plain(text).replace(" ", "")
    return {s[i : i + n] for i in range(max(1, len(s) - n + 1))}


class Learner:
    """The learner suites' sentences (dev and test), for leaving near-copies out."""

    def __init__(self) -> None:
        sys.path.insert(0, str(HERE.parents[2]))
        from hfanatomy.train import learner

        texts = [r.text for s in learner.SUITES for r in learner.reviews(s)]
        self.plain = [plain(t) for t in texts]
        self.grams = [grams(t) for t in texts]

    def near(self, text: str) -> bool:
        """Equal after ``plain``, one inside the other (12 characters or more), or character
        trigrams with a Jaccard similarity of 0.5 or more."""
        p, g = plain(text), grams(text)
        for q, h in zip(self.plain, self.grams):
            if p == q or (min(len(p), len(q)) >= 12 and (p in q or q in p)):
                return True
            if len(g & h) / max(1, len(g | h)) >= 0.5:
                return True
        return False


def show(git_dir: Path, commit: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
                          capture_output=True, check=True).stdout.decode("utf-8")


def show_many(git_dir: Path, commit: str, paths: list[str]) -> list[str]:
    """The files ``paths`` at ``commit``, read with one ``git cat-file --batch``."""
    stdin = "".join(f"{commit}:{p}\n" for p in paths).encode()
    raw = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                         input=stdin, capture_output=True, check=True).stdout
    out, pos = [], 0
    for _ in paths:
        header_end = raw.index(b"\n", pos)
        size = int(raw[pos:header_end].split()[2])
        out.append(raw[header_end + 1 : header_end + 1 + size].decode("utf-8"))
        pos = header_end + 1 + size + 1
    return out


def nsmc(git_dir: Path, learner: Learner) -> list[tuple[str, int, str, str]]:
    """NSMC's own rule (ratings 1-4 negative, 9-10 positive, 5-8 left out), plus: 10 to 59
    characters (NSMC: under 140), some Hangul, one copy of each text; then
    ``NSMC_PER_LABEL`` per label drawn with ``random.Random(SEED)``."""
    names = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "--name-only",
                            NSMC_COMMIT, "raw/"], capture_output=True, check=True,
                           text=True).stdout.split()
    by_text: dict[str, tuple[int, str]] = {}
    for doc in show_many(git_dir, NSMC_COMMIT, sorted(names)):
        for row in json.loads(doc):
            text = " ".join(row["review"].split())
            rating = int(row["rating"])
            if (5 <= rating <= 8 or not NSMC_CHARS[0] <= len(text) < NSMC_CHARS[1]
                    or not HANGUL.search(text)):
                continue
            by_text.setdefault(text, (int(rating >= 9), row["review_id"]))
    rng = random.Random(SEED)
    out = []
    for label in (0, 1):
        pool = sorted((t, rid) for t, (lab, rid) in by_text.items() if lab == label)
        rng.shuffle(pool)
        kept = []
        for text, rid in pool:
            if len(kept) == NSMC_PER_LABEL:
                break
            if not learner.near(text):
                kept.append((text, label, "nsmc", rid))
        out += kept
    rng.shuffle(out)
    return out


def uci(git_dir: Path, learner: Learner) -> list[tuple[str, int, str, str]]:
    """UCI's 3,000 sentences but repeats, those of ``UCI_CHARS`` characters or more and
    learner near-copies, in file order."""
    out, seen = [], set()
    for source, name in UCI_FILES.items():
        lines = show(git_dir, UCI_COMMIT, f"DataSets/{name}").split("\n")
        for k, line in enumerate(lines):
            if not line.strip():
                continue
            text, label = line.rsplit("\t", 1)
            text = " ".join(text.split())
            if plain(text) in seen or len(text) >= UCI_CHARS or learner.near(text):
                continue
            seen.add(plain(text))
            out.append((text, int(label), source, str(k + 1)))
    return out


def write(path: Path, rows: list[tuple[str, int, str, str]]) -> None:
    """Tab-separated, no quoting (read back with ``csv.QUOTE_NONE``)."""
    lines = ["text\tlabel\tsource\tid"]
    for text, label, source, rid in rows:
        assert "\t" not in text and "\n" not in text and "\r" not in text
        lines.append(f"{text}\t{label}\t{source}\t{rid}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(nsmc_dir: str, uci_dir: str) -> None:
    learner = Learner()
    write(HERE / "uci.tsv", uci(Path(uci_dir), learner))
    write(HERE / "nsmc.tsv", nsmc(Path(nsmc_dir), learner))


if __name__ == "__main__":
    main(*sys.argv[1:])
