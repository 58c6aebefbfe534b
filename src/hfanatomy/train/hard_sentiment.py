"""Harder sentiment data for the classifier: the sentences a learner types, beyond the templates.

``train.data.sentiment_data`` writes the template reviews (plain praise or complaint, "was
not good", "X, but Y" where Y decides, Korean). This module adds, from its own random
stream so those templates stay as they were (the BPE tokenizer was trained on them):

- ``negators``: never, no, nobody / no one, nothing, hardly / barely, ``n't`` on any
  auxiliary ("We never enjoyed the trip.", "Nobody complained about the staff.");
- ``negated_adj``: a larger adjective lexicon, negated in new frames ("The room was not
  clean.", "I didn't find the plot clever.", "far from perfect", "anything but dull");
  the same frames also appear without negation (kind ``frames``, group ``plain``);
- ``contrast``: clauses of every kind joined by but / yet / although / even though /
  however / despite; the second clause decides ("Y, although X", where the main clause
  comes first, was tried at 10 % of these items and not learnt: left out);
- ``korean``: 전혀 / 별로 / 하나도 / 아무도 / 못 / 한 번도 ... 적이 없어요, new predicates, and
  "-는데" / "하지만" contrast;
- ``neutral``: sentences with no opinion ("I bought the blender on Monday.", and plain
  sentences from the standard library's docstrings), trained towards 50 / 50 so that the
  model has somewhere to put "no evidence".

Nouns in ``EN_THINGS_UNSEEN`` / ``KO_THINGS_UNSEEN`` never occur in training:
``unseen_data`` builds the held-out group of sentences about them.
"""

from __future__ import annotations

import collections
import functools
import random
import re
from dataclasses import dataclass, field

from hfanatomy.train import data
from hfanatomy.train.data import SentimentItem, obj, subject, topic

# words never used in training: the "unseen" held-out group is written with them
EN_THINGS_UNSEEN = [
    "blender", "bakery", "tour", "trip", "hostel", "podcast", "ferry", "jacket", "sofa",
    "mattress", "printer", "headset", "stadium", "zoo", "documentary", "library", "garden",
    "market", "sandwich", "burger", "salad", "taxi", "gym", "theater", "festival", "tablet",
    "vacuum", "backpack", "campsite", "musical",
]
KO_THINGS_UNSEEN = [
    "여행", "믹서기", "빵집", "호스텔", "팟캐스트", "소파", "매트리스", "프린터", "경기장", "동물원",
    "도서관", "정원", "시장", "샌드위치", "택시", "헬스장", "극장", "축제", "태블릿", "뮤지컬",
]
# never trained on either: sentences about them are half of the calibration split, so that
# the temperature is fitted where the model meets nouns it never saw
EN_THINGS_CAL = ["canoe", "scooter", "kettle", "toaster", "aquarium", "bookstore", "carousel",
                 "parade", "lantern", "sweater", "helmet", "puzzle", "violin", "hammock",
                 "microwave", "planetarium", "sauna", "bagel", "smoothie", "yacht"]
KO_THINGS_CAL = ["카누", "토스터", "수족관", "서점", "퍼레이드", "스웨터", "헬멧", "퍼즐", "바이올린",
                 "주전자", "사우나", "요트"]
# training nouns beyond data.EN_THINGS / data.KO_THINGS
EN_THINGS_MORE = [
    "hike", "cake", "tea", "car", "bus", "view", "apartment", "guide", "waiter", "driver",
    "teacher", "shop", "website", "delivery", "package", "shirt", "watch",
    "series", "soup", "steak", "bread", "wine", "breakfast", "pool", "lobby", "neighborhood",
    "product", "chair", "lamp", "train ride", "hospital", "dentist", "class", "workshop",
    "umbrella", "bike",
]
EN_PLURAL = ["seats", "rooms", "waiters", "songs", "photos", "rides", "shoes", "prices", "people",
             "dishes", "actors", "lessons", "guests", "staff", "tickets", "headphones"]
KO_THINGS_MORE = [
    "배송", "제품", "가방", "옷", "신발", "케이크", "빵", "차", "버스", "숙소", "가이드", "선생님",
    "가게", "웹사이트", "드라마", "수프", "아침", "수영장", "동네", "의자", "병원", "수업", "사진",
]

