"""Train the embedded extractive-QA model (a small BertForQuestionAnswering).

Recipe (see ``RECIPE`` and card.json):

1. WordPiece tokenizer (``train.tokenizer``) on the package's corpus.
2. ``BertForQuestionAnswering`` trained from scratch on a fresh stream of synthetic
   SQuAD 2-style items: answers labelled through offset mappings; long contexts
   split into windows of ``MAX_LEN`` tokens with ``STRIDE`` overlap; a window that
   does not hold the answer (and every window of an unanswerable question) is
   labelled with the [CLS] position 0. Curriculum: contexts of 1-3 people first. Names
   and values come from generated pools (``data.Pool``), split by hash: the held-out
   set asks about people, places and things no training item mentions.
3. Attention supervision (training only; the shipped model is a plain
   ``BertForQuestionAnswering``): head 0 of layer 0 is taught to look from every
   token of a person's name in the context at the same token in the question's name
   (else at [SEP]): a comparison of token identity, which works for names it never
   saw. Heads 1 and 2 of layer 0 gather, in every context token, its sentence and the
   question's words outside the name (which fact a sentence gives, which one is asked
   for). Head 0 of layer 1 looks from every context token at all the tokens of its
   sentence's name, which by then carry layer 0's verdict: how much of this name is
   the name asked about. Small BERTs trained on the QA loss alone stalled (70-78 %
   exact match) because they answered with another person's fact; these two heads
   spell out that binding, and the book can show them.

Later phases go on from the earlier weights with lower learning rates. The fourth draws
its made-up values from a wider mix (``data.Pool(varied=True)``: a held-out job such as
"editor" was found by its look, not its place in the sentence) and, in its last steps,
penalises spans that start or end inside a word (``inside_word_penalty``).

Position embeddings start from a scaled sinusoid instead of noise, which makes
"look a few tokens back" easy to learn from scratch. Masked-LM pretraining
(``pretrain_mlm``) is kept as an option (``mlm_steps``); it did not help at the
compute available here.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hfanatomy.train import data, qa_natural
from hfanatomy.train.common import SEED, Clock, read_notes, say
from hfanatomy.train.evaluate import (
    MAX_ANSWER_TOKENS,
    common_names,
    evaluate,
    learner_summary,
    summary,
    typed_questions,
)
from hfanatomy.train.features import MAX_LEN, STRIDE, collate, length_buckets, windows

THREADS = 1  # training threads (bitwise reproducible per count); 2 ran slower on a shared machine

ARCH = dict(
    hidden_size=128, num_hidden_layers=4, num_attention_heads=4, intermediate_size=512,
    max_position_embeddings=512, type_vocab_size=2, pad_token_id=0,
    hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,  # fresh data every step
)
MLM_STEPS = 0  # MLM pretraining (100-300 steps) was tried; at this compute it did not help
BATCH = 32
MLM_LR = 1e-3
UNANSWERABLE = 0.15  # share of unanswerable questions in phases 1 and 2 (and the test set)
WARMUP = 60
POSITION_INIT_SCALE = 0.03  # 0.1 let positions drown the word embeddings
LONG_SHARE = 0.1  # long items (14-24 people) nearly always span 2-3 windows
# attention supervision: window field -> (layer, head) whose attention is taught that target
# (see features.aux_targets). Layer 0 compares the names token by token (raw embeddings:
# the same token gives a query and a key that agree, seen in training or not) and gathers,
# in each context token, its sentence and the question's words; layer 1 carries the name
# verdict from each sentence's name to its other tokens. With only name_match and subject,
# learning was slower (card: what did not work).
AUX_HEADS = {"name_match": (0, 0), "sentence": (0, 1), "question": (0, 2), "subject": (1, 0)}
# tried and not shipped: a fifth head, layer 0 head 3, taught to look at the next token
# (features.aux_targets "next"); it broke common one-token names (card: what did not work)
AUX_HEADS_NEXT = {**AUX_HEADS, "next": (0, 3)}
AUX_WEIGHT = 2.0
# > 1 up-weights "same person" tokens in a match head's loss: at 1.0 most tokens belong to
# another person, and the head collapsed onto [SEP] (the majority target)
MATCH_POSITIVE_WEIGHT = 4.0
EVAL_ITEMS = 100  # held-out items scored every eval_every steps while training
TARGET = 0.95  # held-out exact match asked of the model, overall and in these groups:
GROUP_TARGET = 0.90  # ... and in each of these groups
TARGET_GROUPS = ("en", "ko", "multi-token", "long", "unanswerable")


@dataclass(frozen=True)
class Phase:
    """One phase of QA training: from the previous phase's weights (the first from scratch),
    a fresh AdamW (WARMUP warm-up steps, then linear decay to 0) and a fresh stream of items
    (seed + ``stream_seed``)."""

    name: str
    steps: int
    lr: float
    stream_seed: int
    why: str  # what the phase is for (written into the recipe on the card)
    curriculum: float = 0.0  # share of its steps on contexts of 1-3 people
    long_share: float = LONG_SHARE  # share of long contexts (2-4 windows)
    unanswerable: float = UNANSWERABLE  # share of unanswerable questions
    varied: bool = False  # data.Pool(varied=True): jobs, objects, cities more often made up
    boundary: float = 0.0  # weight of inside_word_penalty (0: none)
    boundary_from: int = 0  # ... from this step on (a smoke run: at 3/5 of its steps)

    def options(self, steps: int) -> dict[str, Any]:
        """``finetune``'s keyword arguments for a run of ``steps`` steps of this phase."""
        return dict(lr=self.lr, stream_seed=self.stream_seed, curriculum=self.curriculum,
                    long_share=self.long_share, unanswerable=self.unanswerable,
                    varied=self.varied, boundary=self.boundary,
                    boundary_from=min(self.boundary_from, steps * 3 // 5) if self.boundary else 0)

    def describe(self) -> str:
        """The phase in one sentence of the recipe."""
        parts = [f"{self.steps} steps, lr {self.lr}"]
        if self.curriculum:
            parts.append(f"the first {self.curriculum:.0%} of them on contexts of 1-3 people")
        parts.append(f"{self.long_share:.0%} long contexts, {self.unanswerable:.0%} "
                     "unanswerable questions")
        if self.varied:
            parts.append("jobs, objects and cities more often bare made-up words "
                         "(data.Pool varied)")
        if self.boundary:
            parts.append(f"from step {self.boundary_from} a penalty (weight {self.boundary}) "
                         "on spans starting or ending inside a word (inside_word_penalty)")
        return f"{self.name.capitalize()} phase: {'; '.join(parts)}. Why: {self.why}."


#: the recipe, phase by phase (``run`` trains them in order; ``--steps N`` caps each)
PHASES = (
    Phase("first", 800, 1e-3, 11, curriculum=0.3,
          why="from scratch (position embeddings a sinusoid x POSITION_INIT_SCALE), easy "
              "contexts first"),
    Phase("second", 800, 5e-4, 13,
          why="the first phase's schedule was sized for a loaded machine; going on helped"),
    Phase("third", 1300, 3e-4, 17, long_share=0.25, unanswerable=0.25,
          why="the weakest groups after phase 2: long contexts 77.8 %, unanswerable 78.4 % "
              "with the book's decoder"),
    Phase("fourth", 1500, 3e-4, 19, long_share=0.25, unanswerable=0.2, varied=True,
          boundary=1.0, boundary_from=900,
          why="held-out real jobs such as 'editor' were answered with nothing, the value "
              "found by its look; the script rule cut 'Copenha' for 'Copenhagen'"),
)
QA_STEPS = PHASES[0].steps
QA_LR = PHASES[0].lr
CURRICULUM = PHASES[0].curriculum


# one paragraph each for the appendix page "The two models" (written on the card)
SUMMARY = {
    "data": "generated English and Korean paragraphs about made-up people (`train.data`): "
            "where they live and work, their job, birth year and what they own, one fact a "
            "sentence, each sentence opening with the person's name; questions about one "
            "person, some about someone absent or a fact not given (the empty answer).",
    "training": "four phases from scratch on one CPU thread, with attention supervision of "
                "four heads (`train.qa`).",
}


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

    def __init__(self, seed: int, total_steps: int, long_share: float = LONG_SHARE,
                 curriculum: float = CURRICULUM, unanswerable: float = UNANSWERABLE,
                 varied: bool = False, natural: float = 0.0):
        self.rng = random.Random(seed)
        self.natural = natural  # share of qa_natural's paragraphs (pronouns, reverse ...)
        self.varied = varied
        self.total = total_steps
        self.long_share = long_share
        self.curriculum = curriculum
        self.unanswerable = unanswerable

    def items(self, step: int, n: int) -> list[data.QAItem]:
        frac = step / max(1, self.total)
        out = []
        while len(out) < n:
            if frac < self.curriculum:
                people, long = self.rng.choice([1, 2, 2, 3]), False
            else:
                long = self.rng.random() < self.long_share
                people = None if long else self.rng.choice([2, 2, 3, 3, 4, 5])
            if self.natural and self.rng.random() < self.natural:
                out.append(qa_natural.natural_item(self.rng, "train", long=long))
                continue
            out.append(data.qa_item(self.rng, people=people, long=long, split="train",
                                    unanswerable=self.unanswerable, varied=self.varied))
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


def aux_mask(bucket, field_name: str, shape):
    """Attention targets of one supervised head as a mask, for a padded bucket of windows.

    Returns ``allowed`` (b, L, L): where each token's attention should go; ``rows`` (b, L):
    the supervised tokens; ``weight`` (R,): per supervised token, x MATCH_POSITIVE_WEIGHT
    for a name token whose target is a name in the question (not [SEP]).
    """
    import torch

    b, length = shape
    ks, rs, cs, pos = [], [], [], []  # (window, row, allowed column) triples; positive rows
    for k, w in enumerate(bucket):
        sep = w.token_type_ids.index(1) - 1  # first [SEP]: last token of segment 0
        for i, targets in enumerate(getattr(w, field_name)):
            if targets:
                ks += [k] * len(targets)
                rs += [i] * len(targets)
                cs += targets
                if field_name == "name_match" and targets != [sep]:
                    pos.append((k, i))
    allowed = torch.zeros(b, length, length)  # (b, L, L)
    allowed[ks, rs, cs] = 1.0
    rows = allowed.sum(-1) > 0  # (b, L)
    positive = torch.zeros(b, length)  # (b, L)
    if pos:
        pk, pi = zip(*pos)
        positive[list(pk), list(pi)] = 1.0
    weight = 1.0 + (MATCH_POSITIVE_WEIGHT - 1.0) * positive[rows]  # (R,)
    return allowed, rows, weight


def continuation_table(tokenizer):
    """(V,) bool: which vocabulary entries go on a word ('##' pieces)."""
    import torch

    table = torch.zeros(len(tokenizer), dtype=torch.bool)
    for piece, i in tokenizer.get_vocab().items():
        table[i] = piece.startswith("##")
    return table


def inside_word_penalty(out, ids, types, mask, inside):
    """-log P(the span neither starts nor ends inside a word), averaged over windows.

    An answer never starts on a '##' piece, nor ends on a token followed by one; the plain
    loss pushes such positions down only as much as any other wrong position, and the
    training script's rule (no widening to whole words) then answers 'Copen' for
    'Copenhagen'. Training only: the model stays a plain BertForQuestionAnswering.
    """
    import torch

    cont = inside[ids] & types.bool() & mask.bool()  # (b, L) '##' pieces of the context
    ends_inside = torch.zeros_like(cont)
    ends_inside[:, :-1] = cont[:, 1:]  # (b, L) the next token goes on the same word
    total = 0.0
    for logits, bad in ((out.start_logits, cont), (out.end_logits, ends_inside)):
        p = logits.masked_fill(~mask.bool(), -1e4).softmax(-1)  # (b, L)
        mass = (p * bad).sum(-1).clamp(max=1 - 1e-6)  # (b,)
        total = total - torch.log1p(-mass).mean()
    return total


def finetune(tokenizer, mlm_model, steps: int, seed: int, test_items: list[data.QAItem],
             log_every: int = 100, eval_every: int = 0, checkpoint_dir: Path | None = None,
             stop_after: int | None = None, init=None, lr: float = QA_LR,
             curriculum: float = CURRICULUM, stream_seed: int = 11,
             long_share: float = LONG_SHARE, unanswerable: float = UNANSWERABLE,
             varied: bool = False, aux_heads: dict | None = None, boundary: float = 0.0,
             boundary_from: int = 0, natural: float = 0.0, batch: int = BATCH):
    """QA training; ``init``: a BertForQuestionAnswering to go on training (a later phase,
    with a fresh optimizer, its own ``lr`` schedule and its own stream of items); ``batch``:
    windows a step (smaller only in smoke runs).

    With ``checkpoint_dir`` and ``eval_every``, every evaluation also saves the model (fp16,
    ``step<N>/``) and ``resume.pt`` (float32 weights, optimizer, schedule, the item stream's
    and the window sampler's random states): a stopped run given the same arguments goes on
    from there and takes the same steps it would have taken without stopping.
    """
    import torch
    from transformers import BertForQuestionAnswering

    clock = Clock()
    torch.manual_seed(seed)
    model = BertForQuestionAnswering._from_config(config(tokenizer), attn_implementation="eager")
    if init is not None:
        model.load_state_dict(init.state_dict())
    elif mlm_model is not None:
        missing = model.bert.load_state_dict(mlm_model.bert.state_dict(), strict=False)
        assert not missing.missing_keys, missing
    else:
        with torch.no_grad():
            table = sinusoid(ARCH["max_position_embeddings"], ARCH["hidden_size"])
            model.bert.embeddings.position_embeddings.weight.copy_(table * POSITION_INIT_SCALE)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(min(WARMUP, steps // 10 + 1), steps))
    stream = Stream(seed + stream_seed, steps, curriculum=curriculum, long_share=long_share,
                    unanswerable=unanswerable, varied=varied, natural=natural)
    aux_heads = AUX_HEADS if aux_heads is None else aux_heads
    inside = continuation_table(tokenizer) if boundary > 0 else None  # (V,) '##' pieces
    gen = torch.Generator().manual_seed(seed + stream_seed - 10)
    first = 0
    resume = Path(checkpoint_dir) / "resume.pt" if checkpoint_dir is not None else None
    if resume is not None and resume.is_file():
        state = torch.load(resume, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["schedule"])
        stream.rng.setstate(state["stream"])
        gen.set_state(state["sampler"])
        first = state["step"]
        say(f"qa/finetune: resumed from {resume} after step {first}")
    model.train()
    running, right, seen, aux_running = 0.0, 0, 0, 0.0
    for step in range(first, steps):
        items = stream.items(step, batch)
        wins = windows(tokenizer, items, aux=AUX_WEIGHT > 0)
        rows = torch.randperm(len(wins), generator=gen)[:batch].tolist()
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
            if boundary > 0 and step >= boundary_from:
                loss = loss + boundary * inside_word_penalty(out, ids, types, mask, inside)
            if AUX_WEIGHT > 0:
                aux_loss = 0.0
                for field_name, (layer, head) in aux_heads.items():
                    allowed, rows, weight = aux_mask(bucket, field_name, ids.shape)
                    attn = out.attentions[layer][:, head]  # (b, L, L) rows sum to 1
                    mass = (attn * allowed).sum(-1).clamp_min(1e-6)  # (b, L)
                    terms = -torch.log(mass)[rows]  # (R,) supervised rows only
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
            rep = evaluate(model, tokenizer, test_items[:EVAL_ITEMS])
            say(f"qa/finetune: step {step + 1} held-out ({EVAL_ITEMS}) {summary(rep)} "
                f"{clock():.0f} s")
            # what the held-out set misses (names a learner types first, typed questions)
            say(f"qa/finetune: step {step + 1} {learner_summary(model, tokenizer)}")
            if checkpoint_dir is not None:
                from hfanatomy.train.common import save_model_fp16

                save_model_fp16(model, Path(checkpoint_dir) / f"step{step + 1}")
                torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                            "schedule": sched.state_dict(), "stream": stream.rng.getstate(),
                            "sampler": gen.get_state(), "step": step + 1}, resume)
            model.train()
        if stop_after is not None and step + 1 >= stop_after:
            say(f"qa/finetune: stopped after {step + 1} of {steps} scheduled steps")
            break
    return model


RECIPE = (
    "WordPiece tokenizer (see tokenizer); small BERT (see architecture) trained from "
    "scratch, position embeddings initialised as a sinusoid x {scale}, no dropout; "
    "{mlm} steps of masked-LM pretraining; QA training in {n_phases} phases (batch {batch} "
    "windows) on fresh streams of synthetic items whose names and values are drawn from "
    "generated pools (syllable-built words in both scripts besides real lists; only the "
    "training half of each pool): contexts of 2-5 people, long ones English 14-22 people, "
    "Korean 8-12 (2-4 windows of {max_len} tokens, stride {stride}); unanswerable questions "
    "(gold = [CLS]; the person absent, or present without the fact); plus attention "
    "supervision (weight {aux}): layer 0 head 0, from each token of a person's name in the "
    "context -> the same token in the question's name, else [SEP] (rows with a match "
    "weighted x{positive}); layer 0 head 1, from each context token -> all tokens of its "
    "sentence; layer 0 head 2, from each context token -> the question's tokens outside the "
    "name; layer 1 head 0, from each context token -> all tokens of its sentence's name "
    "(else the sentence's first token). Each phase starts from the previous one's weights "
    "with a fresh AdamW ({warmup} warmup steps then linear decay) and a new stream. "
    "{phases} Span labels: the course's rule (hfanatomy.qa_labels.training_positions). "
    "{threads} training thread(s)."
)


def recipe(mlm_steps: int) -> str:
    """The recipe as the card writes it, from PHASES and the constants."""
    return RECIPE.format(scale=POSITION_INIT_SCALE, mlm=mlm_steps, n_phases=len(PHASES),
                         batch=BATCH, max_len=MAX_LEN, stride=STRIDE, aux=AUX_WEIGHT,
                         positive=MATCH_POSITIVE_WEIGHT, warmup=WARMUP,
                         phases=" ".join(p.describe() for p in PHASES), threads=THREADS)


TOKENIZER = (
    "WordPiece (lower-cased, accents kept so Hangul stays whole): pieces learnt with "
    "`tokenizers` on the English of the package's sentiment and QA texts and the Python "
    "standard library's docstrings; Korean one syllable per token (the 2,350 KS X 1001 "
    "syllables, word-initial and ## forms) and every printable ASCII character in both "
    "forms, so ordinary text has no [UNK] and a name reads the same with any particle. "
    "No list of names."
)

#: what was tried and not shipped, one "- " item per paragraph: a notes file beside the
#: model, which the card copies (edit the notes, not this module)
NOTES = Path(__file__).resolve().parents[1] / "embedded" / "qa" / "what_did_not_work.md"


def what_did_not_work() -> list[str]:
    """The notes' items, each as one line of text."""
    return read_notes(NOTES)


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
    batch = BATCH
    if small:  # a smoke run: the recipe's steps, on less
        test_items, batch = min(test_items, 40), 8
    clock = Clock()
    test_set = data.qa_data(test_items, seed + 1, "test", long_share=0.25)
    mlm = None
    if mlm_steps > 0:
        mlm = pretrain_mlm(tokenizer, mlm_steps, seed, log_every=max(1, min(50, mlm_steps // 2)))
    mlm_seconds = clock()
    phase_seconds: list[float] = []
    model = None
    for k, phase in enumerate(PHASES):
        # --steps N runs the first phase for N steps and caps every later one at N
        n = steps if k == 0 else min(phase.steps, steps)
        if k > 0 and (n <= 0 or stop_after is not None):
            continue
        if k > 0:
            say(f"qa/finetune: {phase.name} phase, {n} steps from lr {phase.lr}")
        where = checkpoint_dir if k == 0 else checkpoint_dir and Path(checkpoint_dir) / f"phase{k + 1}"
        model = finetune(tokenizer, mlm if k == 0 else None, n, seed, test_set,
                         eval_every=eval_every, log_every=max(1, min(50, n // 2)),
                         checkpoint_dir=where, stop_after=stop_after if k == 0 else None,
                         init=model, batch=batch, **phase.options(n))
        phase_seconds.append(clock() - mlm_seconds - sum(phase_seconds))
    train_seconds = clock()
    save_model_fp16(model, out)
    timings = {"mlm_seconds": round(mlm_seconds, 1),
               "finetune_seconds": round(train_seconds - mlm_seconds, 1),
               **{f"phase_{k + 1}_seconds": round(t, 1) for k, t in enumerate(phase_seconds)}}
    return finish(model, tokenizer, out, test_set, seed, mlm_steps, steps, stop_after, timings,
                  common=6 if small else 40, batch=batch)


def finish(model, tokenizer, out: Path, test_set: list[data.QAItem], seed: int, mlm_steps: int,
           steps: int, stop_after: int | None, timings: dict[str, float],
           extra_failures: list[str] | None = None, common: int = 40,
           batch: int = BATCH) -> dict[str, Any]:
    """Evaluate on the held-out set with both decoders and write card.json beside the model."""
    from hfanatomy.train.common import write_card

    reports = {d: evaluate(model, tokenizer, test_set, decoder=d) for d in ("script", "book")}
    for d, rep in reports.items():
        say(f"qa: held-out ({d} decoder) {summary(rep)}")
    errors = reports["script"].pop("errors")
    reports["book"].pop("errors")

    def met(rep):
        return rep["exact_match"] >= TARGET and all(
            rep["groups"][g]["exact_match"] >= GROUP_TARGET for g in TARGET_GROUPS)

    card = {
        "model": "BertForQuestionAnswering",
        "task": "extractive QA with unanswerable questions (SQuAD 2 style), English and Korean",
        "architecture": ARCH,
        "vocab_size": len(tokenizer),
        "tokenizer": TOKENIZER,
        "recipe": recipe(mlm_steps),
        "phases": [asdict(p) for p in PHASES],
        "attention_supervision": {k: {"layer": v[0], "head": v[1]} for k, v in AUX_HEADS.items()},
        "what_did_not_work": what_did_not_work() + list(extra_failures or []),
        "data": {
            "generator": "hfanatomy.train.data.qa_item / qa_data (names and values: data.Pool)",
            "facts": "city (lives in), company (works at), job (works as), born (year), owns",
            "split": "by name and value: every name and value string s is held out when "
                     "sha256(s)[0] < 10 % of 256; held-out items use only held-out names "
                     "and values, training items only the others",
        },
        "training": {
            "seed": seed, "mlm_steps": mlm_steps, "qa_steps_scheduled": steps,
            "qa_steps_run": stop_after or steps,
            **{f"qa_steps_phase_{k + 1}": p.steps for k, p in enumerate(PHASES) if k},
            "batch": batch,
            **timings,
            "threads": THREADS,
            "note": "bitwise reproducible only with the same tokenizer, thread count and "
                    "library versions; the WordPiece trainer itself is not bitwise "
                    "reproducible (see hfanatomy.train.tokenizer.train_wordpiece)",
        },
        "evaluation": {
            "max_seq_len": MAX_LEN, "doc_stride": STRIDE, "max_answer_tokens": MAX_ANSWER_TOKENS,
            "rule": "script decoder: per window best valid span (start <= end, inside the "
                    "context) by start+end logit; answer = best span over windows unless "
                    "the smallest [CLS] null score is higher. book decoder: "
                    "hfanatomy.qa.answer(question, context, model, tokenizer, "
                    "handle_impossible_answer=True), the v4 pipeline's rule. Exact match "
                    "after SQuAD normalisation. Groups: en, ko; multi-token = the name asked "
                    "about is more than one token; long = the context needs more than one "
                    "window; unanswerable",
        },
        "held_out": {k: reports["script"][k] for k in ("n", "exact_match", "groups")},
        "held_out_book_decoder": {k: reports["book"][k] for k in ("n", "exact_match", "groups")},
        "target": {"exact_match": TARGET, "each_group": GROUP_TARGET,
                   "groups": list(TARGET_GROUPS),
                   "met": {d: met(r) for d, r in reports.items()}},
        "held_out_errors_sample": errors[:10],
        # the names a learner types first, which the held-out set (names never seen) misses
        "common_names_two_people": {
            "items": f"data.common_name_pairs({common}): every ordered pair of {common} "
                     "common first names",
            **{d: common_names(model, tokenizer, common, d) for d in ("script", "book")}},
        # the questions a learner types first (train.typed), answered right of seven per
        # language with each decoder
        "typed_questions": typed_questions(model, tokenizer),
        "storage": "weights stored as float16; hfanatomy.load_qa() loads float32",
    }
    write_card(out, card)
    say(f"qa: saved to {out}")
    return card
