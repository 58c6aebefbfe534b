"""Train the embedded extractive-QA model (a small BertForQuestionAnswering).

Recipe (see ``RECIPE`` and card.json):

1. WordPiece tokenizer (``train.tokenizer``) on the package's corpus.
2. ``BertForQuestionAnswering`` trained from scratch on a fresh stream of synthetic
   SQuAD 2-style items: answers labelled through offset mappings; long contexts
   split into windows of ``MAX_LEN`` tokens with ``STRIDE`` overlap; a window that
   does not hold the answer (and every window of an unanswerable question) is
   labelled with the [CLS] position 0. Curriculum: contexts of 1-3 people first.
3. Attention supervision (training only; the shipped model is a plain
   ``BertForQuestionAnswering``): head 0 of layer 0 is taught to look from every
   person's name in the context at the name in the question when it is the same
   person (else at [SEP]), and head 0 of layer 1 to look from every context token at
   the name of its sentence's person, which by then carries layer 0's verdict.
   Small BERTs trained on the QA loss alone stalled (70-78 % exact match) because
   they answered with another person's fact; these two heads spell out that
   binding, and the book can show them.

Position embeddings start from a scaled sinusoid instead of noise, which makes
"look a few tokens back" easy to learn from scratch. Masked-LM pretraining
(``pretrain_mlm``) is kept as an option (``mlm_steps``); it did not help at the
compute available here.
"""

from __future__ import annotations

import functools
import math
import random
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hfanatomy.train import data
from hfanatomy.train.common import SEED, Clock, say

THREADS = 2  # training threads: results are bitwise reproducible for a given count

ARCH = dict(
    hidden_size=128, num_hidden_layers=4, num_attention_heads=4, intermediate_size=512,
    max_position_embeddings=512, type_vocab_size=2, pad_token_id=0,
    hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,  # fresh data every step
)
MAX_LEN = 384  # the book's default max_seq_len
STRIDE = 128  # the book's default doc_stride
MAX_ANSWER_TOKENS = 15
MLM_STEPS = 0  # MLM pretraining (100-300 steps) was tried; at this compute it did not help
QA_STEPS = 2000
BATCH = 32
MLM_LR = 1e-3
QA_LR = 1e-3
WARMUP = 60
POSITION_INIT_SCALE = 0.03  # 0.1 let positions drown the word embeddings
LONG_SHARE = 0.1  # long items (14-24 people) nearly always span 2-3 windows
# attention supervision: window field -> (layer, head) whose attention is taught that target.
# Layer 0 compares names (raw embeddings: easy); layer 1 carries the verdict from each
# sentence's name to its other tokens. The reverse order (layer 0 finds the sentence's
# person, layer 1 compares it with the question's) reached 58 %: see card.json.
AUX_HEADS = {"name_match": (0, 0), "subject": (1, 0)}
AUX_WEIGHT = 2.0
# > 1 up-weights "same person" tokens in a match head's loss: at 1.0 most tokens belong to
# another person, and the head collapsed onto [SEP] (the majority target)
MATCH_POSITIVE_WEIGHT = 4.0
CURRICULUM = 0.3  # share of steps on contexts of 1-3 people
TARGET = 0.95  # held-out exact match asked of the model, overall and in these groups:
TARGET_GROUPS = ("en", "ko", "long")


# ---------------------------------------------------------------------------
# features
# ---------------------------------------------------------------------------
@dataclass
class Window:
    item: int  # index of the QAItem
    input_ids: list[int]
    token_type_ids: list[int]
    offsets: list[tuple[int, int] | None]  # None outside the context
    start: int  # 0 ([CLS]) when the answer is not in this window
    end: int
    # attention-supervision targets (training only; -100 = not supervised), see aux_targets
    subject: list[int] | None = None
    name_match: list[int] | None = None