# a larger lexicon: adjectives a reader types that the templates never used
EN_POS_MORE = [
    "clean", "clear", "polite", "safe", "quiet", "tidy", "fresh", "tasty", "delicious", "cozy",
    "spacious", "reliable", "fast", "easy", "smooth", "useful", "warm", "gorgeous", "stunning",
    "elegant", "clever", "funny", "exciting", "generous", "affordable", "sturdy", "efficient",
    "welcoming", "worth it", "flawless", "relaxing", "thoughtful", "professional", "accurate",
    "intuitive", "fair", "cheerful", "inspiring", "convenient", "solid", "peaceful", "crisp",
]
EN_NEG_MORE = [
    "cramped", "stale", "greasy", "confusing", "complicated", "ugly", "expensive", "late",
    "unhelpful", "unfriendly", "cold", "uncomfortable", "unreliable", "buggy", "flimsy",
    "smelly", "crowded", "shabby", "sloppy", "clumsy", "painful", "forgettable", "pointless",
    "disgusting", "soggy", "tasteless", "careless", "outdated", "unsafe", "unclear", "harsh",
    "lazy", "inaccurate", "chaotic", "gloomy", "exhausting", "hard to use", "too loud",
]
EN_POS_ALL = data.EN_POS + EN_POS_MORE
EN_NEG_ALL = data.EN_NEG + EN_NEG_MORE
# verbs: base / past / past participle
EN_POS_V = [("like", "liked", "liked"), ("enjoy", "enjoyed", "enjoyed"), ("love", "loved", "loved"),
            ("appreciate", "appreciated", "appreciated"), ("recommend", "recommended",
                                                           "recommended"),
            ("admire", "admired", "admired"), ("trust", "trusted", "trusted")]
EN_NEG_V = [("hate", "hated", "hated"), ("dislike", "disliked", "disliked"),
            ("regret", "regretted", "regretted"), ("mind", "minded", "minded"),
            ("complain about", "complained about", "complained about"),
            ("worry about", "worried about", "worried about")]
EN_SUBJ = ["I", "I", "we", "they", "my friends", "my family", "she", "he", "my kids"]
EN_LINK = ["was", "is", "was", "seemed", "felt", "looked", "turned out", "sounded", "tasted"]
EN_AUX_NOT = ["didn't", "did not", "don't", "do not", "won't", "wouldn't", "couldn't", "can't",
              "could not", "would not", "will not"]
HAVE_NOT = ["n't", " never", " not"]
I_NOT = ["did not", "didn't", "don't"]
IT_NOT = ["was not", "wasn't", "is not"]
DO_NOT = ["did not", "didn't", "does not", "doesn't"]
EN_AUX_NOT_3 = ["doesn't", "does not", "didn't", "won't", "wouldn't", "can't", "couldn't"]

# Korean predicates beyond data.KO_PRED: (stem for "-지 않다" or None, past polite, polarity)
KO_PRED_MORE = [
    ("맛있", "맛있었어요", 1), ("맛없", "맛없었어요", 0), ("조용하", "조용했어요", 1),
    ("빠르", "빨랐어요", 1), ("괜찮", "괜찮았어요", 1), ("신선하", "신선했어요", 1),
    ("재미없", "재미없었어요", 0), ("안전하", "안전했어요", 1), ("유익하", "유익했어요", 1),
    ("넓", "넓었어요", 1), ("좁", "좁았어요", 0), ("복잡하", "복잡했어요", 0),
    ("위험하", "위험했어요", 0), ("싸", "쌌어요", 1), ("귀엽", "귀여웠어요", 1),
    ("따뜻하", "따뜻했어요", 1), ("차갑", "차가웠어요", 0), ("지겹", "지겨웠어요", 0),
    (None, "엉망이었어요", 0), (None, "대박이었어요", 1), (None, "돈 낭비였어요", 0),
]
KO_PRED_ALL = data.KO_PRED + KO_PRED_MORE
KO_POS_V = [("좋아하", "좋아했어요"), ("즐기", "즐겼어요"), ("추천하", "추천했어요"),
            ("마음에 들어하", "마음에 들어했어요")]
