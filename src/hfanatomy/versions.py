"""The stack the book was checked against, and what to do when the installed one differs.

Every claim on the pages is asserted against ``transformers`` 5.23.0 (the version pinned in
the lock, ``requirements.txt``; ``tests/package/test_package.py`` keeps the two equal). A notebook
opened elsewhere (Colab, VS Code, another venv) may have another version: its first cell
calls :func:`check`, which says so in one sentence with the command that fixes it, instead
of failing on an assert.

Reads versions from the installed distributions' metadata: importing this module imports
neither torch nor transformers.
"""

from __future__ import annotations

from importlib import metadata

#: distribution -> the version the book's pages were checked against
CHECKED = {"transformers": "5.23.0"}

__all__ = ["CHECKED", "installed", "mismatches", "note", "check"]


def installed(name: str) -> str | None:
    """The installed version of the distribution ``name``, or None when it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def mismatches(found: dict[str, str | None] | None = None) -> list[tuple[str, str, str | None]]:
    """``(name, checked, installed)`` for each checked package whose installed version differs.

    ``found`` maps names to installed versions (default: read from the environment). A local
    version label (``2.13.0+cpu``) counts as its public version.
    """
    found = {n: installed(n) for n in CHECKED} if found is None else found
    out = []
    for name, checked in CHECKED.items():
        have = found.get(name)
        if have is None or have.split("+")[0] != checked:
            out.append((name, checked, have))
    return out


def note(found: dict[str, str | None] | None = None) -> str | None:
    """One sentence per mismatch, with the command that fixes it; None when all match."""
    lines = []
    for name, checked, have in mismatches(found):
        what = f"you have {have}" if have else "it is not installed"
        lines.append(
            f"This book was checked against {name} {checked} and {what}, so some outputs may "
            f"differ from the text: run `%pip install {name}=={checked}` and restart the kernel."
        )
    return "\n".join(lines) or None


def check() -> None:
    """Print :func:`note` when the installed stack differs from the checked one.

    Prints (never raises): a reader with another version can still run the notebook. Returns
    None, so that a notebook cell ending with it shows nothing when all matches.
    """
    text = note()
    if text:
        print(text)
