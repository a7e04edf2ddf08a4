"""The next-word task: a word-level LSTM trained on news and everyday English."""

from __future__ import annotations

import hashlib
import math
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from engine.baselines import KneserNeyTrigram
from engine.checkpoints import (
    CHECKPOINT_DIR,
    Checkpoint,
    load_checkpoint,
    rebuild_hint,
    save_checkpoint,
)
from engine.corpora import corpus_split
from engine.errors import CheckpointError
from engine.everyday import everyday_split
from engine.keyboard import Keyboard, KNKeyboard, LSTMKeyboard, rank
from engine.language_model import (
    CarriedStateObjective,
    LanguageModel,
    LMConfig,
    batchify,
    bbc_token_docs,
    build_vocab,
    stream,
)
from engine.lm_bench import (
    keystroke_savings,
    kn_distributions,
    lstm_distributions,
    score_stream,
)
from engine.lm_corpus import (
    DOMAINS,
    MIX_SEED,
    domain_shares,
    domain_token_docs,
    mixed_train_docs,
)
from engine.tasks import Task
from engine.text import EOS, Vocab, detokenize
from engine.train import EpochResult, Progress, TrainConfig, Trainer, set_seed

NAME = "next-word"
VOCAB_SIZE = 20_000  # the most frequent train tokens of news + everyday; the rest <unk>
BBC_VOCAB_SIZE = 10_000  # the first stage's vocabulary (BBC News only)
BATCH_SIZE, BPTT, EVAL_BATCH_SIZE = 64, 35, 10
# Stage 1, BBC News only (see _bbc_settings): Adam at 2e-3 with dropout 0.4; a
# quarter of the step from epoch 13; dropout 0.2 from epoch 17; 22 epochs in all.
LR_DROP_EPOCH, LOW_DROPOUT_EPOCH, LAST_EPOCH = 13, 17, 22
LOW_DROPOUT = 0.2
# Stage 2, news + everyday English, starting from stage 1's LSTM and word vectors:
# Adam at 1e-3, a quarter of that from epoch 6, at most 10 epochs.
MIX_LR_DROP_EPOCH, MIX_LAST_EPOCH = 6, 10
BBC_START = CHECKPOINT_DIR / "next-word-bbc.pt"  # stage 1's model, kept in the repo
TIED = "decoder.weight"  # the same tensor as embedding.weight
# test words typed by the simulated typist, spread evenly over the whole test text
# (its first 3,000 words were all tweets: every source must count)
KSR_WORDS = 5_000
KN_DISCOUNT = 0.75  # the usual choice; the benchmark also tries 0.6 and 0.9
# Hand-written before training, never used to choose a model (bench only).
PROMPTS = Path(__file__).resolve().parents[1] / "data" / "keyboard_prompts.tsv"


def _bbc_settings() -> tuple[LMConfig, TrainConfig]:
    model = LMConfig(
        vocab_size=BBC_VOCAB_SIZE, hidden_size=256, num_layers=2, dropout=0.4
    )
    # Adam at 2e-3 for 12 epochs, then a quarter of that step to settle in; late
    # on, less dropout lets the model fit (and rank) the common words more sharply.
    train = TrainConfig(
        epochs=LAST_EPOCH,
        lr=2e-3,
        clip_norm=0.5,
        patience=3,
        lr_decay=0.5,
        lr_steps={LR_DROP_EPOCH: 0.25},
    )
    return model, train


def _mix_settings(quick: bool) -> tuple[LMConfig, TrainConfig, int]:
    if quick:  # a toy model in seconds, for tests
        return (
            LMConfig(vocab_size=500, hidden_size=32, num_layers=1),
            TrainConfig(epochs=1, lr=3e-3, clip_norm=0.5),
            500,
        )
    model = LMConfig(vocab_size=VOCAB_SIZE, hidden_size=256, num_layers=2, dropout=0.3)
    train = TrainConfig(
        epochs=MIX_LAST_EPOCH,
        lr=1e-3,
        clip_norm=0.5,
        patience=2,
        shuffle=False,  # windows in order: the carried state is the same text's
        lr_decay=0.5,
        lr_steps={MIX_LR_DROP_EPOCH: 0.25},
    )
    return model, train, VOCAB_SIZE


def continue_schedule(config: TrainConfig, done: int) -> TrainConfig:
    """The rest of a training schedule after `done` epochs (to resume a run)."""
    lr = config.lr
    for epoch, factor in config.lr_steps.items():
        lr *= factor if epoch <= done else 1.0
    steps = {e - done: f for e, f in config.lr_steps.items() if e > done}
    return replace(config, epochs=config.epochs - done, lr=lr, lr_steps=steps)


