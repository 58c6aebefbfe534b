"""Synthetic but linguistically real data for the embedded models.

Sentiment (the classifier): English and Korean reviews with plain praise or
complaint, negation ("was not good", "좋지 않았어요") and contrast where the
clause after "but" / "-지만" decides ("The acting was great, but the plot was
dull."). Every item carries its ``group`` (plain, negation, contrast, korean) so
scores are reported per group.

Extractive QA (the QA model): contexts listing facts about several people
(where they live, where they work, what they do, what they own, when they were
born), questions about one of them, some unanswerable (SQuAD 2 style: the gold
answer is the [CLS] token), some contexts longer than one 384-token window, in
English and Korean.

Splits are deterministic: an item belongs to the held-out split when a hash of
its text says so, so the same sentence can never be in both splits, whatever
the seed. ``examples(...)`` returns a few held-out items for the book.
"""

from __future__ import annotations

import ast
import hashlib
import random
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

LABELS = {0: "negative", 1: "positive"}
HELD_OUT_PERCENT = 10  # share of distinct texts reserved for evaluation


def is_held_out(text: str) -> bool:
    """True for the ~10 % of texts reserved for evaluation (stable across runs)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return digest[0] * 100 // 256 < HELD_OUT_PERCENT


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


# ---------------------------------------------------------------------------
# general English for the tokenizer corpus
# ---------------------------------------------------------------------------
STDLIB_SKIP = {"test", "tests", "idlelib", "site-packages", "lib2to3", "turtledemo", "ensurepip",
               "pydoc_data", "config-3.11-x86_64-linux-gnu", "__pycache__", "encodings"}


def stdlib_docstrings(max_chars: int = 3_000_000) -> list[str]:
    """Docstrings of the running Python's standard library, in a fixed order.

    Ordinary English (plus some code words) so that the tokenizers do not split
    everyday words absurdly. Depends only on the Python version.
    """
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        p for p in root.rglob("*.py")
        if not (set(p.relative_to(root).parts[:-1]) & STDLIB_SKIP)
    )
    out: list[str] = []
    total = 0
    for path in files:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc and len(doc) > 40:
                    for para in doc.split("\n\n"):
                        para = " ".join(para.split())
                        if len(para) > 40 and sum(c.isalpha() for c in para) > 0.7 * len(para):
                            out.append(para)
                            total += len(para)
            if total >= max_chars:
                return out
    return out


# ---------------------------------------------------------------------------
# extractive QA
# ---------------------------------------------------------------------------
EN_NAMES = [
    "Hannah", "Oliver", "Amelia", "Lucas", "Sofia", "Ethan", "Chloe", "Noah", "Grace", "Liam",
    "Mia", "James", "Emma", "Daniel", "Ava", "Samuel", "Isla", "Henry", "Zoe", "Jack",
    "Ella", "Leo", "Ruby", "Oscar", "Lily", "Adam", "Nora", "Max", "Alice", "Felix",
    "Clara", "Hugo", "Maya", "Theo", "Iris", "Owen", "Julia", "Ryan", "Laura", "Victor",
    "Elena", "Simon", "Paula", "Martin", "Anna", "Peter", "Sara", "David", "Rosa", "Thomas",
    "Helen", "Mark", "Linda", "George", "Emily", "Paul", "Diana", "Frank", "Olivia", "Carl",
]
EN_CITIES = [
    "Lisbon", "Oslo", "Denver", "Cairo", "Toronto", "Madrid", "Vienna", "Dublin", "Prague",
    "Berlin", "Boston", "Seattle", "Chicago", "Sydney", "Nairobi", "Lima", "Quito", "Athens",
    "Rome", "Milan", "Paris", "London", "Tokyo", "Seoul", "Busan", "Osaka", "Hanoi", "Manila",
    "Mumbai", "Delhi", "Dubai", "Istanbul", "Warsaw", "Helsinki", "Stockholm", "Copenhagen",
    "Amsterdam", "Brussels", "Zurich", "Geneva", "Munich", "Hamburg", "Naples", "Porto",
    "Seville", "Valencia", "Montreal", "Vancouver", "Austin", "Portland", "Phoenix", "Miami",
    "Atlanta", "Dallas", "Houston", "Santiago", "Bogota", "Havana", "Lagos", "Accra",
    "New York", "Los Angeles", "San Francisco", "Buenos Aires", "Cape Town", "Mexico City",
    "Rio de Janeiro", "Hong Kong",
]
EN_CO_A = ["North", "Blue", "Silver", "Green", "Bright", "Red", "Iron", "Golden", "Swift",
           "Cedar", "Harbor", "Summit", "Maple", "Stone", "River", "Sunny", "Oak", "Pine",
           "Crystal", "Eagle"]
EN_CO_B = ["Bank", "Labs", "Motors", "Foods", "Press", "Studios", "Systems", "Bakery",
           "Clinic", "Airlines", "Books", "Energy", "Games", "Robotics", "Hotels", "Media",
           "Pharma", "Logistics"]
EN_JOBS = [
    "nurse", "teacher", "pilot", "chef", "lawyer", "baker", "dentist", "plumber", "farmer",
    "architect", "librarian", "journalist", "pharmacist", "mechanic", "electrician",
    "photographer", "carpenter", "translator", "accountant", "firefighter", "veterinarian",
    "programmer", "musician", "painter", "scientist", "engineer", "surgeon", "tailor",
    "gardener", "waiter", "designer", "editor", "judge", "florist", "astronomer",
]
EN_COLORS = ["red", "blue", "green", "black", "white", "yellow", "old", "new", "small", "large",
             "shiny", "silver"]
EN_OBJECTS = ["bicycle", "car", "piano", "guitar", "camera", "boat", "motorcycle", "laptop",
              "violin", "tent", "telescope", "scooter", "sofa", "clock", "drone"]
EN_FILLER = [
    "The weather was mild that spring.", "Everyone in the group enjoys long walks.",
    "The town has a small harbor and two bakeries.", "Nobody remembers who planted the trees.",
    "The meeting took place on a rainy Tuesday.", "Most of them met at a summer school.",
    "The old bridge was repaired last year.", "They often share recipes with each other.",
    "A new library opened near the station.", "The group writes letters every winter.",
    "Some of them speak three languages.", "The river floods almost every March.",
    "Trains to the coast leave every hour.", "The museum is closed on Mondays.",
    "Their reunion is planned for next autumn.", "The park is busy on weekends.",
]

KO_NAMES = [
    "민준", "서연", "지훈", "하은", "도윤", "지우", "서준", "수아", "예준", "지민", "현우", "유진",
    "시우", "하린", "주원", "채원", "건우", "다은", "우진", "소율", "태윤", "예린", "준호", "나연",
    "승민", "가은", "동현", "혜진", "재원", "은비",
]
KO_CITIES = ["서울", "부산", "대구", "인천", "광주", "대전", "울산", "수원", "전주", "춘천", "제주",
             "강릉", "포항", "창원", "청주", "목포", "여수", "경주", "파리", "런던", "도쿄", "뉴욕",
             "베를린", "로마", "시드니", "토론토"]
KO_CO_A = ["한빛", "푸른", "새벽", "하늘", "바다", "별빛", "은하", "초록", "대한", "미래", "누리",
           "가람"]
KO_CO_B = ["전자", "은행", "제약", "출판", "식품", "항공", "건설", "통신", "화학", "자동차"]
KO_JOBS = ["간호사", "교사", "조종사", "요리사", "변호사", "제빵사", "치과의사", "농부", "건축가",
           "사서", "기자", "약사", "정비사", "사진작가", "번역가", "회계사", "소방관", "수의사",
           "프로그래머", "음악가", "화가", "과학자", "엔지니어", "디자이너", "편집자", "판사"]
KO_COLORS = ["빨간", "파란", "검은", "하얀", "노란", "낡은", "새", "작은", "커다란"]
KO_OBJECTS = [("자전거", "대"), ("자동차", "대"), ("피아노", "대"), ("기타", "대"),
              ("카메라", "대"), ("노트북", "대"), ("배", "척"), ("고양이", "마리"),
              ("강아지", "마리"), ("앵무새", "마리"), ("시계", "개"), ("텐트", "개")]
KO_FILLER = [
    "그해 봄은 날씨가 따뜻했어요.", "모두 긴 산책을 좋아해요.", "마을에는 작은 항구가 있어요.",
    "회의는 비 오는 화요일에 열렸어요.", "그들은 여름 학교에서 처음 만났어요.",
    "오래된 다리는 작년에 수리되었어요.", "역 근처에 새 도서관이 문을 열었어요.",
    "박물관은 월요일마다 쉬어요.", "주말에는 공원이 늘 붐벼요.", "기차는 매시간 떠나요.",
]

ATTRIBUTES = ("city", "company", "job", "born", "owns")


@dataclass
class QAItem:
    question: str
    context: str
    answer: str  # "" when unanswerable
    answer_start: int  # character offset in context, -1 when unanswerable
    lang: str  # en | ko
    attribute: str
    people: int
    group: str = ""  # answerable | unanswerable (set by generator)
    extra: dict = field(default_factory=dict)


def _en_person(rng: random.Random, name: str, attrs: list[str]) -> tuple[dict, list[tuple]]:
    """Facts and sentences (template, {slot: value}) for one English person."""
    facts = {
        "city": rng.choice(EN_CITIES),
        "company": f"{rng.choice(EN_CO_A)} {rng.choice(EN_CO_B)}",
        "job": rng.choice(EN_JOBS),
        "born": str(rng.randrange(1940, 2006)),
        "owns": None,
    }
    adj = rng.choice(EN_COLORS)
    facts["owns"] = f"{'an' if adj[0] in 'aeiou' else 'a'} {adj} {rng.choice(EN_OBJECTS)}"
    templates = {
        "city": ["{n} lives in {v}.", "{n} lives in {v}.", "{n} has lived in {v} since {y}.",
                 "{n} moved to {v} a few years ago.", "{n}'s home is in {v}."],
        "company": ["{n} works at {v}.", "{n} is employed by {v}.", "{n} has a job at {v}.",
                    "{n} joined {v} in {y}."],
        "job": ["{n} works as {a} {v}.", "{n} is {a} {v}.", "By profession, {n} is {a} {v}.",
                "{n} trained as {a} {v}."],
        "born": ["{n} was born in {v}.", "{n} was born in {v} in a small village.",
                 "{n} was born in the year {v}."],
        "owns": ["{n} owns {v}.", "{n} bought {v} last year.", "{n} has {v}."],
    }
    sents = []
    for a in attrs:
        t = rng.choice(templates[a])
        v = facts[a]
        sents.append((t, {"n": name, "v": v, "y": str(rng.randrange(1990, 2024)),
                          "a": "an" if v[0] in "aeiou" else "a"}))
    return facts, sents


def _ko_person(rng: random.Random, name: str, attrs: list[str]) -> tuple[dict, list[tuple]]:
    obj_name, counter = rng.choice(KO_OBJECTS)
    facts = {
        "city": rng.choice(KO_CITIES),
        "company": rng.choice(KO_CO_A) + rng.choice(KO_CO_B),
        "job": rng.choice(KO_JOBS),
        "born": f"{rng.randrange(1940, 2006)}년",
        "owns": f"{rng.choice(KO_COLORS)} {obj_name}",
    }
    own_verb = "키워요" if counter == "마리" else "가지고 있어요"
    templates = {
        "city": ["{t} {v} 시내에 살아요.", "{t} 요즘 {v} 근처에 살고 있어요.",
                 "{t} 몇 년 전에 {v} 쪽으로 이사했어요."],
        "company": ["{t} {v} 직원이에요.", "{t} {v} 본사에서 일해요.", "{t} {y}년부터 {v} 소속으로 일해요."],
        "job": ["{t} 현재 {v} 일을 하고 있어요.", "{t} 동네에서 유명한 {v} 중 한 명이에요.",
                "{t} 오랫동안 {v} 일을 했어요."],
        "born": ["{t} {v} 봄에 태어났어요.", "{t} {v} 겨울에 태어났어요.", "{t} {v} 작은 마을에서 태어났어요."],
        "owns": ["{t} {v} 한 " + obj(counter) + " " + own_verb + "."],
    }
    sents = []
    for a in attrs:
        t = rng.choice(templates[a])
        sents.append((t, {"t": topic(name), "v": facts[a], "y": str(rng.randrange(1990, 2024))}))
    return facts, sents


EN_QUESTIONS = {
    "city": ["Where does {n} live?", "In which city does {n} live?", "What city is {n} living in?",
             "Which city is home to {n}?"],
    "company": ["Where does {n} work?", "Which company does {n} work for?", "Who employs {n}?",
                "What company employs {n}?"],
    "job": ["What does {n} do for a living?", "What is {n}'s job?", "What is {n}'s profession?",
            "What does {n} work as?"],
    "born": ["When was {n} born?", "In what year was {n} born?", "What year was {n} born in?"],
    "owns": ["What does {n} own?", "What does {n} have?", "What did {n} buy?"],
}
KO_QUESTIONS = {
    "city": ["{t} 어디에 살아요?", "{t} 어느 도시에 살고 있어요?"],
    "company": ["{t} 어느 회사에서 일해요?", "{t} 어디 소속이에요?"],
    "job": ["{t} 무슨 일을 해요?", "{n}의 직업은 무엇인가요?"],
    "born": ["{t} 몇 년에 태어났어요?", "{t} 언제 태어났어요?"],
    "owns": ["{t} 무엇을 가지고 있어요?", "{t} 무엇을 갖고 있나요?"],
}


def name_forms() -> list[tuple[str, str]]:
    """(written form, person) for every way the QA data writes a name as one word.

    English names stand alone; a Korean name carries its particle: the topic form
    (민준은, 서연는) in contexts and questions, the genitive (민준의) in some questions.
    """
    forms = [(n, n) for n in EN_NAMES]
    forms += [(topic(n), n) for n in KO_NAMES] + [(n + "의", n) for n in KO_NAMES]
    return forms


def _render(template: str, slots: dict) -> tuple[str, int]:
    """Fill a template; return text and the character offset of slot ``v``."""
    before = template.split("{v}")[0].format(**slots)
    return template.format(**slots), len(before)


def qa_item(rng: random.Random, lang: str | None = None, people: int | None = None,
            long: bool = False, unanswerable: float = 0.15) -> QAItem:
    """One question about one person of a context with several people."""
    lang = lang or ("ko" if rng.random() < 0.3 else "en")
    names = EN_NAMES if lang == "en" else KO_NAMES
    if people is None:
        people = rng.randint(14, 24) if long else rng.choice([2, 2, 3, 3, 3, 4, 4, 5, 6])
    chosen = rng.sample(names, people + 1)  # the extra one can be the absent person
    absent = chosen.pop()
    person_facts, sentences = [], []  # sentences: (person index, template, slots, attribute)
    for i, name in enumerate(chosen):
        k = rng.randint(2, 5)
        attrs = rng.sample(ATTRIBUTES, k)
        facts, sents = (_en_person if lang == "en" else _ko_person)(rng, name, attrs)
        person_facts.append((name, facts, attrs))
        sentences.append([(i, t, s, a) for (t, s), a in zip(sents, attrs)])
    fillers = EN_FILLER if lang == "en" else KO_FILLER
    # paragraph per person (facts shuffled), sometimes fully interleaved
    flat = []
    if rng.random() < 0.25:
        flat = [x for group in sentences for x in group]
        rng.shuffle(flat)
    else:
        for group in sentences:
            rng.shuffle(group)
            flat += group
    n_fill = rng.randint(4, 10) if long else rng.choice([0, 0, 1, 2])
    for _ in range(n_fill):
        flat.insert(rng.randrange(len(flat) + 1), (None, rng.choice(fillers), {}, None))
    # choose the question
    target = rng.randrange(people)
    name, facts, attrs = person_facts[target]
    r = rng.random()
    if r < unanswerable:
        missing = [a for a in ATTRIBUTES if a not in attrs]
        if missing and rng.random() < 0.6:
            attribute, q_name = rng.choice(missing), name
        else:
            attribute, q_name = rng.choice(ATTRIBUTES), absent
        answerable = False
    else:
        attribute, q_name = rng.choice(attrs), name
        answerable = True
    qs = EN_QUESTIONS if lang == "en" else KO_QUESTIONS
    question = rng.choice(qs[attribute]).format(n=q_name, t=topic(q_name))
    # render the context
    parts, pos, answer_start, answer = [], 0, -1, ""
    for who, template, slots, a in flat:
        if who is None:
            text, off = template, -1
        else:
            text, off = _render(template, slots)
        if answerable and who == target and a == attribute:
            answer, answer_start = slots["v"], pos + off
        parts.append(text)
        pos += len(text) + 1
    context = " ".join(parts)
    if answerable:
        assert context[answer_start : answer_start + len(answer)] == answer
    return QAItem(question, context, answer, answer_start, lang, attribute, people,
                  "answerable" if answerable else "unanswerable")


def qa_data(n: int, seed: int, split: str, long_share: float = 0.2, lang: str | None = None,
            people: int | None = None) -> list[QAItem]:
    """``n`` QA items of the ``train`` or ``test`` split; held out by hash of the context."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    rng = random.Random(seed)
    out: list[QAItem] = []
    want_test = split == "test"
    while len(out) < n:
        item = qa_item(rng, lang=lang, people=people, long=rng.random() < long_share)
        if is_held_out(item.context + item.question) == want_test:
            out.append(item)
    return out