@functools.lru_cache(maxsize=4)  # asked for every training step; the answer never changes
def person_tokens(tokenizer) -> dict[int, str]:
    """Token id -> person, for every name form the data uses as a single token."""
    out: dict[int, str] = {}
    for form, person in data.name_forms():
        pieces = tokenizer.tokenize(form)
        if len(pieces) == 1:
            out[tokenizer.convert_tokens_to_ids(pieces[0])] = person
    return out


def aux_targets(ids: list[int], seq: list[int | None], people: dict[int, str],
                stops: set[int]) -> tuple[list[int], list[int]]:
    """Targets for the supervised heads, per token of one window (-100 = not supervised).

    ``subject[i]``: for a context token, the position of the person named in its sentence
    (else the sentence's first token). ``name_match[i]``: for a context token that is a
    name, the position of the name in the question when it is the same person, else the
    first [SEP]. Together they spell out the binding the model must learn: "is this
    sentence about the person asked about?"
    """
    n = len(ids)
    subject, name_match = [-100] * n, [-100] * n
    sep = seq.index(None, 1)  # first [SEP]
    q_pos = next((i for i in range(n) if seq[i] == 0 and ids[i] in people), None)
    q_person = people[ids[q_pos]] if q_pos is not None else None
    i = 0
    while i < n:
        if seq[i] != 1:
            i += 1
            continue
        j = i
        while j < n and seq[j] == 1 and ids[j] not in stops:
            j += 1
        j = min(j + 1, n) if j < n and seq[j] == 1 else j  # include the full stop
        who = next((k for k in range(i, j) if ids[k] in people), None)
        for k in range(i, j):
            subject[k] = who if who is not None else i
            if ids[k] in people:
                same = q_person is not None and people[ids[k]] == q_person
                name_match[k] = q_pos if same else sep
        i = j
    return subject, name_match


def windows(tokenizer, items: list[data.QAItem], max_len: int = MAX_LEN,
            stride: int = STRIDE, aux: bool = False) -> list[Window]:
    """Tokenize question + context, split long contexts, label start/end via offsets."""
    enc = tokenizer(
        [it.question for it in items], [it.context for it in items],
        truncation="only_second", max_length=max_len, stride=stride,
        return_overflowing_tokens=True, return_offsets_mapping=True,
    )
    out = []
    if aux:
        people = person_tokens(tokenizer)
        stops = {tokenizer.convert_tokens_to_ids(t) for t in (".", "?", "!")}
    for w, item_idx in enumerate(enc["overflow_to_sample_mapping"]):
        it = items[item_idx]
        seq = enc.sequence_ids(w)
        offsets = [tuple(o) if s == 1 else None for o, s in zip(enc["offset_mapping"][w], seq)]
        start = end = 0
        if it.answer_start >= 0:
            a, b = it.answer_start, it.answer_start + len(it.answer)
            ctx = [i for i, o in enumerate(offsets) if o is not None]
            if offsets[ctx[0]][0] <= a and offsets[ctx[-1]][1] >= b:
                s_tok = [i for i in ctx if offsets[i][0] <= a < offsets[i][1]]
                e_tok = [i for i in ctx if offsets[i][0] < b <= offsets[i][1]]
                if s_tok and e_tok:
                    start, end = s_tok[0], e_tok[0]
        win = Window(item_idx, enc["input_ids"][w], enc["token_type_ids"][w], offsets, start, end)
        if aux:
            win.subject, win.name_match = aux_targets(win.input_ids, seq, people, stops)
        out.append(win)
    return out


def window_counts(tokenizer, items: list[data.QAItem]) -> list[int]:
    """How many windows of the default size and stride each item's context needs."""
    counts = [0] * len(items)
    for w in windows(tokenizer, items):
        counts[w.item] += 1
    return counts


def length_buckets(batch: list[Window], edges: tuple[int, ...] = (96, 192)) -> list[list[Window]]:
    """Split windows by length so each bucket is padded only to its own longest window."""
    buckets: list[list[Window]] = [[] for _ in range(len(edges) + 1)]
    for w in batch:
        buckets[sum(len(w.input_ids) > e for e in edges)].append(w)
    return [b for b in buckets if b]


