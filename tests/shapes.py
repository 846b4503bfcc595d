"""Small tables in the shapes of real data, shared by the tests of several modules."""

from __future__ import annotations

import numpy as np
import pandas as pd


def crm_export(n_per_group: int = 60, seed: int = 6) -> pd.DataFrame:
    """A CRM export: web shoppers buy little, store customers more, phone customers most."""
    rng = np.random.default_rng(seed)
    groups = np.repeat([0, 1, 2], n_per_group)
    n = len(groups)
    return pd.DataFrame({
        "CustomerID": [f"C{1000 + i}" for i in range(n)],
        "Age": rng.normal(np.array([30, 45, 60])[groups], 4).round().astype(int),
        "Region": rng.choice(["North", "South", "East", "West"], n),
        "Channel": np.array(["web", "store", "phone"])[groups],
        "OrdersLastYear": rng.poisson(np.array([2, 6, 14])[groups]),
        "SpendLastYear": rng.gamma(4, np.array([30, 150, 500])[groups]).round(2),
        "Responded": (rng.random(n) < np.array([0.05, 0.15, 0.4])[groups]).astype(int),
    })


def two_segments(n: int = 40) -> pd.Series:
    """Labels of customers ``c0`` .. ``c{n-1}``: the first half in segment 0, the second in segment 1."""
    return pd.Series([0] * (n // 2) + [1] * (n // 2), index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"),
                     name="segment")
