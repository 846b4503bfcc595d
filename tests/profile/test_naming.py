"""segkit.profile.naming over many generated profiles: names a marketer can use.

Every name of a run is unique, says no word twice ("Regular regulars"), names one concept
once ("Occasional infrequent customers"), and carries no codes (no "#3", no bare "L2").
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.profile.naming import name_segments, name_words
from segkit.profile.stats import profile_segments

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


def test_no_name_says_a_word_twice(generated_names):
    repeats = [n for names in generated_names.values() for n in names if len(set(name_words(n))) < len(name_words(n))]
    assert not repeats


def test_no_name_names_one_concept_twice(generated_names):
    twice = [n for names in generated_names.values() for n in names for group in SAME_CONCEPT
             if len(group & {w.lower() for w in re.split(r"[\s,\-]+", n)}) > 1]
    assert not twice


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
