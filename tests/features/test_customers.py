"""segkit.features.customers: customer-table features and their bases; levels tidied, ordered scales
made ordinal, birth dates and years made ages."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from segkit.features import customers
from segkit.features.customers import customer_features
from segkit.io import detect_roles, read_table, standardise_customers


def test_a_birth_date_becomes_an_age(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("cust_no,DateOfBirth,Sex\n1,02/06/1980,M\n2,01/06/1980,F\n3,15/03/1890,F\n4,,M\n")
    table = standardise_customers(read_table(path))
    roles = detect_roles(read_table(path), kind="customers")
    assert roles.demographics == ["DateOfBirth", "Sex"]
    features, bases = customer_features(table, roles, reference_date="2020-06-01")
    assert "DateOfBirth_days" not in features.columns and bases["age"] == "demographic"
    assert features["age"].tolist()[:2] == [39.0, 40.0]
    assert features["age"].iloc[2:].isna().all()  # born 1890: impossible, set to missing like a birth year


def test_levels_differing_in_case_or_spaces_are_one_level():
    table = pd.DataFrame({"customer_id": [str(i) for i in range(8)],
                          "region": ["North", "north ", "South", "NORTH", "South", "North", " South", "north"],
                          "tier": ["Gold", "GOLD", "Silver", "Gold", "Silver", "Bronze", "Bronze", "Gold"]})
    X, _ = customer_features(table, SimpleNamespace(geography=["region"], behaviour=["tier"]), rare_share=0)
    assert X["region"].value_counts().to_dict() == {"North": 5, "South": 3}
    assert X["tier"].value_counts().to_dict() == {"Gold": 4, "Silver": 2, "Bronze": 2}


def test_gender_written_four_ways_is_two_levels():
    values = pd.Series(["M", "male", "Male ", "m", "F", "female", "Female", "f", None])
    assert customers.tidy_levels(values).value_counts().to_dict() == {"Male": 4, "Female": 4}
    assert customers.tidy_levels(pd.Series(["M", "F", "M"])).tolist() == ["M", "F", "M"]  # one spelling each: kept
