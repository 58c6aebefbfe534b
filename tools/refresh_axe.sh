#!/usr/bin/env bash
# Re-vendors axe-core (MPL-2.0) for the accessibility test ONLY (tests/site/test_accessibility.py):
# it is injected into the built pages by the test and is never shipped with the site or the
# package. Change VERSION here, run this script, and commit tests/vendor/axe-core/ (axe.min.js,
# LICENSE and VENDOR.json, which the test checks the file's sha256 against).
set -euo pipefail
VERSION=4.14.1
cd "$(dirname "$0")/.."
dest=tests/vendor/axe-core
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest"
tarball=$(cd "$tmp" && npm pack --silent "axe-core@$VERSION")
integrity=$(npm view "axe-core@$VERSION" dist.integrity)
tar -xzf "$tmp/$tarball" -C "$tmp" package/axe.min.js package/LICENSE
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$dest/"
python3 - "$dest" "$VERSION" "$integrity" <<'PY'
import hashlib, json, pathlib, sys
dest, version, integrity = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
info = {
    "package": "axe-core",
    "version": version,
    "tarball": f"https://registry.npmjs.org/axe-core/-/axe-core-{version}.tgz",
    "integrity": integrity,
    "license": "MPL-2.0",
    "use": "tests only (tests/site/test_accessibility.py); not shipped with the site or the package",
    "sha256": {name: hashlib.sha256((dest / name).read_bytes()).hexdigest()
               for name in ("axe.min.js", "LICENSE")},
}
(dest / "VENDOR.json").write_text(json.dumps(info, indent=2) + "\n")
print("wrote", dest / "VENDOR.json")
PY