KO_NEG_V = [("싫어하", "싫어했어요"), ("불평하", "불평했어요"), ("후회하", "후회했어요")]

NEUTRAL_EN = [
    "I bought the {t} on Monday", "The {t} arrived yesterday", "We saw the {t} last week",
    "My sister ordered the {t}", "The {t} is next to the door", "I used the {t} twice",
    "This is about the {t} from the store downtown", "The {t} came in a blue box",
    "We talked about the {t} over lunch", "The {t} was delivered on Tuesday",
    "I read about the {t} in the news", "Our {t} is on the second floor",
    "The {t} opens at nine", "He asked me about the {t}", "I checked the {t} this morning",
]
NEUTRAL_KO = [
    "{t} 어제 샀어요", "{t} 월요일에 받았어요", "{t} 지난주에 봤어요", "{t} 친구랑 같이 봤어요",
    "{t} 두 번 썼어요", "{t} 오늘 아침에 확인했어요", "{t} 이야기를 했어요",
]


# Hangul syllables for made-up Korean nouns (the noun slot must carry no sentiment)
KO_SYLLABLES = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후기니디리" \
               "미비시이지치키티피히강남동산민서영진현수정경재성준호"
NOT_A_NOUN = {"good", "bad", "better", "best", "worse", "worst", "error", "errors", "wrong",
              "correct", "invalid", "valid", "fail", "fails", "failed", "failing", "failure",
              "broken", "nice", "great", "poor", "problem", "problems", "never", "nothing",
              "none", "with", "even", "above", "like", "love", "hate", "well", "fine", "right",
              "strongest", "longest", "probable", "empty", "natural", "whole", "entire"}


@dataclass
class Vocab:
    """The nouns a generator may use (training nouns, or the never-trained ones).

    ``pool_en`` / ``pool_ko``: more nouns, drawn with probability ``pool_share``: ordinary
    words from the standard library's docstrings ("the socket", "the queue") and made-up
    Korean ones, so that the model learns that the noun itself says nothing.
    """

    en: list[str]
    ko: list[str]
    plural: list[str]
    pool_en: list[str] = field(default_factory=list)
    pool_ko: list[str] = field(default_factory=list)
    pool_share: float = 0.0


def _never_trained(word: str) -> bool:
    return any(word.startswith(u) or u.startswith(word) for u in EN_THINGS_UNSEEN + EN_THINGS_CAL)


@functools.cache
def _docstrings(max_chars: int = 600_000) -> list[str]:
    return data.stdlib_docstrings(max_chars)


@functools.cache
def neutral_docstring_sentences() -> list[str]:
    """Short plain sentences from the standard library's docstrings: text with no opinion
    in words the reviews never use ("Return the number of items in the queue.")."""
    out = []
    for para in _docstrings():
        for sent in re.split(r"(?<=\.) ", para):
            words = sent.split()
            if 4 <= len(words) <= 16 and sent.endswith(".") and re.fullmatch(r"[A-Za-z ,.'-]+", sent):
                lower = {w.strip(".,").lower() for w in words}
                held = set(EN_THINGS_UNSEEN + EN_THINGS_CAL)
                if not lower & (NOT_A_NOUN | held | {w + "s" for w in held}):
                    out.append(sent)
    return sorted(set(out))


@functools.cache
def noun_pool() -> tuple[list[str], list[str]]:
    """(English, Korean) nouns for the noun slot, none of them in the ``unseen`` group."""
    docs = _docstrings()
    counts = collections.Counter(w for d in docs for w in re.findall(r"\bthe ([a-z]{4,10})\b", d))
    lexicon = set(EN_POS_ALL) | set(EN_NEG_ALL) | NOT_A_NOUN | {
        w for verbs in (EN_POS_V, EN_NEG_V) for forms in verbs for w in forms}
    en = sorted(w for w, n in counts.items()
                if n >= 2 and w not in lexicon and not _never_trained(w))
    rng = random.Random(0)
    ko: set[str] = set()
    while len(ko) < 400:
        word = "".join(rng.choice(KO_SYLLABLES) for _ in range(rng.choice([2, 2, 3])))
        if not any(u in word or word in u for u in KO_THINGS_UNSEEN + KO_THINGS_CAL):
            ko.add(word)
    return en, sorted(ko)


