"""Golden answers from the real transformers 4 question-answering pipeline (``make golden``).

``hfanatomy.qa`` claims to return what ``pipeline("question-answering")`` of transformers 4
returned. This script asks the real thing. It

1. creates a side venv (``.venv/golden-v4``, or ``$HFANATOMY_GOLDEN_VENV``) with
   ``transformers>=4.57,<5`` and the project's torch, once;
2. prepares three float32 checkpoints: the embedded QA model, a tiny random BERT built
   from a seed and kept in ``tests/fixtures/qa_golden_tiny_bert/`` (built when missing,
   or with ``--rebuild-tiny``), and MiniLM with its seeded head (``tests/helpers/minilm.py``);
3. generates the cases (a fixed seed): ``top_k``, ``handle_impossible_answer``,
   ``max_answer_len``, ``max_seq_len``, ``doc_stride``, ``align_to_words`` on and off or
   left at v4's defaults, single pairs and batches, short, long (several windows) and
   Korean contexts, tokenizers padding on the right (question first) and on the left
   (context first);
4. runs them through v4's ``QuestionAnsweringPipeline`` in the side venv (one thread,
   models loaded as float32: given a path, 4.57 keeps an fp16 checkpoint in fp16);
5. writes ``tests/fixtures/qa_golden.json``: how it was made (versions, sha256 of every
   checkpoint), the texts, and per case the arguments and v4's raw result.

``tests/qa/test_qa_golden.py`` compares ``hfanatomy.qa`` with it and needs no side venv.
Run: ``python tools/golden.py`` (from the project's venv, repository root on the path).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE = FIXTURES / "qa_golden.json"
TINY_DIR = FIXTURES / "qa_golden_tiny_bert"
VENV = Path(os.environ.get("HFANATOMY_GOLDEN_VENV", ROOT / ".venv" / "golden-v4"))
REQUIREMENTS = ["torch==2.13.0", "transformers>=4.57,<5"]
SEED = 20261201
TINY_SEED = 7

# ---------------------------------------------------------------------------
# texts (English facts, Korean facts, case-variant duplicates for the merge rule)
# ---------------------------------------------------------------------------
PEOPLE = ["Mina Park", "Ada Lovelace", "Jun Seo", "Grace Hopper", "Alan Turing", "Hana Kim",
          "Omar Haddad", "Lena Vogel", "Tomas Silva", "Yuki Tanaka", "Priya Nair", "Leo Martin"]
CITIES = ["Busan", "London", "Seoul", "Boston", "Manchester", "Daegu", "Cairo", "Berlin",
          "Lisbon", "Osaka", "Chennai", "Lyon"]
PLACES = ["the central library", "a small bakery", "the city museum", "a shipyard",
          "the train station", "a flower shop", "the harbour office", "a bike workshop",
          "the old theatre", "a tea house", "the science park", "a music school"]
THINGS = ["a blue bicycle", "a red boat", "an old piano", "a grey cat", "a green tent",
          "a silver watch", "a wooden desk", "a yellow kite", "a black camera", "a brown dog",
          "a white van", "a glass lamp"]
KO_PEOPLE = ["김민수", "이지은", "박서준", "최유나", "정하늘", "한도윤"]
KO_CITIES = ["서울", "부산", "대구", "광주", "인천", "제주"]
KO_JOBS = ["의사", "교사", "요리사", "기자", "화가", "경찰관"]
KO_WIKI = ("위키는 간단한 마크업 언어와 웹 브라우저를 이용하여 함께 문서를 작성하는 공동체를 "
           "가능케 한다.")


def _facts(rng: random.Random, k: int) -> list[str]:
    return [f"{PEOPLE[k]} lives in {CITIES[(k + rng.randrange(3)) % 12]}.",
            f"{PEOPLE[k]} works at {PLACES[(k + 3) % 12]}.",
            f"{PEOPLE[k]} owns {THINGS[(k + 5) % 12]}.",
            f"{PEOPLE[k]} was born in {1950 + 3 * k}."]


def _english(rng: random.Random, n_people: int) -> tuple[str, list[int]]:
    who = rng.sample(range(12), n_people)
    sentences = [s for k in who for s in _facts(rng, k)]
    return " ".join(sentences), who


def _korean(rng: random.Random, n_people: int) -> tuple[str, list[int]]:
    who = rng.sample(range(6), n_people)
    sentences = []
    for k in who:
        sentences += [f"{KO_PEOPLE[k]}는 {KO_CITIES[(k + rng.randrange(2)) % 6]}에 산다.",
                      f"{KO_PEOPLE[k]}는 {KO_JOBS[k]}로 일한다."]
    if rng.random() < 0.4:
        sentences.insert(rng.randrange(len(sentences) + 1), KO_WIKI)
    return " ".join(sentences), who


def _casey(rng: random.Random) -> str:
    """The same place written in three cases, in three sentences (v4 merges them)."""
    city = rng.choice(CITIES)
    return (f"Ada Lovelace lives in {city}. Her friends say {city.upper()} is home. "
            f"Everyone in {city.lower()} knows Ada Lovelace.")


def _question(rng: random.Random, korean: bool, who: list[int]) -> str:
    if korean:
        k = rng.choice(who + [rng.randrange(6)])
        return rng.choice([f"{KO_PEOPLE[k]}는 어디에 사는가?", f"{KO_PEOPLE[k]}의 직업은 무엇인가?",
                           "위키는 어떤 언어를 이용하는가?"])
    k = rng.choice(who + [rng.randrange(12)])  # sometimes someone who is not in the text
    return rng.choice([f"Where does {PEOPLE[k]} live?", f"Where does {PEOPLE[k]} work?",
                       f"What does {PEOPLE[k]} own?", f"When was {PEOPLE[k]} born?",
                       f"What does {PEOPLE[k]} study?"])


# ---------------------------------------------------------------------------
# checkpoints
# ---------------------------------------------------------------------------
def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def build_tiny_bert(out: Path = TINY_DIR, rebuild: bool = False) -> Path:
    """A tiny random BertForQuestionAnswering and its WordPiece tokenizer, from a seed.

    Built once and kept in the repository: the weights come from a seed, but WordPiece
    training may number tied pieces differently from run to run, which would change the
    tokenizer (and every answer) at each regeneration. ``rebuild=True`` makes it anew.
    """
    if (out / "model.safetensors").exists() and not rebuild:
        return out
    sys.path.insert(0, str(ROOT / "tests" / "helpers"))
    import tiny
    from transformers import BertConfig, BertForQuestionAnswering

    rng = random.Random(TINY_SEED)
    corpus = [_english(rng, 3)[0] for _ in range(20)] + [_korean(rng, 3)[0] for _ in range(10)]
    tok = tiny.wordpiece_tokenizer(corpus, 700, model_max_length=128)
    model = tiny.sharp_qa_model(BertForQuestionAnswering, BertConfig, seed=TINY_SEED, sharpen=6.0,
                                vocab_size=len(tok), max_position_embeddings=128)
    model.config.architectures = ["BertForQuestionAnswering"]
    out.mkdir(parents=True, exist_ok=True)
    from hfanatomy.models import quiet

    with quiet():  # no progress bar
        model.save_pretrained(out)
        tok.save_pretrained(out)
    return out


def checkpoints(rebuild_tiny: bool = False) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT / "tests" / "helpers"))
    from hfanatomy.models import QA_DIR
    from minilm import minilm_qa_dir

    return {"embedded": Path(QA_DIR), "tiny-bert": build_tiny_bert(rebuild=rebuild_tiny),
            "minilm": minilm_qa_dir()}


# ---------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------
def make_cases(dirs: dict[str, Path], per_checkpoint: int = 64) -> tuple[list[str], list[dict]]:
    """Cases with valid arguments (stride below the room), texts kept once in a table."""
    from transformers import AutoTokenizer

    from hfanatomy import qa
    from hfanatomy.models import quiet

    rng = random.Random(SEED)
    texts: list[str] = []

    def text_id(t: str) -> int:
        if t not in texts:
            texts.append(t)
        return texts.index(t)

    cases = []
    for name, path in dirs.items():
        with quiet():
            tok = AutoTokenizer.from_pretrained(path)
        limit = min(int(tok.model_max_length), 512)
        for n in range(per_checkpoint):
            kind = rng.choices(["short", "medium", "long", "korean", "korean-long", "cases"],
                               [3, 3, 3, 2, 1, 1])[0]
            pairs = []
            for _ in range(rng.choice([2, 3]) if rng.random() < 0.15 else 1):
                korean = kind.startswith("korean")
                if kind == "cases":
                    context, who = _casey(rng), [1]
                elif korean:
                    context, who = _korean(rng, {"korean": 2, "korean-long": 6}[kind])
                    if kind == "korean-long":
                        context = " ".join([context] * 4)
                else:
                    context, who = _english(rng, {"short": 1, "medium": 3, "long": 12}[kind])
                pairs.append((_question(rng, kind.startswith("korean"), who), context))
            same_context = len(pairs) > 1 and rng.random() < 0.3  # a list of questions, one context
            kwargs: dict = {}
            if rng.random() < 0.7:
                kwargs["top_k"] = rng.choice([1, 2, 3, 5, 8])
            if rng.random() < 0.5:
                kwargs["handle_impossible_answer"] = rng.random() < 0.7
            if rng.random() < 0.5:
                kwargs["max_answer_len"] = rng.choice([1, 3, 5, 15, 30])
            if rng.random() < 0.4:
                kwargs["align_to_words"] = rng.random() < 0.5
            if rng.random() < 0.6:
                kwargs["max_seq_len"] = rng.choice([s for s in (32, 48, 64, 96, 128, 256, 384)
                                                    if s <= limit])
            seq = qa.pipeline_defaults(tok, kwargs.get("max_seq_len"))[0]
            room = min(qa.context_room(q, tok, seq) for q, _ in pairs)
            if room < 4:
                kwargs["max_seq_len"] = seq = limit
                room = min(qa.context_room(q, tok, seq) for q, _ in pairs)
            if rng.random() < 0.5 or qa.pipeline_defaults(tok, seq)[1] >= room:
                kwargs["doc_stride"] = rng.choice([0, 1, 4, 8, 16, 32, 64, 128])
                if kwargs["doc_stride"] >= room:
                    kwargs["doc_stride"] = room // 2
            side = "left" if rng.random() < 0.25 else "right"
            questions = [q for q, _ in pairs]
            contexts = [c for _, c in pairs]
            if len(pairs) == 1:
                inputs = {"question": text_id(questions[0]), "context": text_id(contexts[0])}
            elif same_context:
                inputs = {"question": [text_id(q) for q in questions], "context": text_id(contexts[0])}
            else:
                inputs = {"question": [text_id(q) for q in questions],
                          "context": [text_id(c) for c in contexts]}
            cases.append({"id": f"{name}-{n:03d}", "checkpoint": name, "padding_side": side,
                          "kind": kind, "inputs": inputs, "kwargs": kwargs})
    return texts, cases


# ---------------------------------------------------------------------------
# the side venv and the real pipeline
# ---------------------------------------------------------------------------
def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} ({', '.join(REQUIREMENTS)})", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS], check=True)
    return python


def run_v4(job_path: str, out_path: str) -> None:
    """In the side venv: every case through v4's QuestionAnsweringPipeline."""
    import numpy
    import tokenizers
    import torch
    import transformers
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer, pipeline
    from transformers.utils import logging

    logging.set_verbosity_error()
    torch.set_num_threads(1)
    job = json.loads(Path(job_path).read_text())
    texts = job["texts"]
    pipes = {}
    for name, path in job["checkpoints"].items():
        # float32: from a path, 4.57 would load an fp16-stored checkpoint as fp16
        model = AutoModelForQuestionAnswering.from_pretrained(path, torch_dtype=torch.float32).eval()
        for side in ("right", "left"):
            tok = AutoTokenizer.from_pretrained(path)
            assert tok.is_fast, f"{name}: v4 loaded a slow tokenizer"
            tok.padding_side = side
            pipes[name, side] = pipeline("question-answering", model=model, tokenizer=tok)
    results = {}
    for case in job["cases"]:
        inputs = {k: [texts[i] for i in v] if isinstance(v, list) else texts[v]
                  for k, v in case["inputs"].items()}
        results[case["id"]] = pipes[case["checkpoint"], case["padding_side"]](**inputs, **case["kwargs"])
    versions = {"transformers": transformers.__version__, "torch": torch.__version__,
                "tokenizers": tokenizers.__version__, "numpy": numpy.__version__,
                "python": sys.version.split()[0]}
    Path(out_path).write_text(json.dumps({"versions": versions, "results": results}))


