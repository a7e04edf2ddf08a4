"""Spelled-out numbers and dates in British English, both ways.

`spell` writes a value in words (seeded, with the variety people use: "a hundred"
or "one hundred", "nineteen oh five" or "nineteen hundred and five", the day
before or after the month). `parse_spelled` is the exact rule-based reader: the
referee that checks the seq2seq model's answers and turns away impossible input.
"""

from __future__ import annotations

import calendar
import hashlib
import random
import re
import unicodedata
from datetime import date, timedelta

from engine.errors import InputError

Value = int | date

UNITS = "zero one two three four five six seven eight nine".split()
TEENS = (
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
)
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
MONTHS = [calendar.month_name[m].lower() for m in range(1, 13)]
ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
    "nineteenth"
).split()

UNIT_VALUE = {word: n for n, word in enumerate(UNITS) if n}  # "zero" stands alone
TEEN_VALUE = {word: n for n, word in enumerate(TEENS.split(), start=10)}
TENS_VALUE = {word: 10 * n for n, word in enumerate(TENS, start=2)}
MONTH_VALUE = {word: n for n, word in enumerate(MONTHS, start=1)}
ORDINAL_VALUE = {word: n for n, word in enumerate(ORDINALS, start=1)}
ORDINAL_VALUE |= {"twentieth": 20, "thirtieth": 30}
NUMBER_WORD = {n: w for w, n in (UNIT_VALUE | TEEN_VALUE | TENS_VALUE).items()}
ORDINAL_WORD = {n: w for w, n in ORDINAL_VALUE.items()}

MAX_NUMBER = 999_999
FIRST_YEAR, LAST_YEAR = 1900, 2099
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
MAX_CHARS = 300  # the longest reading is about 70 characters
MAX_WORDS = 20  # the longest reading is 11 words
LARGEST_IN_WORDS = "nine hundred and ninety nine thousand nine hundred and ninety nine"
TOO_LARGE = {"million", "millions", "billion", "billions", "trillion", "trillions"}
TOO_LARGE |= {"zillion", "lakh", "crore", "googol", "infinity"}

# Every word the generator writes: the encoder's vocabulary and the words the
# reader accepts. "a" as in "a hundred", "oh" as in "nineteen oh five".
WORDS = frozenset(
    [*UNITS, *TEEN_VALUE, *TENS_VALUE, *MONTH_VALUE, *ORDINAL_VALUE]
    + "hundred thousand and a oh the of".split()
)
SPLIT_SHARES = (0.85, 0.05, 0.10)  # train / valid / test, by value
EXAMPLE_NUMBERS = "'three hundred and five', 'twelve thousand four hundred'"
EXAMPLE_DATES = (
    "'twenty seven november twenty twenty six', "
    "'the third of march nineteen ninety nine'"
)


# ------------------------------------------------------------------- digits -> words
def spell_below_hundred(n: int) -> list[str]:
    """1..99 in words: 'forty two' (no hyphen: the reader treats hyphens as spaces)."""
    if n in NUMBER_WORD:
        return [NUMBER_WORD[n]]
    return [NUMBER_WORD[n - n % 10], NUMBER_WORD[n % 10]]


def _and(rng: random.Random) -> list[str]:
    # British English says "and" before the last part; a few readers drop it
    return ["and"] if rng.random() < 0.85 else []


def _one(rng: random.Random, leading: bool) -> str:
    """'a' or 'one' before hundred/thousand: 'a' only opens a number."""
    return "a" if leading and rng.random() < 0.3 else "one"


def spell_below_thousand(n: int, rng: random.Random, leading: bool) -> list[str]:
    """1..999: 'three hundred and five', 'a hundred', 'twelve'."""
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return spell_below_hundred(rest)
    head = [_one(rng, leading) if hundreds == 1 else NUMBER_WORD[hundreds], "hundred"]
    return head + (_and(rng) + spell_below_hundred(rest) if rest else [])


