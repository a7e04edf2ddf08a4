"""The sentiment task: LSTMs read labelled tweets and human-rated review,
editorial and tweet sentences, word by word, then say negative, neutral or
positive (many-to-one).

`python -m engine train sentiment` writes three files next to each other:
sentiment.pt (one direction: the trajectory is the model's own running answer),
sentiment-bi.pt (both directions) and sentiment-tfidf.pt (the bag-of-words
baseline, fitted on the same split, kept as arrays).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import torch

from engine.baselines import (
    TfidfLogisticRegression,
    majority_label,
    vader_compound,
    vader_emoji_names,
    vader_label,
    vader_lexicon,
)
from engine.checkpoints import (
    Checkpoint,
    default_path,
    load_checkpoint,
    save_checkpoint,
)
from engine.corpora import Document, corpus_split
from engine.errors import CheckpointError, InputError
from engine.everyday import RatedSentence, rated_split
from engine.language_model import (
    CarriedStateObjective,
    LanguageModel,
    LMConfig,
    batchify,
    stream,
)
from engine.models import RecurrentConfig
from engine.review_grammar import generate_reviews
from engine.sentiment import (
    LABELS,
    MAX_WORDS,
    SentimentClassifier,
    SentimentReader,
    encode_batch,
    label_documents,
    sentiment_tokens,
)
from engine.sentiment_twins import contrast_pairs, negated_twins, twin_examples
from engine.tasks import Task
from engine.text import EOS, SPECIALS, Vocab, is_emoji
from engine.train import (
    EpochResult,
    Progress,
    TrainConfig,
    Trainer,
    epoch_logger,
    one_thread,
    set_seed,
)

NAME = "sentiment"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
# clear-cut reviews written with the task (the target set) and a second set
# written later, before the final training, and never used to choose anything
SANITY_FILE = DATA_DIR / "sentiment_sanity.tsv"
HOLDOUT_FILE = DATA_DIR / "sentiment_holdout.tsv"
LEXICON_MIN_VALENCE = 1.0  # VADER words at least this positive or negative
BATCH_SIZE = 64
EPOCHS = 10  # at most (each about 2.5 minutes on 2 CPU cores for the one-way
# reader): with the word vectors at 0.3 of the step and the weights averaged the best
# validation loss came at epoch 8; with the whole step, not averaged, at epoch 4
# A running average of the weights over about the last thousand steps (an epoch is
# 1,155): validation accuracy +0.004 and +0.005 with two seeds against the same
# recipe without it (tools/sentiment_search.py "averaged")
AVERAGE_DECAY = 0.999
TWIN_SEED = 0
N_REVIEWS, REVIEW_SEED = 15_000, 0  # generated reviews (negation, "not bad"): about 20%
# The rated sentences' mean rating (about 20 people each, -4..+4) -> a label:
# within half a point of 0 is neutral. Their ratings pile up on both sides of 0
# with a trough between -0.5 and +0.5 (movies: 5% of sentences there, tweets 20%,
# editorials 46%, which are mostly argued, not felt): the raters on average did
# not lean even half a step either way.
NEUTRAL_RATING = 0.5
# 15,000 words keeps the BiLSTM's checkpoint under 10 MB (21,700 words are seen
# twice or more; the rest are names and typos seen a few times)
VOCAB_SIZE = 15_000
UNI_LAYERS = 2
RATED_DOMAINS = ("movies", "amazon", "editorials")  # benchmark domains besides tweets
DOMAINS = ("tweets", *RATED_DOMAINS)
EMOJI_MIN_COMPOUND = 0.3  # VADER's score of an emoji's name, to teach it as a word
NEGATION_FILE = DATA_DIR / "sentiment_negation.tsv"
# The everyday-English keyboard model: its word vectors and first LSTM layer start
# both readers (it has read these tweets' and rated sentences' training splits,
# never their valid or test texts: the splits are shared).
PRETRAINED = "next-word"
PRETRAIN_EPOCHS = 2  # a quick run's own next-word pre-training instead
LM_BATCH_SIZE, LM_BPTT = 32, 35  # pre-training batches: 32 columns, 35 words long
# the keyboard LSTM's next-word fine-tuning on the training texts (adapt_reading)
ADAPT_LR, ADAPT_SEED = 1e-3, 0


def bi_path(path: Path) -> Path:
    return path.with_name(path.stem + "-bi" + path.suffix)


def tfidf_path(path: Path) -> Path:
    return path.with_name(path.stem + "-tfidf" + path.suffix)


@cache
def tokenized(part: str) -> tuple[tuple[tuple[str, ...], int], ...]:
    """(words, label id) for every tweet of a split."""
    docs: tuple[Document, ...] = corpus_split("tweets").parts()[part]
    return tuple(
        (tuple(sentiment_tokens(d.text)[:MAX_WORDS]), LABELS.index(d.label))
        for d in docs
    )


def rating_label(rating: float) -> str:
    """A mean rating (-4..+4) as one of the three labels (see NEUTRAL_RATING)."""
    if rating > NEUTRAL_RATING:
        return "positive"
    if rating < -NEUTRAL_RATING:
        return "negative"
    return "neutral"


@cache
def rated(part: str, source: str | None = None) -> tuple[RatedSentence, ...]:
    """The rated sentences of one split (optionally of one source), as split by
    review group in engine/everyday.py (the same split the language model uses)."""
    return tuple(r for r in rated_split()[part] if source is None or r.source == source)


def rated_examples(part: str, source: str | None = None) -> list[tuple]:
    """(words, label id) for the rated sentences of one split."""
    return [
        (
            tuple(sentiment_tokens(r.text)[:MAX_WORDS]),
            LABELS.index(rating_label(r.rating)),
        )
        for r in rated(part, source)
    ]


def rated_summary() -> list[dict]:
    """Per source of rated sentences: how many in each split and the share of
    each label (by NEUTRAL_RATING), for the page's data panel."""
    rows = []
    for source in ("movies", "amazon", "editorials", "tweets"):
        everything = [
            r for part in ("train", "valid", "test") for r in rated(part, source)
        ]
        labels = Counter(rating_label(r.rating) for r in everything)
        rows.append(
            {"source": source}
            | {part: len(rated(part, source)) for part in ("train", "valid", "test")}
            | {
                label: round(labels[label] / max(len(everything), 1), 3)
                for label in LABELS
            }
        )
    return rows


