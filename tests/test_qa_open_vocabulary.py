"""The embedded QA model on people, places and things it never saw, typed as a reader would.

Every name and value below is on the held-out side of the generator's split
(``data.is_held_out``), so no training item mentioned it: the model must find the person
by comparing tokens, not by remembering names. Both decoders: the book's
(``hfanatomy.qa.answer``) and the training script's rule (``train.evaluate.predict``).
"""

from __future__ import annotations

import pytest

import hfanatomy
from hfanatomy import qa
from hfanatomy.train import data
from hfanatomy.train.evaluate import normalize, predict

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
NAMES = ["Marisol Rahman", "Tobias Okonkwo", "Ingrid Almeida", "Freya", "Dmitri Wren",
         "김서윤", "박준서", "정하늘", "지호", "강세아"]
VALUES = ["Hobart", "Bluefin Labs", "Saltmarsh Press", "Mombasa", "clockmaker", "red sailboat",
          "강릉", "늘봄항공", "청솔전자", "대장장이", "작은 요트"]


@pytest.fixture(scope="module")
def qa_model():
    return hfanatomy.load_qa()


def test_names_and_values_were_never_in_training():
    assert all(data.is_held_out(s) for s in NAMES + VALUES)
    assert all(s not in data.EN_NAMES + data.EN_SURNAMES + data.EN_CITIES + data.EN_JOBS
               for s in NAMES + VALUES)


# measured with the shipped model: the book's decoder gets all 14 right, the training
# script's rule 12 (it cuts "red sailboat" to "red sail" and "대장장이" to "대장장")
FLOOR = {"en": {"book": 7, "script": 6}, "ko": {"book": 7, "script": 6}}  # right, of 7


@pytest.mark.parametrize("context, cases", [(EN_CONTEXT, EN), (KO_CONTEXT, KO)],
                         ids=["en", "ko"])
def test_questions_about_unseen_people(qa_model, context, cases):
    model, tok = qa_model
    questions = [q for q, _ in cases]
    book = qa.answer(questions, [context] * len(cases), model, tok,
                     handle_impossible_answer=True)
    items = [data.QAItem(q, context, a, context.find(a) if a else -1, "", "", 0)
             for q, a in cases]
    script = predict(model, tok, items)
    right = {"book": [top[0].text == gold for top, (_, gold) in zip(book, cases)],
             "script": [normalize(p) == normalize(gold) for p, (_, gold) in zip(script, cases)]}
    missed = [(q, top[0].text) for top, (q, _), ok in zip(book, cases, right["book"]) if not ok]
    for decoder, floor in FLOOR["ko" if context == KO_CONTEXT else "en"].items():
        assert sum(right[decoder]) >= floor, (decoder, missed)
    # every question about an absent person, or a fact not given, gets the null answer
    for top, (question, gold) in zip(book, cases):
        if gold == "":
            assert top[0].text == "" and top[0].score > 0.8, (question, top[0])
