"""A seeded generator of short everyday reviews (films, food, gadgets, travel, ...).

Why: the labelled tweets are about airlines, phones, a festival and a football
scandal, so a model trained on them alone learns topic words as sentiment
("hotel room" turns up in complaints about cancelled flights). These generated
sentences put ordinary praise and complaint, negation ("not good", "not bad at
all") and contrast ("..., but ...") into many everyday settings, so the
classifier learns the sentiment words rather than the topics. Nothing here is
copied from a test set: the sanity set's sentences are checked not to appear.

Word lists are space-separated strings: one line holds many words.
"""

from __future__ import annotations

import random

POSITIVE, NEGATIVE, NEUTRAL = "positive", "negative", "neutral"


def words(text: str) -> list[str]:
    """A list of words written as one space-separated string."""
    return text.split()


def phrases(text: str) -> list[str]:
    """A list of phrases written as one "|"-separated string."""
    return [p.strip() for p in text.split("|")]


# Everyday topics: the things one reviews (singular nouns, "the X was ..."),
# the people one meets there, and words of praise and complaint that fit them.
# Every topic also uses the general words below.
TOPICS = {
    "film": {
        "things": words(
            "film movie plot ending story cast script show soundtrack series "
            "episode documentary sequel comedy thriller performance musical play"
        ),
        "people": words("actors cast director writers dancers singers"),
        "good": words(
            "gripping touching hilarious moving clever witty thrilling "
            "heartwarming powerful original memorable entertaining"
        ),
        "bad": words(
            "predictable wooden clichéd slow confusing forgettable silly "
            "unwatchable overlong shallow pretentious cheesy"
        ),
    },
    "food": {
        "things": words(
            "food meal dinner lunch breakfast soup pizza coffee cake salad steak "
            "curry menu restaurant cafe dessert bread wine sandwich burger pasta "
            "chicken fish rice tea brunch"
        ),
        "people": words("waiters staff chefs owners cooks hosts"),
        "good": words(
            "delicious tasty fresh juicy tender crispy flavourful generous "
            "homemade mouthwatering hearty warm"
        ),
        "bad": words(
            "bland stale greasy soggy burnt salty undercooked overcooked cold "
            "tasteless inedible watery chewy dry"
        ),
    },
    "product": {
        "things": words(
            "phone laptop screen camera charger printer keyboard speaker tablet "
            "watch app update vacuum kettle blender mattress jacket shoe "
            "headphones battery software game console lamp chair"
        ),
        "people": words("sellers support engineers makers"),
        "good": words(
            "reliable sturdy fast intuitive solid sleek quiet durable handy "
            "powerful responsive lightweight"
        ),
        "bad": words(
            "faulty flimsy slow buggy laggy broken fragile noisy unreliable "
            "useless clunky defective"
        ),
    },
    "travel": {
        "things": words(
            "flight trip hotel room journey train bus airport holiday tour beach "
            "view taxi cruise apartment pool stay seat cabin ferry resort"
        ),
        "people": words("crew pilots drivers guides cleaners receptionists staff"),
        "good": words(
            "comfortable clean spacious relaxing smooth punctual spotless cosy "
            "peaceful scenic quiet roomy"
        ),
        "bad": words(
            "cramped dirty noisy filthy smelly crowded delayed late chaotic "
            "shabby uncomfortable stuffy"
        ),
    },
    "service": {
        "things": words(
            "service delivery appointment repair class course lesson gym "
            "museum party wedding haircut shop store bank clinic school"
        ),
        "people": words("teachers nurses doctors staff people team assistants"),
        "good": words(
            "attentive patient knowledgeable professional prompt efficient "
            "welcoming caring courteous thorough"
        ),
        "bad": words(
            "rude dismissive unprofessional careless incompetent sloppy "
            "unhelpful disorganised arrogant lazy"
        ),
    },
}

