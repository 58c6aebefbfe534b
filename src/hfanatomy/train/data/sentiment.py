"""Synthetic English and Korean reviews for the classifier: plain praise or complaint,
negation and contrast where the clause after "but" / "-지만" decides; every item carries
its ``group`` so scores are reported per group.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hfanatomy.train.data.text import is_held_out, subject, topic

# ---------------------------------------------------------------------------
# sentiment
# ---------------------------------------------------------------------------
EN_THINGS = [
    "movie", "film", "food", "service", "hotel", "phone", "book", "acting", "plot", "staff",
    "camera", "battery", "coffee", "room", "music", "ending", "price", "soundtrack", "game",
    "screen", "keyboard", "restaurant", "concert", "show", "dessert", "pizza", "laptop",
    "album", "novel", "flight", "app", "update", "lecture", "course", "beach", "museum",
    "design", "sequel", "interface", "speaker",
]
EN_POS = [
    "good", "great", "excellent", "wonderful", "amazing", "fantastic", "delightful", "superb",
    "enjoyable", "brilliant", "lovely", "impressive", "pleasant", "charming", "perfect",
    "outstanding", "beautiful", "fun", "helpful", "friendly", "comfortable", "satisfying",
    "terrific", "marvelous", "nice", "remarkable",
]
EN_NEG = [
    "bad", "terrible", "awful", "boring", "disappointing", "horrible", "poor", "dull",
    "mediocre", "dreadful", "bland", "rude", "dirty", "noisy", "slow", "broken", "overpriced",
    "annoying", "weak", "messy", "useless", "tedious", "unpleasant", "frustrating", "lousy",
    "pathetic",
]
EN_POS_VERBS = ["loved", "liked", "enjoyed", "adored", "appreciated", "recommend"]
EN_NEG_VERBS = ["hated", "disliked", "regretted", "despised", "resented", "can't stand"]
EN_INTENS = ["", "", "", "really ", "very ", "truly ", "absolutely ", "quite ", "surprisingly ",
             "incredibly ", "pretty ", "remarkably ", "so "]
EN_OPENERS = ["", "", "", "", "Honestly, ", "Overall, ", "To be fair, ", "I think ",
              "In my opinion, ", "Frankly, ", "Well, "]
EN_ENDS = [".", ".", ".", "!", "!", "..."]

# Korean predicates: (stem for "-지 않다", past polite form, polarity)
KO_PRED = [
    ("좋", "좋았어요", 1), ("훌륭하", "훌륭했어요", 1), ("멋지", "멋졌어요", 1),
    ("재미있", "재미있었어요", 1), ("만족스럽", "만족스러웠어요", 1), ("깨끗하", "깨끗했어요", 1),
    ("친절하", "친절했어요", 1), ("완벽하", "완벽했어요", 1), ("즐겁", "즐거웠어요", 1),
    ("아름답", "아름다웠어요", 1), ("편하", "편했어요", 1), ("감동적이", "감동적이었어요", 1),
    ("나쁘", "나빴어요", 0), ("지루하", "지루했어요", 0), ("실망스럽", "실망스러웠어요", 0),
    ("형편없", "형편없었어요", 0), ("불친절하", "불친절했어요", 0), ("더럽", "더러웠어요", 0),
    ("시끄럽", "시끄러웠어요", 0), ("느리", "느렸어요", 0), ("불편하", "불편했어요", 0),
    ("비싸", "비쌌어요", 0), ("지저분하", "지저분했어요", 0), ("답답하", "답답했어요", 0),
    (None, "최고였어요", 1), (None, "최악이었어요", 0), (None, "별로였어요", 0),
]
KO_THINGS = [
    "영화", "음식", "서비스", "호텔", "휴대폰", "책", "연기", "줄거리", "직원", "카메라", "배터리",
    "커피", "방", "음악", "결말", "가격", "게임", "화면", "식당", "공연", "디저트", "노트북",
    "앨범", "소설", "강의", "수업", "해변", "박물관", "디자인", "앱",
]
KO_INTENS = ["", "", "정말 ", "너무 ", "아주 ", "진짜 ", "꽤 ", "생각보다 "]
KO_OPENERS = ["", "", "", "솔직히 ", "전체적으로 ", "개인적으로 "]


def _ko_style(pred: str, casual: bool) -> str:
    """Polite '-어요' ending, or the plain written '-다' ending."""
    if not casual:
        return pred
    return pred[:-2] + "다" if pred.endswith("어요") else pred


def _ko_but(pred: str) -> str:
    """'좋았어요' -> '좋았지만' (the clause after -지만 decides)."""
    return pred[:-2] + "지만"


@dataclass
class SentimentItem:
    text: str
    label: int
    group: str  # plain | negation | contrast | korean
    kind: str  # finer: korean items say plain/negation/contrast here too


def _en_clause(rng: random.Random, thing: str, polarity: int, negate: bool) -> str:
    """'the food was (not) ADJ' where the clause's meaning is `polarity`."""
    word_pol = polarity if not negate else 1 - polarity
    adj = rng.choice(EN_POS if word_pol else EN_NEG)
    verb = rng.choice(["was", "is", "was", "seemed", "felt"])
    if not negate:
        return f"the {thing} {verb} {rng.choice(EN_INTENS)}{adj}"
    form = rng.choice([
        "{v} not {a}", "{v} not {a}", "{v}n't {a}", "{v}n't {a}", "{v} never {a}",
        "didn't seem {a}", "did not feel {a}", "{v} not {a} at all",
    ])
    v = rng.choice(["was", "is"])
    return f"the {thing} " + form.format(v=v, a=adj)