@dataclass
class MixRecipe:
    """Stage 2's recipe, when not the default (tools/next_word_search.py tries
    several on a GPU and keeps the best on validation)."""

    model: LMConfig
    schedule: TrainConfig
    everyday_repeats: int = 1  # read each everyday training document this often
    from_bbc: bool = True  # start from stage 1's model (else from random weights)


def train(
    quick: bool,
    out: Path,
    on_step: Callable[[Progress], None] | None = None,
    resume: Path | None = None,
    device: str = "cpu",
    recipe: MixRecipe | None = None,
) -> dict:
    """Train from scratch in two stages, or `resume` stage 2 from a checkpoint.

    Stage 1 (BBC News only, about 70 minutes on 2 CPU cores) is skipped when its
    model is already at BBC_START; stage 2 (news + everyday English) starts from
    it: same LSTM, and the word vectors of every word the two vocabularies share.
    `device` "cuda" runs the same recipe on a GPU (minutes instead of hours).
    """
    if not quick and resume is None and not BBC_START.is_file():
        train_bbc(BBC_START, on_step)
    return _train_mix(quick, out, on_step, resume, device, recipe)


def _stage_fingerprint(vocab: Vocab) -> dict:
    prints = {f"bbc_{k}": v for k, v in corpus_split("bbc").fingerprints().items()}
    for source, split in everyday_split().items():
        prints |= {f"{source}_{k}": v for k, v in split.fingerprints().items()}
    return prints | {"vocab_size": len(vocab)}


def _train_mix(
    quick: bool,
    out: Path,
    on_step: Callable[[Progress], None] | None,
    resume: Path | None,
    device: str = "cpu",
    recipe: MixRecipe | None = None,
) -> dict:
    set_seed(0)
    model_config, train_config, vocab_size = _mix_settings(quick)
    if recipe is not None:
        model_config, train_config = recipe.model, recipe.schedule
    train_config = replace(train_config, device=device)
    train_docs = list(mixed_train_docs())
    valid_docs = [d for domain in DOMAINS for d in domain_token_docs(domain, "valid")]
    if quick:
        train_docs, valid_docs = train_docs[:300], valid_docs[:60]
    # counted before any repeats: every recipe names the same words with the same ids
    vocab = Vocab.build(train_docs, 2 if not quick else 1, max_size=vocab_size)
    if recipe is not None and recipe.everyday_repeats > 1:
        train_docs = _repeat_everyday(train_docs, recipe.everyday_repeats)
    model = LanguageModel(model_config)
    done = 0
    if resume is not None:
        previous = load_checkpoint(resume, NAME)
        vocab = previous.vocab  # the ids its weights were trained with
        done = previous.metrics["epochs"]
        train_config = continue_schedule(train_config, done)
        model.load_state_dict(previous.state_dict, strict=False)  # decoder is tied
    elif not quick and (recipe is None or recipe.from_bbc):
        start_from_bbc(model, vocab)
    shares = domain_shares() if not quick else {}
    if recipe is not None and recipe.everyday_repeats > 1 and shares:
        shares = _repeated_shares(shares, recipe.everyday_repeats)
    return _fit(
        model,
        model_config,
        train_config,
        vocab,
        _windows(train_docs, valid_docs, vocab),
        out=out,
        fingerprint=_stage_fingerprint(vocab),
        on_step=on_step,
        done=done,
        quick=quick,
        extra={
            "stage": "news+everyday",
            "train_shares": shares,
            "train_tokens": sum(len(d) for d in train_docs),
            "device": device,
        }
        | ({"everyday_repeats": recipe.everyday_repeats} if recipe else {}),
    )


def _repeated_shares(shares: dict[str, float], repeats: int) -> dict[str, float]:
    """Each source's share of the tokens read once everyday text is repeated."""
    read = {k: v * (repeats if k in everyday_split() else 1) for k, v in shares.items()}
    total = sum(read.values())
    return {k: round(v / total, 4) for k, v in read.items()}


def _repeat_everyday(docs: list, repeats: int) -> list:
    """Every everyday training document `repeats` times, the copies spread through
    the text (interleaved, seeded) rather than read back to back."""
    everyday = set(domain_token_docs("everyday", "train"))  # real text only
    extra = [d for d in docs if d in everyday] * (repeats - 1)
    mixed = docs + extra
    random.Random(MIX_SEED).shuffle(mixed)
    return mixed


