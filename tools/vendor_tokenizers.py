"""Refresh the vendored tokenizers.js (``@huggingface/tokenizers``) from the npm registry.

    python tools/vendor_tokenizers.py [--version 0.2.0] [--check]

Runs ``npm pack`` (the registry's own client) for one pinned version, checks the tarball's
sha512 against the registry's ``dist.integrity`` (asked with ``npm view``), and copies
``dist/tokenizers.mjs`` and ``LICENSE`` into ``src/hfanatomy/web/vendor/`` with
``VENDOR.json`` (version, tarball, integrity, sha256 of each copied file). Readers building
the book never run this: the vendored files are committed. ``--check`` only verifies that
the committed files still match ``VENDOR.json`` (no network).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@huggingface/tokenizers"
VERSION = "0.2.0"
VENDOR = Path(__file__).resolve().parents[1] / "src" / "hfanatomy" / "web" / "vendor"
FILES = {"package/dist/tokenizers.mjs": "tokenizers.mjs", "package/LICENSE": "LICENSE"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check() -> list[str]:
    """Problems with the committed vendored files (empty list: all match VENDOR.json)."""
    meta = json.loads((VENDOR / "VENDOR.json").read_text(encoding="utf-8"))
    problems = []
    for name, digest in meta["sha256"].items():
        path = VENDOR / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif sha256(path) != digest:
            problems.append(f"{name} differs from the {PACKAGE}@{meta['version']} release")
    return problems


def npm(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(["npm", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"npm {' '.join(args)} failed:\n{done.stderr.strip()}")
    return done.stdout


def refresh(version: str) -> dict:
    spec = f"{PACKAGE}@{version}"
    registry = json.loads(npm("view", spec, "dist", "--json"))
    algo, _, expected = registry["integrity"].partition("-")
    if algo != "sha512":
        sys.exit(f"{spec}: the registry gives a {algo} integrity, expected sha512")
    with tempfile.TemporaryDirectory() as tmp:
        packed = json.loads(npm("pack", spec, "--json", "--pack-destination", tmp, cwd=Path(tmp)))
        tarball = Path(tmp) / packed[0]["filename"]
        actual = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if actual != expected:
            sys.exit(f"{spec}: sha512 of the tarball ({actual}) is not the registry's "
                     f"dist.integrity ({expected}); nothing was changed")
        VENDOR.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tar:
            for member, name in FILES.items():
                (VENDOR / name).write_bytes(tar.extractfile(member).read())
    meta = {
        "package": PACKAGE, "version": version, "tarball": registry["tarball"],
        "integrity": registry["integrity"], "license": "Apache-2.0",
        "sha256": {name: sha256(VENDOR / name) for name in FILES.values()},
    }
    (VENDOR / "VENDOR.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION)
    parser.add_argument("--check", action="store_true", help="verify the committed files only")
    args = parser.parse_args()
    if args.check:
        problems = check()
        print("\n".join(problems) or "vendored files match VENDOR.json")
        sys.exit(1 if problems else 0)
    meta = refresh(args.version)
    print(f"vendored {meta['package']}@{meta['version']} ({meta['integrity'][:20]}...) "
          f"into {VENDOR}")


if __name__ == "__main__":
    main()
