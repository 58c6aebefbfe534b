"""Questions a learner types first: about people, places and things no training item names.

Two short contexts, one per language, written the way a reader writes them (full names,
Korean names with every particle the questions use, paraphrased questions), with seven
questions each: five answerable ones and two unanswerable ones (a person who is absent,
and a person who is there without the fact asked for). Every name and value is on the
held-out side of the generator's split (``data.is_held_out``).

The held-out set (``data.qa_data(..., "test")``) misses what these catch: continuing a
recipe moved its score up while questions like "박준서는 무슨 일을 해요?" went from
answered to unanswered. ``evaluate.typed_questions`` scores a model on them;
``qa.finetune`` logs that score at every evaluation and ``qa.finish`` writes it on the card.
"""

from __future__ import annotations

from hfanatomy.train.data import QAItem

EN_CONTEXT = (
    "Marisol Rahman lives in Hobart. Tobias Okonkwo is a clockmaker. Marisol Rahman works at "
    "Saltmarsh Press. Tobias Okonkwo lives in Mombasa. Ingrid Almeida was born in 1983. "
    "Tobias Okonkwo works at Bluefin Labs. Freya owns a red sailboat. Marisol Rahman was born "
    "in 1991."
)
EN = [
    ("Which city does Marisol Rahman live in?", "Hobart"),
    ("Who is Tobias Okonkwo's employer?", "Bluefin Labs"),
    ("What is Tobias Okonkwo's line of work?", "clockmaker"),
    ("In what year was Ingrid Almeida born?", "1983"),
    ("What does Freya own?", "red sailboat"),
    ("Where does Dmitri Wren work?", ""),  # nobody of that name
    ("Where does Ingrid Almeida live?", ""),  # there, but not where she lives
]
KO_CONTEXT = (
    "김서윤은 강릉 시내에 살아요. 박준서는 현재 대장장이 일을 하고 있어요. 김서윤은 청솔전자 "
    "본사에서 일해요. 정하늘은 1994년 봄에 태어났어요. 박준서는 늘봄항공 직원이에요. 지호는 "
    "작은 요트 한 척을 가지고 있어요."
)
KO = [
    ("김서윤은 어느 도시에 살아요?", "강릉"),
    ("박준서의 회사는 어디예요?", "늘봄항공"),
    ("박준서는 무슨 일을 해요?", "대장장이"),
    ("정하늘이 태어난 해는 언제예요?", "1994년"),
    ("지호는 무엇을 가지고 있어요?", "작은 요트"),
    ("강세아는 어디에 살아요?", ""),
    ("정하늘은 어느 회사에서 일해요?", ""),
]
CASES = {"en": (EN_CONTEXT, EN), "ko": (KO_CONTEXT, KO)}  # lang -> (context, [(q, gold)])
NAMES = ["Marisol Rahman", "Tobias Okonkwo", "Ingrid Almeida", "Freya", "Dmitri Wren",
         "김서윤", "박준서", "정하늘", "지호", "강세아"]
VALUES = ["Hobart", "Bluefin Labs", "Saltmarsh Press", "Mombasa", "clockmaker", "red sailboat",
          "강릉", "늘봄항공", "청솔전자", "대장장이", "작은 요트"]


def items(lang: str) -> list[QAItem]:
    """The seven questions of ``lang`` ("en" or "ko") as QA items ("" = unanswerable)."""
    if lang not in CASES:
        raise ValueError(f"lang must be one of {sorted(CASES)}, got {lang!r}")
    context, cases = CASES[lang]
    return [QAItem(q, context, gold, context.find(gold) if gold else -1, lang, "", 0)
            for q, gold in cases]