def train_vocab() -> Vocab:
    en, ko = noun_pool()
    return Vocab(data.EN_THINGS + EN_THINGS_MORE, data.KO_THINGS + KO_THINGS_MORE, EN_PLURAL,
                 en, ko, POOL_SHARE)


POOL_SHARE = 0.35
UNSEEN_VOCAB = Vocab(EN_THINGS_UNSEEN, KO_THINGS_UNSEEN, [t + "s" for t in EN_THINGS_UNSEEN[:12]])
CAL_VOCAB = Vocab(EN_THINGS_CAL, KO_THINGS_CAL, [t + "s" for t in EN_THINGS_CAL[:10]])


def _en_thing(rng: random.Random, v: Vocab) -> str:
    if v.pool_en and rng.random() < v.pool_share:
        return rng.choice(v.pool_en)
    return rng.choice(v.en)


def _ko_thing(rng: random.Random, v: Vocab) -> str:
    if v.pool_ko and rng.random() < v.pool_share:
        return rng.choice(v.pool_ko)
    return rng.choice(v.ko)


# share of each group among the hard items
HARD_WEIGHTS = {"negators": 0.21, "negated_adj": 0.19, "frames": 0.12, "contrast": 0.19,
                "korean": 0.17, "neutral": 0.12}


def _adj(rng: random.Random, polarity: int) -> str:
    return rng.choice(EN_POS_ALL if polarity else EN_NEG_ALL)


def _np(rng: random.Random, v: Vocab) -> tuple[str, bool]:
    """'the room' / 'the seats' / 'this phone'; second value: plural?"""
    if rng.random() < 0.2:
        return f"the {rng.choice(v.plural)}", True
    det = rng.choice(["the", "the", "the", "this", "that", "our", "my"])
    return f"{det} {_en_thing(rng, v)}", False


def _be(rng: random.Random, plural: bool, tense: str | None = None) -> str:
    tense = tense or rng.choice(["past", "past", "present"])
    if tense == "past":
        return "were" if plural else "was"
    return "are" if plural else "is"


def _en_frame(rng: random.Random, v: Vocab, polarity: int) -> str:
    """An un-negated clause in one of many frames, meaning ``polarity``."""
    np_, pl = _np(rng, v)
    a = _adj(rng, polarity)
    intens = rng.choice(data.EN_INTENS)
    r = rng.randrange(9)
    if r == 0:
        link = rng.choice(EN_LINK) if not pl else rng.choice(["were", "are", "seemed", "felt"])
        return f"{np_} {link} {intens}{a}"
    if r == 1:
        return f"I found {np_} {intens}{a}"
    if r == 2:
        return f"I thought {np_} {_be(rng, pl)} {intens}{a}"
    if r == 3 and not pl and not a.startswith("a "):
        art = "an" if a[0] in "aeiou" else "a"
        return f"it was {art} {a} {np_.split(' ', 1)[1]}"
    if r == 4:
        s = rng.choice(EN_SUBJ)
        _, past, _ = rng.choice(EN_POS_V if polarity else EN_NEG_V[:3])
        return f"{s} {rng.choice(['', '', 'really ', 'truly '])}{past} {np_}"
    if r == 5:
        return f"{np_} {_be(rng, pl)} {rng.choice(['', 'just ', 'simply '])}{a}"
    if r == 6:
        return f"{np_} could not have been more {a}" if polarity and rng.random() < 0.5 else \
            f"{np_} {_be(rng, pl)} {intens}{a}"
    if r == 7:
        return f"everything about {np_} was {a}"
    return f"{np_} {_be(rng, pl)} {intens}{a}"


