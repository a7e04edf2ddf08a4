"""A seeded generator of short everyday reviews (films, food, gadgets, travel, ...).

Why: the labelled tweets are about airlines, phones, a festival and a football
scandal, so a model trained on them alone learns topic words as sentiment
("hotel room" turns up in complaints about cancelled flights). These generated
sentences put ordinary praise and complaint, negation ("not good", "not bad at
all") and contrast ("..., but ...") into many everyday settings, so the
classifier learns the sentiment words rather than the topics. Nothing here is
copied from a test set: the sanity set's sentences are checked not to appear.
"""

from __future__ import annotations

import random

POSITIVE, NEGATIVE, NEUTRAL = "positive", "negative", "neutral"

# topic -> things one reviews in it (singular nouns; "the X was ...")
THINGS = {
    "film": [
        "film",
        "movie",
        "plot",
        "ending",
        "story",
        "cast",
        "script",
        "show",
        "soundtrack",
        "performance",
        "series",
        "episode",
        "documentary",
    ],
    "food": [
        "food",
        "meal",
        "dinner",
        "lunch",
        "breakfast",
        "soup",
        "pizza",
        "coffee",
        "cake",
        "salad",
        "steak",
        "curry",
        "service",
        "menu",
        "restaurant",
        "cafe",
        "dessert",
        "bread",
        "wine",
        "sandwich",
    ],
    "product": [
        "phone",
        "laptop",
        "screen",
        "camera",
        "charger",
        "printer",
        "keyboard",
        "speaker",
        "tablet",
        "watch",
        "app",
        "update",
        "vacuum",
        "kettle",
        "blender",
        "mattress",
        "jacket",
        "shoe",
    ],
    "travel": [
        "flight",
        "trip",
        "hotel",
        "room",
        "journey",
        "train",
        "bus",
        "airport",
        "holiday",
        "tour",
        "beach",
        "view",
        "check-in",
        "taxi",
        "cruise",
        "apartment",
        "pool",
        "stay",
    ],
    "other": [
        "book",
        "concert",
        "game",
        "album",
        "class",
        "course",
        "gym",
        "museum",
        "party",
        "wedding",
        "haircut",
        "lesson",
        "match",
        "festival",
        "shop",
        "store",
        "delivery",
        "car",
        "job",
        "school",
    ],
}
PEOPLE = [
    "staff",
    "crew",
    "waiters",
    "drivers",
    "teachers",
    "hosts",
    "guides",
    "nurses",
    "owners",
    "people",
    "cleaners",
    "chefs",
    "actors",
    "pilots",
]

POSITIVE_ADJECTIVES = [
    "good",
    "great",
    "excellent",
    "amazing",
    "awesome",
    "fantastic",
    "wonderful",
    "brilliant",
    "superb",
    "lovely",
    "perfect",
    "beautiful",
    "outstanding",
    "delightful",
    "charming",
    "enjoyable",
    "impressive",
    "fun",
    "nice",
    "pleasant",
    "fabulous",
    "terrific",
    "marvellous",
    "magnificent",
    "splendid",
    "tasty",
    "delicious",
    "fresh",
    "comfortable",
    "clean",
    "friendly",
    "helpful",
    "kind",
    "polite",
    "reliable",
    "fast",
    "smooth",
    "stunning",
    "gorgeous",
    "fascinating",
    "exciting",
    "hilarious",
    "moving",
    "inspiring",
    "solid",
    "cosy",
    "spotless",
    "generous",
    "sweet",
    "cheerful",
    "incredible",
    "epic",
    "flawless",
    "first-class",
    "top-notch",
    "spectacular",
    "refreshing",
]
NEGATIVE_ADJECTIVES = [
    "bad",
    "terrible",
    "awful",
    "horrible",
    "dreadful",
    "poor",
    "boring",
    "dull",
    "disappointing",
    "useless",
    "rubbish",
    "pathetic",
    "disgusting",
    "nasty",
    "rude",
    "unhelpful",
    "slow",
    "dirty",
    "noisy",
    "broken",
    "cold",
    "bland",
    "stale",
    "greasy",
    "overpriced",
    "uncomfortable",
    "unreliable",
    "annoying",
    "frustrating",
    "confusing",
    "painful",
    "miserable",
    "mediocre",
    "lousy",
    "tedious",
    "sloppy",
    "filthy",
    "smelly",
    "faulty",
    "flimsy",
    "stupid",
    "ugly",
    "horrendous",
    "appalling",
    "atrocious",
    "lame",
    "inedible",
    "tasteless",
    "chaotic",
    "ridiculous",
    "worthless",
    "shoddy",
    "unbearable",
    "awkward",
    "messy",
    "pointless",
    "weak",
]
INTENSIFIERS = [
    "very",
    "really",
    "so",
    "truly",
    "absolutely",
    "incredibly",
    "extremely",
    "quite",
    "totally",
    "genuinely",
    "pretty",
]
POSITIVE_VERBS = [
    "loved",
    "enjoyed",
    "adored",
    "really liked",
    "love",
    "like",
    "recommend",
    "appreciated",
    "was thrilled with",
    "am happy with",
]
NEGATIVE_VERBS = [
    "hated",
    "disliked",
    "regret buying",
    "hate",
    "was let down by",
    "am unhappy with",
    "am disappointed with",
    "regret booking",
    "was annoyed by",
    "cannot stand",
]
POSITIVE_ENDINGS = [
    "I would recommend it",
    "we will be back",
    "highly recommended",
    "worth every penny",
    "I will come again",
    "I am very happy",
    "thank you so much",
    "five stars",
    "it made my day",
    "I can't wait to go back",
    "we had a great time",
    "money well spent",
    "I am so glad I chose it",
]
NEGATIVE_ENDINGS = [
    "avoid it",
    "never again",
    "I want my money back",
    "what a waste of money",
    "I would not recommend it",
    "one star",
    "I am so annoyed",
    "do not bother",
    "I will never go back",
    "what a disaster",
    "a complete waste of time",
    "I am very disappointed",
    "such a let down",
]
# plain facts: no praise, no complaint
NEUTRAL_SENTENCES = [
    "The {thing} is on the second floor.",
    "I booked the {thing} on Monday.",
    "The {thing} starts at seven.",
    "We went to see the {thing} on Friday.",
    "The {thing} was delivered this morning.",
    "My sister picked the {thing}.",
    "The {thing} lasts about two hours.",
    "I read about the {thing} online.",
    "We paid for the {thing} by card.",
    "The {thing} opens at nine tomorrow.",
    "Has anyone tried the {thing} yet?",
    "The {thing} comes in three colours.",
    "I am going to the {thing} next week.",
    "The {thing} is near the station.",
    "They changed the {thing} last year.",
    "Where can I find the {thing}?",
    "The {thing} was made in 2014.",
    "We talked about the {thing} at lunch.",
]


