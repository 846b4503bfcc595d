"""segkit.profile.naming: plain-language labels of columns and names of segments from their traits.

Over many generated profiles, every name of a run is unique, says no word twice ("Regular
regulars"), names one concept once ("Occasional infrequent customers"), and carries no codes
(no "#3", no bare "L2")."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ConfigError
from segkit.profile import humanise, name_segments, profile_segments
from segkit.profile.naming import name_words


def test_labels_keep_accented_letters():
    assert humanise("Dépenses épicerie") == "dépenses épicerie"
    assert humanise("Âge") == "age" and humanise("Revenu annuel") == "income"
    assert humanise("Visits per month") == "visits" and humanise("NumWebVisitsMonth") == "web visits"


def _profile(features: dict, labels: list[int]):
    idx = pd.Index([str(i) for i in range(len(labels))], name="customer_id")
    return profile_segments(pd.DataFrame(features, index=idx), pd.Series(labels, index=idx, name="segment"),
                            min_cell_size=0)


def test_yes_no_features_are_named_and_described_as_shares():
    names = name_segments(_profile({"PaperlessBilling": [1] * 30 + [0] * 30 + [1] * 10 + [0] * 10,
                                    "tenure": [10.0, 12.0] * 15 + [11.0, 13.0] * 15 + [11.0, 12.0] * 10},
                                   [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("Paperless-billing")
    assert names.loc[1, "name"].startswith("Non-paperless-billing")
    assert names.loc[0, "description"].startswith("Paperless billing: 100% vs 50% overall")


def test_a_segment_of_one_customer_without_traits_is_named():
    # One customer: no spread, so no standardised effect and no trait to name it by.
    names = name_segments(_profile({"spend": [10.0, 12.0, 11.0, 13.0, 50.0]}, [0, 0, 0, 0, 1]),
                          kinds={"spend": "money"})
    assert names.loc[1, "name"].startswith("Customers") and names["name"].is_unique


def test_one_off_only_for_customers_with_about_one_order():
    freq = [1.0] * 20 + [4.0, 5.0] * 10 + [12.0, 13.0] * 10  # 6 orders on average
    names = name_segments(_profile({"frequency": freq}, [0] * 20 + [1] * 20 + [2] * 20))
    assert names["name"].tolist() == ["One-off customers", "Infrequent customers", "Regulars"]


def test_weak_second_traits_do_not_name_a_segment():
    # Segment 0 spends less; its orders are the same as everyone's: it is not "low-orders".
    spend = [50.0, 60.0] * 20 + [150.0, 160.0] * 20
    orders = [5.0, 6.0, 5.0, 6.0] * 10 + [5.0, 6.0, 6.0, 5.0] * 10
    names = name_segments(_profile({"spend_last_year": spend, "orders_last_year": orders}, [0] * 40 + [1] * 40))
    assert names.loc[0, "name"] == "Light spenders"


def test_is_and_has_flags_are_named_as_nouns():
    flags = [1] * 30 + [0] * 30 + [1, 0] * 10
    spend = [10.0, 12.0] * 15 + [11.0, 13.0] * 15 + [11.0, 12.0] * 10
    names = name_segments(_profile({"IsMember": flags, "spend": spend}, [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("Member") and names.loc[1, "name"].startswith("Non-member")
    names = name_segments(_profile({"HasPet": flags, "spend": spend}, [0] * 30 + [1] * 30 + [2] * 20))
    assert names.loc[0, "name"].startswith("With-pet") and names.loc[1, "name"].startswith("Without-pet")


def test_abbreviated_column_names_are_written_out():
    assert [humanise(c) for c in ("amt", "qty", "txn_count", "TotalSpend", "Spend [€]")] == [
        "amount", "quantity", "transaction count", "spend", "spend"]


def _planted(rng, wine_or_web="wine"):
    """Three planted segments of 60: rich wine buyers, lapsed big spenders, recent frequent buyers."""
    n = 60
    idx = pd.Index([f"c{i:03d}" for i in range(3 * n)], name="customer_id")
    noise = lambda scale: rng.normal(0, scale, 3 * n)  # noqa: E731
    income = np.r_[np.full(n, 90_000.0), np.full(n, 50_000.0), np.full(n, 48_000.0)] + noise(3000)
    wine = np.r_[np.full(n, 900.0), np.full(n, 100.0), np.full(n, 110.0)] + noise(20)
    web = np.r_[np.full(n, 4.0), np.full(n, 4.0), np.full(n, 4.0)] + noise(0.5)
    if wine_or_web == "web":
        wine = np.full(3 * n, 300.0) + noise(20)
        web = np.r_[np.full(n, 12.0), np.full(n, 4.0), np.full(n, 4.0)] + noise(0.5)
    recency = np.r_[np.full(n, 60.0), np.full(n, 300.0), np.full(n, 10.0)] + noise(5)
    monetary = np.r_[np.full(n, 1500.0), np.full(n, 3000.0), np.full(n, 600.0)] + noise(100)
    frequency = np.r_[np.full(n, 5.0), np.full(n, 6.0), np.full(n, 5.5)] + noise(1)
    features = pd.DataFrame({"Income": income, "MntWines": wine, "NumWebPurchases": web, "recency_days": recency,
                             "monetary": monetary, "frequency": frequency}, index=idx)
    labels = pd.Series(np.repeat([0, 1, 2], n), index=idx, name="segment")
    return features, labels


def test_names_are_short_unique_and_from_traits(rng):
    features, labels = _planted(rng)
    names = name_segments(profile_segments(features, labels))
    assert list(names.columns) == ["name", "description"] and names.index.name == "segment"
    assert names["name"].is_unique
    assert all(len(n.split()) <= 5 for n in names["name"])
    assert names.loc[0, "name"] == "High-income wine buyers"
    assert names.loc[1, "name"] == "Lapsed big spenders"
    assert names.loc[2, "name"].startswith("Recent")
    description = names.loc[0, "description"]
    assert description.startswith("Wine spend") and "x the average" in description and description.endswith(".")
    assert any(ch.isdigit() for ch in description)


def test_names_change_when_traits_change(rng):
    features, labels = _planted(rng, "wine")
    before = name_segments(profile_segments(features, labels))
    features_web, labels_web = _planted(np.random.default_rng(1), "web")
    after = name_segments(profile_segments(features_web, labels_web))
    assert before.loc[0, "name"] != after.loc[0, "name"]
    assert "web" in after.loc[0, "name"].lower() and "wine" not in after.loc[0, "name"].lower()
    assert before.loc[1, "name"] == after.loc[1, "name"]  # the unchanged segment keeps its name


def test_duplicate_names_are_disambiguated_and_overrides_win(rng):
    n = 40
    idx = pd.Index([f"c{i:03d}" for i in range(3 * n)], name="customer_id")
    income = np.r_[np.full(2 * n, 90.0), np.full(n, 30.0)] + rng.normal(0, 3, 3 * n)
    features = pd.DataFrame({"Income": income}, index=idx)
    labels = pd.Series(np.repeat([0, 1, 2], n), index=idx, name="segment")
    profile = profile_segments(features, labels)
    names = name_segments(profile)
    assert names["name"].is_unique
    # segments 0 and 1 are alike in every feature: no level word tells them apart, the ids do
    assert names["name"].tolist()[:2] == ["High-income customers (segment 0)", "High-income customers (segment 1)"]
    overridden = name_segments(profile, overrides={"1": "Affluent twins", 2: "Budget"})
    assert overridden["name"].tolist() == ["High-income customers", "Affluent twins", "Budget"]
    with pytest.raises(ConfigError, match="segment 7"):
        name_segments(profile, overrides={7: "Ghost"})


def test_a_generated_name_that_is_a_users_name_is_told_apart_and_the_users_name_is_kept(rng):
    n = 40
    idx = pd.Index([f"c{i:03d}" for i in range(3 * n)], name="customer_id")
    features = pd.DataFrame({"Income": np.r_[np.full(2 * n, 90.0), np.full(n, 30.0)] + rng.normal(0, 3, 3 * n),
                             "visits": np.r_[np.full(n, 2.0), np.full(n, 12.0), np.full(n, 6.0)]
                             + rng.normal(0, 0.5, 3 * n)}, index=idx)
    labels = pd.Series(np.repeat([0, 1, 2], n), index=idx, name="segment")
    profile = profile_segments(features, labels)
    generated = name_segments(profile)["name"]
    names = name_segments(profile, overrides={2: generated[0]})["name"]
    assert names[2] == generated[0] and names.is_unique and names[0].startswith(generated[0])
    assert names[1] == generated[1]  # a name that clashes with nothing is left alone
    alike = name_segments(profile_segments(features[["Income"]], labels), overrides={1: "High-income customers"})["name"]
    # nothing but the id tells segment 0 from segment 1, whose name the user gave: only 0 takes it
    assert alike.tolist() == ["High-income customers (segment 0)", "High-income customers", "Low-income customers"]


def test_names_from_purchase_log_features():
    """share_<column>_<value> and RFM features get readable words; one trait per concept."""
    rng = np.random.default_rng(5)
    n = 50
    idx = pd.Index([f"c{i:03d}" for i in range(2 * n)], name="customer_id")
    features = pd.DataFrame({
        "share_channel_store": np.r_[np.full(n, 0.9), np.full(n, 0.1)] + rng.normal(0, 0.02, 2 * n),
        "monetary": np.r_[np.full(n, 3000.0), np.full(n, 500.0)] + rng.normal(0, 50, 2 * n),
        "kids_home": np.r_[np.full(n, 0.2), np.full(n, 2.0)] + rng.normal(0, 0.1, 2 * n),
        "children": np.r_[np.full(n, 0.2), np.full(n, 2.0)] + rng.normal(0, 0.1, 2 * n),
        "share_category_home": np.r_[np.full(n, 0.1), np.full(n, 0.7)] + rng.normal(0, 0.01, 2 * n),
    }, index=idx)
    labels = pd.Series(np.repeat([0, 1], n), index=idx, name="segment")
    names = name_segments(profile_segments(features, labels))
    assert names.loc[0, "name"] in {"High-spend store shoppers", "Store-channel big spenders"}
    assert "homeware buyers" in names.loc[1, "name"]
    assert names.loc[1, "description"].count("children at home") == 1


def test_suppressed_segment_gets_a_neutral_name(small_table):
    features, labels, bases = small_table
    names = name_segments(profile_segments(features, labels, bases=bases, min_cell_size=10))
    assert names.loc[2, "name"] == "Small segment 2"
    assert "suppressed" in names.loc[2, "description"]
    assert "200" not in names.loc[2, "description"]


@pytest.mark.parametrize(
    ("column", "label"),
    [("MntWines", "wine spend"), ("NumWebPurchases", "web purchases"), ("recency_days", "days since last purchase"),
     ("monetary", "spend"), ("frequency", "orders"), ("Income", "income"), ("share_channel_web", "web channel share"),
     ("Kidhome", "children at home"), ("AvgSessionLength", "avg session length"),
     ("Spending Score (1-100)", "spending score")],
)
def test_humanise(column, label):
    assert humanise(column) == label


def test_children_total_and_young_children_read_differently():
    from segkit.profile import humanise

    assert humanise("Kidhome") == "children at home"
    assert humanise("children") == "children (all ages)"


def test_an_answer_level_is_named_with_its_question():
    """'Strongly disagree customers' says nothing; the name must carry the question."""
    idx = pd.Index([f"c{i}" for i in range(120)], name="customer_id")
    answers = ["Strongly disagree"] * 45 + ["Agree"] * 15 + ["Agree"] * 45 + ["Strongly disagree"] * 15
    features = pd.DataFrame({"Would recommend": answers}, index=idx)
    labels = pd.Series([0] * 60 + [1] * 60, index=idx, name="segment")
    names = name_segments(profile_segments(features, labels))["name"].tolist()
    assert names == ["Would-recommend-strongly-disagree customers", "Would-recommend-agree customers"]
    # a level that describes itself stays alone
    education = pd.DataFrame({"Education": ["PhD"] * 60 + ["Basic"] * 60}, index=idx)
    assert name_segments(profile_segments(education, labels))["name"].tolist() == [
        "PhD customers", "Basic-education customers"]


NUMERIC = ["recency_days", "frequency", "monetary", "avg_days_between_orders", "avg_order_value", "tenure_days",
           "return_rate", "Income", "Kidhome", "Teenhome", "Year_Birth", "NumWebPurchases", "NumStorePurchases",
           "MntWines", "MntGoldProds", "work_experience", "low_work_experience", "purchases_frequency",
           "purchases_installments_frequency", "oneoff_purchases_frequency", "share_channel_web",
           "share_channel_store", "Age", "visits", "web_visits", "CreditLimit", "balance", "SpendingScore", "clv"]
CATEGORIES = {"Education": ["Graduation", "PhD", "Master", "Basic", "2n Cycle"], "plan": ["L1", "L2", "L3"],
              "region": ["A", "B", "C", "D"], "Satisfaction": ["1", "2", "3", "4", "5"],
              "Marital_Status": ["Married", "Single", "Together", "Divorced"], "member": ["yes", "no"]}
#: Words that name the same concept: a name uses at most one of each group.
SAME_CONCEPT = [{"regular", "regulars", "frequent", "infrequent", "occasional", "one"}]
SEEDS = range(60)


def generated_profile(seed):
    """k = 2..8 segments over 2-8 numeric features (names segkit knows and names it does not,
    some holding 'low' or 'frequency' themselves) and up to two categories, some coded."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 9))
    n = int(rng.integers(40, 120)) * k
    labels = rng.integers(0, k, n)
    data = {}
    for column in rng.choice(NUMERIC, size=int(rng.integers(2, 9)), replace=False):
        values = np.abs(rng.normal(50, 15, n) + 15 * rng.normal(0, 1.5, k)[labels])
        data[column] = np.clip(values / 100, 0, 1) if column.startswith("share_") else (
            np.round(values) if rng.random() < 0.5 else values)
    for column in rng.choice(list(CATEGORIES), size=int(rng.integers(0, 3)), replace=False):
        levels = np.array(CATEGORIES[column])
        modal = rng.integers(0, len(levels), k)
        data[column] = np.where(rng.random(n) < 0.7, levels[modal[labels]], rng.choice(levels, n))
    index = pd.Index([f"c{i}" for i in range(n)], name="customer_id")
    return pd.DataFrame(data, index=index), pd.Series(labels, index=index, name="segment")


