"""Reviews as people write them: a lexicon-driven generator for the classifier.

``train.data`` and ``train.hard_sentiment`` teach the structure of a review (negation,
negators, contrast) on a few dozen adjectives. A reader types other words: "cold food",
"a masterpiece", "the worst meal I have ever had", "never again", "다시는 안 갈 거예요". This
module writes reviews with the words people use, from three sources:

- English adjectives rated by people: the adjectives of TextBlob's lexicon (``pos="JJ"``)
  whose sign agrees with VADER's mean rating of ten raters (|mean| >= 1), plus the
  generators' own lists (``lexicons/``: both MIT, pinned versions, see its README);
- every other single word VADER rates (|mean| >= 1.5), in short carrier phrases, so that
  each rated word reaches the model with its sign;
- hand-written lists: nouns of opinion ("a gem", "a waste of money"), superlatives,
  verdicts ("I will never come back.", "Would recommend."), idioms whose negator does not
  flip the verdict ("I can't recommend it enough", "not bad at all"), and Korean predicates,
  nouns and verdicts with their polite, plain and casual endings.

Items are reviews of one to three sentences. In a mixed review the last verdict decides,
as it does for a reader. Groups: ``plain``, ``negation``, ``contrast``, ``nouns``
(nouns of opinion and superlatives) and ``korean`` (its ``kind`` says which of these).
The split is the generators' hash split (``data.is_held_out``).
"""

from __future__ import annotations

import functools
import random
import re
import statistics
from collections import defaultdict
from pathlib import Path

from hfanatomy.train import data, hard_sentiment
from hfanatomy.train.data import SentimentItem, subject, topic
from hfanatomy.train.hard_sentiment import Vocab

LEXICONS = Path(__file__).with_name("lexicons")
# words a review generator should never write, whatever their rating
BLOCK = {
    "bloody", "crying", "dead", "drunk", "retarded", "fucked", "sexy", "criminal", "illegal",
    "huge", "free", "sure", "ready", "certain", "rich", "wealthy", "innocent", "guilty", "blind",
    "shy", "naive", "mad", "insane", "crazy", "evil", "violent", "vicious", "sinister", "ill",
    "sick", "numb", "proud", "favored", "justified", "supporting", "winning", "greater",
    "greatest", "best", "better", "worse", "worst", "loved", "liked", "disliked", "lenient",
    "avid", "fit", "true", "advanced", "prominent", "celebrated", "intellectual", "ethical",
    "heroic", "noble", "powerful", "strong", "bold", "missing", "negative", "positive", "odd",
    "tense", "desperate", "agitative", "defenseless", "diffident", "aghast", "hapless",
    "grievous", "powerless", "skeptical", "troubled", "erroneous", "unintelligent", "cynical",
}
PROFANE = re.compile(r"fuck|shit|bitch|dick|cock|cunt|whore|slut|rape|nigg|fag|retard|bastard"
                     r"|damn|hell|piss|ass|sex|porn|kill|murder|suicid|dead|die|terror|nazi")


