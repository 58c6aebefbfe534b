"""Extractive QA items for the QA model: contexts listing facts about several people (where
they live and work, their job, birth year, what they own), questions about one of them,
some unanswerable (SQuAD 2 style), some longer than one window, in English and Korean.
Names and values are drawn from pools split by hash (``Pool``): held-out items ask about
people, places and things no training item mentions.
"""

from __future__ import annotations

import functools
import random
import string
from dataclasses import dataclass, field

from hfanatomy.train.data.text import is_held_out, obj, subject, topic

# ---------------------------------------------------------------------------
# extractive QA
# ---------------------------------------------------------------------------
# Names and values are drawn from pools far too large to memorise: syllable-built words in
# both scripts, besides a few real lists. A pool's strings are split by hash (``is_held_out``
# of the string): held-out items use only held-out names and values, training items only
# the others, so the held-out set asks about people, cities, companies, jobs and objects
# the model never saw.
EN_NAMES = [
    "Hannah", "Oliver", "Amelia", "Lucas", "Sofia", "Ethan", "Chloe", "Noah", "Grace", "Liam",
    "Mia", "James", "Emma", "Daniel", "Ava", "Samuel", "Isla", "Henry", "Zoe", "Jack",
    "Ella", "Leo", "Ruby", "Oscar", "Lily", "Adam", "Nora", "Max", "Alice", "Felix",
    "Clara", "Hugo", "Maya", "Theo", "Iris", "Owen", "Julia", "Ryan", "Laura", "Victor",
    "Elena", "Simon", "Paula", "Martin", "Anna", "Peter", "Sara", "David", "Rosa", "Thomas",
    "Helen", "Mark", "Linda", "George", "Emily", "Paul", "Diana", "Frank", "Olivia", "Carl",
    "Mina", "Lena", "Omar", "Priya", "Yuki", "Carlos", "Fatima", "Ivan", "Aisha", "Mateo",
    "Ingrid", "Kofi", "Leila", "Raj", "Sven", "Chen", "Amara", "Diego", "Hana", "Tariq",
]
EN_SURNAMES = [
    "Martin", "Vogel", "Smith", "Garcia", "Nguyen", "Kim", "Park", "Lee", "Brown", "Rossi",
    "Müller", "Silva", "Khan", "Tanaka", "Novak", "Jensen", "Okafor", "Dubois", "Costa",
    "Walker", "Young", "Hill", "Moreau", "Sato", "Ivanova", "Haddad", "Lopez", "Fischer",
    "Berg", "Quinn", "Reyes", "Weber", "Adler", "Olsen", "Patel", "Stone", "Wright", "Marsh",
]
EN_ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "kl", "l",
             "m", "n", "p", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z", "th", "y",
             "l", "m", "n", "r", "s", "t", "d", "k", "", ""]
EN_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "ai", "ea", "ia", "io", "y",
             "ee", "ou"]
EN_CODAS = ["", "", "", "", "n", "l", "r", "s", "m", "th", "nd", "x", "k", "rt", "ck"]
EN_CITIES = [
    "Lisbon", "Oslo", "Denver", "Cairo", "Toronto", "Madrid", "Vienna", "Dublin", "Prague",
    "Berlin", "Boston", "Seattle", "Chicago", "Sydney", "Nairobi", "Lima", "Quito", "Athens",
    "Rome", "Milan", "Paris", "London", "Tokyo", "Seoul", "Busan", "Osaka", "Hanoi", "Manila",
    "Mumbai", "Delhi", "Dubai", "Istanbul", "Warsaw", "Helsinki", "Stockholm", "Copenhagen",
    "Amsterdam", "Brussels", "Zurich", "Geneva", "Munich", "Hamburg", "Naples", "Porto",
    "Seville", "Valencia", "Montreal", "Vancouver", "Austin", "Portland", "Phoenix", "Miami",
    "Atlanta", "Dallas", "Houston", "Santiago", "Bogota", "Havana", "Lagos", "Accra",
    "New York", "Los Angeles", "San Francisco", "Buenos Aires", "Cape Town", "Mexico City",
    "Rio de Janeiro", "Hong Kong", "Daegu", "Incheon", "Jeonju", "Kyoto", "Lyon", "Krakow",
    "Tallinn", "Riga", "Bergen", "Glasgow", "Cardiff", "Marseille", "Bilbao", "Turin",
]
EN_CITY_FORMS = ["{w}", "{w}", "{w}", "{w}ton", "{w}burg", "Port {W}", "New {W}", "{W} City",
                 "San {W}", "{W} Bay"]
