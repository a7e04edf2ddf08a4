"""Connectivity in trained language models: how much the prediction at the last
word leans on each earlier word (after Madsen, "Visualizing memorization in
RNNs", Distill 2019).

For one sentence and one model: read the words, take the score (the logit, before
the softmax) that the model gives its top next word after the last word, and ask
autograd for the gradient of that score with respect to each word's input vector.
The length of that gradient says how much a small change to the word would move
the prediction; divided by the total over the words, it becomes a share, so
models of different sizes can be compared on one scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from engine.errors import InputError
from engine.language_model import LanguageModel
from engine.text import EOS, SPECIALS, Vocab, shown_word, tokenize

MAX_WORDS = 30  # words read; a longer text keeps its last ones (the prediction's)
EXAMPLE = (
    "The government said the new tax on fuel, which was announced in the budget "
    "last year, will be paid by"
)


@dataclass(frozen=True)
class Sentence:
    """The learner's text as the word-level models read it."""

    words: list[str]  # lower-case tokens, the last MAX_WORDS at most
    dropped: int  # words cut from the start because the text was longer


@dataclass
class Connectivity:
    """One model's dependence on each word of one sentence."""

    words: list[str]
    unknown: list[bool]  # read as <unk>: the model has no vector of its own for it
    norms: list[float]  # |d score / d x_t| per word, in the model's own units
    shares: list[float]  # norms / their total: sums to 1 (all 0 if the total is 0)
    predicted: str  # the top next token, whose score is differentiated
    position: int  # 0-based index of the word the prediction is made after

    def recent_share(self, last: int = 3) -> float:
        """The share held by the `last` words up to the prediction's position."""
        start = max(0, self.position + 1 - last)
        return sum(self.shares[start : self.position + 1])


def read_sentence(text: str, max_words: int = MAX_WORDS) -> Sentence:
    """Words as the language models were trained to read them (no emoji);
    InputError, with an example, when there is no word to read."""
    if not isinstance(text, str):
        raise InputError(f"Type a sentence, for example: {EXAMPLE}")
    # emoji=False: the word-level models never saw an emoji, so they are dropped
    words = tokenize(text, emoji=False)
    if not words:
        raise InputError(f"There are no words in that. Try: {EXAMPLE}")
    dropped = max(0, len(words) - max_words)
    return Sentence(words[dropped:], dropped)


def connectivity(
    model: LanguageModel, vocab: Vocab, words: list[str], position: int | None = None
) -> Connectivity:
    """The gradient norm of the top next word's score after `words[position]`
    (default: the last word) with respect to every word's input vector.

    One forward and one backward pass. `torch.autograd.grad` returns the input
    gradient only, so a shared (cached) model's parameters get no `.grad`.
    """
    if not words:
        raise InputError(f"There are no words to read. Try: {EXAMPLE}")
    position = len(words) - 1 if position is None else position
    if not 0 <= position < len(words):
        raise InputError(f"Choose a word between 1 and {len(words)}.")
    if model.training:  # dropout would make every gradient a different one
        raise ValueError("connectivity needs a model in eval mode (model.eval())")
    # the typed text starts as a new paragraph, as in the keyboard: <eos> first
    ids = torch.tensor([vocab.encode([EOS, *words])])  # (1, 1 + T)
    vectors = model.embedding(ids).detach().requires_grad_(True)  # (1, 1 + T, E)
    with torch.enable_grad():
        out, _ = model.rnn(vectors)  # (1, 1 + T, H)
        logits = model.decoder(out[0, 1 + position])  # (V,) after words[position]
        predicted = _top_word(logits, vocab)
        (grad,) = torch.autograd.grad(logits[predicted], vectors)
    # the start marker is read but is not the learner's: shares are over words
    norms = grad[0, 1:].norm(dim=-1)  # (T,)
    return Connectivity(
        words=list(words),
        unknown=[word not in vocab for word in words],
        norms=norms.tolist(),
        shares=_shares(norms),
        predicted=vocab.itos[predicted],
        position=position,
    )


def _top_word(logits: Tensor, vocab: Vocab) -> int:
    """The most likely next token (a word or a punctuation mark), never <unk>,
    <eos> or the other specials: the keyboard never suggests them either."""
    scores = logits.detach().clone()
    scores[: len(SPECIALS)] = -torch.inf
    return int(scores.argmax())


def _shares(norms: Tensor) -> list[float]:
    total = float(norms.sum())
    if total == 0.0 or not torch.isfinite(norms).all():
        return [0.0] * len(norms)
    return (norms / total).tolist()


def compare(
    models: dict[str, tuple[LanguageModel, Vocab]], text: str
) -> tuple[Sentence, dict[str, Connectivity]]:
    """The same sentence through every model: label -> its connectivity.

    InputError when there is no word, or when no model knows any of them (every
    word would be the same <unk> vector, and the picture would say nothing)."""
    sentence = read_sentence(text)
    if not any(
        word in vocab for _, vocab in models.values() for word in sentence.words
    ):
        shown = ", ".join(shown_word(w) for w in sentence.words[:5])
        raise InputError(
            f"None of these words is in the models' vocabularies ({shown}). "
            f"They were trained on news; try: {EXAMPLE}"
        )
    results = {
        label: connectivity(model, vocab, sentence.words)
        for label, (model, vocab) in models.items()
    }
    return sentence, results
