"""The pages of the playground, in the order of the guided path: one list feeds
the menu, the home page's numbered steps and every page's previous/next links,
so they can never disagree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    path: str  # the page file, relative to streamlit_app.py
    title: str
    icon: str  # a Material icon, e.g. ":material/tag:"
    blurb: str  # one sentence for the home page's step card
    adds: str = ""  # what this page adds to the path: shown under the link to it


# The guided path after Home: each page uses what the pages before it taught.
# Text before the loop (tokens), the loop itself (hidden state), how it learns
# and why that is hard (gradients), the gated cells that make it easier, then
# the shapes of task and the trained models that use them.
PAGES = [
    PageInfo(
        "pages/text_to_numbers.py",
        "Text to numbers",
        ":material/tag:",
        "How sentences become the token ids a network reads, and the real corpora "
        "every model here is trained on.",
        "A network reads numbers, not letters: see how a sentence is cut into "
        "tokens, how each token gets its id in a fixed vocabulary, and how that id "
        "picks the vector the network reads.",
    ),
    PageInfo(
        "pages/step_through.py",
        "Step through time",
        ":material/step_over:",
        "The loop unrolled over your sentence: first a tiny RNN's arithmetic, every "
        "number on screen, then a trained LSTM's hidden state, cell state and gates "
        "word by word.",
        "The loop at work: a trained network reads your sentence one time step at "
        "a time, and you watch its hidden state change after every word, with one "
        "step's arithmetic written out in real numbers.",
    ),
    PageInfo(
        "pages/gradient_lab.py",
        "Gradient lab",
        ":material/monitoring:",
        "Vanishing and exploding gradients measured with autograd as you change the "
        "weight scale, and what they do to learning a long-range memory task.",
        "How a network learns from an early word: the gradient travels back "
        "through every time step, and you measure when it vanishes or explodes as "
        "you change the weights.",
    ),
    PageInfo(
        "pages/cells.py",
        "RNN vs LSTM vs GRU",
        ":material/compare_arrows:",
        "Three cells drawn gate by gate, then trained on the same task with the same "
        "hidden size: parameters, time and learning curves side by side.",
        "The cells built to keep the gradient alive: the LSTM's and the GRU's gates "
        "drawn one by one, then all three cells trained on the same task, so you "
        "can compare what they learn and what they cost.",
    ),
    PageInfo(
        "pages/shapes.py",
        "RNN shapes",
        ":material/schema:",
        "One-to-one, one-to-many, many-to-one and two kinds of many-to-many: five "
        "trained networks, from reading a digit to turning spoken dates into digits.",
        "What an RNN can be asked to do: read a sequence and answer once or at "
        "every step, or write one; four small trained networks, up to an "
        "encoder-decoder that turns dates in words into digits (and one-to-one, "
        "which needs no RNN, for contrast).",
    ),
    PageInfo(
        "pages/sentiment.py",
        "Sentiment reader",
        ":material/sentiment_satisfied:",
        "Many-to-one: an LSTM reads a sentence word by word and says negative, "
        "neutral or positive; watch the answer form and compare it with a bag of "
        "words and VADER.",
        "Many-to-one on real tweets: an LSTM reads your sentence and answers once, "
        "at the end, and you can watch its opinion change word by word.",
    ),
    PageInfo(
        "pages/next_word.py",
        "Next-word keyboard",
        ":material/keyboard:",
        "A phone-style keyboard on a trained LSTM: suggestions as you type, what it "
        "remembers, and a keyboard trained on your own text.",
        "A language model: after every word you type, a trained LSTM gives each "
        "word it knows a probability of coming next, like a phone keyboard; you "
        "can also train one on your own text.",
    ),
    PageInfo(
        "pages/fill_blank.py",
        "Fill the blank",
        ":material/swap_horiz:",
        "Bidirectional: one LSTM reads left to right, another right to left, and "
        "they meet at a missing word: “The ___ sat on the mat.”",
        "Reading in both directions: a bidirectional LSTM fills in a missing word "
        "from the words before it and the words after it.",
    ),
]

# A reference page, not a step on the path: every page's footer links to it.
GLOSSARY = PageInfo(
    "pages/glossary.py",
    "Glossary",
    ":material/menu_book:",
    "Every term the playground uses, defined in a sentence or two, with the page "
    "where you can see it at work.",
)

PATH_DONE = (
    "You have walked the whole path. Go back to the start, or look up any term in "
    "the glossary."
)