EN_CO_A = ["North", "Blue", "Silver", "Green", "Bright", "Red", "Iron", "Golden", "Swift",
           "Cedar", "Harbor", "Summit", "Maple", "Stone", "River", "Sunny", "Oak", "Pine",
           "Crystal", "Eagle", "Northwind", "Copper", "Lunar", "Coral", "Falcon", "Delta"]
EN_CO_B = ["Bank", "Labs", "Motors", "Foods", "Press", "Studios", "Systems", "Bakery",
           "Clinic", "Airlines", "Books", "Energy", "Games", "Robotics", "Hotels", "Media",
           "Pharma", "Logistics", "Software", "Textiles", "Partners", "Group", "Works",
           "Insurance", "Shipping", "Analytics"]
EN_JOBS = [
    "nurse", "teacher", "pilot", "chef", "lawyer", "baker", "dentist", "plumber", "farmer",
    "architect", "librarian", "journalist", "pharmacist", "mechanic", "electrician",
    "photographer", "carpenter", "translator", "accountant", "firefighter", "veterinarian",
    "programmer", "musician", "painter", "scientist", "engineer", "surgeon", "tailor",
    "gardener", "waiter", "designer", "editor", "judge", "florist", "astronomer",
    "beekeeper", "glassblower", "locksmith", "potter", "sculptor", "geologist", "midwife",
    "cartographer", "blacksmith", "jeweler", "barber", "butcher", "dancer", "diver",
    "economist", "historian", "optician", "paramedic", "physicist", "poet", "ranger",
    "sailor", "surveyor", "therapist", "welder", "zookeeper", "curator", "biologist",
    "chemist", "courier", "data analyst", "web developer", "flight attendant",
    "social worker", "bus driver", "tour guide", "police officer", "fashion designer",
]
EN_JOB_FORMS = ["{w}smith", "{w} maker", "{w} keeper", "{w}ist", "{w} trader", "{w}er"]
EN_COLORS = ["red", "blue", "green", "black", "white", "yellow", "old", "new", "small", "large",
             "shiny", "silver", "orange", "purple", "wooden", "rusty", "tiny", "brown"]
EN_OBJECTS = ["bicycle", "car", "piano", "guitar", "camera", "boat", "motorcycle", "laptop",
              "violin", "tent", "telescope", "scooter", "sofa", "clock", "drone", "kayak",
              "trumpet", "typewriter", "canoe", "harp", "microscope", "lamp", "tractor",
              "van", "kite", "sewing machine", "skateboard", "cello", "radio", "printer"]
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

KO_SURNAMES = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신",
               "권", "황", "안", "송", "류", "홍", "전", "고", "문", "양", "손", "배", "백", "허",
               "남", "심", "노", "하", "곽", "성", "차", "주", "우", "구", "민", "진"]
KO_NAME_SYLLABLES = (
    "민준서연지훈하은도윤우수아예현유진시린주원채건다소율태승가동혜재비나호희영성경미정혁상"
    "훈석빈란늘별솔온봄찬결슬기로운보람새롬한빛아름다해인선규범철용진숙자순옥명광일환태"
)
KO_CITIES = ["서울", "부산", "대구", "인천", "광주", "대전", "울산", "수원", "전주", "춘천", "제주",
             "강릉", "포항", "창원", "청주", "목포", "여수", "경주", "파리", "런던", "도쿄", "뉴욕",
             "베를린", "로마", "시드니", "토론토", "안동", "속초", "군산", "원주", "천안", "김해",
             "마드리드", "빈", "오슬로", "리스본", "하노이", "방콕", "카이로", "리마"]
KO_CO_A = ["한빛", "푸른", "새벽", "하늘", "바다", "별빛", "은하", "초록", "대한", "미래", "누리",
           "가람", "햇살", "금강", "한결", "다온"]
KO_CO_B = ["전자", "은행", "제약", "출판", "식품", "항공", "건설", "통신", "화학", "자동차",
           "물산", "증권", "보험", "소프트", "게임즈", "로보틱스", "호텔", "미디어"]
