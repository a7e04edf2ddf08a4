"""A seeded generator of everyday English: a small world of scenes (pets, home,
food, weather, school, travel, work, sport, family, town) in plain past-tense
sentences.

Why: the BBC News corpus has almost no "The cat sat on the mat" English, and no
package here ships such text. The fill-the-blank model needs a broad small world
in which words go together sensibly (cats sit on mats and chase mice; cooks cook
in kitchens), so that it learns the patterns rather than memorising one
sentence. Every slot in a scene only takes fillers that fit it.

The seed sentence of the article, "The cat sat on the mat.", is never produced:
the demo must show that the model fills it from patterns it has seen elsewhere.
Word lists are space-separated strings ("|" between phrases of several words).
"""

from __future__ import annotations

import hashlib
import random

from engine.review_grammar import phrases, words

SEED_SENTENCE = "The cat sat on the mat."
SPLIT_SHARES = (0.8, 0.1, 0.1)  # train / valid / test, by sentence


# Repeats give real-world frequencies: cats and dogs are the pets people write
# about far more often than kittens, puppies, rabbits or hamsters.
PETS = words("cat cat cat cat dog dog dog dog kitten puppy rabbit hamster")
PET_LOOKS = words("old little black white fat sleepy young big grey lazy")
RESTING = words("sat slept lay rested")  # ... on the {seat}
SEATS = words("mat rug sofa bed cushion chair floor blanket windowsill carpet step")
PREY = phrases("mouse | ball | bird | squirrel | fly | butterfly | stick | toy")
FARM_ANIMALS = words("cow sheep horse pig goat donkey")
FARM_PLACES = words("field barn meadow farm yard")
WILD = phrases(
    "The birds sang in the trees | The owl hooted in the night | The ducks swam "
    "on the pond | The bees buzzed around the flowers | The fox ran into the woods"
)
PEOPLE = phrases(
    "the boy | the girl | my mother | my father | my sister | my brother | "
    "the old man | the woman | our teacher | the baby | Tom | Anna | Sam | Lucy | "
    "my friend | the children | Grandma | Grandpa"
)
DISHES = phrases(
    "soup | pasta | rice | a cake | pancakes | an omelette | a pie | curry | "
    "bread | stew | a salad | biscuits"
)
MEALS = words("breakfast lunch dinner supper")
FOODS = phrases(
    "toast | cereal | an apple | a sandwich | fish and chips | eggs | porridge | "
    "a banana | pizza | cheese | grapes | yoghurt"
)
DRINKS = words("tea coffee milk water juice cocoa lemonade")
ROOMS = phrases("the kitchen | the garden | the living room | the bedroom | the hall")
CHORES = phrases(
    "washed the dishes | cleaned the windows | made the bed | swept the floor | "
    "watered the plants | fed the cat | walked the dog | tidied the room | "
    "hung out the washing | took out the rubbish"
)
TIMES = phrases(
    "in the morning | after lunch | in the afternoon | in the evening | at night "
    "| on Monday | at the weekend | yesterday | last week | every day"
)
WEATHER = phrases(
    "It rained all day | It snowed all night | The sun shone all afternoon | The "
    "wind blew hard | It was cold and foggy | It was hot and sunny | A storm came "
    "in the night | The sky was grey and cloudy"
)
SCHOOL = phrases(
    "The teacher wrote on the board | The children read their books in the "
    "library | The pupils did their homework after school | The class sang a song "
    "| The students listened to the teacher | The bell rang at nine"
)
SUBJECTS = words("maths history science music art geography English")
TRANSPORT = words("train bus tram ferry taxi plane coach")
PLACES = phrases(
    "the city | the seaside | the airport | the station | the market | the park | "
    "the museum | the library | the beach | the village | the zoo | the shops"
)
JOBS = phrases(
    "The doctor looked after the patients | The farmer planted the seeds | The "
    "baker baked fresh bread | The postman delivered the letters | The nurse gave "
    "him some medicine | The driver stopped the bus | The pilot flew the plane | "
    "The waiter brought the menu | The chef cooked the dinner | The builder fixed "
    "the roof | The police officer helped the lost child"
)
SPORTS = words("football tennis cricket basketball chess hockey rugby golf")
GAMES_VERBS = phrases(
    "kicked the ball into the goal | scored a goal | won the match | lost the "
    "game | ran very fast | swam across the pool | rode a bike in the park | "
    "jumped over the fence"
)
RELATIVES = words("aunt uncle cousin grandmother grandfather sister brother")
GIFTS = phrases(
    "a book | a bike | a scarf | a watch | a puzzle | a kite | a doll | a game"
)
DAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
SHOP_ITEMS = phrases(
    "some bread | a bag of apples | a new coat | some milk | a pair of shoes | "
    "a newspaper | some flowers | a birthday card"
)
BARKED_AT = phrases(
    "the postman | the cat | a stranger | the door | the birds | the car"
)
PET_PLAY = phrases("a ball | a stick | a ball of wool | its toy | the children | a box")
BIRDS = words("robin sparrow blackbird pigeon owl crow seagull parrot")
BIRD_DOINGS = phrases(
    "sang in the tree | built a nest in the hedge | flew over the house | sat on "
    "the fence | pecked at the bread | landed on the roof"
)
OBJECTS = phrases(
    "the keys | the cups | the books | the plates | the box | the bag | the lamp "
    "| the flowers | the letters | the toys"
)
FURNITURE = phrases(
    "the table | the shelf | the desk | the bed | the chair | the floor"
)
APPLIANCES = phrases(
    "the television | the radio | the oven | the kettle | the washing machine | "
    "the heating | the lights | the computer"
)
PERSON_SEATS = phrases(
    "the sofa | the chair | the bench | the bed | the grass | the step"
)
LEISURE = phrases(
    "read the newspaper | watched a film | listened to music | drew a picture | "
    "played a game | wrote a letter | did a puzzle | knitted a scarf | "
    "talked on the phone | fell asleep"
)
CLOTHES_WEATHER = {
    "cold": phrases(
        "a warm coat | a hat and gloves | a thick jumper | a scarf | boots"
    ),
    "raining": phrases("a raincoat | boots | a hat"),
    "hot": phrases("shorts | a sun hat | sandals | a T-shirt"),
}
SEASONS = phrases(
    "The leaves fell from the trees in autumn | The flowers came out in spring | "
    "The days were long in summer | The pond froze in winter | The apples were "
    "ripe in September | The snow melted in March"
)
TOPICS = phrases(
    "the Romans | volcanoes | the planets | dinosaurs | the rainforest | the "
    "human body | electricity | the oceans | ancient Egypt | plants"
)
COUNTRIES = words("France Spain Italy Scotland Ireland Greece Portugal Canada Japan")
WAITED_FOR = phrases(
    "the bus | the train | a taxi | the doctor | our turn | the rain to stop"
)
FEELINGS = {
    "happy": phrases(
        "it was her birthday | the sun was out | he passed the test | school was "
        "over | we won the match | the puppy came home"
    ),
    "sad": phrases(
        "it rained all week | the holiday was over | he lost his keys | the shop "
        "was closed | her friend moved away"
    ),
    "tired": phrases(
        "it was late | the walk was long | the baby cried all night | he worked all day"
    ),
}
HOURS = words("five six seven eight nine ten")
CAT_DOINGS = phrases(
    "purred by the fire | washed its paws | caught a mouse | climbed the tree | "
    "slept in the sun | jumped onto the table | looked out of the window | "
    "hid under the bed"
)
DOG_DOINGS = phrases(
    "wagged its tail | dug a hole in the garden | fetched the stick | ran across "
    "the park | chewed a bone | waited by the door | slept in its basket"
)
GARDEN_JOBS = phrases(
    "planted some seeds | cut the grass | picked the apples | dug the vegetable "
    "patch | raked the leaves | pulled up the weeds"
)
ILLNESSES = phrases(
    "a cold | a sore throat | a headache | a temperature | a cough | earache"
)
KITCHEN_THINGS = phrases(
    "the milk in the fridge | the plates in the cupboard | the bread in the "
    "bread bin | the soup in a bowl | the tea in a mug | the knives in the drawer"
)
SHOPS = phrases(
    "the baker's | the butcher's | the supermarket | the chemist's | the toy shop "
    "| the bookshop | the corner shop"
)
TOWN = phrases(
    "posted a letter at the post office | borrowed a book from the library | "
    "saw a film at the cinema | had a haircut at the hairdresser | bought stamps "
    "at the post office | waited at the bus stop | crossed the road at the lights"
)