def _pick(rng: random.Random, words: list[str]) -> str:
    return words[rng.randrange(len(words))]


def _thing(rng: random.Random) -> str:
    return _pick(rng, THINGS[_pick(rng, sorted(THINGS))])


def _adjectives(label: str) -> list[str]:
    return POSITIVE_ADJECTIVES if label == POSITIVE else NEGATIVE_ADJECTIVES


def _opposite(label: str) -> str:
    return NEGATIVE if label == POSITIVE else POSITIVE


def _polar_sentence(rng: random.Random, label: str) -> str:
    """One review sentence whose sentiment is `label`."""
    adj = lambda lab=label: _pick(rng, _adjectives(lab))  # noqa: E731
    thing, other, person = _thing(rng), _thing(rng), _pick(rng, PEOPLE)
    ending = _pick(rng, POSITIVE_ENDINGS if label == POSITIVE else NEGATIVE_ENDINGS)
    verb = _pick(rng, POSITIVE_VERBS if label == POSITIVE else NEGATIVE_VERBS)
    superlative = "best" if label == POSITIVE else "worst"
    was = _pick(rng, ["was", "is", "was", "looked", "felt", "seemed"])
    very = _pick(rng, INTENSIFIERS)
    templates = [
        f"The {thing} {was} {adj()}.",
        f"The {thing} was {very} {adj()}.",
        f"The {thing} was {adj()} and the {person} were {adj()}.",
        f"What a {adj()} {thing}, {ending}.",
        f"{adj().capitalize()} {thing}, {ending}.",
        f"I {verb} this {thing}.",
        f"I {verb} the {thing}, {ending}.",
        f"The {superlative} {thing} I have ever had.",
        f"This is the {superlative} {thing} in town.",
        f"The {person} were {very} {adj()}.",
        f"Our {thing} was {adj()}, {ending}.",
        f"The {thing} was {adj()} and {adj()}.",
        # negation: "not" + the opposite word
        f"The {thing} was not {adj(_opposite(label))}"
        + (" at all." if label == POSITIVE else "."),
        # contrast: what comes after "but" decides
        f"The {other} was {adj(_opposite(label))}, but the {thing} was {adj()}.",
        f"I expected a {adj(_opposite(label))} {thing}, but it was {very} {adj()}.",
    ]
    return _pick(rng, templates)


def generate_reviews(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """n (text, label) pairs: 40% positive, 40% negative, 20% neutral."""
    rng = random.Random(seed)
    reviews = []
    for i in range(n):
        label = (POSITIVE, NEGATIVE, POSITIVE, NEGATIVE, NEUTRAL)[i % 5]
        if label == NEUTRAL:
            text = _pick(rng, NEUTRAL_SENTENCES).format(thing=_thing(rng))
        else:
            text = _polar_sentence(rng, label)
        reviews.append((text, label))
    return reviews
