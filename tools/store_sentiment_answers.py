"""Store the shipped sentiment models' answers for every test tweet (the page's
"test tweets it gets wrong" reads them instead of computing them on a first visit):

    python tools/store_sentiment_answers.py

Run it after retraining either model; tests/test_sentiment.py checks the stored
answers are those of the shipped checkpoints.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.checkpoints import default_path  # noqa: E402
from engine.tasks import sentiment  # noqa: E402

if __name__ == "__main__":
    shipped = default_path(sentiment.NAME)
    print(sentiment.store_test_tweet_answers([shipped, sentiment.bi_path(shipped)]))