def _en_negator(rng: random.Random, v: Vocab, label: int) -> str:
    """A clause meaning ``label`` through never / no / nobody / nothing / hardly / n't."""
    np_, pl = _np(rng, v)
    # the word the negator flips carries the opposite polarity
    a = _adj(rng, 1 - label)
    base, past, pp = rng.choice(EN_POS_V if not label else EN_NEG_V)
    s = rng.choice(EN_SUBJ)
    r = rng.randrange(12)
    if r == 0:
        return f"{s} never {past} {np_}"
    if r == 1:
        return f"{rng.choice(['nobody', 'no one', 'not one of us', 'none of my friends'])} " \
               f"{past} {np_}"
    if r == 2:
        return f"nothing about {np_} was {a}"
    if r == 3:
        return f"there was nothing {a} about {np_}" if not a.startswith("a ") else \
            f"{np_} {_be(rng, pl, 'past')} never {a}"
    if r == 4:
        # hardly / barely only soften praise: "hardly awful" is not a compliment
        adv = ["never"] if label else ["never", "hardly", "barely", "hardly ever"]
        return f"{np_} {_be(rng, pl)} {rng.choice(adv)} {a}"
    if r == 5:
        adv = ["never", "never really"] if label else ["hardly", "barely", "never really"]
        return f"{s} {rng.choice(adv)} {past} {np_}"
    if r == 6:
        aux = rng.choice(EN_AUX_NOT_3 if s in ("she", "he") else EN_AUX_NOT)
        return f"{s} {aux} {base} {np_}"
    if r == 7:
        have = "has" if s in ("she", "he") else "have"
        return f"{s} {have}{rng.choice(HAVE_NOT)} {pp} {np_}"
    if r == 8:
        if label:
            return f"{s} had no {rng.choice(['problems', 'complaints', 'issues'])} with {np_}"
        return f"{s} would never recommend {np_}"
    if r == 9:
        if label:
            return f"{rng.choice(['nothing', 'not a thing'])} was wrong with {np_}"
        return f"{np_} had no {rng.choice(['charm', 'good moments', 'redeeming qualities'])}"
    if r == 10:
        return f"{np_} {rng.choice(['never', 'hardly ever'])} {'disappointed' if label else 'impressed'}"
    return f"{rng.choice(['no one', 'nobody'])} {rng.choice(['thought', 'said'])} " \
           f"{np_} {_be(rng, pl, 'past')} {a}"


def _en_negated_adj(rng: random.Random, v: Vocab, label: int) -> str:
    """A negated adjective in a new frame: 'The room was not clean.' means the opposite."""
    np_, pl = _np(rng, v)
    a = _adj(rng, 1 - label)
    be = _be(rng, pl)
    nt = {"was": "wasn't", "is": "isn't", "were": "weren't", "are": "aren't"}[be]
    r = rng.randrange(9)
    if r == 0:
        return f"{np_} {be} not {a}"
    if r == 1:
        return f"{np_} {be} not {a} at all"
    if r == 2:
        return f"{np_} {nt} {rng.choice(['', '', 'really ', 'very ' if not label else ''])}{a}"
    if r == 3:
        return f"I {rng.choice(I_NOT)} find {np_} {a}"
    if r == 4:
        return f"I {rng.choice(I_NOT)} think {np_} {be} {a}"
    if r == 5 and not pl and not a.startswith("a "):
        art = "an" if a[0] in "aeiou" else "a"
        return f"it {rng.choice(IT_NOT)} {art} {a} {np_.split(' ', 1)[1]}"
    if r == 6:
        return f"{np_} {be} {rng.choice(['far from', 'anything but', 'never'])} {a}"
    if r == 7 and not label:  # "not exactly great" is negative; "not exactly awful" is not positive
        return f"{np_} {be} {rng.choice(['not exactly', 'not very', 'not really', 'not that'])} {a}"
    verb = rng.choice(["seem", "look", "feel", "sound", "taste"])
    return f"{np_} {rng.choice(I_NOT[:2] if pl else DO_NOT)} {verb} {a}"


def _en_any(rng: random.Random, v: Vocab, polarity: int) -> str:
    r = rng.random()
    if r < 0.6:
        return _en_frame(rng, v, polarity)
    if r < 0.8:
        return _en_negator(rng, v, polarity)
    return _en_negated_adj(rng, v, polarity)


