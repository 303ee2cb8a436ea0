"""What a user would write instead of stancemeter: pandas + vaderSentiment + matplotlib, small and fair.

    python pandas_pipeline.py corpus.jsonl OUTDIR

Reads the JSONL corpus (id, parent_id, author, created_utc, body), scores each text with VADER, gives it a
keyword stance toward Xiaomi, writes the scored units and three group-bys as CSV, and draws two charts.
It does much less than `stancemeter run` (no sentences, cues, negation, entities, threads, intervals or
report), so the comparison flatters it.
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
df = pd.read_json(src, lines=True, dtype={"id": str, "parent_id": str, "author": str})
analyzer = SentimentIntensityAnalyzer()
df = pd.concat([df, pd.DataFrame([analyzer.polarity_scores(t) for t in df["body"]])], axis=1)
favor = df["body"].str.contains(r"\b(?:let (?:them|xiaomi) in|can't wait|welcome|bring (?:them|it))\b", case=False)
against = df["body"].str.contains(r"\b(?:ban|block|keep (?:them|it) out|spy|spying|stay out)\b", case=False)
df["stance"] = np.select([favor & ~against, against & ~favor], ["favor", "against"], "none")
df["sentiment"] = np.select([df["compound"] >= 0.05, df["compound"] <= -0.05], ["positive", "negative"], "neutral")
df["date"] = pd.to_datetime(df["created_utc"], unit="s").dt.date
df.drop(columns=["body"]).to_csv(os.path.join(out, "units.csv"), index=False)
for key in ("stance", "author", "date"):
    g = df.groupby(key).agg(units=("id", "size"), mean_compound=("compound", "mean"))
    g.to_csv(os.path.join(out, f"by_{key}.csv"))
df["compound"].plot.hist(bins=20, title="Compound")
plt.savefig(os.path.join(out, "compound.png"))
plt.close()
df["stance"].value_counts().plot.bar(title="Stance toward Xiaomi")
plt.savefig(os.path.join(out, "stance.png"))
plt.close()