def rated_test_sentences(source: str | None = None) -> list[RatedSentence]:
    """Held-out rated sentences (never trained on), for the page to compare the
    model with the people who rated them."""
    return list(rated("test", source))


def sanity_set(path: Path = SANITY_FILE) -> list[tuple[str, str]]:
    """Clear-cut reviews of films, food, gadgets and travel: (label, text)."""
    with path.open(encoding="utf-8") as handle:
        return [
            (row["label"], row["text"])
            for row in csv.DictReader(handle, delimiter="\t")
        ]


def lexicon_examples() -> list[tuple[tuple[str, ...], int]]:
    """VADER's human-rated words as one-word texts: "superb" -> positive.

    The tweets are about airlines, phones, a festival and a football scandal, so
    many everyday review words ("delicious", "dreadful") are rare or absent in
    them; the lexicon teaches their polarity. Its emoticons (":)", ":-(") are
    tokens too, and each emoji whose name VADER rates clearly ("face with tears
    of joy") is taught the same way.
    """
    found = [
        ((word,), LABELS.index("positive" if valence > 0 else "negative"))
        for word, valence in vader_lexicon().items()
        if abs(valence) >= LEXICON_MIN_VALENCE and sentiment_tokens(word) == [word]
    ]
    for emoji, name in vader_emoji_names().items():
        tokens, score = sentiment_tokens(emoji), vader_compound(name)
        if (
            len(tokens) == 1
            and is_emoji(tokens[0])
            and abs(score) >= EMOJI_MIN_COMPOUND
        ):
            found.append(((tokens[0],), LABELS.index(vader_label(score))))
    return list(dict.fromkeys(found))  # skin-tone variants fold into one


def review_examples(n: int = N_REVIEWS) -> list[tuple[tuple[str, ...], int]]:
    """Generated everyday reviews (see engine/review_grammar.py), tokenized."""
    return [
        (tuple(sentiment_tokens(text)), LABELS.index(label))
        for text, label in generate_reviews(n, REVIEW_SEED)
    ]


def build_vocab(examples: list[tuple[tuple[str, ...], int]]) -> Vocab:
    """The most frequent words of the training examples (seen at least twice),
    at most VOCAB_SIZE of them, plus every emoji and emoticon the examples hold:
    most are taught once, by VADER's list, and would otherwise all be <unk>."""
    frequent = Vocab.build(
        (words for words, _ in examples), min_freq=2, max_size=VOCAB_SIZE
    )
    emoji = sorted(
        {w for words, _ in examples for w in words if is_emoji(w)} - set(frequent.itos)
    )
    return Vocab(frequent.itos + emoji)


def pretrained_vectors(vocab: Vocab, embedding: torch.nn.Embedding) -> int:
    """Start the word vectors from the next-word model's, where the word is in
    both vocabularies (semi-supervised pre-training). Returns how many."""
    try:
        lm = load_checkpoint(default_path(PRETRAINED), PRETRAINED)
    except CheckpointError:
        return 0  # the task stands alone: random word vectors
    vectors = lm.state_dict["embedding.weight"]
    if vectors.shape[1] != embedding.embedding_dim:
        return 0
    shared = [
        (i, lm.vocab.stoi[w])
        for i, w in enumerate(vocab.itos)
        if w in lm.vocab and w not in SPECIALS
    ]
    if not shared:
        return 0
    rows, lm_rows = zip(*shared, strict=True)
    with torch.no_grad():
        embedding.weight[list(rows)] = vectors[list(lm_rows)]
    return len(shared)


def pretrain_reading(
    examples: list[tuple[tuple[str, ...], int]],
    vocab: Vocab,
    hidden_size: int,
    epochs: int,
    on_step: Callable[[Progress], None] | None = None,
) -> tuple[dict[str, torch.Tensor], float]:
    """Semi-supervised pre-training (Dai & Le, 2015): before any label, an
    embedding and an LSTM learn to predict the next word of the training texts.
    A reader that already follows the language learns sentiment from fewer
    labels. Returns their weights (classifier names) and the validation perplexity.
    """
    lm = LanguageModel(
        LMConfig(vocab_size=len(vocab), hidden_size=hidden_size, num_layers=1)
    )
    pretrained_vectors(vocab, lm.embedding)  # from the BBC next-word model
    texts = [words for words, _ in examples]
    valid = [words for words, _ in labelled("valid")]
    return fit_next_word(lm, vocab, texts, valid, 2e-3, epochs, on_step)


def adapt_reading(
    start: dict[str, torch.Tensor],
    vocab: Vocab,
    texts: list[tuple[str, ...]],
    valid_texts: list[tuple[str, ...]],
    epochs: int,
    on_step: Callable[[Progress], None] | None = None,
) -> tuple[dict[str, torch.Tensor], float]:
    """ULMFiT's second step (Howard & Ruder, 2018): the keyboard LSTM, moved to this
    vocabulary, reads the labelled training `texts` (without their labels) as a
    next-word model for a while before it learns sentiment. Words the keyboard
    never saw (":)", "laggy", a hashtag) get vectors learnt from their contexts
    instead of random ones. Returns the adapted weights and the validation perplexity.
    """
    layers = sum(1 for k in start if k.startswith("rnn.weight_hh_l"))
    hidden = start["embedding.weight"].shape[1]
    lm = LanguageModel(
        LMConfig(vocab_size=len(vocab), hidden_size=hidden, num_layers=layers)
    )
    lm.load_state_dict(start | {"decoder.weight": start["embedding.weight"]})
    order = np.random.default_rng(ADAPT_SEED).permutation(len(texts))
    texts = [texts[i] for i in order]  # tweets and reviews mixed in every column
    return fit_next_word(lm, vocab, texts, valid_texts, ADAPT_LR, epochs, on_step)


def fit_next_word(
    lm: LanguageModel,
    vocab: Vocab,
    texts: list[tuple[str, ...]],
    valid_texts: list[tuple[str, ...]],
    lr: float,
    epochs: int,
    on_step: Callable[[Progress], None] | None = None,
) -> tuple[dict[str, torch.Tensor], float]:
    """Train `lm` to predict the next word of `texts` (one stream, <eos> after
    each); return its word vectors and LSTM layers in the classifier's names, and
    its best validation perplexity."""
    docs = [list(words) + [EOS] for words in texts if len(words) > 1]
    valid = [list(words) + [EOS] for words in valid_texts]
    batches = batchify(stream(docs, vocab), LM_BATCH_SIZE, LM_BPTT)
    valid_batches = batchify(stream(valid, vocab), 10, LM_BPTT)
    config = TrainConfig(epochs=epochs, lr=lr, clip_norm=0.5, shuffle=False)

    def on_epoch(record: EpochResult) -> None:
        print(
            f"next-word epoch {record.epoch}: valid perplexity "
            f"{math.exp(min(record.valid_loss, 50)):.1f}, {record.elapsed_s:.0f} s",
            file=sys.stderr,
            flush=True,
        )

    result = Trainer(CarriedStateObjective(lm), config, on_step, on_epoch).fit(
        batches, valid_batches
    )
    weights = {"embedding.weight": lm.embedding.weight.detach().clone()}
    weights |= {f"rnn.{k}": v.clone() for k, v in lm.rnn.state_dict().items()}
    return weights, math.exp(min(result.best_valid_loss, 50))


def next_word_start(vocab: Vocab, hidden_size: int) -> dict[str, torch.Tensor] | None:
    """The keyboard LSTM's word vectors and its LSTM layers, in the classifier's
    names, for this vocabulary; a word the keyboard does not know (an emoji, a
    rare name) keeps a small random vector. None when that model is missing or
    another size (a quick run then pre-trains its own)."""
    try:
        lm = load_checkpoint(default_path(PRETRAINED), PRETRAINED)
    except CheckpointError:
        return None
    state = {k: v.float() for k, v in lm.state_dict.items()}
    vectors = state["embedding.weight"]
    if (
        vectors.shape[1] != hidden_size
        or state["rnn.weight_hh_l0"].shape[1] != hidden_size
    ):
        return None
    generator = torch.Generator().manual_seed(0)
    embedding = (torch.rand(len(vocab), hidden_size, generator=generator) - 0.5) * 0.2
    # the keyboard's output bias (how common each word is), for adapt_reading; a
    # word it does not know starts as rare as its rarest
    keyboard_bias = state["decoder.bias"]
    bias = torch.full((len(vocab),), float(keyboard_bias.min()))
    for i, word in enumerate(vocab.itos):
        if word in lm.vocab:
            bias[i] = keyboard_bias[lm.vocab.stoi[word]]
            if word not in SPECIALS:
                embedding[i] = vectors[lm.vocab.stoi[word]]
    start = {"embedding.weight": embedding, "decoder.bias": bias}
    for key, tensor in state.items():
        if key.startswith("rnn."):  # both layers: a reader takes what it has
            start[key] = tensor.clone()
    return start


def load_start(model: SentimentClassifier, start: dict[str, torch.Tensor]) -> None:
    """Copy pre-trained weights in; a BiLSTM's backward half starts from the same
    weights as its forward half (it then learns to read right to left)."""
    if model.config.direction == "bi":
        start = start | {f"{k}_reverse": v for k, v in start.items() if "rnn." in k}
    wanted = model.state_dict()  # a one-layer reader takes the first layer only
    start = {
        k: v for k, v in start.items() if k in wanted and v.shape == wanted[k].shape
    }
    missing, unexpected = model.load_state_dict(start, strict=False)
    assert not unexpected and all(k.startswith("head.") for k in missing)


def labelled(part: str) -> list[tuple[tuple[str, ...], int]]:
    """The real labelled texts of one split: tweets and rated sentences."""
    return list(tokenized(part)) + rated_examples(part)


@dataclass(frozen=True)
class SentimentRecipe:
    """The readers' recipe, when not the default (tools/sentiment_search.py tries
    several on a GPU and keeps the best on validation)."""

    dropout: float = 0.5
    epochs: int = EPOCHS
    lr: float = 1e-3
    # (epoch, factor) pairs: the step is multiplied by factor when that epoch starts
    lr_steps: tuple[tuple[int, float], ...] = ()
    n_reviews: int = N_REVIEWS
    # a factor on the step for the weights that start from the keyboard LSTM (word
    # vectors, LSTM layers); the new output layer always takes the whole step
    pretrained_lr: float = 1.0
    # a further factor for the word vectors alone: 3.9 of the one-way reader's 4.9
    # million weights, the part that overfits rare words first. At 0.3 the one-way
    # reader's validation loss fell from 0.6505 to 0.6336 (accuracy 0.7385 -> 0.7467,
    # Amazon 0.679 -> 0.732), in 7 epochs instead of 4
    embedding_lr: float = 0.3
    max_seconds: float | None = None  # per reader
    # negated and contrasted twins of the training sentences (engine/sentiment_twins):
    # without them the readers got 28% of the validation split's negated twins and
    # 66% of its contrast pairs right; with these counts 80% and 89%, for a
    # validation loss 0.003 higher (0.6505 vs 0.6471)
    negations: int = 1_500
    contrasts: int = 3_000
    balanced_twins: bool = False  # half the negated twins of each label
    # (source, times): a rated source's training sentences seen that many times an
    # epoch (Amazon's 2,900 product sentences are 4% of the training texts)
    repeat_sources: tuple[tuple[str, int], ...] = ()
    # a running average of the weights (engine/train.py TrainConfig.average_decay)
    average_decay: float | None = AVERAGE_DECAY
    # epochs of next-word fine-tuning on the training texts first (adapt_reading)
    adapt_epochs: int = 0
    # the head's first weights, the batches and their order: another seed shows
    # how much of a difference between two recipes is luck
    seed: int = 0

    def summary(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "max_seconds"}


DEFAULT_RECIPE = SentimentRecipe()


def training_data(
    quick: bool, recipe: SentimentRecipe = DEFAULT_RECIPE
) -> tuple[list, list, Vocab]:
    """(train examples, valid examples, vocabulary), shared by both LSTMs."""
    real = labelled("train")
    examples = real + lexicon_examples() + review_examples(recipe.n_reviews)
    examples += twin_examples(
        real,
        vader_lexicon(),
        recipe.negations,
        recipe.contrasts,
        TWIN_SEED,
        recipe.balanced_twins,
    )
    valid = labelled("valid")
    if quick:
        examples, valid = examples[:600], valid[:200]
    vocab = build_vocab(examples)
    for source, times in recipe.repeat_sources:  # after the vocabulary: no new word
        examples += rated_examples("train", source) * (times - 1)
    return examples, valid, vocab


def make_batches(
    examples: list[tuple[tuple[str, ...], int]], vocab: Vocab, seed: int
) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Shuffled (ids, lengths, labels) batches; the Trainer shuffles their order."""
    order = np.random.default_rng(seed).permutation(len(examples))
    batches = []
    for start in range(0, len(order), BATCH_SIZE):
        chunk = [examples[i] for i in order[start : start + BATCH_SIZE]]
        ids, lengths = encode_batch(
            [vocab.encode(words) for words, _ in chunk], vocab.pad_id
        )
        batches.append((ids, lengths, torch.tensor([y for _, y in chunk])))
    return batches


def _settings(
    quick: bool,
    direction: str,
    vocab_size: int,
    recipe: SentimentRecipe = DEFAULT_RECIPE,
) -> tuple:
    if quick:  # a toy model in seconds, for tests
        model = RecurrentConfig(
            direction=direction,
            vocab_size=vocab_size,
            embed_size=16,  # pre-training ties word vectors to the LSTM's size
            hidden_size=16,
            num_classes=len(LABELS),
        )
        return model, TrainConfig(epochs=1, lr=3e-3)
    model = RecurrentConfig(
        direction=direction,
        vocab_size=vocab_size,
        embed_size=256,  # = hidden_size: the pre-training language model ties them
        hidden_size=256,
        # the one-way reader is the keyboard's whole 2-layer LSTM; the BiLSTM
        # takes its first layer for both directions (two layers would not fit 10 MB)
        num_layers=UNI_LAYERS if direction == "uni" else 1,
        # 30k tweets: a big network overfits them in a few epochs (default 0.5)
        dropout=recipe.dropout,
        num_classes=len(LABELS),
    )
    train = TrainConfig(epochs=recipe.epochs, lr=recipe.lr, clip_norm=1.0, patience=2)
    factors = {
        "embedding.": recipe.pretrained_lr * recipe.embedding_lr,
        "rnn.": recipe.pretrained_lr,
    }
    return model, replace(
        train,
        max_seconds=recipe.max_seconds,
        lr_steps=dict(recipe.lr_steps),
        average_decay=recipe.average_decay,
        lr_factors=factors if set(factors.values()) != {1.0} else {},
    )


def pretrained_note(start: dict | None, quick: bool) -> str:
    if start is None:
        return "word vectors of the next-word model"
    if quick:
        return "its own next-word pre-training on the training texts"
    return "the next-word keyboard LSTM (word vectors and LSTM layers)"


def train_one(
    direction: str,
    quick: bool,
    out: Path,
    on_step: Callable[[Progress], None] | None = None,
    start: dict[str, torch.Tensor] | None = None,
    device: str = "cpu",
    recipe: SentimentRecipe = DEFAULT_RECIPE,
) -> dict:
    """Train one classifier (direction 'uni' or 'bi') and save it to `out`;
    `start` holds pre-trained embedding and LSTM weights (see pretrain_reading)."""
    set_seed(recipe.seed)
    examples, valid, vocab = training_data(quick, recipe)
    model_config, train_config = _settings(quick, direction, len(vocab), recipe)
    train_config = replace(train_config, device=device, seed=recipe.seed)
    model = SentimentClassifier(model_config)
    if start is not None:
        load_start(model, start)
    else:
        pretrained_vectors(vocab, model.embedding)

    on_epoch = epoch_logger(direction)

    began = time.perf_counter()
    result = Trainer(model, train_config, on_step=on_step, on_epoch=on_epoch).fit(
        make_batches(examples, vocab, seed=recipe.seed),
        make_batches(valid, vocab, seed=1),
    )
    reader = SentimentReader(model, vocab, {})
    metrics = {
        "valid_loss": round(result.best_valid_loss, 4),
        "valid_accuracy": round(accuracy(reader, valid), 4),
        **({} if quick else twin_check(reader)),
        "epochs": result.epochs_run,
        "stopped_because": result.stopped_because,
        "pretrained": pretrained_note(start, quick),
        "train_seconds": round(time.perf_counter() - began),
        "quick": quick,
        "device": device,
        "recipe": recipe.summary(),
    }
    fingerprint = data_fingerprint() | {
        "vader_lexicon_min_valence": LEXICON_MIN_VALENCE,
        "generated_reviews": recipe.n_reviews,
        "review_seed": REVIEW_SEED,
        "twins": [recipe.negations, recipe.contrasts, TWIN_SEED],
        "balanced_twins": recipe.balanced_twins,
    }
    checkpoint = Checkpoint(
        NAME, model.state_dict(), model_config.to_dict(), vocab, fingerprint, metrics
    )
    save_checkpoint(checkpoint, out, half=True)
    return metrics


def fit_tfidf(quick: bool, out: Path) -> dict:
    """Fit the bag-of-words baseline on the LSTMs' labelled texts (tweets and
    rated sentences); C is chosen on the validation split."""
    train, valid = labelled("train"), labelled("valid")
    if quick:
        train, valid = train[:600], valid[:200]
    words, labels = [list(w) for w, _ in train], [y for _, y in train]
    best = None
    for c in (1.0, 3.0, 10.0) if not quick else (1.0,):
        baseline, _ = TfidfLogisticRegression.fit(words, labels, c)
        score = np.mean([baseline.probabilities(w).argmax() == y for w, y in valid])
        if best is None or score > best[0]:
            best = (score, c, baseline)
    score, c, baseline = best
    state = {
        "idf": torch.tensor(baseline.idf, dtype=torch.float32),
        "coef": torch.tensor(baseline.coef, dtype=torch.float32),
        "bias": torch.tensor(baseline.bias, dtype=torch.float32),
    }
    metrics = {"valid_accuracy": round(float(score), 4), "c": c, "quick": quick}
    config = {"terms": baseline.terms, "labels": list(LABELS)}
    fingerprint = data_fingerprint()
    save_checkpoint(
        Checkpoint(NAME + "-tfidf", state, config, None, fingerprint, metrics), out
    )
    return metrics


def data_fingerprint() -> dict:
    """Which texts each split held (tweets and rated sentences) and the rule
    that labels a rating."""
    rated_prints = {
        f"rated_{part}": hashlib.sha256(
            "\n".join(r.sentence_id for r in rated(part)).encode()
        ).hexdigest()[:16]
        for part in ("train", "valid", "test")
    }
    return (
        corpus_split("tweets").fingerprints()
        | rated_prints
        | {"neutral_rating": NEUTRAL_RATING}
    )


def load_tfidf(path: Path) -> TfidfLogisticRegression:
    checkpoint = load_checkpoint(path, NAME + "-tfidf")
    state = checkpoint.state_dict
    return TfidfLogisticRegression(
        checkpoint.config["terms"], state["idf"], state["coef"], state["bias"]
    )


def train(
    quick: bool,
    out: Path,
    on_step: Callable[[Progress], None] | None = None,
    device: str = "cpu",
    recipe: SentimentRecipe = DEFAULT_RECIPE,
) -> dict:
    """Both LSTMs (from one pre-training) and the TF-IDF baseline, same split.
    `device` "cuda" trains on a GPU; `recipe` replaces the default recipe."""
    examples, _, vocab = training_data(quick, recipe)
    set_seed(0)
    hidden = _settings(quick, "uni", len(vocab))[0].hidden_size
    start = None if quick else next_word_start(vocab, hidden)
    lm_ppl = None
    if start is None:
        start, lm_ppl = pretrain_reading(
            examples, vocab, hidden, 1 if quick else PRETRAIN_EPOCHS, on_step
        )
    elif recipe.adapt_epochs:
        start, lm_ppl = adapt_reading(
            start,
            vocab,
            [words for words, _ in labelled("train")],
            [words for words, _ in labelled("valid")],
            recipe.adapt_epochs,
            on_step,
        )
    return {
        "pretrain_valid_ppl": None if lm_ppl is None else round(lm_ppl, 1),
        "uni": train_one("uni", quick, out, on_step, start, device, recipe),
        "bi": train_one("bi", quick, bi_path(out), on_step, start, device, recipe),
        "tfidf": fit_tfidf(quick, tfidf_path(out)),
    }


VALID_CONTRASTS = 300


def twin_check(reader: SentimentReader) -> dict:
    """Two-way accuracy on the validation split's own negated twins and contrast
    pairs (engine/sentiment_twins.py): what chooses a twins recipe, since the
    hand-written challenge set only reports."""
    valid = labelled("valid")
    sets = {
        "valid_negated_acc": negated_twins(valid, vader_lexicon(), TWIN_SEED),
        "valid_contrast_acc": contrast_pairs(valid, VALID_CONTRASTS, TWIN_SEED + 1),
    }
    found = {}
    for key, examples in sets.items():
        predicted = _binary(example_logits(reader, examples).numpy())
        found[key] = round(_hit_rate([y for _, y in examples], predicted), 4)
    return found


def example_logits(reader: SentimentReader, examples) -> torch.Tensor:
    """The reader's scores (N, 3) for (words, label) examples, 256 at a time."""
    found = [torch.zeros(0, len(LABELS))]
    for start in range(0, len(examples), 256):
        chunk = examples[start : start + 256]
        ids, lengths = encode_batch(
            [reader.vocab.encode(w) for w, _ in chunk], reader.vocab.pad_id
        )
        with torch.no_grad():
            found.append(reader.model(ids, lengths)[0].float())
    return torch.cat(found)


def accuracy(reader: SentimentReader, examples) -> float:
    """Share of (words, label) examples the reader labels right."""
    predicted = example_logits(reader, examples).argmax(1).tolist()
    hits = sum(int(p == y) for p, (_, y) in zip(predicted, examples, strict=True))
    return hits / max(len(examples), 1)


def load_reader(path: Path) -> SentimentReader:
    return SentimentReader.load(path, NAME)


# ------------------------------------------------------- stored test answers
# The page's "test tweets it gets wrong" needs the model's answer for all 3,725
# test tweets: about 2.5 s of CPU, most of the page's first visit. The answers of
# the shipped checkpoints are stored here (a test keeps them equal to a fresh
# run); other weights, or another split, are answered afresh.
ANSWERS_FILE = (
    Path(__file__).resolve().parents[1] / "data" / "sentiment_test_answers.json"
)


def _answers_key(checkpoint: Path) -> str:
    weights = hashlib.sha256(Path(checkpoint).read_bytes()).hexdigest()[:16]
    return f"{weights}:{corpus_split('tweets').fingerprints()['test']}"


def fresh_test_tweet_answers(checkpoint: Path) -> list[dict]:
    texts = [d.text for d in corpus_split("tweets").test]
    return label_documents(load_reader(checkpoint), texts)


def stored_test_tweet_answers(checkpoint: Path) -> list[dict]:
    """{"predicted", "confidence"} for every test tweet, stored or fresh."""
    if ANSWERS_FILE.is_file():
        stored = json.loads(ANSWERS_FILE.read_text(encoding="utf-8"))
        rows = stored.get(_answers_key(checkpoint))
        if rows is not None:
            return [{"predicted": LABELS[i], "confidence": c} for i, c in rows]
    return fresh_test_tweet_answers(checkpoint)


def store_test_tweet_answers(checkpoints: list[Path]) -> Path:
    """Write the answers of these checkpoints (the shipped ones) to the repo."""
    stored = {
        _answers_key(path): [
            [LABELS.index(r["predicted"]), round(r["confidence"], 6)]
            for r in fresh_test_tweet_answers(path)
        ]
        for path in checkpoints
    }
    ANSWERS_FILE.write_text(json.dumps(stored, separators=(",", ":")) + "\n")
    return ANSWERS_FILE


def predict(
    texts: list[str], checkpoint: Path, k: int = 3, steps: bool = False
) -> list[dict]:
    """Label and probabilities per text; with `steps`, after every word too."""
    reader = load_reader(checkpoint)
    results = []
    for text in texts:
        try:
            reading = reader.read(text, steps=steps)
        except InputError as error:
            results.append({"text": text, "error": str(error)})
            continue
        result = {
            "text": text,
            "label": reading.label,
            "probabilities": _rounded(reading.probabilities),
            "words": reading.words,
            "notes": reading.notes,
        }
        if steps:
            result["steps"] = [
                {"word": word} | _rounded(step)
                for word, step in zip(reading.stepped_words, reading.steps, strict=True)
            ]
        results.append(result)
    return results


def _rounded(probabilities: dict[str, float]) -> dict[str, float]:
    return {label: round(p, 4) for label, p in probabilities.items()}


def macro_f1(
    gold: list[int], predicted: list[int], classes: int = len(LABELS)
) -> float:
    """The mean over labels of F1: a rare label counts as much as a common one."""
    scores = []
    for label in range(classes):
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def _hit_rate(gold: list[int], predicted: list[int]) -> float:
    return float(np.mean([g == p for g, p in zip(gold, predicted, strict=True)]))


def model_probabilities(texts: list[str], checkpoint: Path) -> dict[str, np.ndarray]:
    """P(label) from every reader we ship, for raw texts: name -> (N, C).

    VADER gives no probabilities: its row is one-hot on its label.
    """
    tfidf = load_tfidf(tfidf_path(checkpoint))
    found = {"lstm": checkpoint, "bilstm": bi_path(checkpoint)}
    found = {name: path for name, path in found.items() if path.is_file()}
    table = {
        name: load_reader(path).probabilities(texts).numpy()
        for name, path in found.items()
    }
    table["tfidf"] = np.stack([tfidf.probabilities(sentiment_tokens(t)) for t in texts])
    vader = [LABELS.index(vader_label(vader_compound(t))) for t in texts]
    table["vader"] = np.eye(len(LABELS))[vader]
    return table


def _binary(probabilities: np.ndarray) -> list[int]:
    """Positive vs negative only: which of the two is more likely."""
    neg, pos = LABELS.index("negative"), LABELS.index("positive")
    return [pos if row[pos] > row[neg] else neg for row in probabilities]


def confusion(gold: list[int], predicted: list[int]) -> list[list[int]]:
    """Rows: the true label; columns: the predicted label."""
    counts = Counter(zip(gold, predicted, strict=True))
    return [[counts[(g, p)] for p in range(len(LABELS))] for g in range(len(LABELS))]


def domain_test(domain: str) -> tuple[list[str], list[int]]:
    """A benchmark domain's test texts and their labels."""
    if domain == "tweets":
        docs = corpus_split("tweets").test
        return [d.text for d in docs], [LABELS.index(d.label) for d in docs]
    sentences = rated("test", domain)
    return [r.text for r in sentences], [
        LABELS.index(rating_label(r.rating)) for r in sentences
    ]


def domain_majority(domain: str) -> int:
    """The commonest label among the domain's training texts."""
    train = (
        tokenized("train") if domain == "tweets" else rated_examples("train", domain)
    )
    return majority_label([y for _, y in train])


def vader_binary(text: str) -> int:
    """VADER's sign for the two-way question; a score of exactly 0 (no rated
    word) counts as negative, the commoner of the two in the training tweets."""
    return LABELS.index("positive" if vader_compound(text) > 0 else "negative")


