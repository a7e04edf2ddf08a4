"""The home page: what a recurrent neural network is, in pictures and numbers."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from engine.errors import EngineError
from engine.models import shared_vs_unshared_parameters
from engine.tasks import demo
from engine.text import detokenize, written_tokens
from playground import charts, diagrams
from playground.charts import OKABE_ITO
from playground.models import demo_model
from playground.navigation import GLOSSARY, PAGES
from playground.palette import COLOUR_WORDS
from playground.shell import HOME, kept_query
from playground.widgets import limited_text

SEED_SENTENCE = "The cat sat on the mat"
# The article this playground follows, titled as published (its "CNN" is a slip).
SEED_TITLE = "What are Recurrent Neural Networks (CNN)? Unlocking Sequences"
LONG_TEXT = 100  # words: the longest text in the parameter chart
# the parameter chart's two lines, as in the step-through page's sharing chart
SHARING_COLOURS = {"RNN": OKABE_ITO["blue"], "Feed-forward": OKABE_ITO["orange"]}


def render_home() -> None:
    st.title("RNN Playground")
    st.markdown(
        "See how **recurrent neural networks** read, remember and predict: every "
        "model here is a real network, trained on real text, and every number you "
        "see is what it actually computes."
    )
    st.markdown(
        f"This page is step 1 of a {len(PAGES) + 1}-step path, listed at the "
        "bottom in the same order as the menu. Every page ends with a link to the "
        "next one, and every term is defined in the "
        f"{GLOSSARY.title.lower()}."
    )
    _why_sequences()
    _hidden_state()
    _unrolled()
    _shared_weights()
    _memory_demo()
    _other_accounts()
    _path_steps()


def _why_sequences() -> None:
    st.header("Why a network needs memory")
    st.markdown(
        f"""
Language, speech, music and sensor readings arrive **in order**, and the order
carries meaning. In *"{SEED_SENTENCE}"*, understanding *"sat on the mat"* needs
the earlier words *"The cat"*: they say **who** sat.

