"""Fixtures shared by the features package's tests: a small purchase log with every cleaning case,
and a customer table with the customer-table cleaning cases."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from tests.shapes import make_log


@pytest.fixture
def small_log() -> pd.DataFrame:
    """A: two orders and a return; B: one order written twice; C: a return only; one anonymous line."""
    return make_log(
        [
            ("A", "2024-01-01 09:00", 10.0, "1"),
            ("A", "2024-01-01 09:00", 5.0, "1"),
            ("A", "2024-01-11 14:30", 20.0, "2"),
            ("A", "2024-01-12 10:00", -5.0, "C3"),
            ("B", "2024-01-05 12:00", 8.0, "4"),
            ("B", "2024-01-05 12:00", 8.0, "4"),
            (None, "2024-01-06 08:00", 100.0, "5"),
            ("C", "2024-01-08 16:00", -4.0, "C9"),
        ]
    )


@pytest.fixture
def customer_table() -> tuple[pd.DataFrame, SimpleNamespace]:
    n = 60
    table = pd.DataFrame(
        {
            "customer_id": pd.array([str(i) for i in range(1, n + 1)], dtype="string"),
            "Year_Birth": [1960 + i % 30 for i in range(n)],
            "Income": [40000.0 + 500 * i for i in range(n)],
            "Kidhome": [i % 2 for i in range(n)],
            "Teenhome": [i % 3 == 0 for i in range(n)],
            "Marital_Status": pd.array(["Married"] * 30 + ["Single"] * 29 + ["YOLO"], dtype="string"),
            "Country": pd.array(["SP"] * 40 + ["CA"] * 20, dtype="string"),
            "MntWines": list(range(n)),
            "Device": pd.array(["ios", "android"] * 30, dtype="string"),
            "AcceptedCmp1": pd.array([1, 0, 0] * 20, dtype="Int8"),
            "Response": pd.array([1, 1, 0, 0] * 15, dtype="Int8"),
            "Z_CostContact": [3] * n,
        }
    )
    table.loc[0, "Year_Birth"] = 1893
    table.loc[1, "Income"] = 666666.0
    table.loc[2, "MntWines"] = -4
    roles = SimpleNamespace(
        customer_id="customer_id",
        demographics=["Year_Birth", "Income", "Kidhome", "Teenhome", "Marital_Status"],
        geography=["Country"],
        behaviour=["MntWines"],
        technographics=["Device"],
        campaigns=["AcceptedCmp1", "Response"],
        constants=["Z_CostContact"],
    )
    return table, roles
