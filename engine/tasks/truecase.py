"""The truecase task (many-to-many): a BiLSTM tags every token of lower-cased
BBC News text lower / Capitalised / UPPER, trained on the train split's
paragraphs, measured on the test split's against the sentence-start rule.
"""

from __future__ import annotations

import re
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
from engine.text import Vocab, written_tokens
from engine.train import (
    Progress,
    TrainConfig,
    Trainer,
    epoch_logger,
    one_thread,
    set_seed,
    time_each,
)
from engine.truecase import (
    LOWER,
    MAX_TOKENS,
    TAGS,
    TruecaseConfig,
    Truecaser,
    TruecaseTagger,
    collate,
    encode,
    has_letter,
    load_truecaser,
    render,
    rule_tags,
    suffix,
    tag_of,
)

NAME = "truecase"
BATCH_SIZE = 64
MIN_FREQ = 5  # rarer words (mostly names) are read as <unk>, itself a hint
SUFFIX_MIN_FREQ = 5
SPELLING_MIN_COUNT = 2  # odd spellings ("MPs") seen at least this often are kept

Paragraph = tuple[str, ...]  # tokens as written, case kept


@cache
def paragraphs(part: str) -> tuple[Paragraph, ...]:
    """Every paragraph of a split (the headline is one), first MAX_TOKENS tokens."""
    found = []
    for doc in corpus_split("bbc").parts()[part]:
        for paragraph in re.split(r"\n\s*\n", doc.text):
            tokens = tuple(written_tokens(paragraph)[:MAX_TOKENS])
            if any(has_letter(t) for t in tokens):
                found.append(tokens)
    return tuple(found)


def lowered(paragraph: Paragraph) -> list[str]:
    return [t.casefold() for t in paragraph]


def gold_tags(paragraph: Paragraph) -> list[int]:
    return [tag_of(t) for t in paragraph]


def odd_spellings(train: tuple[Paragraph, ...]) -> dict[str, str]:
    """ "tag|word" -> the usual written form where plain rendering gets it wrong:
    "Capitalised|mps" -> "MPs", "lower|ipod" -> "iPod"."""
    forms: Counter[tuple[str, int, str]] = Counter(
        (t.casefold(), tag_of(t), t) for p in train for t in p if has_letter(t)
    )
    best: dict[tuple[str, int], tuple[int, str]] = {}
    for (word, tag, form), n in forms.items():
        if n > best.get((word, tag), (0, ""))[0]:
            best[(word, tag)] = (n, form)
    return {
        f"{TAGS[tag]}|{word}": form
        for (word, tag), (n, form) in sorted(best.items())
        if n >= SPELLING_MIN_COUNT and render(word, tag, {}) != form
    }


def make_batches(
    paragraphs_: list[Paragraph], vocab: Vocab, suffixes: Vocab, seed: int
) -> list[tuple[torch.Tensor, ...]]:
    """(ids, suffixes, features, lengths, tags) batches of similar lengths: an
    LSTM steps through a batch's longest text, so similar lengths waste fewer
    steps (the Trainer shuffles the batches' order)."""
    shuffled = np.random.default_rng(seed).permutation(len(paragraphs_))
    order = sorted(shuffled, key=lambda i: len(paragraphs_[i]))  # ties stay shuffled
    batches = []
    for start in range(0, len(order), BATCH_SIZE):
        chunk = [paragraphs_[i] for i in order[start : start + BATCH_SIZE]]
        encoded = [encode(lowered(p), vocab, suffixes) for p in chunk]
        batches.append(collate(encoded, [gold_tags(p) for p in chunk]))
    return batches


def _settings(quick: bool) -> tuple[dict, TrainConfig]:
    if quick:  # a toy model in seconds, for tests
        shape = {"embed_size": 8, "suffix_size": 4, "hidden_size": 8}
        return shape, TrainConfig(epochs=1, lr=1e-2)
    shape = {"embed_size": 48, "suffix_size": 16, "hidden_size": 64, "dropout": 0.2}
    return shape, TrainConfig(epochs=4, lr=3e-3, patience=1, lr_decay=0.5)


def train(
    quick: bool, out: Path, on_step: Callable[[Progress], None] | None = None
) -> dict:
    set_seed(0)
    examples, valid = list(paragraphs("train")), list(paragraphs("valid"))
    if quick:
        examples, valid = examples[:300], valid[:100]
    vocab = Vocab.build((lowered(p) for p in examples), min_freq=MIN_FREQ)
    suffixes = Vocab.build(
        ([suffix(t) for t in lowered(p)] for p in examples), min_freq=SUFFIX_MIN_FREQ
    )
    shape, train_config = _settings(quick)
    config = TruecaseConfig(
        vocab_size=len(vocab),
        suffix_vocab_size=len(suffixes),
        spellings=odd_spellings(tuple(examples)),
        **shape,
    )
    model = TruecaseTagger(config)
    began = time.perf_counter()
    with one_thread():
        result = Trainer(model, train_config, on_step, epoch_logger(NAME)).fit(
            make_batches(examples, vocab, suffixes, seed=0),
            make_batches(valid, vocab, suffixes, seed=1),
        )
    scores = evaluate(Truecaser(model, vocab, suffixes, {}), valid)
    metrics = {
        "valid_loss": round(result.best_valid_loss, 4),
        "valid_tagger_f1": scores["tagger_f1"],
        "valid_rule_f1": scores["rule_f1"],
        "epochs": result.epochs_run,
        "stopped_because": result.stopped_because,
        "train_seconds": round(time.perf_counter() - began),
        "train_paragraphs": len(examples),
        "vocab_size": len(vocab),
        "suffix_vocab_size": len(suffixes),
        "spellings": len(config.spellings),
        "quick": quick,
    }
    fingerprint = corpus_split("bbc").fingerprints() | {
        "unit": f"paragraphs, at most {MAX_TOKENS} tokens"
    }
    stored = config.to_dict() | {"suffixes": suffixes.to_list()}
    checkpoint = Checkpoint(
        NAME, model.state_dict(), stored, vocab, fingerprint, metrics
    )
    save_checkpoint(checkpoint, out, half=True)
    # scored on the saved float16 weights: the numbers the page shows
    held_out = held_out_scores(load_truecaser(out), quick)
    return add_metrics(out, NAME, held_out=held_out)


