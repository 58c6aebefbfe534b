"""Show the INSTALLED source of transformers (or any Python code), highlighted.

The book never pastes a copy of transformers' code: a chapter calls
:func:`show_source` and displays what ``inspect`` finds in the installed
package, with the real line numbers of the installed file, its path and the
package version. A view can be narrowed to the lines between two *content
anchors* (substrings of the source, never line numbers)::

    from hfanatomy.source import show_source
    show_source("transformers.models.roberta.modeling_roberta.RobertaForSequenceClassification.forward",
                start="if self.config.problem_type is None:",
                end='self.config.problem_type = "multi_label_classification"',
                highlight=["labels.dtype == torch.long"])

If the pinned transformers changes and an anchor disappears, :class:`AnchorNotFound`
(a ``ValueError``) names the anchor, the object and the installed version, so the
chapter fails in CI instead of silently showing the wrong lines.

The HTML view is self-contained (pygments with inline styles; no CSS class, no
stylesheet, no URL), so it looks the same on the static site and in a notebook.

Also: :func:`source_location` (file and first line of an object) and
:func:`generated_from` (the ``modular_*.py`` file a generated ``modeling_*.py``
file says it was generated from; edits belong there, but the generated file is
what runs).
"""

from __future__ import annotations

import difflib
import html as _html
import importlib
import importlib.metadata
import inspect
import re
import sys
import textwrap
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "AnchorNotFound",
    "SourceLine",
    "SourceView",
    "generated_from",
    "modular_path",
    "resolve",
    "show_source",
    "source_location",
]

Anchor = str | Sequence[str]

_STYLE = "default"  # pygments style, light; rendered with inline styles only
_BG = "#f8f8f8"
_HL_BG = "#fffbdd"  # every colour of pygments' default style keeps 4.5:1 on it
_HL_BORDER = "#e3b800"


class AnchorNotFound(ValueError):
    """A content anchor (or highlight string) is not in the installed source."""


@dataclass(frozen=True)
class SourceLine:
    """One line of a view: its number in the installed file and its text (original indentation)."""

    number: int
    text: str
    highlighted: bool = False


