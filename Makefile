# hfanatomy: `make book` builds the site, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going
# JupyterLab refuses to run as root unless told to (containers, CI machines)
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: book test lab notebooks models clean venv benchmarks golden

venv: $(STAMP)

# Re-install only when requirements.txt or pyproject.toml changed.
$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Builds _build/html. Exits non-zero when any chapter raises or Sphinx warns.
book: $(STAMP)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "Site: _build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# JupyterLab where the .md chapters open as notebooks (jupytext). JupyterLab itself is
# installed on first use: the book and the tests do not need it.
lab: $(STAMP)
	@test -x $(BIN)/jupyter-lab || $(BIN)/python -m pip install --quiet jupyterlab
	$(BIN)/jupyter lab --ServerApp.contents_manager_class=jupytext.TextFileContentsManager $(LAB_FLAGS)

# Exports every chapter to .ipynb under _build/notebooks (for Colab / VS Code users).
notebooks: $(STAMP)
	$(BIN)/python tools/export_notebooks.py _build/notebooks

# Regenerates every shipped file (tokenizers, classifier, QA model) from a fixed seed.
models: $(STAMP)
	$(BIN)/python -m hfanatomy.train all

# Asks transformers 4's question-answering pipeline (in a side venv, made on first use)
# for the golden answers tests/test_qa_golden.py holds hfanatomy.qa to. Re-run after
# retraining the embedded QA model.
golden: $(STAMP)
	$(BIN)/python tools/golden.py

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf _build .pytest_cache
