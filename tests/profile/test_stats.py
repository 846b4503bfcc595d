"""segkit.profile.stats: per-segment profiles (summary, lift, long and wide forms, bases) and the
breakdowns the report draws, computed once with the profile."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from segkit.exceptions import ColumnError, DataError
from segkit.profile import SegmentProfile, name_segments
from segkit.profile.stats import BREAKDOWN_LEVELS, OTHER_LEVEL, profile_segments

SCALE = ["Never", "Sometimes", "Often", "Always"]


def _frame(columns: dict[str, list], segments: list[int]) -> tuple[pd.DataFrame, pd.Series]:
    idx = pd.Index([f"c{i:03d}" for i in range(len(segments))], name="customer_id")
    return pd.DataFrame(columns, index=idx), pd.Series(segments, index=idx, name="segment")


def test_a_breakdown_holds_counts_shares_and_the_hidden_part_of_each_segment():
    # segment 0: 30 app, 3 web (small), 20 store; segment 1: 25 app, 25 web, 25 store
    channel = ["app"] * 30 + ["web"] * 3 + ["store"] * 20 + ["app"] * 25 + ["web"] * 25 + ["store"] * 25
    features, labels = _frame({"channel": channel}, [0] * 53 + [1] * 75)
    b = profile_segments(features, labels, min_cell_size=10).breakdowns.set_index(["segment", "level"])
    assert b.loc[(0, "web"), "suppressed_reason"] == "small cell" and np.isnan(b.loc[(0, "web"), "share"])
    # segment 0 protects its web cell with its smallest other one (store); the store and web
    # columns then protect theirs with segment 1's
    assert b.loc[(0, "store"), "suppressed_reason"] == "complementary"
    assert b.loc[(1, "store"), "suppressed_reason"] == b.loc[(1, "web"), "suppressed_reason"] == "complementary"
    assert b.loc[(0, "app"), "count"] == 30 and b.loc[(0, "app"), "share"] == pytest.approx(30 / 53)
    assert b.loc[(0, "app"), "suppressed_share"] == pytest.approx(23 / 53)
    assert b.loc[(1, "app"), "suppressed_share"] == pytest.approx(50 / 75)
    # shown and hidden parts make up each segment whole
    shown = b["share"].fillna(0).groupby(level="segment").sum()
    whole = shown + b["suppressed_share"].groupby(level="segment").first()
    assert whole.tolist() == pytest.approx([1.0, 1.0])


def test_breakdown_rows_are_stacked_in_scale_order_or_most_frequent_first():
    answers = ["Always"] * 12 + ["Never"] * 30 + ["Often"] * 18
    plan = ["basic"] * 15 + ["premium"] * 45
    features, labels = _frame({"usage": pd.Categorical(answers, categories=SCALE, ordered=True), "plan": plan},
                              [0] * 30 + [1] * 30)
    b = profile_segments(features, labels, min_cell_size=0).breakdowns
    usage = b[(b["feature"] == "usage") & (b["segment"] == 0)]
    assert usage["level"].tolist() == ["Never", "Often", "Always"] and usage["ordered"].all()
    plan_rows = b[(b["feature"] == "plan") & (b["segment"] == 1)]
    assert plan_rows["level"].tolist() == ["premium", "basic"] and not plan_rows["ordered"].any()


def test_a_breakdown_pools_rare_levels_and_counts_missing_values():
    levels = [f"L{i}" for i in range(12)]
    values = [levels[i % 12] for i in range(120)] + [None] * 6
    features, labels = _frame({"city": values}, [i % 2 for i in range(126)])
    profile = profile_segments(features, labels, min_cell_size=0)
    b = profile.breakdowns
    assert b["level"].nunique() == BREAKDOWN_LEVELS and OTHER_LEVEL in set(b["level"])
    assert set(b["missing"]) == {6}
    # the profile's own category table keeps more levels (max_levels)
    assert profile.categories["level"].nunique() == 12


def test_yes_no_columns_get_a_breakdown_and_numbers_do_not():
    features, labels = _frame({"member": [True] * 15 + [False] * 25, "spend": np.arange(40.0)}, [0] * 20 + [1] * 20)
    b = profile_segments(features, labels, min_cell_size=0).breakdowns
    assert set(b["feature"]) == {"member"} and set(b["level"]) == {"True", "False"}


def test_hidden_segments_are_those_with_too_few_known_values():
    spend = [10.0] * 20 + [30.0] * 4 + [None] * 16
    features, labels = _frame({"spend": spend}, [0] * 20 + [1] * 20)
    profile = profile_segments(features, labels, min_cell_size=10)
    assert profile.hidden_segments("spend") == [1]
    assert profile_segments(features, labels, min_cell_size=3).hidden_segments("spend") == []


def test_profiles_take_the_segmenters_label_array():
    from segkit.exceptions import DataError
    from segkit.profile import profile_segments

    idx = pd.Index([f"c{i}" for i in range(40)], name="customer_id")
    features = pd.DataFrame({"spend": [10.0, 12.0] * 10 + [90.0, 95.0] * 10}, index=idx)
    labels = np.array([0] * 20 + [1] * 20)  # Segmenter.labels_, in the rows' order
    profile = profile_segments(features, labels, min_cell_size=0)
    assert profile.summary["size"].tolist() == [20, 20]
    with pytest.raises(DataError, match=r"labels: 39 labels for 40 customers; expected one label per row"):
        profile_segments(features, labels[:-1])


def test_summary_lift_and_means_are_exact(small_table):
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases, value_col="Income", min_cell_size=10)
    assert isinstance(p, SegmentProfile)
    overall = (1000 + 750 + 1000) / 30
    assert p.overall.loc["Income", "mean"] == pytest.approx(overall)
    assert p.lift.loc[0, "Income"] == pytest.approx(100 / overall)
    assert p.lift.loc[1, "Income"] == pytest.approx(50 / overall)
    assert p.wide.loc[0, "Income"] == 100.0 and p.wide.loc[1, "Income"] == 50.0
    assert p.wide.loc[0, "Response"] == 0.5  # booleans are profiled as shares
    assert p.summary.loc[0, "size"] == 10 and p.summary.loc[1, "share"] == 0.5
    assert p.summary.loc[0, "revenue"] == 1000.0
    assert p.summary.loc[0, "revenue_share"] == pytest.approx(1000 / 2750)
    median = p.long.query("segment == 1 and feature == 'Income' and metric == 'median'")["value"].item()
    assert median == 50.0


def test_identifiers_and_dates_are_skipped(small_table):
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases)
    assert set(p.skipped) == {"email", "signup"}
    assert "email" not in set(p.long["feature"]) and "signup" not in p.wide.columns
    assert p.bases == {"Income": "demographic", "Education": "demographic", "Response": "campaign"}


def test_long_form_schema_and_deterministic_order(small_table):
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases, value_col="Income", min_cell_size=1)
    assert list(p.long.columns) == ["segment", "basis", "feature", "metric", "level", "value", "n", "suppressed",
                                    "suppressed_reason"]
    # min_cell_size=1 hides nothing: empty cells (segment 0 has no Basic) describe nobody
    assert set(p.long["suppressed_reason"]) == {""}
    first = p.long[p.long["segment"] == 0]
    assert first["metric"].tolist()[:4] == ["size", "share", "revenue", "revenue_share"]
    numeric_metrics = first[(first["feature"] == "Income") & (first["basis"] != "")]["metric"].tolist()
    assert numeric_metrics == ["mean", "median", "lift", "effect_size", "p_value", "p_adjusted"]
    assert first[first["feature"] == "Income"]["basis"].iloc[-1] == "demographic"
    assert set(p.long["metric"]) >= {"cramers_v", "share", "overall_share"}
    order = np.random.default_rng(0).permutation(len(features))
    shuffled = profile_segments(features.iloc[order], labels.iloc[order], bases=bases, value_col="Income",
                                min_cell_size=1)
    pd.testing.assert_frame_equal(p.long, shuffled.long, check_exact=False, rtol=1e-9)


def test_bases_from_attrs_and_input_checks(small_table):
    features, labels, _ = small_table
    features = features.copy()
    features.attrs["bases"] = {"Income": "demographic"}
    p = profile_segments(features, labels)
    assert p.bases["Income"] == "demographic" and p.bases["Education"] == "other"
    with pytest.raises(ColumnError, match="monetary"):
        profile_segments(features, labels, value_col="monetary")
    with pytest.raises(DataError, match="share no customer ids"):
        profile_segments(features, labels.set_axis([f"x{i}" for i in range(30)]))


def test_profile_and_names_on_marketing_campaign(shared_data):
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    df = pd.read_csv(shared_data / "marketing_campaign" / "marketing_campaign.csv", sep="\t")
    df = df.set_index(df["ID"].astype(str).rename("customer_id")).drop(columns=["ID", "Z_CostContact", "Z_Revenue"])
    df["Dt_Customer"] = pd.to_datetime(df["Dt_Customer"], format="%d-%m-%Y")
    used = ["Income", "MntWines", "MntMeatProducts", "NumWebPurchases", "NumStorePurchases", "Kidhome", "Teenhome"]
    x = StandardScaler().fit_transform(df[used].fillna(df[used].median()))
    labels = pd.Series(KMeans(5, n_init=3, random_state=0).fit_predict(x), index=df.index, name="segment")
    profile = profile_segments(df, labels, value_col="MntWines")
    names = name_segments(profile)
    # every feature of every basis is profiled, not only the clustered ones
    assert {"Recency", "MntGoldProds", "Education", "Marital_Status", "Response"} <= set(profile.long["feature"])
    assert profile.summary["size"].sum() == len(df)
    assert profile.summary["revenue_share"].sum() == pytest.approx(1.0)
    assert names["name"].is_unique and all(len(n.split()) <= 5 for n in names["name"])
    assert not names["name"].str.contains("Customers #").any()


def test_differences_are_standardised_against_the_rest_for_any_k():
    idx = pd.Index([str(i) for i in range(60)], name="customer_id")
    rng = np.random.default_rng(0)
    spend = np.r_[rng.normal(100, 10, 30), rng.normal(50, 10, 30)]
    f = pd.DataFrame({"spend": spend, "visits": rng.normal(5, 1, 60)}, index=idx)
    labels = pd.Series([0] * 30 + [1] * 30, index=idx, name="segment")
    p = profile_segments(f, labels, bases={"spend": "behavioural", "visits": "behavioural"})
    d = p.differences(["spend", "visits"])
    assert list(d.columns) == ["spend", "visits"] and list(d.index) == [0, 1]
    assert d.loc[0, "spend"] > 3 and d.loc[1, "spend"] < -3  # far apart, in standard deviations
    assert abs(d.loc[0, "visits"]) < 1  # noise stays small, unlike a z-score of two means (always 1)


def test_missing_values_are_not_a_level_of_a_breakdown():
    """Shares are of known values, as means are: a few missing genders hide nothing else.

    Each of the first two segments has 3 customers without a gender. As a level of their own
    those 3 would be small cells, and complementary suppression would then hide a second
    level of the row (before: F or M of every segment).
    """
    from segkit.plots import plot_category_breakdown

    gender = ["F"] * 30 + ["M"] * 17 + [None] * 3 + ["F"] * 12 + ["M"] * 25 + [None] * 3 + ["F"] * 15 + ["M"] * 11 + [None] * 20
    idx = pd.Index([f"c{i}" for i in range(len(gender))], name="customer_id")
    features = pd.DataFrame({"gender": pd.array(gender, dtype="string")}, index=idx)
    labels = pd.Series([0] * 50 + [1] * 40 + [2] * 46, index=idx, name="segment")
    profile = profile_segments(features, labels, min_cell_size=10)
    cats = profile.categories.set_index(["segment", "level"])
    assert sorted(cats.index.get_level_values("level").unique()) == ["F", "M"]
    assert cats.loc[(0, "F"), "share"] == pytest.approx(30 / 47)
    assert cats.loc[(1, "M"), "share"] == pytest.approx(25 / 37)
    assert cats.loc[(0, "F"), "overall_share"] == pytest.approx(57 / 110)
    assert not cats["suppressed"].any()
    v = profile.effects.query("feature == 'gender' and level == ''").set_index("segment")
    assert v.loc[0, "n"] == 47 and not v.loc[0, "suppressed"]
    expected = stats.chi2_contingency([[30, 17], [27, 36]], correction=False)[0]
    assert v.loc[0, "effect_size"] == pytest.approx(math.sqrt(expected / 110))

    ax = plot_category_breakdown(profile.breakdowns, "gender")
    rows = [t.get_text() for t in ax.get_yticklabels()]
    bars = {(row, c.get_label()): bar.get_width() for c in ax.containers for row, bar in zip(rows, c.patches)}
    assert bars[("Segment 0", "F")] == pytest.approx(30 / 47)
    assert bars[("Segment 1", "M")] == pytest.approx(25 / 37)
    assert "suppressed (small cells)" not in [c.get_label() for c in ax.containers]
    assert "26 customers without one" in ax.get_xlabel()


def test_profile_repr_is_a_short_summary(small_table):
    features, labels, bases = small_table
    profile = profile_segments(features, labels, bases=bases, min_cell_size=10)
    text = repr(profile)
    assert text.startswith("SegmentProfile(3 segments, 1 too small to show; 2 numeric and 1 categorical features)")
    assert repr(profile_segments(features, labels, bases=bases, min_cell_size=1)).startswith(
        "SegmentProfile(3 segments, 30 customers;")
    assert "suppressed:" in text and len(text.splitlines()) <= 5
    assert "<table" in profile._repr_html_()


@pytest.mark.parametrize("order", ["same-order", "shuffled", "one-customer-without-a-label"],
                         ids=["labels-in-table-order", "labels-shuffled", "labels-missing-a-customer"])
def test_a_profile_is_the_same_whether_labels_come_in_table_order_or_not(order, recwarn):
    # labels in the feature table's own order skip the alignment copy; the figures must not change
    rng = np.random.default_rng(3)
    n = 120
    features, labels = _frame({"spend": rng.gamma(2.0, 50.0, n), "visits": rng.integers(1, 9, n),
                               "member": rng.integers(0, 2, n).astype(bool),
                               "tier": rng.choice(["gold", "silver", "bronze"], n)}, list(rng.integers(0, 3, n)))
    given = {"same-order": labels, "shuffled": labels.sample(frac=1.0, random_state=1),
             "one-customer-without-a-label": labels.iloc[1:]}[order]
    reference = profile_segments(features.loc[given.index.sort_values()], given.sort_index(), value_col="spend")
    got = profile_segments(features, given, value_col="spend")
    pd.testing.assert_frame_equal(got.long, reference.long)
    pd.testing.assert_frame_equal(got.summary, reference.summary)
    pd.testing.assert_frame_equal(got.effects, reference.effects)


def test_numeric_columns_already_float_are_shared_not_copied():
    from segkit.profile.stats import numeric_frame

    features = pd.DataFrame({"spend": [1.5, 2.5, np.nan], "visits": [1, 2, 3],
                             "answer": pd.array([1, None, 0], dtype="Int8"), "code": ["4", "x", None]})
    num = numeric_frame(features, ["spend", "visits", "answer", "code"])
    assert np.shares_memory(num["spend"].to_numpy(), features["spend"].to_numpy())
    assert (num.dtypes == np.float64).all()
    pd.testing.assert_frame_equal(num, features.apply(pd.to_numeric, errors="coerce").astype("float64"))