@pytest.fixture(scope="module")
def generated_names():
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in SEEDS:
            features, labels = generated_profile(seed)
            out[seed] = name_segments(profile_segments(features, labels, min_cell_size=10))["name"].tolist()
    return out


def test_names_are_unique_within_a_run(generated_names):
    clashes = {s: names for s, names in generated_names.items() if len({n.lower() for n in names}) < len(names)}
    assert not clashes


@pytest.mark.parametrize("name", ["Family families", "Regular regulars", "Buying buyers"])
def test_a_word_and_its_plural_count_as_one_word_said_twice(name):
    words = name_words(name)
    assert len(set(words)) < len(words)


def test_no_name_says_a_word_twice(generated_names):
    repeats = [n for names in generated_names.values() for n in names if len(set(name_words(n))) < len(name_words(n))]
    assert not repeats


def test_no_name_names_one_concept_twice(generated_names):
    twice = [n for names in generated_names.values() for n in names for group in SAME_CONCEPT
             if len(group & {w.lower() for w in re.split(r"[\s,\-]+", n)}) > 1]
    assert not twice


def test_names_stay_unique_and_users_names_stay_when_a_user_takes_a_generated_name():
    # each run's segment 0 is given the name the namer gave its last segment
    broken = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in SEEDS[:30]:
            features, labels = generated_profile(seed)
            profile = profile_segments(features, labels, min_cell_size=10)
            generated = name_segments(profile)["name"]
            names = name_segments(profile, overrides={0: generated.iloc[-1]})["name"]
            if not names.str.lower().is_unique or names[0] != generated.iloc[-1]:
                broken[seed] = names.tolist()
    assert not broken


