"""Exercises for Part II, chapter 5 (long contexts): check your answers in a cell.

Each checker prints what is right or what is off and returns True/False; it never
raises for a wrong answer. Window arithmetic: a context of ``n`` tokens, ``room``
context tokens per window and a stride of ``stride`` tokens gives windows starting
every ``room - stride`` tokens (the tests hold this equal to the tokenizer's own
``return_overflowing_tokens`` windows).
"""

from __future__ import annotations

import math

from hfanatomy import qa
from hfanatomy.exercises.feedback import placeholder

__all__ = ["EXERCISE_TOKENS", "EXERCISE_ROOM", "EXERCISE_STRIDE", "EXERCISE_TOKEN",
           "EXERCISE_ANSWERS", "num_windows", "windows_containing", "check_num_windows",
           "check_windows_of_token", "check_merge"]

EXERCISE_TOKENS = 1000  # context tokens
EXERCISE_ROOM = 373  # context tokens per window (384 - 8 question tokens - 3 special)
EXERCISE_STRIDE = 128
EXERCISE_TOKEN = 500  # which windows hold context token 500?

# the spans v4 read from two windows, in window order, before merging
EXERCISE_ANSWERS = [
    {"text": "the central library", "start": 812, "end": 831, "score": 0.61},  # window 0
    {"text": "central library", "start": 816, "end": 831, "score": 0.20},
    {"text": "The Central Library", "start": 1210, "end": 1229, "score": 0.47},  # window 1
    {"text": "library", "start": 824, "end": 831, "score": 0.09},
    {"text": "central library", "start": 816, "end": 831, "score": 0.08},
]


def num_windows(n: int, room: int, stride: int) -> int:
    """Windows the tokenizer makes for ``n`` context tokens (``room`` per window)."""
    return 1 + math.ceil(max(0, n - room) / (room - stride))


def windows_containing(token: int, n: int = EXERCISE_TOKENS, room: int = EXERCISE_ROOM,
                       stride: int = EXERCISE_STRIDE) -> list[int]:
    """Indices (from 0) of the windows whose context holds context token ``token``."""
    step = room - stride
    return [k for k in range(num_windows(n, room, stride))
            if k * step <= token < min(n, k * step + room)]


def check_num_windows(my_answer) -> bool:
    """How many windows for EXERCISE_TOKENS context tokens, room EXERCISE_ROOM, stride
    EXERCISE_STRIDE."""
    if placeholder(my_answer, "an int: the number of windows", ellipsis=True):
        return False
    n, room, stride = EXERCISE_TOKENS, EXERCISE_ROOM, EXERCISE_STRIDE
    truth = num_windows(n, room, stride)
    if isinstance(my_answer, bool) or not isinstance(my_answer, int):
        print(f"Expected an int; got {type(my_answer).__name__}.")
        return False
    if my_answer == truth:
        print(f"Right: {truth}. The first window takes {room} tokens; each next one starts "
              f"{room - stride} tokens later (it repeats {stride}), until token {n - 1} is in.")
        return True
    if my_answer == math.ceil(n / room):
        print(f"Not {my_answer}: that ignores the overlap; each window advances only "
              f"room - stride = {room - stride} tokens.")
    elif my_answer == math.ceil(n / (room - stride)):
        print(f"Not {my_answer}: the first window already covers {room} tokens; only the "
              f"remaining {n - room} need new windows, {room - stride} new tokens each.")
    else:
        print(f"Not {my_answer}: count 1 for the first window, then how many steps of "
              f"{room - stride} tokens cover the remaining {n - room}.")
    return False


def check_windows_of_token(my_answer) -> bool:
    """Which windows (numbered from 0) contain context token EXERCISE_TOKEN?"""
    if placeholder(my_answer, "a list of window indices, counting from 0", ellipsis=True):
        return False
    truth = windows_containing(EXERCISE_TOKEN)
    try:
        got = sorted(int(v) for v in my_answer)
    except (TypeError, ValueError):
        print(f"Expected a list of ints like [0, 1]; got {my_answer!r}.")
        return False
    if got == truth:
        step = EXERCISE_ROOM - EXERCISE_STRIDE
        ranges = ", ".join(f"window {k}: {k * step}..{min(EXERCISE_TOKENS, k * step + EXERCISE_ROOM) - 1}"
                           for k in truth)
        print(f"Right: {truth} ({ranges}). An answer there is seen, and scored, "
              f"{'twice' if len(truth) == 2 else f'{len(truth)} times'}.")
        return True
    print(f"Not {got}: window k holds context tokens k*(room - stride) up to "
          f"k*(room - stride) + room - 1, with room = {EXERCISE_ROOM} and stride = "
          f"{EXERCISE_STRIDE}.")
    return False


def check_merge(my_fn) -> bool:
    """Your ``fn(answers) -> answers``: v4's merge rule (one entry per text ignoring case,
    the first one's start and end, scores added), best first."""
    if placeholder(my_fn, "your function fn(answers) -> merged answers", ellipsis=True):
        return False
    if not callable(my_fn):
        print(f"Expected a function; got {type(my_fn).__name__}.")
        return False
    merged = qa.merge_answers([qa.Answer(a["text"], a["start"], a["end"], a["score"])
                               for a in EXERCISE_ANSWERS])
    merged.sort(key=lambda a: a.score, reverse=True)
    truth = [(a.text, a.start, a.end, a.score) for a in merged]
    try:
        got = [(a["text"], a["start"], a["end"], float(a["score"]))
               for a in my_fn([dict(a) for a in EXERCISE_ANSWERS])]
    except Exception as exc:  # the learner's code: report, never raise
        print(f"Your function raised {type(exc).__name__}: {exc}.")
        return False
    same = len(got) == len(truth) and all(
        g[:3] == t[:3] and math.isclose(g[3], t[3], rel_tol=1e-9) for g, t in zip(got, truth))
    if same:
        print(f"Right: {len(truth)} answers, {[(t, round(s, 2)) for t, _, _, s in truth]}. "
              f"The first one scores {truth[0][3]:.2f}: above 1, as v4's merged scores can.")
        return True
    if len(got) != len(truth):
        print(f"Expected {len(truth)} answers (one per text, ignoring case); got {len(got)}.")
    elif any(g[:3] != t[:3] for g, t in zip(got, truth)):
        print("Keep the text, start and end of the *first* answer of each text, and compare "
              "texts ignoring case ('The Central Library' is 'the central library').")
    else:
        print("Add the scores of equal texts (v4 did not keep the best one, it added them), "
              "then sort best first.")
    return False
