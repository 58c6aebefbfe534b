"""Paragraphs as people write them, for the QA model: pronouns, first names, appositions,
several facts per sentence, reverse questions and facts beyond the five relations.

``data.qa_item`` writes one fact per sentence, each opening with the person's full name,
and asks about a person by that name. A reader writes "Tomasz Wierzbicki lives in Gdansk.
He works at Northwind Foods as an accountant." and asks "Who lives in Gdansk?". This module
writes such paragraphs from the same split-aware pools (``data.Pool``: no held-out name or
value is ever trained on):

- a person is introduced by full name, later named by a pronoun (he / she / they; 그는 /
  그녀는), the first name alone, or the full name again;
- the first sentence may carry an apposition or a relative clause ("Ana Lopes, a nurse
  from Porto, ..."; "한빛전자에서 일하는 김민지는 ...") or two facts joined by "and";
- relations: the generator's five plus where someone was born, grew up and studied, what
  they play and like, their dog's name and how many children they have;
- questions: several phrasings per relation, by full or first name; reverse questions
  ("Who lives in Leeds?", answered by the person's first full-name mention); unanswerable
  ones about an absent person or a fact the paragraph gives only for someone else.

Items carry no attention-supervision annotations (``extra`` has no "sentences"): the
aux heads of ``train.qa`` are supervised on ``data.qa_item``'s items only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hfanatomy.train import data
from hfanatomy.train.data import Pool, QAItem, obj, subject, topic

EN_RELATIONS = ("city", "company", "job", "born", "born_in", "grew_up", "studied", "plays",
                "likes", "pet", "children", "owns")
EN_PLAYS = ["the piano", "the violin", "the cello", "the drums", "the guitar", "the flute",
            "chess", "tennis", "football", "basketball", "the trumpet", "volleyball", "golf",
            "the harp", "badminton", "cricket", "the saxophone", "hockey"]
EN_LIKES = ["spicy noodles", "dumplings", "pancakes", "fresh figs", "lentil soup", "sushi",
            "apple pie", "grilled fish", "dark chocolate", "olives", "mango ice cream", "tacos",
            "goat cheese", "ramen", "roast chicken", "rice pudding", "plum jam", "falafel"]
EN_NUMBERS = ["two", "three", "four", "five", "six"]
KO_PLAYS = [("피아노", "연주해요"), ("바이올린", "연주해요"), ("첼로", "연주해요"), ("드럼", "쳐요"),
            ("기타", "쳐요"), ("플루트", "불어요"), ("바둑", "둬요"), ("테니스", "쳐요"),
            ("축구", "해요"), ("농구", "해요"), ("배드민턴", "쳐요"), ("탁구", "쳐요")]
KO_LIKES = ["매운 국수", "만두", "떡볶이", "김치찌개", "팥빙수", "비빔밥", "잡채", "호떡", "냉면",
            "수제비", "감자전", "갈비찜", "순두부찌개", "군고구마"]
KO_NUMBERS = ["두 명", "세 명", "네 명", "다섯 명"]


@dataclass
class Person:
    full: str
    first: str
    pronoun: str  # he / she / they (en); 그 / 그녀 (ko)
    facts: dict[str, str] = field(default_factory=dict)


class Writer:
    """A paragraph built piece by piece, remembering where each value and name landed."""

    def __init__(self) -> None:
        self.text = ""
        self.where: dict[tuple, int] = {}  # (person, relation) -> offset of the value

    def add(self, piece: str, key: tuple | None = None) -> None:
        if key is not None and key not in self.where:
            self.where[key] = len(self.text)
        self.text += piece


def _en_people(pool: Pool, rng: random.Random, n: int) -> list[Person]:
    people: list[Person] = []
    while len(people) < n:
        def make() -> str:
            first = rng.choice(data.EN_NAMES) if rng.random() < 0.3 else pool.en_word()
            last = rng.choice(data.EN_SURNAMES) if rng.random() < 0.3 else pool.en_word()
            return f"{first} {last}"
        full = pool.draw(make)
        first = full.split(" ")[0]
        if any(first == p.first or full == p.full for p in people):
            continue
        people.append(Person(full, first, rng.choice(["he", "she", "she", "he", "they"])))
    return people


def _en_value(pool: Pool, rng: random.Random, relation: str) -> str:
    if relation in ("city", "born_in", "grew_up"):
        return pool.en_city()
    if relation == "company":
        return pool.en_company()
    if relation == "job":
        return pool.en_job()
    if relation == "born":
        return str(rng.randrange(1940, 2006))
    if relation == "studied":
        w = pool.en_word()
        return rng.choice([f"the University of {w}", f"{w} College", f"{w} University",
                           f"{w} Institute"])
    if relation == "plays":
        return rng.choice(EN_PLAYS)
    if relation == "likes":
        return rng.choice(EN_LIKES)
    if relation == "pet":
        return pool.en_word()
    if relation == "children":
        return rng.choice(EN_NUMBERS)
    return pool.en_object()


def _a(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" else "a"


# predicate templates: "{v}" is the value; the subject comes before
EN_PRED = {
    "city": ["lives in {v}", "lives in {v}", "has lived in {v} for years", "moved to {v}",
             "now lives in {v}", "is based in {v}", "makes a home in {v}"],
    "company": ["works at {v}", "works for {v}", "is employed by {v}", "has a job at {v}",
                "joined {v} last year", "has worked at {v} since 2015"],
    "job": ["works as {a} {v}", "is {a} {v}", "is {a} {v} by trade", "trained as {a} {v}",
            "makes a living as {a} {v}"],
    "born": ["was born in {v}", "was born in {v}", "was born in the year {v}"],
    "born_in": ["was born in {v}", "comes from {v}", "was born and raised in {v}"],
    "grew_up": ["grew up in {v}", "spent {p} childhood in {v}", "was raised in {v}"],
    "studied": ["studied at {v}", "graduated from {v}", "went to {v}"],
    "plays": ["plays {v}", "plays {v} every weekend", "has played {v} since school"],
    "likes": ["loves {v}", "likes {v}", "is fond of {v}", "enjoys {v}"],
    "pet": ["has a dog called {v}", "has a dog named {v}", "walks {p} dog {v} every morning"],
    "children": ["has {v} children", "is the parent of {v} children"],
    "owns": ["owns {a} {v}", "has {a} {v}", "bought {a} {v} last year"],
}
EN_ASK = {
    "city": ["Where does {q} live?", "Which city does {q} live in?", "Where is {q} based?",
             "In what city does {q} live?", "Where is {q}'s home?"],
    "company": ["Where does {q} work?", "Who employs {q}?", "Which company does {q} work for?",
                "Where is {q} employed?", "What is {q}'s employer?"],
    "job": ["What is {q}'s job?", "What does {q} do for a living?", "What does {q} do?",
            "What is {q}'s profession?", "What does {q} work as?"],
    "born": ["When was {q} born?", "In what year was {q} born?", "What year was {q} born?"],
    "born_in": ["Where was {q} born?", "Where does {q} come from?", "In which city was {q} born?"],
    "grew_up": ["Where did {q} grow up?", "Where did {q} spend {p} childhood?",
                "Where was {q} raised?"],
    "studied": ["Where did {q} study?", "Which university did {q} go to?",
                "Where did {q} graduate from?"],
    "plays": ["What does {q} play?", "What instrument or sport does {q} play?"],
    "likes": ["What food does {q} like?", "What does {q} love to eat?", "What does {q} like?"],
    "pet": ["What is {q}'s dog called?", "What is the name of {q}'s dog?"],
    "children": ["How many children does {q} have?", "How many kids does {q} have?"],
    "owns": ["What does {q} own?", "What did {q} buy?", "What does {q} have?"],
}
EN_WHO = {
    "city": ["Who lives in {v}?", "Who is based in {v}?"],
    "company": ["Who works at {v}?", "Who is employed by {v}?", "Who works for {v}?"],
    "job": ["Who is {a} {v}?", "Who works as {a} {v}?"],
    "born": ["Who was born in {v}?"],
    "born_in": ["Who was born in {v}?", "Who comes from {v}?"],
    "grew_up": ["Who grew up in {v}?"],
    "studied": ["Who studied at {v}?"],
    "plays": ["Who plays {v}?"],
    "likes": ["Who loves {v}?", "Who likes {v}?"],
    "pet": ["Whose dog is called {v}?", "Who has a dog called {v}?"],
    "owns": ["Who owns {a} {v}?"],
}


def _possessive(pronoun: str) -> str:
    return {"he": "his", "she": "her", "they": "their"}[pronoun]


def _en_verb(pred: str, pronoun: str) -> str:
    """'has' -> 'have' and 'lives' -> 'live' after 'they'."""
    if pronoun != "they":
        return pred
    head, _, rest = pred.partition(" ")
    fixed = {"has": "have", "is": "are", "was": "were", "lives": "live", "works": "work",
             "comes": "come", "plays": "play", "loves": "love", "likes": "like",
             "enjoys": "enjoy", "walks": "walk", "makes": "make", "owns": "own"}.get(head, head)
    return f"{fixed} {rest}" if rest else fixed


def _en_paragraph(rng: random.Random, pool: Pool, people: list[Person], long: bool) -> Writer:
    w = Writer()
    order = []
    for i, p in enumerate(people):
        rels = list(p.facts)
        rng.shuffle(rels)
        order.append((i, rels))
    sentences: list[tuple[int, list[str]]] = []
    for i, rels in order:
        k = 0
        while k < len(rels):
            take = 2 if k + 1 < len(rels) and rng.random() < 0.3 else 1
            sentences.append((i, rels[k : k + take]))
            k += take
    if rng.random() < 0.3:  # interleave people
        rng.shuffle(sentences)
    introduced: set[int] = set()
    stated: set[tuple[int, str]] = set()
    previous = -1  # the person of the last fact sentence: only they may be "he" / "she"
    fillers = data.EN_FILLER
    n_fill = rng.randint(3, 8) if long else rng.choice([0, 0, 0, 1, 2])
    slots = [("fill", None)] * n_fill + [("fact", s) for s in sentences]
    # fillers anywhere but first
    rng.shuffle(slots)
    if slots and slots[0][0] == "fill" and sentences:
        first_fact = next(k for k, s in enumerate(slots) if s[0] == "fact")
        slots[0], slots[first_fact] = slots[first_fact], slots[0]
    for kind, payload in slots:
        if w.text:
            w.add(" ")
        if kind == "fill":
            w.add(rng.choice(fillers))
            previous = -1
            continue
        i, rels = payload
        rels = [r for r in rels if (i, r) not in stated]
        if not rels:
            w.text = w.text[:-1] if w.text.endswith(" ") else w.text
            continue
        p = people[i]
        if i not in introduced:
            w.add(p.full, (i, "name"))
            introduced.add(i)
            subj_pronoun = "she"  # verb agreement of a name
            # apposition or relative clause on the first mention
            extra = [r for r in p.facts if r not in rels and r in ("job", "company", "born_in",
                                                                    "city")]
            if extra and rng.random() < 0.35:
                r = rng.choice(extra)
                v = p.facts[r]
                if r == "job":
                    w.add(f", {_a(v)} ")
                    w.add(v, (i, r))
                    w.add(",")
                elif r == "company":
                    w.add(", who works at ")
                    w.add(v, (i, r))
                    w.add(",")
                elif r == "born_in":
                    w.add(", who was born in ")
                    w.add(v, (i, r))
                    w.add(",")
                else:
                    w.add(", who lives in ")
                    w.add(v, (i, r))
                    w.add(",")
                stated.add((i, r))
        else:
            how = rng.random()
            if how < 0.5 and previous == i:
                w.add(p.pronoun.capitalize(), (i, "pronoun"))
                subj_pronoun = p.pronoun
            elif how < 0.8:
                w.add(p.first)
                subj_pronoun = "she"
            else:
                w.add(p.full)
                subj_pronoun = "she"
        for j, r in enumerate(rels):
            v = p.facts[r]
            template = _en_verb(rng.choice(EN_PRED[r]), subj_pronoun)
            before, _, after = template.partition("{v}")
            fill = {"a": _a(v), "p": _possessive(p.pronoun)}
            w.add((" and " if j else " ") + before.format(**fill))
            w.add(v, (i, r))
            w.add(after.format(**fill))
            stated.add((i, r))
        w.add(".")
        previous = i
    return w


def en_item(rng: random.Random, split: str = "train", long: bool = False,
            unanswerable: float = 0.2, reverse: float = 0.2) -> QAItem:
    pool = Pool(rng, split, varied=split == "train")
    n = rng.choice([1, 2, 2, 3, 3, 4]) if not long else rng.randint(4, 7)
    people = _en_people(pool, rng, n + 1)
    absent = people.pop()
    used_values: set[str] = set()
    for p in people:
        while not p.facts:  # at least one fact each
            for r in rng.sample(EN_RELATIONS, rng.randint(2, 4)):
                v = _en_value(pool, rng, r)
                if v in used_values:  # a value names one person's fact only
                    continue
                used_values.add(v)
                p.facts[r] = v
    w = _en_paragraph(rng, pool, people, long)
    target = rng.randrange(len(people))
    p = people[target]
    x = rng.random()
    if x < unanswerable:
        missing = [r for r in EN_ASK if r not in p.facts]
        if missing and rng.random() < 0.5:
            r = rng.choice(missing)
            q = rng.choice(EN_ASK[r]).format(q=p.full if rng.random() < 0.6 else p.first,
                                             p=_possessive(p.pronoun))
        else:
            r = rng.choice(list(EN_ASK))
            q = rng.choice(EN_ASK[r]).format(q=absent.full if rng.random() < 0.6 else
                                             absent.first, p=_possessive(absent.pronoun))
        return QAItem(q, w.text, "", -1, "en", r, len(people), "unanswerable",
                      {"source": "natural"})
    r = rng.choice(list(p.facts))
    v = p.facts[r]
    if x < unanswerable + reverse and r in EN_WHO:
        q = rng.choice(EN_WHO[r]).format(v=v, a=_a(v))
        answer, start = p.full, w.where[(target, "name")]
        return QAItem(q, w.text, answer, start, "en", "who", len(people), "answerable",
                      {"source": "natural", "reverse": True})
    name = p.full if rng.random() < 0.6 else p.first
    q = rng.choice(EN_ASK[r]).format(q=name, p=_possessive(p.pronoun))
    start = w.where[(target, r)]
    assert w.text[start : start + len(v)] == v
    return QAItem(q, w.text, v, start, "en", r, len(people), "answerable", {"source": "natural"})


# ---------------------------------------------------------------------------
# Korean
# ---------------------------------------------------------------------------
KO_RELATIONS = ("city", "company", "job", "born", "born_in", "grew_up", "studied", "plays",
                "likes", "pet", "children")


def _ko_value(pool: Pool, rng: random.Random, relation: str) -> str:
    if relation in ("city", "born_in", "grew_up"):
        return pool.ko_city()
    if relation == "company":
        return pool.ko_company()
    if relation == "job":
        return pool.ko_job()
    if relation == "born":
        return f"{rng.randrange(1940, 2006)}년"
    if relation == "studied":
        return pool.ko_word(2, 0.5) + rng.choice(["대학교", "대학", "고등학교"])
    if relation == "plays":
        return rng.choice(KO_PLAYS)[0]
    if relation == "likes":
        return rng.choice(KO_LIKES)
    if relation == "pet":
        return pool.ko_word(2, 0.5)
    return rng.choice(KO_NUMBERS)


def _ko_pred(relation: str, v: str, rng: random.Random) -> tuple[str, str]:
    """(before the value, after the value) of a Korean predicate."""
    if relation == "city":
        return "", rng.choice(["에 살아요", "에 살고 있어요", "에서 지내요"])
    if relation == "company":
        return "", rng.choice(["에서 일해요", "에 다녀요", "에서 근무해요"])
    if relation == "job":
        return "", "이에요" if data._has_batchim(v[-1]) else "예요"
    if relation == "born":
        return "", "에 태어났어요"
    if relation == "born_in":
        return "", "에서 태어났어요"
    if relation == "grew_up":
        return "", "에서 자랐어요"
    if relation == "studied":
        return "", rng.choice(["에서 공부했어요", "를 졸업했어요" if not data._has_batchim(v[-1])
                               else "을 졸업했어요"])
    if relation == "plays":
        verb = dict(KO_PLAYS)[v]
        return "", ("을 " if data._has_batchim(v[-1]) else "를 ") + verb
    if relation == "likes":
        return "", ("을 " if data._has_batchim(v[-1]) else "를 ") + "좋아해요"
    if relation == "pet":
        return "", ("이라는" if data._has_batchim(v[-1]) else "라는") + " 강아지를 키워요"
    return "아이가 ", " 있어요"


KO_ASK = {
    "city": ["{t} 어디에 살아요?", "{t} 어느 도시에 살아요?", "{t} 어디 살아요?"],
    "company": ["{t} 어디에서 일해요?", "{t} 어느 회사에 다녀요?", "{n}의 직장은 어디예요?"],
    "job": ["{t} 무슨 일을 해요?", "{n}의 직업은 뭐예요?", "{t} 직업이 뭐예요?"],
    "born": ["{t} 몇 년에 태어났어요?", "{t} 언제 태어났어요?"],
    "born_in": ["{t} 어디에서 태어났어요?", "{n}의 고향은 어디예요?"],
    "grew_up": ["{t} 어디에서 자랐어요?"],
    "studied": ["{t} 어느 학교에서 공부했어요?", "{t} 어느 학교를 졸업했어요?"],
    "plays": ["{t} 무엇을 연주하거나 해요?", "{t} 무슨 악기나 운동을 해요?"],
    "likes": ["{t} 무슨 음식을 좋아해요?", "{t} 뭘 좋아해요?"],
    "pet": ["{n}의 강아지 이름은 뭐예요?", "{s} 키우는 강아지 이름은 뭐예요?"],
    "children": ["{t} 아이가 몇 명 있어요?"],
}
KO_WHO = {
    "city": ["누가 {v}에 살아요?", "{v}에 사는 사람은 누구예요?"],
    "company": ["누가 {v}에서 일해요?", "{v}에서 일하는 사람은 누구예요?"],
    "born": ["누가 {v}에 태어났어요?"],
    "born_in": ["누가 {v}에서 태어났어요?"],
    "grew_up": ["누가 {v}에서 자랐어요?"],
    "studied": ["누가 {v}에서 공부했어요?"],
    "likes": ["누가 {v}{o} 좋아해요?"],
}


def _ko_people(pool: Pool, rng: random.Random, n: int) -> list[Person]:
    people: list[Person] = []
    while len(people) < n:
        def make() -> str:
            return rng.choice(data.KO_SURNAMES) + pool.ko_word(2)
        full = pool.draw(make)
        given = full[1:]
        if any(given == p.first or full == p.full for p in people):
            continue
        people.append(Person(full, given, rng.choice(["그", "그녀"])))
    return people


def ko_item(rng: random.Random, split: str = "train", long: bool = False,
            unanswerable: float = 0.2, reverse: float = 0.2) -> QAItem:
    pool = Pool(rng, split, varied=split == "train")
    n = rng.choice([1, 2, 2, 3, 3]) if not long else rng.randint(4, 6)
    people = _ko_people(pool, rng, n + 1)
    absent = people.pop()
    used: set[str] = set()
    for p in people:
        while not p.facts:  # at least one fact each
            for r in rng.sample(KO_RELATIONS, rng.randint(2, 4)):
                v = _ko_value(pool, rng, r)
                if v not in used:
                    used.add(v)
                    p.facts[r] = v
    w = Writer()
    sentences = [(i, r) for i, p in enumerate(people) for r in p.facts]
    if rng.random() < 0.3:
        rng.shuffle(sentences)
    introduced: set[int] = set()
    previous = -1
    n_fill = rng.randint(3, 6) if long else rng.choice([0, 0, 1])
    for _ in range(n_fill):
        sentences.insert(rng.randrange(1, len(sentences) + 1), (-1, ""))
    for i, r in sentences:
        if i < 0:
            w.add((" " if w.text else "") + rng.choice(data.KO_FILLER))
            previous = -1
            continue
        if (i, "company") in w.where and r == "company":
            continue  # said in a relative clause already
        if w.text:
            w.add(" ")
        p = people[i]
        if i not in introduced:
            introduced.add(i)
            if "company" in p.facts and r != "company" and rng.random() < 0.3:
                w.add(p.facts["company"], (i, "company"))
                w.add("에서 일하는 ")
            w.add(p.full, (i, "name"))
            w.add(topic(p.full)[len(p.full):])
        else:
            how = rng.random()
            if how < 0.5 and previous == i:
                w.add(topic(p.pronoun))
            elif how < 0.8:
                w.add(topic(p.first))
            else:
                w.add(topic(p.full))
        v = p.facts[r]
        before, after = _ko_pred(r, v, rng)
        w.add(" " + before)
        w.add(v, (i, r))
        w.add(after + ".")
        previous = i
    target = rng.randrange(len(people))
    p = people[target]
    x = rng.random()

    def fill(template: str, who: Person) -> str:
        name = who.full if rng.random() < 0.6 else who.first
        return template.format(t=topic(name), n=name, s=subject(name))

    if x < unanswerable:
        missing = [r for r in KO_ASK if r not in p.facts]
        if missing and rng.random() < 0.5:
            r = rng.choice(missing)
            q = fill(rng.choice(KO_ASK[r]), p)
        else:
            r = rng.choice(list(KO_ASK))
            q = fill(rng.choice(KO_ASK[r]), absent)
        return QAItem(q, w.text, "", -1, "ko", r, len(people), "unanswerable",
                      {"source": "natural"})
    r = rng.choice(list(p.facts))
    v = p.facts[r]
    if x < unanswerable + reverse and r in KO_WHO:
        q = rng.choice(KO_WHO[r]).format(v=v, o=obj(v)[len(v):])
        return QAItem(q, w.text, p.full, w.where[(target, "name")], "ko", "who", len(people),
                      "answerable", {"source": "natural", "reverse": True})
    q = fill(rng.choice(KO_ASK[r]), p)
    start = w.where[(target, r)]
    assert w.text[start : start + len(v)] == v
    return QAItem(q, w.text, v, start, "ko", r, len(people), "answerable", {"source": "natural"})


def natural_item(rng: random.Random, split: str = "train", long: bool = False,
                 korean: float = 0.35) -> QAItem:
    """One natural paragraph and question, English or Korean."""
    make = ko_item if rng.random() < korean else en_item
    return make(rng, split=split, long=long)


def natural_data(n: int, seed: int, split: str, long_share: float = 0.2) -> list[QAItem]:
    """``n`` natural items of ``split`` (names and values of that split's pools only)."""
    rng = random.Random(seed)
    return [natural_item(rng, split, long=rng.random() < long_share) for _ in range(n)]
