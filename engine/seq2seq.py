"""An encoder-decoder (sequence to sequence) RNN: many in, a different many out.

A word-level GRU encoder reads the input words; its final hidden state is the
whole input squeezed into one vector, and it starts a character-level GRU
decoder that writes the answer one character at a time, then <eos>. Training
feeds the decoder the true previous character (teacher forcing); prediction
feeds back its own greedy choice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence

from engine.models import make_recurrent_layer
from engine.spelled import digits, kind_of, parse_words, read_words
from engine.text import SPECIALS, Vocab

GO = "<go>"  # the decoder's first input: "start writing"
OUTPUT_CHARS = "0123456789-"


def char_vocab(chars: str = OUTPUT_CHARS) -> Vocab:
    """The decoder's alphabet: specials, <go>, digits and the date's dash."""
    return Vocab([*SPECIALS, GO, *chars])


def source_batch(word_lists: list[list[str]], vocab: Vocab) -> tuple[Tensor, Tensor]:
    """Word lists -> padded ids (B, T) and their lengths (B,)."""
    rows = [vocab.encode(words) for words in word_lists]
    width = max(len(row) for row in rows)
    ids = torch.tensor([row + [vocab.pad_id] * (width - len(row)) for row in rows])
    return ids, torch.tensor([len(row) for row in rows])


def target_batch(answers: list[str], chars: Vocab) -> tuple[Tensor, Tensor]:
    """Answers -> decoder inputs (<go> + answer) and targets (answer + <eos>)."""
    rows = [chars.encode(answer) for answer in answers]
    width = max(len(row) for row in rows) + 1
    go, eos, pad = chars.stoi[GO], chars.eos_id, chars.pad_id
    inputs = [[go] + row + [pad] * (width - 1 - len(row)) for row in rows]
    targets = [row + [eos] + [pad] * (width - 1 - len(row)) for row in rows]
    return torch.tensor(inputs), torch.tensor(targets)


@dataclass
class Seq2SeqConfig:
    """The shape of the encoder-decoder; stored in every checkpoint."""

    source_size: int = 80  # input words known (rows of the word embedding)
    output_chars: str = OUTPUT_CHARS  # what the decoder writes (besides <eos>)
    embed_size: int = 32  # length of a word / character vector
    hidden_size: int = 128  # encoder and decoder state size
    cell: str = "gru"  # gru or lstm, for both encoder and decoder
    max_output: int = 12  # greedy decoding writes at most this many characters

    def to_dict(self) -> dict:
        return asdict(self)


class EncoderDecoder(nn.Module):
    """Word GRU encoder -> its final state -> character GRU decoder."""

    def __init__(self, config: Seq2SeqConfig) -> None:
        super().__init__()
        self.config = config
        self.chars = char_vocab(config.output_chars)
        c, pad = config, self.chars.pad_id
        self.source_embedding = nn.Embedding(c.source_size, c.embed_size, pad)
        self.encoder = make_recurrent_layer(c.cell, c.embed_size, c.hidden_size)
        self.target_embedding = nn.Embedding(len(self.chars), c.embed_size, pad)
        self.decoder = make_recurrent_layer(c.cell, c.embed_size, c.hidden_size)
        self.head = nn.Linear(c.hidden_size, len(self.chars))
        # characters never written: padding, <unk>, <blank> and <go> (only <eos> stays)
        never = torch.ones(len(self.chars), dtype=torch.bool)
        never[len(SPECIALS) :] = False
        never[self.chars.eos_id] = False
        never[self.chars.stoi[GO]] = True
        self.register_buffer("never", never, persistent=False)

    def encode(self, source: Tensor, lengths: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        """Read padded word ids (B, T); return the state after each row's last
        real word (packing skips the padding): (1, B, H), or (h, c) for an LSTM."""
        packed = pack_padded_sequence(
            self.source_embedding(source),
            lengths.cpu(),
            batch_first=True,
            enforce_sorted=False,
        )
        _, state = self.encoder(packed)
        return state

    def decode(self, inputs: Tensor, state) -> tuple[Tensor, Tensor]:
        """Decoder steps for input characters (B, U) -> logits (B, U, V), state."""
        outputs, state = self.decoder(self.target_embedding(inputs), state)
        return self.head(outputs), state

    def forward(
        self,
        source: Tensor,
        lengths: Tensor,
        target_in: Tensor,
        target_out: Tensor | None = None,
    ) -> tuple[Tensor, Tensor | None]:
        """Teacher forcing: target_in is <go> + answer, target_out answer + <eos>."""
        logits, _ = self.decode(target_in, self.encode(source, lengths))
        loss = None
        if target_out is not None:
            loss = F.cross_entropy(
                logits.flatten(0, 1),
                target_out.flatten(),
                ignore_index=self.chars.pad_id,
            )
        return logits, loss

    @torch.no_grad()
    def greedy(self, source: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Write each answer by feeding back the most likely character.

        Returns ids (B, L), each step's probabilities (B, L, V) and the
        encoder's final hidden state (B, H); ids after a row's <eos> are padding.
        """
        eos, pad = self.chars.eos_id, self.chars.pad_id
        state = self.encode(source, lengths)
        summary = (state[0] if isinstance(state, tuple) else state)[-1]  # (B, H)
        previous = torch.full((len(source), 1), self.chars.stoi[GO])
        finished = torch.zeros(len(source), dtype=torch.bool)
        ids, probs = [], []
        for _ in range(self.config.max_output + 1):  # 12 characters, then <eos>
            logits, state = self.decode(previous, state)
            step = logits[:, -1].masked_fill(self.never, float("-inf")).softmax(-1)
            choice = step.argmax(-1).masked_fill(finished, pad)  # (B,)
            ids.append(choice)
            probs.append(step)
            finished |= choice == eos
            if finished.all():
                break
            previous = choice.unsqueeze(1)
        return torch.stack(ids, 1), torch.stack(probs, 1), summary


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------------- the reader
@dataclass
class Step:
    """One character the decoder wrote, how sure it was, and what came next."""

    char: str  # "<eos>" when the decoder decided to stop
    probability: float
    alternatives: list[tuple[str, float]]  # the next most likely characters

    def to_dict(self) -> dict:
        return {
            "char": self.char,
            "probability": self.probability,
            "alternatives": [
                {"char": c, "probability": p} for c, p in self.alternatives
            ],
        }


