"""Survey answers read as answers: ratings are ordered scales whatever their name, codes for no
answer are missing with a note (segkit.io.answers, through detect_roles and standardise)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.datasets.survey import make_survey
from segkit.io import detect_roles, standardise_customers
from segkit.io.answers import answer_codes, mask_codes

#: Planted surveys of several shapes: class counts, sizes, noise and shares of codes.
SURVEYS = [dict(n_respondents=n, n_classes=k, noise=noise, na_share=na, random_state=seed)
           for seed, (n, k, noise, na) in enumerate([(400, 3, 0.18, 0.03), (250, 4, 0.12, 0.05), (600, 5, 0.2, 0.02),
                                                     (150, 2, 0.15, 0.04), (800, 6, 0.25, 0.03), (300, 3, 0.1, 0.06),
                                                     (500, 4, 0.2, 0.01), (200, 5, 0.15, 0.03)])]
IDS = [f"{s['n_respondents']}x{s['n_classes']}-classes-noise{s['noise']}-na{s['na_share']}" for s in SURVEYS]


@pytest.fixture(scope="module", params=SURVEYS, ids=IDS)
def survey(request):
    data = make_survey(**request.param)
    return data, detect_roles(data.table, kind="customers")


def test_every_rated_item_is_an_ordered_psychographic_scale_whatever_its_name_says(survey):
    data, roles = survey
    for item in data.items:
        call = roles.columns[item]
        assert (call.value_kind, call.basis) == ("ordinal", "psychographic"), (item, call.evidence)


def test_dont_know_and_prefer_not_to_say_codes_are_missing_with_a_note(survey):
    data, roles = survey
    for column in ("Trust in brands", "Education"):
        call = roles.columns[column]
        assert call.missing and "no answer -> missing" in call.evidence
    out = standardise_customers(data.table, roles)
    assert out["Trust in brands"].isna().sum() == data.codes["Trust in brands"]
    assert out["Education"].isna().sum() == data.codes["Education"]


def test_no_column_without_codes_loses_answers(survey):
    data, roles = survey
    for column, call in roles.columns.items():
        if column not in data.codes:
            assert call.missing == (), (column, call.evidence)


def test_a_rare_zero_below_a_one_to_five_battery_is_not_applicable_in_most_planted_surveys():
    found = []
    for params in SURVEYS:
        data = make_survey(**params)
        roles = detect_roles(data.table, kind="customers")
        zeros = [c for c in data.codes if data.table[c].eq(0).any()]
        found.append(all("0" in roles.columns[c].missing for c in zeros))
    # the 0 is read as not applicable when the data show it: in one item clearly, or as the rarest
    # answer of most items; a planted battery where some point is rarer than the 0 may keep it
    assert sum(found) >= len(SURVEYS) - 2


@pytest.mark.parametrize("values, codes", [
    ([1, 2, 3, 4, 5, 99] * 5 + [3] * 10, ("99",)),
    ([1, 2, 3, 4, 5, 6, 7, -9] * 5, ("-9",)),
    ([1, 2, 3, 4, 5, 9] * 5, ("9",)),
    (["Agree", "Disagree", "Neutral", "Not applicable", "Strongly agree"] * 4, ("Not applicable",)),
    (["1", "2", "3", "4", "5", "Don't know"] * 5, ("Don't know",)),
], ids=["99-after-1-5", "minus-9-after-1-7", "9-after-1-5", "not-applicable-on-agreement", "dont-know-among-numbers"])
def test_codes_for_no_answer_beside_a_scale(values, codes):
    assert answer_codes(pd.Series(values)).values == codes


@pytest.mark.parametrize("values", [
    list(range(1, 100)) * 2,                      # a count from 1 to 99: 99 is a value
    [1, 2, 3, 4, 5, 6, 7, 8, 9] * 5,              # a 1-9 scale: 9 is its top
    [0, 1, 2, 3, 4, 5] * 20,                      # a 0-5 scale whose 0 is as common as any point
    ["Male", "Female", "Prefer not to say"] * 5,  # beside categories, a category
    [1, 2, 3, 4, 5, 99, 99, 99] * 2,              # 99 is a third of the answers: data, not a code
], ids=["count-to-99", "one-to-nine-scale", "common-zero", "category-level", "too-many-to-be-a-code"])
def test_values_that_are_answers_stay(values):
    assert answer_codes(pd.Series(values)) is None


def test_survey_missing_codes_names_more_codes():
    s = pd.Series([1, 2, 3, 4, 5, 8] * 5)
    assert answer_codes(s) is None
    assert answer_codes(s, extra=[8]).values == ("8",)
    table = pd.DataFrame({"id": range(30), "q1": s, "q2": s[::-1].to_numpy(), "q3": [1, 2, 3, 4, 5, 1] * 5})
    roles = detect_roles(table, kind="customers", missing_codes=[8])
    assert roles.columns["q1"].missing == ("8",) and "given as a code" in roles.columns["q1"].evidence
    assert standardise_customers(table, roles)["q1"].isna().sum() == 5


def test_masking_leaves_the_input_as_it_was():
    s = pd.Series([1, 99, 5])
    assert mask_codes(s, ["99"]).isna().tolist() == [False, True, False]
    assert s.tolist() == [1, 99, 5]


def test_a_rating_battery_is_never_summed_into_children_nor_used_as_revenue():
    from segkit.features.build import build_features

    data = make_survey(300, random_state=3)
    roles = detect_roles(data.table, kind="customers")
    table = build_features(customers=standardise_customers(data.table, roles), roles=roles)
    assert "children" not in table.frame.columns and "total_spend" not in table.frame.columns
    assert isinstance(table.frame["Spending on gadgets"].dtype, pd.CategoricalDtype)
    assert table.frame["Spending on gadgets"].dtype.ordered


@pytest.mark.parametrize("levels", [
    ["Rarely", "Monthly", "Weekly", "Daily"],
    ["Never", "Once a month", "Once a week", "Every day"],
    ["Not at all concerned", "Not very concerned", "Somewhat concerned", "Very concerned"],
    ["never smoked", "tried smoking", "former smoker", "current smoker"],
    ["High school", "Bachelor's degree", "Master's degree", "Doctorate"],
], ids=["period-frequency", "period-phrases", "concern", "habit-stages", "education"])
def test_more_answer_scales_are_ordered_columns(levels):
    rng = np.random.default_rng(0)
    values = rng.choice(levels, 200)
    rare = values.copy()
    rare[:2] = levels[0]
    rare[2:] = np.where(rare[2:] == levels[0], levels[1], rare[2:])  # a rare level is kept, not pooled
    table = pd.DataFrame({"id": range(200), "answer": rare})
    roles = detect_roles(table, kind="customers")
    assert roles.columns["answer"].value_kind == "ordinal"


@pytest.mark.parametrize("seed", range(12), ids=[f"numbers-{i}" for i in range(12)])
def test_a_numeric_column_with_many_values_has_no_answer_codes_as_its_text_would_show(seed):
    """The shortcut for numeric columns agrees with reading them as text: distinct numbers are
    distinct answers."""
    from segkit.io.answers import _many_answers

    rng = np.random.default_rng(seed)
    values = pd.Series(rng.choice(rng.normal(size=int(rng.integers(40, 120))).round(2), 300))
    values[rng.random(300) < 0.1] = np.nan
    as_text = values.map(lambda v: None if pd.isna(v) else str(v)).astype(object)
    assert _many_answers(values) == _many_answers(as_text)