def _en_contrast(rng: random.Random, v: Vocab, label: int) -> str:
    """Two clauses of opposite meaning; the main clause decides."""
    weak, main = _en_any(rng, v, 1 - label), _en_any(rng, v, label)
    r = rng.randrange(10)
    if r <= 2:
        return f"{weak}, but {main}"
    if r == 3:
        return f"{weak}, yet {main}"
    if r == 4:
        return f"{rng.choice(['although', 'even though', 'though', 'while'])} {weak}, {main}"
    if r == 5:
        return f"{weak}, {rng.choice(['but', 'and yet', 'but still'])} {main}"
    if r == 6:
        return f"{weak}. {data._cap(rng.choice(['but ', 'however, ', 'still, ']) + main)}"
    if r == 7:
        return f"{weak}; however, {main}"
    if r == 8:
        a = _adj(rng, 1 - label)
        thing = _en_thing(rng, v)
        if a.startswith("a ") or " " in a:
            return f"{weak}, but {main}"
        return f"despite the {a} {thing}, {main}"
    return f"{weak}, but {main}"


def _en_item(rng: random.Random, v: Vocab, group: str, label: int) -> str:
    body = {"negators": _en_negator, "negated_adj": _en_negated_adj, "frames": _en_frame,
            "contrast": _en_contrast}[group](rng, v, label)
    opener = rng.choice(data.EN_OPENERS)
    return data._cap(opener + body if opener else body) + rng.choice(data.EN_ENDS)


def _ko_pred(rng: random.Random, polarity: int) -> tuple[str | None, str]:
    stem, past, _ = rng.choice([p for p in KO_PRED_ALL if p[2] == polarity])
    return stem, past


def _ko_negated(rng: random.Random, v: Vocab, label: int) -> str:
    """전혀 / 별로 / 하나도 / 아무도 / 못 / 한 번도: a Korean clause meaning ``label``."""
    thing = _ko_thing(rng, v)
    stem = rng.choice([s for s, _, pol in KO_PRED_ALL if s and pol == 1 - label])
    r = rng.randrange(7)
    if r <= 1:
        adv = rng.choice(["전혀 ", "하나도 ", "결코 ", ""] + (["별로 ", "그다지 "] if not label else []))
        return f"{rng.choice([topic, subject])(thing)} {adv}{stem}지 않았어요"
    if r == 2:
        verb = rng.choice(KO_POS_V if not label else KO_NEG_V)[0]
        who = rng.choice(["아무도", "누구도", "우리 중 아무도"])
        return f"{who} {obj(thing)} {verb}지 않았어요"
    if r == 3:
        verb = rng.choice(["좋아한", "즐긴", "추천한"] if not label else ["후회한", "불평한"])
        return f"{obj(thing)} 한 번도 {verb} 적이 없어요"
    if r == 4 and label:
        return f"{thing}에 {rng.choice(['불만이', '문제가', '아쉬운 점이'])} " \
               f"{rng.choice(['전혀 ', '하나도 ', ''])}없었어요"
    if r == 4:
        return f"{obj(thing)} {rng.choice(['못 즐겼어요', '제대로 즐기지 못했어요', '추천하고 싶지 않아요'])}"
    if r == 5 and len(stem) <= 2:
        past = next(p for s, p, _ in KO_PRED_ALL if s == stem)
        return f"{topic(thing)} 안 {past}"
    return f"{topic(thing)} {stem}지 않았어요"


def _ko_plain(rng: random.Random, v: Vocab, label: int) -> str:
    thing = _ko_thing(rng, v)
    _, past = _ko_pred(rng, label)
    return f"{rng.choice([topic, subject])(thing)} {rng.choice(data.KO_INTENS)}{past}"


def _ko_clause(rng: random.Random, v: Vocab, label: int) -> str:
    return _ko_negated(rng, v, label) if rng.random() < 0.4 else _ko_plain(rng, v, label)


