"""Evaluation of the embedded models, kept apart from data generation and training.

QA: exact match (SQuAD normalisation) overall and per group, with either decoder: the
training script's best-span rule (``predict_best_span``: over all windows the best valid
span by start + end logit, the answer unless the smallest [CLS] null score is higher) or the book's decoder
(``hfanatomy.qa.answer(..., handle_impossible_answer=True)``, the v4 pipeline's rule).
Besides the held-out set: the names a learner types first (``common_names``) and the
questions a learner types first (``typed_questions``), which the held-out set misses.
Sentiment and QA ``examples`` pick held-out items for the book and the tests.

Imports ``data``, ``typed`` and ``features`` (and the classifier's ``predictions`` for
sentiment examples); nothing in ``data`` imports this module.
"""

from __future__ import annotations

import math
import random
from typing import Any

from hfanatomy.metrics import normalize_answer as normalize  # SQuAD's rule, one module
from hfanatomy.train import data, typed
from hfanatomy.train.features import MAX_LEN, STRIDE, collate, window_counts, windows

MAX_ANSWER_TOKENS = 15
QA_GROUPS = ("en", "ko", "multi-token", "long", "unanswerable", "answerable", "one-window")
DECODERS = ("script", "book")


def predict_best_span(model, tokenizer, items: list[data.QAItem], max_len: int = MAX_LEN,
                      stride: int = STRIDE, batch: int = 64) -> list[str]:
    """Best answer per item ("" = no answer) by the best-span rule: over every window, the
    valid span (context tokens, start <= end, at most MAX_ANSWER_TOKENS) with the largest
    start + end logit, unless the smallest [CLS] null score is higher. Every span is
    scored, not only the 20 best starts and ends that the course's
    ``postprocess_qa_predictions`` (``hfanatomy.qa_course``) keeps; the cards and floors
    call this rule "script" (the training script's)."""
    import torch

    model.eval()
    wins = windows(tokenizer, items, max_len, stride)
    best: dict[int, tuple[float, str]] = {}
    null: dict[int, float] = {}
    with torch.no_grad():
        for i in range(0, len(wins), batch):
            chunk = wins[i : i + batch]
            ids, types, mask = collate(chunk, tokenizer.pad_token_id)
            out = model(input_ids=ids, token_type_ids=types, attention_mask=mask)
            for w, s_log, e_log in zip(chunk, out.start_logits, out.end_logits):  # (L,), (L,)
                n = len(w.input_ids)
                s_log, e_log = s_log[:n], e_log[:n]
                null[w.item] = min(null.get(w.item, math.inf), float(s_log[0] + e_log[0]))
                ctx = torch.tensor([o is not None for o in w.offsets])  # (n,)
                scores = s_log[:, None] + e_log[None, :]  # (n, n)
                valid = ctx[:, None] & ctx[None, :]
                valid &= torch.ones(n, n, dtype=torch.bool).triu()
                valid &= ~torch.ones(n, n, dtype=torch.bool).triu(MAX_ANSWER_TOKENS)
                scores = scores.masked_fill(~valid, -math.inf)
                flat = int(scores.argmax())
                s, e = divmod(flat, n)
                score = float(scores[s, e])
                if score > best.get(w.item, (-math.inf, ""))[0]:
                    text = items[w.item].context[w.offsets[s][0] : w.offsets[e][1]]
                    best[w.item] = (score, text)
    answers = []
    for k in range(len(items)):
        score, text = best.get(k, (-math.inf, ""))
        answers.append(text if score > null.get(k, -math.inf) else "")
    return answers


def predict_book(model, tokenizer, items: list[data.QAItem], batch: int = 32) -> list[str]:
    """Answers from the book's decoder, ``hfanatomy.qa.answer`` ("" = no answer)."""
    from hfanatomy.qa import answer

    out = []
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        res = answer([it.question for it in chunk], [it.context for it in chunk], model,
                     tokenizer, handle_impossible_answer=True)
        out += [r[0].text if r else "" for r in res]
    return out


def answers(model, tokenizer, items: list[data.QAItem], decoder: str = "script",
            **kw) -> list[str]:
    """Each item's answer ("" = no answer) from ``decoder``: "script" (``predict_best_span``,
    which takes ``kw``) or "book" (``predict_book``)."""
    if decoder not in DECODERS:
        raise ValueError(f"decoder must be one of {DECODERS}, got {decoder!r}")
    if decoder == "script":
        return predict_best_span(model, tokenizer, items, **kw)
    return predict_book(model, tokenizer, items)


def name_tokens(tokenizer, item: data.QAItem) -> int:
    """How many tokens the question's name takes (Korean particles not counted)."""
    return len(tokenizer.tokenize(item.extra["name"]))


