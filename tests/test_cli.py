"""The command line, end to end: train (quick) -> checkpoint -> predict -> bench."""

import json
import subprocess
import sys

import pytest

from engine.__main__ import main
from engine.checkpoints import default_path


@pytest.fixture(scope="module")
def quick_checkpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("ckpt") / "demo.pt"
    assert main(["train", "demo", "--quick", "--out", str(path)]) == 0
    return path


def test_help_lists_the_tasks():
    result = subprocess.run(
        [sys.executable, "-m", "engine", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "demo:" in result.stdout and "corpora" in result.stdout


def test_predict_prints_ranked_json_per_text(quick_checkpoint, capsys):
    code = main(
        [
            "predict",
            "demo",
            "c a b",
            "f e d c b a",
            "--k",
            "2",
            "--json",
            "--checkpoint",
            str(quick_checkpoint),
        ]
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 0 and len(lines) == 2
    first = json.loads(lines[0])
    assert first["first"] == "c" and len(first["ranked"]) == 2
    assert abs(sum(r["probability"] for r in first["ranked"])) <= 1.0001


def test_predict_reads_texts_from_stdin(quick_checkpoint, monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("a b\n\nc d e\n"))
    code = main(
        [
            "predict",
            "demo",
            "--file",
            "-",
            "--json",
            "--checkpoint",
            str(quick_checkpoint),
        ]
    )
    assert code == 0 and len(capsys.readouterr().out.strip().splitlines()) == 2


@pytest.mark.parametrize(
    "text", ["", "   ", "xyz 😀", "<script>alert(1)</script>", "a " * 50_000]
)
def test_bad_input_gives_a_friendly_error_and_exit_code_2(
    quick_checkpoint, capsys, text
):
    code = main(["predict", "demo", text, "--checkpoint", str(quick_checkpoint)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err


def test_missing_checkpoint_says_how_to_rebuild(tmp_path, capsys):
    code = main(["predict", "demo", "a b", "--checkpoint", str(tmp_path / "x.pt")])
    assert code == 2 and "python -m engine train demo" in capsys.readouterr().err


def test_bench_writes_json(quick_checkpoint, tmp_path, capsys):
    out = tmp_path / "bench.json"
    code = main(
        [
            "bench",
            "demo",
            "--quick",
            "--json",
            str(out),
            "--checkpoint",
            str(quick_checkpoint),
        ]
    )
    report = json.loads(out.read_text())
    assert code == 0 and report["task"] == "demo"
    assert 0 <= report["accuracy_len20"] <= 1 and report["predict_p95_ms"] > 0


def test_shipped_demo_checkpoint_meets_its_target(capsys):
    """The committed model must still load and recall the first letter."""
    assert default_path("demo").stat().st_size < 100_000
    assert main(["bench", "demo", "--quick"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["accuracy_len20"] >= 0.95


def test_quick_training_is_reproducible(tmp_path):
    import torch

    paths = [tmp_path / "a.pt", tmp_path / "b.pt"]
    for path in paths:
        main(["train", "demo", "--quick", "--out", str(path)])
    a, b = (torch.load(p, weights_only=True)["state_dict"] for p in paths)
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_only_the_language_models_train_on_another_device(tmp_path, capsys):
    out = tmp_path / "x.pt"
    code = main(["train", "demo", "--quick", "--device", "cuda", "--out", str(out)])
    assert code == 2
    assert "Only the next-word and fill-blank tasks" in capsys.readouterr().err
    assert not out.exists()
