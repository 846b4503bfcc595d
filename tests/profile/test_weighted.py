"""Weighted profiles (segkit.profile.weighted through profile_segments, outcome_rates and
rating_differences) on generated surveys: weighted shares and means as computed by hand, weights
doubled change nothing, whole-number weights equal the rows repeated, small cells by n_eff."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.datasets.survey import make_survey
from segkit.io.weights import effective_size
from segkit.profile.outcomes import outcome_rates
from segkit.profile.ratings import rating_differences
from segkit.profile.stats import profile_segments

ITEMS = ["Seat comfort", "Cleanliness", "Trust in brands"]


def _survey(n: int, seed: int):
    """A generated survey as profiles see it: age a number, gender a category, three rating items as
    ordered scales; its planted classes as the segments, and whole-number weights 1-4."""
    survey = make_survey(n, n_classes=3, random_state=seed)
    table = survey.table.set_index(pd.Index([f"r{i:04d}" for i in range(n)], name="customer_id"))
    frame = pd.DataFrame({"Age": table["Age"].astype(float), "Gender": table["Gender"].astype("string")})
    for item in ITEMS:
        answers = table[item].where(table[item].between(1, 5)).astype("Int64").astype("string")
        frame[item] = pd.Categorical(answers, categories=list("12345"), ordered=True)
    labels = pd.Series(np.asarray(survey.truth)[:n], index=frame.index, name="segment")
    weights = pd.Series(np.random.default_rng(seed).integers(1, 5, n).astype(float), index=frame.index)
    outcome = table["Overall satisfaction"].rename("Overall satisfaction").to_frame()
    return frame, labels, weights, outcome


def _repeated(frame: pd.DataFrame, labels: pd.Series, weights: pd.Series, *others: pd.DataFrame):
    """Every row repeated as many times as its whole-number weight, under new ids."""
    rows = frame.index.repeat(weights.astype(int).to_numpy())
    index = pd.Index([f"d{i:05d}" for i in range(len(rows))], name="customer_id")
    out = [frame.loc[rows].set_axis(index), labels.loc[rows].set_axis(index)]
    return out + [o.loc[rows].set_axis(index) for o in others]


SURVEYS = [pytest.param(300, 1, id="300-respondents"), pytest.param(900, 2, id="900-respondents")]


@pytest.mark.parametrize(("n", "seed"), SURVEYS)
def test_weighted_shares_and_means_are_the_hand_computed_ones(n, seed):
    frame, labels, weights, _ = _survey(n, seed)
    profile = profile_segments(frame, labels, weights=weights, min_cell_size=0)
    for s in sorted(labels.unique()):
        w = weights[labels == s]
        assert profile.summary.at[s, "weighted_share"] == pytest.approx(w.sum() / weights.sum())
        assert profile.summary.at[s, "size"] == len(w)
        assert profile.summary.at[s, "n_eff"] == pytest.approx(w.sum() ** 2 / (w ** 2).sum())
        assert profile.wide.at[s, "Age"] == pytest.approx(np.average(frame.loc[w.index, "Age"], weights=w))
        gender = frame.loc[w.index, "Gender"]
        for level in gender.dropna().unique():
            hand = w[gender == level].sum() / w[gender.notna()].sum()
            assert profile.wide.at[s, f"Gender={level}"] == pytest.approx(hand)
            row = profile.breakdowns.query("segment == @s and feature == 'Gender' and level == @level")
            assert float(row["share"].iloc[0]) == pytest.approx(hand)
    overall = profile.categories.query("feature == 'Gender'").drop_duplicates("level").set_index("level")
    for level, share in overall["overall_share"].items():
        gender = frame["Gender"]
        assert share == pytest.approx(weights[gender == level].sum() / weights[gender.notna()].sum())


@pytest.mark.parametrize(("n", "seed"), SURVEYS)
def test_doubling_every_weight_changes_nothing(n, seed):
    frame, labels, weights, outcome = _survey(n, seed)
    one = profile_segments(frame, labels, weights=weights, min_cell_size=10)
    two = profile_segments(frame, labels, weights=weights * 2, min_cell_size=10)
    pd.testing.assert_frame_equal(one.long, two.long, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(one.breakdowns, two.breakdowns, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(outcome_rates(labels, outcome, weights=weights),
                                  outcome_rates(labels, outcome, weights=weights * 2), check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(rating_differences(frame[ITEMS], labels, weights=weights),
                                  rating_differences(frame[ITEMS], labels, weights=weights * 2))


@pytest.mark.parametrize(("n", "seed"), SURVEYS)
def test_whole_number_weights_equal_the_rows_repeated(n, seed):
    frame, labels, weights, outcome = _survey(n, seed)
    weighted = profile_segments(frame, labels, weights=weights, min_cell_size=0)
    big, big_labels, big_outcome = _repeated(frame, labels, weights, outcome)
    repeated = profile_segments(big, big_labels, min_cell_size=0)
    assert weighted.summary["weighted_share"].to_numpy() == pytest.approx(repeated.summary["share"].to_numpy())
    shown = weighted.wide.drop(columns="suppressed")
    pd.testing.assert_frame_equal(shown, repeated.wide.drop(columns="suppressed")[shown.columns], check_exact=False,
                                  rtol=1e-9)
    assert weighted.overall["mean"].to_numpy() == pytest.approx(repeated.overall["mean"].to_numpy())
    assert weighted.overall["median"].to_numpy() == pytest.approx(repeated.overall["median"].to_numpy())
    mine = outcome_rates(labels, outcome, weights=weights)
    theirs = outcome_rates(big_labels, big_outcome)
    assert mine["share"].to_numpy() == pytest.approx(theirs["share"].to_numpy())
    assert mine["overall_share"].to_numpy() == pytest.approx(theirs["overall_share"].to_numpy())
    means = rating_differences(frame[ITEMS], labels, weights=weights)["mean"].to_numpy()
    assert means == pytest.approx(rating_differences(big[ITEMS], big_labels)["mean"].to_numpy())


def test_intervals_count_respondents_by_the_effective_size_not_the_repeated_rows():
    frame, labels, weights, outcome = _survey(300, 1)
    big, big_labels, big_outcome = _repeated(frame, labels, weights, outcome)
    mine = outcome_rates(labels, outcome, weights=weights)
    theirs = outcome_rates(big_labels, big_outcome)
    # the same share, but the weighted interval is wider: 300 respondents are not ~750
    assert ((mine["high"] - mine["low"]) > (theirs["high"] - theirs["low"])).all()
    first = mine.iloc[0]
    w = weights[labels == first["segment"]]
    assert first["n_eff"] == pytest.approx(effective_size(w))


def test_a_segment_whose_weight_rests_on_a_few_respondents_is_hidden():
    # 12 respondents in segment 1, one of whom carries nearly all its weight: n_eff about 1.3
    frame, labels, weights, _ = _survey(300, 1)
    labels = pd.Series(np.where(np.arange(300) < 12, 1, 0), index=labels.index, name="segment")
    weights = pd.Series(1.0, index=labels.index)
    weights.iloc[0] = 50.0
    unweighted = profile_segments(frame, labels, min_cell_size=10)
    weighted = profile_segments(frame, labels, weights=weights, min_cell_size=10)
    assert not unweighted.summary.at[1, "suppressed"]
    assert weighted.summary.at[1, "suppressed"] and np.isnan(weighted.summary.at[1, "weighted_share"])
    assert weighted.effects.query("segment == 1")["suppressed"].all()
    assert weighted.breakdowns.query("segment == 1")["share"].isna().all()


def test_a_small_cell_is_judged_by_its_own_effective_size():
    # segment 0 holds 6 respondents answering "x" with weight 20 each and 60 answering "y" with weight 1:
    # "x" carries most of the weight (120 of 180), yet describes 6 respondents and is hidden
    idx = pd.Index([f"c{i}" for i in range(126)], name="customer_id")
    frame = pd.DataFrame({"answer": ["x"] * 6 + ["y"] * 60 + ["x"] * 30 + ["y"] * 30}, index=idx)
    labels = pd.Series([0] * 66 + [1] * 60, index=idx, name="segment")
    weights = pd.Series([20.0] * 6 + [1.0] * 120, index=idx)
    profile = profile_segments(frame, labels, weights=weights, min_cell_size=10)
    cell = profile.categories.set_index(["segment", "level"]).loc[(0, "x")]
    assert cell["suppressed"] and cell["suppressed_reason"] == "small cell"
