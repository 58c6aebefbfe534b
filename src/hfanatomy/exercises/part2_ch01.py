"""Exercises for Part II, chapter 1 (the task and its input): check your answers in a cell.

Each checker prints what is right or what is off and returns True/False; it never
raises for a wrong answer. The truth is computed from the book's QA tokenizer
(``hfanatomy.load_qa()``, or the ``tokenizer=`` you pass).
"""

from __future__ import annotations

from hfanatomy.exercises._models import book_qa
from hfanatomy.exercises.feedback import placeholder
from hfanatomy.qa_inputs import encode_pair

__all__ = ["SEED_QUESTION", "SEED_CONTEXT", "SEED_ANSWER", "check_first_context_token",
           "check_answer_tokens", "check_truncation", "book_qa"]

SEED_QUESTION = "위키는 어떤 언어를 이용하는가?"
SEED_CONTEXT = ("위키는 간단한 마크업 언어와 웹 브라우저를 이용, 함께 문서를 작성하는 공동체를 가능케 한다. "
                "위키 웹사이트의 한 문서는 “위키 문서”라 부르며, 하이퍼링크로 서로 연결된 전체 문서를 "
                "“위키”라 한다. 위키는 본질적으로 정보를 만들고, 찾아보고, 검색하기 위한 데이터베이스다. "
                "위키는 비선형적인, 진화하는, 복잡하게 얽힌 문서, 토론, 상호 작용을 할 수 있게 돕는다.")
SEED_ANSWER = "마크업 언어"


def check_first_context_token(my_answer, tokenizer=None) -> bool:
    """Position of the first context token in the encoded seed pair (question first)."""
    if placeholder(my_answer, "an int: the position of the first context token", ellipsis=True):
        return False
    tok = tokenizer if tokenizer is not None else book_qa()[1]
    x = encode_pair(tok, SEED_QUESTION, SEED_CONTEXT)
    truth = x.context_tokens[0]
    if not isinstance(my_answer, int) or isinstance(my_answer, bool):
        print(f"Expected an int position, got {type(my_answer).__name__}.")
        return False
    if my_answer == truth:
        print(f"Right: position {truth} ({x.tokens[truth]!r}) is the first token with sequence id 1.")
        return True
    hint = ("that is a question token" if 0 <= my_answer < len(x) and x.roles[my_answer] == "question"
            else "look for the first i with sequence_ids()[i] == 1")
    print(f"Not quite: {my_answer} is off ({hint}). Count [CLS], the question tokens and the separator(s).")
    return False


def check_answer_tokens(my_answer, tokenizer=None) -> bool:
    """(start, end) token positions, inclusive, of the answer 마크업 언어 in the seed pair."""
    if placeholder(my_answer, "a (start, end) pair of token positions, end inclusive", ellipsis=True):
        return False
    tok = tokenizer if tokenizer is not None else book_qa()[1]
    x = encode_pair(tok, SEED_QUESTION, SEED_CONTEXT)
    truth = x.find(SEED_ANSWER)
    try:
        start, end = (int(v) for v in my_answer)
    except (TypeError, ValueError):
        print(f"Expected two ints (start, end); got {my_answer!r}.")
        return False
    if (start, end) == truth:
        print(f"Right: tokens {start}..{end} cover {x.text(start, end)!r}; these are the "
              "start_positions/end_positions a training example would carry.")
        return True
    if (start, end) == (truth[0], truth[1] + 1):
        print("Almost: the end position is inclusive (the last answer token), not one past it.")
    else:
        print(f"Not quite: ({start}, {end}) is off. Find the tokens whose offsets cover the "
              "characters of the answer inside the context (offset_mapping, sequence id 1).")
    return False


def check_truncation(my_answer) -> bool:
    """The ``truncation=`` value that cuts only the context, never the question."""
    if placeholder(my_answer, "a string: the truncation strategy", ellipsis=True):
        return False
    if my_answer == "only_second":
        print("Right: 'only_second' cuts the second sequence (the context) and keeps the question whole.")
        return True
    if my_answer in ("longest_first", True):
        print("No: 'longest_first' (what truncation=True means) may cut the question too.")
    elif my_answer == "only_first":
        print("No: the question is the first sequence; cutting it changes what is asked.")
    else:
        print(f"{my_answer!r} is not it: which sequence is the context, the first or the second?")
    return False