def spell_number(n: int, rng: random.Random) -> list[str]:
    """0..999,999 in British English words, one of the usual readings."""
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"{n} is outside 0..{MAX_NUMBER}")
    if n == 0:
        return ["zero"]
    thousands, rest = divmod(n, 1000)
    if 1100 <= n <= 9999 and n // 100 % 10 and rng.random() < 0.2:
        # "fifteen hundred and twenty": hundreds counted past ten
        head = spell_below_hundred(n // 100) + ["hundred"]
        return head + (_and(rng) + spell_below_hundred(n % 100) if n % 100 else [])
    if not thousands:
        return spell_below_thousand(n, rng, leading=True)
    if thousands == 1:
        words = [_one(rng, leading=True), "thousand"]
    else:
        words = spell_below_thousand(thousands, rng, leading=True) + ["thousand"]
    if not rest:
        return words
    if rest < 100:
        return words + _and(rng) + spell_below_hundred(rest)
    return words + spell_below_thousand(rest, rng, leading=False)


def spell_year(year: int, rng: random.Random) -> list[str]:
    """1900..2099 read the usual ways: 'nineteen ninety nine', 'twenty twenty six',
    'two thousand and five', 'nineteen oh five', 'nineteen hundred'."""
    century, rest = divmod(year, 100)
    if year == 2000:
        return ["two", "thousand"]
    if century == 20 and (rest < 10 or rng.random() < 0.4):
        link = ["and"] if rest >= 10 or rng.random() < 0.75 else []
        return ["two", "thousand"] + link + spell_below_hundred(rest)
    if year == 1900:
        return ["nineteen", "hundred"]
    if rest >= 10:
        return [NUMBER_WORD[century]] + spell_below_hundred(rest)
    if rng.random() < 0.6:
        return ["nineteen", "oh", NUMBER_WORD[rest]]
    return ["nineteen", "hundred", "and", NUMBER_WORD[rest]]


def spell_ordinal(day: int) -> list[str]:
    """1..31 as an ordinal: 'third', 'twenty seventh', 'thirtieth'."""
    if day in ORDINAL_WORD:
        return [ORDINAL_WORD[day]]
    return [NUMBER_WORD[day - day % 10], ORDINAL_WORD[day % 10]]


def spell_date(day: date, rng: random.Random) -> list[str]:
    """A date in one of six common orders, the day a cardinal or an ordinal."""
    month, year = [MONTHS[day.month - 1]], spell_year(day.year, rng)
    ordinal = spell_ordinal(day.day)
    either = ordinal if rng.random() < 0.6 else spell_below_hundred(day.day)
    orders = [
        either + month + year,  # twenty seven november twenty twenty six
        ["the"] + ordinal + ["of"] + month + year,  # the third of march ...
        ordinal + ["of"] + month + year,  # twenty seventh of november ...
        ["the"] + ordinal + month + year,  # the third march ...
        month + either + year,  # november twenty seven ...
        month + ["the"] + ordinal + year,  # november the twenty seventh ...
    ]
    return rng.choice(orders)


def spell(value: Value, rng: random.Random) -> list[str]:
    """A number or a date in words (one reading, chosen by `rng`)."""
    if isinstance(value, date):
        return spell_date(value, rng)
    return spell_number(value, rng)


def digits(value: Value) -> str:
    """The target the model writes: '305' or '2026-11-27'."""
    return value.isoformat() if isinstance(value, date) else str(value)


# ------------------------------------------------------------ sampling and splits
def sample_number(rng: random.Random) -> int:
    """As many 1-digit as 6-digit numbers, and many round ones (12400), since
    learners type those; a uniform draw would be 90% six-digit numbers."""
    length = rng.randint(1, 6)
    n = rng.randint(0 if length == 1 else 10 ** (length - 1), 10**length - 1)
    if length > 1 and rng.random() < 0.3:
        power = 10 ** rng.randint(1, length - 1)
        n -= n % power
    return n


def sample_date(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))


def split_of(value: Value) -> str:
    """'train', 'valid' or 'test', fixed by a hash of the value: every reading
    of a test number or date stays out of training."""
    digest = hashlib.sha256(f"{type(value).__name__}:{value}".encode()).digest()
    share = int.from_bytes(digest[:8], "big") / 2**64
    if share < SPLIT_SHARES[0]:
        return "train"
    return "valid" if share < SPLIT_SHARES[0] + SPLIT_SHARES[1] else "test"


def sample_pairs(
    part: str, n: int, seed: int, date_share: float = 0.5, distinct: bool = False
) -> list[tuple[str, str]]:
    """n (words, digits) pairs whose values lie in one split, seeded.

    `distinct` drops repeated inputs (for test sets: each counts once).
    """
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for _ in range(n * 100):  # rejection sampling; bounded so it always ends
        if len(pairs) == n:
            break
        is_date = rng.random() < date_share
        value: Value = sample_date(rng) if is_date else sample_number(rng)
        if split_of(value) != part:
            continue
        text = " ".join(spell(value, rng))
        if distinct and text in seen:
            continue
        seen.add(text)
        pairs.append((text, digits(value)))
    return pairs


# ---------------------------------------------------------- words -> value (referee)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_ALLOWED = re.compile(r"[a-z\s,.\-]")


