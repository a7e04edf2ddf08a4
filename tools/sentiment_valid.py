"""Validation-split numbers of sentiment checkpoints, per domain: what the recipe
notes in tools/sentiment_search.py quote (never a test number).

    python tools/sentiment_valid.py engine/checkpoints/sentiment.pt runs/x/sentiment.pt

For each checkpoint: three-way accuracy on the validation tweets and on each rated
source's validation sentences, and, on the validation split's negated twins, the
share read right by the direction of the turn ("wasn't great" -> negative,
"wasn't bad" -> positive).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def validation_report(checkpoint: Path) -> dict[str, float]:
    from engine.baselines import vader_lexicon
    from engine.sentiment_twins import negated_twins
    from engine.tasks import sentiment as task

    reader = task.load_reader(checkpoint)
    report = {"tweets": task.accuracy(reader, list(task.tokenized("valid")))}
    for source in task.RATED_DOMAINS:
        report[source] = task.accuracy(reader, task.rated_examples("valid", source))
    report["all"] = task.accuracy(reader, task.labelled("valid"))
    twins = negated_twins(task.labelled("valid"), vader_lexicon(), task.TWIN_SEED)
    predicted = task._binary(task.example_logits(reader, twins).numpy())
    for label in ("negative", "positive"):
        wanted = task.LABELS.index(label)
        rows = [i for i, (_, y) in enumerate(twins) if y == wanted]
        right = sum(predicted[i] == wanted for i in rows)
        report[f"negated_to_{label}"] = right / max(len(rows), 1)
    return {key: round(value, 4) for key, value in report.items()}


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(path, json.dumps(validation_report(Path(path))), flush=True)