def collate(batch: list[Window], pad_id: int):
    import torch

    length = max(len(w.input_ids) for w in batch)
    ids = torch.full((len(batch), length), pad_id, dtype=torch.long)  # (B, L)
    types = torch.zeros((len(batch), length), dtype=torch.long)  # (B, L)
    for i, w in enumerate(batch):
        ids[i, : len(w.input_ids)] = torch.tensor(w.input_ids)
        types[i, : len(w.token_type_ids)] = torch.tensor(w.token_type_ids)
    return ids, types, ids.ne(pad_id).long()


# ---------------------------------------------------------------------------
# decoding and scoring (SQuAD 2 style, for evaluation)
# ---------------------------------------------------------------------------
def normalize(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation/articles, single spaces."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def predict(model, tokenizer, items: list[data.QAItem], max_len: int = MAX_LEN,
            stride: int = STRIDE, batch: int = 64) -> list[str]:
    """Best answer per item ("" = no answer) over all windows: best span vs min null score."""
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


def evaluate(model, tokenizer, items: list[data.QAItem], **kw) -> dict[str, Any]:
    """Exact match (SQuAD normalisation) overall and per group; long = more than one window."""
    preds = predict(model, tokenizer, items, **kw)
    n_windows = window_counts(tokenizer, items)
    rows = []
    for k, (it, p) in enumerate(zip(items, preds)):
        ok = normalize(p) == normalize(it.answer)
        groups = [it.lang, it.group, "long" if n_windows[k] > 1 else "one-window"]
        rows.append((ok, groups, it, p))
    out: dict[str, Any] = {
        "n": len(items), "exact_match": sum(r[0] for r in rows) / len(rows), "groups": {},
    }
    names = ["en", "ko", "answerable", "unanswerable", "one-window", "long"]
    for g in names:
        sel = [r[0] for r in rows if g in r[1]]
        if sel:
            out["groups"][g] = {"n": len(sel), "exact_match": sum(sel) / len(sel)}
    out["errors"] = [
        {"question": it.question, "gold": it.answer, "predicted": p}
        for ok, _, it, p in rows if not ok
    ][:20]
    return out


# ---------------------------------------------------------------------------
# models
# ---------------------------------------------------------------------------
def config(tokenizer):
    from transformers import BertConfig

    return BertConfig(vocab_size=len(tokenizer), **ARCH)


def sinusoid(rows: int, dim: int):
    import torch

    pos = torch.arange(rows, dtype=torch.float32)[:, None]  # (P, 1)
    freq = torch.exp(-math.log(10000.0) * torch.arange(0, dim, 2).float() / dim)  # (D/2,)
    table = torch.zeros(rows, dim)
    table[:, 0::2] = torch.sin(pos * freq)
    table[:, 1::2] = torch.cos(pos * freq)
    return table  # (P, D)


def lr_lambda(warmup: int, total: int):
    def f(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))
    return f


class Stream:
    """Endless fresh training items (curriculum: few people first, then all sizes)."""

    def __init__(self, seed: int, total_steps: int, long_share: float = LONG_SHARE):
        self.rng = random.Random(seed)
        self.total = total_steps
        self.long_share = long_share

    def items(self, step: int, n: int) -> list[data.QAItem]:
        frac = step / max(1, self.total)
        out = []
        while len(out) < n:
            if frac < CURRICULUM:
                people, long = self.rng.choice([1, 2, 2, 3]), False
            else:
                long = self.rng.random() < self.long_share
                people = None if long else self.rng.choice([2, 2, 3, 3, 4, 5])
            it = data.qa_item(self.rng, people=people, long=long)
            if not data.is_held_out(it.context + it.question):
                out.append(it)
        return out