def _en_plain(rng: random.Random, label: int) -> str:
    thing = rng.choice(EN_THINGS)
    r = rng.random()
    if r < 0.5:
        body = _en_clause(rng, thing, label, negate=False)
    elif r < 0.8:
        verb = rng.choice(EN_POS_VERBS if label else EN_NEG_VERBS)
        body = f"I {verb} the {thing}"
    else:
        adj = rng.choice(EN_POS if label else EN_NEG)
        art = "an" if adj[0] in "aeiou" else "a"
        body = f"what {art} {adj} {thing}"
    return body


def _en_negated(rng: random.Random, label: int) -> str:
    thing = rng.choice(EN_THINGS)
    if rng.random() < 0.65:
        return _en_clause(rng, thing, label, negate=True)
    verb = rng.choice(["like", "enjoy", "love", "recommend"] if not label else
                      ["hate", "dislike", "regret"])
    aux = rng.choice(["did not", "didn't", "do not", "don't", "could not", "never"])
    return f"I {aux} {verb} the {thing}"


def _en_contrast(rng: random.Random, label: int) -> str:
    t1, t2 = rng.sample(EN_THINGS, 2)
    first = _en_clause(rng, t1, 1 - label, negate=rng.random() < 0.2)
    second = _en_clause(rng, t2, label, negate=rng.random() < 0.25)
    r = rng.random()
    if r < 0.6:
        return f"{first}, but {second}"
    if r < 0.8:
        return f"although {first}, {second}"
    return f"{first}; however, {second}"


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def _en_sentence(rng: random.Random, group: str, label: int) -> str:
    body = {"plain": _en_plain, "negation": _en_negated, "contrast": _en_contrast}[group](rng, label)
    opener = rng.choice(EN_OPENERS)
    text = opener + body if opener else body
    return _cap(text) + rng.choice(EN_ENDS)


def _ko_clause(rng: random.Random, thing: str, polarity: int, negate: bool, casual: bool,
               mark=topic) -> str:
    if negate:
        options = [p for p in KO_PRED if p[0] is not None and p[2] == 1 - polarity]
        stem, past, _ = rng.choice(options)
        pred = f"안 {past}" if len(stem) <= 2 and rng.random() < 0.35 else f"{stem}지 않았어요"
        return f"{mark(thing)} {_ko_style(pred, casual)}"
    _, pred, _ = rng.choice([p for p in KO_PRED if p[2] == polarity])
    return f"{mark(thing)} {rng.choice(KO_INTENS)}{_ko_style(pred, casual)}"


