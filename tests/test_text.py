import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.text import (
    BLANK,
    SPECIALS,
    UNK,
    Vocab,
    detokenize,
    is_emoji,
    skipped_characters,
    tokenize,
    written_tokens,
)


def test_tokenize_words_numbers_contractions_and_punctuation():
    assert tokenize("Don't panic: the £3.5bn deal (1,200 jobs) isn't O'Neill's!") == [
        "don't", "panic", ":", "the", "£", "3.5", "bn", "deal", "(", "1,200",
        "jobs", ")", "isn't", "o'neill's", "!",
    ]  # fmt: skip


def test_tokenize_lowercases_and_handles_typographic_apostrophes():
    assert tokenize("The CAT’s HAT") == ["the", "cat's", "hat"]


def test_tokenize_keeps_emoji_and_drops_html_brackets_and_control_characters():
    assert tokenize("hi 😀 <b>there</b>\x00\x07") == [
        "hi",
        "😀",
        "b",
        "there",
        "/",
        "b",
    ]
    # the word-level language models read text as they were trained: no emoji
    assert tokenize("hi 😀 <b>there</b>", emoji=False) == ["hi", "b", "there", "/", "b"]


def test_each_emoji_is_one_token_and_skin_tones_fold():
    assert tokenize("😀😂🔥 I ❤️ RNNs 👍🏽") == [
        "😀",
        "😂",
        "🔥",
        "i",
        "❤",
        "rnns",
        "👍",
    ]
    assert tokenize("👍🏿") == tokenize("👍") == ["👍"]
    # a family joined by zero-width joiners, and a flag, are one token each
    assert tokenize("👨\u200d👩\u200d👧 🇬🇧") == ["👨\u200d👩\u200d👧", "🇬🇧"]
    assert all(is_emoji(t) for t in tokenize("😀 ❤️ 🇬🇧 :) <3"))
    assert not any(is_emoji(t) for t in tokenize("cat 3.5 ! ( :"))


def test_emoticons_are_tokens_but_colons_and_brackets_stay_punctuation():
    assert tokenize("great :) sad :(( :-( ;) :D <3 :P") == [
        "great",
        ":)",
        "sad",
        ":((",
        ":-(",
        ";)",
        ":d",
        "<3",
        ":p",
    ]
    assert tokenize("re: the (a) item at 10:30") == [
        "re",
        ":",
        "the",
        "(",
        "a",
        ")",
        "item",
        "at",
        "10",
        ":",
        "30",
    ]
    assert tokenize("hi :)", emoji=False) == ["hi", ":", ")"]
    # written_tokens keeps case and splits the same way
    assert written_tokens("Great :D 👍🏽") == ["Great", ":D", "👍"]


def test_skipped_characters_are_reported_once_each():
    assert skipped_characters("a ~ b ^^ 😀 * ~") == ["~", "^", "*"]
    assert skipped_characters("plain words, 3.5% and 😀") == []


def test_tokenize_turns_underscores_into_the_blank_token():
    assert tokenize("The ___ sat on the ______ .") == [
        "the", BLANK, "sat", "on", "the", BLANK, ".",
    ]  # fmt: skip


def test_tokenize_empty_and_whitespace_give_no_tokens():
    assert tokenize("") == [] and tokenize(" \n\t ") == []


def test_detokenize_attaches_punctuation():
    assert detokenize(["the", "cat", "sat", ",", "(", "really", ")", "."]) == (
        "the cat sat, (really)."
    )
    assert detokenize(["the", BLANK, "sat"]) == "the ___ sat"


@given(st.text(max_size=300))
def test_tokenizing_joined_tokens_gives_the_same_tokens(text):
    tokens = tokenize(text)
    assert tokenize(" ".join(tokens)) == tokens
    assert all(t and t == t.strip() for t in tokens)


@given(st.text(max_size=300))
def test_tokenizing_detokenized_text_gives_the_same_tokens(text):
    tokens = tokenize(text)
    assert tokenize(detokenize(tokens)) == tokens


def test_vocab_starts_with_specials_and_ranks_by_frequency():
    vocab = Vocab.build([["b", "a", "b"], ["c", "b", "a"]])
    assert vocab.itos == [*SPECIALS, "b", "a", "c"]
    assert (vocab.pad_id, vocab.unk_id, vocab.eos_id, vocab.blank_id) == (0, 1, 2, 3)


def test_vocab_min_freq_and_max_size():
    docs = [["a", "a", "a", "b", "b", "c"]]
    assert Vocab.build(docs, min_freq=2).itos[len(SPECIALS) :] == ["a", "b"]
    assert Vocab.build(docs, max_size=len(SPECIALS) + 1).itos[-1] == "a"


def test_vocab_ties_are_alphabetical_so_ids_are_reproducible():
    assert Vocab.build([["z", "y", "x"]]).itos[len(SPECIALS) :] == ["x", "y", "z"]


@given(st.lists(st.sampled_from(["the", "cat", "sat", "on", "mat", "."]), max_size=50))
def test_encode_decode_round_trip_for_known_tokens(tokens):
    vocab = Vocab.build([["the", "cat", "sat", "on", "mat", "."]])
    assert vocab.decode(vocab.encode(tokens)) == tokens


def test_unknown_tokens_map_to_unk():
    vocab = Vocab.build([["cat"]])
    assert vocab.decode(vocab.encode(["cat", "dog"])) == ["cat", UNK]


def test_special_tokens_in_data_are_not_counted_twice():
    vocab = Vocab.build([[BLANK, "cat", UNK]])
    assert vocab.itos == [*SPECIALS, "cat"]


def test_vocab_round_trips_through_a_plain_list():
    vocab = Vocab.build([["a", "b"]])
    assert Vocab(vocab.to_list()).stoi == vocab.stoi


def test_vocab_refuses_lists_without_specials_or_with_repeats():
    with pytest.raises(ValueError):
        Vocab(["a", "b"])
    with pytest.raises(ValueError):
        Vocab([*SPECIALS, "a", "a"])


def test_a_huge_unknown_word_is_quoted_back_short():
    from engine.checkpoints import default_path
    from engine.sentiment import SentimentReader
    from engine.tasks import fill_blank, sentiment

    word = "x" * 40_000
    reader = fill_blank.load_reader(default_path(fill_blank.NAME))
    assert max(len(w) for w in reader.fill(f"The {word} ___ sat").unknown) <= 30
    model = sentiment.load_reader(default_path(sentiment.NAME))
    reading = model.read(f"good {word}")
    assert all(len(note) < 200 for note in reading.notes)
    assert isinstance(model, SentimentReader)
