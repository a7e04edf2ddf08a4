"""RNN vs LSTM vs GRU: the same budget for every cell, the shipped results, inputs."""

import json
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cell_comparison import (
    CELL_TYPES,
    MAX_SEQUENCE,
    cell_anatomy,
    comparison_table,
    example_sequences,
    load_comparison,
    memory_accuracy,
    parse_sequence,
    recall,
    retrain_one,
    train_run,
)
from engine.cell_comparison import settings as comparison_settings
from engine.checkpoints import default_path
from engine.errors import CheckpointError, InputError
from engine.models import count_parameters
from engine.tasks.cells import TASK, bench, predict, train

SHIPPED = default_path("cells")


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    path = tmp_path_factory.mktemp("cells") / "cells.pt"
    metrics = train(True, path)
    return path, metrics, load_comparison(path)


@pytest.fixture(scope="module")
def shipped():
    return load_comparison(SHIPPED)


def test_every_task_is_trained_with_every_cell_on_the_same_budget(quick):
    _, metrics, comparison = quick
    config = comparison_settings(quick=True)
    assert [(r["task"], r["cell"]) for r in metrics["table"]] == [
        (task, cell) for task in config.tasks for cell in CELL_TYPES
    ]
    for task in config.tasks:
        runs = [comparison.run(task, cell) for cell in CELL_TYPES]
        assert {run.steps for run in runs} == {config.spec(task).steps}
        # the same evaluation points, the first one before any training
        steps = [[point["step"] for point in run.curve] for run in runs]
        assert steps[0] == steps[1] == steps[2] and steps[0][0] == 0
        assert all(run.curve[0]["train_loss"] is None for run in runs)


def test_table_rows_have_the_page_keys_and_are_json(quick):
    _, _, comparison = quick
    rows = comparison_table(comparison)
    keys = {"task", "cell", "parameters", "train_seconds", "final_metric", "steps"}
    assert all(keys <= set(row) for row in rows)
    assert json.loads(json.dumps(rows)) == rows
    assert json.loads(json.dumps(comparison.curve_rows()))


def test_gated_cells_have_more_parameters_for_the_same_hidden_size(quick):
    _, _, comparison = quick
    for task in comparison.settings.tasks:
        counts = [comparison.run(task, cell).parameters for cell in CELL_TYPES]
        rnn, lstm, gru = counts
        assert rnn < gru < lstm


def test_a_run_repeats_exactly_with_the_same_seed():
    config = comparison_settings(quick=True)
    task = config.memory[0].task

    def curve():
        run = train_run(task, "gru", config)
        return [(p["step"], p["train_loss"], p["accuracy"]) for p in run.curve]

    assert curve() == curve()


def test_weights_are_stored_per_run_and_rebuild_the_trained_models(quick):
    _, _, comparison = quick
    assert "memory10.lstm.rnn.weight_hh_l0" in comparison.state_dict
    assert "next-word.gru.embedding.weight" in comparison.state_dict
    spec = comparison.settings.spec("memory10")
    for cell in CELL_TYPES:
        model = comparison.model("memory10", cell)
        final = comparison.run("memory10", cell).final_metric
        assert memory_accuracy(model, spec) == pytest.approx(final, abs=0.02)


def test_anatomy_counts_weight_blocks_from_real_layers():
    anatomy = {entry["cell"]: entry for entry in cell_anatomy(8, 32)}
    assert {cell: a["weight_blocks"] for cell, a in anatomy.items()} == {
        "rnn": 1,
        "lstm": 4,
        "gru": 3,
    }
    assert [g["name"] for g in anatomy["lstm"]["gates"] if g["is_gate"]] == [
        "input gate",
        "forget gate",
        "output gate",
    ]
    lstm = torch.nn.LSTM(8, 32)
    assert anatomy["lstm"]["parameters"] == count_parameters(lstm)
    assert all(
        g["equation"] and g["meaning"] for a in anatomy.values() for g in a["gates"]
    )


