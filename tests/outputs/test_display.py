"""The data layer imports no drawing; in IPython, data objects still show as HTML."""

from __future__ import annotations

import subprocess
import sys


def test_data_modules_import_no_drawing():
    code = ("import sys, hfanatomy.tokens, hfanatomy.modeltree, hfanatomy.positions, "
            "hfanatomy.attention, hfanatomy.losses, hfanatomy.qa\n"
            "bad = [m for m in sys.modules if m.startswith(('hfanatomy.explorers', "
            "'hfanatomy.plots', 'hfanatomy.display', 'hfanatomy.web', 'matplotlib.pyplot'))]\n"
            "print(bad); assert not bad, bad")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ipython_draws_token_tables_and_trees():
    """A shown TokenTable or ModuleNode is a recorded explorer: the anywidget view in a kernel,
    the live root (kind tokens / modeltree, the object's data, no Python drawing) on the site,
    its own text as text/plain."""
    import json
    import re

    from IPython.core.interactiveshell import InteractiveShell

    from hfanatomy import display, load_classifier
    from hfanatomy.modeltree import module_tree
    from hfanatomy.tokens import token_table

    def spec(html: str) -> dict:
        found = re.search(r'<script type="application/json" data-hfa-model>(.*?)</script>', html)
        return json.loads(found.group(1).replace("<\\/", "</"))

    shell = InteractiveShell.instance()
    assert display.register(shell)
    model, tok = load_classifier()
    table = token_table(tok, "The food was never good.")
    data, _ = shell.display_formatter.format(table)
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == str(table)
    html = data["text/html"]
    assert 'data-hfa-live="tokens" data-hfa-needs=""' in html and "<table" not in html
    shown = spec(html)
    assert shown["state"]["text"] == "The food was never good." and shown["config"]["examples"] == {}
    assert [r["id"] for r in shown["data"]["sequences"][0]] == table.input_ids[0]
    tree = module_tree(model)
    data, _ = shell.display_formatter.format(tree)
    assert "application/vnd.jupyter.widget-view+json" in data
    html = data["text/html"]
    assert 'data-hfa-live="modeltree"' in html and "<details" not in html
    assert spec(html)["data"]["tree"]["cls"] == "RobertaForSequenceClassification"
    assert spec(html)["data"]["total"] == tree.total_params
