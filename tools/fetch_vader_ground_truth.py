"""Extract the human-rated sentences of the VADER paper into engine/data/.

The wheel of vaderSentiment 3.3.2 (MIT) does not ship them; its source
distribution does, in additional_resources/hutto_ICWSM_2014.tar.gz. This tool
downloads that source distribution with pip (no install, no build) and copies the
four ground-truth files and the dataset's README into the repo, so training,
benchmarks and tests read them offline. Run it again only to check the copy:

    python tools/fetch_vader_ground_truth.py
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "3.3.2"
OUT = Path(__file__).resolve().parents[1] / "engine" / "data" / "vader_ground_truth"
FILES = (
    "tweets_GroundTruth.txt",
    "movieReviewSnippets_GroundTruth.txt",
    "amazonReviewSnippets_GroundTruth.txt",
    "nytEditorialSnippets_GroundTruth.txt",
    "_README_.txt",
)
LICENCE = "LICENSE.txt"  # MIT, from the top of the source distribution


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"vaderSentiment=={VERSION}",
                "-d",
                tmp,
                "-q",
            ],
            check=True,
        )
        sdist = next(Path(tmp).glob("vaderSentiment-*.tar.gz"))
        with tarfile.open(sdist) as outer:
            inner_name = next(
                n for n in outer.getnames() if n.endswith("hutto_ICWSM_2014.tar.gz")
            )
            inner_bytes = outer.extractfile(inner_name).read()
            licence_name = next(n for n in outer.getnames() if n.endswith(LICENCE))
            licence = outer.extractfile(licence_name).read()
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / LICENCE).write_bytes(licence)
        with tarfile.open(fileobj=io.BytesIO(inner_bytes)) as inner:
            for member in inner.getmembers():
                name = Path(member.name).name
                if name in FILES:
                    (OUT / name).write_bytes(inner.extractfile(member).read())
                    print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
