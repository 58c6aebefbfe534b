"""The exercise checkers of Part II chapters 4 and 5: right answers pass, wrong ones are
explained (never raised), placeholders ask to be replaced."""

from __future__ import annotations

import math

from hfanatomy.exercises import part2_ch04 as ch4
from hfanatomy.exercises import part2_ch05 as ch5


def reference_best_span(start, end, mask, max_answer_len):
    """A learner's decoder written without hfanatomy.qa (what exercise 3 asks for)."""
    allowed = mask.clone()
    allowed[0] = True
    ps = start.masked_fill(~allowed, -10000.0).softmax(-1)
    pe = end.masked_fill(~allowed, -10000.0).softmax(-1)
    best, pair = -1.0, None
    n = len(start)
    for i in range(n):
        for j in range(i, min(n, i + max_answer_len)):
            if mask[i] and mask[j] and ps[i] * pe[j] > best:
                best, pair = float(ps[i] * pe[j]), (i, j)
    return pair


def test_ch04_checkers(capsys):
    assert ch4.check_best_span(None) is False
    assert "Replace None" in capsys.readouterr().out
    assert ch4.check_best_span((5, 6)) is True
    assert ch4.check_best_span((4, 4)) is False  # allowed but lower
    assert "lower" in capsys.readouterr().out
    assert ch4.check_best_span((7, 2)) is False
    assert ch4.check_best_span("x") is False
    assert ch4.check_valid_cells(42) is True
    assert ch4.check_valid_cells(48) is False
    assert ch4.check_valid_cells(None) is False
    assert ch4.check_best_span_function(reference_best_span, trials=60) is True
    # the two-argmax decoder is wrong and is told so
    assert ch4.check_best_span_function(lambda s, e, m, k: (int(s.argmax()), int(e.argmax())),
                                        trials=60) is False
    assert ch4.check_best_span_function(lambda *a: 1 / 0, trials=5) is False
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_ch05_checkers(capsys):
    n, room, stride = ch5.EXERCISE_TOKENS, ch5.EXERCISE_ROOM, ch5.EXERCISE_STRIDE
    truth = 1 + math.ceil(max(0, n - room) / (room - stride))
    assert ch5.check_num_windows(truth) is True
    assert ch5.check_num_windows(truth + 1) is False
    assert ch5.check_num_windows(None) is False
    assert "Replace None" in capsys.readouterr().out
    assert ch5.check_windows_of_token(ch5.windows_containing(ch5.EXERCISE_TOKEN)) is True
    assert ch5.check_windows_of_token([0]) is False

    def merge(answers):  # v4's get_answer, written out
        out = []
        for a in answers:
            same = [b for b in out if b["text"].lower() == a["text"].lower()]
            if same:
                same[0]["score"] += a["score"]
            else:
                out.append(dict(a))
        return sorted(out, key=lambda a: a["score"], reverse=True)

    def keep_best(answers):  # the wrong rule: one per (start, end), its best score
        best = {}
        for a in answers:
            key = (a["start"], a["end"])
            if key not in best or a["score"] > best[key]["score"]:
                best[key] = a
        return sorted(best.values(), key=lambda a: a["score"], reverse=True)

    assert ch5.check_merge(merge) is True
    assert merge(ch5.EXERCISE_ANSWERS)[0]["score"] > 1
    assert ch5.check_merge(keep_best) is False
    assert ch5.check_merge(lambda answers: answers) is False
    assert ch5.check_merge(None) is False


def test_exercise_truths_match_the_tokenizer():
    """Exercise 1 of chapter 5 is about real windows: the formula matches the tokenizer."""
    from qa_corpus import build_tokenizer

    from hfanatomy import qa

    tok = build_tokenizer()
    q = "Who lives in London?"
    context = " ".join(["Ada lives in London and works at the museum."] * 12)
    for seq, stride in [(32, 4), (40, 10), (64, 20), (48, 0)]:
        w = qa.encode_windows(q, context, tok, seq, stride)
        room = qa.context_room(q, tok, seq)
        n = len(tok(context, add_special_tokens=False)["input_ids"])
        assert w.num_windows == ch5.num_windows(n, room, stride)
