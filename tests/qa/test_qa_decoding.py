"""hfanatomy.qa against transformers itself and against the v4 pipeline's choice.

* ``span_scores`` + ``top_spans`` == ``select_starts_ends`` + ``decode_spans``
  (transformers.pipelines.document_question_answering) window by window, on many
  random logits, masks, lengths, top_k, max_answer_len, with and without
  impossible answers.
* ``answer`` == a from-scratch re-implementation of the v4
  ``QuestionAnsweringPipeline`` (preprocess one example at a time without padding,
  ``select_starts_ends`` per window with ``top_k * 2 + 10`` candidates when aligning
  to words, words back to characters, equal texts merged with their scores added,
  the null answer appended, sorted) on long contexts, with a tiny random
  ``BertForQuestionAnswering``. (``test_qa_golden.py`` compares with the real v4.)
* Characters, Korean, batches, left-padding tokenizers, every error.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import tiny
import torch
from qa_corpus import CORPUS, build_roberta_tokenizer, build_tokenizer, long_context
from transformers import BertConfig, BertForQuestionAnswering, BertModel
from transformers.pipelines.document_question_answering import select_starts_ends

from hfanatomy import qa

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def tok():
    return build_tokenizer()


@pytest.fixture(scope="module")
def model(tok):
    # spread logits, so answers differ clearly between spans
    return tiny.sharp_qa_model(BertForQuestionAnswering, BertConfig, seed=0,
                               vocab_size=len(tok), max_position_embeddings=128)


# ---------------------------------------------------------------------------
# window by window against select_starts_ends
# ---------------------------------------------------------------------------


def _random_window(rng: np.random.Generator):
    """Logits and masks of one window: [CLS] question [SEP] context [SEP] pad..."""
    q = int(rng.integers(1, 6))
    c = int(rng.integers(1, 30))
    pad = int(rng.integers(0, 5))
    length = 1 + q + 1 + c + 1 + pad
    context = np.zeros(length, dtype=bool)
    context[q + 2: q + 2 + c] = True
    if rng.random() < 0.3:  # arbitrary masks too, not only one contiguous block
        context = rng.random(length) < 0.5
        context[0] = False
    attention = np.ones(length, dtype=np.int64)
    if pad:
        attention[-pad:] = 0
        context[-pad:] = False
    p_mask = (~context).astype(np.int64)
    p_mask[0] = 0  # v4 keeps [CLS] out of p_mask (it is the null answer)
    scale = float(rng.choice([1.0, 3.0, 8.0]))
    start = (rng.standard_normal(length) * scale).astype(np.float32)
    end = (rng.standard_normal(length) * scale).astype(np.float32)
    return start, end, context, attention, p_mask


@pytest.mark.parametrize("seed", range(6))
def test_span_scores_match_select_starts_ends(seed):
    rng = np.random.default_rng(seed)
    checked = 0
    for _ in range(60):
        start, end, context, attention, p_mask = _random_window(rng)
        if not context.any():
            continue
        top_k = int(rng.integers(1, 8))
        max_len = int(rng.integers(1, 20))
        impossible = bool(rng.random() < 0.5)
        r_starts, r_ends, r_scores, r_null = select_starts_ends(
            start[None], end[None], p_mask[None], attention[None], min_null_score=1000000,
            top_k=top_k, handle_impossible_answer=impossible, max_answer_len=max_len)
        # decode_spans may pad its top_k with zero-score cells ([CLS]-led); real spans score > 0
        keep = r_scores > 0
        sc = qa.span_scores(torch.from_numpy(start), torch.from_numpy(end),
                            torch.from_numpy(context), max_len, impossible)
        spans = qa.top_spans(sc, top_k)[0]
        assert [s.start for s in spans] == r_starts[keep].tolist()
        assert [s.end for s in spans] == r_ends[keep].tolist()
        np.testing.assert_allclose([s.score for s in spans], r_scores[keep], rtol=1e-5, atol=1e-12)
        if impossible:
            assert np.isclose(float(sc.null_scores[0]), r_null, rtol=1e-5)
        else:
            assert r_null == 1000000
        # the grid itself: valid cells equal p_start x p_end of the reference normalisation
        s = np.where((p_mask == 0) & (attention == 1), start, -10000.0)
        e = np.where((p_mask == 0) & (attention == 1), end, -10000.0)
        ps, pe = np.exp(s - s.max()), np.exp(e - e.max())
        ps, pe = ps / ps.sum(), pe / pe.sum()
        ps[0] = pe[0] = 0.0
        outer = np.tril(np.triu(np.outer(ps, pe)), max_len - 1) * np.outer(context, context)
        np.testing.assert_allclose(sc.grid[0].numpy(), outer, rtol=1e-5, atol=1e-12)
        checked += 1
    assert checked > 40


def test_span_scores_batched_equals_window_by_window():
    rng = np.random.default_rng(7)
    rows = [_random_window(rng) for _ in range(5)]
    length = max(len(r[0]) for r in rows)

    def pad(a, fill):
        return np.concatenate([a, np.full(length - len(a), fill, dtype=a.dtype)])

    start = torch.tensor(np.stack([pad(r[0], 0.0) for r in rows]))
    end = torch.tensor(np.stack([pad(r[1], 0.0) for r in rows]))
    ctx = torch.tensor(np.stack([pad(r[2], False) for r in rows]))
    batched = qa.span_scores(start, end, ctx, 7, True)
    for w, r in enumerate(rows):
        one = qa.span_scores(torch.from_numpy(r[0]), torch.from_numpy(r[1]),
                             torch.from_numpy(r[2]), 7, True)
        n = len(r[0])
        torch.testing.assert_close(batched.grid[w, :n, :n], one.grid[0])
        torch.testing.assert_close(batched.null_scores[w], one.null_scores[0])


def test_two_argmaxes_can_be_wrong_but_the_grid_is_not():
    # argmax end (1) before argmax start (3): the independent choice is no span at all
    start = torch.tensor([0.0, 0.0, 4.0, 5.0, 0.0])
    end = torch.tensor([0.0, 6.0, 5.0, 1.0, 0.0])
    ctx = torch.tensor([False, True, True, True, False])
    assert start.argmax() > end.argmax()
    best = qa.top_spans(qa.span_scores(start, end, ctx, 15), 1)[0][0]
    assert best.start <= best.end and (best.start, best.end) == (2, 2)


# ---------------------------------------------------------------------------
# the whole answer against a from-scratch v4 pipeline
# ---------------------------------------------------------------------------
def v4_pipeline(question, context, model, tok, top_k=1, max_answer_len=15, max_seq_len=384,
                doc_stride=128, handle_impossible_answer=False, align_to_words=True):
    """QuestionAnsweringPipeline (v4, fast tokenizer), re-written."""
    fw_names = tok.model_input_names  # v4's _forward passed only these to the model
    question_first = tok.padding_side == "right"
    pair = (question, context) if question_first else (context, question)
    enc = tok(*pair, padding="do_not_pad",
              truncation="only_second" if question_first else "only_first",
              max_length=max_seq_len, stride=doc_stride, return_token_type_ids=True,
              return_overflowing_tokens=True, return_offsets_mapping=True,
              return_special_tokens_mask=True)
    min_null_score = 1000000
    pre_topk = top_k * 2 + 10 if align_to_words else top_k
    answers = []
    for w in range(len(enc["input_ids"])):  # v4 ran one window at a time, unpadded
        ids = enc["input_ids"][w]
        # context first: v4's p_mask was 0 everywhere (question tokens could be answers)
        p_mask = np.array([(s != 1) if question_first else 0 for s in enc.sequence_ids(w)],
                          dtype=np.int64)
        p_mask[np.array(ids) == tok.cls_token_id] = 0
        with torch.no_grad():
            out = model(**{k: torch.tensor([enc[k][w]]) for k in fw_names})
        starts, ends, scores, min_null_score = select_starts_ends(
            out.start_logits.numpy(), out.end_logits.numpy(), p_mask[None],
            np.array([enc["attention_mask"][w]]), min_null_score, pre_topk,
            handle_impossible_answer, max_answer_len)
        e = enc.encodings[w]
        seq = 1 if question_first else 0
        for s, t, score in zip(starts, ends, scores):
            if align_to_words:
                try:
                    a = e.word_to_chars(e.token_to_word(s), sequence_index=seq)[0]
                    b = e.word_to_chars(e.token_to_word(t), sequence_index=seq)[1]
                except Exception:
                    a, b = e.offsets[s][0], e.offsets[t][1]
            else:
                a, b = e.offsets[s][0], e.offsets[t][1]
            same = [x for x in answers if x["answer"].lower() == context[a:b].lower()]
            if same:  # v4's get_answer: the first answer of that text collects the score
                same[0]["score"] += float(score)
            else:
                answers.append({"score": float(score), "start": a, "end": b,
                                "answer": context[a:b]})
    if handle_impossible_answer:
        answers.append({"score": min_null_score, "start": 0, "end": 0, "answer": ""})
    return sorted(answers, key=lambda x: x["score"], reverse=True)[:top_k]


CASES = [
    # seed, top_k, max_answer_len, max_seq_len, doc_stride, impossible, align
    (0, 1, 15, 64, 16, False, True),
    (1, 3, 10, 48, 20, True, True),
    (2, 5, 4, 40, 8, False, False),
    (3, 2, 30, 128, 64, True, False),
    (4, 4, 15, 32, 5, True, True),
]


@pytest.mark.parametrize("seed,top_k,max_len,seq,stride,impossible,align", CASES)
def test_answer_matches_v4_pipeline_on_long_contexts(model, tok, seed, top_k, max_len, seq,
                                                     stride, impossible, align):
    question = random.Random(seed).choice(["Who lives in London?", "위키는 어떤 언어를 이용하는가?",
                                           "When was Grace born?"])
    context = long_context(seed)
    windows = qa.encode_windows(question, context, tok, seq, stride)
    assert windows.num_windows >= 2  # really several windows
    got = qa.answer(question, context, model, tok, top_k=top_k, max_answer_len=max_len,
                    max_seq_len=seq, doc_stride=stride, handle_impossible_answer=impossible,
                    align_to_words=align)
    ref = v4_pipeline(question, context, model, tok, top_k, max_len, seq, stride, impossible,
                      align)
    assert [(a.text, a.start, a.end) for a in got] == [(r["answer"], r["start"], r["end"])
                                                       for r in ref]
    np.testing.assert_allclose([a.score for a in got], [r["score"] for r in ref], rtol=1e-4)
    for a in got:
        assert context[a.start:a.end] == a.text


def test_embedded_tokenizer_matches_v4_on_long_contexts():
    """The same comparison with the book's own WordPiece tokenizer (shipped: a missing file
    fails here, it does not skip)."""
    from transformers import AutoTokenizer

    from hfanatomy.models import QA_DIR, quiet

    assert (QA_DIR / "tokenizer.json").is_file(), "the embedded QA tokenizer is missing"
    with quiet():
        tok = AutoTokenizer.from_pretrained(QA_DIR)
    model = tiny.sharp_qa_model(BertForQuestionAnswering, BertConfig, seed=5,
                                vocab_size=len(tok), max_position_embeddings=128)
    for question, seed in [("Where does Ada Lovelace work?", 20), ("김민수는 어디에 사는가?", 21)]:
        context = long_context(seed, 8)
        got = qa.answer(question, context, model, tok, top_k=3, max_seq_len=64, doc_stride=16,
                        handle_impossible_answer=True)
        ref = v4_pipeline(question, context, model, tok, 3, 15, 64, 16, True)
        assert [(a.text, a.start, a.end) for a in got] == [(r["answer"], r["start"], r["end"])
                                                           for r in ref]
        np.testing.assert_allclose([a.score for a in got], [r["score"] for r in ref], rtol=1e-4)


def test_roberta_without_token_type_ids_matches_v4():
    from transformers import RobertaConfig, RobertaForQuestionAnswering

    tok = build_roberta_tokenizer()
    assert "token_type_ids" not in tok.model_input_names
    model = tiny.sharp_qa_model(RobertaForQuestionAnswering, RobertaConfig, seed=3,
                                vocab_size=len(tok), max_position_embeddings=130,
                                pad_token_id=tok.pad_token_id)
    question, context = "Who lives in London?", long_context(6)
    w = qa.encode_windows(question, context, tok, 48, 12)
    assert w.token_type_ids is None and w.num_windows > 2
    assert "token_type_ids" not in w.model_inputs()
    for align in (True, False):
        got = qa.answer(question, context, model, tok, top_k=3, max_seq_len=48, doc_stride=12,
                        handle_impossible_answer=True, align_to_words=align)
        ref = v4_pipeline(question, context, model, tok, 3, 15, 48, 12, True, align)
        assert [(a.text, a.start, a.end) for a in got] == [(r["answer"], r["start"], r["end"])
                                                           for r in ref]
        np.testing.assert_allclose([a.score for a in got], [r["score"] for r in ref], rtol=1e-4)
        assert all(context[a.start:a.end] == a.text for a in got)
    # RoBERTa's positions start at padding_idx + 1: 130 rows allow 128 tokens, not 130
    with pytest.raises(ValueError, match="128 positions"):
        qa.answer(question, long_context(7, 30), model, tok, max_seq_len=129, doc_stride=12)


def test_null_answer_uses_the_smallest_null_score_over_windows(tok):
    windows = qa.encode_windows("Who lives in London?", long_context(4), tok, 40, 10)
    n, length = windows.input_ids.shape
    torch.manual_seed(0)
    start, end = torch.randn(n, length), torch.randn(n, length)
    start[:, 0] = end[:, 0] = torch.linspace(6, 9, n)  # [CLS] likely in every window
    best = qa.decode(windows, start, end, top_k=3, handle_impossible_answer=True)[0]
    sc = qa.span_scores(start, end, windows.context_mask, 15, True)
    null = float(sc.null_scores.min())
    assert null < float(sc.null_scores.max())  # windows disagree; v4 kept the minimum
    assert (best[0].text, best[0].start, best[0].end) == ("", 0, 0)
    assert best[0].score == pytest.approx(null)
    start[:, 0] = end[:, 0] = -6.0  # now every span beats it: with top_k=1 no null answer
    best = qa.decode(windows, start, end, top_k=1, handle_impossible_answer=True)[0]
    assert best[0].text != ""
    without = qa.decode(windows, start, end, top_k=1)[0]
    assert (best[0].start, best[0].end) == (without[0].start, without[0].end)


# ---------------------------------------------------------------------------
# characters, Korean, batches, left padding
# ---------------------------------------------------------------------------
def test_korean_offsets_are_characters(model, tok):
    context = CORPUS[3]
    for align in (True, False):
        got = qa.answer("위키는 어떤 언어를 이용하는가?", context, model, tok, top_k=5,
                        align_to_words=align)
        assert len(got) == 5 and all(context[a.start:a.end] == a.text for a in got)
    w = qa.encode_windows("위키는 어떤 언어를 이용하는가?", context, tok)
    for a in got:  # exact token offsets: the text is exactly the answer's WordPiece tokens
        pieces = w.encodings[0].tokens[a.start_token:a.end_token + 1]
        assert a.text.replace(" ", "") == "".join(p.removeprefix("##") for p in pieces)


def test_batch_equals_one_by_one(model, tok):
    questions = ["Who lives in London?", "김민수는 어디에 사는가?", "When was Grace born?"]
    contexts = [long_context(10), CORPUS[4], long_context(11, 3)]
    batch = qa.answer(questions, contexts, model, tok, top_k=2, max_seq_len=48, doc_stride=12)
    assert len(batch) == 3
    for q, c, got in zip(questions, contexts, batch):
        one = qa.answer(q, c, model, tok, top_k=2, max_seq_len=48, doc_stride=12)
        assert [(a.text, a.start, a.end) for a in got] == [(a.text, a.start, a.end) for a in one]
        np.testing.assert_allclose([a.score for a in got], [a.score for a in one], rtol=1e-4)
    windows = qa.encode_windows(questions, contexts, tok, 48, 12)
    assert windows.sample.tolist() == sorted(windows.sample.tolist())
    assert set(windows.sample.tolist()) == {0, 1, 2}


def test_windows_overlap_by_stride_and_cover_the_context(tok):
    context = long_context(5)
    w = qa.encode_windows("Who lives in London?", context, tok, 40, 10)
    covered = set()
    for i in range(w.num_windows):
        ids = w.input_ids[i][w.context_mask[i]].tolist()
        if i:  # the last doc_stride context tokens of window i-1 start window i
            prev = w.input_ids[i - 1][w.context_mask[i - 1]].tolist()
            assert ids[:10] == prev[-10:]
        covered |= set(range(*w.context_chars(i)))
    assert max(covered) + 1 == len(context.rstrip())
    assert (w.input_ids[:, 0] == tok.cls_token_id).all() and (w.null_index == 0).all()


def test_left_padding_tokenizer_puts_context_first(model):
    tok = build_tokenizer()
    tok.padding_side = "left"
    context = long_context(3, 4)
    w = qa.encode_windows("Who lives in London?", context, tok, 48, 10)
    assert not w.question_first and w.num_windows > 1
    got = qa.answer("Who lives in London?", context, model, tok, top_k=3, max_seq_len=48,
                    doc_stride=10)
    ref = v4_pipeline("Who lives in London?", context, model, tok, 3, 15, 48, 10)
    assert [(a.text, a.start, a.end) for a in got] == [(r["answer"], r["start"], r["end"])
                                                       for r in ref]
    for a in got:
        assert context[a.start:a.end] == a.text
    for i in range(w.num_windows):  # context is sequence 0, and [CLS] is found wherever it is
        assert all(s == 0 for s, c in zip(w.encodings[i].sequence_ids, w.context_mask[i]) if c)
        assert w.input_ids[i, w.null_index[i]] == tok.cls_token_id
        # v4 let every token of a context-first window into the answers, the question too
        assert torch.equal(w.answer_mask[i], w.attention_mask[i].bool())
        assert not torch.equal(w.answer_mask[i], w.context_mask[i])


def test_answers_are_sorted_and_at_most_top_k(model, tok):
    got = qa.answer("Who lives in London?", long_context(8), model, tok, top_k=7,
                    max_seq_len=40, doc_stride=12)
    assert len(got) == 7
    assert [a.score for a in got] == sorted((a.score for a in got), reverse=True)
    assert got[0]["text"] == got[0].text  # dict-style access, like v4's dicts


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------
def test_errors(model, tok):
    q, c = "Who lives in London?", "Ada lives in London."
    with pytest.raises(ValueError, match="question is empty"):
        qa.answer("  ", c, model, tok)
    with pytest.raises(ValueError, match="context is empty"):
        qa.answer(q, "", model, tok)
    with pytest.raises(ValueError, match=r"context\[1\] is empty"):
        qa.answer([q, q], [c, ""], model, tok)
    with pytest.raises(ValueError, match="same length"):
        qa.answer([q, q], [c], model, tok)
    with pytest.raises(ValueError, match="question is too long"):
        qa.answer(q * 10, c, model, tok, max_seq_len=20, doc_stride=1)
    with pytest.raises(ValueError, match="doc_stride=12 must be smaller"):
        qa.answer(q, c, model, tok, max_seq_len=20, doc_stride=12)
    with pytest.raises(ValueError, match="top_k must be >= 1"):
        qa.answer(q, c, model, tok, top_k=0)
    with pytest.raises(ValueError, match="max_answer_len must be >= 1"):
        qa.answer(q, c, model, tok, max_answer_len=0)
    with pytest.raises(TypeError, match="top_k must be an integer"):
        qa.answer(q, c, model, tok, top_k=1.5)
    with pytest.raises(TypeError, match="question must be a string"):
        qa.answer(None, c, model, tok)
    body = BertModel(model.config).eval()  # no QA head: last_hidden_state, no start_logits
    with pytest.raises(ValueError, match="not an extractive question-answering model"):
        qa.answer(q, c, body, tok)
    with pytest.raises(TypeError, match="torch.nn.Module"):
        qa.answer(q, c, "bert", tok)
    with pytest.raises(ValueError, match="positions"):
        qa.answer(q, long_context(1, 30), model, tok, max_seq_len=256, doc_stride=64)


def test_room_matches_the_tokenizer_limit(tok):
    q = "Who lives in London?"
    room = qa.context_room(q, tok, 20)
    assert room == 20 - len(tok(q, add_special_tokens=False)["input_ids"]) - 3
    w = qa.encode_windows(q, long_context(2), tok, 20, room - 1)  # the largest stride allowed
    assert int(w.context_mask.sum(1).max()) == room


# ---------------------------------------------------------------------------
# v4's merge rule and the old pipeline's call
# ---------------------------------------------------------------------------
def test_merge_adds_scores_of_equal_texts_ignoring_case():
    found = [qa.Answer("Paris", 10, 15, 0.7, 0), qa.Answer("city", 20, 24, 0.2, 0),
             qa.Answer("PARIS", 40, 45, 0.6, 1), qa.Answer("paris", 70, 75, 0.1, 2)]
    merged = qa.merge_answers(found)
    assert [(a.text, a.start, a.end, a.merged) for a in merged] == [
        ("Paris", 10, 15, 3), ("city", 20, 24, 1)]
    assert merged[0].score == pytest.approx(1.4) and merged[0].score > 1
    assert found[0].score == 0.7  # the inputs are not changed
    assert qa.pre_topk(3) == 16 and qa.pre_topk(3, align_to_words=False) == 3


def test_pipeline_defaults_follow_the_tokenizer(tok):
    assert tok.model_max_length == 128
    assert qa.pipeline_defaults(tok) == (128, 64)
    assert qa.pipeline_defaults(tok, 40) == (40, 20)
    w = qa.encode_windows("Who lives in London?", long_context(2, 30), tok)
    assert (w.max_seq_len, w.doc_stride) == (128, 64)


def test_question_answerer_has_the_old_call_shapes(model, tok):
    from hfanatomy.qa_pipeline import question_answerer

    pipe = question_answerer(model, tok)
    q, c = "Who lives in London?", CORPUS[0]
    one = pipe(question=q, context=c)
    assert isinstance(one, dict) and set(one) == {"score", "start", "end", "answer"}
    assert c[one["start"]:one["end"]] == one["answer"]
    assert pipe(q, c) == one == pipe({"question": q, "context": c}) == pipe(question=[q], context=c)
    three = pipe(question=q, context=c, top_k=3)
    assert isinstance(three, list) and len(three) == 3 and three[0] == one
    batch = pipe(question=[q, "When was Grace born?"], context=c, top_k=2)
    assert len(batch) == 2 and batch[0] == three[:2]
    assert pipe([{"question": q, "context": c}] * 2) == [one, one]
    with pytest.warns(UserWarning, match="topk parameter is deprecated"):
        assert pipe(question=q, context=c, topk=3) == three
    assert question_answerer(model, tok, top_k=3)(question=q, context=c) == three
    with pytest.raises(TypeError, match="unknown option"):
        pipe(question=q, context=c, max_answer_length=3)
    with pytest.raises(ValueError, match="same lengths"):
        pipe(question=[q, q], context=[c])
    with pytest.raises(ValueError, match="can't be understood"):
        pipe(question=q, context=[c, c])
    with pytest.raises(ValueError, match="padding='max_length' is not supported"):
        pipe(question=q, context=c, padding="max_length")


def test_question_answerer_loads_a_folder_in_float32(tmp_path, model, tok):
    import copy

    from hfanatomy.qa_pipeline import question_answerer

    copy.deepcopy(model).half().save_pretrained(tmp_path)  # stored as fp16, like the embedded one
    tok.save_pretrained(tmp_path)
    pipe = question_answerer(str(tmp_path))
    assert next(pipe.model.parameters()).dtype == torch.float32
    q, c = "Who lives in London?", CORPUS[0]
    got = pipe(question=q, context=c, top_k=3)
    assert len(got) == 3 and all(a["score"] > 0 and c[a["start"]:a["end"]] == a["answer"]
                                 for a in got)


@pytest.mark.parametrize("side", ["right", "left"])
def test_pipeline_spans_equal_decode_spans_with_zero_fillers(side):
    """v4 cut the k best cells of the whole grid, then dropped undesired ones: short
    windows and sharp logits give cells scored 0 in the cut (some kept, some dropped)."""
    tok = build_tokenizer()
    tok.padding_side = side
    g = torch.Generator().manual_seed(11)
    fillers = 0
    for n, (question, context) in enumerate([("Who lives in London?", "Ada lives in London."),
                                             ("When was Grace born?", "Grace was born in 1906."),
                                             ("위키는 어떤 언어를 이용하는가?", CORPUS[3]),
                                             ("Who lives in London?", long_context(4, 2))]):
        w = qa.encode_windows(question, context, tok, 24 if n == 3 else 64, 4)
        for scale, k, max_len in [(1.0, 30, 15), (30.0, 12, 3), (60.0, 5, 1), (3.0, 1, 2)]:
            start = torch.randn(w.input_ids.shape, generator=g) * scale
            end = torch.randn(w.input_ids.shape, generator=g) * scale
            sc = qa.span_scores(start, end, w.answer_mask, max_len, True, w.null_index)
            got = qa.pipeline_spans(sc, w, k)
            for i in range(w.num_windows):
                keep = w.tokens_of(i)
                p_mask = (~w.answer_mask[i, keep]).long().numpy()
                length = keep.stop - keep.start
                if length * length == k:  # transformers 5 changed '<' to '<=' there
                    continue
                r_s, r_e, r_scores, _ = select_starts_ends(
                    start[i:i + 1, keep].numpy(), end[i:i + 1, keep].numpy(), p_mask[None],
                    np.ones((1, length), dtype=np.int64), top_k=k,
                    handle_impossible_answer=True, max_answer_len=max_len)
                assert [(s.start - keep.start, s.end - keep.start) for s in got[i]] == list(
                    zip(r_s.tolist(), r_e.tolist()))
                np.testing.assert_allclose([s.score for s in got[i]], r_scores, rtol=1e-5)
                fillers += int((r_scores == 0).sum())
    assert fillers > 0  # the zero-score cells really were exercised


def test_candidate_count_equal_to_window_cells_is_answered():
    """v4 crashed when top_k*2+10 equalled a window's L*L cells (argpartition's kth out of
    bounds); the book answers, ranking every cell (transformers 5's decode_spans does too)."""
    import hfanatomy

    model, tokenizer = hfanatomy.load_qa()
    question = "Who?"
    for context in ("Ada lives.", "Ada lives here.", "Ada lives in Oslo."):
        n = len(tokenizer(question, context)["input_ids"])
        if n % 2 == 0:  # L*L - 10 is even, so some top_k hits it exactly
            break
    assert n % 2 == 0, "no context of an even token count"
    top_k = (n * n - 10) // 2
    assert qa.pre_topk(top_k) == n * n
    got = qa.answer(question, context, model, tokenizer, top_k=top_k)
    assert got and all(a.text == context[a.start:a.end] for a in got)