def main(rebuild_tiny: bool = False) -> None:
    t0 = time.time()
    python = ensure_venv()
    dirs = checkpoints(rebuild_tiny)
    texts, cases = make_cases(dirs)
    with tempfile.TemporaryDirectory() as tmp:
        job, out = Path(tmp) / "job.json", Path(tmp) / "out.json"
        job.write_text(json.dumps({"texts": texts, "cases": cases,
                                   "checkpoints": {k: str(v) for k, v in dirs.items()}}))
        env = {**os.environ, "PYTHONPATH": "", "HF_HUB_OFFLINE": "1",
               "TOKENIZERS_PARALLELISM": "false"}
        subprocess.run([str(python), str(Path(__file__).resolve()), "--run-v4", str(job), str(out)],
                       check=True, env=env)
        ran = json.loads(out.read_text())
    for case in cases:
        case["expected"] = ran["results"][case["id"]]
    fixture = {
        "made_by": "make golden (tools/golden.py): transformers 4's QuestionAnsweringPipeline, "
                   "models loaded as float32, one thread",
        "versions": ran["versions"],
        "checkpoints": {name: {"sha256": sha256(path / "model.safetensors"),
                               "tokenizer_sha256": sha256(path / "tokenizer.json")}
                        for name, path in dirs.items()},
        "seed": SEED,
        "texts": texts,
        "cases": cases,
    }
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(fixture, ensure_ascii=False, indent=0) + "\n")
    print(f"{len(cases)} cases -> {FIXTURE.relative_to(ROOT)} "
          f"({FIXTURE.stat().st_size / 1e3:.0f} kB) in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-v4", nargs=2, metavar=("JOB", "OUT"),
                        help="(internal) run the cases with the side venv's transformers 4")
    parser.add_argument("--rebuild-tiny", action="store_true",
                        help="build the tiny random BERT anew (its tokenizer will differ)")
    args = parser.parse_args()
    if args.run_v4:
        run_v4(*args.run_v4)
    else:
        main(args.rebuild_tiny)