GOOD = words(
    "good great excellent amazing awesome fantastic wonderful brilliant superb "
    "lovely perfect beautiful outstanding delightful charming enjoyable "
    "impressive fun nice pleasant fabulous terrific marvellous magnificent "
    "splendid stunning gorgeous fascinating exciting inspiring incredible epic "
    "flawless first-class top-notch spectacular refreshing friendly helpful "
    "kind polite cheerful sweet superior exceptional fine"
)
BAD = words(
    "bad terrible awful horrible dreadful poor boring dull disappointing useless "
    "rubbish pathetic disgusting nasty annoying frustrating painful miserable "
    "mediocre lousy tedious ugly horrendous appalling atrocious lame ridiculous "
    "worthless shoddy unbearable awkward messy pointless weak stupid hopeless "
    "inferior abysmal"
)
VERY = words(
    "very really so truly absolutely incredibly extremely quite totally "
    "genuinely pretty rather"
)
LIKE = phrases(
    "loved | enjoyed | adored | really liked | love | like | recommend | "
    "appreciated | was thrilled with | am happy with | was impressed by | "
    "am delighted with"
)
DISLIKE = phrases(
    "hated | disliked | regret buying | hate | was let down by | "
    "am unhappy with | am disappointed with | regret booking | was annoyed by | "
    "cannot stand | was fed up with | wasted my money on"
)
# what happened: events that are praise or complaint without an adjective
GOOD_EVENTS = phrases(
    "arrived early | arrived on time | worked perfectly | exceeded my "
    "expectations | made our day | was worth the wait | was worth every penny | "
    "never let me down | still works like new | was better than I expected | "
    "put a smile on my face | had us laughing | was ready in minutes"
)
BAD_EVENTS = phrases(
    "arrived late | broke after a week | stopped working | never arrived | "
    "was a waste of money | ruined our evening | let us down | kept crashing | "
    "was worse than I expected | made me sick | took forever | fell apart | "
    "left me in tears"
)
GOOD_PEOPLE_EVENTS = phrases(
    "went out of their way to help | made us feel welcome | solved my problem "
    "in minutes | were always smiling | answered every question | remembered "
    "our names | looked after us so well"
)
BAD_PEOPLE_EVENTS = phrases(
    "ignored us all evening | charged us twice | never answered my emails | "
    "kept us waiting for an hour | shouted at us | lost our booking | did not "
    "care at all"
)
GOOD_ENDINGS = phrases(
    "I would recommend it | we will be back | highly recommended | "
    "worth every penny | I will come again | I am very happy | thank you so "
    "much | five stars | it made my day | I can't wait to go back | we had a "
    "great time | money well spent | I am so glad I chose it | would buy again"
)
BAD_ENDINGS = phrases(
    "avoid it | never again | I want my money back | what a waste of money | "
    "I would not recommend it | one star | I am so annoyed | do not bother | "
    "I will never go back | what a disaster | a complete waste of time | I am "
    "very disappointed | such a let down | stay away"
)
# plain facts: no praise, no complaint
NEUTRAL_SENTENCES = phrases(
    "The {thing} is on the second floor. | I booked the {thing} on Monday. | "
    "The {thing} starts at seven. | We went to see the {thing} on Friday. | "
    "The {thing} was delivered this morning. | My sister picked the {thing}. | "
    "The {thing} lasts about two hours. | I read about the {thing} online. | "
    "We paid for the {thing} by card. | The {thing} opens at nine tomorrow. | "
    "Has anyone tried the {thing} yet? | The {thing} comes in three colours. | "
    "I am going to the {thing} next week. | The {thing} is near the station. | "
    "They changed the {thing} last year. | Where can I find the {thing}? | "
    "The {thing} was made in 2014. | We talked about the {thing} at lunch. | "
    "Does the {thing} take cash? | The {thing} is closed on Sundays. | "
    "I need to return the {thing} by Thursday. | Who ordered the {thing}?"
)


class _Scene:
    """One review's topic and the words it may use, drawn with one generator."""

    def __init__(self, rng: random.Random, label: str) -> None:
        self.rng, self.label = rng, label
        self.topic = TOPICS[rng.choice(sorted(TOPICS))]

    def pick(self, words: list[str]) -> str:
        return words[self.rng.randrange(len(words))]

    def thing(self) -> str:
        return self.pick(self.topic["things"])

    def people(self) -> str:
        return self.pick(self.topic["people"])

    def adjective(self, label: str | None = None) -> str:
        """Half the time a word of this topic ("soggy"), else a general one."""
        good = (label or self.label) == POSITIVE
        if self.rng.random() < 0.5:
            return self.pick(self.topic["good" if good else "bad"])
        return self.pick(GOOD if good else BAD)

    def opposite(self) -> str:
        return NEGATIVE if self.label == POSITIVE else POSITIVE

    def choose(self, good: list[str], bad: list[str]) -> str:
        return self.pick(good if self.label == POSITIVE else bad)


def _polar_sentence(rng: random.Random, label: str) -> str:
    """One review sentence whose sentiment is `label`."""
    s = _Scene(rng, label)
    thing, other, people = s.thing(), s.thing(), s.people()
    ending, verb = s.choose(GOOD_ENDINGS, BAD_ENDINGS), s.choose(LIKE, DISLIKE)
    event = s.choose(GOOD_EVENTS, BAD_EVENTS)
    people_event = s.choose(GOOD_PEOPLE_EVENTS, BAD_PEOPLE_EVENTS)
    best, very = s.choose(["best", "finest"], ["worst"]), s.pick(VERY)
    was = s.pick(["was", "is", "was", "looked", "felt", "seemed"])
    templates = [
        f"The {thing} {was} {s.adjective()}.",
        f"The {thing} was {very} {s.adjective()}.",
        f"The {thing} was {s.adjective()} and the {people} were {s.adjective()}.",
        f"What a {s.adjective()} {thing}, {ending}.",
        f"{s.adjective().capitalize()} {thing}, {ending}.",
        f"I {verb} this {thing}.",
        f"I {verb} the {thing}, {ending}.",
        f"The {best} {thing} I have ever had.",
        f"This is the {best} {thing} in town.",
        f"The {people} were {very} {s.adjective()}.",
        f"Our {thing} was {s.adjective()}, {ending}.",
        f"The {thing} was {s.adjective()}, {s.adjective()} and {s.adjective()}.",
        f"The {thing} {event}.",
        f"The {people} {people_event}.",
        f"The {thing} {event}, {ending}.",
        f"{s.adjective().capitalize()} {thing} and {s.adjective()} {people}.",
        # negation: "not" + the opposite word
        f"The {thing} was not {s.adjective(s.opposite())}"
        + (" at all." if label == POSITIVE else "."),
        # contrast: what comes after "but" decides
        f"The {other} was {s.adjective(s.opposite())}, but the {thing} was "
        f"{s.adjective()}.",
        f"I expected a {s.adjective(s.opposite())} {thing}, but it was {very} "
        f"{s.adjective()}.",
    ]
    return s.pick(templates)


def generate_reviews(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """n (text, label) pairs: 40% positive, 40% negative, 20% neutral."""
    rng = random.Random(seed)
    reviews = []
    for i in range(n):
        label = (POSITIVE, NEGATIVE, POSITIVE, NEGATIVE, NEUTRAL)[i % 5]
        if label == NEUTRAL:
            scene = _Scene(rng, label)
            text = scene.pick(NEUTRAL_SENTENCES).format(thing=scene.thing())
        else:
            text = _polar_sentence(rng, label)
        reviews.append((text, label))
    return reviews