def _ko_contrast(rng: random.Random, v: Vocab, label: int) -> str:
    """'-지만' / '-는데' / '하지만': the second clause decides."""
    t1 = _ko_thing(rng, v)
    _, p1 = _ko_pred(rng, 1 - label)
    main = _ko_clause(rng, v, label)
    r = rng.randrange(4)
    if r == 0:
        return f"{topic(t1)} {rng.choice(data.KO_INTENS)}{data._ko_but(p1)} {main}"
    if r == 1:
        return f"{topic(t1)} {rng.choice(data.KO_INTENS)}{p1.removesuffix('어요')}는데 {main}"
    if r == 2:
        first = _ko_clause(rng, v, 1 - label)
        return f"{first}. {rng.choice(['하지만', '그런데', '그래도'])} {main}"
    return f"{topic(t1)} {data._ko_but(p1)}, {main}"


def _ko_item(rng: random.Random, v: Vocab, label: int) -> tuple[str, str]:
    r = rng.random()
    if r < 0.4:
        kind, body = "negators", _ko_negated(rng, v, label)
    elif r < 0.7:
        kind, body = "contrast", _ko_contrast(rng, v, label)
    else:
        kind, body = "frames", _ko_plain(rng, v, label)
    if rng.random() < 0.3:
        body = body[:-2] + "다" if body.endswith("어요") else body
    return rng.choice(data.KO_OPENERS) + body + rng.choice([".", ".", "!", ""]), kind


def _neutral(rng: random.Random, v: Vocab) -> tuple[str, str]:
    if v.pool_en and rng.random() < 0.4:
        return rng.choice(neutral_docstring_sentences()), "docstring"
    if rng.random() < 0.3:
        thing = _ko_thing(rng, v)
        t = rng.choice(NEUTRAL_KO)
        mark = obj if "봤" in t or "샀" in t or "썼" in t or "받" in t or "확인" in t else topic
        if "이야기" in t:
            return t.format(t=thing + "에 대한") + ".", "ko"
        return t.format(t=mark(thing)) + ".", "ko"
    return data._cap(rng.choice(NEUTRAL_EN).format(t=_en_thing(rng, v))) + ".", "en"


NEUTRAL = -1  # label of a neutral sentence: trained towards 50 / 50, not scored for accuracy


def hard_item(rng: random.Random, v: Vocab | None = None,
              group: str | None = None) -> SentimentItem:
    """One item of the harder groups (``HARD_WEIGHTS``), with nouns from ``v`` (default:
    ``train_vocab()``)."""
    v = v or train_vocab()
    group = group or rng.choices(list(HARD_WEIGHTS), weights=list(HARD_WEIGHTS.values()))[0]
    label = rng.randrange(2)
    if group == "neutral":
        text, kind = _neutral(rng, v)
        return SentimentItem(text, NEUTRAL, "neutral", kind)
    if group == "korean":
        text, kind = _ko_item(rng, v, label)
        return SentimentItem(text, label, "korean", kind)
    text = _en_item(rng, v, group, label)
    return SentimentItem(text, label, "plain" if group == "frames" else group, group)


def classifier_data(n: int, seed: int, split: str, hard: float = 0.5,
                    verb_contrast: float = 0.5) -> list[SentimentItem]:
    """``n`` distinct items: template items from ``data.sentiment_data`` and a share ``hard``
    of harder ones (same hash split: no held-out text is ever trained on)."""
    n_hard = round(n * hard)
    items = data.sentiment_data(n - n_hard, seed, split, verb_contrast=verb_contrast)
    rng = random.Random(seed + 7919)
    vocab = train_vocab()
    data.fill_distinct(items, n, lambda: hard_item(rng, vocab), split, tries_per_item=200)
    random.Random(seed).shuffle(items)
    return items


def unseen_data(n: int, seed: int, vocab: Vocab = UNSEEN_VOCAB,
                group: str = "unseen") -> list[SentimentItem]:
    """Held-out group ``unseen``: every kind of item, about nouns never trained on
    (``vocab=CAL_VOCAB``: the calibration split's share, about other such nouns)."""
    rng = random.Random(seed + 15485863 + (vocab is not UNSEEN_VOCAB))
    items: list[SentimentItem] = []
    seen: set[str] = set()
    groups = [g for g in HARD_WEIGHTS if g != "neutral"]
    while len(items) < n:
        item = hard_item(rng, vocab, groups[len(items) % len(groups)])
        if item.text not in seen:
            seen.add(item.text)
            items.append(SentimentItem(item.text, item.label, group, item.group))
    return items
