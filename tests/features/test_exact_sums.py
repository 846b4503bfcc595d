"""Purchase-log sums are exact, so the same log gives the same features in every run."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from segkit.features import transaction_features


def _log(rng: np.random.Generator, n_lines: int = 200_000, n_customers: int = 40) -> pd.DataFrame:
    """Lines whose float sum depends on the order they are added in: amounts of very different
    sizes (cents beside millions, with refunds that cancel the millions)."""
    big = rng.choice([1e7, 3e6, 5e5], size=n_lines)
    amount = np.where(rng.random(n_lines) < 0.5, big, -big) + rng.integers(1, 10_000, n_lines) / 100
    return pd.DataFrame({
        "customer_id": pd.array(rng.integers(0, n_customers, n_lines).astype(str), dtype="string"),
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n_lines), unit="D"),
        "amount": amount,
        "invoice": pd.array(np.arange(n_lines).astype(str), dtype="string"),
        "channel": pd.array(rng.choice(["web", "app", "store"], n_lines), dtype="string"),
    })


def test_monetary_is_the_exact_sum_of_a_customers_lines(rng):
    log = _log(rng)
    features = transaction_features(log, snapshot_date="2025-01-01")
    exact = log.groupby("customer_id")["amount"].agg(lambda a: float(sum(Decimal(repr(x)) for x in a)))
    pd.testing.assert_series_equal(features["monetary"], exact.reindex(features.index), check_names=False,
                                   rtol=0, atol=0)


def test_the_same_log_gives_the_same_features_every_time(rng):
    log = _log(rng)
    first = transaction_features(log, snapshot_date="2025-01-01")
    for _ in range(4):
        pd.testing.assert_frame_equal(transaction_features(log, snapshot_date="2025-01-01"), first, rtol=0, atol=0)
