"""Shared test set-up: put the builders and harnesses of ``tests/helpers/`` on ``sys.path``
(``from tiny import ...``, ``from live import ...``), keep everything offline, and hold every
fixture the test modules share.

The tests are laid out by feature (``tokens/``, ``positions/``, ``attention/``, ``head/``,
``losses/``, ``outputs/``, ``qa/``, ``training/``, ``web/``, ``site/``, ``book/``,
``package/``); no test module imports another. Basenames stay unique across the folders
(pytest's default ``prepend`` import mode, no ``__init__.py``).

When any collected test needs the built site, the build starts in the background right
after collection, so the chapters execute for the site while the other tests run.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# One torch thread in this process and in every process it starts (the site build's kernels,
# the chapters' kernels): the build executes chapters while the tests run, and two processes
# each spinning two OpenMP threads on two cores ran the tiny models up to seven times slower
# (Part I ch8 on the foreign checkpoint: 92 s beside the build, 13 s alone).
os.environ.setdefault("OMP_NUM_THREADS", "1")

_build = None


#: tests that start Jupyter kernels themselves (chapters in nbclient, a wheel's venv, a
#: book build of their own): module names (book/test_foreign_checkpoints.py,
#: package/test_package.py), or module::function (site/test_site.py)
KERNEL_TESTS = {"test_foreign_checkpoints", "test_package",
                "test_site::test_a_broken_chapter_fails_the_build"}


def feature_markers(item) -> set[str]:
    """The markers a test gets from what it needs: ``browser`` (headless Chromium), ``site``
    (the built book), ``kernel`` (a Jupyter kernel or JupyterLab)."""
    needs = set(getattr(item, "fixturenames", ()))
    marks = set()
    if "browser" in needs:
        marks.add("browser")
    if "site" in needs:
        marks.add("site")
    module = item.module.__name__
    if "lab" in needs or module in KERNEL_TESTS \
            or f"{module}::{getattr(item, 'originalname', item.name)}" in KERNEL_TESTS:
        marks.add("kernel")
    return marks


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Mark each test by what it needs (before ``-m`` selects), then put the test files that
    need the built site last, so the build overlaps all the others; among them the browser
    passes (the long ones) go first and the quick checks of the HTML last, so that the two
    workers, which take the site tests one at a time (tests/helpers/scheduling.py), end
    together."""
    for item in items:
        for name in feature_markers(item):
            item.add_marker(name)
    later = {i.nodeid.split("::")[0] for i in items if "site" in getattr(i, "fixturenames", ())}
    site = [i for i in items if i.nodeid.split("::")[0] in later]
    site.sort(key=lambda i: i.get_closest_marker("browser") is None)  # stable
    items[:] = [i for i in items if i.nodeid.split("::")[0] not in later] + site


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (``make test``) hands out a file at a time, but the tests under
    tests/site/ one at a time (tests/helpers/scheduling.py)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from scheduling import FilesThenSiteTests

    return FilesThenSiteTests(config, log)


def pytest_collection_finish(session):
    """Start the build only when a test that will run (after -k/-m selection) needs it.
    Under pytest-xdist the first worker starts it and the others share it."""
    global _build
    if any("site" in getattr(item, "fixturenames", ()) for item in session.items):
        from sitebuild import Build, SharedBuild, shared_folder

        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker is None:
            _build = Build()
        else:
            folder = shared_folder(os.environ["PYTEST_XDIST_TESTRUNUID"])
            _build = Build(out=folder) if worker == "gw0" else SharedBuild(folder)
            # the build is the longest path (every site test waits for it): the workers,
            # and whatever they start, yield the cores to it while it runs
            os.nice(10)


def pytest_sessionfinish(session, exitstatus):
    """A run that stops early (-x, Ctrl-C) must not leave the build executing chapters. A
    pytest-xdist worker that finishes its share first lets the build end, since the other
    workers may still wait for it."""
    if _build is None:
        return
    if os.environ.get("PYTEST_XDIST_WORKER") and exitstatus != pytest.ExitCode.INTERRUPTED:
        _build.wait()
    _build.stop()


@pytest.fixture(scope="module")
def one_thread():
    """Tiny models run fastest on one thread on a busy machine; restore the setting after.

    A module that builds tiny models asks for it once for all its tests:
    ``pytestmark = pytest.mark.usefixtures("one_thread")``."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run, shared by every browser test.

    Playwright's sync API runs one instance per thread: a second ``sync_playwright()``
    opened while another is alive fails ("Sync API inside the asyncio loop").
    """
    from web_pages import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (.ci/run installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, "--no-first-run"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(site):
    """The built site over http on 127.0.0.1: its base URL, without a trailing slash."""
    from web_pages import http_server

    with http_server(site.html) as base:
        yield base.rstrip("/")


@pytest.fixture(scope="session")
def site():
    if _build is None:  # pragma: no cover - only when collection did not start it
        pytest.skip("site build was not started")
    built = _build.wait()
    root = Path(__file__).resolve().parents[1]
    (root / "_build").mkdir(exist_ok=True)
    (root / "_build" / "test-build.log").write_text(built.log)
    print(f"\nbook built in {built.seconds:.1f} s")
    return built


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab started as `make lab` starts it (tests/package/test_lab.py), shared by the
    slow kernel tests of the session: its URL."""
    from lab_harness import CHROMIUM, INSTALLED, OVERRIDES, ROOT, TOKEN, free_port

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    pytest.importorskip("jupyterlab")
    INSTALLED.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(OVERRIDES, INSTALLED)  # what `make lab` does
    port = free_port()
    home = tmp_path_factory.mktemp("lab-home")  # no user settings, workspaces or history
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={ROOT / 'book'}",
           "--ServerApp.contents_manager_class=jupytext.TextFileContentsManager",
           "--allow-root"]
    log = open(home / "lab.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        assert proc.poll() is None, (home / "lab.log").read_text()[-3000:]
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