def start_from_bbc(model: LanguageModel, vocab: Vocab) -> None:
    """Copy stage 1's LSTM weights and the vectors of the words both vocabularies
    share: stage 2 starts from a model that already writes English."""
    start = load_checkpoint(BBC_START, NAME)
    state = start.state_dict
    with torch.no_grad():
        known = [i for i, t in enumerate(start.vocab.itos) if t in vocab.stoi]
        rows = [vocab.stoi[start.vocab.itos[i]] for i in known]
        model.embedding.weight[rows] = state["embedding.weight"][known].float()
        for name, tensor in model.rnn.state_dict().items():
            tensor.copy_(state[f"rnn.{name}"].float())


def train_bbc(out: Path, on_step: Callable[[Progress], None] | None = None) -> dict:
    """Stage 1: the BBC-only model (the keyboard of the previous release)."""
    set_seed(0)
    model_config, train_config = _bbc_settings()
    vocab = build_vocab(BBC_VOCAB_SIZE)
    train_docs, valid_docs = bbc_token_docs("train"), bbc_token_docs("valid")
    return _fit(
        LanguageModel(model_config),
        model_config,
        train_config,
        vocab,
        _windows(train_docs, valid_docs, vocab),
        out=out,
        fingerprint=corpus_split("bbc").fingerprints() | {"vocab_size": len(vocab)},
        on_step=on_step,
        low_dropout=True,
    )


def _windows(train_docs: list, valid_docs: list, vocab: Vocab) -> tuple[list, list]:
    """Both token streams cut into (batch, bptt) windows: (train, valid)."""
    return (
        batchify(stream(train_docs, vocab), BATCH_SIZE, BPTT),
        batchify(stream(valid_docs, vocab), EVAL_BATCH_SIZE, BPTT),
    )


def _fit(
    model: LanguageModel,
    model_config: LMConfig,
    train_config: TrainConfig,
    vocab: Vocab,
    windows: tuple[list, list],
    *,
    out: Path,
    fingerprint: dict,
    on_step: Callable[[Progress], None] | None,
    done: int = 0,
    quick: bool = False,
    low_dropout: bool = False,
    extra: dict | None = None,
) -> dict:
    """Train, saving the best model (by validation perplexity) after every epoch."""
    extra = extra or {}
    if low_dropout and done + 1 >= LOW_DROPOUT_EPOCH:
        set_dropout(model, LOW_DROPOUT)

    def save(metrics: dict) -> None:
        # decoder.weight is the embedding (tied): store it once
        state = {k: v for k, v in model.state_dict().items() if k != TIED}
        checkpoint = Checkpoint(
            NAME, state, model_config.to_dict(), vocab, fingerprint, metrics | extra
        )
        save_checkpoint(checkpoint, out, half=True)

    def on_epoch(record: EpochResult) -> None:
        ppl = math.exp(min(record.valid_loss, 50))
        record.epoch += done
        print(
            f"epoch {record.epoch}: train loss {record.train_loss:.3f}, valid ppl "
            f"{ppl:.1f}, lr {record.lr:g}, {record.elapsed_s:.0f} s"
            + (" (saved)" if record.improved else ""),
            file=sys.stderr,
            flush=True,
        )
        if low_dropout and record.epoch + 1 == LOW_DROPOUT_EPOCH:
            set_dropout(model, LOW_DROPOUT)  # from the next epoch on
        if record.improved:  # a long run stopped early still leaves its best model
            save({"valid_ppl": round(ppl, 2), "epochs": record.epoch, "quick": quick})

    trainer = Trainer(
        CarriedStateObjective(model), train_config, on_step=on_step, on_epoch=on_epoch
    )
    start = time.perf_counter()
    train_batches, valid_batches = windows
    result = trainer.fit(train_batches, valid_batches)
    metrics = {
        "valid_ppl": round(math.exp(min(result.best_valid_loss, 50)), 2),
        "epochs": result.epochs_run + done,
        "stopped_because": result.stopped_because,
        "train_seconds": round(time.perf_counter() - start),
        "train_tokens": sum(x.numel() for x, _ in train_batches),
        "quick": quick,
    }
    save(metrics)
    return metrics


def set_dropout(model: LanguageModel, p: float) -> None:
    """Change the dropout of a language model between epochs."""
    model.drop.p = p
    model.rnn.dropout = p  # read by nn.LSTM at every forward pass


