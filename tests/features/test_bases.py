"""segkit.features.bases: the default basis uses what the table has, segmentation.exclude leaves
columns out, and every column left out has its reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ConfigError, SegmentationError
from segkit.features import build_features
from segkit.features.bases import default_basis, select_features
from segkit.io import detect_roles, standardise_customers

RNG = np.random.default_rng(3)
N = 200


def _table(frame: pd.DataFrame):
    roles = detect_roles(frame, kind="customers")
    return build_features(customers=standardise_customers(frame, roles), roles=roles, reference_year=2024), roles


def test_a_table_of_coded_bands_is_clustered_on_all_of_them():
    frame = pd.DataFrame({
        "household_key": range(N), "AGE_DESC": RNG.choice(["19-24", "25-34", "35-44", "45-54", "55-64", "65+"], N),
        "MARITAL_STATUS_CODE": RNG.choice(["A", "B", "U"], N),
        "INCOME_DESC": RNG.choice(["Under 15K", "15-24K", "25-34K", "35-49K", "50-74K", "150K+"], N),
        "HOMEOWNER_DESC": RNG.choice(["Homeowner", "Renter", "Probable Owner", "Unknown"], N),
        "HH_COMP_DESC": RNG.choice(["2 Adults Kids", "2 Adults No Kids", "Single Female", "Unknown"], N),
        "HOUSEHOLD_SIZE_DESC": RNG.choice(["1", "2", "3", "4", "5+"], N),
        "KID_CATEGORY_DESC": RNG.choice(["None/Unknown", "1", "2", "3+"], N),
    })
    table, roles = _table(frame)
    assert default_basis(table) == ["demographic"]
    X, chosen = select_features(table, calls=roles.columns)
    assert list(X.columns) == [c for c in frame.columns if c != "household_key"]
    assert chosen.left_out == {"household_key": "the customer id"}
    assert table.kinds["KID_CATEGORY_DESC"] == "ordinal" and table.kinds["MARITAL_STATUS_CODE"] == "code"


def test_a_survey_with_one_behaviour_column_adds_its_demographics_and_never_its_label():
    frame = pd.DataFrame({"ID": range(N), "Gender": RNG.choice(["Male", "Female"], N), "Age": RNG.integers(18, 80, N),
                          "Profession": RNG.choice(["Artist", "Doctor", "Lawyer", "Engineer"], N),
                          "Spending_Score": RNG.choice(["Low", "Average", "High"], N),
                          "Segmentation": RNG.choice(list("ABCD"), N)})
    table, roles = _table(frame)
    X, chosen = select_features(table, calls=roles.columns)
    assert list(X.columns) == ["Gender", "Age", "Profession", "Spending_Score"]
    assert chosen.basis == ["behavioural", "demographic"] and chosen.left_out["Segmentation"] == "an outcome"
    assert any("Segmentation" in note for note in chosen.notes)


def test_exclude_leaves_out_a_feature_or_the_column_it_comes_from():
    frame = pd.DataFrame({"ID": range(N), "Year_Birth": RNG.integers(1950, 2000, N), "Spend": RNG.gamma(2, 50, N),
                          "Visits": RNG.poisson(4, N), "Signup": pd.date_range("2020-01-01", periods=N).astype(str)})
    table, roles = _table(frame)
    X, chosen = select_features(table, basis=["behavioural", "demographic"], exclude=["Year_Birth", "Visits"])
    assert list(X.columns) == ["Spend"] and chosen.left_out["age"] == chosen.left_out["Visits"] == "excluded"
    with pytest.raises(ConfigError, match=r"segmentation.exclude: 'Vists' is not a feature .*did you mean 'Visits'"):
        select_features(table, exclude=["Vists"])
    with pytest.raises(SegmentationError, match="nothing left to cluster on"):
        select_features(table, basis=["behavioural"], exclude=["Spend", "Visits"])


def test_outcomes_and_campaign_history_are_never_a_default_basis():
    frame = pd.DataFrame({"ID": range(N), "Region": RNG.choice(["North", "South"], N),
                          "Churn": RNG.choice(["Yes", "No"], N), "AcceptedCmp1": RNG.integers(0, 2, N)})
    table, roles = _table(frame)
    assert set(table.bases.values()) == {"geographic", "outcome", "campaign"}
    assert default_basis(table) == ["geographic"]
    X, _ = select_features(table, features=["Region", "Churn"])  # asked for by name: clustered
    assert list(X.columns) == ["Region", "Churn"]
