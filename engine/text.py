"""Tokenizer and vocabulary: how text becomes the integer ids a network reads."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

PAD, UNK, EOS, BLANK = "<pad>", "<unk>", "<eos>", "<blank>"
SPECIALS = (PAD, UNK, EOS, BLANK)

# The blank the fill-in demo uses: three or more underscores in the raw text.
BLANK_MARK = "___"

# Emoji: pictographs (and the dingbats, arrows and symbols that phones draw as
# emoji), joined by zero-width joiners into one token ("👨‍👩‍👧"), and flags (two
# regional-indicator letters). Skin tones and the emoji variation selector are
# folded away first, so "👍🏽" and "👍" are one token, and "❤️" is "❤".
_PICTOGRAPH = (
    "\U0001f000-\U0001f1e5\U0001f200-\U0001faff"  # emoticons, symbols, transport ...
    "\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f"
    "\u2b00-\u2bff\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122\u2139"
)
_EMOJI = rf"[{_PICTOGRAPH}](?:\u200D[{_PICTOGRAPH}])*|[\U0001F1E6-\U0001F1FF]{{2}}"
_FOLDED = re.compile("[\U0001f3fb-\U0001f3ff\ufe0e\ufe0f]")  # skin tones, selectors
# Emoticons typed with punctuation, eyes first (":-)", ";(", ":'(", ":D", ":))"),
# plus hearts ("<3"); only where no word goes on around them, so "re:", "10:30"
# and "(a)" stay what they were.
_EMOTICON = (
    r"(?<![\w:;=])[:;=]['\-]?(?:\)+|\(+|[\]\[dDpPoO/\\|*3])(?![\w)(\]\[/\\|*])"
    r"|</?3"
)

# One alternative per kind of token, tried left to right:
#   the blank marker, emoticons, emoji, words with inner apostrophes kept whole
#   ("don't", "o'neill"), numbers with decimal points or thousands separators
#   ("3.5", "1,200"), and the main punctuation marks, one character each.
# Everything else (spaces, control characters, other symbols) is dropped.
_TOKEN_RE = re.compile(
    r"_{3,}"
    rf"|{_EMOTICON}"
    rf"|{_EMOJI}"
    r"|[^\W\d_]+(?:'[^\W\d_]+)*"
    r"|\d+(?:[.,]\d+)*"
    r"|[.,!?;:'\"()\-%$£&/]"
)
_EMOJI_RE = re.compile(rf"(?:{_EMOTICON}|{_EMOJI})\Z")
# The same without emoticons and emoji: ":)" is two punctuation marks, "😂" is
# dropped (what the word-level language models were trained on).
_WORD_TOKEN_RE = re.compile(
    r"_{3,}"
    r"|[^\W\d_]+(?:'[^\W\d_]+)*"
    r"|\d+(?:[.,]\d+)*"
    r"|[.,!?;:'\"()\-%$£&/]"
)


def is_emoji(token: str) -> bool:
    """An emoji or emoticon token ("😂", ":)"), not a word or punctuation."""
    return bool(_EMOJI_RE.match(token))


# Attach these to the previous token when turning tokens back into text.
_NO_SPACE_BEFORE = set(".,!?;:%)")
_NO_SPACE_AFTER = set("($£")


def tokenize(text: str, emoji: bool = True) -> list[str]:
    """Split text into lowercase word, number, punctuation and emoji tokens.

    The blank marker `___` becomes the `<blank>` token. `emoji=False` leaves
    emoji and emoticons out: the word-level language models (keyboard, fill the
    blank) were trained on text read that way (an emoticon is punctuation, an
    emoji is dropped), and rebuild from it exactly.
    """
    # NFKC folds look-alike characters (curly quotes stay, ligatures split) and
    # casefold() lowercases more thoroughly than lower() (German ß -> ss).
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = unicodedata.normalize("NFKC", normal)  # casefold can un-normalize
    normal = normal.replace("\u2019", "'")  # a typographic apostrophe is an apostrophe
    pattern = _TOKEN_RE if emoji else _WORD_TOKEN_RE
    normal = _FOLDED.sub("", normal)
    return [BLANK if t.startswith("___") else t for t in pattern.findall(normal)]


def skipped_characters(text: str) -> list[str]:
    """The characters `tokenize` leaves out (symbols such as "~" or "^"), each
    once, in order: so a learner can be told what no model here reads."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = _FOLDED.sub("", unicodedata.normalize("NFKC", normal))
    leftover = _TOKEN_RE.sub(" ", normal.replace("\u2019", "'"))
    return list(dict.fromkeys(c for c in leftover if not c.isspace()))


def has_skin_tone(text: str) -> bool:
    return any("\U0001f3fb" <= c <= "\U0001f3ff" for c in text)


def written_tokens(text: str) -> list[str]:
    """The tokens as written, case kept ("The", not "the"): for showing the
    learner their own words. Same split as `tokenize`, blank marker kept."""
    normal = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return _TOKEN_RE.findall(_FOLDED.sub("", normal))


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens into readable text ("the cat ." -> "the cat.")."""
    out: list[str] = []
    glue_next = False
    for token in tokens:
        shown = BLANK_MARK if token == BLANK else token
        if out and not glue_next and shown not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append(shown)
        glue_next = shown in _NO_SPACE_AFTER
    return "".join(out)


@dataclass
class Vocab:
    """A fixed list of tokens; a token's position in the list is its id."""

    itos: list[str] = field(default_factory=lambda: list(SPECIALS))

    def __post_init__(self) -> None:
        if tuple(self.itos[: len(SPECIALS)]) != SPECIALS:
            raise ValueError(f"a vocabulary must start with {SPECIALS}")
        self.stoi = {token: i for i, token in enumerate(self.itos)}
        if len(self.stoi) != len(self.itos):
            raise ValueError("a vocabulary may not list a token twice")

    @classmethod
    def build(
        cls,
        token_lists: Iterable[Sequence[str]],
        min_freq: int = 1,
        max_size: int | None = None,
    ) -> Vocab:
        """Most frequent tokens first (ties alphabetical) so ids are reproducible.

        Build it from the training split only: words seen only in the test split
        must stay unknown, or the test would leak into the model.
        """
        counts: Counter[str] = Counter()
        for tokens in token_lists:
            counts.update(tokens)
        for special in SPECIALS:
            counts.pop(special, None)
        ranked = sorted(
            (t for t, n in counts.items() if n >= min_freq),
            key=lambda t: (-counts[t], t),
        )
        if max_size is not None:
            ranked = ranked[: max(0, max_size - len(SPECIALS))]
        return cls(list(SPECIALS) + ranked)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: str) -> bool:
        return token in self.stoi

    @property
    def pad_id(self) -> int:
        return self.stoi[PAD]

    @property
    def unk_id(self) -> int:
        return self.stoi[UNK]

    @property
    def eos_id(self) -> int:
        return self.stoi[EOS]

    @property
    def blank_id(self) -> int:
        return self.stoi[BLANK]

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Token strings -> ids; unknown tokens map to `<unk>`."""
        unk = self.unk_id
        return [self.stoi.get(t, unk) for t in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Ids -> token strings."""
        return [self.itos[i] for i in ids]

    def to_list(self) -> list[str]:
        """A plain list for checkpoints (safe for `torch.load(weights_only=True)`)."""
        return list(self.itos)


def shown_word(word: str, limit: int = 30) -> str:
    """A word as quoted back to the learner: a 40,000-letter "word" is cut short."""
    return word if len(word) <= limit else word[: limit - 1] + "…"
