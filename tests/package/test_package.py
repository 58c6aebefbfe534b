"""The package as a reader outside the repository gets it: the lock, the wheel, the sdist.

* The lock (requirements.txt) pins every package with hashes, covers requirements.in and
  the package's own dependencies, and agrees with ``hfanatomy.versions.CHECKED``.
* ``python -m build`` gives a wheel and an sdist that carry every data file of the source
  tree (embedded models, tokenizers, browser assets) and pass ``twine check``.
* Exported notebooks start with the set-up cell (install if missing, check versions). It
  installs the release from PyPI or, until there is one, the branch of the repository that
  _config.yml names; a test installs that fallback from a git repository of this tree
  (about ten seconds, offline).
* ``slow``: a clean venv outside the repository with only the wheel and its dependencies
  runs one exported notebook of each part (the Colab / VS Code reader's path). Run it with
  ``make test-slow`` (or ``pytest -m slow``); it takes about three minutes, most of it pip.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from requirements_lock import lock_pins
from requirements_lock import requirement_name as _name

from chapters import ROOT, stderr_outputs

sys.path.insert(0, str(ROOT / "tools"))
from book_ext import SETUP_TAG, install_sources, setup_source, write_ipynb  # noqa: E402
from hfanatomy import __version__, versions  # noqa: E402

PACKAGE = ROOT / "src" / "hfanatomy"
# one exported notebook of each part for the clean venv (the two are among the quickest)
CLEAN_VENV_CHAPTERS = ["book/part1/02_tokens.md", "book/part2/03_qa_loss.md"]


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


# ---------------------------------------------------------------------------
# the lock
# ---------------------------------------------------------------------------
def test_lock_pins_every_package_with_hashes():
    pins = lock_pins()
    assert len(pins) > 100  # the whole tree, not the top level only
    loose = [n for n, (v, _) in pins.items() if not re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", v)]
    assert not loose, f"not pinned to one version: {loose}"
    unhashed = [n for n, (_, h) in pins.items() if not h or not all(x.startswith("sha256:") for x in h)]
    assert not unhashed, f"no sha256 hash: {unhashed}"
    asked = [_name(line) for line in (ROOT / "requirements.in").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    deps = [_name(d) for d in pyproject()["project"]["dependencies"]]
    missing = sorted(set(asked + deps) - set(pins))
    assert not missing, f"asked for but not in the lock (run `make lock`): {missing}"


def test_lock_keeps_the_cpu_torch_and_the_checked_transformers():
    pins = lock_pins()
    assert pins["torch"][0] == "2.13.0+cpu"
    assert len(pins["torch"][1]) == 1  # the one CPU wheel for Python 3.11 on x86_64
    assert pins["transformers"][0] == versions.CHECKED["transformers"]
    assert pins["jupyter-book"][0] == "1.0.4.post1"


def test_package_version_is_the_one_in_pyproject():
    assert __version__ == pyproject()["project"]["version"]


# ---------------------------------------------------------------------------
# the version note and the set-up cell
# ---------------------------------------------------------------------------
def test_version_note_names_the_fix_when_transformers_differs():
    assert versions.note({"transformers": "5.23.0"}) is None
    assert versions.mismatches({"transformers": "5.23.0+local"}) == []
    text = versions.note({"transformers": "4.57.1"})
    assert "4.57.1" in text and "`%pip install transformers==5.23.0`" in text
    assert text.count("\n") == 0 and text.count(". ") == 0  # one sentence
    assert "not installed" in versions.note({"transformers": None})
    # this environment is the checked one
    assert versions.note() is None


def test_exported_notebook_starts_with_the_setup_cell(tmp_path):
    target = tmp_path / "02_tokens.ipynb"
    write_ipynb(ROOT / "book/part1/02_tokens.md", target)
    nb = json.loads(target.read_text())
    first = nb["cells"][0]
    assert first["cell_type"] == "code" and first["metadata"]["tags"] == [SETUP_TAG]
    source = "".join(first["source"])
    assert source == setup_source()
    assert f'"hfanatomy=={__version__}"' in source
    assert "pip install -e /path/to/hfanatomy" in source and "versions.check()" in source
    # the chapter's own cells follow unchanged, with no second set-up cell
    assert sum(SETUP_TAG in c["metadata"].get("tags", []) for c in nb["cells"]) == 1
    assert "hfanatomy.load_classifier()" in "".join(nb["cells"][2]["source"])


def _cell_sources(cell: str) -> list[str]:
    """The list of pip requirements the set-up cell's loop tries, read from its syntax tree."""
    loops = [n for n in ast.walk(ast.parse(cell)) if isinstance(n, ast.For)
             and isinstance(n.target, ast.Name) and n.target.id == "_source"]
    assert len(loops) == 1 and isinstance(loops[0].iter, ast.List)
    return [ast.literal_eval(e) for e in loops[0].iter.elts]


