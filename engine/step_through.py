"""Step through time: what a trained recurrent network computes at every word.

The fast `torch.nn.LSTM` hides its gates; here the trained weights are copied into
the transparent cells of `engine.cells`, which keep h, c and every gate at every
step. Tests check that these numbers equal the model's own forward pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from engine.cells import from_torch
from engine.errors import InputError
from engine.language_model import LanguageModel
from engine.text import BLANK, EOS, PAD, UNK, Vocab, tokenize, written_tokens

MAX_STEP_WORDS = 30  # the unrolled view and heatmaps stay readable up to here
MAX_TEXT_CHARS = 2_000


@dataclass
class StepTrace:
    """Everything one trained network computed while reading a sentence."""

    tokens: list[str]  # as the model reads them (lower case), one per step
    words: list[str]  # the same, as the learner wrote them ("The"): for display
    unknown: list[str]  # words (as written) the model reads as <unk>
    cell: str  # rnn, lstm or gru
    # per layer: (T, H) arrays; gates[layer][name] is (T, H) as well
    h: list[np.ndarray]
    c: list[np.ndarray] | None  # LSTM only
    gates: list[dict[str, np.ndarray]]
    next_words: list[list[tuple[str, float]]]  # the top guesses after each step
    clipped: bool  # the text had more than MAX_STEP_WORDS tokens
    # per layer: the (H,) state after <eos>, before the first word (h_0, c_0)
    h_start: list[np.ndarray] = field(default_factory=list)
    c_start: list[np.ndarray] | None = None  # LSTM only

    @property
    def length(self) -> int:
        return len(self.tokens)


def sentence_tokens(text: str, limit: int = MAX_STEP_WORDS) -> tuple[list[str], bool]:
    """The tokens to step through (at most `limit`); friendly errors for junk."""
    tokens = tokenize(text[:MAX_TEXT_CHARS])
    if not tokens:
        raise InputError(
            "Type a sentence with at least one word, e.g. “The cat sat on the mat”."
        )
    return tokens[:limit], len(tokens) > limit


def shown_words(text: str, tokens: list[str]) -> list[str]:
    """The first `len(tokens)` words of `text` as written ("I", not "i"), one per
    token. Where lower-casing split a word differently (a dotted capital "İ"
    becomes two tokens), the tokens themselves: never a word against the wrong
    step."""
    written = written_tokens(text[:MAX_TEXT_CHARS])[: len(tokens)]
    pairs = zip(written, tokens, strict=False)
    if len(written) == len(tokens) and all(tokenize(w) == [t] for w, t in pairs):
        return written
    return list(tokens)


def unknown_words(words: list[str], tokens: list[str], vocab: Vocab) -> list[str]:
    """The words whose token is not in `vocab`, each once, as first written."""
    first: dict[str, str] = {}
    for word, token in zip(words, tokens, strict=True):
        if token not in vocab:
            first.setdefault(token, word)
    return sorted(first.values(), key=str.casefold)


def trace_language_model(
    model: LanguageModel, vocab: Vocab, text: str, k: int = 3
) -> StepTrace:
    """Run the trained next-word model over `text` through transparent cells.

    Like the keyboard, the model first reads <eos> (a sentence is starting), so
    step 1 is the state after the first word.
    """
    tokens, clipped = sentence_tokens(text)
    words = shown_words(text, tokens)
    ids = torch.tensor([vocab.encode([EOS] + tokens)])
    transparent = from_torch(model.rnn).eval()
    with torch.no_grad():
        unrolled = transparent(model.embedding(ids))
        probs = torch.softmax(model.decoder(unrolled.output[0, 1:]), dim=-1)
    next_words = [top_words(row, vocab, k) for row in probs]
    h, c, gates, h_start, c_start = [], [], [], [], []
    for layer_steps in unrolled.steps:
        start, *steps = layer_steps[0]  # one direction; <eos> is not a word
        h_start.append(start.h[0].numpy())
        if start.c is not None:
            c_start.append(start.c[0].numpy())
        h.append(np.stack([s.h[0].numpy() for s in steps]))
        if steps[0].c is not None:
            c.append(np.stack([s.c[0].numpy() for s in steps]))
        gates.append(
            {
                name: np.stack([s.gates[name][0].numpy() for s in steps])
                for name in steps[0].gates
            }
        )
    return StepTrace(
        tokens=tokens,
        words=words,
        unknown=unknown_words(words, tokens, vocab),
        cell=transparent.cell_type,
        h=h,
        c=c or None,
        gates=gates,
        next_words=next_words,
        clipped=clipped,
        h_start=h_start,
        c_start=c_start or None,
    )


def top_words(probs: torch.Tensor, vocab: Vocab, k: int) -> list[tuple[str, float]]:
    """The k likeliest next tokens; <eos> shown as "(end)", <unk> and <pad> left out
    (they are not words a learner could type)."""
    k = max(int(k), 1)  # a k below 1 (say, --k -5) asks for the top word only
    ranked = probs.topk(min(k + 3, len(vocab)))
    out = []
    for p, i in zip(ranked.values.tolist(), ranked.indices.tolist(), strict=True):
        token = vocab.itos[i]
        if token in (UNK, PAD, BLANK):
            continue
        out.append(("(end)" if token == EOS else token, p))
    return out[:k]


def busiest_units(states: np.ndarray, n: int) -> np.ndarray:
    """The `n` units whose value changes most over the sentence, in unit order.

    A 256-unit state does not fit on a screen; the units that move with the words
    are the ones worth looking at.
    """
    if states.shape[0] < 2:
        spread = np.abs(states).max(axis=0)
    else:
        spread = states.max(axis=0) - states.min(axis=0)
    return np.sort(np.argsort(-spread, kind="stable")[:n])


def clamp_step(step: int, length: int) -> tuple[int, str | None]:
    """A time step inside 1..length, and a note when the request was outside."""
    if step < 1:
        return 1, "Time steps start at 1 (the first word)."
    if step > length:
        return length, (
            f"The sentence has {length} word{'s' * (length != 1)}; "
            f"showing the last step, {length}."
        )
    return step, None


def unknown_note(unknown: list[str], vocab_name: str) -> str | None:
    if not unknown:
        return None
    shown = ", ".join(f"“{w}”" for w in unknown[:8])
    more = f" and {len(unknown) - 8} more" if len(unknown) > 8 else ""
    return f"New to the {vocab_name}: {shown}{more}: each is read as {UNK}."


@dataclass
class CellStep:
    """One LSTM step of one layer taken apart in Olah's order; each an (H,) array.

    Every value is read from the trace (the transparent cell's own numbers), so
    the walkthrough shows exactly what the trained model computed.
    """

    step: int  # 1..T: the word just read
    layer: int  # 0-based
    c_prev: np.ndarray  # c_(t-1): the memory before this word
    forget: np.ndarray  # f_t
    input: np.ndarray  # i_t
    candidate: np.ndarray  # g_t (Olah's C̃_t)
    cell: np.ndarray  # c_t = f_t ⊙ c_(t-1) + i_t ⊙ g_t
    output: np.ndarray  # o_t
    h: np.ndarray  # h_t = o_t ⊙ tanh(c_t)

    @property
    def kept(self) -> np.ndarray:
        """f_t ⊙ c_(t-1): what survives of the old memory."""
        return self.forget * self.c_prev

    @property
    def written(self) -> np.ndarray:
        """i_t ⊙ g_t: the new content let in."""
        return self.input * self.candidate

    @property
    def squashed(self) -> np.ndarray:
        """tanh(c_t): the memory pushed into (-1, 1) before the output gate."""
        return np.tanh(self.cell)


def lstm_cell_step(trace: StepTrace, step: int, layer: int = 0) -> CellStep:
    """The gates and states of `layer` at `step` (1..T) of an LSTM's trace."""
    if trace.cell != "lstm" or trace.c is None or trace.c_start is None:
        raise InputError("Only an LSTM has a cell state and these four parts.")
    if not 1 <= step <= trace.length:
        raise ValueError(f"step {step} is outside 1..{trace.length}")
    t, gates = step - 1, trace.gates[layer]
    return CellStep(
        step=step,
        layer=layer,
        # step 1's memory is the state after <eos>, not zeros
        c_prev=trace.c[layer][t - 1] if t else trace.c_start[layer],
        forget=gates["forget"][t],
        input=gates["input"][t],
        candidate=gates["candidate"][t],
        cell=trace.c[layer][t],
        output=gates["output"][t],
        h=trace.h[layer][t],
    )
