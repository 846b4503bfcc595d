"""segkit.features.bases: the bases clustered on by default, the columns left out of the clustering
(mostly missing, copies of another feature) and the column a customer's value is read from."""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.report import sections
from tests.runs import analysis


def test_one_behavioural_column_is_clustered_with_the_demographics(tmp_path, rng):
    n = 200
    pd.DataFrame({
        "CustomerID": np.arange(1, n + 1), "Gender": rng.choice(["Male", "Female"], n),
        "Age": rng.integers(18, 70, n), "Annual Income (k$)": rng.integers(15, 137, n),
        "Spending Score (1-100)": rng.integers(1, 100, n),
    }).to_csv(tmp_path / "mall.csv", index=False)
    run = analysis(tmp_path, customers="mall.csv")
    run.segment()
    assert list(run.X.columns) == ["Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
    # One feature asked for by name still gets a two-axis segment map.
    run = analysis(tmp_path, customers="mall.csv", set_f="segmentation.features=[Age]")
    run.segment()
    assert sections.embedding(run).shape == (n, 2)
