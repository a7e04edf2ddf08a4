"""`python -m engine bench shapes`: one report for the five shapes and the cells."""

import json

from engine.__main__ import main
from engine.shapes import SHAPE_TASKS


def test_bench_shapes_reports_every_shape_beside_its_baseline(tmp_path, capsys):
    out = tmp_path / "shapes.json"
    assert main(["bench", "shapes", "--quick", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert set(report["tasks"]) == set(SHAPE_TASKS)
    for shape, entry in report["tasks"].items():
        assert entry["task"] == SHAPE_TASKS[shape]
        assert 0 <= entry["baseline"] < entry["accuracy"] <= 1, shape
        assert entry["baseline_name"] and entry["n_test"] > 0
    assert report["seq2seq_exact"] == report["tasks"]["many_to_many_diff"]["accuracy"]
    assert report["truecase_f1_gain"] == round(
        report["truecase_tagger_f1"] - report["truecase_rule_f1"], 4
    )
    cells = {(row["task"], row["cell"]) for row in report["cells"]}
    assert ("memory50", "gru") in cells and ("next-word", "rnn") in cells
    assert "page_rerun_ms" not in report  # timed only in the full benchmark
