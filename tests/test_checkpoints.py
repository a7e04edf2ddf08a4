import pickle

import pytest
import torch

from engine.checkpoints import Checkpoint, load_checkpoint, save_checkpoint
from engine.errors import CheckpointError
from engine.text import Vocab


@pytest.fixture
def saved(tmp_path):
    model = torch.nn.Linear(3, 2)
    checkpoint = Checkpoint(
        task="demo",
        state_dict=model.state_dict(),
        config={"hidden_size": 2},
        vocab=Vocab.build([["a", "b"]]),
        fingerprint={"train": "abc"},
        metrics={"accuracy": 0.9},
    )
    return model, save_checkpoint(checkpoint, tmp_path / "demo.pt")


def test_round_trip_keeps_everything(saved):
    model, path = saved
    loaded = load_checkpoint(path, "demo")
    assert torch.equal(loaded.state_dict["weight"], model.weight)
    assert loaded.config == {"hidden_size": 2} and loaded.metrics == {"accuracy": 0.9}
    assert loaded.vocab.itos == Vocab.build([["a", "b"]]).itos
    assert loaded.fingerprint == {"train": "abc"}


def test_a_vocabulary_is_stored_as_one_string_and_old_lists_still_load(tmp_path):
    """One newline-separated string keeps a 15,000-word reader under 10 MB;
    checkpoints saved with a list of words still load."""
    from engine import checkpoints

    words = Vocab.build([["don't", "😀", ":)", "café"]]).itos + ["w1", "", "w2"]
    state = {"w": torch.zeros(2)}
    path = save_checkpoint(
        Checkpoint("demo", state, {}, Vocab(words), {}, {}), tmp_path / "v.pt"
    )
    assert isinstance(torch.load(path, weights_only=True)["vocab"], str)
    assert load_checkpoint(path, "demo").vocab.itos == words
    meta = {"format": checkpoints.FORMAT_VERSION, "task": "demo", "config": {}}
    meta |= {"vocab": words, "fingerprint": {}, "metrics": {}}
    old = tmp_path / "old.pt"
    digest = checkpoints._digest(meta, state)
    torch.save({**meta, "state_dict": state, "digest": digest}, old)
    assert load_checkpoint(old, "demo").vocab.itos == words


def test_half_precision_halves_storage_and_loads_as_float32(tmp_path):
    state = {"w": torch.randn(200, 200)}
    full = save_checkpoint(
        Checkpoint("demo", state, {}, None, {}, {}), tmp_path / "a.pt"
    )
    half = save_checkpoint(
        Checkpoint("demo", state, {}, None, {}, {}), tmp_path / "b.pt", half=True
    )
    assert half.stat().st_size < 0.6 * full.stat().st_size
    loaded = load_checkpoint(half, "demo").state_dict["w"]
    assert loaded.dtype == torch.float32
    assert torch.allclose(loaded, state["w"], atol=1e-2)


def test_missing_file_says_how_to_rebuild(tmp_path):
    with pytest.raises(CheckpointError, match="missing.*python -m engine train demo"):
        load_checkpoint(tmp_path / "nope.pt", "demo")


def test_truncated_file_is_reported_as_damaged(saved):
    _, path = saved
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(CheckpointError, match="damaged.*python -m engine train demo"):
        load_checkpoint(path, "demo")


def test_junk_file_is_reported_as_damaged(tmp_path):
    path = tmp_path / "junk.pt"
    path.write_bytes(b"this is not a checkpoint at all" * 10)
    with pytest.raises(CheckpointError, match="damaged"):
        load_checkpoint(path, "demo")


def test_tampered_weights_fail_the_checksum(saved):
    _, path = saved
    payload = torch.load(path, weights_only=True)
    payload["state_dict"]["weight"] += 1.0
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match="altered"):
        load_checkpoint(path, "demo")


def test_another_tasks_checkpoint_is_refused(saved):
    _, path = saved
    with pytest.raises(CheckpointError, match="holds a 'demo' model"):
        load_checkpoint(path, "next-word")


def test_a_plain_state_dict_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "plain.pt"
    torch.save(torch.nn.Linear(2, 2).state_dict(), path)
    with pytest.raises(CheckpointError, match="not an RNN Playground checkpoint"):
        load_checkpoint(path, "demo")


class _Exploit:
    def __reduce__(self):
        return (print, ("this must never run",))


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_pickled_code_is_never_executed(tmp_path, capsys):
    path = tmp_path / "evil.pt"
    with path.open("wb") as handle:
        pickle.dump({"state_dict": _Exploit()}, handle)
    with pytest.raises(CheckpointError):
        load_checkpoint(path, "demo")
    assert "must never run" not in capsys.readouterr().out
