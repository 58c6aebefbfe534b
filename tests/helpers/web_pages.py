"""Helpers for the browser runtime tests and benchmark: a page that loads the runtime and
both embedded models, Chromium, a local http server, and many test texts.

``runtime_page(folder)`` writes the generated assets (``hfanatomy.web.write_assets``) and an
``index.html`` loading them with script tags, the way a built page does.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import random
import threading
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
#: the one request a built page may send off the site: the theme loads MathJax from a CDN on
#: pages with math (the tests abort it)
ALLOWED_EXTERNAL = ("mathjax",)

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>hfa runtime</title>
<link rel="icon" href="data:,"></head>
<body><script src="hfa-runtime.js"></script><script src="hfa-classifier.js"></script>
<script src="hfa-qa.js"></script></body></html>
"""


def runtime_page(folder: Path) -> Path:
    """Write the assets and index.html into ``folder``; return the page's path."""
    from hfanatomy.web import write_assets

    write_assets(folder)
    page = folder / "index.html"
    page.write_text(PAGE, encoding="utf-8")
    return page


@contextlib.contextmanager
def http_server(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads, server.block_on_close = True, False  # keep-alive must not block
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request log on stderr
        pass


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


#: in a page: every live explorer has drawn its first state, or says why it could not
EXPLORERS_DRAWN = """() => [...document.querySelectorAll('[data-hfa-live]')]
    .every((r) => r.dataset.hfaReady || r.dataset.hfaError)"""


def site_only(context, base: str) -> None:
    """Let ``context``'s pages load from ``base`` (and data: URLs) only; every other request
    is refused, as a reader with no internet would see it."""
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        (base, "data:")) else route.abort())


def recorded(page):
    """``page`` with its console errors in ``page.errors`` and the URLs it requests in
    ``page.requests`` from now on; returns it."""
    page.errors, page.requests = [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    return page


def open_page(browser, url: str):
    """A page at ``url`` with its console errors and requests recorded; waits for the runtime."""
    page = recorded(browser.new_page())
    page.goto(url)
    page.evaluate("async () => { await globalThis.hfaRuntime; }")
    return page


# ---------------------------------------------------------------------------
# texts
# ---------------------------------------------------------------------------
ENGLISH = [
    "The acting was great, but the movie was not good.", "I did not enjoy it at all.",
    "Although the plot was thin, the music was wonderful.", "The food was never good",
    "A boring film; however, the ending was lovely.", "What a wonderful, warm and funny story.",
    "The service was slow and the food was cold.", "Who wrote the book?",
    "The book was written by Mary Shelley, who lived in London and Geneva.",
    "When did the war end?", "It's not bad... it's actually GREAT!!!", "don't won't can't y'all",
    "Antidisestablishmentarianism is a long word", "e-mail me at someone@example.com, ok?",
    "$5.00 or 12,345.67 euros (VAT incl.) - 50% off", "3.14159 2026-12-01 10:30am #hashtag",
    "Pneumonoultramicroscopicsilicovolcanoconiosis", "naïve café, Ångström, façade, résumé",
    "İstanbul ΣΟΦΊΑ Straße ǅemal", "URL: https://example.org/a?b=c&d=e#f",
]
KOREAN = ["영화는 정말 재미있었다", "음식이 너무 맛없어요.", "이 책은 누가 썼나요?",
          "배우들의 연기가 훌륭했지만 줄거리는 지루했다", "서울과 부산", "ㅋㅋㅋ 최고!"]
OTHER = ["中文字符和标点。", "日本語のテキスト、カタカナ", "Привет, мир!", "مرحبا بالعالم",
         "עברית", "Ελληνικά", "हिन्दी", "ไทย"]
EMOJI = ["😀", "👍🏽", "👨\u200d👩\u200d👧", "🇰🇷", "❤️", "🎉🎉🎉", "🙂 ok", "a😀b"]
SPACES = ["  ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u3000", " \t \n ", "\u2003", "\u200b"]
#: special tokens typed in the text, characters BERT's normalizer drops or changes
ODD = ["a <s> b", "<mask>", "x</s>y", "hello <pad> world", "[CLS] a [SEP] b", "[MASK]!",
       "[unk] [UNK]", "ﬁne", "a\u0000b", "\ufffd", "\u00ad soft", "x\u0301y", "\ufeffbom"]
PUNCT = ["!!!", "???", "...", "—", "–", "“quoted”", "‘single’", "(a)[b]{c}", "<tag>", "@#$%^&*",
         "--", "::", ";", "«»", "¿¡", "…", "/\\|", "`~", "_", "+="]


def texts(n: int, seed: int = 13) -> list[str]:
    """``n`` different texts mixing English, Korean, other scripts, emoji, runs of whitespace
    and punctuation, special tokens typed in the text, some long (~1,500 characters), plus
    the empty text."""
    rng = random.Random(seed)
    fixed = ENGLISH + KOREAN + OTHER + EMOJI + ODD + ["", " ", "a", "   leading and trailing   ",
                                                "a  b   c\t\td\n\ne", "!!!???...,,,;;;", "1234567890"]
    pools = [ENGLISH, ENGLISH, KOREAN, OTHER, EMOJI, SPACES, PUNCT]
    out = list(fixed)
    while len(out) < n:
        if rng.random() < 0.06:  # long
            parts = [rng.choice(ENGLISH + KOREAN) for _ in range(rng.randint(15, 30))]
            text = " ".join(parts)
        else:
            parts = [rng.choice(rng.choice(pools)) for _ in range(rng.randint(1, 6))]
            if rng.random() < 0.5:
                parts = [p if rng.random() < 0.6 else p.split(" ")[0] for p in parts]
            text = "".join(p + rng.choice(["", " ", "  ", ", ", "\n", "\t", "!"]) for p in parts)
        if text not in out:
            out.append(text)
    return out[:n]


def pairs(n: int, seed: int = 14) -> list[tuple[str, str]]:
    """``n`` (question, context)-like pairs from :func:`texts`, an empty second text among them."""
    rng = random.Random(seed)
    pool = texts(400, seed)
    out = [("Who wrote the book?", ""), ("", "An empty first text.")]
    while len(out) < n:
        out.append((rng.choice(pool), rng.choice(pool)))
    return out


def utf16_offsets(text: str, offsets) -> list[list[int]]:
    """Python's character offsets (code points) as JS string indices (UTF-16 code units)."""
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return [[units[a], units[b]] for a, b in offsets]
