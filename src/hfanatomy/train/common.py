"""Shared training plumbing: seeding, threads, timing, progress lines, saving, cards."""

from __future__ import annotations

import hashlib
import json
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from hfanatomy.models import EMBEDDED_DIRS

SEED = 1234
THREADS = 1  # on a shared 2-core machine, 2 threads ran 8x slower than 1 (contention)
DEFAULT_DIRS = EMBEDDED_DIRS


def setup(seed: int = SEED, threads: int = THREADS) -> None:
    """Fix every seed and the thread count (results are bitwise reproducible per thread count)."""
    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)


class Clock:
    """Elapsed seconds since creation, for progress lines and the card."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self) -> float:
        return time.perf_counter() - self.start


def say(*parts: Any) -> None:
    print(*parts, flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def environment() -> dict[str, str]:
    import tokenizers
    import torch
    import transformers

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "threads": str(torch.get_num_threads()),
        "machine": platform.machine(),
    }


def save_model_fp16(model, out: Path) -> None:
    """Save with weights stored in fp16 (half the size); the loader reads them back as float32."""
    import torch

    from hfanatomy.models import quiet

    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    with quiet():
        model.save_pretrained(out, state_dict=state)
    cfg = json.loads((out / "config.json").read_text())
    cfg["dtype"] = "float16"
    (out / "config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")


def write_card(out: Path, card: dict[str, Any]) -> dict[str, Any]:
    """Write card.json with sha256 and size of every other file in ``out`` (notes, ``*.md``,
    left out: they change without retraining)."""
    files = {}
    for path in sorted(out.iterdir()):
        if path.is_file() and path.name != "card.json" and path.suffix != ".md":
            files[path.name] = {"sha256": sha256(path), "bytes": path.stat().st_size}
    card = dict(card)
    card["files"] = files
    card["environment"] = environment()
    card["command"] = "python -m hfanatomy.train " + " ".join(sys.argv[1:])
    (out / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return card


def read_notes(path: Path) -> list[str]:
    """The items of a notes file beside a model (``- `` starts an item, indented lines go
    on with it), each as one line of text: what the card copies."""
    items: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
    return items
