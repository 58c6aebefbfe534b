"""Every live explorer of the site says in one line which model runs, and links to the
appendix page "The two models"; a recorded one (another checkpoint) does not."""

from __future__ import annotations

from pathlib import Path

import hfanatomy
from hfanatomy.explorers import live
from hfanatomy.explorers.logits import LogitsExplorer
from hfanatomy.explorers.windows import WindowsExplorer

ROOT = Path(__file__).resolve().parents[2]


def test_live_explorers_name_their_model_and_link_the_models_page():
    model, tok = hfanatomy.load_classifier()
    html = LogitsExplorer(model, tok, ["A gem."]).static_html()
    assert 'data-hfa-model-line="classifier"' in html
    assert live.MODEL_LINES["classifier"] in html
    assert f'href="{live.MODELS_PAGE}"' in html
    _, qa_tok = hfanatomy.load_qa()
    html = WindowsExplorer(qa_tok, "Where?", "Ana lives in Porto.").static_html()
    assert 'data-hfa-model-line="qa"' in html
    # the link resolves from the chapters' folders to the appendix page in _toc.yml
    page = (ROOT / "book" / "part1" / live.MODELS_PAGE).resolve()
    assert page.with_suffix(".md").relative_to(ROOT).as_posix() == "book/appendix/models.md"
    assert "book/appendix/models" in (ROOT / "_toc.yml").read_text()
