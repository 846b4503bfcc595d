"""segkit.features.bases: the bases clustered on by default (what the table has), the columns left
out of the clustering with their reasons (segmentation.exclude, outcomes, mostly missing, copies of
another feature) and the column a customer's value is read from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ConfigError, SegmentationError
from segkit.features import build_features
from segkit.features.bases import default_basis, select_features
from segkit.io import detect_roles, standardise_customers
from segkit.pipeline import Analysis
from segkit.report import sections
from tests.runs import analysis

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


def test_a_basis_the_table_does_not_have_names_the_bases_it_has():
    frame = pd.DataFrame({"ID": range(N), "Spend": RNG.gamma(2, 50, N), "Visits": RNG.poisson(4, N)})
    table, roles = _table(frame)
    with pytest.raises(SegmentationError, match=r"^segmentation.basis \['demographic'\] selects no feature; the "
                                                r"features are in the behavioural basis \(Spend, Visits\)$"):
        select_features(table, basis=["demographic"], calls=roles.columns)


def test_outcomes_and_campaign_history_are_never_a_default_basis():
    frame = pd.DataFrame({"ID": range(N), "Region": RNG.choice(["North", "South"], N),
                          "Churn": RNG.choice(["Yes", "No"], N), "AcceptedCmp1": RNG.integers(0, 2, N)})
    table, roles = _table(frame)
    assert set(table.bases.values()) == {"geographic", "outcome", "campaign"}
    assert default_basis(table) == ["geographic"]
    X, _ = select_features(table, features=["Region", "Churn"])  # asked for by name: clustered
    assert list(X.columns) == ["Region", "Churn"]


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


def test_features_that_repeat_another_for_everyone_are_left_out(one_order_each):
    # One order each: tenure is recency and the average order is the spend, so a segment of
    # early buyers is not "long-standing" and spend is not counted twice.
    run = one_order_each
    assert {"tenure_days", "avg_order_value"}.isdisjoint(run.X.columns)
    assert "Left out as the same as another feature for every customer: tenure_days (= recency_days), " \
           "avg_order_value (= monetary)." in run.notes
    assert {"tenure_days", "avg_order_value"}.isdisjoint(run.profile_.lift.columns)
    assert not any("long-standing" in name for name in run.names["name"])


def test_a_mostly_missing_column_is_profiled_not_clustered(tmp_path, rng):
    n = 300
    nps = rng.integers(0, 11, n).astype(float)
    nps[rng.random(n) < 0.95] = np.nan  # a survey answered by a few
    pd.DataFrame({"account_id": [f"{i:06d}" for i in range(n)], "seats": rng.integers(1, 400, n),
                  "logins_30d": rng.poisson(30, n), "nps_score": nps}).to_csv(tmp_path / "accounts.csv", index=False)
    run = analysis(tmp_path, customers="accounts.csv")
    run.segment()
    assert list(run.X.columns) == ["seats", "logins_30d"]
    assert "nps_score" in run.features.frame.columns  # still profiled
    assert any(note.startswith("Not clustered on, because missing for most customers (profiled only): nps_score (9")
               for note in run.notes)
    named = analysis(tmp_path, customers="accounts.csv")
    named.config["segmentation"]["features"] = ["seats", "nps_score"]
    named.segment()
    assert list(named.X.columns) == ["seats", "nps_score"]  # named by the analyst: clustered on


@pytest.mark.parametrize(
    ("spend", "value_col"),
    [({"MntWines": 1, "MntMeatProducts": 2, "MntGoldProds": 3}, "total_spend"),
     ({"TotalSpend": 1}, "TotalSpend"),
     ({}, None)],
    ids=["category spends are summed", "one spend column", "no spend"],
)
def test_a_customer_table_without_a_log_gets_its_value_from_spend_columns(tmp_path, rng, spend, value_col):
    n = 300
    table = pd.DataFrame({"ID": [f"c{i}" for i in range(n)], "Income": rng.normal(50_000, 15_000, n).round(),
                          "Kidhome": rng.integers(0, 3, n), "NumStorePurchases": rng.integers(0, 12, n)})
    for column, scale in spend.items():
        table[column] = rng.gamma(2.0, 100.0 * scale, n).round(2)
    table.to_csv(tmp_path / "customers.csv", index=False)
    run = Analysis({"data": {"customers": str(tmp_path / "customers.csv")},
                    "segmentation": {"n_bootstrap": 2, "k_max": 4}}, verbose=False)
    run.profile()
    assert run.profile_.value_col == value_col
    value = sections.value_table(run)
    if value_col is None:
        assert list(value.columns) == ["name", "customers"]
        return
    expected = table.set_index("ID")[list(spend)].sum(axis=1)
    revenue = expected.groupby(run.labels.reindex(expected.index).to_numpy()).sum()
    np.testing.assert_allclose(value["revenue"].to_numpy(), revenue.to_numpy())
    assert value["revenue_share"].sum() == pytest.approx(1.0)
    assert value_col not in run.X.columns or value_col == "TotalSpend"  # a derived total is not clustered on
    if value_col == "total_spend":
        assert any("total spend: the sum of wine spend, meat spend, gold spend" in n for n in run.notes)


@pytest.mark.parametrize("seed", range(6), ids=[f"wide-table-with-copies-{i}" for i in range(6)])
def test_copies_of_float_columns_found_in_blocks_are_those_found_one_by_one(seed, monkeypatch):
    """Readings, their copies (one with -0.0 for 0.0 and missing cells alike), whole numbers equal
    in value to a float column but typed apart, flags: the same copies, each with the same
    column it repeats, as hashing every column on its own finds."""
    from segkit.features import bases
    from tests.shapes import wide_table

    rng = np.random.default_rng(seed)
    frame = wide_table(rows=80, per_shape=2, seed=seed).drop(columns="customer_id")
    frame = frame[[c for c in frame.columns if frame[c].dtype != object and str(frame[c].dtype) != "str"]].copy()
    frame["copy_of_reading_0"] = frame["reading_0"]
    zeros = frame["zero_signs_0"]
    frame["copy_of_zero_signs_0"] = zeros.where(zeros != 0, 0.0)  # -0.0 written 0.0, NaN kept: equal to pandas
    frame["flag_as_float"] = frame["flag_0"].astype(float)
    frame["copy_of_flag_as_float"] = frame["flag_as_float"]
    frame = frame[list(rng.permutation(frame.columns))]
    in_blocks = bases.copies(frame)
    monkeypatch.setattr(bases, "_float_keys", lambda frame: {})
    assert in_blocks == bases.copies(frame)
    assert {"copy_of_reading_0", "copy_of_zero_signs_0", "copy_of_flag_as_float"} <= {*in_blocks, *in_blocks.values()}
