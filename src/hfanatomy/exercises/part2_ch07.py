"""Exercises of Part II, chapter 7 (training and evaluating a QA head): checkers that
explain, never raise."""

from __future__ import annotations

from hfanatomy import metrics
from hfanatomy.exercises.feedback import as_float, is_dict_of, placeholder, report

#: the prediction and gold answers of the F1 exercise
F1_CASE = ("the Cedar Books company", ["Cedar Books", "Cedar Books Ltd."])

#: question id -> (prediction, gold answers) of the HasAns / NoAns exercise
SPLIT_CASES = {
    "q1": ("Daegu", ["Daegu"]),
    "q2": ("in Daegu", ["Daegu", "in Daegu"]),
    "q3": ("", ["Busan"]),
    "q4": ("", []),
    "q5": ("a nurse", []),
}


def check_exact_and_f1(my_exact, my_f1) -> bool:
    """Exact match (0 or 1) and F1 (0..1) of :data:`F1_CASE`, by SQuAD's rules."""
    if placeholder(my_exact, "0 or 1: the exact match", marked=True):
        return False
    if placeholder(my_f1, "a float between 0 and 1: the F1", marked=True):
        return False
    pred, golds = F1_CASE
    want_em, want_f1 = metrics.exact_match(pred, golds), metrics.f1(pred, golds)
    got_em, got_f1 = as_float(my_exact), as_float(my_f1)
    if got_em != want_em:
        return report(False, "Exact match first: normalise both sides (lower case, no "
                             "punctuation, no a/an/the), then compare whole strings.")
    if got_f1 is not None and abs(got_f1 - want_f1) < 1e-3:
        return report(True, f"EM {want_em}, F1 {want_f1:.3f}: against 'Cedar Books' the "
                            "prediction's words 'cedar books company' give precision 2/3 and "
                            "recall 1; the other gold answer scores lower; the best counts.")
    alt = metrics.f1(pred, golds[1:])
    if got_f1 is not None and abs(got_f1 - alt) < 1e-3:
        return report(False, "That is the F1 against the second gold answer. SQuAD takes the "
                             "best over all gold answers.")
    return report(False, f"F1 is not {my_f1!r}. Hint: after normalising, count the shared "
                         "words; precision = shared / predicted words, recall = shared / gold "
                         "words, F1 = 2PR / (P + R).")


def check_split(my_scores) -> bool:
    """``{"HasAns_exact": ..., "NoAns_exact": ...}`` (percentages) of :data:`SPLIT_CASES`."""
    if placeholder(my_scores, 'a dict like {"HasAns_exact": ..., "NoAns_exact": ...}',
                   marked=True):
        return False
    if not is_dict_of(my_scores, ("HasAns_exact", "NoAns_exact")):
        return False
    want = metrics.squad_v2({q: p for q, (p, _) in SPLIT_CASES.items()},
                            {q: g for q, (_, g) in SPLIT_CASES.items()})
    wrong = [k for k in my_scores
             if as_float(my_scores[k]) is None or abs(as_float(my_scores[k]) - want[k]) > 0.01]
    if not wrong:
        return report(True, f"HasAns {want['HasAns_exact']:.1f} % of "
                            f"{want['HasAns_total']}, NoAns {want['NoAns_exact']:.1f} % of "
                            f"{want['NoAns_total']}: an empty answer is right only when there "
                            "is no gold answer.")
    return report(False, f"Check {', '.join(wrong)}. Hint: HasAns counts the questions with "
                         "gold answers (q1-q3), NoAns the others; percentages, not fractions.")
