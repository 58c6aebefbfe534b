"""The lock, ``requirements.txt``, read as name -> (version, hashes): the package tests
(``tests/package/test_package.py``) and the publish set-up's (``test_publish.py``).
"""

from __future__ import annotations

import re

from chapters import ROOT


def requirement_name(req: str) -> str:
    """The normalised name of a requirement line (lower case, ``-`` for ``_``)."""
    return re.split(r"[\s<>=!~;\[@]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def lock_pins() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of every requirement in requirements.txt."""
    pins, current = {}, None
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith(" "):
            name, _, version = stripped.rstrip(" \\").partition("==")
            current = requirement_name(name)
            pins[current] = (version, [])
        elif stripped.startswith("--hash="):
            pins[current][1].append(stripped.removeprefix("--hash=").rstrip(" \\"))
    return pins