A plain feed-forward network sees one fixed-size input and forgets it as soon as
it has answered. A **recurrent neural network (RNN)** reads a sequence one item at
a time and carries a summary of everything so far to the next step. That summary
is the **hidden state**.
"""
    )


def _hidden_state() -> None:
    st.header("The hidden state: a loop that remembers")
    left, right = st.columns(2)
    with left:
        st.subheader("Feed-forward")
        st.graphviz_chart(diagrams.feed_forward())
        st.caption("Input goes straight through the layers; nothing is kept.")
    with right:
        st.subheader("Recurrent")
        st.graphviz_chart(diagrams.folded_rnn())
        st.caption("The hidden state h loops back: it is an input at the next step.")
    st.markdown("At each step *t* the cell mixes the new word with its memory:")
    st.latex(r"h_t = \tanh\left(W_{xh}\,x_t + W_{hh}\,h_{t-1} + b\right)")
    st.markdown(
        "$x_t$ is the word at step $t$ (as a vector of numbers), $h_{t-1}$ is the "
        "memory so far, and $\\tanh$ squashes the result into (-1, 1). An output "
        "can be read off at any step; to predict the next word it is a probability "
        "for every word in the vocabulary, "
        "$y_t = \\mathrm{softmax}(W_{hy}\\,h_t + b_y)$."
    )


def _unrolled() -> None:
    st.header("Unroll the loop")
    st.markdown(
        "Drawing one copy of the cell per word *unrolls* the loop in time. It is "
        "still **one** cell: every column uses the same weights."
    )
    text = limited_text(
        st.text_input,
        "Your sentence",
        SEED_SENTENCE,
        limit=500,
        key="home_sentence",
        bind="query-params",
    )
    words = written_tokens(text)  # as typed: "I", not "i"
    if not words:
        st.info("Type a sentence with at least one word to unroll the network.")
        return
    if len(words) > diagrams.MAX_UNROLLED_STEPS:
        st.caption(
            f"Showing the first {diagrams.MAX_UNROLLED_STEPS} of {len(words)} tokens."
        )
    st.graphviz_chart(diagrams.unrolled_rnn(words), width="stretch")
    shown = words[: diagrams.MAX_UNROLLED_STEPS]
    st.caption(
        f"Reading “{detokenize(shown)}”: h{len(shown)} has seen every word; "
        f"h1 has seen only “{shown[0]}”."
    )


def _shared_weights() -> None:
    st.header("One set of weights, shared by every step")
    st.markdown(
        "Because the same $W_{xh}$, $W_{hh}$ and $b$ are reused at every step, an "
        "RNN has the same number of parameters for a 3-word text as for a "
        "3,000-word one, and what it learns about a word at position 2 also "
        "applies at position 200. A feed-forward layer that reads all the words "
        "at once needs separate weights for every position."
    )
    left, right = st.columns(2)
    embed = left.select_slider("Word vector size", [8, 16, 32, 64, 128, 256], 64)
    hidden = right.select_slider("Hidden state size", [8, 16, 32, 64, 128, 256], 128)
    charts.show(
        lambda: _parameters_chart(embed, hidden),
        key=("home.parameters", embed, hidden),
        width="stretch",
    )
    st.caption(
        parameters_look_for(embed, hidden)
        + " Counted on real PyTorch layers: `nn.RNN(word size, hidden size)` "
        "against `nn.Linear(words × word size, hidden size)`."
    )
    st.markdown(
        "Long sequences have a price. To learn from an early word, training sends "
        "the gradient back through every step in between, and each step "
        "multiplies it by $W_{hh}^\\top$ and by the slope of $\\tanh$ at that step "
        "(at most 1, and near 0 where $\\tanh$ is saturated). Over many steps this "
        "long product can shrink **the gradient** (not the weights themselves) "
        "towards zero (*vanishing*) or make it grow out of control (*exploding*). "
        "The root cause is depth in time, not sharing: a deep feed-forward network "
        "multiplies its gradient once per layer and can vanish the same way. "
        "Sharing makes every factor use the same matrix $W_{hh}$ (without the "
        "slopes the product would be a power of it, $(W_{hh}^\\top)^k$), so its "
        "largest singular value matters at every step. LSTM and GRU cells add a "
        "path on which each step multiplies the gradient by a gate between 0 and 1 "
        "instead of a matrix: with the gate near 1 it shrinks only a little at "
        "each step (it still shrinks unless the gate is exactly 1)."
    )
    _sharing_and_overfitting(embed, hidden)


def parameters_look_for(embed: int, hidden: int) -> str:
    """What to look for in the parameter chart, counted for the chosen sizes."""
    rows = shared_vs_unshared_parameters(embed, hidden, [*range(1, LONG_TEXT + 1)])
    shared, longest = rows[0]["rnn"], rows[-1]["feed_forward"]
    rnn, feed = (COLOUR_WORDS[SHARING_COLOURS[n]] for n in ("RNN", "Feed-forward"))
    passes = next((r["length"] for r in rows if r["feed_forward"] > r["rnn"]), None)
    if passes is None:
        where = f"It stays below the RNN's up to {LONG_TEXT} words"
    elif passes == 1:
        where = "It is above the RNN's from the first word"
    else:  # shorter texts: the RNN pays for W_hh, the feed-forward layer does not
        where = (
            f"It passes the RNN's at {passes} words (on fewer, the RNN's own W_hh "
            "makes it the larger)"
        )
    per_word = rows[1]["feed_forward"] - rows[0]["feed_forward"]
    return (
        f"Look at the two lines: the RNN's ({rnn}) stays flat at {shared:,} "
        f"parameters however long the text; the feed-forward layer's ({feed}) "
        f"climbs with every word. {where}, and at {LONG_TEXT} words it needs "
        f"{longest:,}, {longest / shared:.0f} times as many. The axis is a log "
        f"scale, each grid line ten times the one below: the {feed} line bends "
        f"only because of it, as it grows by the "
        f"same {per_word:,} parameters with every word."
    )


def _sharing_and_overfitting(embed: int, hidden: int) -> None:
    (row,) = shared_vs_unshared_parameters(embed, hidden, [LONG_TEXT])
    st.subheader("Overfitting and parameter sharing")
    st.markdown(
        "Sharing buys three things. The same few weights work at every time step, "
        "so the number of parameters does not grow with the length of the text: "
        f"with the sizes chosen above, the RNN layer has {row['rnn']:,} parameters "
        f"whether it reads 1 word or {LONG_TEXT}, where a feed-forward layer "
        f"reading {LONG_TEXT} words at once needs {row['feed_forward']:,}. The "
        "network can read sequences of any length, even longer than any it was "
        "trained on. And a pattern learned at one position is recognised at "
        "every position."
    )
    st.markdown(
        "*Overfitting* is learning the training examples, noise included, so "
        "closely that the model does worse on text it has never seen. Fewer "
        "parameters for the same amount of text can reduce overfitting, but "
        "sharing does not prevent it: with a large hidden state an RNN still has "
        "plenty of weights to memorise its training text. So the bigger models "
        "here still use the usual guards: the keyboard, the sentiment reader and "
        "the fill-the-blank reader are trained with **dropout**, and with "
        "**early stopping**: training watches the loss on held-out validation "
        "text, keeps the weights from the epoch where it was lowest, and stops "
        "once it no longer improves."
    )


def _memory_demo() -> None:
    st.header("Memory you can test")
    st.markdown(
        "This small LSTM was trained on one job: read a stream of letters "
        f"(a to {'abcdefghijklmnopqrstuvwxyz'[demo.N_SYMBOLS - 1]}) and, at the end, "
        "say which letter came **first**. Everything after the first letter is a "
        "distraction, so the answer must survive in the hidden state across the "
        "whole stream."
    )
    text = limited_text(
        st.text_input,
        "Letters",
        "c a f b e d d a b f",
        limit=1_000,
        key="home_letters",
        bind="query-params",
    )
    try:
        model, checkpoint = demo_model()
        result = demo.recall(model, checkpoint.vocab, text)
    except EngineError as error:
        st.warning(str(error))
        return
    best = result["ranked"][0]
    st.metric(
        f"After reading {result['length']} letters, it recalls",
        best["symbol"],
        f"{best['probability']:.0%} sure",
        delta_color="off",
        delta_arrow="off",
    )
    verdict = "right" if result["correct"] else "wrong"
    st.caption(
        f"The first letter was “{result['first']}”: the network is {verdict}. "
        f"It was trained on streams of up to {demo.TRAIN_LENGTHS[1]} letters; "
        "try a longer one."
    )


def _other_accounts() -> None:
    st.header("If you have read about RNNs elsewhere")
    st.markdown(
        f"""
