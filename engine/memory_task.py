"""A seeded long-range memory task: read a stream of symbols, recall the first.

The answer is at the very start and everything after it is a distractor, so the
network must carry one piece of information across the whole sequence: exactly
what vanishing gradients make hard for a plain RNN as sequences grow.
"""

from __future__ import annotations

import string

import torch
from torch import Tensor

from engine.text import SPECIALS, Vocab


def symbol_vocab(n_symbols: int) -> Vocab:
    """The special tokens followed by the letters a, b, c, ..."""
    if not 2 <= n_symbols <= 26:
        raise ValueError("n_symbols must be between 2 and 26")
    return Vocab(list(SPECIALS) + list(string.ascii_lowercase[:n_symbols]))


def first_symbol_batch(
    batch_size: int,
    length: int,
    n_symbols: int,
    generator: torch.Generator,
    n_distractors: int = 0,
) -> tuple[Tensor, Tensor]:
    """ids (B, T) of random symbols, and targets (B,): which symbol came first.

    With n_distractors > 0, every symbol after the first is drawn from a separate
    set of that many distractor symbols (ids after the answer symbols).
    """
    symbols = torch.randint(0, n_symbols, (batch_size, length), generator=generator)
    if n_distractors:
        noise = torch.randint(
            0, n_distractors, (batch_size, length - 1), generator=generator
        )
        symbols[:, 1:] = n_symbols + noise
    ids = symbols + len(SPECIALS)  # symbol k has vocab id len(SPECIALS) + k
    return ids, symbols[:, 0].clone()


def first_symbol_batches(
    n_batches: int,
    batch_size: int,
    lengths: tuple[int, int],
    n_symbols: int,
    seed: int,
    n_distractors: int = 0,
) -> list[tuple[Tensor, Tensor]]:
    """Batches whose lengths are drawn from [lengths[0], lengths[1]], reproducibly."""
    generator = torch.Generator().manual_seed(seed)
    batches = []
    for _ in range(n_batches):
        length = int(
            torch.randint(lengths[0], lengths[1] + 1, (1,), generator=generator)
        )
        batches.append(
            first_symbol_batch(batch_size, length, n_symbols, generator, n_distractors)
        )
    return batches
