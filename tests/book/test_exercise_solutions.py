"""Every exercise in the book comes with a collapsed hint and a worked solution (issue #24).

On the static site a reader has no kernel, so an exercise cell only prints "Replace None
...". After each exercise cell (a code cell that calls a ``check_...`` function on a
``my_...`` placeholder, or on ``None`` where the learner writes a function) and before the
next one, a chapter must have:

* a markdown cell with a dropdown hint: ```` ```{admonition} Hint ```` and ``:class: dropdown``;
* then code cells tagged ``hide-cell`` that start with ``# a worked solution`` and hold
  ``assert check_<name>(`` for every checker the exercise cell calls.

This test reads the chapters statically (jupytext, as the build does). That the solutions
are right is checked by running them: ``tests/book/test_chapters.py`` executes every chapter,
and a failed ``assert check_...`` fails it.
"""

from __future__ import annotations

import ast
import re

import jupytext
import pytest

from chapters import ROOT, toc_chapters

CHAPTERS = toc_chapters()

SOLUTION_MARK = "# a worked solution"
# a dropdown admonition titled "Hint": the fence, the title, then options up to :class:
HINT = re.compile(r"^(`{3,})\{admonition\}[ \t]+Hint\b[^\n]*\n(?::[^\n]*\n)*?:class:[ \t]*dropdown\b",
                  re.MULTILINE)
# a fallback for cells that are not plain Python: check_x(my_y ...) or check_x(None ...)
CALL = re.compile(r"(?<![\w.])(check_\w+)\(\s*(?:my_\w+|None)\b")


def placeholder_checks(source: str) -> list[str]:
    """Names of the ``check_...`` functions called on a ``my_...`` name or on ``None``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return sorted(set(CALL.findall(source)))
    found = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id.startswith("check_") and node.args):
            first = node.args[0]
            if ((isinstance(first, ast.Name) and first.id.startswith("my_"))
                    or (isinstance(first, ast.Constant) and first.value is None)):
                found.add(node.func.id)
    return sorted(found)


def is_solution(cell) -> bool:
    return (cell.cell_type == "code" and "hide-cell" in cell.metadata.get("tags", [])
            and cell.source.lstrip().startswith(SOLUTION_MARK))


def exercises(path):
    """(cell index, checker names, the cells up to the next exercise) for each exercise cell."""
    cells = jupytext.read(path).cells
    at = [(i, placeholder_checks(c.source)) for i, c in enumerate(cells)
          if c.cell_type == "code" and "hide-cell" not in c.metadata.get("tags", [])]
    at = [(i, names) for i, names in at if names]
    ends = [i for i, _ in at[1:]] + [len(cells)]
    return [(i, names, cells[i + 1:end]) for (i, names), end in zip(at, ends)]


def where(path, index, names):
    return f"{path.relative_to(ROOT)}: the exercise cell #{index} ({', '.join(names)})"


def test_the_detector_sees_placeholder_calls():
    assert placeholder_checks("my_a = None\ncheck_a(my_a, model)\ncheck_b(None);") == [
        "check_a", "check_b"]
    assert placeholder_checks("assert check_a(solution, model)") == []
    assert placeholder_checks("x = check_a  # not a call\nprint(my_a)") == []
    assert placeholder_checks("%time check_a(my_a)") == ["check_a"]  # not Python: the regex


@pytest.mark.parametrize("path", CHAPTERS, ids=[f"{p.parent.name}-{p.stem}" for p in CHAPTERS])
def test_every_exercise_has_a_hint_and_a_worked_solution(path):
    found = exercises(path)
    text = path.read_text(encoding="utf-8")
    if re.search(r"^## Exercises\b", text, re.MULTILINE):
        assert found, f"{path.relative_to(ROOT)} has an Exercises section but no exercise cell"
    problems = []
    for index, names, after in found:
        here = where(path, index, names)
        hints = [k for k, c in enumerate(after) if c.cell_type == "markdown" and HINT.search(c.source)]
        solutions = [k for k, c in enumerate(after) if is_solution(c)]
        if not hints:
            problems.append(f"{here}: no ```{{admonition}} Hint with :class: dropdown after it")
        if not solutions:
            problems.append(f"{here}: no code cell tagged hide-cell starting with "
                            f"{SOLUTION_MARK!r} after it")
        if hints and solutions and hints[0] > solutions[0]:
            problems.append(f"{here}: the worked solution comes before the hint")
        asserted = "\n".join(after[k].source for k in solutions)
        for name in names:
            if solutions and not re.search(rf"\bassert\s+{name}\(", asserted):
                problems.append(f"{here}: no worked solution asserts {name}(...)")
        for k in solutions:
            if re.search(r"^\s*my_\w+\s*=", after[k].source, re.MULTILINE):
                problems.append(f"{here}: a worked solution reassigns the learner's my_ variable")
    assert not problems, "\n".join(problems)