This playground follows a beginner's blog post, *{SEED_TITLE}*. Some of its
claims, and some you will meet in other introductions, need care:

- **RNN, not CNN.** The post's title says CNN, but a convolutional neural network
  (CNN) is another family: it slides one small filter across an image or a
  sequence and carries no hidden state from step to step. Everything here is
  about RNNs.
- **The gradients explode, not the weights.** What grows or shrinks
  exponentially is the gradient sent back through many time steps: each step
  multiplies it by the transpose of $W_{{hh}}$ and by the slope of $\\tanh$, so
  what matters is the whole matrix $W_{{hh}}$ (its largest singular value) and
  those slopes, not single weights above 1. The weights change only by the
  updates training makes; an exploding gradient does its damage through one
  huge update.
- **ChatGPT is a Transformer, not an RNN.** The post opens with it, but in a
  Transformer each word looks directly at all the words before it (attention)
  instead of receiving them through a hidden state passed from word to word.
  Before Transformers (2017), RNNs, LSTMs above all, were widely used for speech
  recognition, machine translation and keyboard suggestions.
- **One to one is not a sequence.** With one input and one output the loop
  never turns: it is an ordinary feed-forward network (the RNN shapes page runs
  one), and images are usually classified by CNNs.
"""
    )


def _path_steps() -> None:
    """The guided path as numbered steps: Home, then PAGES in menu order."""
    st.header("The path, step by step")
    st.markdown(
        "Each step uses what the steps before it taught. Follow them in order, "
        "or jump to any page from the menu."
    )
    cols = st.columns(3)  # numbered, so the order reads right in rows
    with cols[0].container(border=True):
        st.markdown(f"**1 · {HOME[0]}** (you are here)")
        st.caption(
            "What an RNN is: the hidden state, the loop unrolled, shared weights "
            "and a memory you can test."
        )
    for number, info in enumerate(PAGES, start=2):
        with cols[(number - 1) % 3].container(border=True):
            st.page_link(
                info.path,
                label=f"{number} · {info.title}",
                icon=info.icon,
                query_params=kept_query(),
            )
            st.caption(info.blurb)


def _parameters_chart(embed: int, hidden: int) -> alt.Chart:
    rows = shared_vs_unshared_parameters(
        embed, hidden, [1, 2, 5, 10, 20, 50, LONG_TEXT]
    )
    table = pd.DataFrame(rows).rename(
        columns={"length": "words", "rnn": "RNN", "feed_forward": "Feed-forward"}
    )
    long = table.melt("words", var_name="network", value_name="parameters")
    return (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("words:Q", title="Words in the input"),
            y=alt.Y(
                "parameters:Q",
                title="Parameters",
                scale=alt.Scale(type="log"),
                # one tick per power of ten: what a log axis is read by
                axis=alt.Axis(values=[10**k for k in range(1, 9)], format=","),
            ),
            color=alt.Color(
                "network:N",
                scale=alt.Scale(
                    domain=list(SHARING_COLOURS), range=list(SHARING_COLOURS.values())
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=["network", "words", alt.Tooltip("parameters:Q", format=",")],
        )
        .properties(height=280)
    )
