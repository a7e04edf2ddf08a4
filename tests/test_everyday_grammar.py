"""The everyday-English generator for the fill-the-blank model (issue 5)."""

from engine.everyday_grammar import (
    SEED_SENTENCE,
    everyday_split,
    generate_everyday,
    is_seed_like,
    split_of,
)


def test_it_is_seeded_and_varied():
    sentences = generate_everyday(5_000, seed=3)
    assert sentences == generate_everyday(5_000, seed=3)
    assert len(sentences) == len(set(sentences)) == 5_000
    assert sentences != generate_everyday(5_000, seed=4)
    words = {w.strip(".?,").lower() for s in sentences for w in s.split()}
    openings = {" ".join(s.split()[:2]) for s in sentences}
    assert len(words) > 300 and len(openings) > 60  # many scenes, not one template


def test_the_seed_sentence_never_appears_but_its_patterns_do():
    sentences = generate_everyday(12_000)
    assert not any(is_seed_like(s) for s in sentences)
    assert is_seed_like(SEED_SENTENCE) and is_seed_like(
        "The cat sat on the mat at night."
    )
    assert any(s.startswith("The cat ") and "on the mat" in s for s in sentences)
    assert any(s.startswith("The dog sat on the mat") for s in sentences)


def test_splits_are_disjoint_stable_and_about_80_10_10():
    parts = everyday_split(10_000)
    sizes = {name: len(part) for name, part in parts.items()}
    assert sum(sizes.values()) == 10_000
    assert 0.75 < sizes["train"] / 10_000 < 0.85
    assert not set(parts["train"]) & set(parts["test"])
    assert all(split_of(s) == "test" for s in parts["test"])
    # a sentence's split does not depend on how many were generated
    small = everyday_split(2_000)
    assert set(small["test"]) <= set(parts["test"]) | set(parts["valid"]) | set(
        parts["train"]
    )
    assert all(split_of(s) == "test" for s in small["test"])


def test_articles_agree():
    sentences = generate_everyday(12_000)
    assert not any(" a English" in s or " a art" in s for s in sentences)


def test_samples_keep_real_frequencies_but_never_a_cat_on_the_mat():
    from collections import Counter

    from engine.everyday_grammar import MAX_REPEATS, sample_everyday

    sample = sample_everyday(6_000, seed=2)
    assert sample == sample_everyday(6_000, seed=2) and len(sample) == 6_000
    counts = Counter(sample)
    assert max(counts.values()) == MAX_REPEATS  # repeats, but capped
    assert not any(is_seed_like(s) for s in sample)
    assert is_seed_like("The black cat  sat on the mat.")  # described, still out
    pets = Counter(s.split()[1] for s in sample if s.startswith("The "))
    assert pets["cat"] > 2 * pets["hamster"] and pets["dog"] > 2 * pets["rabbit"]
    assert any(s.startswith("The cat sat on the ") for s in sample)
    assert any(" on the mat" in s and " cat " in s for s in sample)
