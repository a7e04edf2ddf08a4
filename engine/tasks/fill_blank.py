"""The fill-blank task: a forward + backward LSTM fills a missing word, trained on
BBC News sentences and generated everyday English."""

from __future__ import annotations

import hashlib
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from engine.baselines import BidirectionalKneserNey, KneserNeyTrigram
from engine.checkpoints import (
    CHECKPOINT_DIR,
    Checkpoint,
    load_checkpoint,
    rebuild_hint,
    save_checkpoint,
)
from engine.corpora import corpus_split
from engine.errors import CheckpointError, InputError
from engine.everyday import everyday_split
from engine.everyday_grammar import SEED_SENTENCE, sample_everyday, split_of
from engine.fill_blank import (
    VIEWS,
    Candidate,
    FillBlankConfig,
    FillBlankModel,
    FillBlankReader,
    is_content_word,
    split_sentences,
)
from engine.lm_corpus import bbc_documents
from engine.profanity import is_profane
from engine.tasks import Task
from engine.tasks.next_word import KN_DISCOUNT, continue_schedule
from engine.tasks.next_word import NAME as NEXT_WORD
from engine.text import BLANK, BLANK_MARK, EOS, Vocab, detokenize, tokenize
from engine.train import (
    EpochResult,
    Progress,
    TrainConfig,
    Trainer,
    set_seed,
    time_each,
)

NAME = "fill-blank"
# The three kinds of text it learns from and is measured on: BBC News (near-
# duplicate articles dropped from train), real everyday English (tweets, WordNet
# usage examples, rated review sentences) and, as a small part, generated scenes.
DOMAINS = ("bbc", "everyday", "grammar")
GRAMMAR_SENTENCES = 6_000  # sampled, repeats included: about 4,800 for training
MAX_TOKENS = 60  # longer training sentences (0.2% of BBC's) are left out
BATCH_SIZE = 64
EPOCHS = 20  # about 12 minutes each on 2 CPU cores (seconds on a GPU)
# The next-word model of news + everyday English: this model shares its
# vocabulary (the 20,000 most frequent training words of both) and starts from its
# word vectors and left-to-right reader.
NEXT_WORD_CHECKPOINT = CHECKPOINT_DIR / "next-word.pt"
# Its first 16,000 words (ids rank words by frequency, so this is a prefix):
# all 20,000 would make the checkpoint 15.9 MB, over the 15 MB a page may load.
VOCAB_SIZE = 16_000
QUICK_VOCAB_SIZE = 500


# ----------------------------------------------------------------------------- data
def _tokenized_sentences(texts) -> list[tuple[str, ...]]:
    """Every sentence of some texts (paragraphs on their own lines), tokenized;
    fragments of fewer than three tokens are left out."""
    found = []
    for text in texts:
        for line in text.splitlines():
            for sentence in split_sentences(line):
                tokens = tuple(tokenize(sentence, emoji=False))
                if len(tokens) >= 3:
                    found.append(tokens)
    return found


def _is_seed(tokens: tuple[str, ...]) -> bool:
    return [t.lower() for t in tokens] == [t.lower() for t in tokenize(SEED_SENTENCE)]


@cache
def domain_sentences(domain: str, part: str) -> tuple[tuple[str, ...], ...]:
    """The sentences of one domain and split. The seed sentence is never among
    them (the page asks about it; a model that had read it would only recite)."""
    if domain == "bbc":
        texts = [d.text for d in bbc_documents(part)]
    elif domain == "everyday":
        texts = [d.text for s in everyday_split().values() for d in s.parts()[part]]
    elif domain == "grammar":
        # drawn once, split by each sentence's hash; training keeps the world's
        # repeats (its word frequencies), valid and test list each sentence once
        texts = [s for s in _grammar_sample() if split_of(s) == part]
        if part != "train":
            texts = list(dict.fromkeys(texts))
    else:
        raise ValueError(f"unknown domain {domain!r}: choose one of {DOMAINS}")
    # Splits are by document, but a sentence can recur in other documents (a
    # headline tweeted by many, "Thank you!"): a held-out sentence that an earlier
    # split already holds is left out, so no text is in two splits.
    earlier = {"train": (), "valid": ("train",), "test": ("train", "valid")}[part]
    seen = {s for e in earlier for s in domain_sentences(domain, e)}
    return tuple(
        s for s in _tokenized_sentences(texts) if not _is_seed(s) and s not in seen
    )


