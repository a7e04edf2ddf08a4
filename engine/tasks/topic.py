"""The topic task (many-to-one): an LSTM reads a BBC News paragraph, then says
business, entertainment, politics, sports or tech.

Trained on the paragraphs of the train split (at most 120 words each); measured
on the paragraphs and on the whole articles of the test split.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import torch

from engine.checkpoints import Checkpoint, add_metrics, save_checkpoint
from engine.corpora import corpus_split
from engine.errors import InputError
from engine.models import count_parameters
from engine.tasks import Task
from engine.text import Vocab
from engine.topic import (
    MAX_WORDS,
    PARAGRAPH_WORDS,
    TOPICS,
    TopicClassifier,
    TopicConfig,
    TopicReader,
    encode_batch,
    load_topic_reader,
    paragraph_chunks,
    topic_tokens,
)
from engine.train import (
    Progress,
    TrainConfig,
    Trainer,
    epoch_logger,
    one_thread,
    set_seed,
    time_each,
)

NAME = "topic"
BATCH_SIZE = 64
MIN_FREQ = 3  # a word must appear this often in the train split to get a vector

Example = tuple[tuple[str, ...], int]  # (words, topic index)


@cache
def paragraphs(part: str) -> tuple[Example, ...]:
    """Every paragraph piece of a split's articles with its article's topic."""
    return tuple(
        (tuple(words), TOPICS.index(doc.label))
        for doc in corpus_split("bbc").parts()[part]
        for words in paragraph_chunks(doc.text)
    )


@cache
def articles(part: str) -> tuple[Example, ...]:
    """Every article of a split as the reader reads it: its first MAX_WORDS words."""
    return tuple(
        (tuple(topic_tokens(doc.text)[:MAX_WORDS]), TOPICS.index(doc.label))
        for doc in corpus_split("bbc").parts()[part]
    )


def make_batches(
    examples: list[Example], vocab: Vocab, seed: int
) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """(ids, lengths, topics) batches of similar lengths: an LSTM steps through a
    batch's longest text, so similar lengths waste fewer steps (the Trainer
    shuffles the batches' order)."""
    shuffled = np.random.default_rng(seed).permutation(len(examples))
    order = sorted(shuffled, key=lambda i: len(examples[i][0]))  # ties stay shuffled
    batches = []
    for start in range(0, len(order), BATCH_SIZE):
        chunk = [examples[i] for i in order[start : start + BATCH_SIZE]]
        ids, lengths = encode_batch(
            [vocab.encode(words) for words, _ in chunk], vocab.pad_id
        )
        batches.append((ids, lengths, torch.tensor([y for _, y in chunk])))
    return batches


def _settings(quick: bool, vocab_size: int) -> tuple[TopicConfig, TrainConfig]:
    if quick:  # a toy model in seconds, for tests
        return (
            TopicConfig(vocab_size=vocab_size, embed_size=8, hidden_size=8),
            TrainConfig(epochs=1, lr=1e-2),
        )
    model = TopicConfig(
        vocab_size=vocab_size,
        embed_size=64,
        hidden_size=128,
        pooling="mean",
        dropout=0.3,  # 10k paragraphs: without it the word vectors overfit quickly
    )
    return model, TrainConfig(epochs=4, lr=3e-3, patience=2, lr_decay=0.5)


def train(
    quick: bool, out: Path, on_step: Callable[[Progress], None] | None = None
) -> dict:
    set_seed(0)
    examples, valid = list(paragraphs("train")), list(paragraphs("valid"))
    if quick:
        examples, valid = examples[:300], valid[:100]
    vocab = Vocab.build((words for words, _ in examples), min_freq=MIN_FREQ)
    model_config, train_config = _settings(quick, len(vocab))
    model = TopicClassifier(model_config)
    began = time.perf_counter()
    with one_thread():
        result = Trainer(model, train_config, on_step, epoch_logger(NAME)).fit(
            make_batches(examples, vocab, seed=0), make_batches(valid, vocab, seed=1)
        )
    reader = TopicReader(model, vocab, {})
    metrics = {
        "valid_loss": round(result.best_valid_loss, 4),
        "valid_paragraph_accuracy": round(accuracy(reader, valid), 4),
        "epochs": result.epochs_run,
        "stopped_because": result.stopped_because,
        "train_seconds": round(time.perf_counter() - began),
        "train_paragraphs": len(examples),
        "vocab_size": len(vocab),
        "quick": quick,
    }
    fingerprint = corpus_split("bbc").fingerprints() | {
        "unit": f"paragraphs, at most {PARAGRAPH_WORDS} words"
    }
    checkpoint = Checkpoint(
        NAME, model.state_dict(), model_config.to_dict(), vocab, fingerprint, metrics
    )
    save_checkpoint(checkpoint, out, half=True)
    # scored on the saved float16 weights: the numbers the page shows
    held_out = held_out_scores(load_topic_reader(out), quick)
    return add_metrics(out, NAME, held_out=held_out)