def test_setup_cell_falls_back_to_the_repository_branch():
    """The release first, then ``git+<repository.url>@<repository.branch>`` of _config.yml
    (the branch the launch buttons open, which carries the package's source): no reader is
    stuck before the first release. The cell is plain Python (no magics) and installs with
    the kernel's own interpreter."""
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    url, branch = repository["url"], repository["branch"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url)
    assert branch and re.fullmatch(r"[\w./-]+", branch)
    cell = setup_source()
    expected = [f"hfanatomy=={__version__}", f"git+{url}@{branch}"]
    assert install_sources() == expected == _cell_sources(cell)
    assert '[sys.executable, "-m", "pip", "install", "--quiet", _source]' in cell
    assert "%" not in cell  # runs as plain Python too (the test below does)
    # another version or repository is written into the same places
    assert _cell_sources(setup_source("9.9.9", ("https://github.com/o/r", "b"))) == [
        "hfanatomy==9.9.9", "git+https://github.com/o/r@b"]


def test_setup_cell_installs_the_branch_when_there_is_no_release(tmp_path):
    """The fallback, offline: a git repository of this tree's package files on the branch
    _config.yml names stands in for GitHub, and the release cannot be found (no index). The
    cell runs where hfanatomy is not importable (``python -S``, with this venv's
    site-packages on the path for pip, setuptools and transformers), pip installs with
    ``--target`` (PIP_TARGET), without dependencies or build isolation (they are here)."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    t0 = time.perf_counter()
    branch = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["branch"]
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "src", repo / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, repo / name)
    quiet = {"capture_output": True, "check": True, "cwd": repo}
    subprocess.run([git, "init", "-q", "-b", branch], **quiet)
    subprocess.run([git, "add", "-A"], **quiet)
    subprocess.run([git, "-c", "user.name=hfanatomy", "-c", "user.email=test@hfanatomy.invalid",
                    "commit", "-q", "-m", "the package"], **quiet)

    target = tmp_path / "target"
    target.mkdir()
    site_packages = next(p for p in sys.path if p.endswith("site-packages")
                         and (Path(p) / "transformers").is_dir())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.update(PYTHONPATH=f"{target}{os.pathsep}{site_packages}", PIP_TARGET=str(target),
               PIP_NO_INDEX="1", PIP_NO_DEPS="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_CACHE_DIR="1",
               PIP_NO_BUILD_ISOLATION="0")  # pip reads this "no" option inverted: 0 = off
    cell = setup_source(__version__, (repo.as_uri(), branch))
    assert _cell_sources(cell)[1] == f"git+file://{repo}@{branch}"
    done = subprocess.run([sys.executable, "-S", "-c", cell + "\nprint(hfanatomy.__file__)"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines == [f"pip install hfanatomy=={__version__} -> failed",
                     f"pip install git+file://{repo}@{branch} -> done",
                     str(target / "hfanatomy" / "__init__.py")], done.stdout
    # the installed package carries its data files (the embedded models)
    assert (target / "hfanatomy" / "embedded" / "qa" / "model.safetensors").is_file()
    print(f"\nfallback install from a git branch: {time.perf_counter() - t0:.1f} s")


# ---------------------------------------------------------------------------
# wheel and sdist
# ---------------------------------------------------------------------------
# what only `make models` and the tests read, from a clone: the rated lexicons and clause
# banks the review generator writes from, and the frozen held-out sets (2.5 MB)
TRAINING_ONLY = ("hfanatomy/train/lexicons/", "hfanatomy/train/frozen/",
                 "hfanatomy/train/real_reviews/")


def _data_files() -> list[str]:
    """Every non-Python file of the package's source tree, relative to src/, except the
    training-only inputs (``TRAINING_ONLY``)."""
    return sorted(
        str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
        and not str(p.relative_to(PACKAGE.parent)).startswith(TRAINING_ONLY)
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """Wheel and sdist built from a copy of the tree (the build leaves nothing in the repo)."""
    tree = tmp_path_factory.mktemp("tree")
    shutil.copytree(ROOT / "src", tree / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "-o", str(out), str(tree)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_wheel_and_sdist_carry_models_tokenizers_and_assets(dist):
    wheel, = dist.glob(f"hfanatomy-{__version__}-py3-none-any.whl")
    sdist, = dist.glob(f"hfanatomy-{__version__}.tar.gz")
    data = _data_files()
    assert any(f.endswith("embedded/qa/model.safetensors") for f in data)
    assert any(f.endswith("embedded/classifier/tokenizer.json") for f in data)
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    assert not [f for f in data if f not in in_wheel]
    assert "hfanatomy/versions.py" in in_wheel
    with tarfile.open(sdist) as tf:
        in_sdist = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    assert not [f for f in data if f"src/{f}" not in in_sdist]
    print(f"\nwheel {wheel.stat().st_size / 1e6:.2f} MB, sdist {sdist.stat().st_size / 1e6:.2f} MB")


def test_twine_check_passes(dist):
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


# ---------------------------------------------------------------------------
# a clean venv outside the repository
# ---------------------------------------------------------------------------
@pytest.mark.slow
def test_exported_notebooks_run_in_a_clean_venv_with_only_the_wheel(dist, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    t0 = time.perf_counter()
    assert not tmp_path.is_relative_to(ROOT)
    # nothing from the repository: with src/ on PYTHONPATH pip would call hfanatomy installed
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.chdir(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # the lock's versions as constraints: the wheel's dependencies resolve to the tested stack
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("".join(f"{n}=={v}\n" for n, (v, _) in lock_pins().items()))
    wheel, = dist.glob("*.whl")
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-compile", "-c", str(constraints),
         "--find-links", str(dist), str(wheel), "ipykernel"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    t_install = time.perf_counter() - t0

    # a kernel running the clean venv's Python, found through JUPYTER_PATH
    spec = tmp_path / "jupyter" / "kernels" / "hfclean"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "hfanatomy clean venv", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))

    for chapter in CLEAN_VENV_CHAPTERS:
        target = tmp_path / "notebooks" / Path(chapter).with_suffix(".ipynb").name
        write_ipynb(ROOT / chapter, target)
        nb = nbformat.read(target, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell("import hfanatomy, transformers\n"
                                         "print(hfanatomy.__file__, transformers.__version__)"))
        NotebookClient(nb, timeout=600, kernel_name="hfclean",
                       resources={"metadata": {"path": str(target.parent)}}).execute()
        errors = [o.get("ename") for c in nb.cells for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, f"{chapter}: {errors}"
        assert not stderr_outputs(nb), f"{chapter}: {stderr_outputs(nb)}"
        assert not nb.cells[0].get("outputs"), "the set-up cell printed (install or version note)"
        where = "".join(o.get("text", "") for o in nb.cells[-1]["outputs"])
        assert where.startswith(str(venv)) and where.split()[-1] == versions.CHECKED["transformers"]
    print(f"\nclean venv: install {t_install:.0f} s, total {time.perf_counter() - t0:.0f} s")
