"""Store the shipped next-word model's benchmark per domain in its checkpoint (the
keyboard page's "LSTM vs n-gram" table reads them instead of measuring):

    python tools/store_next_word_bench.py bench-next-word.json

The JSON is the output of `python -m engine bench next-word --json PATH` on the
shipped checkpoint; its weights are written back unchanged.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.checkpoints import add_metrics, default_path  # noqa: E402
from engine.tasks import next_word  # noqa: E402

if __name__ == "__main__":
    report = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    bench = {domain: report[domain] for domain in next_word.DOMAINS}
    add_metrics(default_path(next_word.NAME), next_word.NAME, bench=bench)
    print(json.dumps(bench, indent=1))