def test_live_rerun_stops_at_its_time_cap_and_reports_progress():
    steps, points = [], []
    run = retrain_one(
        "memory50",
        "rnn",
        seconds_cap=1,
        on_step=lambda p: steps.append(p.step),
        on_eval=lambda r: points.append(len(r.curve)),
    )
    assert run.stopped_because == "time limit"
    assert 0 < run.steps < comparison_settings().spec("memory50").steps
    assert steps[-1] == run.steps and points[-1] == len(run.curve)
    assert run.model is not None and run.curve[-1]["step"] == run.steps


@pytest.mark.parametrize(
    "task, cell, cap",
    [("memory7", "lstm", 5), ("memory10", "transformer", 5), ("memory10", "gru", 0)],
)
def test_live_rerun_refuses_bad_settings(task, cell, cap):
    with pytest.raises(InputError):
        retrain_one(task, cell, seconds_cap=cap)


def test_predict_asks_all_six_memory_models(quick):
    path, _, _ = quick
    [result] = predict(["c i k j l"], path, k=2)
    assert result["first"] == "c" and result["length"] == 5
    assert len(result["answers"]) == 6
    assert all(len(a["ranked"]) == 2 for a in result["answers"])
    assert {a["cell"] for a in result["answers"]} == set(CELL_TYPES)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀",
        "<b>c</b> i j",
        "c" + " i" * 50_000,
        "i c j",  # a distractor first
        "c i a j",  # an answer letter later on
        "c i 3 j",
        "c i j 😀",
        "x y z",
    ],
)
def test_bad_sequences_raise_a_friendly_input_error(quick, text):
    _, _, comparison = quick
    with pytest.raises(InputError):
        recall(comparison, text)


@settings(max_examples=100)
@given(st.text(max_size=300))
def test_any_text_gives_an_answer_or_an_input_error(text):
    spec = comparison_settings(quick=True).memory[0]
    try:
        letters = parse_sequence(text, spec)
    except InputError as error:
        assert str(error)
    else:
        assert 1 <= len(letters) <= MAX_SEQUENCE


def test_quick_bench_reports_the_required_numbers(quick):
    path, _, _ = quick
    report = bench(True, path)
    for key in ("accuracy", "baseline", "baseline_name", "n_test", "predict_p95_ms"):
        assert key in report
    assert report["parameters"] > 0 and report["checkpoint_kb"] > 0
    assert len(report["cells"]) == 9 and TASK.name == "cells"
    assert json.loads(json.dumps(report)) == report


def test_a_missing_or_damaged_checkpoint_raises_checkpoint_error(tmp_path):
    with pytest.raises(CheckpointError):
        load_comparison(tmp_path / "nothing.pt")
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError):
        predict(["c i j"], broken, 3)


def test_shipped_memory_runs_show_the_gap(shipped):
    assert [spec.length for spec in shipped.settings.memory] == [10, 50]
    for cell in CELL_TYPES:
        assert shipped.run("memory10", cell).final_metric >= 0.95
    for cell in ("lstm", "gru"):
        assert shipped.run("memory50", cell).final_metric >= 0.95
    assert shipped.run("memory50", "rnn").final_metric <= 0.4  # chance is 0.125
    # the shipped fp16 weights still give the recorded accuracy
    spec = shipped.settings.spec("memory50")
    lstm = shipped.model("memory50", "lstm")
    assert memory_accuracy(lstm, spec) == pytest.approx(
        shipped.run("memory50", "lstm").final_metric, abs=0.01
    )


def test_shipped_next_word_runs_beat_the_untrained_start(shipped):
    for cell in CELL_TYPES:
        run = shipped.run("next-word", cell)
        assert run.steps == shipped.settings.words.steps
        assert run.final_metric < run.curve[0]["perplexity"] / 10
        assert math.isfinite(run.final_metric)


def test_shipped_checkpoint_is_small_and_answers_examples(shipped):
    assert SHIPPED.stat().st_size < 2 * 1024 * 1024
    text = example_sequences(shipped.settings.spec("memory50"), 1)[0]
    answers = recall(shipped, text)["answers"]
    lstm50 = next(a for a in answers if a["task"] == "memory50" and a["cell"] == "lstm")
    assert lstm50["correct"]
