"""The five input/output shapes of an RNN, each a trained task, measured together:
`python -m engine bench shapes --json PATH`."""

from __future__ import annotations

from engine.checkpoints import default_path

# shape -> the task that demonstrates it
SHAPE_TASKS = {
    "one_to_one": "digits",
    "one_to_many": "digit-spelling",
    "many_to_one": "topic",
    "many_to_many_same": "truecase",
    "many_to_many_diff": "dates",
}
SUMMARY_KEYS = ("accuracy", "baseline", "baseline_name", "n_test")


def bench_shapes(quick: bool = False) -> dict:
    """Held-out accuracy of every shape task beside its trivial baseline, the
    encoder-decoder's exact match, the truecaser's F1 gain over the full-stop
    rule, and the RNN / LSTM / GRU comparison table."""
    from engine.tasks import all_tasks

    tasks = all_tasks()
    report: dict = {"tasks": {}}
    details = {}
    for shape, name in SHAPE_TASKS.items():
        result = tasks[name].bench(quick, default_path(name))
        details[name] = result
        summary = {key: result[key] for key in SUMMARY_KEYS}
        summary["task"] = name
        # "clearly above": the model makes at most half the baseline's mistakes
        errors = max(1.0 - result["baseline"], 1e-9)
        reduction = (result["accuracy"] - result["baseline"]) / errors
        summary["error_reduction"] = round(reduction, 4)
        summary["clearly_above_baseline"] = reduction >= 0.5
        report["tasks"][shape] = summary
    report["seq2seq_exact"] = details["dates"]["accuracy"]
    report["truecase_f1_gain"] = details["truecase"]["truecase_f1_gain"]
    report["truecase_tagger_f1"] = details["truecase"]["tagger_f1"]
    report["truecase_rule_f1"] = details["truecase"]["rule_f1"]
    report["tasks"]["many_to_many_same"] |= {
        "accuracy_on": "tags of word tokens",
        "f1_capitalised": details["truecase"]["tagger_f1"],
        "rule_f1_capitalised": details["truecase"]["rule_f1"],
    }
    cells = tasks["cells"].bench(quick, default_path("cells"))
    report["cells"] = cells["cells"]
    report["details"] = details
    return report