@cache
def _grammar_sample() -> tuple[str, ...]:
    return tuple(sample_everyday(GRAMMAR_SENTENCES))


def bbc_sentences(part: str) -> tuple[tuple[str, ...], ...]:
    return domain_sentences("bbc", part)


def everyday_sentences(part: str) -> tuple[tuple[str, ...], ...]:
    """Real everyday English (not the generated scenes)."""
    return domain_sentences("everyday", part)


def training_sentences(part: str, quick: bool = False) -> list[tuple[str, ...]]:
    """All three domains' sentences of one split, short enough to train on."""
    found = []
    for domain in DOMAINS:
        sentences = domain_sentences(domain, part)
        found += sentences[:300] if quick else sentences
    return [s for s in found if len(s) <= MAX_TOKENS]


def training_fingerprint() -> dict:
    """Which documents each split held when the model was trained."""
    prints = {f"bbc_{k}": v for k, v in corpus_split("bbc").fingerprints().items()}
    for source, split in everyday_split().items():
        prints |= {f"{source}_{k}": v for k, v in split.fingerprints().items()}
    return prints | {"grammar_sentences": GRAMMAR_SENTENCES}


def domain_fingerprint(domain: str) -> str:
    """The test sentences of one benchmark domain, as one short hash."""
    text = "\n".join(" ".join(s) for s in domain_sentences(domain, "test"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def build_vocab(quick: bool = False) -> Vocab:
    """The next-word model's most frequent words (news + everyday English), so
    the two models name words alike; a quick run builds a small one of its own."""
    if quick:
        return Vocab.build(
            training_sentences("train", quick), max_size=QUICK_VOCAB_SIZE
        )
    shared = load_checkpoint(NEXT_WORD_CHECKPOINT, NEXT_WORD).vocab
    return Vocab(shared.itos[:VOCAB_SIZE])


def batches(
    sentences: list[tuple[str, ...]],
    vocab: Vocab,
    seed: int = 0,
    batch_size: int = BATCH_SIZE,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Sentences of similar length batched together (little padding), each read
    as <eos> words <eos>; the Trainer shuffles the batches every epoch."""
    order = sorted(sentences, key=lambda s: (len(s), s))
    random.Random(seed).shuffle(order)  # ties in length in a seeded order
    order.sort(key=len)
    result = []
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        rows = [vocab.encode([EOS, *s, EOS]) for s in chunk]
        lengths = torch.tensor([len(r) for r in rows])
        ids = torch.full((len(rows), int(lengths.max())), vocab.pad_id)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row)
        result.append((ids, lengths))
    return result


# ---------------------------------------------------------------------------- train
def _settings(quick: bool) -> tuple[dict, TrainConfig]:
    if quick:
        model = {"embed_size": 32, "hidden_size": 32, "num_layers": 1}
        return model, TrainConfig(epochs=1, lr=3e-3, clip_norm=1.0)
    # Light regularisation: a first run with dropout 0.3 and 10% blanked inputs
    # still had a higher training than validation loss after two epochs (it was
    # underfitting), and a CPU budget allows only a few epochs.
    model = {
        "embed_size": 256,
        "hidden_size": 256,
        "num_layers": 2,
        "dropout": 0.15,
        "blank_rate": 0.05,
    }
    # Adam at 2e-3, then a third of that step for the last two epochs.
    train = TrainConfig(
        epochs=EPOCHS,
        lr=2e-3,
        clip_norm=1.0,
        patience=2,
        lr_decay=0.5,
        lr_steps={EPOCHS - 1: 0.3},  # the last two epochs
    )
    return model, train


def _start_from_next_word(model: FillBlankModel, vocab: Vocab) -> bool:
    """Start the word vectors and the forward reader from the trained next-word
    LSTM (same size): reading left to right is what it already does. Returns
    False (and trains from scratch) when that checkpoint is not there."""
    try:
        ckpt = load_checkpoint(NEXT_WORD_CHECKPOINT, NEXT_WORD)
    except CheckpointError:
        return False
    state = ckpt.state_dict
    if state["embedding.weight"].shape[1] != model.config.embed_size:
        return False
    with torch.no_grad():
        rows = [vocab.stoi[t] for t in ckpt.vocab.itos if t in vocab.stoi]
        known = [i for i, t in enumerate(ckpt.vocab.itos) if t in vocab.stoi]
        model.embedding.weight[rows] = state["embedding.weight"][known].float()
        for name, tensor in model.forward_rnn.state_dict().items():
            source = state.get(f"rnn.{name}")
            if source is not None and source.shape == tensor.shape:
                tensor.copy_(source)
    return True


def train(
    quick: bool,
    out: Path,
    on_step: Callable[[Progress], None] | None = None,
    resume: Path | None = None,
    device: str = "cpu",
    settings: tuple[dict, TrainConfig] | None = None,
    batch_size: int = BATCH_SIZE,
) -> dict:
    """Train from scratch, or `resume` a run from a checkpoint it saved (the
    rest of the same schedule; Adam's running averages start afresh).

    `device` "cuda" trains on a GPU (same recipe, minutes instead of hours);
    `settings` and `batch_size` replace the recipe (tools/fill_blank_search.py
    tries several: on a GPU, bigger batches make an epoch several times faster)."""
    set_seed(0)
    vocab = build_vocab(quick)
    model_shape, train_config = settings or _settings(quick)
    train_config = replace(train_config, device=device)
    config = FillBlankConfig(vocab_size=len(vocab), **model_shape)
    model = FillBlankModel(config)
    done = 0
    if resume is not None:
        previous = load_checkpoint(resume, NAME)
        model.load_state_dict(previous.state_dict)
        done = previous.metrics["epochs"]
        train_config = continue_schedule(train_config, done)
        warm_start = previous.metrics.get("started_from_next_word", False)
    else:
        warm_start = False if quick else _start_from_next_word(model, vocab)
    train_batches = batches(training_sentences("train", quick), vocab, 0, batch_size)
    valid_batches = batches(training_sentences("valid", quick), vocab)
    fingerprint = training_fingerprint() | {"vocab_size": len(vocab)}

    def save(metrics: dict) -> None:
        checkpoint = Checkpoint(
            NAME, model.state_dict(), config.to_dict(), vocab, fingerprint, metrics
        )
        save_checkpoint(checkpoint, out, half=not quick)

    def on_epoch(record: EpochResult) -> None:
        record.epoch += done
        print(
            f"epoch {record.epoch}: train loss {record.train_loss:.3f}, valid loss "
            f"{record.valid_loss:.3f} (three heads), lr {record.lr:g}, "
            f"{record.elapsed_s:.0f} s" + (" (saved)" if record.improved else ""),
            file=sys.stderr,
            flush=True,
        )
        if record.improved:  # a long run stopped early still leaves its best model
            save(
                {
                    "valid_loss": round(record.valid_loss, 4),
                    "epochs": record.epoch,
                    "started_from_next_word": warm_start,
                }
            )

    start = time.perf_counter()
    trainer = Trainer(model, train_config, on_step=on_step, on_epoch=on_epoch)
    result = trainer.fit(train_batches, valid_batches)
    metrics = {
        "valid_loss": round(result.best_valid_loss, 4),
        "epochs": result.epochs_run + done,
        # the weights saved are the best epoch's (lowest validation loss)
        "best_epoch": max(
            (r.epoch for r in result.history if r.improved), default=done
        ),
        "stopped_because": result.stopped_because,
        "train_seconds": round(time.perf_counter() - start),
        "train_sentences": sum(len(ids) for ids, _ in train_batches),
        "started_from_next_word": warm_start,
        "device": device,
        "quick": quick,
    }
    save(metrics)
    return metrics


def load_model(path: Path) -> tuple[FillBlankModel, Checkpoint]:
    checkpoint = load_checkpoint(path, NAME)
    try:
        model = FillBlankModel(FillBlankConfig(**checkpoint.config))
        model.load_state_dict(checkpoint.state_dict)
    except (TypeError, RuntimeError) as error:
        raise CheckpointError(
            f"{path} does not fit the fill-blank model. {rebuild_hint(NAME)}"
        ) from error
    return model.eval(), checkpoint


def load_reader(path: Path) -> FillBlankReader:
    model, checkpoint = load_model(path)
    return FillBlankReader(model, checkpoint.vocab)


# -------------------------------------------------------------------------- predict
def _candidates(ranked: list[Candidate]) -> list[dict]:
    return [{"word": c.word, "probability": round(c.probability, 5)} for c in ranked]


def predict(texts: list[str], checkpoint: Path, k: int = 5) -> list[dict]:
    """For each text: the first blank's candidates under each view (forward,
    backward, both) and, for every blank in turn, the step that filled it."""
    reader = load_reader(checkpoint)
    results = []
    for text in texts:
        try:
            filling = reader.fill(text, k)
        except InputError as error:
            results.append({"text": text, "error": str(error)})
            continue
        first = filling.steps[0]
        results.append(
            {"text": text}
            | {view: _candidates(first.ranked(view)) for view in VIEWS}
            | {
                "filled": detokenize(filling.filled),
                "steps": [
                    {"position": step.position, "choice": step.choice}
                    | {view: _candidates(step.ranked(view)) for view in VIEWS}
                    for step in filling.steps
                ],
                "unknown_words": filling.unknown,
                "notes": filling.notes,
            }
        )
    return results


# ---------------------------------------------------------------------------- bench
# blanks per domain in the benchmark (test sentences, one content word each)
BENCH_BLANKS = {"bbc": 2_000, "everyday": 2_000, "grammar": 500}
BENCH_QUICK, BENCH_SEED = 60, 5
TIMING_TRIALS = 300
SEED_ANSWER = "cat"


@dataclass
class Exercise:
    tokens: tuple[str, ...]
    position: int  # the blanked word

    @property
    def answer(self) -> str:
        return self.tokens[self.position]

    @property
    def text(self) -> str:
        shown = list(self.tokens)
        shown[self.position] = BLANK
        return detokenize(shown)


def exercises(
    sentences: tuple[tuple[str, ...], ...], vocab: Vocab, n: int, seed: int
) -> list[Exercise]:
    """n sentences (seeded choice), each with one content word blanked. Only
    words the model knows are blanked: an unknown word cannot be guessed by any
    of the models, so it would only add the same zero to each."""
    rng = random.Random(seed)
    order = list(range(len(sentences)))
    rng.shuffle(order)
    chosen = []
    for index in order:
        tokens = sentences[index]
        if len(tokens) > MAX_TOKENS:
            continue
        blankable = [
            i for i, t in enumerate(tokens) if is_content_word(t) and t in vocab
        ]
        if blankable:
            chosen.append(Exercise(tokens, rng.choice(blankable)))
        if len(chosen) == n:
            break
    return chosen


# ----------------------------------------------------------------------------- quiz
QUIZ_FILE = Path(__file__).resolve().parents[1] / "data" / "fill_blank_quiz.json"
QUIZ_SOURCES = ("everyday", "bbc")
QUIZ_SIZE, QUIZ_MAX_TOKENS, QUIZ_SEED = 300, 25, 11  # short enough to read at a glance


def _vocab_key(vocab: Vocab) -> str:
    words = "\n".join(vocab.itos).encode("utf-8")
    return f"{hashlib.sha256(words).hexdigest()[:16]}:{QUIZ_SIZE}:{QUIZ_MAX_TOKENS}"


def fresh_quiz_items(source: str, vocab: Vocab) -> list[tuple[list[str], int]]:
    """Short held-out test sentences (never trained on) of one domain, each with
    a word to guess; none with a word on the classroom profanity list."""
    short = tuple(
        s
        for s in domain_sentences(source, "test")
        if len(s) <= QUIZ_MAX_TOKENS and not any(is_profane(t) for t in s)
    )
    items = exercises(short, vocab, QUIZ_SIZE, seed=QUIZ_SEED)
    return [(list(item.tokens), item.position) for item in items]


def quiz_items(source: str, vocab: Vocab) -> list[tuple[list[str], int]]:
    """The quiz sentences, stored in the repo for the shipped vocabulary (reading
    the corpora takes about 10 s; a test keeps the file equal to a fresh pick)."""
    if QUIZ_FILE.is_file():
        stored = json.loads(QUIZ_FILE.read_text(encoding="utf-8"))
        if stored.get("key") == _vocab_key(vocab) and source in stored["items"]:
            return [(tokens, position) for tokens, position in stored["items"][source]]
    return fresh_quiz_items(source, vocab)


def store_quiz_items(vocab: Vocab) -> Path:
    items = {source: fresh_quiz_items(source, vocab) for source in QUIZ_SOURCES}
    text = json.dumps({"key": _vocab_key(vocab), "items": items}, ensure_ascii=False)
    QUIZ_FILE.write_text(text + "\n", encoding="utf-8")
    return QUIZ_FILE


def ngram_baseline(vocab: Vocab, quick: bool = False) -> BidirectionalKneserNey:
    """The next-word task's Kneser-Ney trigram (discount 0.75), counted on the
    fill-blank training sentences, read both ways."""
    stream = [vocab.eos_id]
    for sentence in training_sentences("train", quick):
        stream += vocab.encode(sentence) + [vocab.eos_id]
    return BidirectionalKneserNey(KneserNeyTrigram(stream, len(vocab), KN_DISCOUNT))


def _hit_rates(ranks: list[int]) -> tuple[float, float]:
    n = max(len(ranks), 1)
    return (
        round(sum(r == 1 for r in ranks) / n, 4),
        round(sum(r <= 5 for r in ranks) / n, 4),
    )


def _rank(scores: Tensor | np.ndarray, answer: int) -> int:
    scores = torch.as_tensor(scores)
    return int((scores > scores[answer]).sum()) + 1


def phrase_seen(
    ngram: BidirectionalKneserNey, left: int, word: int, right: int
) -> bool:
    """Whether "left word right" occurs as a phrase in the n-gram's training text:
    the fixed phrases ("prime minister said") where counting wins."""
    kn = ngram.kn
    group = kn.top.find(left * kn.vocab_size + word)
    return group is not None and bool((group[0] == right).any())


def _split_hit_rates(ranks: list[int], seen: list[bool], which: bool) -> float:
    chosen = [r for r, s in zip(ranks, seen, strict=True) if s == which]
    return _hit_rates(chosen)[0] if chosen else 0.0


def score_domain(
    reader: FillBlankReader, ngram: BidirectionalKneserNey, items: list[Exercise]
) -> dict:
    vocab, fillable = reader.vocab, reader.fillable.numpy()
    ranks: dict[str, list[int]] = {view: [] for view in (*VIEWS, "ngram")}
    seen = []  # the blank sits in a three-word phrase of the training text
    for item in items:
        ids = [vocab.eos_id, *vocab.encode(item.tokens), vocab.eos_id]
        ids[item.position + 1] = vocab.blank_id
        answer = vocab.stoi[item.answer]
        found = reader.distributions(ids, item.position + 1)
        for view in VIEWS:
            ranks[view].append(_rank(found[view], answer))
        left = ids[max(0, item.position - 1) : item.position + 1]
        right = ids[item.position + 2 : item.position + 4]
        scores = np.where(fillable, ngram.scores(left, right), 0.0)
        ranks["ngram"].append(_rank(scores, answer))
        seen.append(
            phrase_seen(ngram, ids[item.position], answer, ids[item.position + 2])
        )
    result = {"n": len(items)}
    for view, name in (("both", "bi"), ("forward", "fwd"), ("backward", "bwd")):
        result[f"{name}_top1"], result[f"{name}_top5"] = _hit_rates(ranks[view])
    result["ngram_top1"], result["ngram_top5"] = _hit_rates(ranks["ngram"])
    # top-1 on the blanks inside a phrase seen in training, and on the others
    result["phrase_seen"] = round(sum(seen) / max(len(seen), 1), 4)
    for which, tag in ((True, "seen"), (False, "unseen")):
        for view, name in (("both", "bi"), ("ngram", "ngram")):
            result[f"{name}_top1_phrase_{tag}"] = _split_hit_rates(
                ranks[view], seen, which
            )
    return result


def long_range_example(
    reader: FillBlankReader, ngram: BidirectionalKneserNey, items: list[Exercise]
) -> dict | None:
    """The first item the BiLSTM fills right (top 1) while the n-gram, which sees
    two words on each side, has the answer nowhere in its top 5, and whose
    deciding word is more than two words from the blank. The deciding word is
    the one whose hiding (as <unk>) lowers the BiLSTM's probability of the
    answer most, at least by half: measured, not picked by hand. A sentence
    with a word on the classroom list is never shown."""
    vocab, fillable = reader.vocab, reader.fillable.numpy()
    for item in items:
        if any(is_profane(t.lower()) for t in item.tokens):
            continue
        at = item.position + 1  # ids start with the <eos> marker
        ids = [vocab.eos_id, *vocab.encode(item.tokens), vocab.eos_id]
        ids[at] = vocab.blank_id
        answer = vocab.stoi[item.answer]
        both = reader.distributions(ids, at)["both"]
        if int(both.argmax()) != answer:
            continue
        scores = np.where(
            fillable, ngram.scores(ids[max(0, at - 2) : at], ids[at + 1 : at + 3]), 0.0
        )
        ngram_top = [vocab.itos[i] for i in np.argsort(-scores, kind="stable")[:5]]
        if item.answer in ngram_top:
            continue
        drops = {}
        for j in range(1, len(ids) - 1):
            if j != at and ids[j] != vocab.unk_id:
                hidden = [*ids[:j], vocab.unk_id, *ids[j + 1 :]]
                drops[j] = float(
                    both[answer] - reader.distributions(hidden, at)["both"][answer]
                )
        deciding = max(drops, key=drops.get)
        if abs(deciding - at) <= 2 or drops[deciding] < float(both[answer]) / 2:
            continue
        top = torch.as_tensor(both).topk(5).indices.tolist()
        shown = [
            BLANK_MARK if i == item.position else t for i, t in enumerate(item.tokens)
        ]
        return {
            "sentence": detokenize(shown),
            "answer": item.answer,
            "bi_top5": [vocab.itos[i] for i in top],
            "ngram_top5": ngram_top,
            "deciding_word": vocab.itos[ids[deciding]],
            "words_away": abs(deciding - at),
            "answer_probability": round(float(both[answer]), 4),
            "probability_without_it": round(float(both[answer]) - drops[deciding], 4),
        }
    return None


HOLDOUT = Path(__file__).resolve().parents[1] / "data" / "fill_blank_holdout.tsv"


def holdout_items(path: Path = HOLDOUT) -> list[tuple[str, set[str]]]:
    """(sentence with ___, accepted answers) from the hand-written set."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sentence, answers = line.split("\t")
            items.append((sentence, set(answers.split("|"))))
    return items


def score_holdout(
    reader: FillBlankReader, ngram: BidirectionalKneserNey, items
) -> dict:
    """Share of sentences with an accepted answer first / in the top 5."""
    vocab, fillable = reader.vocab, reader.fillable.numpy()
    hits: dict[str, list[tuple[bool, bool]]] = {v: [] for v in (*VIEWS, "ngram")}
    for sentence, answers in items:
        step = reader.fill(sentence).steps[0]
        for view in VIEWS:
            ranked = [c.word for c in step.ranked(view)]
            hits[view].append((ranked[0] in answers, bool(answers & set(ranked))))
        ids = [vocab.eos_id, *vocab.encode(tokenize(sentence)), vocab.eos_id]
        at = ids.index(vocab.blank_id)
        scores = np.where(
            fillable, ngram.scores(ids[max(0, at - 2) : at], ids[at + 1 : at + 3]), 0.0
        )
        ranked = [vocab.itos[i] for i in np.argsort(-scores, kind="stable")[:5]]
        hits["ngram"].append((ranked[0] in answers, bool(answers & set(ranked))))
    result = {"n": len(items)}
    for view, name in (
        ("both", "bi"),
        ("forward", "fwd"),
        ("backward", "bwd"),
        ("ngram", "ngram"),
    ):
        pairs = hits[view]
        result[f"{name}_top1"] = round(sum(a for a, _ in pairs) / max(len(pairs), 1), 4)
        result[f"{name}_top5"] = round(sum(b for _, b in pairs) / max(len(pairs), 1), 4)
    return result


def predict_timing(reader: FillBlankReader, texts: list[str]) -> dict[str, float]:
    """Milliseconds to fill one blank and rank all three views, on one thread
    (what the page computes when the learner changes the sentence)."""
    return time_each(reader.fill, texts)


def bench(quick: bool, checkpoint: Path) -> dict:
    reader = load_reader(checkpoint)
    vocab = reader.vocab
    ngram = ngram_baseline(vocab, quick)
    report: dict = {"task": NAME}
    examples: dict[str, list[Exercise]] = {}  # for the long-range example
    for domain in DOMAINS:
        n = BENCH_QUICK if quick else BENCH_BLANKS[domain]
        items = exercises(domain_sentences(domain, "test"), vocab, n, BENCH_SEED)
        report[domain] = score_domain(reader, ngram, items) | {
            "split_fingerprint": domain_fingerprint(domain)
        }
        if domain == "bbc":
            timing_texts = [
                item.text for item in items[: 30 if quick else TIMING_TRIALS]
            ]
        examples[domain] = [i for i in items if len(i.tokens) <= QUIZ_MAX_TOKENS]
    report["long_range_example"] = long_range_example(
        reader, ngram, examples["everyday"] + examples["bbc"]
    )
    report["holdout"] = score_holdout(reader, ngram, holdout_items())
    report["handwritten_top5"] = report["holdout"]["bi_top5"]
    report["seed_sentence"] = SEED_SENTENCE.replace("cat", BLANK_MARK)
    for view, name in (("both", "bi"), ("forward", "fwd"), ("backward", "bwd")):
        report[f"seed_rank_{name}"] = reader.rank_of(
            report["seed_sentence"], SEED_ANSWER, view
        )
    seed_fill = reader.fill(report["seed_sentence"])
    report["seed_top5_bi"] = [c.word for c in seed_fill.steps[0].both]
    report["seed_top5_fwd"] = [c.word for c in seed_fill.steps[0].forward]
    report |= predict_timing(reader, timing_texts)
    report |= {
        "vocab_size": len(vocab),
        "parameters": sum(p.numel() for p in reader.model.parameters()),
        "checkpoint_mb": round(Path(checkpoint).stat().st_size / 2**20, 2),
        "quick": quick,
        "trained_metrics": load_checkpoint(checkpoint, NAME).metrics,
    }
    return report


TASK = Task(
    name=NAME,
    summary="fill-blank  a forward + backward LSTM fills in a missing word",
    train=train,
    predict=predict,
    bench=bench,
)
