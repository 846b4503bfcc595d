"""Benchmark: do segkit's segments agree with planted segments at least as well as plain k-means?

Run by hand (not part of the tests)::

    .venv/bin/python benchmarks/bench_fit_quality.py                       # 100k and 800k customers
    .venv/bin/python benchmarks/bench_fit_quality.py --customers 100_000   # one size

A seeded purchase log with five planted segments (each its own order rate, recency window and
order value; one line per order, about five orders per customer) is summarised by segkit's
DuckDB feature step (``recency_days``, ``frequency``, ``monetary``, ...). On those features:

* ``baseline``: scikit-learn ``KMeans(n_clusters=5, n_init=10)`` on log1p-scaled, standardised
  recency, frequency and monetary (the issue's comparison);
* ``segkit k=5``: ``Segmenter(n_segments=5)`` on the same three features (fit quality at the
  planted k: sample fit, full-data refinement);
* ``segkit auto``: ``Segmenter()`` choosing k itself.

The adjusted Rand index (ARI) of each against the planted segments is written to
``benchmarks/results/fit_quality.md``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from keep_notes import write_results

from segkit.features import transaction_features  # noqa: E402
from segkit.segment import Segmenter  # noqa: E402

SNAPSHOT = "2025-01-01"
DAYS = 730
#: Planted segments: share of customers, mean extra orders, days since their last activity
#: window ends (recent .. lapsed), log mean order value.
PLANTED = [
    {"share": 0.10, "orders": 12.0, "lapse": (0, 30), "value": 4.6},     # champions
    {"share": 0.20, "orders": 5.0, "lapse": (0, 90), "value": 3.6},      # loyal
    {"share": 0.25, "orders": 1.0, "lapse": (0, 60), "value": 3.2},      # new
    {"share": 0.25, "orders": 3.0, "lapse": (200, 400), "value": 3.5},   # at risk
    {"share": 0.20, "orders": 0.3, "lapse": (400, 700), "value": 2.8},   # lost
]
FEATURES = ["recency_days", "frequency", "monetary"]


def planted_log(customers: int, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """One line per order; the planted segment of every customer."""
    rng = np.random.default_rng(seed)
    shares = np.array([p["share"] for p in PLANTED])
    truth = rng.choice(len(PLANTED), size=customers, p=shares / shares.sum())
    orders = 1 + rng.poisson(np.array([p["orders"] for p in PLANTED])[truth])
    lapse = np.array([p["lapse"] for p in PLANTED], dtype=float)
    last = rng.uniform(lapse[truth, 0], lapse[truth, 1])  # days before the snapshot
    owner = np.repeat(np.arange(customers), orders)
    # the last order at `last`, earlier ones spread over the rest of the two years
    first = np.r_[0, np.cumsum(orders)[:-1]]
    is_last = np.zeros(len(owner), dtype=bool)
    is_last[first + orders - 1] = True
    days = np.where(is_last, last[owner], last[owner] + rng.uniform(0, 1, len(owner)) * (DAYS - last[owner]))
    value = np.exp(rng.normal(np.array([p["value"] for p in PLANTED])[truth][owner], 0.5))
    ids = pd.Series(owner + 1_000_000).astype(str)
    log = pd.DataFrame({
        "customer_id": ids,
        "date": pd.Timestamp(SNAPSHOT) - pd.to_timedelta(np.floor(days) + 1, unit="D"),
        "amount": np.round(value, 2),
        "invoice": pd.Series(np.arange(len(owner)) + 5_000_000).astype(str),
    })
    index = pd.Index((np.arange(customers) + 1_000_000).astype(str), name="customer_id")
    return log, pd.Series(truth, index=index, name="planted")


def run(customers: int) -> dict:
    log, truth = planted_log(customers)
    started = time.perf_counter()
    features = transaction_features(log, snapshot_date=SNAPSHOT)
    feature_seconds = time.perf_counter() - started
    X = features[FEATURES]
    y = truth.reindex(X.index.astype(str)).to_numpy()
    out = {"customers": customers, "lines": len(log), "feature_seconds": feature_seconds}

    started = time.perf_counter()
    Z = StandardScaler().fit_transform(np.log1p(X.clip(lower=0)))
    baseline = KMeans(n_clusters=len(PLANTED), n_init=10, random_state=0).fit(Z)
    out["baseline"] = (adjusted_rand_score(y, baseline.labels_), time.perf_counter() - started, len(PLANTED))
    for name, params in (("segkit k=5", {"n_segments": len(PLANTED)}), ("segkit auto", {})):
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seg = Segmenter(**params).fit(X)
        out[name] = (adjusted_rand_score(y, seg.labels_), time.perf_counter() - started, seg.n_segments_)
        print(customers, name, out[name], flush=True)
    print(customers, "baseline", out["baseline"], flush=True)
    return out


def write(results: list[dict], path: Path) -> None:
    lines = ["# Fit quality: segkit against plain k-means on planted segments", "",
             f"`benchmarks/bench_fit_quality.py`; five planted segments in a seeded purchase log, features from "
             f"segkit's DuckDB step; {platform.machine()}, Python {platform.python_version()}.", "",
             "| customers | order lines | contender | k | ARI vs planted | seconds |", "|---:|---:|---|---:|---:|---:|"]
    for r in results:
        for name in ("baseline", "segkit k=5", "segkit auto"):
            ari, seconds, k = r[name]
            label = "KMeans(n_init=10), log-scaled RFM" if name == "baseline" else name
            lines.append(f"| {r['customers']:,} | {r['lines']:,} | {label} | {k} | {ari:.3f} | {seconds:.1f} |")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_results(path, "\n".join(lines) + "\n")
    print(f"wrote {path}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=lambda s: int(s.replace("_", "")), nargs="*",
                        default=[100_000, 800_000])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "fit_quality.md")
    args = parser.parse_args(argv)
    write([run(n) for n in args.customers], args.out)


if __name__ == "__main__":
    main()
