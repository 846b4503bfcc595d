"""Fixtures shared by the value package's tests: a hand-built log and CDNOW's weekly RFM summary."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.value import rfm_summary


@pytest.fixture
def log():
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "c", "c"],
            "date": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 17:00", "2024-01-15", "2024-01-29",
                                    "2024-01-08", "2024-01-22", "2024-02-20"], format="ISO8601"),
            "amount": [10.0, 5.0, 20.0, 40.0, 7.0, 3.0, 1.0],
        }
    )


@pytest.fixture(scope="module")
def cdnow_summary(shared_data):
    path = shared_data / "cdnow" / "CDNOW_master.txt"
    transactions = pd.read_csv(path, sep=r"\s+")
    return rfm_summary(transactions, amount_col="dollar_value", observation_end="1997-09-30", freq="W")