def pretrain_mlm(tokenizer, steps: int, seed: int, log_every: int = 100):
    """Masked-LM pretraining on the package's QA texts; returns the BertForMaskedLM."""
    import torch
    from transformers import BertForMaskedLM

    clock = Clock()
    torch.manual_seed(seed)
    model = BertForMaskedLM._from_config(config(tokenizer), attn_implementation="eager")
    with torch.no_grad():
        table = sinusoid(ARCH["max_position_embeddings"], ARCH["hidden_size"])
        model.bert.embeddings.position_embeddings.weight.copy_(table * POSITION_INIT_SCALE)
    opt = torch.optim.AdamW(model.parameters(), lr=MLM_LR, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(min(WARMUP, steps // 10 + 1), steps))
    stream = Stream(seed + 7, steps)
    gen = torch.Generator().manual_seed(seed)
    special = torch.tensor(sorted(set(tokenizer.all_special_ids)))
    stream.long_share = 0.0  # short contexts only: cheap, and local structure is the point
    model.train()
    running, right, seen = 0.0, 0, 0
    for step in range(steps):
        items = stream.items(int(steps * 0.5), BATCH)
        wins = windows(tokenizer, items)
        rows = torch.randperm(len(wins), generator=gen)[:BATCH].tolist()
        ids, types, mask = collate([wins[r] for r in rows], tokenizer.pad_token_id)
        labels = ids.clone()
        can = mask.bool() & ~torch.isin(ids, special)  # (B, L)
        pick = (torch.rand(ids.shape, generator=gen) < 0.15) & can  # (B, L)
        roll = torch.rand(ids.shape, generator=gen)
        inputs = ids.clone()
        inputs[pick & (roll < 0.8)] = tokenizer.mask_token_id
        rand_tok = torch.randint(len(special), len(tokenizer), ids.shape, generator=gen)
        swap = pick & (roll >= 0.8) & (roll < 0.9)
        inputs[swap] = rand_tok[swap]
        hidden = model.bert(input_ids=inputs, token_type_ids=types,
                            attention_mask=mask).last_hidden_state  # (B, L, H)
        logits = model.cls(hidden[pick])  # (M, V): only masked positions
        loss = torch.nn.functional.cross_entropy(logits, labels[pick])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        running += loss.item()
        right += (logits.argmax(-1) == labels[pick]).sum().item()
        seen += int(pick.sum())
        if (step + 1) % log_every == 0 or step + 1 == steps:
            n = (step % log_every) + 1
            say(f"qa/mlm: step {step + 1}/{steps} loss {running / n:.3f} masked-acc "
                f"{right / max(1, seen):.3f} {clock():.0f} s")
            running, right, seen = 0.0, 0, 0
    return model


def finetune(tokenizer, mlm_model, steps: int, seed: int, test_items: list[data.QAItem],
             log_every: int = 100, eval_every: int = 0, checkpoint_dir: Path | None = None,
             stop_after: int | None = None):
    import torch
    from transformers import BertForQuestionAnswering

    clock = Clock()
    torch.manual_seed(seed)
    model = BertForQuestionAnswering._from_config(config(tokenizer), attn_implementation="eager")
    if mlm_model is not None:
        missing = model.bert.load_state_dict(mlm_model.bert.state_dict(), strict=False)
        assert not missing.missing_keys, missing
    else:
        with torch.no_grad():
            table = sinusoid(ARCH["max_position_embeddings"], ARCH["hidden_size"])
            model.bert.embeddings.position_embeddings.weight.copy_(table * POSITION_INIT_SCALE)
    opt = torch.optim.AdamW(model.parameters(), lr=QA_LR, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(min(WARMUP, steps // 10 + 1), steps))
    stream = Stream(seed + 11, steps)
    gen = torch.Generator().manual_seed(seed + 1)
    model.train()
    running, right, seen, aux_running = 0.0, 0, 0, 0.0
    for step in range(steps):
        items = stream.items(step, BATCH)
        wins = windows(tokenizer, items, aux=AUX_WEIGHT > 0)
        rows = torch.randperm(len(wins), generator=gen)[:BATCH].tolist()
        chosen = [wins[r] for r in rows]
        # pad per length bucket: one long window must not pad the whole batch to MAX_LEN
        for bucket in length_buckets(chosen):
            ids, types, mask = collate(bucket, tokenizer.pad_token_id)
            starts = torch.tensor([w.start for w in bucket])
            ends = torch.tensor([w.end for w in bucket])
            out = model(input_ids=ids, token_type_ids=types, attention_mask=mask,
                        start_positions=starts, end_positions=ends,
                        output_attentions=AUX_WEIGHT > 0)
            loss = out.loss
            if AUX_WEIGHT > 0:
                aux_loss = 0.0
                for field_name, (layer, head) in AUX_HEADS.items():
                    target = torch.full(ids.shape, -100, dtype=torch.long)  # (b, L)
                    for b, w in enumerate(bucket):
                        vals = getattr(w, field_name)
                        target[b, : len(vals)] = torch.tensor(vals)
                    attn = out.attentions[layer][:, head]  # (b, L, L) rows sum to 1
                    logp = torch.log(attn.clamp_min(1e-6)).flatten(0, 1)  # (b*L, L)
                    flat = target.flatten()  # (b*L,)
                    terms = torch.nn.functional.nll_loss(
                        logp, flat, ignore_index=-100, reduction="none")  # (b*L,)
                    weight = (flat != -100).float()
                    if field_name == "name_match" and MATCH_POSITIVE_WEIGHT != 1.0:
                        sep = ids.eq(tokenizer.sep_token_id).float().argmax(-1)  # (b,) 1st SEP
                        positive = (target != sep[:, None]) & (target != -100)  # (b, L)
                        weight = weight + (MATCH_POSITIVE_WEIGHT - 1) * positive.flatten()
                    aux_loss = aux_loss + (terms * weight).sum() / weight.sum().clamp_min(1)
                loss = loss + AUX_WEIGHT * aux_loss
                aux_running += aux_loss.item() * len(bucket) / len(chosen)
            (loss * len(bucket) / len(chosen)).backward()
            running += out.loss.item() * len(bucket) / len(chosen)
            ok = (out.start_logits.argmax(-1) == starts) & (out.end_logits.argmax(-1) == ends)
            right += int(ok.sum())
        seen += len(chosen)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if (step + 1) % log_every == 0 or step + 1 == steps:
            n = (step % log_every) + 1
            say(f"qa/finetune: step {step + 1}/{steps} loss {running / n:.3f} "
                f"aux {aux_running / n:.3f} window-exact {right / max(1, seen):.3f} "
                f"lr {sched.get_last_lr()[0]:.2e} {clock():.0f} s")
            running, right, seen, aux_running = 0.0, 0, 0, 0.0
        if eval_every and (step + 1) % eval_every == 0 and step + 1 < steps:
            rep = evaluate(model, tokenizer, test_items[:300])
            say(f"qa/finetune: held-out EM (300) {rep['exact_match']:.3f} "
                + " ".join(f"{k} {v['exact_match']:.3f}" for k, v in rep["groups"].items()))
            if checkpoint_dir is not None:
                from hfanatomy.train.common import save_model_fp16

                save_model_fp16(model, Path(checkpoint_dir) / f"step{step + 1}")
            model.train()
        if stop_after is not None and step + 1 >= stop_after:
            say(f"qa/finetune: stopped after {step + 1} of {steps} scheduled steps")
            break
    return model


RECIPE = (
    "WordPiece tokenizer on the package corpus; small BERT (see architecture) trained from "
    "scratch, position embeddings initialised as a sinusoid x {scale}, no dropout; "
    "{mlm} steps of masked-LM pretraining; QA training for {qa} steps (batch {batch} "
    "windows, AdamW lr {qa_lr}, {warmup} warmup steps then linear decay) on a fresh stream "
    "of synthetic items: first {curriculum:.0%} of steps contexts of 1-3 people "
    "(curriculum), then 2-5 people with {long:.0%} long contexts (14-24 people, 2-3 "
    "windows of {max_len} tokens, stride {stride}); 15 % unanswerable questions (gold = "
    "[CLS]); plus attention supervision (weight {aux}): layer 0 head 0, from each person's "
    "name in the context -> the question's name if it is the same person, else [SEP] "
    "(\"same person\" rows weighted x{positive}); layer 1 head 0, from each context token "
    "-> the name of its sentence's person (else the sentence's first token). "
    "{threads} training threads."
)


def run(steps: int = QA_STEPS, seed: int = SEED, out: Path | None = None,
        mlm_steps: int | None = None, small: bool = False, test_items: int = 400,
        eval_every: int = 0, checkpoint_dir: Path | None = None,
        stop_after: int | None = None) -> dict[str, Any]:
    from transformers import AutoTokenizer

    from hfanatomy.models import quiet
    from hfanatomy.train import tokenizer as tok_train
    from hfanatomy.train.common import DEFAULT_DIRS, save_model_fp16, setup

    setup(seed, THREADS)
    out = Path(out) if out else DEFAULT_DIRS["qa"]
    if not (out / "tokenizer.json").is_file():
        tok_train.run("wordpiece", seed, out.parent if out != DEFAULT_DIRS["qa"] else None,
                      small=small)
    with quiet():
        tokenizer = AutoTokenizer.from_pretrained(out)
    if mlm_steps is None:
        mlm_steps = MLM_STEPS
    if small:
        test_items = min(test_items, 40)
    clock = Clock()
    test_set = data.qa_data(test_items, seed + 1, "test", long_share=0.25)
    mlm = None
    if mlm_steps > 0:
        mlm = pretrain_mlm(tokenizer, mlm_steps, seed, log_every=max(1, min(50, mlm_steps // 2)))
    mlm_seconds = clock()
    model = finetune(tokenizer, mlm, steps, seed, test_set, eval_every=eval_every,
                     log_every=max(1, min(50, steps // 2)), checkpoint_dir=checkpoint_dir,
                     stop_after=stop_after)
    train_seconds = clock()
    save_model_fp16(model, out)
    timings = {"mlm_seconds": round(mlm_seconds, 1),
               "finetune_seconds": round(train_seconds - mlm_seconds, 1)}
    return finish(model, tokenizer, out, test_set, seed, mlm_steps, steps, stop_after, timings)


def finish(model, tokenizer, out: Path, test_set: list[data.QAItem], seed: int, mlm_steps: int,
           steps: int, stop_after: int | None, timings: dict[str, float]) -> dict[str, Any]:
    """Evaluate on the held-out set and write card.json beside the saved model."""
    from hfanatomy.train.common import write_card

    report = evaluate(model, tokenizer, test_set)
    say(f"qa: held-out exact match {report['exact_match']:.4f} "
        + " ".join(f"{k} {v['exact_match']:.3f}" for k, v in report["groups"].items()))
    errors = report.pop("errors")
    card = {
        "model": "BertForQuestionAnswering",
        "task": "extractive QA with unanswerable questions (SQuAD 2 style), English and Korean",
        "architecture": ARCH,
        "vocab_size": len(tokenizer),
        "tokenizer": "WordPiece (lower-cased, accents kept so Hangul stays whole) trained with "
                     "`tokenizers` on the package's sentiment and QA texts, the Python "
                     "standard library's docstrings, and the people's names in every written "
                     "form (repeated, so each form is one token)",
        "recipe": RECIPE.format(scale=POSITION_INIT_SCALE, mlm=mlm_steps, batch=BATCH,
                                qa=steps, qa_lr=QA_LR, long=LONG_SHARE, warmup=WARMUP,
                                curriculum=CURRICULUM, max_len=MAX_LEN, stride=STRIDE,
                                aux=AUX_WEIGHT, positive=MATCH_POSITIVE_WEIGHT,
                                threads=THREADS),
        "attention_supervision": {k: {"layer": v[0], "head": v[1]} for k, v in AUX_HEADS.items()},
        "what_did_not_work": [
            "dropout 0.1 (classifier and QA): stalled",
            "position embeddings initialised as sinusoid x 0.1: positions drowned the words",
            "MLM pretraining 100-300 steps then QA, lr 5e-4, batch 16: 4 % exact match after "
            "250 steps on a heavily loaded machine; too slow for the budget",
            "QA loss alone (hidden 64-96, 3-4 layers, lr 1e-3): < 1 % window exactness "
            "after 150 steps of the full mix",
            "attention supervision weight 1, no weighting of 'same person' tokens, curriculum "
            "15 %, 2500-step schedule cut at 1500 steps (lr still high): 31.8 % held-out exact "
            "match; layer 1 head 0 collapsed onto [SEP]",
            "same, 'same person' tokens weighted x4, 1300-step schedule: 32.7 % (300 held-out "
            "items) at step 975, against 39.3 % with weight 2 and curriculum 30 % at the same "
            "step; stopped there",
            "the reverse order of the two supervised heads (layer 0: each token -> its "
            "sentence's person; layer 1: each token -> the question's person if the same), "
            "hidden 64, 1300 steps, lr 1.5e-3: 58.0 % held-out exact match (shipped before; "
            "the layer-1 comparison had to work on a copied name and stayed noisy)",
            "this recipe at hidden 64 (head size 16), lr 1.5e-3, 2500 steps, long contexts "
            "of 8-14 people (one window in 5 of 6 cases): 89.0 % held-out, 70.7 % on 99 "
            "contexts longer than one window; at hidden 128, 94.7 % (300 held-out) at step "
            "1500 of 2500 (stopped there to train on more multi-window contexts)",
            "this recipe with a tokenizer that split Korean genitive names (민준의 -> 민 "
            "##준의), so questions in that form had no name to match: 97.8 % held-out but "
            "Korean 92.4 % (8 of the 9 sampled errors were such questions)",
        ],
        "data": {
            "generator": "hfanatomy.train.data.qa_item / qa_data",
            "facts": "city (lives in), company (works at), job (works as), born (year), owns",
            "split": "an item is held out when sha256(context + question)[0] < 10 % of 256",
        },
        "training": {
            "seed": seed, "mlm_steps": mlm_steps, "qa_steps_scheduled": steps,
            "qa_steps_run": stop_after or steps, "batch": BATCH,
            **timings,
            "threads": THREADS,
            "note": "bitwise reproducible only with the same tokenizer, thread count and "
                    "library versions; the WordPiece trainer itself is not bitwise "
                    "reproducible (see hfanatomy.train.tokenizer.train_wordpiece)",
        },
        "evaluation": {
            "max_seq_len": MAX_LEN, "doc_stride": STRIDE, "max_answer_tokens": MAX_ANSWER_TOKENS,
            "rule": "per window best valid span (start <= end, inside the context) by "
                    "start+end logit; answer = best span over windows unless the smallest "
                    "[CLS] null score is higher; exact match after SQuAD normalisation",
        },
        "held_out": {k: report[k] for k in ("n", "exact_match", "groups")},
        "target": {"exact_match": TARGET, "overall_and_groups": list(TARGET_GROUPS),
                   "met": all(g["exact_match"] >= TARGET for g in
                              [report, *(report["groups"][k] for k in TARGET_GROUPS)])},
        "held_out_errors_sample": errors[:10],
        "storage": "weights stored as float16; hfanatomy.load_qa() loads float32",
    }
    write_card(out, card)
    say(f"qa: saved to {out}")
    return card
