"""segkit.features.clean.customers: the customer-table cleaning rules (birth years, ages, income
outliers, negative values) and the limits a report keeps for scoring."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from segkit.features.clean import clean_customers


def test_impossible_ages_are_set_to_missing():
    table = pd.DataFrame({"customer_id": list("abcde"), "Age": [0, 34, 150, 67, 18],
                          "account_age": [0, 3, 5, 1, 2]})
    cleaned, log = clean_customers(table, SimpleNamespace(demographics=["Age"], behaviour=["account_age"]))
    assert cleaned["Age"].isna().tolist() == [True, False, True, False, False]
    assert cleaned["account_age"].tolist() == [0, 3, 5, 1, 2]
    assert log["impossible_ages"].rows == 2 and log["impossible_ages"].column == "Age"


def test_overdrawn_balances_and_signed_metrics_keep_their_negative_values(rng):
    n = 200
    table = pd.DataFrame({"customer_id": [str(i) for i in range(n)],
                          "balance": rng.normal(500, 2000, n).round(2),  # overdrafts: about 40% negative
                          "trend_score": rng.normal(0, 1, n),
                          "visits": np.r_[-3, rng.integers(0, 20, n - 1)]})  # one typo
    roles = SimpleNamespace(behaviour=["balance", "trend_score", "visits"])
    cleaned, log = clean_customers(table, roles)
    assert cleaned["balance"].notna().all() and cleaned["trend_score"].notna().all()
    assert cleaned["visits"].isna().sum() == 1 and log["negative_values"].rows == 1


def test_a_column_the_report_let_be_negative_stays_negative_for_a_customer_alone():
    points = [-5.0] * 10 + [float(v) for v in range(1, 91)]  # 10% negative: part of the scale
    table = pd.DataFrame({"customer_id": [f"c{i}" for i in range(100)], "LoyaltyPoints": points})
    cleaned, log = clean_customers(table)
    assert cleaned["LoyaltyPoints"].isna().sum() == 0 and log.thresholds["negative_values"] == []
    alone, _ = clean_customers(table.iloc[[0]], thresholds=log.thresholds)
    assert alone["LoyaltyPoints"].tolist() == [-5.0]
    assert clean_customers(table.iloc[[0]])[0]["LoyaltyPoints"].isna().tolist() == [True]  # its own rule


def test_clean_customers_rules(customer_table):
    table, roles = customer_table
    clean, log = clean_customers(table, roles, reference_year=2014)
    assert pd.isna(clean.loc[0, "Year_Birth"]) and pd.isna(clean.loc[1, "Income"]) and pd.isna(clean.loc[2, "MntWines"])
    assert clean["Income"].notna().sum() == 59  # ordinary incomes (up to 69,500) untouched
    assert log["impossible_birth_years"].rows == 1 and log["income_outliers"].rows == 1
    assert log["impossible_birth_years"].column == "Year_Birth"
    capped, _ = clean_customers(table, roles, rules={"income_outliers": "cap"}, reference_year=2014)
    assert 69500 < capped.loc[1, "Income"] < 666666
    assert table.loc[1, "Income"] == 666666.0  # the input is not modified