def test_names_use_words_not_codes(generated_names):
    coded = [n for names in generated_names.values() for n in names
             if "#" in n or re.search(r"(^|\s)([A-Z]\d*|\d+)(\s|$)", n)]
    assert not coded


def test_segments_with_the_same_traits_are_told_apart_by_a_level_word():
    index = pd.Index([f"c{i}" for i in range(90)], name="customer_id")
    features = pd.DataFrame({"monetary": [10.0, 11, 12] * 20 + [900.0, 950, 1000] * 10,
                             "Income": [20_000.0] * 30 + [60_000.0] * 30 + [40_000.0] * 30}, index=index)
    features.iloc[::5, 1] *= 1.05
    labels = pd.Series([0] * 30 + [1] * 30 + [2] * 30, index=index, name="segment")
    names = name_segments(profile_segments(features, labels))["name"].tolist()
    assert len(set(names)) == 3 and not any("#" in n for n in names)


@pytest.mark.parametrize("question", [
    "How satisfied are you with the cleanliness of our stores, their changing rooms and the toilets?",
    "To what extent do you agree that sustainability matters when you buy clothes for your family?",
    "Why do you choose a shop over another one near you? (select all that apply)",
    "Please rate how easy it was to find what you were looking for on our website today",
], ids=["satisfaction-question", "agreement-question", "multi-select-question", "rating-request"])
def test_a_long_question_gets_a_short_label(question):
    from segkit.profile.naming import MAX_LABEL, humanise, short_label

    assert len(short_label(question)) <= MAX_LABEL and len(humanise(question)) <= MAX_LABEL
    assert short_label("Seat comfort") == "Seat comfort"


