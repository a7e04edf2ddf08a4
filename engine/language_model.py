"""A word-level LSTM language model and its data, after pytorch/examples'
word_language_model: one long token stream cut into batch columns, truncated
backpropagation through time, hidden state carried (and detached) between batches.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from engine.corpora import corpus_split
from engine.models import make_recurrent_layer
from engine.text import EOS, Vocab, tokenize

State = tuple[Tensor, Tensor] | Tensor  # (h, c) for an LSTM, h for an RNN or GRU


def document_tokens(text: str) -> list[str]:
    """A document's tokens with <eos> after each paragraph (the headline included)."""
    tokens: list[str] = []
    for line in text.splitlines():
        words = tokenize(line, emoji=False)
        if words:
            tokens += words + [EOS]
    return tokens


def bbc_token_docs(part: str) -> list[list[str]]:
    """Every BBC document of one split (train / valid / test), tokenized."""
    return [document_tokens(d.text) for d in corpus_split("bbc").parts()[part]]


def build_vocab(max_size: int, quick: bool = False) -> Vocab:
    docs = bbc_token_docs("train")
    return Vocab.build(docs[:100] if quick else docs, max_size=max_size)


def stream(docs: list[list[str]], vocab: Vocab) -> Tensor:
    """All documents as one 1-D tensor of ids, in split order."""
    return torch.tensor(
        [i for doc in docs for i in vocab.encode(doc)], dtype=torch.long
    )


def batchify(ids: Tensor, batch_size: int, bptt: int) -> list[tuple[Tensor, Tensor]]:
    """Cut a stream into batch_size parallel columns, then into bptt-long windows.

    Column b of window k continues column b of window k-1, so the hidden state
    carried from one window to the next is the state of the same text.
    """
    n = ids.numel() // batch_size
    columns = ids[: n * batch_size].view(batch_size, n)  # (B, N)
    windows = []
    for start in range(0, n - 1, bptt):
        length = min(bptt, n - 1 - start)
        x = columns[:, start : start + length]  # (B, T)
        y = columns[:, start + 1 : start + 1 + length]  # next word at every position
        windows.append((x, y))
    return windows


@dataclass
class LMConfig:
    """The shape of the next-word model; stored in its checkpoint."""

    vocab_size: int = 10_000
    cell: str = "lstm"  # rnn, lstm or gru
    hidden_size: int = 256  # also the word-vector size: input and output are tied
    num_layers: int = 2
    dropout: float = 0.4  # on word vectors, between layers and before the output

    def to_dict(self) -> dict:
        return asdict(self)


class LanguageModel(nn.Module):
    """Embedding -> stacked recurrent layers -> tied output layer over the vocab."""

    def __init__(self, config: LMConfig) -> None:
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.hidden_size)
        self.rnn = make_recurrent_layer(
            config.cell,
            config.hidden_size,
            config.hidden_size,
            config.num_layers,
            dropout=config.dropout,
        )
        self.drop = nn.Dropout(config.dropout)
        self.decoder = nn.Linear(config.hidden_size, config.vocab_size)
        # Tying the output weights to the word vectors (Press & Wolf, 2017) halves
        # the parameters and makes rare words learn from both ends.
        self.decoder.weight = self.embedding.weight
        nn.init.uniform_(self.embedding.weight, -0.1, 0.1)
        nn.init.zeros_(self.decoder.bias)

    def run(self, ids: Tensor, state: State | None = None) -> tuple[Tensor, State]:
        """Logits for the next word after each position: (B, T, V), and the state."""
        out, state = self.rnn(self.drop(self.embedding(ids)), state)  # (B, T, H)
        return self.decoder(self.drop(out)), state

    def step(self, token_id: int, state: State | None) -> State:
        """Read one token (batch of one) and return the new state."""
        _, state = self.rnn(self.embedding(torch.tensor([[token_id]])), state)
        return state

    def next_word_probabilities(self, state: State) -> Tensor:
        """P(next word) over the vocabulary from a state: (V,).

        The top layer's h at the last step is the output the decoder reads.
        """
        h = state[0] if isinstance(state, tuple) else state  # (layers, 1, H)
        return torch.softmax(self.decoder(h[-1, 0]), dim=0)

    def forward(
        self, ids: Tensor, targets: Tensor | None = None
    ) -> tuple[Tensor, Tensor | None]:
        logits, _ = self.run(ids)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss


def detach(state: State) -> State:
    """Cut the graph: gradients stop at the window edge (truncated BPTT)."""
    return (
        tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
    )


class CarriedStateObjective(nn.Module):
    """Training view of a LanguageModel that carries the hidden state across
    consecutive windows, so the model learns from context longer than one window."""

    def __init__(self, model: LanguageModel) -> None:
        super().__init__()
        self.model = model
        self.state: State | None = None

    def reset_state(self) -> None:
        self.state = None

    def forward(self, ids: Tensor, targets: Tensor) -> tuple[Tensor, Tensor]:
        logits, state = self.model.run(ids, self.state)
        self.state = detach(state)
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss
