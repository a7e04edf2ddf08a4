"""Negated and contrasted twins of real labelled sentences, for the sentiment readers.

The real sentences rarely show the same opinion with and without "not", or two
opinions joined by "but", so a reader can learn "great means positive" without
learning what "not great" or "..., but great" does to it. These twins are built
from the training split's own sentences by two simple, checkable edits:

- negation: a sentence whose one opinion word (VADER's lexicon) agrees with its
  label, with "not" put before that word ("the food was great" -> "the food was
  not great", or "wasn't"; "i love it" -> "i don't love it"): the label flips
  (negative -> positive is litotes: "not bad" is praise, if faint);
- contrast: two short sentences of opposite labels joined by "but" or "yet", or
  "although A, B": the label is the second clause's, as a reader takes it.

The same edits on the validation split give the check that chooses how many to
add (never the hand-written challenge set, which only reports).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2  # the order of engine.sentiment.LABELS
# the verb before an opinion word, and how it reads negated
COPULA_NEGATED = {
    "is": ("isn't",),
    "was": ("wasn't",),
    "are": ("aren't",),
    "were": ("weren't",),
    "it's": ("it's", "not"),
    "that's": ("that's", "not"),
    "i'm": ("i'm", "not"),
    "looks": ("doesn't", "look"),
    "looked": ("didn't", "look"),
    "seems": ("doesn't", "seem"),
    "seemed": ("didn't", "seem"),
    "feels": ("doesn't", "feel"),
    "felt": ("didn't", "feel"),
    "sounds": ("doesn't", "sound"),
    "tastes": ("doesn't", "taste"),
    "tasted": ("didn't", "taste"),
}
# the spelled-out forms, used for half the copulas: "is not" as often as "isn't"
SPELLED_OUT = {
    "is": ("is", "not"),
    "was": ("was", "not"),
    "are": ("are", "not"),
    "were": ("were", "not"),
}
# a word between the copula and the opinion word that "not" can go before
INTENSIFIERS = set(
    "very really so too quite pretty extremely totally truly just "
    "absolutely that".split()
)
SUBJECTS = set("i we you they he she it".split())
# verbs of opinion (VADER rates them), negated after a subject: "i loved it" ->
# "i didn't love it"; the plain form only after i / we / you / they
OPINION_VERBS = set(
    "love like hate enjoy recommend appreciate dislike regret adore "
    "trust admire despise".split()
)
VERB_NEGATED = (
    {v: ("don't", v) for v in OPINION_VERBS}
    | {v + ("d" if v.endswith("e") else "ed"): ("didn't", v) for v in OPINION_VERBS}
    | {v + "s": ("doesn't", v) for v in OPINION_VERBS}
)
# what may follow a negated "is great": the end of the clause or a preposition,
# so "is definitely getting" (an adverb, not the opinion) is left alone
AFTER_OPINION = set(
    ". ! ? , ... ; : and to for with in at about of as enough overall too".split()
)
NEGATION_WORDS = set(
    "not no never nothing nobody none nor neither without hardly barely cannot".split()
)
CONTRAST_WORDS = set("but yet although though however despite".split())
OPINION_MIN_VALENCE = 1.0  # how strongly VADER's raters felt the word
MAX_CLAUSE_WORDS = 15  # contrast halves: short, so the pair reads as one sentence
CLAUSE_END = {".", "!", "?", "...", ";"}

Example = tuple[tuple[str, ...], int]


def is_negation(token: str) -> bool:
    return token in NEGATION_WORDS or token.endswith("n't")


def opinion_positions(
    tokens: tuple[str, ...], lexicon: Mapping[str, float]
) -> list[int]:
    return [
        i
        for i, t in enumerate(tokens)
        if abs(lexicon.get(t, 0.0)) >= OPINION_MIN_VALENCE
    ]


def negated_twin(
    tokens: tuple[str, ...],
    label: int,
    lexicon: Mapping[str, float],
    rng: random.Random,
) -> Example | None:
    """The sentence with its one opinion word negated and the label flipped, or
    None where that edit is not safe (neutral, already negated, several opinion
    words, or no verb before the word to negate)."""
    if label == NEUTRAL or any(is_negation(t) or t in CONTRAST_WORDS for t in tokens):
        return None
    found = opinion_positions(tokens, lexicon)
    if len(found) != 1:
        return None
    word = found[0]
    if (lexicon[tokens[word]] > 0) != (label == POSITIVE):
        return None  # the word disagrees with the label: sarcasm or context
    edit = _negated_at(tokens, word)
    if edit is None:
        return None
    where, replacement = edit
    if tokens[where] in SPELLED_OUT and rng.random() < 0.5:
        replacement = SPELLED_OUT[tokens[where]]
    flipped = NEGATIVE if label == POSITIVE else POSITIVE
    return (*tokens[:where], *replacement, *tokens[where + 1 :]), flipped


def _negated_at(
    tokens: tuple[str, ...], word: int
) -> tuple[int, tuple[str, ...]] | None:
    """(position, the words that replace it) that negate the opinion word at
    `word`, or None when no simple edit does."""
    if word >= 1 and tokens[word - 1] in SUBJECTS and tokens[word] in VERB_NEGATED:
        if tokens[word] in OPINION_VERBS and tokens[word - 1] in ("he", "she", "it"):
            return None  # "he love": not a sentence to copy
        return word, VERB_NEGATED[tokens[word]]
    before = word - 1
    if before >= 1 and tokens[before] in INTENSIFIERS:
        before -= 1
    after = tokens[word + 1 : word + 2]
    if before < 0 or tokens[before] not in COPULA_NEGATED:
        return None
    if after and after[0] not in AFTER_OPINION:
        return None  # "is definitely getting": the opinion word is not the point
    return before, COPULA_NEGATED[tokens[before]]


def negated_twins(
    examples: Iterable[Example], lexicon: Mapping[str, float], seed: int
) -> list[Example]:
    rng = random.Random(seed)
    twins = (negated_twin(tokens, label, lexicon, rng) for tokens, label in examples)
    return [twin for twin in twins if twin is not None]


def _clause(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    """A short sentence without its final punctuation, or None if unfit."""
    while tokens and tokens[-1] in CLAUSE_END:
        tokens = tokens[:-1]
    if not 3 <= len(tokens) <= MAX_CLAUSE_WORDS:
        return None
    if any(t in CONTRAST_WORDS or t in CLAUSE_END for t in tokens):
        return None  # one clause each, with no turn of its own
    return tokens


def contrast_pairs(examples: Iterable[Example], n: int, seed: int) -> list[Example]:
    """n sentences "A, but B" (or "yet", or "although A, B") from two short
    sentences of opposite labels; the label is B's."""
    rng = random.Random(seed)
    by_label: dict[int, list[tuple[str, ...]]] = {NEGATIVE: [], POSITIVE: []}
    for tokens, label in examples:
        clause = _clause(tokens) if label != NEUTRAL else None
        if clause is not None:
            by_label[label].append(clause)
    if not by_label[NEGATIVE] or not by_label[POSITIVE]:
        return []
    pairs = []
    for _ in range(n):
        second = rng.choice((NEGATIVE, POSITIVE))
        first = POSITIVE if second == NEGATIVE else NEGATIVE
        a, b = rng.choice(by_label[first]), rng.choice(by_label[second])
        form = rng.random()
        if form < 0.6:
            tokens = (*a, ",", "but", *b, ".")
        elif form < 0.8:
            tokens = (*a, ",", "yet", *b, ".")
        else:
            tokens = ("although", *a, ",", *b, ".")
        pairs.append((tokens, second))
    return pairs


def twin_examples(
    examples: list[Example],
    lexicon: Mapping[str, float],
    negations: int,
    contrasts: int,
    seed: int,
    balanced: bool = False,
) -> list[Example]:
    """`negations` negated twins (each twin repeated where there are fewer: the
    edit fits only a few hundred sentences), with `balanced` half of each label
    (about a third negate a negative word, "wasn't bad", the rarer and harder
    turn), and `contrasts` contrast pairs."""
    twins = negated_twins(examples, lexicon, seed)
    random.Random(seed).shuffle(twins)
    if not balanced:
        repeated = [twins[i % len(twins)] for i in range(negations)] if twins else []
        return repeated + contrast_pairs(examples, contrasts, seed + 1)
    chosen = []
    for index, label in enumerate((NEGATIVE, POSITIVE)):
        group = [twin for twin in twins if twin[1] == label]
        wanted = negations // 2 + (index == 1) * (negations % 2)
        chosen += [group[i % len(group)] for i in range(wanted)] if group else []
    return chosen + contrast_pairs(examples, contrasts, seed + 1)