KO_JOBS = ["간호사", "교사", "조종사", "요리사", "변호사", "제빵사", "치과의사", "농부", "건축가",
           "사서", "기자", "약사", "정비사", "사진작가", "번역가", "회계사", "소방관", "수의사",
           "프로그래머", "음악가", "화가", "과학자", "엔지니어", "디자이너", "편집자", "판사",
           "도예가", "조각가", "어부", "미용사", "경찰관", "통역사", "바리스타", "작곡가",
           "큐레이터", "목수", "정원사", "재단사", "천문학자", "역사학자", "물리학자", "시인"]
KO_JOB_FORMS = ["{w}사", "{w}가", "{w} 전문가", "{w} 기술자"]
KO_COLORS = ["빨간", "파란", "검은", "하얀", "노란", "낡은", "새", "작은", "커다란", "초록색",
             "보라색", "오래된", "반짝이는"]
KO_OBJECTS = [("자전거", "대"), ("자동차", "대"), ("피아노", "대"), ("기타", "대"),
              ("카메라", "대"), ("노트북", "대"), ("배", "척"), ("고양이", "마리"),
              ("강아지", "마리"), ("앵무새", "마리"), ("시계", "개"), ("텐트", "개"),
              ("첼로", "대"), ("오토바이", "대"), ("망원경", "개"), ("카약", "척"),
              ("토끼", "마리"), ("거북이", "마리"), ("라디오", "개"), ("재봉틀", "대")]
KO_FILLER = [
    "그해 봄은 날씨가 따뜻했어요.", "모두 긴 산책을 좋아해요.", "마을에는 작은 항구가 있어요.",
    "회의는 비 오는 화요일에 열렸어요.", "그들은 여름 학교에서 처음 만났어요.",
    "오래된 다리는 작년에 수리되었어요.", "역 근처에 새 도서관이 문을 열었어요.",
    "박물관은 월요일마다 쉬어요.", "주말에는 공원이 늘 붐벼요.", "기차는 매시간 떠나요.",
]

ATTRIBUTES = ("city", "company", "job", "born", "owns")


def ks_x_1001_hangul() -> list[str]:
    """The 2,350 Hangul syllables of KS X 1001 (EUC-KR rows 0xB0-0xC8), in code order."""
    return [bytes([row, cell]).decode("euc-kr")
            for row in range(0xB0, 0xC9) for cell in range(0xA1, 0xFF)]


@functools.lru_cache(maxsize=1)
def _all_syllables() -> tuple[str, ...]:
    return tuple(ks_x_1001_hangul())