def _ko_sentence(rng: random.Random, kind: str, label: int) -> str:
    casual = rng.random() < 0.3
    opener = rng.choice(KO_OPENERS)
    if kind == "plain":
        thing = rng.choice(KO_THINGS)
        if rng.random() < 0.75:
            body = _ko_clause(rng, thing, label, False, casual, mark=rng.choice([topic, subject]))
        else:
            verb = "정말 마음에 들었어요" if label else "전혀 마음에 들지 않았어요"
            body = f"{subject(thing)} {verb}"
            body = _ko_style(body, casual)
    elif kind == "negation":
        body = _ko_clause(rng, rng.choice(KO_THINGS), label, True, casual)
    else:
        t1, t2 = rng.sample(KO_THINGS, 2)
        _, p1, _ = rng.choice([p for p in KO_PRED if p[2] == 1 - label])
        first = f"{topic(t1)} {rng.choice(KO_INTENS)}{_ko_but(p1)}"
        second = _ko_clause(rng, t2, label, rng.random() < 0.25, casual)
        body = f"{first}, {second}" if rng.random() < 0.7 else f"{first} {second}"
    return opener + body + rng.choice([".", ".", "!", ""])


GROUPS = ("plain", "negation", "contrast", "korean")
# share of each group in the generated data: hard groups are over-represented
GROUP_WEIGHTS = {"plain": 0.25, "negation": 0.25, "contrast": 0.25, "korean": 0.25}


def sentiment_item(rng: random.Random) -> SentimentItem:
    label = rng.randrange(2)
    group = rng.choices(GROUPS, weights=[GROUP_WEIGHTS[g] for g in GROUPS])[0]
    if group == "korean":
        kind = rng.choice(["plain", "negation", "contrast"])
        return SentimentItem(_ko_sentence(rng, kind, label), label, group, kind)
    return SentimentItem(_en_sentence(rng, group, label), label, group, group)


EN_POS_PAST = ["loved", "liked", "enjoyed", "adored", "appreciated"]
EN_NEG_PAST = ["hated", "disliked", "regretted", "despised"]


def _en_any_clause(rng: random.Random, thing: str, polarity: int) -> str:
    """An adjective clause ('the food was great') or a verb clause ('I really liked the food')."""
    r = rng.random()
    if r < 0.4:
        return _en_clause(rng, thing, polarity, negate=rng.random() < 0.2)
    if r < 0.85:
        verb = rng.choice(EN_POS_PAST if polarity else EN_NEG_PAST)
        return f"I {rng.choice(['', '', 'really ', 'truly ', 'absolutely '])}{verb} the {thing}"
    verb = rng.choice(["like", "enjoy", "love"] if not polarity else ["hate", "dislike", "mind"])
    negation = rng.choice(["did not", "didn't"])
    return f"I {negation} {verb} the {thing}"


def _en_verb_contrast(rng: random.Random, label: int) -> str:
    """Contrast whose clauses may be verb clauses: 'I liked the movie, but the ending was dull.'"""
    t1, t2 = rng.sample(EN_THINGS, 2)
    first, second = _en_any_clause(rng, t1, 1 - label), _en_any_clause(rng, t2, label)
    r = rng.random()
    if r < 0.7:
        body = f"{first}, but {second}"
    elif r < 0.85:
        body = f"although {first}, {second}"
    else:
        body = f"{first}; however, {second}"
    return _cap(rng.choice(EN_OPENERS) + body) + rng.choice(EN_ENDS)


def sentiment_data(n: int, seed: int, split: str,
                   verb_contrast: float = 0.0) -> list[SentimentItem]:
    """``n`` distinct items of the ``train`` or ``test`` split (deterministic for a seed).

    ``verb_contrast``: share of English contrast items rewritten (from a separate random
    stream, so the default stream is unchanged) with verb clauses ("I liked X, but ...").
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    rng = random.Random(seed)
    rng2 = random.Random(seed + 100003)
    seen: set[str] = set()
    items: list[SentimentItem] = []
    want_test = split == "test"
    attempts = 0
    while len(items) < n:
        attempts += 1
        if attempts > 200 * n + 10000:
            raise RuntimeError("could not generate enough distinct sentences")
        item = sentiment_item(rng)
        if verb_contrast and item.group == "contrast" and rng2.random() < verb_contrast:
            item = SentimentItem(_en_verb_contrast(rng2, item.label), item.label, "contrast",
                                 "contrast")
        if item.text in seen or is_held_out(item.text) != want_test:
            continue
        seen.add(item.text)
        items.append(item)
    return items