def qa_corpus(seed: int, small: bool = False) -> list[str]:
    """Contexts and questions for the WordPiece tokenizer and MLM pretraining."""
    items = qa_data(300 if small else 6000, seed, "train")
    return [it.context for it in items] + [it.question for it in items]


# ---------------------------------------------------------------------------
# held-out examples for the book
# ---------------------------------------------------------------------------
def examples(kind: str = "sentiment", n: int = 6, seed: int = 2024, model=None,
             groups: tuple[str, ...] | None = None, lang: str | None = None,
             long: bool | None = None, answerable: bool | None = True):
    """A few held-out items for the book to show, optionally only ones ``model`` gets right.

    ``kind="sentiment"``: ``SentimentItem`` (text, label, group, kind), cycling through
    ``groups`` (default: plain, negation, contrast, korean).
    ``kind="qa"``: ``QAItem`` (question, context, answer, answer_start, lang, ...);
    ``long=True`` keeps contexts longer than one 384-token window (needs ``model`` for its
    tokenizer, else judged by length), ``answerable=False`` unanswerable ones, ``None`` both.
    ``model`` is a ``(model, tokenizer)`` pair as returned by the loaders.
    """
    if kind not in ("sentiment", "qa"):
        raise ValueError(f"kind must be 'sentiment' or 'qa', got {kind!r}")
    if model is not None and not (isinstance(model, tuple) and len(model) == 2):
        raise TypeError("model must be the (model, tokenizer) pair returned by the loaders")
    if kind == "sentiment":
        return _sentiment_examples(n, seed, model, groups or GROUPS)
    return _qa_examples(n, seed, model, lang, long, answerable)