class Pool:
    """Names and values of one split: ``draw`` rejects strings of the other split.

    ``split="train"`` draws strings that ``is_held_out`` says are not held out, ``"test"``
    only held-out ones, so both splits come from the same generator and never meet.
    """

    def __init__(self, rng: random.Random, split: str = "train", varied: bool = False):
        if split not in ("train", "test"):
            raise ValueError(f"split must be 'train' or 'test', got {split!r}")
        self.rng = rng
        self.test = split == "test"
        # varied (training only): jobs and objects are also bare made-up words, and real
        # words are drawn less often, so a value is found by its place in the sentence,
        # not by its look (held-out real jobs such as "editor" were answered with nothing)
        self.varied = varied
        self.real = 0.35 if varied else 0.6

    def draw(self, make) -> str:
        for _ in range(1000):
            text = make()
            if is_held_out(text) == self.test:
                return text
        raise RuntimeError("no string of this split after 1000 tries")

    def pick(self, options: list[str]) -> str:
        return self.draw(lambda: self.rng.choice(options))

    # --- building blocks --------------------------------------------------
    def en_word(self, syllables: tuple[int, ...] = (1, 2, 2, 2, 2, 3)) -> str:
        r = self.rng
        n = r.choice(syllables)
        parts = [r.choice(EN_ONSETS) + r.choice(EN_VOWELS) for _ in range(n)]
        if n == 1 or r.random() < 0.5:
            parts[-1] += r.choice(EN_CODAS[4:])
        word = "".join(parts)
        return word.capitalize() if len(word) >= 3 else (word + "n").capitalize()

    def ko_word(self, n: int = 2, any_syllable: float = 0.3) -> str:
        r = self.rng
        return "".join(r.choice(_all_syllables()) if r.random() < any_syllable
                       else r.choice(KO_NAME_SYLLABLES) for _ in range(n))

    # --- people -------------------------------------------------------------
    def en_name(self) -> str:
        r = self.rng

        def make() -> str:
            first = r.choice(EN_NAMES) if r.random() < 0.3 else self.en_word()
            x = r.random()
            if x < 0.45:
                return first
            last = r.choice(EN_SURNAMES) if r.random() < 0.4 else self.en_word()
            if x < 0.88:
                return f"{first} {last}"
            return f"{first} {self.en_word()} {last}"
        return self.draw(make)

    def ko_name(self) -> str:
        r = self.rng

        def make() -> str:
            given = self.ko_word(r.choice([2, 2, 2, 2, 1]) if r.random() < 0.5 else 2)
            if r.random() < 0.5:
                return given if len(given) > 1 else given + self.ko_word(1)
            return r.choice(KO_SURNAMES) + given
        return self.draw(make)

    # --- values ---------------------------------------------------------------
    def en_city(self) -> str:
        if self.rng.random() < (0.2 if self.varied else 0.3):
            return self.pick(EN_CITIES)
        return self.draw(lambda: self.rng.choice(EN_CITY_FORMS).format(
            w=self.en_word(), W=self.en_word()))

    def en_company(self) -> str:
        r = self.rng
        return self.draw(lambda: (r.choice(EN_CO_A) if r.random() < 0.4 else self.en_word())
                         + " " + (r.choice(EN_CO_B) if r.random() < 0.85 else self.en_word()))

    def en_job(self) -> str:
        if self.rng.random() < self.real:
            return self.pick(EN_JOBS)
        if self.varied and self.rng.random() < 0.5:
            return self.draw(lambda: self.bare_en())
        return self.draw(lambda: self.rng.choice(EN_JOB_FORMS).format(
            w=self.en_word((1, 2)).lower()))

    def bare_en(self) -> str:
        """A made-up lower-case value of one or two words (varied pools only)."""
        word = self.en_word((1, 2, 2, 3)).lower()
        return word if self.rng.random() < 0.7 else f"{word} {self.en_word((1, 2)).lower()}"

    def en_object(self) -> str:
        r = self.rng
        if self.varied and r.random() < 0.25:
            return self.draw(lambda: self.bare_en())
        return self.draw(lambda: r.choice(EN_COLORS) + " " + (
            r.choice(EN_OBJECTS) if r.random() < self.real else self.en_word((1, 2)).lower()))

    def ko_city(self) -> str:
        if self.rng.random() < (0.2 if self.varied else 0.35):
            return self.pick(KO_CITIES)
        return self.draw(lambda: self.ko_word(self.rng.choice([2, 2, 3]), 0.5))

    def ko_company(self) -> str:
        r = self.rng
        return self.draw(lambda: (r.choice(KO_CO_A) if r.random() < 0.4 else self.ko_word(2, 0.5))
                         + r.choice(KO_CO_B))

    def ko_job(self) -> str:
        if self.rng.random() < self.real:
            return self.pick(KO_JOBS)
        if self.varied and self.rng.random() < 0.5:
            return self.draw(lambda: self.ko_word(self.rng.choice([2, 3]), 0.5))
        return self.draw(lambda: self.rng.choice(KO_JOB_FORMS).format(w=self.ko_word(2, 0.5)))

    def ko_object(self) -> tuple[str, str]:
        r = self.rng
        drawn = []

        def make() -> str:
            if r.random() < self.real:
                thing, counter = r.choice(KO_OBJECTS)
            else:
                thing, counter = self.ko_word(r.choice([2, 3]), 0.5), "개"
            drawn.append(counter)
            return f"{r.choice(KO_COLORS)} {thing}"
        return self.draw(make), drawn[-1]


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
    # where the generator wrote the names (character spans; used for attention supervision):
    # "question_name": (start, end) in the question; "sentences": [(start, end, name_start,
    # name_end, person)] in the context, name -1 and person -1 for filler sentences;
    # "asked": index of the person asked about (-1 when absent); "multi_token": name length
    extra: dict = field(default_factory=dict)


