"""The pages of the playground, in menu order: one list feeds the menu and the
home page's cards, so they can never disagree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    path: str  # the page file, relative to streamlit_app.py
    title: str
    icon: str  # a Material icon, e.g. ":material/tag:"
    blurb: str  # one sentence for the home page card


PAGES = [
    PageInfo(
        "pages/text_to_numbers.py",
        "Text to numbers",
        ":material/tag:",
        "How sentences become the token ids a network reads, and the real corpora "
        "every model here is trained on.",
    ),
    PageInfo(
        "pages/step_through.py",
        "Step through time",
        ":material/step_over:",
        "The loop unrolled over your sentence: a trained LSTM's hidden state, cell "
        "state and gates word by word, and one step's arithmetic with real numbers.",
    ),
    PageInfo(
        "pages/next_word.py",
        "Next-word keyboard",
        ":material/keyboard:",
        "A phone-style keyboard on a trained LSTM: suggestions as you type, what it "
        "remembers, and a keyboard trained on your own text.",
    ),
    PageInfo(
        "pages/sentiment.py",
        "Sentiment reader",
        ":material/sentiment_satisfied:",
        "Many-to-one: an LSTM reads a sentence word by word and says negative, "
        "neutral or positive; watch the answer form and compare it with a bag of "
        "words and VADER.",
    ),
    PageInfo(
        "pages/fill_blank.py",
        "Fill the blank",
        ":material/swap_horiz:",
        "Bidirectional: one LSTM reads left to right, another right to left, and "
        "they meet at a missing word: “The ___ sat on the mat.”",
    ),
    PageInfo(
        "pages/shapes.py",
        "RNN shapes",
        ":material/schema:",
        "One-to-one, one-to-many, many-to-one and two kinds of many-to-many: five "
        "trained networks, from reading a digit to turning spoken dates into digits.",
    ),
    PageInfo(
        "pages/cells.py",
        "RNN vs LSTM vs GRU",
        ":material/compare_arrows:",
        "Three cells drawn gate by gate, then trained on the same task with the same "
        "budget: parameters, time and learning curves side by side.",
    ),
    PageInfo(
        "pages/gradient_lab.py",
        "Gradient lab",
        ":material/monitoring:",
        "Vanishing and exploding gradients measured with autograd as you change the "
        "weight scale, and what they do to learning a long-range memory task.",
    ),
]
