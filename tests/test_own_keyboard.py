"""Train your own keyboard: upload checks, a capped live training, the download."""

import pytest

from engine.__main__ import main
from engine.corpora import load_bbc
from engine.errors import InputError
from engine.own_keyboard import checkpoint_bytes, text_from_upload, train_on_text

SMALL_TEXT = "\n".join(d.text for d in load_bbc()[:3])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"x" * 1_000_001, "limit is 1 MB"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("café olé".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_uploads_are_explained(data, message):
    with pytest.raises(InputError, match=message):
        text_from_upload(data)


def test_a_utf8_upload_is_read_with_or_without_bom():
    assert text_from_upload("\ufeffhello wörld".encode()) == "hello wörld"


@pytest.mark.parametrize("text", ["", "too short", "😀 " * 500, "<b></b>" * 50])
def test_texts_too_short_to_learn_from_are_refused(text):
    with pytest.raises(InputError, match="at least 200"):
        train_on_text(text)


def test_training_respects_the_time_cap_and_the_download_loads(tmp_path, capsys):
    steps = []
    own = train_on_text(SMALL_TEXT, max_seconds=3, on_step=steps.append)
    assert steps and steps[-1].elapsed_s < 5
    assert own.result.stopped_because in {"finished", "early stopping", "time limit"}
    path = tmp_path / "mine.pt"
    path.write_bytes(checkpoint_bytes(own))
    assert main(["predict", "next-word", "the", "--checkpoint", str(path)]) == 0
    assert "suggestions" in capsys.readouterr().out