def held_out_scores(reader: TopicReader, quick: bool = False) -> dict:
    """Accuracy on the test paragraphs beside the majority topic's (and on whole
    test articles): stored with the checkpoint for the page."""
    test = paragraphs("test")[: 200 if quick else None]
    return {
        "accuracy": round(accuracy(reader, test), 4),
        "baseline": round(majority_accuracy(paragraphs("train"), test), 4),
        "baseline_name": "always the most frequent topic of the training paragraphs",
        "n_test": len(test),
        "article_accuracy": round(accuracy(reader, articles("test")), 4),
    }


def accuracy(reader: TopicReader, examples: list[Example] | tuple) -> float:
    """Share of (words, topic) examples the reader labels right."""
    predicted = reader.predict_ids([reader.vocab.encode(w) for w, _ in examples])
    gold = [y for _, y in examples]
    return float(np.mean([p == y for p, y in zip(predicted, gold, strict=True)]))


def majority_accuracy(train: tuple[Example, ...], test: tuple[Example, ...]) -> float:
    """How often the most frequent training topic is right on `test`."""
    majority = Counter(y for _, y in train).most_common(1)[0][0]
    return float(np.mean([y == majority for _, y in test]))


def predict(texts: list[str], checkpoint: Path, k: int = 5) -> list[dict]:
    """The k most likely topics per text, and the guess after every word."""
    reader = load_topic_reader(checkpoint)
    k = min(max(k, 1), len(TOPICS))
    results = []
    for text in texts:
        try:
            reading = reader.read(text).to_dict()
        except InputError as error:
            results.append({"text": text, "error": str(error)})
            continue
        results.append({"text": text} | reading | {"topics": reading["topics"][:k]})
    return results


def confusion(reader: TopicReader, examples: tuple[Example, ...]) -> list[list[int]]:
    """Rows: the true topic; columns: the predicted one (order of TOPICS)."""
    predicted = reader.predict_ids([reader.vocab.encode(w) for w, _ in examples])
    counts = Counter((y, p) for (_, y), p in zip(examples, predicted, strict=True))
    return [[counts[(g, p)] for p in range(len(TOPICS))] for g in range(len(TOPICS))]


def bench(quick: bool, checkpoint: Path) -> dict:
    reader = load_topic_reader(checkpoint)
    test_paragraphs, test_articles = paragraphs("test"), articles("test")
    if quick:
        test_paragraphs, test_articles = test_paragraphs[:200], test_articles[:50]
    docs = corpus_split("bbc").test
    headlines = tuple(
        (tuple(topic_tokens(d.text.splitlines()[0])), TOPICS.index(d.label))
        for d in docs[: len(test_articles)]
    )
    texts = [d.text for d in docs[: 30 if quick else 200]]
    return {
        "task": NAME,
        "accuracy": round(accuracy(reader, test_paragraphs), 4),
        "baseline": round(majority_accuracy(paragraphs("train"), test_paragraphs), 4),
        "baseline_name": "always the most frequent topic of the training paragraphs",
        "n_test": len(test_paragraphs),
        "article_accuracy": round(accuracy(reader, test_articles), 4),
        "article_baseline": round(
            majority_accuracy(articles("train"), test_articles), 4
        ),
        "n_test_articles": len(test_articles),
        "headline_accuracy": round(accuracy(reader, headlines), 4),
        "article_words_read": MAX_WORDS,
        "paragraph_confusion": confusion(reader, test_paragraphs),
        "topics": list(TOPICS),
        **time_each(reader.read, texts),
        "timing_on": "whole test articles, one thread, with the guess after every word",
        "parameters": count_parameters(reader.model),
        "vocab_size": len(reader.vocab),
        "checkpoint_kb": round(Path(checkpoint).stat().st_size / 1024, 1),
        "split_fingerprint": corpus_split("bbc").fingerprints()["test"],
        "trained_metrics": reader.metrics,
    }


TASK = Task(
    name=NAME,
    summary="topic       an LSTM reads a BBC News paragraph: business, sports, ...",
    train=train,
    predict=predict,
    bench=bench,
)
