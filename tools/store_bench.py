"""Store a shipped model's benchmark in its checkpoint, so a page shows measured
numbers without measuring them (the keyboard's "LSTM vs n-gram" table, the fill-
the-blank race with the n-gram):

    python -m engine bench next-word --json bench-next-word.json
    python tools/store_bench.py next-word bench-next-word.json

The JSON is the output of `python -m engine bench TASK --json PATH` on the shipped
checkpoint; its weights are written back unchanged.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.checkpoints import add_metrics, default_path  # noqa: E402
from engine.tasks import fill_blank, next_word  # noqa: E402

# what each task's page reads: its per-domain results (and fill-blank's example)
KEYS = {
    next_word.NAME: next_word.DOMAINS,
    fill_blank.NAME: (*fill_blank.DOMAINS, "long_range_example"),
}

if __name__ == "__main__":
    task, path = sys.argv[1], Path(sys.argv[2])
    report = json.loads(path.read_text(encoding="utf-8"))
    bench = {key: report[key] for key in KEYS[task]}
    if task == fill_blank.NAME:  # the page names each source's share
        bench["train_sentences"] = {
            domain: len(fill_blank.domain_sentences(domain, "train"))
            for domain in fill_blank.DOMAINS
        }
    add_metrics(default_path(task), task, bench=bench)
    print(json.dumps(bench, indent=1))
