"""segkit.features.customers: customer-table features and their bases; each column becomes what its
kind says, whatever its type; levels tidied, ordered scales made ordinal, birth dates and years made ages."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from segkit import io as sio
from segkit.exceptions import ColumnError
from segkit.features import build_features, customers
from segkit.features.customers import customer_features
from segkit.io import detect_roles, read_table, standardise_customers
from segkit.segment import Segmenter
from tests.shapes import AGREE

RNG = np.random.default_rng(5)
N = 200


def test_features_follow_the_kinds():
    frame = pd.DataFrame({
        "id": range(N), "Channel": RNG.choice([1, 2], N), "Region": RNG.choice([1, 2, 3], N),
        "Seat comfort": RNG.integers(0, 6, N), "Cleanliness": RNG.integers(0, 6, N), "day": RNG.integers(1, 32, N),
        "Partner": RNG.choice(["Yes", "No"], N), "SeniorCitizen": RNG.choice([0, 1], N),
        "Contract": RNG.choice(["Month-to-month", "One year"], N), "Churn": RNG.choice(["Sì", "No"], N),
        "spend": RNG.gamma(2, 40, N).round(2),
    })
    roles = detect_roles(frame, kind="customers")
    table = build_features(customers=standardise_customers(frame, roles), roles=roles, reference_year=2024)
    X = table.frame
    assert X["Channel"].dtype == "category" and not X["Channel"].cat.ordered
    assert list(X["Channel"].cat.categories) == ["1", "2"]
    assert X["Seat comfort"].cat.ordered and list(X["Seat comfort"].cat.categories) == list("012345")
    assert X["day"].cat.ordered and len(X["day"].cat.categories) == 31
    assert set(X["Partner"].dropna()) <= {0, 1} and set(X["SeniorCitizen"].dropna()) <= {0, 1}
    assert table.bases["Churn"] == "outcome" and set(X["Churn"].dropna()) <= {0, 1}
    assert table.kinds == {"Channel": "code", "Region": "code", "Seat comfort": "ordinal", "Cleanliness": "ordinal",
                           "day": "ordinal", "Partner": "flag", "SeniorCitizen": "flag", "Contract": "code",
                           "Churn": "flag", "spend": "money"}


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


def test_customer_table_text_becomes_ordered_categories_with_every_level_kept():
    n = 200
    rng = np.random.default_rng(4)
    table = pd.DataFrame({
        "customer_id": [str(i) for i in range(n)],
        # one "Strongly disagree" in 200 would be pooled as Other in an unordered column
        "Recommend": ["strongly agree "] + ["Strongly agree"] * 59 + ["Agree"] * 90 + ["Neutral"] * 48
                     + ["Strongly disagree"] + [None],
        "Visits": rng.choice(["Never", "Sometimes", "Often"], n),
        "AgeBand": rng.choice(["18-24", "25-34", "65+"], n),
        "City": rng.choice(["Leeds", "York", "Bath"], n),
        "Score": rng.integers(1, 6, n),
    })
    roles = SimpleNamespace(demographics=["AgeBand"], geography=["City"],
                            psychographics=["Recommend", "Visits", "Score"])
    X, bases = customers.customer_features(table, roles, reference_year=2024)
    recommend = X["Recommend"]
    assert recommend.dtype == pd.CategoricalDtype(["Strongly disagree", "Neutral", "Agree", "Strongly agree"],
                                                  ordered=True)
    assert recommend.value_counts(sort=False).tolist() == [1, 48, 90, 60] and recommend.isna().sum() == 1
    assert X["Visits"].cat.categories.tolist() == ["Never", "Sometimes", "Often"] and X["Visits"].cat.ordered
    assert X["AgeBand"].cat.categories.tolist() == ["18-24", "25-34", "65+"] and X["AgeBand"].cat.ordered
    assert not X["City"].cat.ordered  # unordered, as before
    assert pd.api.types.is_integer_dtype(X["Score"])  # 1-5 numbers stay numbers
    assert bases["Recommend"] == "psychographic"

    seg = Segmenter(n_segments=2, n_bootstrap=0).fit(X)
    assert list(seg.ordinal_features_) == ["AgeBand", "Recommend", "Visits"]
    assert seg.categorical_features_ == ["City"]


def test_an_ordered_categorical_given_keeps_its_own_order():
    order = ["Gold", "Silver", "Bronze"]  # deliberately not the tier scale's order
    table = pd.DataFrame({"customer_id": ["1", "2", "3", "4"],
                          "Tier": pd.Categorical(["Gold", "Bronze", "Silver", "Gold"], categories=order, ordered=True)})
    X, _ = customers.customer_features(table, SimpleNamespace(behaviour=["Tier"]), reference_year=2024)
    assert X["Tier"].cat.categories.tolist() == order and X["Tier"].cat.ordered


def test_yes_no_answers_stay_a_flag(tmp_path):
    rng = np.random.default_rng(0)
    pd.DataFrame({"ID": range(60), "Newsletter": rng.choice(["Yes", "No"], 60),
                  "Recommend": rng.choice(AGREE, 60), "Spend": rng.gamma(2.0, 50.0, 60).round(2)}
                 ).to_csv(tmp_path / "c.csv", index=False)
    raw = sio.read_table(tmp_path / "c.csv")
    roles = sio.detect_roles(raw, kind="customers")
    X, _ = customers.customer_features(sio.standardise_customers(raw, roles), roles, reference_year=2024)
    assert pd.api.types.is_numeric_dtype(X["Newsletter"]) and set(X["Newsletter"].dropna()) == {0, 1}
    assert X["Recommend"].cat.ordered and X["Recommend"].cat.categories.tolist() == AGREE


def test_customer_features_bases_and_derived(customer_table):
    table, roles = customer_table
    X, bases = customer_features(table, roles, reference_year=2014)
    assert X.index.name == "customer_id" and X.index.dtype == "string" and len(X) == 60
    assert "Year_Birth" not in X and "Z_CostContact" not in X
    assert X.loc["2", "age"] == 2014 - 1961 and pd.isna(X.loc["1", "age"])
    assert pd.isna(X.loc["2", "Income"])  # the 666666 outlier
    assert X.loc["1", "children"] == 1 and X.loc["1", "household_size"] == 3  # married, kid + teen
    assert X["Marital_Status"].cat.categories.tolist() == ["Married", "Single", "Other"]  # YOLO: 1 of 60 < 2%
    assert X.loc["1", "campaigns_accepted"] == 2 and X.loc["3", "any_accepted"] == 0
    assert bases == {
        "age": "demographic", "Income": "demographic", "Kidhome": "demographic", "Teenhome": "demographic",
        "Marital_Status": "demographic", "children": "demographic", "household_size": "demographic",
        "Country": "geographic", "MntWines": "behavioural", "Device": "technographic",
        "AcceptedCmp1": "campaign", "Response": "campaign", "campaigns_accepted": "campaign",
        "any_accepted": "campaign",
    }


def test_customer_features_missing_role_column(customer_table):
    table, roles = customer_table
    roles.behaviour = ["MntWine"]
    with pytest.raises(ColumnError, match=r"'MntWine' \(role behaviour\) is missing; close matches: \['MntWines'\]"):
        customer_features(table, roles)


@pytest.mark.parametrize("sep", [";", "|", ", "], ids=["semicolon", "pipe", "comma-space-google-forms"])
@pytest.mark.parametrize("n_options", [2, 5, 12], ids=["two-options", "five-options", "twelve-options"])
def test_a_multi_select_answer_becomes_one_yes_no_column_per_option(sep, n_options):
    from segkit.features.customers import option_flags
    from segkit.io import detect_roles

    rng = np.random.default_rng(n_options)
    options = [f"Option {chr(65 + i)}" for i in range(n_options)]
    chosen = rng.random((300, n_options)) < 0.4
    chosen[:n_options, :] = np.eye(n_options, dtype=bool)  # every option chosen alone once
    chosen[n_options, :2] = True                           # and two together
    answers = [sep.join(o for o, c in zip(options, row) if c) or None for row in chosen]
    table = pd.DataFrame({"id": range(300), "Which apply?": answers})
    assert detect_roles(table, kind="customers").columns["Which apply?"].kind == "options"
    flags = option_flags(table["Which apply?"])
    assert set(flags) == set(options)
    for j, option in enumerate(options):
        answered = pd.Series(answers).notna()
        assert (flags[option][answered].astype(int).to_numpy() == chosen[answered.to_numpy(), j]).all()
        assert flags[option][~answered].isna().all()


@pytest.mark.parametrize("values", [
    ["Quality, then price", "Price, mostly", "Brand", "The staff, the music, the light"] * 5,
    ["a;b", "c;d", "e;f", "g;h"] * 1,
], ids=["prose-with-commas", "pairs-never-repeated"])
def test_text_with_separators_that_is_no_multi_select_stays_text(values):
    from segkit.io.content import multi_select

    assert multi_select(pd.Series(values)) == (None, ())


def test_an_option_column_of_a_surveymonkey_export_is_a_yes_no_feature():
    from segkit.features.build import build_features
    from segkit.io import detect_roles, standardise_customers

    table = pd.DataFrame({"id": range(6), "Apps - TikTok": ["TikTok", None, "TikTok", None, None, "TikTok"],
                          "Apps - Signal": [None, "Signal", None, None, "Signal", None],
                          "Age": [20, 31, 42, 25, 37, 50]})
    roles = detect_roles(table, kind="customers")
    assert roles.columns["Apps - TikTok"].kind == "options" and "Apps - TikTok" not in roles.constants
    frame = build_features(customers=standardise_customers(table, roles), roles=roles).frame
    assert frame["TikTok"].tolist() == [1, 0, 1, 0, 0, 1] and frame["Signal"].sum() == 2