def item_groups(tokenizer, items: list[data.QAItem]) -> list[list[str]]:
    """The groups each item is scored in (language, name length, windows, answerable)."""
    n_windows = window_counts(tokenizer, items)
    return [[it.lang, it.group, "long" if n_windows[k] > 1 else "one-window"]
            + (["multi-token"] if name_tokens(tokenizer, it) > 1 else [])
            for k, it in enumerate(items)]


def evaluate(model, tokenizer, items: list[data.QAItem], decoder: str = "script",
             **kw) -> dict[str, Any]:
    """Exact match (SQuAD normalisation) overall and per group; long = more than one window."""
    preds = answers(model, tokenizer, items, decoder, **kw)
    rows = [(normalize(p) == normalize(it.answer), g, it, p)
            for it, p, g in zip(items, preds, item_groups(tokenizer, items))]
    out: dict[str, Any] = {
        "n": len(items), "exact_match": sum(r[0] for r in rows) / len(rows), "groups": {},
    }
    for g in QA_GROUPS:
        sel = [r[0] for r in rows if g in r[1]]
        if sel:
            out["groups"][g] = {"n": len(sel), "exact_match": sum(sel) / len(sel)}
    out["errors"] = [
        {"question": it.question, "gold": it.answer, "predicted": p}
        for ok, _, it, p in rows if not ok
    ][:20]
    return out


def common_names(model, tokenizer, n_names: int = 40, decoder: str = "script") -> dict[str, Any]:
    """How many of ``data.common_name_pairs(n_names)`` the model gets wrong (and how many of
    those it answers with nothing), with either decoder."""
    items = data.common_name_pairs(n_names)
    preds = answers(model, tokenizer, items, decoder)
    wrong = [{"question": it.question, "context": it.context, "gold": it.answer, "predicted": p}
             for it, p in zip(items, preds) if normalize(p) != normalize(it.answer)]
    return {"names": n_names, "n": len(items), "wrong": len(wrong),
            "no_answer": sum(w["predicted"] == "" for w in wrong), "errors": wrong[:5]}


def typed_questions(model, tokenizer) -> dict[str, Any]:
    """How many of ``typed``'s questions (seven per language) the model answers right with
    each decoder (SQuAD normalisation), and the first misses."""
    out: dict[str, Any] = {}
    for lang in typed.CASES:
        items = typed.items(lang)
        row: dict[str, Any] = {"n": len(items)}
        for decoder in DECODERS:
            preds = answers(model, tokenizer, items, decoder)
            misses = [{"question": it.question, "gold": it.answer, "predicted": p}
                      for it, p in zip(items, preds) if normalize(p) != normalize(it.answer)]
            row[decoder] = {"right": len(items) - len(misses), "misses": misses[:3]}
        out[lang] = row
    return out


def learner_summary(model, tokenizer, n_names: int = 20) -> str:
    """One line on what the held-out set misses: common-name pairs wrong (script rule) and
    typed questions right (book decoder / script rule)."""
    pairs = common_names(model, tokenizer, n_names, "script")
    typed_rows = typed_questions(model, tokenizer)
    return (f"common-name pairs wrong {pairs['wrong']} of {pairs['n']}; typed questions right "
            + " ".join(f"{lang} {r['book']['right']}/{r['script']['right']} of {r['n']}"
                       for lang, r in typed_rows.items()) + " (book/script)")


def summary(report: dict[str, Any]) -> str:
    """One line: overall and per-group exact match."""
    return f"EM {report['exact_match']:.3f} " + " ".join(
        f"{k} {v['exact_match']:.3f}" for k, v in report["groups"].items())


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
        return _sentiment_examples(n, seed, model, groups or data.GROUPS)
    return _qa_examples(n, seed, model, lang, long, answerable)


def _sentiment_examples(n, seed, model, groups):
    pool = data.sentiment_data(max(200, 20 * n), seed, "test")
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
            it = data.qa_item(rng, lang=lang, long=bool(long), unanswerable=0.5, split="test")
            if answerable is not None and bool(it.answer) != answerable:
                continue
            batch.append(it)
        if long is not None:
            if model is not None:
                count = window_counts(model[1], batch)
                batch = [it for k, it in enumerate(batch) if (count[k] > 1) == long]
            else:
                batch = [it for it in batch if (len(it.context) > 1500) == long]
        if model is not None:
            preds = predict_best_span(model[0], model[1], batch)
            batch = [it for it, p in zip(batch, preds) if normalize(p) == normalize(it.answer)]
        out += batch[: n - len(out)]
    return out