def read_words(text: str) -> list[str]:
    """Learner text -> known lowercase words; anything else raises InputError."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            f"Type a number or a date in words, for example {EXAMPLE_NUMBERS} "
            f"or {EXAMPLE_DATES}."
        )
    if len(text) > MAX_CHARS:
        raise InputError(
            f"That is {len(text):,} characters: type one number or date in words "
            f"(at most {MAX_CHARS} characters)."
        )
    normal = unicodedata.normalize("NFKC", text).casefold().translate(_DASHES)
    if any(ch.isdigit() for ch in normal):
        raise InputError(
            "Spell the number out in words instead of digits, for example "
            "'three hundred and five' rather than 305."
        )
    odd = sorted({ch for ch in normal if not _ALLOWED.fullmatch(ch)})
    if odd:
        shown = " ".join(ch for ch in odd[:10] if ch.isprintable())
        raise InputError(
            "Type only words (letters, spaces, hyphens and commas); "
            f"leave out: {shown or 'the invisible characters'}"
        )
    words = re.findall(r"[a-z]+", normal)
    if not words:
        raise InputError(f"Type a number or a date in words, e.g. {EXAMPLE_NUMBERS}.")
    if len(words) > MAX_WORDS:
        raise InputError(
            f"That is {len(words)} words; one number or date takes at most 11. "
            "Type just one, e.g. twelve thousand four hundred."
        )
    too_large = [w for w in words if w in TOO_LARGE]
    if too_large:
        raise InputError(
            f"'{too_large[0]}' is too large for this model: the largest number it "
            f"knows is 999,999 ({LARGEST_IN_WORDS})."
        )
    unknown = sorted(set(words) - WORDS)
    if unknown:
        raise InputError(
            f"This model does not know the word{'s' * (len(unknown) > 1)} "
            f"{', '.join(repr(w) for w in unknown[:8])}. It understands numbers "
            f"from zero to {LARGEST_IN_WORDS}, and dates between 1900 and 2099 "
            "(e.g. the third of march nineteen ninety nine), in words."
        )
    return words


def _below_hundred(words: list[str], i: int) -> tuple[int, int] | None:
    """1..99 starting at words[i] -> (value, next index), or None."""
    word = words[i] if i < len(words) else ""
    if word in UNIT_VALUE or word in TEEN_VALUE:
        return (UNIT_VALUE | TEEN_VALUE)[word], i + 1
    if word in TENS_VALUE:
        unit = words[i + 1] if i + 1 < len(words) else ""
        if unit in UNIT_VALUE:
            return TENS_VALUE[word] + UNIT_VALUE[unit], i + 2
        return TENS_VALUE[word], i + 1
    return None


def _rest_after(words: list[str], i: int, reader) -> tuple[int, int]:
    """An optional ['and'] + part after 'hundred' or 'thousand' -> (value, next)."""
    j = i + (i < len(words) and words[i] == "and")
    found = reader(words, j)
    if found is None:
        return 0, i  # nothing follows: any stray 'and' is left for the caller
    return found


def _below_thousand(words: list[str], i: int, leading: bool) -> tuple[int, int] | None:
    """1..999 starting at words[i]: 'a hundred', 'three hundred and five', 'six'."""
    word = words[i] if i < len(words) else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if leading and word == "a" and after == "thousand":
        return 1, i + 1  # "a thousand": the caller reads 'thousand'
    if after == "hundred" and (word in UNIT_VALUE or (leading and word == "a")):
        rest, end = _rest_after(words, i + 2, _below_hundred)
        return 100 * UNIT_VALUE.get(word, 1) + rest, end
    return _below_hundred(words, i)


def _number_error(words: list[str], i: int) -> InputError:
    where = f"'{words[i]}' does not fit" if i < len(words) else "it stops too soon"
    where += f" after '{' '.join(words[:i])}'" if i else " at the start"
    return InputError(
        f"'{' '.join(words)}' is not a number this reader knows: {where}. "
        f"Numbers look like: {EXAMPLE_NUMBERS} (0 to 999,999)."
    )


def parse_number(words: list[str]) -> int:
    """Exact British number words -> 0..999,999; InputError if they do not parse."""
    if words == ["zero"]:
        return 0
    first = _below_thousand(words, 0, leading=True)
    if first is None:
        raise _number_error(words, 0)
    value, i = first
    if i < len(words) and words[i] == "thousand":
        rest, i = _rest_after(
            words, i + 1, lambda ws, j: _below_thousand(ws, j, leading=False)
        )
        value = 1000 * value + rest
    elif i < len(words) and words[i] == "hundred" and 10 < value < 100 and value % 10:
        rest, i = _rest_after(words, i + 1, _below_hundred)  # "fifteen hundred"
        value = 100 * value + rest
    if i != len(words):
        raise _number_error(words, i)
    return value


def parse_year(words: list[str]) -> int:
    """'nineteen ninety nine', 'nineteen oh five', 'twenty ten', 'two thousand and
    five', 'nineteen hundred' ... -> 1900..2099."""
    century = {"nineteen": 1900, "twenty": 2000}.get(words[0] if words else "")
    if century and words[1:2] == ["oh"] and len(words) == 3:
        if words[2] in UNIT_VALUE:
            return century + UNIT_VALUE[words[2]]
    if century and len(words) > 1:
        found = _below_hundred(words, 1)
        if found and found[1] == len(words) and found[0] >= 10:
            return century + found[0]
    try:
        year = parse_number(words)
    except InputError:
        raise InputError(
            f"'{' '.join(words) or 'nothing'}' is not a year this reader knows. "
            "Years look like: nineteen ninety nine, nineteen oh five, "
            "two thousand and five, twenty twenty six."
        ) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            f"This model knows years from {FIRST_YEAR} to {LAST_YEAR}, not {year}."
        )
    return year