def _a(word: str) -> str:
    return ("an " if word[0].lower() in "aeiou" else "a ") + word


def _dressed(rng: random.Random, person: str) -> str:
    """Clothes that fit the weather."""
    weather = rng.choice(sorted(CLOTHES_WEATHER))
    clothes = rng.choice(CLOTHES_WEATHER[weather])
    return f"{person.capitalize()} wore {clothes} because it was {weather}."


def _feeling(rng: random.Random, person: str) -> str:
    """A feeling with a reason that fits it."""
    feeling = rng.choice(sorted(FEELINGS))
    return (
        f"{person.capitalize()} was {feeling} because {rng.choice(FEELINGS[feeling])}."
    )


def _pet(rng: random.Random) -> str:
    """A pet, described now and then ("black cat")."""
    pet = rng.choice(PETS)
    return f"{rng.choice(PET_LOOKS)} {pet}" if rng.random() < 0.3 else pet


def _scene(rng: random.Random) -> str:
    """One sentence from one randomly chosen scene."""
    pick = rng.choice
    person, time, place = pick(PEOPLE), pick(TIMES), pick(PLACES)
    scenes = [
        # pets: resting, playing, eating
        lambda: f"The {_pet(rng)} {pick(RESTING)} on the {pick(SEATS)}.",
        lambda: f"The {_pet(rng)} {pick(RESTING)} on the {pick(SEATS)} {time}.",
        lambda: f"The {_pet(rng)} chased the {pick(PREY)} in the garden.",
        lambda: f"The {_pet(rng)} was asleep on the {pick(SEATS)}.",
        lambda: f"{person.capitalize()} fed the {pick(PETS)} {time}.",
        lambda: f"The {pick(FARM_ANIMALS)} stood in the {pick(FARM_PLACES)}.",
        lambda: f"{pick(WILD)}.",
        # home and food
        lambda: f"{person.capitalize()} cooked {pick(DISHES)} in the kitchen.",
        lambda: f"{person.capitalize()} ate {pick(FOODS)} for {pick(MEALS)}.",
        lambda: f"We had {pick(DISHES)} for {pick(MEALS)} {time}.",
        lambda: f"{person.capitalize()} drank a cup of {pick(DRINKS)}.",
        lambda: f"{person.capitalize()} {pick(CHORES)} {time}.",
        lambda: f"{person.capitalize()} was reading a book in {pick(ROOMS)}.",
        # weather, school, work
        lambda: f"{pick(WEATHER)} {time}.",
        lambda: f"{pick(SCHOOL)}.",
        lambda: f"{person.capitalize()} had {_a(pick(SUBJECTS))} lesson {time}.",
        lambda: f"{pick(JOBS)}.",
        # travel and town
        lambda: f"{person.capitalize()} took the {pick(TRANSPORT)} to {place}.",
        lambda: f"We went to {place} {time}.",
        lambda: f"{person.capitalize()} bought {pick(SHOP_ITEMS)} at the market.",
        # sport and family
        lambda: f"{person.capitalize()} played {pick(SPORTS)} {time}.",
        lambda: f"{person.capitalize()} {pick(GAMES_VERBS)}.",
        lambda: f"My {pick(RELATIVES)} visited us on {pick(DAYS)}.",
        lambda: f"My {pick(RELATIVES)} gave me {pick(GIFTS)} for my birthday.",
        # more pets and wildlife
        lambda: f"The dog barked at {pick(BARKED_AT)}.",
        lambda: f"The {_pet(rng)} played with {pick(PET_PLAY)} {time}.",
        lambda: f"The {_pet(rng)} drank some water from its bowl.",
        lambda: f"The {pick(BIRDS)} {pick(BIRD_DOINGS)}.",
        # around the house
        lambda: f"{person.capitalize()} put {pick(OBJECTS)} on {pick(FURNITURE)}.",
        lambda: f"{person.capitalize()} turned on {pick(APPLIANCES)}.",
        lambda: (
            f"{person.capitalize()} sat on {pick(PERSON_SEATS)} and {pick(LEISURE)}."
        ),
        lambda: f"{person.capitalize()} {pick(LEISURE)} {time}.",
        # weather and the year
        lambda: _dressed(rng, person),
        lambda: f"{pick(SEASONS)}.",
        # school, travel, town, feelings
        lambda: f"{person.capitalize()} learned about {pick(TOPICS)} at school.",
        lambda: f"{person.capitalize()} flew to {pick(COUNTRIES)} for a holiday.",
        lambda: f"We waited for {pick(WAITED_FOR)} {time}.",
        lambda: f"The {pick(TRANSPORT)} arrived at {place} at {pick(HOURS)}.",
        lambda: f"{person.capitalize()} {pick(TOWN)}.",
        lambda: _feeling(rng, person),
        # more everyday life
        lambda: f"The cat {pick(CAT_DOINGS)}.",
        lambda: f"The dog {pick(DOG_DOINGS)}.",
        lambda: f"{person.capitalize()} {pick(GARDEN_JOBS)} {time}.",
        lambda: f"{person.capitalize()} stayed at home with {pick(ILLNESSES)}.",
        lambda: f"{person.capitalize()} put {pick(KITCHEN_THINGS)}.",
        lambda: f"{person.capitalize()} went to {pick(SHOPS)} {time}.",
        lambda: f"{person.capitalize()} opened the window because it was hot.",
        lambda: f"{person.capitalize()} closed the curtains because it was dark.",
    ]
    return pick(scenes)()


