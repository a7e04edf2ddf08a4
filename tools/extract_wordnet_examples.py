"""Extract WordNet 3.0's usage examples into engine/data/ (with its licence).

The everyday-English corpus uses the quoted examples of WordNet's synsets ("she
choked with emotion when she spoke"). They come from Debian's `wordnet-base`
(`apt-get install -y wordnet-base`); stored in the repo (about 1.6 MB), they need
no Debian package to train, test or run the app. WordNet's licence allows copying
with its notice, which is written beside them. Run it again only to check the copy:

    python tools/extract_wordnet_examples.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.everyday import WORDNET_DIR, WORDNET_FILE, parse_wordnet  # noqa: E402

LICENCE_FILE = WORDNET_FILE.parent / "wordnet_LICENSE.txt"


def licence_notice(directory: Path = WORDNET_DIR) -> str:
    """The licence header that opens each of WordNet's data files."""
    lines = (directory / "data.noun").read_text(encoding="latin-1").splitlines()
    header = [line[2:].split(" ", 1)[1] for line in lines if line.startswith("  ")]
    return "\n".join(h.rstrip() for h in header) + "\n"


def main() -> None:
    docs = parse_wordnet()
    rows = ["\t".join([d.doc_id, d.label, *d.text.split("\n")]) for d in docs]
    WORDNET_FILE.write_text("\n".join(rows) + "\n", encoding="utf-8")
    LICENCE_FILE.write_text(licence_notice(), encoding="utf-8")
    print(f"wrote {len(docs):,} synsets to {WORDNET_FILE} and {LICENCE_FILE}")


if __name__ == "__main__":
    main()