def score_domain(
    texts: list[str], gold: list[int], checkpoint: Path, majority: int
) -> dict:
    """Three-way and two-way (positive vs negative texts only) accuracy of every
    reader on one domain's test texts."""
    table = model_probabilities(texts, checkpoint)
    report: dict = {"n": len(texts)}
    for name, probabilities in table.items():
        predicted = probabilities.argmax(1).tolist()
        report[f"{name}_acc"] = round(_hit_rate(gold, predicted), 4)
        if name != "vader":
            report[f"{name}_macro_f1"] = round(macro_f1(gold, predicted), 4)
    report["majority_acc"] = round(_hit_rate(gold, [majority] * len(gold)), 4)
    polar = [i for i, y in enumerate(gold) if LABELS[y] != "neutral"]
    polar_gold = [gold[i] for i in polar]
    for name, probabilities in table.items():
        predicted = (
            [vader_binary(texts[i]) for i in polar]
            if name == "vader"
            else _binary(probabilities[polar])
        )
        report[f"binary_{name}_acc"] = round(_hit_rate(polar_gold, predicted), 4)
    report["binary_majority_acc"] = round(
        max(polar_gold.count(y) for y in set(polar_gold)) / max(len(polar_gold), 1), 4
    )
    report["lstm_confusion"] = confusion(gold, table["lstm"].argmax(1).tolist())
    return report


def negation_set(path: Path = NEGATION_FILE) -> list[dict[str, str]]:
    """The challenge sentences: label (positive / negative), kind, text."""
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t"))


def negation_report(checkpoint: Path) -> dict:
    """Two-way accuracy on the negation / contrast / litotes challenge set, for
    every reader (VADER's rules for "not" and "but" are the baseline), and the
    LSTM's per kind of sentence."""
    rows = negation_set()
    texts = [r["text"] for r in rows]
    gold = [LABELS.index(r["label"]) for r in rows]
    table = model_probabilities(texts, checkpoint)
    report: dict = {"negation_n": len(rows)}
    for name, probabilities in table.items():
        predicted = (
            [vader_binary(t) for t in texts]
            if name == "vader"
            else _binary(probabilities)
        )
        key = "negation_acc" if name == "lstm" else f"negation_{name}_acc"
        report[key] = round(_hit_rate(gold, predicted), 4)
        if name == "lstm":
            hits = [p == g for p, g in zip(predicted, gold, strict=True)]
            kinds = sorted({r["kind"] for r in rows})
            report["negation_lstm_by_kind"] = {
                kind: round(
                    float(
                        np.mean(
                            [
                                h
                                for h, r in zip(hits, rows, strict=True)
                                if r["kind"] == kind
                            ]
                        )
                    ),
                    4,
                )
                for kind in kinds
            }
            report["negation_lstm_misses"] = [
                r["text"] for h, r in zip(hits, rows, strict=True) if not h
            ]
    return report


def bench(quick: bool, checkpoint: Path) -> dict:
    report: dict = {"task": NAME}
    timing_texts: list[str] = []
    for domain in DOMAINS:
        texts, gold = domain_test(domain)
        if quick:
            texts, gold = texts[:200], gold[:200]
        report[domain] = score_domain(texts, gold, checkpoint, domain_majority(domain))
        timing_texts += texts[: 25 if quick else 125]
    report |= negation_report(checkpoint)
    report |= sanity_report(checkpoint)
    report |= predict_timing(checkpoint, timing_texts)
    report["neutral_rating"] = NEUTRAL_RATING
    report["split_fingerprint"] = data_fingerprint()
    report["trained_metrics"] = {
        "lstm": load_checkpoint(checkpoint, NAME).metrics,
        "bilstm": load_checkpoint(bi_path(checkpoint), NAME).metrics,
    }
    return report


def sanity_report(checkpoint: Path) -> dict:
    """Accuracy of every reader on the clear-cut reviews (neutral counts as wrong)."""
    report = {}
    for prefix, path in (("sanity", SANITY_FILE), ("holdout", HOLDOUT_FILE)):
        labels, texts = zip(*sanity_set(path), strict=True)
        gold = [LABELS.index(label) for label in labels]
        table = model_probabilities(list(texts), checkpoint)
        report[f"n_{prefix}"] = len(gold)
        for name, probabilities in table.items():
            key = f"{prefix}_acc" if name == "lstm" else f"{prefix}_{name}_acc"
            report[key] = round(_hit_rate(gold, probabilities.argmax(1)), 4)
    return report


def predict_timing(checkpoint: Path, texts: list[str]) -> dict[str, float]:
    """Milliseconds per text on one thread, as the page computes on a keystroke:
    predict = label, probabilities and the answer after every word;
    explain = the occlusion of each word (one more reading per word)."""
    reader = load_reader(checkpoint)
    predict, explain = [], []
    with one_thread():
        for text in texts:
            start = time.perf_counter()
            try:
                reading = reader.read(text, steps=True)
            except InputError:
                continue
            middle = time.perf_counter()
            reader.word_contributions(reading.words)
            predict.append((middle - start) * 1000)
            explain.append((time.perf_counter() - middle) * 1000)
    return {
        "predict_p50_ms": round(float(np.percentile(predict, 50)), 2),
        "predict_p95_ms": round(float(np.percentile(predict, 95)), 2),
        "explain_p95_ms": round(float(np.percentile(explain, 95)), 2),
    }


TASK = Task(
    name=NAME,
    summary="sentiment   LSTMs read tweets and say negative / neutral / positive",
    train=train,
    predict=predict,
    bench=bench,
)
