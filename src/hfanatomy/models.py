"""Loading the two models the book opens up, embedded or from any checkpoint.

``load_classifier()`` and ``load_qa()`` return ``(model, tokenizer)``:

- ``checkpoint=None`` gives the small trained model shipped inside the package
  (``hfanatomy/embedded/classifier`` or ``hfanatomy/embedded/qa``), unless the
  environment variable ``HFANATOMY_CLASSIFIER`` / ``HFANATOMY_QA`` names another
  checkpoint for the whole book;
- a local directory or a Hub id goes to ``from_pretrained``.

Every load uses eager attention (so ``output_attentions=True`` returns tensors:
``attn_implementation`` is not saved in ``config.json``, it must be asked for at
each load), float32 weights (a checkpoint stored in fp16 would otherwise load as
fp16), safetensors only, never remote code, eval mode, CPU unless ``device=`` is
given, and prints nothing (transformers 5 draws a "Loading weights" bar on stderr).

Without a network, ``from_pretrained("some/id")`` spends tens of seconds in
retries before failing; the loader instead checks in well under a second
whether the Hub can be reached and fails with one clear message.

``describe(model, tokenizer)`` says what was loaded (tokenizer kind, sizes,
labels) so that chapters adapt to whatever checkpoint they get.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import warnings
from pathlib import Path
from typing import Any

EMBEDDED_DIR = Path(__file__).resolve().parent / "embedded"
CLASSIFIER_DIR = EMBEDDED_DIR / "classifier"
QA_DIR = EMBEDDED_DIR / "qa"
EMBEDDED_DIRS = {"classifier": CLASSIFIER_DIR, "qa": QA_DIR}

CLASSIFIER_ENV = "HFANATOMY_CLASSIFIER"
QA_ENV = "HFANATOMY_QA"

#: seconds the Hub reachability probe may take before the Hub counts as unreachable
HUB_PROBE_TIMEOUT = 4.0

__all__ = [
    "load_classifier",
    "load_qa",
    "describe",
    "resolve_checkpoint",
    "HubUnreachableError",
    "CLASSIFIER_DIR",
    "QA_DIR",
]


class HubUnreachableError(ConnectionError):
    """The checkpoint is a Hub id, it is not cached, and the Hub cannot be reached."""


# ---------------------------------------------------------------------------
# silence
# ---------------------------------------------------------------------------
@contextlib.contextmanager
def quiet():
    """Silence transformers' and huggingface_hub's logging and progress bars; restore after."""
    import huggingface_hub.utils as hf_utils
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bar_on = hf_logging.is_progress_bar_enabled()
    hub_bars_off = hf_utils.are_progress_bars_disabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    hf_utils.disable_progress_bars()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bar_on:
            hf_logging.enable_progress_bar()
        if not hub_bars_off:
            hf_utils.enable_progress_bars()


# ---------------------------------------------------------------------------
# where does a checkpoint come from?
# ---------------------------------------------------------------------------
def _looks_like_path(name: str) -> bool:
    """A Hub id is ``name`` or ``owner/name``; anything else that is not a Hub id is a path."""
    return (
        name.startswith(("/", "./", "../", "~", "."))
        or "\\" in name
        or name.count("/") > 1
        or name.endswith("/")
        or Path(name).exists()
    )


def _hub_offline_flag() -> bool:
    value = os.environ.get("HF_HUB_OFFLINE", "") or os.environ.get("TRANSFORMERS_OFFLINE", "")
    return value.strip().upper() in {"1", "ON", "YES", "TRUE"}


def _is_cached(repo_id: str, revision: str | None) -> bool:
    from huggingface_hub import try_to_load_from_cache

    try:
        hit = try_to_load_from_cache(repo_id, "config.json", revision=revision)
    except Exception:  # invalid id etc.
        return False
    return isinstance(hit, str)


def _probe_hub(repo_id: str, revision: str | None, timeout: float) -> str | None:
    """Return None if the Hub answers for ``repo_id``, else a short reason.

    Runs in a worker thread with a hard deadline, so a hanging DNS lookup or proxy
    cannot stall a notebook.
    """
    from huggingface_hub import model_info
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    def probe() -> str | None:
        try:
            model_info(repo_id, revision=revision, timeout=timeout)
            return None
        except GatedRepoError:
            return None  # reachable; from_pretrained will explain the gate (token needed)
        except RepositoryNotFoundError:
            return "not-found"
        except Exception as exc:  # connection refused, DNS failure, timeout, proxy...
            return f"unreachable: {type(exc).__name__}: {exc}"

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(probe).result(timeout=timeout + 1.0)
    except concurrent.futures.TimeoutError:
        return f"unreachable: no answer within {timeout:.0f} s"
    finally:
        pool.shutdown(wait=False)


def resolve_checkpoint(
    checkpoint: str | os.PathLike | None, env_var: str, embedded: Path, loader: str,
    revision: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """Decide what ``from_pretrained`` gets: ``(name_or_path, extra_kwargs)``.

    Raises ``FileNotFoundError`` for a local path that does not exist,
    ``HubUnreachableError`` for a Hub id that is neither cached nor reachable,
    ``ValueError`` for a Hub id the Hub does not know.
    """
    source = "argument"
    if checkpoint is None:
        checkpoint = os.environ.get(env_var) or None
        source = f"environment variable {env_var}"
    if checkpoint is None or str(checkpoint).strip().lower() in {"", "embedded"}:
        if not (embedded / "config.json").is_file():
            raise FileNotFoundError(
                f"The embedded checkpoint is missing from {embedded}. Regenerate it with "
                "`python -m hfanatomy.train all` (or reinstall the package)."
            )
        return str(embedded), {}
    if not isinstance(checkpoint, (str, os.PathLike)):
        raise TypeError(
            f"checkpoint must be None (the embedded model), a local directory or a Hub id "
            f"string; got {type(checkpoint).__name__}."
        )
    name = os.fspath(checkpoint)
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise FileNotFoundError(
                f"{name!r} (from the {source}) is a directory but holds no config.json; "
                "save a model there with model.save_pretrained(dir) and "
                "tokenizer.save_pretrained(dir)."
            )
        return str(path), {}
    if isinstance(checkpoint, os.PathLike) or _looks_like_path(name):
        raise FileNotFoundError(
            f"No local checkpoint directory at {name!r} (from the {source}): the path does "
            f"not exist or is not a directory. Pass an existing directory written by "
            f"save_pretrained, a Hub id such as 'roberta-base', or nothing: {loader}() "
            "loads the model embedded in the package."
        )
    # a Hub id
    how_to = (
        f"Use the model embedded in the package with {loader}() (and unset {env_var}), or "
        f"pass a local directory written by save_pretrained: {loader}('/path/to/dir')."
    )
    if _is_cached(name, revision):
        if _hub_offline_flag():
            return name, {"local_files_only": True}
        reason = _probe_hub(name, revision, HUB_PROBE_TIMEOUT)
        return name, ({"local_files_only": True} if reason and reason != "not-found" else {})
    if _hub_offline_flag():
        raise HubUnreachableError(
            f"Cannot load {name!r} (from the {source}): it is not in the local Hugging Face "
            f"cache and the Hugging Face Hub is unreachable (HF_HUB_OFFLINE is set). {how_to}"
        )
    reason = _probe_hub(name, revision, HUB_PROBE_TIMEOUT)
    if reason == "not-found":
        raise ValueError(
            f"{name!r} (from the {source}) is neither a local directory nor a model on the "
            f"Hugging Face Hub (the Hub answered 'repository not found'; private repos need "
            f"a token). {how_to}"
        )
    if reason is not None:
        raise HubUnreachableError(
            f"Cannot load {name!r} (from the {source}): it is not in the local Hugging Face "
            f"cache and the Hugging Face Hub is unreachable ({reason}). {how_to}"
        )
    return name, {}


# ---------------------------------------------------------------------------
# loaders
# ---------------------------------------------------------------------------
def _load(
    auto_model: str, checkpoint, env_var: str, embedded: Path, loader: str,
    device=None, tokenizer: str | None = None, **kw,
):
    import torch
    import transformers

    for forced in ("trust_remote_code", "use_safetensors", "attn_implementation"):
        if forced in kw:
            raise TypeError(
                f"{loader}() does not accept {forced}=: it always loads safetensors with eager "
                "attention and never runs remote code."
            )
    dtype = kw.pop("dtype", None) or kw.pop("torch_dtype", None) or torch.float32
    name, extra = resolve_checkpoint(checkpoint, env_var, embedded, loader, kw.get("revision"))
    tok_kw = {k: kw[k] for k in ("revision", "token", "cache_dir") if k in kw}
    tok_kw.update(extra)
    with quiet():
        model = getattr(transformers, auto_model).from_pretrained(
            name,
            attn_implementation="eager",
            dtype=dtype,
            use_safetensors=True,
            trust_remote_code=False,
            **extra,
            **kw,
        )
        tok = transformers.AutoTokenizer.from_pretrained(
            tokenizer or name, trust_remote_code=False, **tok_kw
        )
    model.eval()
    if device is not None:
        model.to(device)
    return model, tok


def load_classifier(checkpoint: str | os.PathLike | None = None, **kw):
    """Return ``(model, tokenizer)`` for sequence classification.

    ``checkpoint=None``: the embedded small ``RobertaForSequenceClassification``
    (byte-level BPE tokenizer, labels negative/positive) unless ``HFANATOMY_CLASSIFIER``
    names another one. Extra keywords (``device=``, ``revision=``, ``num_labels=``...)
    go to ``from_pretrained``; ``tokenizer=`` loads the tokenizer from elsewhere.
    """
    return _load(
        "AutoModelForSequenceClassification", checkpoint, CLASSIFIER_ENV, CLASSIFIER_DIR,
        "load_classifier", **kw,
    )


def load_qa(checkpoint: str | os.PathLike | None = None, **kw):
    """Return ``(model, tokenizer)`` for extractive question answering.

    ``checkpoint=None``: the embedded small ``BertForQuestionAnswering`` (WordPiece
    tokenizer) unless ``HFANATOMY_QA`` names another one (e.g.
    ``deepset/roberta-base-squad2``).
    """
    return _load(
        "AutoModelForQuestionAnswering", checkpoint, QA_ENV, QA_DIR, "load_qa", **kw,
    )


# ---------------------------------------------------------------------------
# what was loaded
# ---------------------------------------------------------------------------
def tokenizer_kind(tokenizer) -> str:
    """'byte-level BPE', 'BPE', 'WordPiece', 'Unigram' or the tokenizer class name."""
    backend = getattr(tokenizer, "backend_tokenizer", None) or getattr(tokenizer, "_tokenizer", None)
    if backend is None:
        return type(tokenizer).__name__
    model_type = type(backend.model).__name__  # BPE / WordPiece / Unigram / WordLevel
    if model_type == "BPE":
        pre = backend.pre_tokenizer
        text = repr(pre) if pre is not None else ""
        return "byte-level BPE" if "ByteLevel" in text else "BPE"
    return model_type


def _embedded_name(model) -> str | None:
    where = str(getattr(model, "name_or_path", "") or model.config._name_or_path)
    try:
        resolved = Path(where).resolve()
    except (OSError, ValueError):
        return None
    for name, folder in EMBEDDED_DIRS.items():
        if resolved == folder:
            return name
    return None


def card(model) -> dict[str, Any] | None:
    """The ``card.json`` of an embedded model (recipe, held-out scores...), or None for others.

    Chapters print scores from here, so what the book says about the shipped model is
    always what the shipped file says.
    """
    name = _embedded_name(model)
    if name is None:
        return None
    return json.loads((EMBEDDED_DIRS[name] / "card.json").read_text(encoding="utf-8"))


def describe(model, tokenizer) -> dict[str, Any]:
    """What was loaded, as a plain dict chapters can read instead of hard-coding sizes.

    Keys: checkpoint, is_embedded, architecture, model_type, tokenizer_class, tokenizer_kind,
    vocab_size, num_layers, hidden_size, num_heads, head_dim, intermediate_size,
    max_position_embeddings, num_parameters, labels (id -> name, classifiers only),
    special_tokens (name -> (token, id)), attn_implementation, dtype.
    """
    cfg = model.config
    embedded = _embedded_name(model)
    heads = cfg.num_attention_heads
    special = {}
    for attr in ("cls_token", "bos_token", "sep_token", "eos_token", "pad_token", "unk_token",
                 "mask_token"):
        tok = getattr(tokenizer, attr, None)
        if tok is not None:
            special[attr.removesuffix("_token")] = (str(tok), tokenizer.convert_tokens_to_ids(str(tok)))
    labels = None
    if type(model).__name__.endswith("ForSequenceClassification"):
        labels = {int(i): str(n) for i, n in cfg.id2label.items()}
    first = next(model.parameters())
    return {
        "checkpoint": f"embedded:{embedded}" if embedded else str(
            getattr(model, "name_or_path", "") or cfg._name_or_path
        ),
        "is_embedded": embedded is not None,
        "architecture": type(model).__name__,
        "model_type": cfg.model_type,
        "tokenizer_class": type(tokenizer).__name__,
        "tokenizer_kind": tokenizer_kind(tokenizer),
        "vocab_size": cfg.vocab_size,
        "num_layers": cfg.num_hidden_layers,
        "hidden_size": cfg.hidden_size,
        "num_heads": heads,
        "head_dim": cfg.hidden_size // heads,
        "intermediate_size": cfg.intermediate_size,
        "max_position_embeddings": cfg.max_position_embeddings,
        "num_parameters": sum(p.numel() for p in model.parameters()),
        "labels": labels,
        "special_tokens": special,
        "attn_implementation": cfg._attn_implementation,
        "dtype": str(first.dtype).removeprefix("torch."),
    }
