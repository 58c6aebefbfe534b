#!/usr/bin/env bash
# Re-vendors the two rated English lexicons the review generator reads
# (src/hfanatomy/train/lexicons/): VADER 3.3.2 and TextBlob 0.20.1, both MIT, from PyPI.
# Change a version here, run it, re-run `make models`, and update the SHA-256 in
# tests/training/test_learner_suites.py.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/hfanatomy/train/lexicons
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps -d "$tmp" vadersentiment==3.3.2 textblob==0.20.1
python3 - "$tmp" "$dest" <<'PY'
import sys, zipfile, pathlib
tmp, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
wanted = {
    "vaderSentiment/vader_lexicon.txt": "vader_lexicon.txt",
    "vaderSentiment-3.3.2.dist-info/LICENSE.txt": "LICENSE-vader.txt",
    "textblob/en/en-sentiment.xml": "textblob-en-sentiment.xml",
    "textblob-0.20.1.dist-info/licenses/LICENSE": "LICENSE-textblob.txt",
}
for wheel in tmp.glob("*.whl"):
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name in wanted:
                (dest / wanted[name]).write_bytes(z.read(name))
                print("wrote", dest / wanted[name])
PY
