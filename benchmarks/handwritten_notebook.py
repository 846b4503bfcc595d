"""The hand-written pandas + scikit-learn notebook that ``bench_end_to_end.py`` races segkit against.

This is what an analyst writes by hand for the same question, cell by cell (here as one
script so it runs in its own process, like ``segkit report``)::

    .venv/bin/python benchmarks/handwritten_notebook.py LOG_FOLDER OUT_FOLDER

It reads the purchase log (a Parquet file or folder) into pandas, computes RFM per customer
(recency in days, distinct orders, net revenue), scales ``log1p`` RFM, fits scikit-learn
KMeans with ``n_init=10`` for k = 2..8, picks k by the silhouette on a 10,000-customer
sample, prints the profile means of each segment, draws three seaborn figures (segment
sizes, revenue by segment, recency against frequency on a sample) and writes
``OUT_FOLDER/labels.csv`` (``customer_id, segment``) and ``OUT_FOLDER/result.json`` (k,
silhouettes, stage seconds).

It does far less than segkit: no validation, data-quality report, cleaning log, stability,
names, value, targeting or HTML report.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import silhouette_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

K_RANGE = range(2, 9)
SILHOUETTE_SAMPLE = 10_000
SCATTER_SAMPLE = 20_000


def rfm_table(log: pd.DataFrame) -> pd.DataFrame:
    """Recency (days), frequency (distinct orders) and monetary (net revenue) per customer."""
    log = log.dropna(subset=["customer_id"]).drop_duplicates()
    log = log.assign(amount=log["quantity"] * log["unit_price"])
    snapshot = log["order_date"].max() + pd.Timedelta(days=1)
    orders = log[~log["invoice"].str.startswith("C")]
    rfm = pd.DataFrame({
        "recency": (snapshot - log.groupby("customer_id")["order_date"].max()).dt.days,
        "frequency": orders.groupby("customer_id")["invoice"].nunique(),
        "monetary": log.groupby("customer_id")["amount"].sum(),
    })
    return rfm.fillna({"frequency": 0})


def choose_k(x: np.ndarray) -> tuple[int, np.ndarray, dict[int, float]]:
    """KMeans for every k in K_RANGE; the k with the best sampled silhouette, and its labels."""
    scores, labels = {}, {}
    for k in K_RANGE:
        model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x)
        labels[k] = model.labels_
        scores[k] = float(silhouette_score(x, model.labels_, sample_size=SILHOUETTE_SAMPLE, random_state=0))
        print(f"k={k}: silhouette {scores[k]:.3f}")
    best = max(scores, key=scores.get)
    return best, labels[best], scores


def figures(rfm: pd.DataFrame, out: Path) -> None:
    """Three seaborn figures: segment sizes, revenue by segment, recency against frequency."""
    fig, ax = plt.subplots(figsize=(6, 4))
    sns.countplot(data=rfm, x="segment", ax=ax)
    fig.savefig(out / "sizes.png", dpi=100)
    fig, ax = plt.subplots(figsize=(6, 4))
    sns.boxplot(data=rfm, x="segment", y="monetary", showfliers=False, ax=ax)
    fig.savefig(out / "monetary.png", dpi=100)
    fig, ax = plt.subplots(figsize=(6, 4))
    sample = rfm.sample(min(SCATTER_SAMPLE, len(rfm)), random_state=0)
    sns.scatterplot(data=sample, x="recency", y="frequency", hue="segment", s=5, ax=ax)
    fig.savefig(out / "rfm.png", dpi=100)
    plt.close("all")


def main(log_path: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    seconds, start = {}, time.perf_counter()
    log = pd.read_parquet(log_path)
    seconds["read"] = time.perf_counter() - start
    rfm = rfm_table(log)
    del log
    seconds["rfm"] = time.perf_counter() - start - sum(seconds.values())
    x = StandardScaler().fit_transform(np.log1p(rfm[["recency", "frequency", "monetary"]].clip(lower=0)))
    k, labels, scores = choose_k(x)
    seconds["kmeans"] = time.perf_counter() - start - sum(seconds.values())
    rfm["segment"] = labels
    print(rfm.groupby("segment").mean().round(1))
    figures(rfm, out)
    seconds["profile_figures"] = time.perf_counter() - start - sum(seconds.values())
    rfm[["segment"]].to_csv(out / "labels.csv", index_label="customer_id")
    (out / "result.json").write_text(json.dumps({"k": k, "silhouette": scores, "seconds": seconds}, indent=2),
                                     encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(Path(sys.argv[1]), Path(sys.argv[2]))