EN_TEMPLATES = {
    "city": ["{n} lives in {v}.", "{n} lives in {v}.", "{n} has lived in {v} since {y}.",
             "{n} moved to {v} a few years ago.", "{n}'s home is in {v}.", "{n} resides in {v}.",
             "These days {n} lives in {v}."],
    "company": ["{n} works at {v}.", "{n} works at {v}.", "{n} is employed by {v}.",
                "{n} has a job at {v}.", "{n} joined {v} in {y}.", "{n}'s employer is {v}.",
                "{n} works for {v}."],
    "job": ["{n} works as {a} {v}.", "{n} is {a} {v}.", "By profession, {n} is {a} {v}.",
            "{n} trained as {a} {v}.", "{n} earns a living as {a} {v}.", "{n} is {a} {v} by trade."],
    "born": ["{n} was born in {v}.", "{n} was born in {v} in a small village.",
             "{n} was born in the year {v}.", "{n} was born in {v} in a big city."],
    "owns": ["{n} owns {a} {v}.", "{n} bought {a} {v} last year.", "{n} has {a} {v}.",
             "{n} recently got {a} {v}."],
}
# a value is always a word of its own (followed by a space): the book's decoder widens a
# span to whole words (as v4's pipeline does), so "부산에" could never match "부산"
KO_TEMPLATES = {
    "city": ["{t} {v} 시내에 살아요.", "{t} 요즘 {v} 근처에 살고 있어요.",
             "{t} 몇 년 전에 {v} 쪽으로 이사했어요.", "{t} 지금 {v} 시내에서 살아요."],
    "company": ["{t} {v} 직원이에요.", "{t} {v} 본사에서 일해요.", "{t} {y}년부터 {v} 소속으로 일해요.",
                "{t} {v} 본사에 다녀요."],
    "job": ["{t} 현재 {v} 일을 하고 있어요.", "{t} 동네에서 유명한 {v} 중 한 명이에요.",
            "{t} 오랫동안 {v} 일을 했어요.", "{n}의 직업은 {v} 일이에요."],
    "born": ["{t} {v} 봄에 태어났어요.", "{t} {v} 겨울에 태어났어요.", "{t} {v} 작은 마을에서 태어났어요."],
    "owns": ["{t} {v} 한 {c} {o}."],
}
EN_QUESTIONS = {
    "city": ["Where does {n} live?", "In which city does {n} live?", "What city is {n} living in?",
             "Which city is home to {n}?", "Which city does {n} live in?", "Where is {n}'s home?",
             "Where does {n} reside?", "What city does {n} live in?"],
    "company": ["Where does {n} work?", "Which company does {n} work for?", "Who employs {n}?",
                "What company employs {n}?", "Who is {n}'s employer?", "What is {n}'s employer?",
                "For which company does {n} work?", "What company does {n} work at?"],
    "job": ["What does {n} do for a living?", "What is {n}'s job?", "What is {n}'s profession?",
            "What does {n} work as?", "What is {n}'s line of work?", "What is {n}'s occupation?",
            "What job does {n} have?", "What does {n} do?"],
    "born": ["When was {n} born?", "In what year was {n} born?", "What year was {n} born in?",
             "What is {n}'s birth year?", "In which year was {n} born?"],
    "owns": ["What does {n} own?", "What does {n} have?", "What did {n} buy?",
             "What does {n} possess?", "What is owned by {n}?"],
}
KO_QUESTIONS = {
    "city": ["{t} 어디에 살아요?", "{t} 어느 도시에 살고 있어요?", "{t} 어느 도시에 살아요?",
             "{n}의 집은 어느 도시에 있어요?", "{s} 사는 도시는 어디예요?", "{t} 어디 살아요?"],
    "company": ["{t} 어느 회사에서 일해요?", "{t} 어디 소속이에요?", "{n}의 회사는 어디예요?",
                "{t} 어디에서 일해요?", "{s} 다니는 회사는 어디예요?", "{n}의 직장은 어디예요?"],
    "job": ["{t} 무슨 일을 해요?", "{n}의 직업은 무엇인가요?", "{n}의 직업은 뭐예요?",
            "{t} 직업이 뭐예요?", "{t} 어떤 일을 하나요?"],
    "born": ["{t} 몇 년에 태어났어요?", "{t} 언제 태어났어요?", "{n}의 출생 연도는 언제예요?",
             "{t} 몇 년생이에요?", "{s} 태어난 해는 언제예요?"],
    "owns": ["{t} 무엇을 가지고 있어요?", "{t} 무엇을 갖고 있나요?", "{t} 뭘 가지고 있어요?",
             "{t} 무엇을 키우거나 가지고 있어요?"],
}


def _render(template: str, slots: dict) -> tuple[str, dict[str, int]]:
    """Fill a template; return the text and the character offset of each slot."""
    out, where = "", {}
    for literal, name, _, _ in string.Formatter().parse(template):
        out += literal
        if name is not None:
            where.setdefault(name, len(out))
            out += str(slots[name])
    return out, where