def load_model(path: Path) -> tuple[LanguageModel, Checkpoint]:
    checkpoint = load_checkpoint(path, NAME)
    model = LanguageModel(LMConfig(**checkpoint.config))
    missing, unexpected = model.load_state_dict(checkpoint.state_dict, strict=False)
    if missing != [TIED] or unexpected:
        raise CheckpointError(
            f"{path} does not fit the next-word model. {rebuild_hint(NAME)}"
        )
    return model.eval(), checkpoint


def predict(texts: list[str], checkpoint: Path, k: int = 5) -> list[dict]:
    """The k most likely next words after each text (read as complete)."""
    model, ckpt = load_model(checkpoint)
    keyboard = LSTMKeyboard(model, ckpt.vocab)
    results = []
    for text in texts:
        reading = keyboard.read(text.rstrip() + " ")
        ranked = rank(reading.probabilities, keyboard.words, "", k, keyboard.banned)
        results.append(
            {
                "text": text,
                "tokens_read": len(reading.context),
                "tokens_dropped": reading.dropped,
                "suggestions": [
                    {"word": s.word, "probability": round(s.probability, 5)}
                    for s in ranked
                ],
            }
        )
    return results


def stream_tokens(part: str, quick: bool = False, domain: str = "mix") -> list[str]:
    """A split as one token stream, starting at a paragraph break (<eos>).

    domain "mix" is what the model trains and validates on (news, everyday text and,
    in train, the generated scenes); "bbc" and "everyday" are the two held-out
    domains of the benchmark.
    """
    if domain == "mix":
        docs = (
            list(mixed_train_docs())
            if part == "train"
            else [d for dom in DOMAINS for d in domain_token_docs(dom, part)]
        )
    else:
        docs = list(domain_token_docs(domain, part))
    return [EOS] + [t for doc in (docs[:20] if quick else docs) for t in doc]


def kneser_ney(vocab: Vocab, discount: float, quick: bool = False) -> KneserNeyTrigram:
    """The trigram baseline counted on the same train tokens and vocabulary."""
    return KneserNeyTrigram(
        vocab.encode(stream_tokens("train", quick)), len(vocab), discount
    )


def best_discount(vocab: Vocab, quick: bool) -> float:
    """The KN discount with the lowest validation perplexity: a fair baseline."""
    # the first 20 validation documents of each domain: enough to rank 3 discounts
    valid = vocab.encode(
        [t for d in DOMAINS for t in stream_tokens("valid", quick=True, domain=d)]
    )
    if quick:
        return KN_DISCOUNT
    scores = {}
    for discount in (0.6, KN_DISCOUNT, 0.9):
        kn = kneser_ney(vocab, discount)
        scores[discount] = score_stream(kn_distributions(kn, valid), valid, vocab)[
            "ppl"
        ]
    return min(scores, key=scores.get)


def read_prompts(path: Path = PROMPTS) -> list[tuple[str, frozenset[str]]]:
    """The hand-written everyday prompts and the next words a person would accept."""
    prompts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            prompt, answers = line.split("\t")
            prompts.append((prompt, frozenset(answers.lower().split("|"))))
    return prompts


def prompt_hits(keyboard: Keyboard, prompts: list[tuple[str, frozenset[str]]]) -> dict:
    """The share of prompts with an accepted answer among the three suggestions."""
    misses = []
    for prompt, answers in prompts:
        shown = [s.word for s in keyboard.suggest(prompt + " ", k=3)]
        if not answers & set(shown):
            misses.append({"prompt": prompt, "suggested": shown})
    return {
        "top3": round(1 - len(misses) / max(len(prompts), 1), 4),
        "n": len(prompts),
        "misses": misses,
    }


def domain_split_fingerprint(domain: str) -> str:
    """The test documents of one benchmark domain, as one short hash."""
    if domain == "bbc":
        return corpus_split("bbc").fingerprints()["test"]
    prints = [s.fingerprints()["test"] for s in everyday_split().values()]
    return hashlib.sha256(":".join(prints).encode()).hexdigest()[:16]