def is_seed_like(sentence: str) -> bool:
    """Any cat that sat on the mat: the seed sentence, also described ("the
    black cat sat on the mat") or with a time added ("... at night")."""
    return "cat sat on the mat" in " ".join(sentence.lower().split())


MAX_REPEATS = 5  # a sentence the world produces often is kept at most this often


def sample_everyday(n: int, seed: int = 0) -> list[str]:
    """n sentences as the world produces them, repeats included (up to
    MAX_REPEATS each), never the seed. Repeats keep the world's frequencies:
    cats turn up more often than hamsters, as in real text."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    sample: list[str] = []
    for _ in range(n * 20):  # bounded, like generate_everyday
        sentence = _scene(rng)
        if is_seed_like(sentence) or counts.get(sentence, 0) >= MAX_REPEATS:
            continue
        counts[sentence] = counts.get(sentence, 0) + 1
        sample.append(sentence)
        if len(sample) == n:
            break
    return sample


def generate_everyday(n: int, seed: int = 0) -> list[str]:
    """n distinct sentences (fewer if the world runs out), never the seed sentence."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    for _ in range(n * 20):  # bounded: the world has a finite number of sentences
        sentence = _scene(rng)
        if not is_seed_like(sentence):
            seen.setdefault(sentence, None)
        if len(seen) == n:
            break
    return list(seen)


def split_of(sentence: str) -> str:
    """'train', 'valid' or 'test', fixed by a hash of the sentence itself, so a
    sentence lands in the same split however many are generated."""
    digest = hashlib.sha256(sentence.lower().encode("utf-8")).digest()
    share = int.from_bytes(digest[:8], "big") / 2**64
    if share < SPLIT_SHARES[0]:
        return "train"
    return "valid" if share < SPLIT_SHARES[0] + SPLIT_SHARES[1] else "test"


def everyday_split(n: int, seed: int = 0) -> dict[str, list[str]]:
    """Generated sentences cut into train / valid / test (no sentence in two)."""
    parts: dict[str, list[str]] = {"train": [], "valid": [], "test": []}
    for sentence in generate_everyday(n, seed):
        parts[split_of(sentence)].append(sentence)
    return parts