def _en_person(pool: Pool, name: str, attrs: list[str]) -> list[tuple[str, str, dict]]:
    """(attribute, template, slots) for one English person's facts."""
    rng = pool.rng
    facts = {"city": pool.en_city(), "company": pool.en_company(), "job": pool.en_job(),
             "born": str(rng.randrange(1940, 2006)), "owns": pool.en_object()}
    out = []
    for a in attrs:
        v = facts[a]
        out.append((a, rng.choice(EN_TEMPLATES[a]),
                    {"n": name, "v": v, "y": str(rng.randrange(1990, 2024)),
                     "a": "an" if v[0].lower() in "aeiou" else "a"}))
    return out


def _ko_person(pool: Pool, name: str, attrs: list[str]) -> list[tuple[str, str, dict]]:
    rng = pool.rng
    owned, counter = pool.ko_object()
    facts = {"city": pool.ko_city(), "company": pool.ko_company(), "job": pool.ko_job(),
             "born": f"{rng.randrange(1940, 2006)}년", "owns": owned}
    out = []
    for a in attrs:
        template = rng.choice(KO_TEMPLATES[a])
        slots = {"t": topic(name), "n": name, "v": facts[a], "y": str(rng.randrange(1990, 2024)),
                 "c": obj(counter), "o": "키워요" if counter == "마리" else "가지고 있어요"}
        out.append((a, template, slots))
    return out


def qa_item(rng: random.Random, lang: str | None = None, people: int | None = None,
            long: bool = False, unanswerable: float = 0.15, split: str = "train",
            varied: bool = False) -> QAItem:
    """One question about one person of a context with several people.

    Names and values come from ``split``'s side of the pools (see ``Pool``; ``varied``:
    the training pools' wider mix of made-up values).
    """
    pool = Pool(rng, split, varied)
    lang = lang or ("ko" if rng.random() < 0.35 else "en")
    if people is None:
        if long:
            people = rng.randint(14, 22) if lang == "en" else rng.randint(8, 12)
        else:
            people = rng.choice([2, 2, 3, 3, 3, 4, 4, 5, 6])
    new_name = pool.en_name if lang == "en" else pool.ko_name
    chosen: list[str] = []
    while len(chosen) < people + 1:  # the extra one can be the absent person
        name = new_name()
        if chosen and rng.random() < 0.25:  # hard negatives: share a word or a syllable
            other = rng.choice(chosen)
            if lang == "en" and " " in other:
                parts = other.split(" ")
                parts[rng.randrange(len(parts))] = pool.en_word()
                near = " ".join(parts)
            else:
                k = rng.randrange(len(other))
                near = other[:k] + pool.ko_word(1) + other[k + 1:] if lang == "ko" else name
            name = near if is_held_out(near) == pool.test else name
        if name not in chosen and all(name not in c and c not in name for c in chosen):
            chosen.append(name)
    absent = chosen.pop()
    groups = []
    for i, name in enumerate(chosen):
        attrs = rng.sample(ATTRIBUTES, rng.randint(2, 5))
        facts = (_en_person if lang == "en" else _ko_person)(pool, name, attrs)
        groups.append([(i, a, t, s) for a, t, s in facts])
    if rng.random() < 0.25:
        flat = [x for g in groups for x in g]
        rng.shuffle(flat)
    else:
        flat = []
        for g in groups:
            rng.shuffle(g)
            flat += g
    fillers = EN_FILLER if lang == "en" else KO_FILLER
    n_fill = rng.randint(4, 10) if long else rng.choice([0, 0, 1, 2])
    for _ in range(n_fill):
        flat.insert(rng.randrange(len(flat) + 1), (-1, None, rng.choice(fillers), {}))
    target = rng.randrange(people)
    attrs_of_target = [a for who, a, _, _ in flat if who == target]
    if rng.random() < unanswerable:
        missing = [a for a in ATTRIBUTES if a not in attrs_of_target]
        if missing and rng.random() < 0.6:
            attribute, asked = rng.choice(missing), target
        else:
            attribute, asked = rng.choice(ATTRIBUTES), -1
        answerable = False
    else:
        attribute, asked, answerable = rng.choice(attrs_of_target), target, True
    q_name = chosen[asked] if asked >= 0 else absent
    questions = EN_QUESTIONS if lang == "en" else KO_QUESTIONS
    q_template = rng.choice(questions[attribute])
    question, q_where = _render(q_template, {"n": q_name, "t": topic(q_name),
                                             "s": subject(q_name)})
    q_start = next(iter(q_where.values()))
    parts, pos, answer_start, answer, spans = [], 0, -1, "", []
    for who, a, template, slots in flat:
        text, where = _render(template, slots)
        if who >= 0:
            n_at = where.get("n", where.get("t"))
            spans.append((pos, pos + len(text), pos + n_at, pos + n_at + len(chosen[who]), who))
            if answerable and who == asked and a == attribute:
                answer, answer_start = slots["v"], pos + where["v"]
        else:
            spans.append((pos, pos + len(text), -1, -1, -1))
        parts.append(text)
        pos += len(text) + 1
    context = " ".join(parts)
    if answerable:
        assert context[answer_start : answer_start + len(answer)] == answer
    extra = {"question_name": (q_start, q_start + len(q_name)), "sentences": spans,
             "asked": asked, "name": q_name}
    return QAItem(question, context, answer, answer_start, lang, attribute, people,
                  "answerable" if answerable else "unanswerable", extra)