@dataclass
class Translation:
    """The model's answer for one input, and the rule-based referee's."""

    text: str  # as typed
    words: list[str]  # as the encoder read them
    kind: str  # "number" or "date" (the referee's reading)
    output: str  # the characters the decoder wrote, <eos> left out
    expected: str  # the referee's answer
    steps: list[Step] = field(default_factory=list)
    encoder_state: list[float] = field(default_factory=list)  # the one vector passed
    stopped: str = "eos"  # "eos", or "cap" when 12 characters ran out first

    @property
    def correct(self) -> bool:
        return self.output == self.expected

    @property
    def confidence(self) -> float:
        """The probability of the whole answer: the product over the steps."""
        return float(torch.tensor([s.probability for s in self.steps]).prod())

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "words": self.words,
            "kind": self.kind,
            "output": self.output,
            "expected": self.expected,
            "correct": self.correct,
            "confidence": round(self.confidence, 4),
            "stopped": self.stopped,
            "steps": [step.to_dict() for step in self.steps],
            "encoder_state": self.encoder_state,
        }


class Translator:
    """Learner text -> the model's digits, character by character, refereed by
    the exact parser (which also turns away words and dates that cannot be)."""

    def __init__(self, model: EncoderDecoder, words: Vocab) -> None:
        self.model, self.words, self.chars = model.eval(), words, model.chars

    def _text(self, ids: list[int]) -> tuple[str, bool]:
        """Ids up to <eos> -> (text, reached <eos>)."""
        eos = self.chars.eos_id
        end = ids.index(eos) if eos in ids else len(ids)
        text = "".join(self.chars.itos[i] for i in ids[:end])
        return text[: self.model.config.max_output], eos in ids

    def translate(self, text: str, k: int = 3) -> Translation:
        """One input, with every decoding step and its k alternatives."""
        k = max(int(k), 0)  # a k below 0 (say, --k -5) asks for no alternatives
        words = read_words(text)
        value = parse_words(words)  # InputError for impossible dates, bad grammar
        ids, probs, summary = self.model.greedy(*source_batch([words], self.words))
        row = ids[0].tolist()
        output, stopped = self._text(row)
        steps = []
        for position, char_id in enumerate(row[: len(output) + stopped]):
            # k + 1: the chosen character is among the top and is left out below
            ranked = probs[0, position].topk(min(k + 1, len(self.chars)))
            alternatives = [
                (self.chars.itos[int(i)], round(float(p), 4))
                for p, i in zip(ranked.values, ranked.indices, strict=True)
                if int(i) != char_id and p > 0
            ][:k]
            steps.append(
                Step(
                    self.chars.itos[char_id],
                    round(float(probs[0, position, char_id]), 4),
                    alternatives,
                )
            )
        return Translation(
            text=text,
            words=words,
            kind=kind_of(value),
            output=output,
            expected=digits(value),
            steps=steps,
            encoder_state=[round(float(x), 3) for x in summary[0]],
            stopped="eos" if stopped else "cap",
        )

    def outputs(self, word_lists: list[list[str]], batch: int = 500) -> list[str]:
        """The greedy answers for many inputs at once (for benchmarks)."""
        answers = []
        for start in range(0, len(word_lists), batch):
            chunk = word_lists[start : start + batch]
            ids, _, _ = self.model.greedy(*source_batch(chunk, self.words))
            answers += [self._text(row)[0] for row in ids.tolist()]
        return answers
