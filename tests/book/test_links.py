"""Links in the book: every external address has a checked form, every internal one resolves.

Offline and fast (a few seconds): parses the chapters that ``_toc.yml`` lists and
``_config.yml``, builds nothing, reaches nothing.

External links (Markdown links, autolinks and bare addresses in the prose, outside code):

* https only, on the hosts the book links to (``HOSTS``; a new host is added there);
* transformers' documentation and source carry the installed transformers' version:
  ``https://huggingface.co/docs/transformers/v5.23.0/en/<page>#transformers.<Name>`` and
  ``https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/<file>.py``.
  The anchor must be an object of the installed package, documented on that page (a class of
  ``models/<name>/`` for ``model_doc/<name>``), and the file must exist in the installed
  package. When the pin moves, replace the version in every link (``sed -i
  's/v5.23.0/vX.Y.Z/g' book/*.md book/*/*.md``) and this test checks the pages again. One
  exception: v4's question-answering pipeline, the decoder Part II rebuilds, is linked at the
  version its golden answers were recorded with (``tests/fixtures/qa_golden.json``);
* the Hugging Face LLM course: ``https://huggingface.co/learn/llm-course/chapterN`` or
  ``.../chapterN/M`` (M a section such as ``7`` or ``3b``);
* GitHub issues and pull requests: ``https://github.com/<owner>/<repo>/(issues|pull)/<n>``,
  and an issue cited by number in the prose (``#1538``) must be such a link.

Internal links resolve: relative Markdown links (``../appendix/models.md``) name a chapter of
the table of contents (and a label ``(name)=`` of it after ``#``), ``{doc}`` roles name a
chapter, ``{ref}`` roles a label of some chapter, and ``#name`` a label of the same page.
``tests/site/test_site.py`` checks the built pages' own links when the site is built.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import transformers
import yaml

from chapters import ROOT, toc_chapters

VERSION = transformers.__version__
PACKAGE = Path(transformers.__file__).parent
#: hosts the book links to: huggingface.co and github.com with the rules below; the others
#: (the launch buttons' services, the SQuAD site) by address only
HOSTS = {"huggingface.co", "github.com", "mybinder.org", "colab.research.google.com",
         "rajpurkar.github.io"}

DOCS = re.compile(r"https://huggingface\.co/docs/transformers/v(?P<version>[0-9][^/]*)/en/"
                  r"(?P<page>[a-z0-9_/]+)(?:#(?P<anchor>[A-Za-z0-9_.]+))?")
SOURCE = re.compile(r"https://github\.com/huggingface/transformers/blob/v(?P<version>[0-9][^/]*)/"
                    r"(?P<path>src/transformers/[A-Za-z0-9_/]+\.py)")
COURSE = re.compile(r"https://huggingface\.co/learn/llm-course/chapter[0-9]+(?:/[0-9]+[a-z]?)?")
ISSUE = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+/(?P<kind>issues|pull)/(?P<number>[0-9]+)")

#: documentation pages outside model_doc/ -> the modules whose objects they document
#: (None: a guide, linked without an anchor)
DOC_PAGES = {
    "index": None,
    "attention_interface": None,
    "main_classes/configuration": ("transformers.configuration_utils",),
    "main_classes/model": ("transformers.modeling_utils",),
    "main_classes/optimizer_schedules": ("transformers.optimization",),
    "main_classes/output": ("transformers.modeling_outputs", "transformers.utils.generic"),
    "main_classes/pipelines": ("transformers.pipelines",),
    "main_classes/tokenizer": ("transformers.tokenization_utils",),
    "main_classes/trainer": ("transformers.trainer", "transformers.training_args"),
}


def _golden_version() -> str:
    golden = json.loads((ROOT / "tests" / "fixtures" / "qa_golden.json").read_text())
    return golden["versions"]["transformers"]


#: source files linked at another version than the installed one, on purpose
OLD_SOURCES = {"src/transformers/pipelines/question_answering.py": _golden_version()}


# ---------------------------------------------------------------------------
# reading a chapter
# ---------------------------------------------------------------------------
@dataclass
class Prose:
    path: Path
    text: str          # the Markdown outside code cells and literal blocks, lines kept
    labels: set[str]   # (name)= targets and :name: options


def prose(path: Path) -> Prose:
    """The parts of a MyST chapter that render as Markdown: code cells and literal
    fenced blocks are blanked (their lines kept, so line numbers still match)."""
    out, labels, fence = [], set(), None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        opened = re.match(r"(`{3,}|~{3,})(.*)", stripped)
        if fence is None and opened:
            info = opened.group(2).strip()
            # a directive holds Markdown ({admonition}, {note}); code cells and plain
            # fences (```text, ```python) are literal
            literal = info.startswith("{code-cell}") or not info.startswith("{")
            fence = (opened.group(1), literal)
            out.append("")
            continue
        if fence is not None and stripped.startswith(fence[0]) and not stripped.strip(fence[0][0]):
            fence = None
            out.append("")
            continue
        if fence is not None and fence[1]:
            out.append("")
            continue
        if m := re.fullmatch(r"\(([\w.:-]+)\)=", stripped):
            labels.add(m.group(1))
        if m := re.fullmatch(r":name:\s*([\w.:-]+)", stripped):
            labels.add(m.group(1))
        out.append(line)
    text = "\n".join(out)
    # the YAML front matter is not prose
    if text.startswith("---"):
        end = text.index("\n---", 3) + 4
        text = "\n" * text[:end].count("\n") + text[end:]
    return Prose(path, text, labels)


MD_LINK = re.compile(r"!?\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]+)>")
BARE_URL = re.compile(r"https?://[^\s)>\]`\"']+")
ROLE = re.compile(r"\{(?P<role>doc|ref)\}`(?P<body>[^`]+)`")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _where(p: Prose, pos: int) -> str:
    name = p.path.relative_to(ROOT) if p.path.is_relative_to(ROOT) else p.path.name
    return f"{name}:{_line(p.text, pos)}"


def external_urls(text: str) -> list[tuple[int, str]]:
    """(position, address) of every http(s) address in ``text``: link targets, autolinks
    and bare addresses (a bare one does not render as a link, but must be right too)."""
    found = {}
    for m in MD_LINK.finditer(text):
        if re.match(r"https?:", m.group("url")):
            found[m.start("url")] = m.group("url")
    for m in AUTOLINK.finditer(text):
        found[m.start("url")] = m.group("url")
    for m in BARE_URL.finditer(text):
        found.setdefault(m.start(), m.group(0).rstrip(".,;:"))
    return sorted(found.items())


# ---------------------------------------------------------------------------
# the rules
# ---------------------------------------------------------------------------
def _resolve(dotted: str):
    """The object a documentation anchor names (``transformers.utils.ModelOutput``), and
    the first class (or function) on the way, whose module says where it is documented."""
    parts = dotted.split(".")
    obj = importlib.import_module(parts[0])
    owner = None
    for i, name in enumerate(parts[1:], start=1):
        try:
            obj = getattr(obj, name)
        except AttributeError:
            obj = importlib.import_module(".".join(parts[: i + 1]))
        if owner is None and (isinstance(obj, type) or callable(obj)) and not isinstance(
                obj, type(importlib)):
            owner = obj
    return obj, owner


def check_external(url: str, allowed_github: set[str] = frozenset()) -> str | None:
    """Why ``url`` is not a form the book may link to; None when it is."""
    if not url.startswith("https://"):
        return "not https"
    host = url.split("/")[2]
    if host not in HOSTS:
        return f"unknown host {host} (known: {sorted(HOSTS)})"
    if host == "huggingface.co":
        if COURSE.fullmatch(url):
            return None
        m = DOCS.fullmatch(url)
        if not m:
            return ("a huggingface.co address that is neither transformers' versioned "
                    "documentation nor an LLM course chapter")
        if m["version"] != VERSION:
            return f"documentation of v{m['version']}, installed transformers is {VERSION}"
        page, anchor = m["page"], m["anchor"]
        if page.startswith("model_doc/"):
            model = page.removeprefix("model_doc/")
            if not (PACKAGE / "models" / model).is_dir():
                return f"no model {model!r} in the installed transformers"
            modules = (f"transformers.models.{model}.",)
        elif page in DOC_PAGES:
            modules = DOC_PAGES[page]
        else:
            return f"documentation page {page!r} is not one the test knows (DOC_PAGES)"
        if anchor is None:
            return None
        if modules is None:
            return f"{page} is a guide: link it without an anchor"
        if not anchor.startswith("transformers."):
            return f"anchor {anchor!r} does not name a transformers object"
        try:
            _, owner = _resolve(anchor)
        except (ImportError, AttributeError):
            return f"the installed transformers has no {anchor}"
        if owner is None or not owner.__module__.startswith(modules):
            where = getattr(owner, "__module__", None)
            return f"{anchor} is defined in {where}, which {page} does not document"
        return None
    if host != "github.com":
        return None
    if ISSUE.fullmatch(url) or url in allowed_github:
        return None
    m = SOURCE.fullmatch(url)
    if not m:
        return ("a github.com address that is neither transformers' source at a release tag "
                "nor an issue or pull request")
    path, version = m["path"], m["version"]
    if version != VERSION and OLD_SOURCES.get(path) != version:
        return f"source of v{version}, installed transformers is {VERSION}"
    if version == VERSION and not (PACKAGE / path.removeprefix("src/transformers/")).is_file():
        return f"no {path} in the installed transformers"
    return None


def unlinked_issue_numbers(text: str) -> list[tuple[int, str]]:
    """Issue numbers (``#1538``) in prose that are not the text of a link to that issue."""
    def blank(m):
        url = ISSUE.fullmatch(m.group("url"))
        if url and f"#{url['number']}" in m.group("text"):
            return " " * len(m.group(0))
        return m.group(0)

    text = MD_LINK.sub(blank, text)
    text = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
    return [(m.start(), m.group(0)) for m in re.finditer(r"(?<![\w/&#])#[0-9]{2,}\b", text)]


def _role_target(body: str) -> str:
    m = re.fullmatch(r"(?s).*<([^<>]+)>\s*", body)
    return (m.group(1) if m else body).strip()


def internal_problems(chapters: dict[Path, Prose]) -> list[str]:
    """Every relative link, {doc}, {ref} and #anchor that does not resolve."""
    problems = []
    all_labels = {label for p in chapters.values() for label in p.labels}
    for path, p in chapters.items():
        for m in ROLE.finditer(p.text):
            target = _role_target(m.group("body"))
            if m.group("role") == "ref":
                if target not in all_labels:
                    problems.append(f"{_where(p, m.start())}: {{ref}} {target!r}: no such label")
                continue
            base = ROOT if target.startswith("/") else path.parent
            doc = (base / (target.lstrip("/") + ".md")).resolve()
            if doc not in chapters:
                problems.append(f"{_where(p, m.start())}: {{doc}} {target!r}: no such chapter")
        for m in MD_LINK.finditer(p.text):
            url = m.group("url")
            if re.match(r"[a-z][a-z0-9+.-]*:", url):  # https:, mailto: ... are external
                continue
            file, _, anchor = url.partition("#")
            target = (path.parent / file).resolve() if file else path
            if target.suffix == ".md" and target not in chapters:
                problems.append(f"{_where(p, m.start())}: {url}: not a chapter of _toc.yml")
                continue
            if target.suffix != ".md" and not target.exists():
                problems.append(f"{_where(p, m.start())}: {url}: no such file")
                continue
            if anchor and target in chapters and anchor not in chapters[target].labels:
                problems.append(f"{_where(p, m.start())}: {url}: no label ({anchor})= there")
    return problems


# ---------------------------------------------------------------------------
# the book
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chapters() -> dict[Path, Prose]:
    return {path.resolve(): prose(path) for path in toc_chapters()}


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def test_every_external_link_has_a_checked_form(chapters, config):
    repo = config["repository"]["url"]
    problems, count = [], 0
    for p in chapters.values():
        for pos, url in external_urls(p.text):
            count += 1
            if why := check_external(url, {repo}):
                problems.append(f"{_where(p, pos)}: {url}: {why}")
    assert not problems, "\n".join(problems)
    assert count > 40  # the chapters do link out (docs, source, course, issues)


def test_config_addresses_are_https_on_known_hosts(config):
    text = (ROOT / "_config.yml").read_text()
    urls = BARE_URL.findall(text)
    assert config["repository"]["url"] in urls
    problems = [u for u in urls if not u.startswith("https://") or u.split("/")[2] not in HOSTS]
    assert not problems, problems
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", config["repository"]["url"])


def test_the_pinned_version_is_the_installed_one(chapters):
    """The documentation and source links follow the lock: requirements.txt pins the
    transformers this test imports."""
    from hfanatomy import versions

    assert VERSION == versions.CHECKED["transformers"]
    linked = {m["version"] for p in chapters.values()
              for _, url in external_urls(p.text) for m in [DOCS.fullmatch(url) or SOURCE.fullmatch(url)]
              if m}
    assert linked == {VERSION, *OLD_SOURCES.values()}, linked


#: chapters that need not link out: the appendix (about the book's own models)
NO_LINKS_NEEDED = {"book/appendix/models.md"}


def test_each_chapter_links_transformers_and_the_course(chapters):
    """Every chapter links transformers' docs or source or the course (its "Read more"
    line); the heads' classes are linked where the book opens them."""
    text = {p.relative_to(ROOT).as_posix(): c.text for p, c in chapters.items()}
    linked = {name for name, t in text.items()
              if DOCS.search(t) or SOURCE.search(t) or COURSE.search(t)}
    missing = sorted(set(text) - linked - NO_LINKS_NEEDED)
    assert not missing, f"no link to transformers or the course: {missing}"
    assert all("**Read more**" in text[name] for name in linked - {"book/intro.md"})
    everything = "\n".join(text.values())
    for anchor in ("model_doc/roberta#transformers.RobertaForSequenceClassification",
                   "model_doc/roberta#transformers.RobertaModel",
                   "model_doc/bert#transformers.BertForQuestionAnswering",
                   "model_doc/bert#transformers.BertModel"):
        assert f"/v{VERSION}/en/{anchor})" in everything, anchor
    for source in ("models/roberta/modeling_roberta.py", "models/bert/modeling_bert.py"):
        assert f"/blob/v{VERSION}/src/transformers/{source})" in everything, source
    for section in ("chapter2", "chapter3", "chapter6", "chapter7/7"):
        assert f"https://huggingface.co/learn/llm-course/{section}" in everything, section


def test_issue_numbers_are_links(chapters):
    problems = [f"{_where(p, pos)}: {number} is not a link to its issue"
                for p in chapters.values() for pos, number in unlinked_issue_numbers(p.text)]
    assert not problems, "\n".join(problems)


def test_internal_links_resolve(chapters):
    problems = internal_problems(chapters)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# the checks catch what they are for
# ---------------------------------------------------------------------------
def test_the_rules_catch_bad_links(tmp_path):
    docs = f"https://huggingface.co/docs/transformers/v{VERSION}/en"
    src = f"https://github.com/huggingface/transformers/blob/v{VERSION}/src/transformers"
    good = [f"{docs}/model_doc/roberta#transformers.RobertaForSequenceClassification",
            f"{docs}/main_classes/output#transformers.modeling_outputs.SequenceClassifierOutput",
            f"{docs}/main_classes/output#transformers.utils.ModelOutput",
            f"{docs}/main_classes/model#transformers.PreTrainedModel.from_pretrained",
            f"{src}/models/roberta/modeling_roberta.py",
            "https://huggingface.co/learn/llm-course/chapter6/3b",
            "https://github.com/huggingface/transformers/issues/1538"]
    for url in good:
        assert check_external(url) is None, url
    bad = [f"{docs}/model_doc/roberta#transformers.BertModel",  # the wrong page
           f"{docs}/model_doc/roberta#transformers.RobertaNoSuchHead",
           f"{docs}/main_classes/nowhere",
           docs.replace(VERSION, "4.57.6") + "/model_doc/bert",
           src.replace(VERSION, "4.12.5") + "/models/roberta/modeling_roberta.py",
           f"{src}/models/roberta/modeling_robertaa.py",
           "https://huggingface.co/learn/nlp-course/chapter2",
           "http://github.com/huggingface/transformers/issues/1538",
           "https://example.com/x"]
    for url in bad:
        assert check_external(url) is not None, url

    assert [n for _, n in unlinked_issue_numbers(
        "see #1538, [#2432](https://github.com/huggingface/transformers/pull/2432), `x#29`")] == ["#1538"]

    book = tmp_path / "book"
    book.mkdir()
    a, b = book / "a.md", book / "b.md"
    a.write_text("(top)=\n# A\n\n[b](b.md) [b](b.md#top) [x](missing.md) {doc}`b` {doc}`c`\n"
                 "{ref}`top` {ref}`text <nowhere>` [here](#top) [gone](#gone)\n"
                 "```{code-cell} ipython3\n[not a link](nowhere.md)\n```\n")
    b.write_text("# B\n")
    found = internal_problems({a: prose(a), b: prose(b)})
    assert len(found) == 5, found
    assert ["missing.md" in f for f in found].count(True) == 1
    assert any("b.md#top" in f for f in found) and any("{doc} 'c'" in f for f in found)
    assert any("'nowhere'" in f for f in found) and any("#gone" in f for f in found)
