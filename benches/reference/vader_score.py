"""The Python reference for `stancemeter score --raw`: VADER over a JSONL corpus, one CSV row per text.

    python vader_score.py corpus.jsonl > scores.csv
"""
import csv
import json
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

analyzer = SentimentIntensityAnalyzer()
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["id", "neg", "neu", "pos", "compound"])
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        rec = json.loads(line)
        s = analyzer.polarity_scores(rec["body"])
        w.writerow([rec["id"], s["neg"], s["neu"], s["pos"], s["compound"]])