def domain_report(
    model: LanguageModel, kn: KneserNeyTrigram, vocab: Vocab, domain: str, quick: bool
) -> dict:
    """Perplexity, top-k and keystroke savings of the LSTM and the trigram on the
    test documents of one domain."""
    tokens = stream_tokens("test", quick, domain)
    ids = vocab.encode(tokens)
    lstm = score_stream(lstm_distributions(model, ids), ids, vocab)
    kn3 = score_stream(kn_distributions(kn, ids), ids, vocab)
    n_words = 300 if quick else KSR_WORDS
    stride = max(1, sum(t != EOS for t in tokens[1:]) // n_words)
    lstm_ksr = keystroke_savings(
        lstm_distributions(model, ids), tokens, vocab, n_words, stride
    )
    kn3_ksr = keystroke_savings(
        kn_distributions(kn, ids), tokens, vocab, n_words, stride
    )
    return {
        "lstm_ppl": lstm["ppl"],
        "kn3_ppl": kn3["ppl"],
        "ppl_ratio": round(lstm["ppl"] / kn3["ppl"], 4),
        "lstm_top1": lstm["top1"],
        "kn3_top1": kn3["top1"],
        "lstm_top3": lstm["top3"],
        "kn3_top3": kn3["top3"],
        "lstm_ksr": lstm_ksr["ksr"],
        "kn3_ksr": kn3_ksr["ksr"],
        "ksr_words": lstm_ksr["words"],
        "ksr_stride": stride,
        "n_test_tokens": lstm["n_tokens"],
        "n_test_word_targets": lstm["n_word_targets"],
        "split_fingerprint": domain_split_fingerprint(domain),
    }


def suggestion_timings(
    model: LanguageModel, vocab: Vocab, tokens: list[str], trials: int
) -> list[float]:
    """Milliseconds per keystroke after a 30-word context, warm cache.

    Two kinds of keystroke are timed: the space after a new word (one LSTM step
    plus ranking) and a letter of a half-typed word (ranking only).
    """
    words = [t for t in tokens if t != EOS]
    keyboard = LSTMKeyboard(model, vocab)
    timings = []
    for trial in range(trials):
        start = trial * 37 % max(1, len(words) - 40)
        context, new, next_word = (
            words[start : start + 30],
            words[start + 30],
            words[start + 31],
        )
        keyboard.suggest(detokenize(context) + " ")  # warm: the context is read
        for text in (
            detokenize([*context, new]) + " ",
            detokenize([*context, new]) + " " + next_word[:2],
        ):
            begin = time.perf_counter()
            keyboard.suggest(text)
            timings.append((time.perf_counter() - begin) * 1000)
    return timings


def bench(quick: bool, checkpoint: Path) -> dict:
    model, ckpt = load_model(checkpoint)
    vocab = ckpt.vocab
    discount = best_discount(vocab, quick)
    kn = kneser_ney(vocab, discount, quick)
    report: dict = {"task": NAME}
    for domain in DOMAINS:
        report[domain] = domain_report(model, kn, vocab, domain, quick)
    prompts = read_prompts()
    lstm_prompts = prompt_hits(LSTMKeyboard(model, vocab), prompts)
    kn3_prompts = prompt_hits(KNKeyboard(kn, vocab), prompts)
    tokens = stream_tokens("test", quick, "everyday")
    timings = sorted(suggestion_timings(model, vocab, tokens, 20 if quick else 200))
    return report | {
        "prompts_top3": lstm_prompts["top3"],
        "kn3_prompts_top3": kn3_prompts["top3"],
        "n_prompts": lstm_prompts["n"],
        "prompt_misses": lstm_prompts["misses"],
        "suggest_p50_ms": round(timings[len(timings) // 2], 3),
        "suggest_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "kn3_discount": discount,
        "vocab_size": len(vocab),
        "parameters": sum(p.numel() for p in model.parameters()),
        "checkpoint_mb": round(Path(checkpoint).stat().st_size / 2**20, 2),
        "quick": quick,
        "trained_metrics": ckpt.metrics,
    }


def export_corpus(directory: Path) -> list[Path]:
    """The exact tokenized BBC splits, one document per line, for other LM tools.

    Paragraph breaks inside a document are written as <eos>; the line end is the
    document's final <eos>. vocab.txt lists the shipped model's vocabulary.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for part in ("train", "valid", "test"):
        path = directory / f"{part}.txt"
        lines = (" ".join(doc[:-1]) for doc in bbc_token_docs(part))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    vocab_path = directory / "vocab.txt"
    vocab_path.write_text("\n".join(build_vocab(BBC_VOCAB_SIZE).itos) + "\n", "utf-8")
    return [*written, vocab_path]


TASK = Task(
    name=NAME,
    summary="next-word: a word-level LSTM suggests the next word (BBC News)",
    train=train,
    predict=predict,
    bench=bench,
)