def common_name_pairs(n_names: int = 40, seed: int = 0) -> list[QAItem]:
    """Two people with common one-token first names, two facts each, asked where the first
    works or lives: every ordered pair of the first ``n_names`` training-side ``EN_NAMES``.

    "Hannah works at Blue Bank. Oliver lives in Oslo. Hannah lives in Lima. Oliver works at
    Swift Motors." -- the plainest context with the names a learner types first. The
    held-out set (names never seen) cannot see how the model does on these.
    """
    rng = random.Random(seed)
    names = [n for n in EN_NAMES if not is_held_out(n)][:n_names]
    items = []
    for a in names:
        for b in names:
            if a == b:
                continue
            ca, cb = rng.sample(["Blue Bank", "Swift Motors", "Iron Press", "Green Foods"], 2)
            xa, xb = rng.sample(["Oslo", "Lima", "Paris", "Cairo"], 2)
            context = f"{a} works at {ca}. {b} lives in {xb}. {a} lives in {xa}. {b} works at {cb}."
            question, gold = rng.choice([(f"Where does {a} work?", ca),
                                         (f"Where does {a} live?", xa)])
            items.append(QAItem(question, context, gold, context.find(gold), "en", "", 2,
                                "answerable", {"name": a}))
    return items


def qa_data(n: int, seed: int, split: str, long_share: float = 0.2, lang: str | None = None,
            people: int | None = None) -> list[QAItem]:
    """``n`` QA items of the ``train`` or ``test`` split: names and values of that split only."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    rng = random.Random(seed)
    return [qa_item(rng, lang=lang, people=people, long=rng.random() < long_share, split=split)
            for _ in range(n)]


def qa_corpus(seed: int, small: bool = False) -> list[str]:
    """Contexts and questions for the WordPiece tokenizer and MLM pretraining."""
    items = qa_data(300 if small else 6000, seed, "train")
    return [it.context for it in items] + [it.question for it in items]


def annotated_item(question: str, context: str, answer: str, names: list[str],
                   lang: str = "en") -> QAItem:
    """A hand-written ``QAItem`` with the name spans the generator would record.

    ``names``: the people of the context, as written; a sentence (split at ". ") belongs to
    the first of them it starts with. The question's name is the longest one it contains
    (or, for an absent person, the caller lists it too).
    """
    asked_name = max((n for n in names if n in question), key=len, default=None)
    if asked_name is None:
        raise ValueError(f"none of {names} occurs in the question {question!r}")
    q_start = question.index(asked_name)
    spans, pos = [], 0
    pieces = context.split(". ")
    for k, sentence in enumerate(pieces):
        end = pos + len(sentence) + (k < len(pieces) - 1)  # with its full stop
        who = max((n for n in names if sentence.startswith(n)), key=len, default=None)
        if who is None:
            spans.append((pos, end, -1, -1, -1))
        else:
            spans.append((pos, end, pos, pos + len(who), names.index(who)))
        pos = end + 1
    people = sorted({s[4] for s in spans if s[4] >= 0})
    answer_start = context.find(answer) if answer else -1
    asked = names.index(asked_name) if names.index(asked_name) in people else -1
    return QAItem(question, context, answer, answer_start, lang, "", len(people),
                  "answerable" if answer else "unanswerable",
                  {"question_name": (q_start, q_start + len(asked_name)), "sentences": spans,
                   "asked": asked, "name": asked_name})
