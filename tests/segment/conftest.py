"""Fixtures shared by the segment package's tests: a fitted survey model and the marketing campaign's
spend and category columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.segment import Segmenter
from tests.shapes import seven_point


@pytest.fixture(scope="module")
def likert_fit():
    """Three segments answering three questions on a 7-point agreement scale, plus spend, fitted."""
    X, _ = seven_point(1, n=100)
    X["spend"] = np.random.default_rng(1).gamma(2.0, 50.0, len(X))
    return X, Segmenter(n_segments=3, n_bootstrap=0).fit(X)


@pytest.fixture(scope="module")
def marketing(shared_data):
    table = pd.read_csv(shared_data / "marketing_campaign" / "marketing_campaign.csv", sep="\t")
    columns = ["MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts",
               "MntGoldProds", "Education", "Marital_Status"]
    return table.set_index(table["ID"].astype(str).rename("customer_id"))[columns]