@functools.cache
def vader() -> dict[str, float]:
    """VADER's single-word entries (lower-case letters only): word -> mean rating (-4..4)."""
    out = {}
    for line in (LEXICONS / "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        word, mean, *_ = line.split("\t")
        if re.fullmatch(r"[a-z]{3,}", word) and not PROFANE.search(word):
            out[word] = float(mean)
    return out


@functools.cache
def adjectives() -> tuple[list[str], list[str]]:
    """(positive, negative) adjectives: TextBlob's adjectives whose sign VADER confirms,
    plus the generators' own lists."""
    text = (LEXICONS / "textblob-en-sentiment.xml").read_text(encoding="utf-8")
    senses = defaultdict(list)
    for m in re.finditer(r'<word form="([a-z]+)"[^>]*pos="JJ"[^>]*polarity="([-\d.]+)"', text):
        senses[m.group(1)].append(float(m.group(2)))
    v = vader()
    pos, neg = set(hard_sentiment.EN_POS_ALL), set(hard_sentiment.EN_NEG_ALL)
    for word, pols in senses.items():
        p = statistics.mean(pols)
        if word in BLOCK or word not in v:
            continue
        if p > 0.1 and v[word] >= 1.0:
            pos.add(word)
        elif p < -0.1 and v[word] <= -1.0:
            neg.add(word)
    pos |= set(EN_ADJ_POS)
    neg |= set(EN_ADJ_NEG)
    return sorted(pos - neg), sorted(neg - pos)


@functools.cache
def rated_words() -> tuple[list[str], list[str]]:
    """(positive, negative) VADER words with |mean| >= 1.5, for the carrier phrases."""
    v = vader()
    pos = sorted(w for w, m in v.items() if m >= 1.5 and w not in BLOCK)
    neg = sorted(w for w, m in v.items() if m <= -1.5 and w not in BLOCK)
    return pos, neg


@functools.cache
def clauses(lang: str) -> tuple[list[str], list[str]]:
    """(positive, negative) hand-written clauses of experience ("the sheets had stains on
    them", "방에서 담배 냄새가 났어요"): ``lexicons/clauses_{en,ko}.tsv``; empty lists when the
    file is absent."""
    path = LEXICONS / f"clauses_{lang}.tsv"
    if not path.is_file():
        return [], []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    # the held-out "unseen" and calibration nouns stay unseen: clauses naming them are left out
    rows = [r for r in rows if not _names_held_out_noun(r[2], lang)]
    return ([c for pol, _, c in rows if pol == "pos"], [c for pol, _, c in rows if pol == "neg"])


def _names_held_out_noun(clause: str, lang: str) -> bool:
    if lang == "ko":
        held = hard_sentiment.KO_THINGS_UNSEEN + hard_sentiment.KO_THINGS_CAL
        return any(h in clause for h in held)
    held = set(hard_sentiment.EN_THINGS_UNSEEN + hard_sentiment.EN_THINGS_CAL)
    return bool(set(re.findall(r"[a-z]+", clause.lower())) & (held | {w + "s" for w in held}))


@functools.cache
def clause_nouns() -> tuple[list[str], list[str]]:
    """(English, Korean) nouns the clauses of experience use ("the sheets", "냄새가"): they
    also fill the noun slot of the adjective frames, in praise and complaint alike, so that
    a noun met mostly in complaints ("the printer jammed") says nothing by itself."""
    lexicon = set(adjectives()[0]) | set(adjectives()[1]) | hard_sentiment.NOT_A_NOUN
    skip = lexicon | {"first", "whole", "same", "old", "middle", "next", "last", "second",
                      "other", "only", "third", "new", "entire", "best", "worst", "main",
                      "final", "little", "big", "right", "wrong", "back", "way", "end"}
    en, ko = set(), set()
    for side in clauses("en"):
        for c in side:
            en |= set(re.findall(r"\b(?:the|my|our|this|their|his|her) ([a-z]{3,})", c))
    for side in clauses("ko"):
        for c in side:
            ko |= {m for m in re.findall(r"([가-힣]{2,})(?:이|가|은|는)(?= )", c)}
    return sorted(en - skip), sorted(ko)


def _experience(rng: random.Random, lang: str, polarity: int) -> str | None:
    pos, neg = clauses(lang)
    bank = pos if polarity else neg
    return rng.choice(bank) if bank else None


# everyday review adjectives that neither lexicon rates as such
EN_ADJ_POS = [
    "tasty", "yummy", "tender", "juicy", "crispy", "hot and fresh", "spotless", "roomy", "cozy",
    "quick", "prompt", "attentive", "well made", "well written", "well acted", "fun to use",
    "easy to use", "value for money", "reasonably priced", "worth the price", "sturdy",
    "comfy", "quiet", "smooth", "snappy", "gripping", "moving", "heartwarming", "touching",
    "spot on", "on time", "well organized", "knowledgeable", "welcoming", "homely", "fluffy",
]
EN_ADJ_NEG = [
    "salty", "stale", "soggy", "greasy", "burnt", "undercooked", "overcooked", "cold", "lukewarm",
    "watery", "tasteless", "inedible", "dirty", "filthy", "smelly", "cramped", "noisy", "slow",
    "late", "rude", "overpriced", "pricey", "flimsy", "cheaply made", "poorly made", "faulty",
    "defective", "buggy", "laggy", "unreliable", "unwatchable", "predictable", "forgettable",
    "pointless", "clunky", "dated", "worn out", "moldy", "sticky", "dusty", "unprofessional",
    "a letdown", "not worth it", "too expensive", "way too salty", "way too long",
]
EN_NOUN_POS = [
    "a masterpiece", "a gem", "a hidden gem", "a delight", "a joy", "a treat", "a bargain",
    "a steal", "a winner", "a triumph", "a must-see", "a must-have", "a lifesaver",
    "a pleasure", "a dream", "a great buy", "great value", "a real find", "a classic",
    "a knockout", "a game changer", "a home run", "a breath of fresh air", "a keeper",
    "a work of art", "a real treat", "an absolute joy", "money well spent", "time well spent",
    "a success", "a hit", "a blast", "a perfect gift",
]
EN_NOUN_NEG = [
    "a disaster", "a disappointment", "a letdown", "a waste of money", "a waste of time",
    "a rip-off", "a scam", "a nightmare", "a mess", "a flop", "a joke", "a failure",
    "a total loss", "garbage", "trash", "junk", "a headache", "a chore", "a ripoff",
    "a dud", "a lemon", "a train wreck", "an embarrassment", "a complete waste", "a bore",
    "a snooze", "a fiasco", "an insult", "money down the drain", "a tourist trap",
    "a let-down", "a shambles",
]
EN_SUPER_POS = ["best", "nicest", "tastiest", "finest", "most beautiful", "most comfortable",
                "friendliest", "cleanest", "most enjoyable", "most delicious", "most relaxing",
                "funniest", "most moving", "greatest", "loveliest"]
EN_SUPER_NEG = ["worst", "dirtiest", "rudest", "most boring", "most disappointing", "ugliest",
                "slowest", "most overpriced", "blandest", "noisiest", "most uncomfortable",
                "most frustrating", "least enjoyable", "saltiest", "most painful"]
EN_HAD = ["I have ever had", "I've ever had", "I have ever seen", "I've ever used",
          "we have ever stayed in", "I have ever eaten", "I've ever been to", "I've ever read",
          "I have ever bought", "we've ever tried", "in years", "in town", "I've come across",
          "of my life", "ever"]
# a verdict closes a review and decides it
EN_VERDICT_POS = [
    "Highly recommended.", "Would recommend.", "I would definitely recommend it.",
    "I'll definitely be back.", "We will be back.", "Can't wait to go back.", "Five stars.",
    "Worth every penny.", "You won't regret it.", "I can't recommend it enough.",
    "Would buy again.", "I'd go again in a heartbeat.", "Ten out of ten.", "Go, you won't "
    "be disappointed.", "No complaints at all.", "Couldn't be happier.", "Totally worth it.",
    "Do not miss it.", "Love it.", "Two thumbs up.", "I would come back anytime.",
    "I'm so glad we went.", "Best decision ever.", "A must.", "I keep coming back.",
    "I'd give it six stars if I could.", "Nothing to complain about.", "I'm a fan.",
    "Definitely worth a visit.", "It never disappoints.",
]
EN_VERDICT_NEG = [
    "Never again.", "I will never come back.", "I won't set foot in here again.",
    "We won't be back.", "Would not recommend.", "Avoid.", "Avoid at all costs.",
    "Save your money.", "Don't bother.", "One star.", "Not worth it.", "Not worth the money.",
    "I want my money back.", "What a waste.", "I regret buying it.", "Stay away.",
    "Zero stars if I could.", "Never buying from them again.", "I wouldn't go back.",
    "I expected much more.", "I'm returning it.", "Not recommended.", "Skip it.",
    "Lesson learned.", "Never again, seriously.", "I'd rather stay home.",
    "Don't waste your time.", "Big mistake.", "I won't be ordering again.",
    "I can't recommend it.",
]
# idioms: a negator or a negative word that does not make the review negative (and back)
EN_IDIOM_POS = [
    "not bad at all", "I have no complaints", "nothing to complain about", "I couldn't be "
    "happier", "I can't say enough good things about it", "I never had a problem with it",
    "I have never had a better {t}", "I've never had a {t} this good", "I hardly ever enjoy "
    "a {t} this much", "I rarely enjoy a {t} this much", "it never gets old", "you can't go "
    "wrong with it", "I can't fault it", "I wouldn't change a thing", "no regrets",
    "it didn't disappoint", "it did not disappoint one bit", "I couldn't put it down",
    "I can't stop using it", "nobody left hungry", "not a single complaint", "not one "
    "thing went wrong", "nothing beats it", "I won't hesitate to come back", "no problems "
    "whatsoever", "it was no trouble at all", "hard to beat", "I could not ask for more",
]
EN_IDIOM_NEG = [
    "nothing special", "not worth it", "not worth the money", "not what I expected",
    "not impressed", "I wasn't impressed", "not great", "it wasn't great", "I expected more",
    "it could have been better", "it left a lot to be desired", "it did the job, barely",
    "never again", "I will never come back", "I would never go back", "I'll never order "
    "it again", "I have never had a worse {t}", "I've never been so disappointed",
    "it couldn't have been worse", "nothing worked", "nothing about it was good",
    "nobody enjoyed it", "no one was happy", "I hardly touched it", "it barely works",
    "it hardly works", "it was hardly edible", "it was barely edible", "I couldn't finish it",
    "it never works", "it was never hot", "it was not hot at all", "I can't recommend it",
    "it's not for me", "I didn't like it one bit", "I don't get the hype",
]
EN_OPEN = ["", "", "", "", "", "Honestly, ", "Overall, ", "Well, ", "Sadly, ", "Wow, ",
           "To be honest, ", "Frankly, ", "Really, ", "In short, ", "All in all, "]
EN_END = [".", ".", ".", ".", "!", "!", "...", ""]
EN_PLACES = ["here", "at this place", "from this shop", "at this hotel", "from them",
             "with this company", "at this restaurant"]

# Korean: (stem for -고/-지 않다 or None, past polite, polarity); plus nouns and verdicts
KO_PRED = [
    ("짜", "짰어요", 0), ("싱겁", "싱거웠어요", 0), ("달", "달았어요", 1), ("느끼하", "느끼했어요", 0),
    ("비리", "비렸어요", 0), ("질기", "질겼어요", 0), ("눅눅하", "눅눅했어요", 0),
    ("식", "식었어요", 0), ("불친절하", "불친절했어요", 0), ("퉁명스럽", "퉁명스러웠어요", 0),
    ("불편하", "불편했어요", 0), ("별로", "별로였어요", 0), ("아쉽", "아쉬웠어요", 0),
    ("실망스럽", "실망스러웠어요", 0), ("최악이", "최악이었어요", 0), ("엉망이", "엉망이었어요", 0),
    ("허술하", "허술했어요", 0), ("느리", "느렸어요", 0), ("비싸", "비쌌어요", 0),
    ("지저분하", "지저분했어요", 0), ("더럽", "더러웠어요", 0), ("시끄럽", "시끄러웠어요", 0),
    ("지루하", "지루했어요", 0), ("유치하", "유치했어요", 0), ("뻔하", "뻔했어요", 0),
    ("답답하", "답답했어요", 0), ("어색하", "어색했어요", 0), ("형편없", "형편없었어요", 0),
    ("맛없", "맛없었어요", 0), ("재미없", "재미없었어요", 0), ("좁", "좁았어요", 0),
    ("고장 나", "고장 났어요", 0), ("망가지", "망가졌어요", 0), ("불쾌하", "불쾌했어요", 0),
    ("맛있", "맛있었어요", 1), ("신선하", "신선했어요", 1), ("친절하", "친절했어요", 1),
    ("깔끔하", "깔끔했어요", 1), ("깨끗하", "깨끗했어요", 1), ("편하", "편했어요", 1),
    ("편안하", "편안했어요", 1), ("아늑하", "아늑했어요", 1), ("훌륭하", "훌륭했어요", 1),
    ("최고이", "최고였어요", 1), ("완벽하", "완벽했어요", 1), ("만족스럽", "만족스러웠어요", 1),
    ("빠르", "빨랐어요", 1), ("재미있", "재미있었어요", 1), ("감동적이", "감동적이었어요", 1),
    ("튼튼하", "튼튼했어요", 1), ("저렴하", "저렴했어요", 1), ("넓", "넓었어요", 1),
    ("조용하", "조용했어요", 1), ("부드럽", "부드러웠어요", 1), ("고소하", "고소했어요", 1),
    ("따뜻하", "따뜻했어요", 1), ("예쁘", "예뻤어요", 1), ("멋지", "멋졌어요", 1),
    ("유익하", "유익했어요", 1), ("즐겁", "즐거웠어요", 1), ("훈훈하", "훈훈했어요", 1),
    ("든든하", "든든했어요", 1), ("세심하", "세심했어요", 1), ("쾌적하", "쾌적했어요", 1),
]
# present polite forms: (stem for -고/-지만, present polite, polarity)
KO_PRESENT = [
    ("심하", "심해요", 0), ("무겁", "무거워요", 0), ("가볍", "가벼워요", 1), ("편하", "편해요", 1),
    ("불편하", "불편해요", 0), ("맛있", "맛있어요", 1), ("맛없", "맛없어요", 0), ("비싸", "비싸요", 0),
    ("저렴하", "저렴해요", 1), ("좋", "좋아요", 1), ("아프", "아파요", 0), ("튼튼하", "튼튼해요", 1),
    ("느리", "느려요", 0), ("빠르", "빨라요", 1), ("예쁘", "예뻐요", 1), ("시끄럽", "시끄러워요", 0),
    ("조용하", "조용해요", 1), ("깨끗하", "깨끗해요", 1), ("더럽", "더러워요", 0),
    ("친절하", "친절해요", 1), ("불친절하", "불친절해요", 0), ("짜", "짜요", 0), ("싱겁", "싱거워요", 0),
    ("답답하", "답답해요", 0), ("지루하", "지루해요", 0), ("재미있", "재미있어요", 1),
    ("재미없", "재미없어요", 0), ("훌륭하", "훌륭해요", 1), ("만족스럽", "만족스러워요", 1),
    ("아쉽", "아쉬워요", 0), ("넓", "넓어요", 1), ("좁", "좁아요", 0), ("따뜻하", "따뜻해요", 1),
    ("허술하", "허술해요", 0), ("깔끔하", "깔끔해요", 1), ("뜨겁", "뜨거워요", 0),
]
KO_NOUN_POS = ["최고", "명작", "인생 영화", "인생 맛집", "대박", "꿀잼", "강추", "가성비 최고",
               "보물", "선물 같은 곳", "힐링", "완벽 그 자체", "역대급", "맛집", "득템"]
KO_NOUN_NEG = ["최악", "돈 낭비", "시간 낭비", "실망", "졸작", "노잼", "쓰레기", "바가지",
               "재앙", "악몽", "엉망", "사기", "불량품", "폭망", "실패작"]
KO_VERDICT_POS = [
    "또 갈 거예요.", "재방문 의사 있어요.", "강력 추천합니다.", "추천해요!", "다음에 또 올게요.",
    "완전 만족해요.", "별 다섯 개 드려요.", "돈이 하나도 안 아까워요.", "후회 안 해요.",
    "꼭 가 보세요.", "무조건 추천!", "다시 사고 싶어요.", "또 주문할게요.", "대만족입니다.",
    "아쉬운 점이 하나도 없었어요.", "불만 없어요.", "기대 이상이었어요.", "최고예요.",
]
KO_VERDICT_NEG = [
    "다시는 안 갈 거예요.", "다시는 안 사요.", "비추합니다.", "추천하지 않아요.",
    "돈이 아까워요.", "시간이 아까웠어요.", "환불하고 싶어요.", "두 번은 안 가요.",
    "별 하나도 아까워요.", "후회돼요.", "실망했어요.", "다시는 주문 안 할래요.",
    "기대 이하였어요.", "가지 마세요.", "그냥 다른 데 가세요.", "최악이에요.",
    "재방문 의사 없어요.", "돈 버렸어요.",
]
# "there was no X": the verdict depends on whether X is something one wants
EN_WANTED = ["flavour", "flavor", "taste", "atmosphere", "hot water", "signal", "wifi", "plot",
             "tension", "chemistry", "charm", "effort", "customer service", "help", "apology",
             "warmth", "seasoning", "parking", "air conditioning", "heating", "privacy", "logic",
             "character development", "space", "choice", "sound"]
EN_UNWANTED = ["complaints", "problems", "issues", "delays", "hidden fees", "noise", "bugs",
               "crowds", "queues", "waiting", "scratches", "dead pixels", "bedbugs", "ads",
               "surprises", "hassle", "fuss", "drama", "errors", "faults", "smell", "stains"]
KO_WANTED = ["맛", "재미", "감동", "성의", "긴장감", "반전", "개성", "온기", "따뜻한 물", "와이파이",
             "설명", "사과", "배려", "간", "향", "볼거리", "공간", "선택지", "주차 공간", "서비스"]
KO_UNWANTED = ["불만", "문제", "아쉬운 점", "흠", "하자", "냄새", "소음", "벌레", "고장", "대기 시간",
               "광고", "오류", "먼지", "얼룩", "추가 요금", "스크래치", "불편한 점", "실수"]
KO_OPEN = ["", "", "", "", "솔직히 ", "전체적으로 ", "개인적으로 ", "와 ", "음 ", "진짜 "]
KO_INTENS = ["", "", "", "정말 ", "너무 ", "진짜 ", "완전 ", "엄청 ", "좀 ", "많이 ", "생각보다 "]
KO_END = [".", ".", ".", "!", "", "..", "~"]


def _ko_end(pred: str, rng: random.Random) -> str:
    """Polite '-어요', plain '-다', formal '-습니다' or internet '-음' ending of a past polite
    predicate."""
    r = rng.random()
    if r < 0.5 or not pred.endswith("어요"):
        return pred
    if r < 0.7:
        return pred[:-2] + "다"
    if r < 0.85:
        return pred[:-2] + "습니다"
    return pred[:-2] + "음"


EXPERIENCE = 0.5  # share of clauses told as an experience (``clauses``) where a bank exists


def _en_adj(rng: random.Random, polarity: int) -> str:
    pos, neg = adjectives()
    return rng.choice(pos if polarity else neg)


def _en_clause(rng: random.Random, v: Vocab, polarity: int, negate: bool = False) -> str:
    """'the pasta was cold' / 'the staff were not friendly' / 'the sheets had stains on
    them': a clause meaning ``polarity``."""
    if not negate and rng.random() < EXPERIENCE:
        told = _experience(rng, "en", polarity)
        if told:
            return told
    np_, plural = hard_sentiment._np(rng, v)
    be = hard_sentiment._be(rng, plural)
    if negate:
        neg = rng.choice([" not", "n't", " not", " never", " hardly", " not"])
        a = _en_adj(rng, 1 - polarity)
        if neg == "n't":
            return f"{np_} {be}n't {rng.choice(['', '', 'very ', 'exactly ', 'that '])}{a}"
        return f"{np_} {be}{neg} {a}"
    a = _en_adj(rng, polarity)
    a2 = _en_adj(rng, polarity)
    r = rng.random()
    if r < 0.25 and a != a2:
        return f"{np_} {be} {rng.choice(data.EN_INTENS)}{a} and {a2}"
    return f"{np_} {be} {rng.choice(data.EN_INTENS)}{a}"


def _en_noun(rng: random.Random, v: Vocab, polarity: int) -> str:
    """Nouns of opinion and superlatives."""
    thing = hard_sentiment._en_thing(rng, v)
    r = rng.randrange(8)
    if r <= 2:
        noun = rng.choice(EN_NOUN_POS if polarity else EN_NOUN_NEG)
        frame = rng.choice(["The {t} was {n}", "This {t} is {n}", "What {n}", "{N}",
                            "The {t} is {n}", "Honestly, {n}", "It was {n}", "{N}, really",
                            "Our {t} was {n}", "The new {t} is {n}", "This place is {n}",
                            "Total {nb}", "Complete {nb}", "An absolute {nb}",
                            "{N} from start to finish", "Simply {n}"])
        bare = noun.split(" ", 1)[1] if noun.startswith(("a ", "an ")) else noun
        return frame.format(t=thing, n=noun, N=data._cap(noun), nb=bare)
    if r <= 5:
        sup = rng.choice(EN_SUPER_POS if polarity else EN_SUPER_NEG)
        had = rng.choice(EN_HAD)
        frame = rng.choice(["This was the {s} {t} {h}", "The {s} {t} {h}", "By far the {s} {t} "
                            "{h}", "Easily the {s} {t} {h}", "It is the {s} {t} {h}",
                            "One of the {s} {t}s {h}", "Probably the {s} {t} {h}",
                            "Hands down the {s} {t} {h}"])
        return frame.format(s=sup, t=thing, h=had)
    if r == 6:
        word = rng.choice(["a masterpiece", "a gem", "great", "worth it", "a bargain", "good"]
                          if not polarity else ["a disaster", "a waste", "bad", "a rip-off",
                                                "a letdown", "terrible"])
        frame = rng.choice(["The {t} was not {w}", "This {t} is far from {w}", "The {t} "
                            "was anything but {w}", "The {t} was no {w2}", "Not exactly {w}"])
        return frame.format(t=thing, w=word, w2=word.removeprefix("a "))
    sup = rng.choice(EN_SUPER_POS if polarity else EN_SUPER_NEG)
    return data._cap(f"the {sup} {thing} {rng.choice(EN_HAD)}")


def _en_absence(rng: random.Random, polarity: int) -> str:
    """'There was no flavour at all' (negative) / 'No hidden fees' (positive)."""
    what = rng.choice(EN_UNWANTED if polarity else EN_WANTED)
    return rng.choice(["There was no {w}", "There was no {w} at all", "No {w} whatsoever",
                       "Absolutely no {w}", "There were no {w}", "Zero {w}", "No {w}, none",
                       "We had no {w}", "It had no {w}", "Not a trace of {w}"]).format(w=what)


def _ko_absence(rng: random.Random, polarity: int) -> str:
    """'맛이 하나도 없었어요' (negative) / '불만이 전혀 없었어요' (positive)."""
    what = rng.choice(KO_UNWANTED if polarity else KO_WANTED)
    return f"{subject(what)} {rng.choice(['', '하나도 ', '전혀 ', '정말 ', '아예 '])}없었어요"


def _en_negation(rng: random.Random, v: Vocab, polarity: int) -> str:
    thing = hard_sentiment._en_thing(rng, v)
    r = rng.randrange(7)
    if r == 6:
        return _en_absence(rng, polarity)
    if r <= 1:
        idiom = rng.choice(EN_IDIOM_POS if polarity else EN_IDIOM_NEG)
        return data._cap(idiom.format(t=thing))
    if r == 2:
        return data._cap(_en_clause(rng, v, polarity, negate=True))
    if r == 3:
        return hard_sentiment._en_negator(rng, v, polarity)
    if r == 4:
        return hard_sentiment._en_negated_adj(rng, v, polarity)
    verdict = rng.choice([x for x in (EN_VERDICT_POS if polarity else EN_VERDICT_NEG)
                          if re.search(r"\b(never|not|n't|no|nothing|won't|can't)\b", x, re.I)])
    return verdict.rstrip(".!")


def _en_plain(rng: random.Random, v: Vocab, polarity: int) -> str:
    r = rng.randrange(8)
    if r <= 2:
        return data._cap(_en_clause(rng, v, polarity))
    if r == 7:
        a, b = _en_clause(rng, v, polarity), _en_clause(rng, v, polarity)
        return data._cap(f"{a}{rng.choice([' and ', ', ', '. ', ' and then '])}{b}")
    if r == 3:
        a, b = _en_adj(rng, polarity), _en_adj(rng, polarity)
        things = [hard_sentiment._en_thing(rng, v) for _ in range(2)]
        return data._cap(f"{a} {things[0]}, {b} {things[1]}")
    if r == 4:
        pos, neg = rated_words()
        w = rng.choice(pos if polarity else neg)
        return rng.choice(["{W}", "Just {w}", "So {w}", "{W}, really", "In a word: {w}",
                           "Pure {w}", "{W} all the way", "Felt {w}", "Total {w}",
                           "One word: {w}"]).format(w=w, W=w.capitalize())
    if r == 5:
        verb = rng.choice(hard_sentiment.EN_POS_V if polarity else hard_sentiment.EN_NEG_V)
        who = rng.choice(hard_sentiment.EN_SUBJ)
        how = rng.choice(["", "", " so much", " a lot", " from start to finish"])
        return data._cap(f"{who} {verb[1]} the {hard_sentiment._en_thing(rng, v)}{how}")
    return rng.choice(EN_VERDICT_POS if polarity else EN_VERDICT_NEG).rstrip(".!")


def _en_sentence(rng: random.Random, v: Vocab, kind: str, polarity: int) -> str:
    body = {"plain": _en_plain, "negation": _en_negation, "nouns": _en_noun}[kind](rng, v,
                                                                                  polarity)
    if rng.random() < 0.2:
        keep = body.startswith(("I ", "I'")) or body[:2].isupper()
        body = rng.choice(EN_OPEN) + (body if keep else body[0].lower() + body[1:])
    return data._cap(body) + rng.choice(EN_END)


def _en_contrast(rng: random.Random, v: Vocab, label: int) -> str:
    """A mixed review: the part after but / however, or the closing verdict, decides."""
    first = _en_clause(rng, v, 1 - label)
    last_kind = rng.choice(["plain", "plain", "negation", "nouns"])
    r = rng.randrange(5)
    if r == 0:
        second = _en_clause(rng, v, label, negate=rng.random() < 0.3)
        return data._cap(f"{first}, but {second}") + rng.choice(EN_END)
    if r == 1:
        second = _en_clause(rng, v, label)
        return data._cap(f"{first}. However, {second}") + rng.choice(EN_END)
    if r == 2:
        second = _en_clause(rng, v, label, negate=rng.random() < 0.3)
        verdict = rng.choice(EN_VERDICT_POS if label else EN_VERDICT_NEG)
        return data._cap(f"{first}, but {second}.") + " " + verdict
    if r == 3:
        return data._cap(f"{first}.") + " " + rng.choice(EN_VERDICT_POS if label
                                                          else EN_VERDICT_NEG)
    second = _en_sentence(rng, v, last_kind, label)
    return data._cap(f"{first}, {rng.choice(['but', 'yet', 'though', 'but honestly'])} ") + \
        second[0].lower() + second[1:]


def _en_review(rng: random.Random, v: Vocab, label: int) -> tuple[str, str]:
    """Two or three sentences that agree, or a single sentence of one kind."""
    r = rng.random()
    if r < 0.25:
        kind = "contrast"
        return _en_contrast(rng, v, label), kind
    kind = rng.choice(["plain", "plain", "negation", "negation", "nouns"])
    text = _en_sentence(rng, v, kind, label)
    if rng.random() < 0.3:
        more = _en_sentence(rng, v, rng.choice(["plain", "negation", "nouns"]), label)
        text = f"{text.rstrip()} {more}" if text[-1] in ".!" else f"{text}. {more}"
    return text, kind


def _ko_clause(rng: random.Random, v: Vocab, polarity: int) -> str:
    if rng.random() < EXPERIENCE:
        told = _experience(rng, "ko", polarity)
        if told:
            return told
    thing = hard_sentiment._ko_thing(rng, v)
    if rng.random() < 0.25:
        stem, present, _ = rng.choice([p for p in KO_PRESENT if p[2] == polarity])
        if rng.random() < 0.4:
            stem2, present2, _ = rng.choice([p for p in KO_PRESENT if p[2] == polarity])
            return f"{rng.choice([topic, subject])(thing)} {stem}고 {present2}"
        return f"{rng.choice([topic, subject])(thing)} {rng.choice(KO_INTENS)}{present}"
    _, past, _ = rng.choice([p for p in KO_PRED if p[2] == polarity])
    return f"{rng.choice([topic, subject])(thing)} {rng.choice(KO_INTENS)}{past}"


def _ko_two(rng: random.Random, v: Vocab, polarity: int) -> str:
    """'음식이 너무 짜고 서비스도 별로였어요': two predicates joined with -고."""
    if rng.random() < EXPERIENCE:
        first, second = _experience(rng, "ko", polarity), _ko_clause(rng, v, polarity)
        if first:
            return f"{first[:-2]}고 {second}"
    t1, t2 = hard_sentiment._ko_thing(rng, v), hard_sentiment._ko_thing(rng, v)
    stem, _, _ = rng.choice([p for p in KO_PRED if p[2] == polarity and p[0]])
    _, past, _ = rng.choice([p for p in KO_PRED if p[2] == polarity])
    also = t2 + ("도" if rng.random() < 0.5 else ("은" if data._has_batchim(t2) else "는"))
    return f"{subject(t1)} {rng.choice(KO_INTENS)}{stem}고 {also} {past}"


def _ko_noun(rng: random.Random, v: Vocab, polarity: int) -> str:
    thing = hard_sentiment._ko_thing(rng, v)
    noun = rng.choice(KO_NOUN_POS if polarity else KO_NOUN_NEG)
    cop = "이었어요" if data._has_batchim(noun[-1]) else "였어요"
    r = rng.randrange(5)
    if r == 0:
        return f"{topic(thing)} 완전 {noun}{cop}"
    if r == 1:
        return f"{noun}{'이에요' if data._has_batchim(noun[-1]) else '예요'}"
    if r == 2:
        return f"이 {thing} 진짜 {noun}"
    if r == 3:
        sup = "최고의" if polarity else "최악의"
        return f"지금까지 {rng.choice(['먹어 본', '가 본', '써 본', '본'])} {thing} 중에 {sup} " \
               f"{thing}{'이었어요' if data._has_batchim(thing[-1]) else '였어요'}"
    return f"{thing}{'은' if data._has_batchim(thing[-1]) else '는'} 한마디로 {noun}"


def _ko_negation(rng: random.Random, v: Vocab, polarity: int) -> str:
    r = rng.randrange(4)
    if r == 3:
        return _ko_absence(rng, polarity)
    if r == 0:
        return hard_sentiment._ko_negated(rng, v, polarity)
    if r == 1:
        thing = hard_sentiment._ko_thing(rng, v)
        stem = rng.choice([p[0] for p in KO_PRED if p[2] == 1 - polarity and p[0]])
        adv = rng.choice(["전혀 ", "하나도 ", "별로 " if not polarity else "", "그렇게 " if not
                          polarity else "", ""])
        return f"{topic(thing)} {adv}{stem}지 않았어요"
    return rng.choice(KO_VERDICT_POS if polarity else KO_VERDICT_NEG).rstrip(".!")


def _ko_review(rng: random.Random, v: Vocab, label: int) -> tuple[str, str]:
    r = rng.random()
    if r < 0.25:
        kind = "contrast"
        t1 = hard_sentiment._ko_thing(rng, v)
        _, p1, _ = rng.choice([p for p in KO_PRED if p[2] == 1 - label])
        first = f"{topic(t1)} {rng.choice(KO_INTENS)}{p1}"
        if rng.random() < EXPERIENCE:
            first = _experience(rng, "ko", 1 - label) or first
        main = rng.choice([_ko_clause, _ko_two, _ko_negation])(rng, v, label)
        s = rng.randrange(4)
        if s == 0:
            body = f"{first[:-2]}지만 {main}"
        elif s == 1:
            body = f"{first[:-2]}는데 {main}"
        elif s == 2:
            body = f"{_ko_clause(rng, v, 1 - label)}. {rng.choice(['하지만', '그런데', '근데'])} {main}"
        else:
            body = f"{_ko_clause(rng, v, 1 - label)}. " + rng.choice(
                KO_VERDICT_POS if label else KO_VERDICT_NEG).rstrip(".!")
    else:
        kind = rng.choice(["plain", "plain", "negation", "nouns"])
        body = {"plain": lambda: rng.choice([_ko_clause, _ko_two])(rng, v, label),
                "negation": lambda: _ko_negation(rng, v, label),
                "nouns": lambda: _ko_noun(rng, v, label)}[kind]()
    text = rng.choice(KO_OPEN) + _ko_end(body, rng) + rng.choice(KO_END)
    if rng.random() < 0.3:
        verdict = rng.choice(KO_VERDICT_POS if label else KO_VERDICT_NEG)
        text = f"{text.rstrip('.~!')}. {verdict}"
    return text, kind


GROUP_WEIGHTS = {"english": 0.6, "korean": 0.4}


def review_vocab() -> Vocab:
    """The training nouns, with the clauses' nouns added to the pool (``clause_nouns``)."""
    base = hard_sentiment.train_vocab()
    en, ko = clause_nouns()
    return Vocab(base.en, base.ko, base.plural, sorted(set(base.pool_en) | set(en)),
                 sorted(set(base.pool_ko) | set(ko)), base.pool_share)


def review_item(rng: random.Random, v: Vocab | None = None) -> SentimentItem:
    """One review: English (kind plain / negation / nouns / contrast) or Korean."""
    v = v or review_vocab()
    label = rng.randrange(2)
    if rng.random() < GROUP_WEIGHTS["korean"]:
        text, kind = _ko_review(rng, v, label)
        return SentimentItem(text, label, "korean", kind)
    text, kind = _en_review(rng, v, label)
    return SentimentItem(re.sub(r"\s+", " ", text).strip(), label, kind, kind)


def review_data(n: int, seed: int, split: str, v: Vocab | None = None) -> list[SentimentItem]:
    """``n`` distinct reviews on the ``split`` side of the hash split."""
    rng = random.Random(seed + 104729)
    v = v or review_vocab()
    return data.fill_distinct([], n, lambda: review_item(rng, v), split)