@pytest.mark.parametrize("people", ["customers", "respondents"])
def test_a_generated_surveys_names_call_its_members_what_the_table_holds(people):
    from segkit.datasets.survey import make_survey

    survey = make_survey(300, n_classes=3, random_state=8)
    table = survey.table.set_index("Respondent ID")
    frame = pd.DataFrame({item: pd.Categorical(table[item].where(table[item].between(1, 5)).astype("Int64")
                                               .astype("string"), categories=list("12345"), ordered=True)
                          for item in survey.items[:8]})
    frame.index.name = "customer_id"
    labels = pd.Series(survey.truth.to_numpy(), index=frame.index, name="segment")
    profile = profile_segments(frame, labels, bases={c: "psychographic" for c in frame}, min_cell_size=10)
    names = name_segments(profile, people=people)["name"].tolist()
    other = {"customers": "respondent", "respondents": "customer"}[people]
    assert not any(other in n.lower() for n in names)
    assert any(n.endswith(people) for n in names)


@pytest.mark.parametrize(("columns", "labels"), [
    (["Spending on gadgets", "Spending on looks", "Spending on healthy eating"],
     ["spending on gadgets", "spending on looks", "spending on healthy eating"]),
    (["Spend", "Spending", "TotalSpend", "spend_amount", "Spent", "spend_last_year"], ["spend"] * 6),
], ids=["spend-on-what-items", "plain-spend-names"])
def test_a_spend_label_keeps_the_words_that_say_what_was_spent_on(columns, labels):
    """'Spending on X' items read as 'spend' made three different items one word in the report
    ('found on 18 features (spend, spend, spend, ...)'); only a name that says spend and no more
    is labelled spend."""
    assert [humanise(c) for c in columns] == labels
