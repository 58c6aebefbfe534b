# hfanatomy: `make book` builds the site, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going
# JupyterLab refuses to run as root unless told to (containers, CI machines)
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

# requirements.in lists what we ask for; requirements.txt is the lock pip-compile makes from it
LOCK_TOOLS := $(VENV)/pip-tools
PIP_TOOLS := pip-tools==7.6.2
LOCK_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links

# The venv's bytecode is written on first import (see --no-compile below): a
# PYTHONDONTWRITEBYTECODE in the caller's environment would have every process, every kernel
# included, compile torch and transformers again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: book test test-fast test-slow lab notebooks models clean venv benchmarks lock golden

venv: $(STAMP)

# Re-install only when the lock or pyproject.toml changed. Every package comes from the lock,
# checked against its hashes; the project itself goes in editable, without dependencies
# (hash mode refuses `-e .`, and the lock already holds all it needs). --no-compile: pip would
# compile all 14,000 modules of the lock to bytecode, 33 of a 78 s install on 2 cores, most of
# them never imported (transformers' other models, sympy); Python compiles a module the first
# time it is imported and keeps the bytecode, since every recipe here may write it (below).
$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile --require-hashes -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Regenerates the lock (requirements.txt) from requirements.in: exact versions and hashes.
# Versions already in the lock are kept when they still fit; `make lock UPGRADE=1` takes the
# newest releases. pip-tools lives in its own small venv so it never changes the book's.
lock:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/python -m pip install --quiet $(PIP_TOOLS); }
	$(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(if $(UPGRADE),--upgrade) -o requirements.txt requirements.in

# Builds _build/html. Exits non-zero when any chapter raises or Sphinx warns. The chapters
# not in the execution cache run first, BOOK_JOBS at a time (tools/execute_chapters.py);
# jupyter-book then renders them from the cache (a chapter that failed there, it runs again
# and reports).
BOOK_JOBS ?= 2
book: $(STAMP)
	$(BIN)/python tools/execute_chapters.py --jobs $(BOOK_JOBS)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "Site: _build/html/index.html"

# Two pytest-xdist workers (the machines have 2 cores; TEST_WORKERS=0 runs in one process).
# --dist loadfile keeps each test file on one worker, so module fixtures are built once (but
# tests/site/, handed out a test at a time: tests/helpers/scheduling.py), and
# --no-loadscope-reorder hands them out in collection order, where tests/conftest.py puts
# those that need the built site last; the site build starts in the first worker and serves
# both (tests/helpers/sitebuild.py).
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# The inner loop: no browser, no site build, no kernel (markers given by tests/conftest.py)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not slow and not browser and not site and not kernel"

# The minutes-long end-to-end checks (marked slow): the wheel in a clean venv, JupyterLab.
test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

# JupyterLab where a double-click opens a .md chapter as a notebook (jupytext): JupyterLab's
# default viewer for Markdown and MyST becomes "Jupytext Notebook", through a settings override
# (tools/lab/overrides.json) installed into the venv's JupyterLab; JupyterLab is in the lock.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.d/hfanatomy.json
lab: $(STAMP)
	install -D -m 644 tools/lab/overrides.json $(LAB_OVERRIDES)
	$(BIN)/jupyter lab --ServerApp.contents_manager_class=jupytext.TextFileContentsManager $(LAB_FLAGS)

# Exports every chapter to .ipynb under _build/notebooks (for Colab / VS Code users).
notebooks: $(STAMP)
	$(BIN)/python tools/export_notebooks.py _build/notebooks

# Regenerates every shipped file (tokenizers, classifier, QA model) from a fixed seed.
models: $(STAMP)
	$(BIN)/python -m hfanatomy.train all

# Asks transformers 4's question-answering pipeline (in a side venv, made on first use)
# for the golden answers tests/qa/test_qa_golden.py holds hfanatomy.qa to. Re-run after
# retraining the embedded QA model.
golden: $(STAMP)
	$(BIN)/python tools/golden.py

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build .pytest_cache
