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
    from IPython.core.interactiveshell import InteractiveShell

    from hfanatomy import display, load_classifier
    from hfanatomy.modeltree import module_tree
    from hfanatomy.tokens import token_table

    shell = InteractiveShell.instance()
    assert display.register(shell)
    model, tok = load_classifier()
    data, _ = shell.display_formatter.format(token_table(tok, "The food was never good."))
    assert 'data-col="id"' in data["text/html"] and "never" in data["text/html"]
    tree, _ = shell.display_formatter.format(module_tree(model))
    assert "RobertaForSequenceClassification" in tree["text/html"]
