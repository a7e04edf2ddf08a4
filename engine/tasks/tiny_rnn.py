"""A tiny trained RNN whose arithmetic fits on a screen.

Four hidden units and four-number word vectors: small enough to print every
matrix of h_t = tanh(W_xh x_t + W_hh h_(t-1) + b) with the numbers plugged in,
yet trained for real (next word, on the everyday-English sentences).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from engine.checkpoints import Checkpoint, load_checkpoint, save_checkpoint
from engine.everyday_grammar import sample_everyday
from engine.language_model import (
    CarriedStateObjective,
    LanguageModel,
    LMConfig,
    batchify,
)
from engine.models import count_parameters
from engine.step_through import sentence_tokens, top_words
from engine.tasks import Task
from engine.text import EOS, Vocab, tokenize
from engine.train import EpochResult, Progress, TrainConfig, Trainer, set_seed

NAME = "tiny-rnn"
HIDDEN = 4  # also the word-vector size (input and output weights are tied)
TRAIN_SENTENCES, VALID_SENTENCES = 20_000, 2_000
TRAIN_SEED, VALID_SEED, TEST_SEED = 11, 12, 13
BATCH_SIZE, BPTT = 32, 20


def _stream(sentences: list[str], vocab: Vocab) -> torch.Tensor:
    ids = [i for s in sentences for i in vocab.encode(tokenize(s) + [EOS])]
    return torch.tensor(ids, dtype=torch.long)


def train(
    quick: bool, out: Path, on_step: Callable[[Progress], None] | None = None
) -> dict:
    set_seed(0)
    train_sentences = sample_everyday(500 if quick else TRAIN_SENTENCES, TRAIN_SEED)
    valid_sentences = sample_everyday(100 if quick else VALID_SENTENCES, VALID_SEED)
    vocab = Vocab.build(tokenize(s) for s in train_sentences)
    model = LanguageModel(
        # no dropout: four units need every bit of signal; nothing to regularise
        LMConfig(len(vocab), "rnn", hidden_size=HIDDEN, num_layers=1, dropout=0.0)
    )
    train_batches = batchify(_stream(train_sentences, vocab), BATCH_SIZE, BPTT)
    valid_batches = batchify(_stream(valid_sentences, vocab), BATCH_SIZE, BPTT)
    history: list[dict] = []

    def on_epoch(record: EpochResult) -> None:
        history.append(
            {"epoch": record.epoch, "valid_perplexity": _perplexity(record.valid_loss)}
        )

    config = TrainConfig(epochs=1 if quick else 30, lr=2e-2, patience=3, shuffle=False)
    start = time.perf_counter()
    result = Trainer(
        CarriedStateObjective(model), config, on_step=on_step, on_epoch=on_epoch
    ).fit(train_batches, valid_batches)
    metrics = {
        "valid_perplexity": _perplexity(result.best_valid_loss),
        "unigram_perplexity": _unigram_perplexity(train_sentences, valid_sentences),
        "epochs": result.epochs_run,
        "train_seconds": round(time.perf_counter() - start, 1),
        "history": history,
        "quick": quick,
    }
    save_checkpoint(
        Checkpoint(
            task=NAME,
            state_dict=model.state_dict(),
            config=model.config.to_dict(),
            vocab=vocab,
            fingerprint={"generator": "sample_everyday", "seed": TRAIN_SEED},
            metrics=metrics,
        ),
        out,
    )
    return metrics


def _perplexity(loss: float) -> float:
    return round(float(np.exp(min(loss, 50.0))), 2)


def _unigram_perplexity(train_sentences: list[str], test_sentences: list[str]) -> float:
    """The trivial baseline: every word guessed by its frequency alone."""
    counts: dict[str, int] = {}
    for s in train_sentences:
        for token in tokenize(s) + [EOS]:
            counts[token] = counts.get(token, 0) + 1
    total = sum(counts.values())
    log_probs = [
        np.log(counts.get(token, 0.5) / total)
        for s in test_sentences
        for token in tokenize(s) + [EOS]
    ]
    return round(float(np.exp(-np.mean(log_probs))), 2)


def load_model(path: Path) -> tuple[LanguageModel, Checkpoint]:
    checkpoint = load_checkpoint(path, NAME)
    model = LanguageModel(LMConfig(**checkpoint.config))
    model.load_state_dict(checkpoint.state_dict)
    return model.eval(), checkpoint


@dataclass
class StepArithmetic:
    """h_t = tanh(W_xh x_t + W_hh h_(t-1) + b) at one step, every number kept."""

    step: int  # 1-based
    word: str
    x: np.ndarray  # (E,) the word's vector
    h_prev: np.ndarray  # (H,)
    w_xh: np.ndarray  # (H, E)
    w_hh: np.ndarray  # (H, H)
    b: np.ndarray  # (H,) both biases added
    input_part: np.ndarray  # W_xh x_t
    memory_part: np.ndarray  # W_hh h_(t-1)
    pre_activation: np.ndarray  # the sum before tanh
    h: np.ndarray  # tanh of it
    next_words: list[tuple[str, float]]


def arithmetic(
    model: LanguageModel, vocab: Vocab, text: str, k: int = 3
) -> list[StepArithmetic]:
    """Every step of the tiny RNN over `text`, computed by hand from its weights."""
    tokens, _ = sentence_tokens(text)
    rnn = model.rnn
    w_xh = rnn.weight_ih_l0.detach().numpy()
    w_hh = rnn.weight_hh_l0.detach().numpy()
    b = (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach().numpy()
    vectors = model.embedding.weight.detach().numpy()
    decoder_bias = model.decoder.bias.detach().numpy()
    h = np.zeros(model.config.hidden_size, dtype=np.float32)
    steps = []
    for t, token in enumerate([EOS] + tokens):
        x = vectors[vocab.encode([token])[0]]
        input_part, memory_part = w_xh @ x, w_hh @ h
        pre = input_part + memory_part + b
        h_prev, h = h, np.tanh(pre)
        if t == 0:  # the sentence start: read, not shown
            continue
        logits = vectors @ h + decoder_bias
        probs = torch.softmax(torch.from_numpy(logits), dim=0)
        steps.append(
            StepArithmetic(
                step=t,
                word=token,
                x=x,
                h_prev=h_prev,
                w_xh=w_xh,
                w_hh=w_hh,
                b=b,
                input_part=input_part,
                memory_part=memory_part,
                pre_activation=pre,
                h=h,
                next_words=top_words(probs, vocab, k),
            )
        )
    return steps


def predict(texts: list[str], checkpoint: Path, k: int = 3) -> list[dict]:
    model, ckpt = load_model(checkpoint)
    results = []
    for text in texts:
        steps = arithmetic(model, ckpt.vocab, text, k)
        results.append(
            {
                "text": text,
                "steps": [
                    {
                        "word": s.word,
                        "h": [round(float(v), 4) for v in s.h],
                        "next_words": [[w, round(p, 4)] for w, p in s.next_words],
                    }
                    for s in steps
                ],
            }
        )
    return results


def bench(quick: bool, checkpoint: Path) -> dict:
    model, ckpt = load_model(checkpoint)
    test_sentences = sample_everyday(200 if quick else 2_000, TEST_SEED)
    vocab = ckpt.vocab
    ids = _stream(test_sentences, vocab)
    with torch.no_grad():
        logits, _ = model(ids[None, :-1])
        loss = torch.nn.functional.cross_entropy(logits[0], ids[1:]).item()
    timings = []
    for _ in range(20 if quick else 200):
        start = time.perf_counter()
        arithmetic(model, vocab, "The cat sat on the mat")
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "task": NAME,
        "test_perplexity": _perplexity(loss),
        "unigram_perplexity": ckpt.metrics["unigram_perplexity"],
        "vocab_size": len(vocab),
        "parameters": count_parameters(model),
        "recurrent_parameters": count_parameters(model.rnn),
        "predict_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "checkpoint_kb": round(Path(checkpoint).stat().st_size / 1024, 1),
    }


TASK = Task(
    name=NAME,
    summary="tiny-rnn: a 4-unit RNN on everyday sentences, small enough to read",
    train=train,
    predict=predict,
    bench=bench,
)