def held_out_scores(truecaser: Truecaser, quick: bool = False) -> dict:
    """F1 on capitalised words of the test paragraphs, tagger beside the rule:
    stored with the checkpoint for the page."""
    test = list(paragraphs("test"))[: 200 if quick else None]
    scores = evaluate(truecaser, test)
    return {
        "accuracy": scores["tagger_f1"],
        "baseline": scores["rule_f1"],
        "baseline_name": "the rule “capitalise the first word and every word "
        "after . ! or ?”",
        "n_test": scores["n_capitalised"],
        "measure": "F1 on capitalised words",
        "token_accuracy": scores["tagger_accuracy"],
        "rule_token_accuracy": scores["rule_accuracy"],
    }


def predicted_tags(truecaser: Truecaser, paragraphs_: list[Paragraph]) -> list[int]:
    """The tagger's tag for every token of every paragraph, in order."""
    tags = []
    for start in range(0, len(paragraphs_), 128):
        chunk = [lowered(p) for p in paragraphs_[start : start + 128]]
        for tokens, probs in zip(
            chunk, truecaser.tag_probabilities(chunk), strict=True
        ):
            best = probs.argmax(dim=1).tolist()
            tags += [
                b if has_letter(t) else LOWER for t, b in zip(tokens, best, strict=True)
            ]
    return tags


def capital_f1(gold: list[int], predicted: list[int]) -> dict[str, float]:
    """Precision, recall and F1 of "this token starts with a capital"."""
    tp = sum(g != LOWER and p != LOWER for g, p in zip(gold, predicted, strict=True))
    fp = sum(g == LOWER != p for g, p in zip(gold, predicted, strict=True))
    fn = sum(p == LOWER != g for g, p in zip(gold, predicted, strict=True))
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate(truecaser: Truecaser, paragraphs_: list[Paragraph]) -> dict:
    """Tagger vs rule on paragraphs: capital F1 over all tokens, and the tag
    accuracy over word tokens (tokens with a letter; punctuation has no case)."""
    tokens = [t for p in paragraphs_ for t in p]
    gold = [tag_of(t) for t in tokens]
    tagger = predicted_tags(truecaser, paragraphs_)
    rule = [tag for p in paragraphs_ for tag in rule_tags(lowered(p))]
    words = [i for i, t in enumerate(tokens) if has_letter(t)]
    unknown = [
        i
        for i in words
        if gold[i] != LOWER and tokens[i].casefold() not in truecaser.vocab
    ]
    report: dict = {}
    for name, predicted in (("tagger", tagger), ("rule", rule)):
        scores = capital_f1(gold, predicted)
        report |= {f"{name}_{k}": round(v, 4) for k, v in scores.items()}
        hits = np.mean([gold[i] == predicted[i] for i in words])
        report[f"{name}_accuracy"] = round(float(hits), 4)
        report[f"{name}_unknown_capital_recall"] = round(
            float(np.mean([predicted[i] != LOWER for i in unknown])), 4
        )
    report["n_words"] = len(words)
    report["n_capitalised"] = sum(g != LOWER for g in gold)
    report["n_unknown_capitalised"] = len(unknown)
    return report


def predict(texts: list[str], checkpoint: Path, k: int = 3) -> list[dict]:
    """The restored text and every token's tag (`k` is not used: one tag each)."""
    truecaser = load_truecaser(checkpoint)
    results = []
    for text in texts:
        try:
            results.append({"input": text} | truecaser.restore(text).to_dict())
        except InputError as error:
            results.append({"input": text, "error": str(error)})
    return results


def bench(quick: bool, checkpoint: Path) -> dict:
    truecaser = load_truecaser(checkpoint)
    test = list(paragraphs("test"))[: 200 if quick else None]
    scores = evaluate(truecaser, test)
    texts = [" ".join(p) for p in test[: 50 if quick else 300]]
    return {
        "task": NAME,
        "tagger_f1": scores["tagger_f1"],
        "rule_f1": scores["rule_f1"],
        "truecase_f1_gain": round(scores["tagger_f1"] - scores["rule_f1"], 4),
        "f1_scale": "0..1 (0.10 = 10 F1 points)",
        "accuracy": scores["tagger_accuracy"],
        "baseline": scores["rule_accuracy"],
        "baseline_name": "capitalise the first word and every word after . ! or ?",
        "accuracy_on": "tags (lower / Capitalised / UPPER) of word tokens",
        "n_test": scores["n_words"],
        **scores,
        "n_test_paragraphs": len(test),
        "tokens_read": MAX_TOKENS,
        **time_each(truecaser.restore, texts),
        "timing_on": "test paragraphs, one thread, restored text and every tag",
        "parameters": count_parameters(truecaser.model),
        "vocab_size": len(truecaser.vocab),
        "checkpoint_kb": round(Path(checkpoint).stat().st_size / 1024, 1),
        "split_fingerprint": corpus_split("bbc").fingerprints()["test"],
        "trained_metrics": truecaser.metrics,
    }


TASK = Task(
    name=NAME,
    summary="truecase    a BiLSTM restores the capitals of lower-cased BBC News text",
    train=train,
    predict=predict,
    bench=bench,
)