def _sentiment_examples(n, seed, model, groups):
    pool = sentiment_data(max(200, 20 * n), seed, "test")
    if model is not None:
        from hfanatomy.train.classifier import predictions

        preds = predictions(model[0], model[1], [it.text for it in pool])
        pool = [it for it, p in zip(pool, preds) if p == it.label]
    by_group = {g: [it for it in pool if it.group == g] for g in groups}
    out, i = [], 0
    while len(out) < n and any(by_group.values()):
        g = groups[i % len(groups)]
        if by_group[g]:
            out.append(by_group[g].pop(0))
        i += 1
    return out


def _qa_examples(n, seed, model, lang, long, answerable):
    rng = random.Random(seed)
    out = []
    tries = 0
    while len(out) < n and tries < 50:
        tries += 1
        batch = []
        while len(batch) < 8 * n:
            it = qa_item(rng, lang=lang, long=bool(long), unanswerable=0.5)
            if not is_held_out(it.context + it.question):
                continue
            if answerable is not None and bool(it.answer) != answerable:
                continue
            batch.append(it)
        if long is not None:
            if model is not None:
                from hfanatomy.train.qa import window_counts

                count = window_counts(model[1], batch)
                batch = [it for k, it in enumerate(batch) if (count[k] > 1) == long]
            else:
                batch = [it for it in batch if (len(it.context) > 1500) == long]
        if model is not None:
            from hfanatomy.train.qa import normalize, predict

            preds = predict(model[0], model[1], batch)
            batch = [it for it, p in zip(batch, preds) if normalize(p) == normalize(it.answer)]
        out += batch[: n - len(out)]
    return out
