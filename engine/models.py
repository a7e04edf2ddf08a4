"""Task models built from one recurrent layer factory."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

RECURRENT_LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
DIRECTIONS = {"uni": False, "bi": True}


@dataclass
class RecurrentConfig:
    """The shape of a recurrent network; stored in every checkpoint."""

    cell: str = "lstm"  # rnn, lstm or gru
    direction: str = "uni"  # uni reads left to right; bi also reads right to left
    vocab_size: int = 8  # rows of the embedding table
    embed_size: int = 16  # length of each word vector x_t
    hidden_size: int = 32  # length of the hidden state h_t
    num_layers: int = 1  # recurrent layers stacked on top of each other
    dropout: float = 0.0  # between layers and before the output layer
    num_classes: int = 2  # classifier outputs (ignored by language models)

    def to_dict(self) -> dict:
        return asdict(self)


def make_recurrent_layer(
    cell: str,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    direction: str = "uni",
    dropout: float = 0.0,
) -> nn.RNNBase:
    """A batch-first torch RNN, LSTM or GRU chosen by name."""
    if cell not in RECURRENT_LAYERS:
        valid = ", ".join(RECURRENT_LAYERS)
        raise ValueError(f"unknown cell type {cell!r}: choose one of {valid}")
    if direction not in DIRECTIONS:
        valid = ", ".join(DIRECTIONS)
        raise ValueError(f"unknown direction {direction!r}: choose one of {valid}")
    return RECURRENT_LAYERS[cell](
        input_size,
        hidden_size,
        num_layers=num_layers,
        batch_first=True,
        bidirectional=DIRECTIONS[direction],
        # torch warns when dropout is set on a single layer: it would do nothing
        dropout=dropout if num_layers > 1 else 0.0,
    )


class SequenceClassifier(nn.Module):
    """Many-to-one: read the whole sequence, classify from the final hidden state."""

    def __init__(self, config: RecurrentConfig) -> None:
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed_size)
        self.rnn = make_recurrent_layer(
            config.cell,
            config.embed_size,
            config.hidden_size,
            config.num_layers,
            config.direction,
            config.dropout,
        )
        directions = 2 if config.direction == "bi" else 1
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.hidden_size * directions, config.num_classes)

    def summary(self, ids: Tensor) -> Tensor:
        """The final hidden state of the last layer, both directions: (B, D*H)."""
        _, state = self.rnn(self.embedding(ids))  # ids: (B, T)
        h_n = state[0] if isinstance(state, tuple) else state  # LSTM gives (h, c)
        directions = 2 if self.config.direction == "bi" else 1
        return torch.cat(list(h_n[-directions:]), dim=1)

    def forward(
        self, ids: Tensor, targets: Tensor | None = None
    ) -> tuple[Tensor, Tensor | None]:
        logits = self.head(self.drop(self.summary(ids)))  # (B, classes)
        loss = None if targets is None else F.cross_entropy(logits, targets)
        return logits, loss


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def shared_vs_unshared_parameters(
    input_size: int, hidden_size: int, lengths: list[int]
) -> list[dict]:
    """Parameters of one RNN layer vs a feed-forward layer that reads T words at once.

    The RNN reuses the same W_xh, W_hh and b at every step, so its count does not
    depend on T; the feed-forward layer needs a weight for every (position, unit)
    pair. Counted on real torch modules, built on the meta device (no memory).
    """
    with torch.device("meta"):
        shared = count_parameters(nn.RNN(input_size, hidden_size))
        return [
            {
                "length": t,
                "rnn": shared,
                "feed_forward": count_parameters(
                    nn.Linear(t * input_size, hidden_size)
                ),
            }
            for t in lengths
        ]