@dataclass
class SourceView:
    """A highlighted slice of installed source code; display it by ending a cell with it.

    Attributes:
        name: dotted name of the object shown (``transformers.models....RobertaEmbeddings.forward``).
        path: absolute path of the installed file.
        display_path: the path relative to the installed package root
            (``transformers/models/roberta/modeling_roberta.py``).
        first_line: number (in the file, 1-based) of the first line shown.
        lines: the lines shown, with their real line numbers.
        package, version: top-level package and its installed version (``transformers``, ``5.23.0``).
        title: optional heading shown above the code.
        start, end: the anchors used (``None`` if the view starts/ends with the object).
        generated_from: for generated files, the modular file named in the header (else ``None``).
    """

    name: str
    path: str
    display_path: str
    first_line: int
    lines: list[SourceLine]
    package: str
    version: str
    title: str | None = None
    start: Anchor | None = None
    end: Anchor | None = None
    generated_from: str | None = None
    _object_lines: list[str] = field(default_factory=list, repr=False)
    _object_first_line: int = field(default=1, repr=False)

    # ------------------------------------------------------------------ plain data
    @property
    def last_line(self) -> int:
        """Number (in the file) of the last line shown."""
        return self.lines[-1].number if self.lines else self.first_line

    @property
    def text(self) -> str:
        """The code shown, dedented, without line numbers (handy for ``assert "x" in view.text``)."""
        return textwrap.dedent("\n".join(line.text for line in self.lines))

    @property
    def highlighted_lines(self) -> list[int]:
        """File line numbers of the emphasised lines."""
        return [line.number for line in self.lines if line.highlighted]

    def line_of(self, substring: str) -> int:
        """File line number of the first shown line containing ``substring``."""
        for line in self.lines:
            if substring in line.text:
                return line.number
        raise AnchorNotFound(f"{substring!r} is not in the lines shown of {self.name} "
                             f"({self.package} {self.version}, lines {self.first_line}-{self.last_line})")

    @property
    def caption(self) -> str:
        """``transformers 5.23.0 · transformers/models/.../modeling_roberta.py, lines 80-120``."""
        span = (f"line {self.first_line}" if self.first_line == self.last_line
                else f"lines {self.first_line}-{self.last_line}")
        cap = f"{self.package} {self.version} · {self.display_path}, {span}"
        if self.generated_from:
            cap += f" (generated from {Path(self.generated_from).name})"
        return cap

    # ------------------------------------------------------------------ displays
    def __str__(self) -> str:
        width = len(str(self.last_line))
        body = textwrap.dedent("\n".join(line.text for line in self.lines)).split("\n")
        out = [f"# {self.title}"] if self.title else []
        out.append(f"# {self.caption}")
        for line, code in zip(self.lines, body, strict=True):
            mark = ">" if line.highlighted else " "
            out.append(f"{line.number:>{width}}{mark} {code}".rstrip())
        return "\n".join(out)

    def __repr__(self) -> str:
        return (f"<SourceView {self.name} lines {self.first_line}-{self.last_line} of "
                f"{self.display_path} ({self.package} {self.version})>")

    def _repr_markdown_(self) -> str:
        title = f"**{self.title}**\n\n" if self.title else ""
        return f"{title}```python\n{self.text}\n```\n\n*{self.caption}*\n"

    def _repr_html_(self) -> str:
        return self.html()

    def html(self) -> str:
        """Self-contained HTML: inline-styled pygments tokens, file line numbers, caption."""
        rendered = _highlight_lines(self._object_lines)  # one HTML string per object line
        indent = _common_indent([line.text for line in self.lines])
        width = len(str(self.last_line))
        # a long line wraps instead of hiding to the right; its continuation starts 2ch
        # right of where the code starts (a hanging indent past the line number)
        hang = f"{width + 1.2 + 2:g}ch"
        wrap = (f"display:block;white-space:pre-wrap;overflow-wrap:anywhere;"
                f"padding-left:{hang};text-indent:-{hang}")
        rows = []
        for line in self.lines:
            code = rendered[line.number - self._object_first_line]
            code = _strip_indent_html(code, indent)
            num = (f'<span style="display:inline-block;min-width:{width}ch;text-align:right;'
                   f'color:#57606a;user-select:none;margin-right:1.2ch;text-indent:0">'
                   f'{line.number}</span>')
            if line.highlighted:
                style = f"{wrap};background:{_HL_BG};box-shadow:inset 3px 0 0 {_HL_BORDER}"
                rows.append(f'<span data-line="{line.number}" data-highlighted="1" '
                            f'style="{style}">{num}{code}</span>')
            else:
                rows.append(f'<span data-line="{line.number}" style="{wrap}">{num}{code}</span>')
        title = (f'<div style="font-weight:600;margin:0 0 4px 0">{_html.escape(self.title)}</div>'
                 if self.title else "")
        pre = ('<pre style="margin:0;padding:6px 8px;overflow-x:auto;line-height:1.35;'
               f'font-size:12.5px;background:{_BG};color:#1f2328;border:1px solid #d0d7de;'
               'border-radius:6px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;'
               'white-space:pre">' + "".join(rows) + "</pre>")
        caption = (f'<div style="color:#57606a;font-size:12px;margin-top:3px;font-family:system-ui,'
                   f'-apple-system,Segoe UI,sans-serif;overflow-wrap:anywhere">'
                   f'{_html.escape(self.caption)}</div>')  # a long path wraps on a phone
        return (f'<div class="hfa-source" data-path="{_html.escape(self.display_path)}" '
                f'data-first-line="{self.first_line}" style="margin:0.5em 0">{title}{pre}{caption}</div>')


# ---------------------------------------------------------------------- public functions


