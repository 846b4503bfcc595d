"""segkit.features.transactions: purchase-log features (recency, orders, spend, tenure, returns,
shares) computed with DuckDB, checked on hand-built logs with exact values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.runs import analysis


def test_refunds_are_netted_and_give_a_return_rate(tmp_path):
    rng = np.random.default_rng(3)
    n = 600
    pd.DataFrame({
        "customerID": [f"CU{i}" for i in rng.integers(0, 80, n)],
        "OrderDate": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 600, n), unit="D"))
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "qty": rng.integers(1, 4, n), "unit_price": rng.gamma(2, 20, n).round(2),
        "type": np.where(rng.random(n) < 0.1, "refund", "sale"),
    }).to_csv(tmp_path / "log.csv", index=False)
    run = analysis(tmp_path, transactions="log.csv")
    features = run.build_features()
    assert features.cleaning["negative_quantities"].rows == int((pd.read_csv(tmp_path / "log.csv")["type"]
                                                                 == "refund").sum())
    assert features.frame["return_rate"].max() > 0
