"""The glossary: every term the playground uses, defined once, as data.

Definitions are Markdown ($...$ is LaTeX), so the glossary page and any
`help=` tooltip show the same words. Every statement follows the sources the
app is checked against (Olah's "Understanding LSTM Networks", Pascanu et al.
2013, the PyTorch docs), and every number in them comes from the code.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from engine.train import TrainConfig
from playground.navigation import PAGES
from playground.widgets import limited_text

_DEFAULTS = TrainConfig()  # what the trainer does unless a task says otherwise


@dataclass(frozen=True)
class Term:
    definition: str  # Markdown, one to four sentences
    page: str | None = None  # the page file where the term is at work


TEXT, STEP, LAB = (
    "pages/text_to_numbers.py",
    "pages/step_through.py",
    "pages/gradient_lab.py",
)
CELLS, SHAPES = "pages/cells.py", "pages/shapes.py"
KEYBOARD, FILL = "pages/next_word.py", "pages/fill_blank.py"

GLOSSARY: dict[str, Term] = {
    "Backpropagation through time (BPTT)": Term(
        "Backpropagation through the unrolled network: the chain rule applied "
        "from the loss back through every time step, one step at a time, down to "
        "the first. The same weights are used at every step, so a weight's "
        "gradient is the sum of its contributions from all the steps. Long texts "
        "are cut into windows and the gradient is sent back only inside each "
        "window (*truncated* BPTT).",
        LAB,
    ),
    "Bidirectional RNN": Term(
        "Two RNNs read the same sequence, one from left to right and one from "
        "right to left, and at each position their hidden states are put side by "
        "side (concatenated). The output at a position then depends on the words "
        "before it *and* after it. It needs the whole sequence in advance, so it "
        "cannot predict the next word while you type.",
        FILL,
    ),
    "Cell state": Term(
        r"The LSTM's second memory vector $c_t$, kept next to the hidden state "
        r"$h_t$. Each step scales it by the forget gate and adds new content: "
        r"$c_t = f_t \odot c_{t-1} + i_t \odot \tilde{c}_t$. On this path there is "
        "no matrix product, so going back one step multiplies the gradient only "
        r"by the forget gate $f_t$: it survives many steps while the gate stays "
        "near 1.",
        STEP,
    ),
    "Cross-entropy": Term(
        "The loss of every classifier and language model here: minus the natural "
        r"log of the probability the model gave to the right answer, "
        r"$-\log p(\text{right answer})$, averaged over the examples (or the "
        "words). It is 0 when the right answer gets probability 1 and grows "
        "without limit as that probability goes to 0.",
        LAB,
    ),
    "Decoder": Term(
        "In an encoder-decoder, the RNN that writes the output: it starts from "
        "the encoder's final hidden state and produces one token per step, "
        "feeding each token it wrote back in as its next input, until it writes "
        "an end-of-sequence token. So the decoder, not the input, decides how long "
        "the output is. In training it is fed the true previous token instead "
        "(*teacher forcing*).",
        SHAPES,
    ),
    "Dropout": Term(
        "A guard against overfitting, used only while training: each value of a "
        "layer is set to 0 at random with probability $p$ and the others are "
        r"multiplied by $1/(1-p)$, so the network cannot lean on any single unit. "
        "It is switched off when the model is used.",
    ),
    "Early stopping": Term(
        "Training stops once the loss on held-out validation data has not "
        "improved for a few epochs, and the weights of the best epoch are kept. "
        f"The trainer here waits {_DEFAULTS.patience} epochs unless a task sets "
        "another patience.",
    ),
    "Embedding": Term(
        "A learned table with one row of numbers (a vector) per vocabulary id. "
        "Looking up a token's row turns its id into the vector $x_t$ that the "
        "cell reads. The rows are trained with the rest of the network, so words "
        "used in similar ways tend to get similar vectors.",
        TEXT,
    ),
    "Encoder": Term(
        "In an encoder-decoder (sequence-to-sequence) model, the RNN that reads "
        "the whole input sequence; its final hidden state, one vector of numbers, "
        "is all the decoder receives. Input and output can then have different "
        "lengths, as in translation.",
        SHAPES,
    ),
    "Epoch": Term("One pass of training over all the training examples."),
    "Exploding gradient": Term(
        "The gradient grows exponentially as it travels back through the time "
        "steps, because the product of the step Jacobians stretches it. It is the "
        "gradient that explodes, not the weights: one huge gradient makes one huge "
        "update that can wreck weights that were fine. Gradient clipping is the "
        "usual cure.",
        LAB,
    ),
    "Gate": Term(
        "A vector of numbers between 0 and 1 (a sigmoid of a weighted sum of the "
        "input and the previous hidden state) that multiplies another vector "
        r"element by element ($\odot$), deciding how much of each value passes. "
        "An LSTM has a forget, an input and an output gate; a GRU has a reset and "
        "an update gate.",
        CELLS,
    ),
    "Gradient": Term(
        "For every weight, how fast the loss changes when that weight changes a "
        r"little: the partial derivative $\partial L / \partial w$. Training moves "
        "each weight a small step against its gradient, downhill on the loss "
        "(the models here use Adam, a variant of gradient descent).",
        LAB,
    ),
    "Gradient clipping": Term(
        "Capping the size of the gradient before a weight update while keeping "
        r"its direction: if its norm $\lVert g \rVert$ is above a threshold $c$, "
        r"it is scaled to $g \cdot c / \lVert g \rVert$. The trainer here clips "
        "the gradient of all the weights together (PyTorch's `clip_grad_norm_`, "
        f"threshold {_DEFAULTS.clip_norm:g} unless a task sets another). It tames "
        "exploding gradients; it cannot help a gradient that vanishes.",
        LAB,
    ),
    "GRU": Term(
        "Gated recurrent unit (Cho et al., 2014): a cell with two gates, reset "
        "$r_t$ and update $z_t$, and no separate cell state. This app uses "
        r"PyTorch's convention: the candidate is $n_t = \tanh(W_{in} x_t + b_{in} "
        r"+ r_t \odot (W_{hn} h_{t-1} + b_{hn}))$ and "
        r"$h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$, so $z_t$ near 1 keeps "
        "the old state. (Some texts swap the roles of $z_t$ and $1 - z_t$.)",
        CELLS,
    ),
    "Hidden state": Term(
        "The vector $h_t$ an RNN carries from one time step to the next: its "
        "summary of everything read so far. A plain RNN computes "
        r"$h_t = \tanh(W_{xh} x_t + W_{hh} h_{t-1} + b)$. Its size is fixed, so a "
        "long text has to fit in as many numbers as a short one.",
        STEP,
    ),
    "Jacobian": Term(
        "The matrix of all the partial derivatives of one vector with respect to "
        "another. For one step of a plain RNN, "
        r"$\partial h_t / \partial h_{t-1} = \mathrm{diag}(\tanh'(a_t))\,W_{hh}$, "
        "where $a_t$ is the step's input to $\\tanh$. Backpropagation through "
        "time multiplies the gradient by the transpose of one such matrix per "
        "step.",
        LAB,
    ),
    "Language model": Term(
        "A model that gives every word of its vocabulary a probability of coming "
        r"next, given the words so far: $p(w_t \mid w_1, \dots, w_{t-1})$. It is "
        "scored by its perplexity on text it never trained on.",
        KEYBOARD,
    ),
    "Loss": Term(
        "One number that says how wrong the model's outputs are on some "
        "examples; training changes the weights to make it smaller. The models "
        "here use the cross-entropy loss.",
        LAB,
    ),
    "LSTM": Term(
        "Long short-term memory (Hochreiter and Schmidhuber, 1997): a cell with a "
        "cell state and three gates (forget, input, output). It learns far longer "
        "dependencies than a plain RNN, though its gradient can still vanish when "
        "the forget gate stays below 1 for many steps.",
        CELLS,
    ),
    "Overfitting": Term(
        "A model fits its training examples, noise included, so closely that it "
        "does worse on new ones: the training loss keeps falling while the loss "
        "on held-out data rises. Dropout and early stopping guard against it.",
    ),
    "Parameter sharing": Term(
        "An RNN uses the same weights at every time step. So its number of "
        "parameters does not grow with the length of the text, it can read "
        "sequences of any length, and a pattern learned at one position is "
        "recognised at every position. Fewer parameters per amount of text can "
        "reduce overfitting, but sharing does not prevent it.",
    ),
    "Perplexity": Term(
        "How surprised a language model is by real text: the exponential of the "
        "mean cross-entropy per word, "
        r"$\exp\big(-\frac{1}{N}\sum_{t=1}^{N} \log p(w_t \mid w_{<t})\big)$. "
        "It is the inverse of the geometric mean of the probabilities the model "
        "gave to the true words: a perplexity of 100 means the true word got, on "
        "geometric average, probability 1/100, as if the model were choosing "
        "uniformly among 100 words. Lower is better.",
        KEYBOARD,
    ),
    "RNN": Term(
        "Recurrent neural network: a network that reads a sequence one element "
        "at a time and feeds its hidden state back in at the next step, with the "
        "same weights at every step.",
        STEP,
    ),
    "Sigmoid": Term(
        r"$\sigma(a) = 1 / (1 + e^{-a})$: squashes any number into (0, 1). Gates "
        "use it, so a gate value reads as *how much passes*.",
        CELLS,
    ),
    "Softmax": Term(
        "Turns a vector of scores $z$ (one per class, or one per word of the "
        r"vocabulary) into probabilities: $\mathrm{softmax}(z)_i = e^{z_i} / "
        r"\sum_j e^{z_j}$. Every result is positive, they add up to 1, and a "
        "higher score always gets a higher probability.",
        KEYBOARD,
    ),
    "tanh": Term(
        r"$\tanh(a) = (e^{a} - e^{-a}) / (e^{a} + e^{-a})$: squashes any number "
        "into (-1, 1). Its slope is 1 at 0 and close to 0 for large $|a|$ "
        "(*saturated*), which is one reason gradients vanish.",
        LAB,
    ),
    "Time step": Term(
        "One turn of the loop: the RNN reads one input $x_t$ (here usually one "
        "token) and updates its hidden state from $h_{t-1}$ to $h_t$. A sentence "
        "of $T$ tokens takes $T$ time steps.",
        STEP,
    ),
    "Token": Term(
        "One unit of text, read in one time step. Here a token is a lowercased "
        "word (“don't” stays one token), a number (“3.5”) or a single punctuation "
        "mark; the sentiment reader also reads emoji and emoticons such as “:)” "
        "as tokens. Spaces are not tokens.",
        TEXT,
    ),
    "Unrolling": Term(
        "Drawing (or computing) the loop as a chain, one copy of the cell per "
        "time step. The copies share one set of weights: unrolled over 10 tokens, "
        "an RNN is a 10-layer network whose layers are all the same cell.",
        STEP,
    ),
    "Vanishing gradient": Term(
        "The gradient that reaches early time steps is close to zero, because it "
        "was multiplied by many step Jacobians that shrink it; those early words "
        "then barely change the weights, so long-range patterns are not learned. "
        "For a plain RNN it is certain when the largest singular value of "
        "$W_{hh}$ times the largest slope of the activation is below 1 (Pascanu, "
        "Mikolov and Bengio, 2013).",
        LAB,
    ),
    "Vocabulary": Term(
        "The fixed list of tokens a model knows, each with a number, its *id*. "
        "It is built from the training text only. Any other token becomes the "
        "special token `<unk>` (unknown), so all unknown words look the same to "
        "the network.",
        TEXT,
    ),
}

_TITLES = {info.path: info.title for info in PAGES}


def definition(term: str) -> str:
    """A term's definition, for a `help=` tooltip on any page."""
    return GLOSSARY[term].definition


def render() -> None:
    """The glossary page: a search box, then every term in alphabetical order."""
    query = limited_text(
        st.text_input,
        "Find a term",
        key="glossary_find",
        limit=100,
        placeholder="e.g. gradient",
        bind="query-params",  # a teacher can share a link to one term
    )
    found = [
        name
        for name in sorted(GLOSSARY, key=str.lower)
        if query.strip().lower() in f"{name} {GLOSSARY[name].definition}".lower()
    ]
    if not found:
        st.info("No term matches that search: try a shorter word.")
    for name in found:
        _entry(name, GLOSSARY[name])


def _entry(name: str, term: Term) -> None:
    with st.container(border=True):
        st.markdown(f"**{name}**: {term.definition}")
        if term.page:
            st.page_link(
                term.page,
                label=f"See it at work: {_TITLES[term.page]}",
                icon=":material/arrow_forward:",
            )