def parse_day(words: list[str]) -> int | None:
    """'third', 'twenty seventh', 'twenty seven' -> 3, 27, 27 (None if not a day)."""
    if len(words) == 1 and words[0] in ORDINAL_VALUE:
        return ORDINAL_VALUE[words[0]]
    if len(words) == 2 and words[0] in TENS_VALUE and words[1] in ORDINAL_VALUE:
        if ORDINAL_VALUE[words[1]] < 10:
            return TENS_VALUE[words[0]] + ORDINAL_VALUE[words[1]]
    found = _below_hundred(words, 0)
    return found[0] if found and found[1] == len(words) else None


def _day_error(words: list[str]) -> InputError:
    return InputError(
        f"'{' '.join(words) or 'nothing'}' is not a day this reader knows. "
        f"Dates look like: {EXAMPLE_DATES}."
    )


def _day_and_year(words: list[str]) -> tuple[int, int]:
    """After the month: '[the] DAY YEAR'; the day is one or two words."""
    words = words[1:] if words[:1] == ["the"] else words
    problem: InputError = _day_error(words)
    if not words:
        raise InputError(
            "Add the day and the year after the month, e.g. "
            "'november the twenty seventh twenty twenty six'."
        )
    for cut in range(1, min(2, len(words)) + 1):
        day = parse_day(words[:cut])
        if day is None:
            continue
        if cut == len(words):
            problem = InputError(
                "Add the year after the day, e.g. 'twenty twenty six'."
            )
            continue
        try:
            return day, parse_year(words[cut:])
        except InputError as error:
            problem = error
    raise problem


def parse_date(words: list[str]) -> date:
    """'[the] DAY [of] MONTH YEAR' or 'MONTH [the] DAY YEAR' -> a real date."""
    at = [i for i, w in enumerate(words) if w in MONTH_VALUE]
    if len(at) != 1:
        raise InputError("Type one date with one month name, e.g. " + EXAMPLE_DATES)
    month, before, after = MONTH_VALUE[words[at[0]]], words[: at[0]], words[at[0] + 1 :]
    if before:
        day_words = before[1:] if before[0] == "the" else before
        day_words = day_words[:-1] if day_words[-1:] == ["of"] else day_words
        day = parse_day(day_words)
        if day is None:
            raise _day_error(day_words)
        if not after:
            raise InputError("Add the year after the month, e.g. 'nineteen ninety'.")
        year = parse_year(after)
    else:
        day, year = _day_and_year(after)
    return _valid_date(year, month, day)


def _valid_date(year: int, month: int, day: int) -> date:
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise InputError(
            f"There is no day {day} in {calendar.month_name[month]} {year}: "
            f"it has {days} days. Try a date that exists."
        )
    return date(year, month, day)


def parse_words(words: list[str]) -> Value:
    """Known words -> the number or date they spell (exact rules, no model)."""
    if any(w in MONTH_VALUE for w in words):
        return parse_date(words)
    try:
        return parse_number(words)
    except InputError:
        if _reads_as_year(words):
            raise InputError(
                f"'{' '.join(words)}' reads like a year: add a day and a month, "
                "e.g. 'the third of march nineteen ninety nine'."
            ) from None
        raise


def _reads_as_year(words: list[str]) -> bool:
    try:
        parse_year(words)
    except InputError:
        return False
    return True


def parse_spelled(text: str) -> Value:
    """Learner text -> int (0..999,999) or date (1900..2099); InputError otherwise."""
    return parse_words(read_words(text))


def kind_of(value: Value) -> str:
    return "date" if isinstance(value, date) else "number"