def resolve(obj: Any) -> Any:
    """The object named by a dotted string (``"pkg.module.Class.method"``); objects pass through."""
    if not isinstance(obj, str):
        return obj
    parts = obj.split(".")
    for i in range(len(parts), 0, -1):
        modname = ".".join(parts[:i])
        try:
            target = importlib.import_module(modname)
        except ImportError:
            continue
        for j, attr in enumerate(parts[i:], start=i):
            try:
                target = getattr(target, attr)
            except AttributeError:
                where = ".".join(parts[:j])
                options = [a for a in dir(target) if not a.startswith("__")]
                close = difflib.get_close_matches(attr, options, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise ValueError(f"{where} has no attribute {attr!r} (resolving {obj!r}, "
                                 f"{_version_note(parts[0])}){hint}") from None
        return target
    raise ValueError(f"cannot import any module from {obj!r}: expected a dotted name like "
                     "'transformers.models.roberta.modeling_roberta.RobertaEmbeddings.forward'")


def source_location(obj: Any) -> tuple[str, int]:
    """``(absolute file path, first line number)`` of a class, function, method or module.

    The first line of a decorated function is its first decorator line (as in ``inspect``).
    """
    target = _unwrap(resolve(obj))
    path = inspect.getsourcefile(target)
    if path is None:
        raise TypeError(f"no Python source file for {_name_of(target)} (built-in or compiled?)")
    _, first = inspect.getsourcelines(target)
    return str(Path(path).resolve()), max(first, 1)


def show_source(obj: Any, start: Anchor | None = None, end: Anchor | None = None, *,
                include_end: bool = True, block: bool = False, title: str | None = None,
                highlight: Sequence[str] = ()) -> SourceView:
    """The installed source of ``obj``, optionally narrowed by content anchors.

    Args:
        obj: class, function, method, module, or a dotted string naming one
            (``"transformers.models.roberta.modeling_roberta.RobertaEmbeddings.forward"``).
        start: the view begins at the line where this substring first occurs in the object's
            source (a substring may span lines). A list/tuple of substrings is searched in turn,
            each after the previous one (to reach e.g. the second ``loss_fct = ...``).
            ``None``: the object's first line.
        end: the view ends at the first line *after the start line* where this substring occurs
            (the line holding the end of the match). A list/tuple works as for ``start``.
            ``None``: the object's last line (or the end of the block, see ``block``).
        include_end: keep the ``end`` line itself (default) or stop just before it.
        block: with ``end=None``, stop at the end of the indented block that begins at the
            start line (e.g. ``start="if labels is not None:"`` shows that ``if`` and its body).
        title: a heading shown above the code.
        highlight: substrings; every shown line containing one is emphasised. Each must occur.

    Raises:
        AnchorNotFound (a ValueError) naming the anchor, the object and the installed version.
    """
    target = _unwrap(resolve(obj))
    name = obj if isinstance(obj, str) else _name_of(target)
    try:
        raw_lines, first = inspect.getsourcelines(target)
    except (TypeError, OSError) as exc:
        raise TypeError(f"cannot show the source of {name}: {exc}. Expected a class, function, "
                        "method or module written in Python") from None
    first = max(first, 1)  # modules report 0
    obj_lines = [ln.rstrip("\n").rstrip("\r") for ln in raw_lines]
    path, _ = source_location(target)
    package = (getattr(inspect.getmodule(target), "__name__", None) or name).split(".")[0]
    version = _version(package)
    text = "\n".join(obj_lines)
    starts = _line_starts(obj_lines)

    def where() -> str:
        return (f"{name} ({package} {version}, {_display_path(path, package)} lines "
                f"{first}-{first + len(obj_lines) - 1})")

    lo = 0  # index into obj_lines
    if start is not None:
        pos = _find_chain(text, start, 0, "start", where)
        lo = _line_index(starts, pos[0])
    hi = len(obj_lines) - 1
    if end is not None:
        search_from = starts[lo + 1] if lo + 1 < len(starts) else len(text)
        pos = _find_chain(text, end, search_from, "end", where)
        hi = _line_index(starts, max(pos[1] - 1, pos[0]))
        if not include_end:
            hi -= 1
    elif block:
        hi = _block_end(obj_lines, lo)
    if hi < lo:
        hi = lo

    shown = obj_lines[lo:hi + 1]
    marks = [False] * len(shown)
    for sub in highlight:
        hits = [i for i, ln in enumerate(shown) if sub in ln]
        if not hits:
            raise AnchorNotFound(f"highlight {sub!r} is not in the lines shown of {where()}"
                                 f"{_closest(sub, shown)}")
        for i in hits:
            marks[i] = True
    lines = [SourceLine(first + lo + i, ln, marks[i]) for i, ln in enumerate(shown)]
    return SourceView(
        name=name, path=path, display_path=_display_path(path, package), first_line=first + lo,
        lines=lines, package=package, version=version, title=title, start=start, end=end,
        generated_from=generated_from(target), _object_lines=obj_lines, _object_first_line=first)


_GENERATED = re.compile(r"automatically generated from\s+(\S+\.py)")


def generated_from(obj: Any) -> str | None:
    """The modular file a generated module says it comes from, or ``None``.

    transformers generates many ``modeling_*.py`` files from a ``modular_*.py`` file; the
    generated file starts with a banner ("This file was automatically generated from
    src/transformers/models/roberta/modular_roberta.py. Do NOT edit this file manually...").
    ``obj`` may be a module, anything defined in one, or a dotted name. Returns the path as the
    banner writes it (relative to the transformers repository), e.g.
    ``"src/transformers/models/roberta/modular_roberta.py"``.
    """
    target = resolve(obj)
    module = target if isinstance(target, types.ModuleType) else inspect.getmodule(_unwrap(target))
    path = getattr(module, "__file__", None)
    if not path or not path.endswith(".py"):
        return None
    with open(path, encoding="utf-8") as fh:
        head = "".join(fh.readline() for _ in range(12))
    match = _GENERATED.search(head)
    return match.group(1) if match else None


def modular_path(obj: Any) -> str | None:
    """The installed path of the modular file ``obj``'s module was generated from, if shipped."""
    origin = generated_from(obj)
    if origin is None:
        return None
    target = resolve(obj)
    module = target if isinstance(target, types.ModuleType) else inspect.getmodule(_unwrap(target))
    candidate = Path(module.__file__).with_name(Path(origin).name)
    return str(candidate) if candidate.exists() else None


# ---------------------------------------------------------------------- internals


def _unwrap(obj: Any) -> Any:
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if isinstance(obj, property):
        obj = obj.fget
    if callable(obj) and not isinstance(obj, type):
        obj = inspect.unwrap(obj)  # decorators such as @can_return_tuple keep __wrapped__
    return obj


def _name_of(obj: Any) -> str:
    module = getattr(obj, "__module__", None) or ""
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", repr(obj))
    return f"{module}.{qual}" if module else qual


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        mod = sys.modules.get(package)
        return str(getattr(mod, "__version__", "(unknown version)"))


def _version_note(package: str) -> str:
    return f"installed {package} {_version(package)}"


def _display_path(path: str, package: str) -> str:
    mod = sys.modules.get(package)
    root = getattr(mod, "__file__", None)
    if root:
        base = Path(root).resolve().parent.parent
        try:
            return Path(path).resolve().relative_to(base).as_posix()
        except ValueError:
            pass
    return Path(path).name


def _line_starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    return starts


def _line_index(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:  # last start <= offset
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _find_chain(text: str, anchor: Anchor, pos: int, role: str, where) -> tuple[int, int]:
    """Offsets (begin, end) of the last substring of ``anchor`` found in sequence from ``pos``."""
    chain = [anchor] if isinstance(anchor, str) else list(anchor)
    if not chain or not all(isinstance(a, str) and a for a in chain):
        raise TypeError(f"{role} anchor must be a non-empty string or a sequence of them, got {anchor!r}")
    begin = end = pos
    for a in chain:
        found = text.find(a, end)
        if found < 0:
            after = "" if end == 0 else " after the previous anchor/start line"
            raise AnchorNotFound(f"{role} anchor {a!r} not found{after} in {where()}; the installed "
                                 f"source may have changed{_closest(a, text[end:].splitlines())}")
        begin, end = found, found + len(a)
    return begin, end


def _closest(anchor: str, lines: Sequence[str]) -> str:
    stripped = [ln.strip() for ln in lines if ln.strip()]
    close = difflib.get_close_matches(anchor.strip(), stripped, n=2, cutoff=0.5)
    return ("; closest lines: " + " | ".join(repr(c) for c in close)) if close else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block_end(lines: list[str], lo: int) -> int:
    """Index of the last line of the block starting at ``lines[lo]`` (its indented body)."""
    base = _indent(lines[lo])
    last = lo
    depth = 0  # open brackets, so a multi-line statement's continuation lines are included
    for i in range(lo, len(lines)):
        ln = lines[i]
        if i > lo and ln.strip() and depth <= 0 and _indent(ln) <= base:
            if ln.strip()[0] not in ")]}":
                break
        if ln.strip():
            last = i
        depth += sum(ln.count(c) for c in "([{") - sum(ln.count(c) for c in ")]}")
    return last


def _common_indent(lines: Sequence[str]) -> int:
    widths = [_indent(ln) for ln in lines if ln.strip()]
    return min(widths) if widths else 0


def _highlight_lines(lines: list[str]) -> list[str]:
    """Pygments-highlight the whole object (so strings/docstrings lex right); one HTML per line."""
    from pygments import highlight as _pyg
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    fmt = HtmlFormatter(noclasses=True, nowrap=True, style=_STYLE)
    out = _pyg("\n".join(lines) + "\n", PythonLexer(stripnl=False, ensurenl=True), fmt)
    rendered = out.split("\n")
    if rendered and rendered[-1] == "":
        rendered.pop()
    if len(rendered) != len(lines):  # never expected; fall back to escaped plain text
        return [_html.escape(ln) for ln in lines]
    return rendered


def _strip_indent_html(code: str, n: int) -> str:
    """Remove ``n`` leading spaces from one highlighted line (spaces may sit inside a span)."""
    if n <= 0:
        return code
    out, removed, i = [], 0, 0
    while i < len(code) and removed < n:
        if code[i] == "<":
            j = code.index(">", i)
            out.append(code[i:j + 1])
            i = j + 1
        elif code[i] == " ":
            removed += 1
            i += 1
        else:
            break
    return "".join(out) + code[i:]
