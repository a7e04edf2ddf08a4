"""Train your own keyboard: a small LSTM on the learner's text, capped in time.

Small on purpose: a classroom server trains several of these at once on a couple
of CPU cores, so the model, the data and the wall-clock time are all capped.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.checkpoints import Checkpoint, save_checkpoint
from engine.errors import InputError
from engine.language_model import (
    CarriedStateObjective,
    LanguageModel,
    LMConfig,
    batchify,
    document_tokens,
    stream,
)
from engine.text import Vocab
from engine.train import EpochResult, Progress, TrainConfig, Trainer, TrainResult

MAX_UPLOAD_BYTES = 1_000_000  # 1 MB of text is plenty for two minutes of CPU
MAX_SECONDS = 120.0
MIN_TOKENS = 200
MAX_VOCAB = 5_000


@dataclass
class OwnModel:
    """A learner's keyboard model, its data, and how its training went."""

    model: LanguageModel
    vocab: Vocab
    n_tokens: int
    train_batches: list = field(repr=False)
    valid_batches: list = field(repr=False)
    result: TrainResult | None = None  # None until training has finished


def text_from_upload(data: bytes) -> str:
    """The text of an uploaded file, or a friendly InputError saying what is wrong."""
    if not data:
        raise InputError("That file is empty. Upload a .txt file with some text in it.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"That file is {len(data) / 1e6:.1f} MB; the limit is 1 MB. "
            "Upload a shorter text."
        )
    if b"\x00" in data[:4096]:
        raise InputError("That file looks binary, not text. Upload a plain .txt file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            "That file is not UTF-8 text. Save it as UTF-8 (plain text) and try again."
        ) from None


def prepare(text: str, hidden_size: int = 128) -> OwnModel:
    """An untrained 1-layer LSTM and its data (the last 10% held out to validate)."""
    if len(text.encode("utf-8")) > MAX_UPLOAD_BYTES:
        raise InputError("That text is over 1 MB; use a shorter one.")
    tokens = document_tokens(text)
    if len(tokens) < MIN_TOKENS:
        raise InputError(
            f"That text has {len(tokens)} tokens; a keyboard needs at least "
            f"{MIN_TOKENS} to learn anything. Paste or upload a longer text."
        )
    cut = int(len(tokens) * 0.9)
    vocab = Vocab.build([tokens[:cut]], max_size=MAX_VOCAB)
    train_ids, valid_ids = stream([tokens[:cut]], vocab), stream([tokens[cut:]], vocab)
    batch_size = 16 if len(tokens) > 5_000 else 4
    config = LMConfig(
        vocab_size=len(vocab), hidden_size=hidden_size, num_layers=1, dropout=0.2
    )
    return OwnModel(
        LanguageModel(config),
        vocab,
        len(tokens),
        batchify(train_ids, batch_size, 25),
        batchify(valid_ids, 2, 25),
    )


def fit(
    own: OwnModel,
    max_seconds: float = MAX_SECONDS,
    on_step: Callable[[Progress], None] | None = None,
    on_epoch: Callable[[EpochResult], None] | None = None,
    epochs: int = 30,
) -> OwnModel:
    """Train in place (so a learner who stops early keeps the weights so far)."""
    config = TrainConfig(
        epochs=epochs,
        lr=5e-3,
        clip_norm=0.5,
        patience=3,
        max_seconds=min(max_seconds, MAX_SECONDS),
        lr_decay=0.5,
    )
    trainer = Trainer(CarriedStateObjective(own.model), config, on_step, on_epoch)
    own.result = trainer.fit(own.train_batches, own.valid_batches)
    own.model.eval()
    return own


def train_on_text(text: str, max_seconds: float = MAX_SECONDS, **hooks) -> OwnModel:
    return fit(prepare(text), max_seconds, **hooks)


def checkpoint_bytes(own: OwnModel) -> bytes:
    """The trained model as a checkpoint file that `python -m engine` can load."""
    state = {k: v for k, v in own.model.state_dict().items() if k != "decoder.weight"}
    checkpoint = Checkpoint(
        "next-word",
        state,
        own.model.config.to_dict(),
        own.vocab,
        {"source": "the learner's own text", "tokens": own.n_tokens},
        {"valid_loss": round(own.result.best_valid_loss, 4) if own.result else None},
    )
    with tempfile.TemporaryDirectory() as directory:
        path = save_checkpoint(
            checkpoint, Path(directory) / "my-keyboard.pt", half=True
        )
        return path.read_bytes()
