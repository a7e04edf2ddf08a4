"""RNN vs LSTM vs GRU: the same training for every cell, a plain RNN with the
LSTM's parameter count, the shipped results, inputs."""

import json
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cell_comparison import (
    CELL_TYPES,
    MATCHED,
    MAX_SEQUENCE,
    RUNS,
    WIDE_RNN,
    cell_anatomy,
    cell_of,
    comparison_table,
    example_sequences,
    hidden_size,
    load_comparison,
    memory_accuracy,
    memory_model,
    parse_sequence,
    recall,
    retrain_one,
    train_run,
    word_model,
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


def test_every_task_is_trained_with_every_run_on_the_same_training(quick):
    _, metrics, comparison = quick
    config = comparison_settings(quick=True)
    assert [(r["task"], r["cell"]) for r in metrics["table"]] == [
        (task, run) for task in config.tasks for run in RUNS
    ]
    assert RUNS == (*CELL_TYPES, WIDE_RNN)
    for task in config.tasks:
        spec = config.spec(task)
        runs = [comparison.run(task, cell) for cell in RUNS]
        assert {run.steps for run in runs} == {spec.steps}
        # the same evaluation points, the first one before any training
        steps = [[point["step"] for point in run.curve] for run in runs]
        assert all(s == steps[0] for s in steps) and steps[0][0] == 0
        assert all(run.curve[0]["train_loss"] is None for run in runs)
        # the three cells share the hidden size; the wide RNN is wider
        assert [comparison.run(task, c).hidden_size for c in CELL_TYPES] == [
            spec.hidden_size
        ] * 3
        assert comparison.run(task, WIDE_RNN).hidden_size > spec.hidden_size


def test_table_rows_have_the_page_keys_and_are_json(quick):
    _, _, comparison = quick
    rows = comparison_table(comparison)
    keys = {"task", "cell", "parameters", "train_seconds", "final_metric", "steps"}
    keys.add("hidden_size")
    assert all(keys <= set(row) for row in rows)
    assert json.loads(json.dumps(rows)) == rows
    assert json.loads(json.dumps(comparison.curve_rows()))


def test_gated_cells_have_more_parameters_for_the_same_hidden_size(quick):
    _, _, comparison = quick
    for task in comparison.settings.tasks:
        counts = [comparison.run(task, cell).parameters for cell in CELL_TYPES]
        rnn, lstm, gru = counts
        assert rnn < gru < lstm


def _whole_model(spec, cell: str, size: int, vocab_size: int) -> int:
    """A real model's parameter count (tied weights counted once)."""
    if spec.task.startswith("memory"):
        return count_parameters(memory_model(spec, cell, size))
    return count_parameters(word_model(spec, cell, vocab_size, size))


@pytest.mark.parametrize("quick_settings", [True, False])
def test_the_wide_rnn_is_the_plain_rnn_closest_to_the_lstm_s_count(quick_settings):
    config = comparison_settings(quick=quick_settings)
    vocab_size = 300 if quick_settings else 3_000
    for spec in (*config.memory, config.words):
        size = hidden_size(spec, WIDE_RNN, vocab_size)
        lstm = _whole_model(spec, MATCHED, spec.hidden_size, vocab_size)
        miss = {
            units: abs(_whole_model(spec, "rnn", units, vocab_size) - lstm)
            for units in (size - 1, size, size + 1)
        }
        assert miss[size] == min(miss.values()), spec.task
        assert miss[size] / lstm < 0.03, spec.task  # within a few percent
        assert hidden_size(spec, "lstm", vocab_size) == spec.hidden_size


def test_a_run_name_says_which_cell_it_trains():
    assert [cell_of(run) for run in RUNS] == ["rnn", "lstm", "gru", "rnn"]
    with pytest.raises(InputError):
        cell_of("transformer")


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
    wide = comparison.run("memory10", WIDE_RNN).hidden_size
    recurrent = comparison.state_dict[f"memory10.{WIDE_RNN}.rnn.weight_hh_l0"]
    assert recurrent.shape == (wide, wide)  # a plain RNN's single block
    spec = comparison.settings.spec("memory10")
    for cell in RUNS:
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


@pytest.mark.parametrize("cell", ["rnn", WIDE_RNN])
def test_live_rerun_stops_at_its_time_cap_and_reports_progress(cell):
    steps, points = [], []
    run = retrain_one(
        "memory50",
        cell,
        seconds_cap=1,
        on_step=lambda p: steps.append(p.step),
        on_eval=lambda r: points.append(len(r.curve)),
    )
    assert run.stopped_because == "time limit"
    assert 0 < run.steps < comparison_settings().spec("memory50").steps
    assert steps[-1] == run.steps and points[-1] == len(run.curve)
    assert run.model is not None and run.curve[-1]["step"] == run.steps
    spec = comparison_settings().spec("memory50")
    assert run.hidden_size == hidden_size(spec, cell)
    assert run.parameters == count_parameters(run.model)


@pytest.mark.parametrize(
    "task, cell, cap",
    [("memory7", "lstm", 5), ("memory10", "transformer", 5), ("memory10", "gru", 0)],
)
def test_live_rerun_refuses_bad_settings(task, cell, cap):
    with pytest.raises(InputError):
        retrain_one(task, cell, seconds_cap=cap)


def test_predict_asks_all_eight_memory_models(quick):
    path, _, _ = quick
    [result] = predict(["c i k j l"], path, k=2)
    assert result["first"] == "c" and result["length"] == 5
    assert len(result["answers"]) == 8  # two lengths, three cells and the wide RNN
    assert all(len(a["ranked"]) == 2 for a in result["answers"])
    assert {a["cell"] for a in result["answers"]} == set(RUNS)
    assert {a["label"] for a in result["answers"]} >= {"RNN", "wide RNN"}


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
    assert len(report["cells"]) == 12 and TASK.name == "cells"
    assert 0 <= report["wide_rnn_accuracy"] <= 1
    assert "8 memory models" in report["predict_input"]
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


def test_shipped_runs_include_the_wide_rnn_trained_like_the_others(shipped):
    assert [(r.task, r.cell) for r in shipped.runs] == [
        (task, run) for task in shipped.settings.tasks for run in RUNS
    ]
    for task in shipped.settings.tasks:
        wide, lstm = shipped.run(task, WIDE_RNN), shipped.run(task, MATCHED)
        assert abs(wide.parameters - lstm.parameters) / lstm.parameters < 0.03
        assert wide.steps == lstm.steps == shipped.settings.spec(task).steps
        assert [p["step"] for p in wide.curve] == [p["step"] for p in lstm.curve]
        model = shipped.model(task, WIDE_RNN)  # rebuilt from the stored weights
        assert count_parameters(model) == wide.parameters
        assert model.rnn.hidden_size == wide.hidden_size
    # the fp16 weights still give the recorded accuracy
    spec = shipped.settings.spec("memory50")
    assert memory_accuracy(shipped.model("memory50", WIDE_RNN), spec) == (
        pytest.approx(shipped.run("memory50", WIDE_RNN).final_metric, abs=0.01)
    )


def test_shipped_next_word_runs_beat_the_untrained_start(shipped):
    for cell in RUNS:
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
