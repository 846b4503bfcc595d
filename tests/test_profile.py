"""Tests for segkit.profile: profiles, lift, effects, suppression and names."""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from segkit.exceptions import ColumnError, ConfigError, DataError
from segkit.profile import SegmentProfile, humanise, name_segments, profile_segments


@pytest.fixture
def small_table():
    """30 customers: segment 0 (10), 1 (15) and a 5-customer segment 2."""
    idx = pd.Index([f"c{i:02d}" for i in range(30)], name="customer_id")
    features = pd.DataFrame(
        {
            "Income": [90.0, 110.0] * 5 + [40.0, 60.0, 50.0] * 5 + [200.0] * 5,
            "Education": ["PhD"] * 10 + ["Basic"] * 12 + ["PhD"] * 3 + ["Basic"] * 5,
            "email": [f"user{i}@example.com" for i in range(30)],
            "signup": pd.date_range("2024-01-01", periods=30, freq="D"),
            "Response": [True] * 5 + [False] * 5 + [False] * 15 + [True] * 5,
        },
        index=idx,
    )
    labels = pd.Series([0] * 10 + [1] * 15 + [2] * 5, index=idx, name="segment")
    bases = {"Income": "demographic", "Education": "demographic", "Response": "campaign"}
    return features, labels, bases


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


def test_effects_sizes_and_tests(small_table):
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases, min_cell_size=1)
    e = p.effects.set_index(["segment", "feature", "level"])
    a = features["Income"][labels == 0].to_numpy()
    b = features["Income"][labels != 0].to_numpy()
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    row = e.loc[(0, "Income", "")]
    assert row["effect_size"] == pytest.approx((a.mean() - b.mean()) / pooled)
    assert row["p_value"] == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    assert row["effect_measure"] == "smd" and row["test"] == "welch_t"
    # Education for segment 0: 10 PhD vs rest 17 Basic + 3 PhD
    level = e.loc[(0, "Education", "PhD")]
    assert level["effect_size"] == pytest.approx(1.0 - 3 / 20)
    assert level["standardised"] == pytest.approx(2 * math.asin(1.0) - 2 * math.asin(math.sqrt(3 / 20)))
    chi2 = stats.chi2_contingency([[0, 10], [17, 3]], correction=False)[0]
    assert e.loc[(0, "Education", ""), "effect_size"] == pytest.approx(math.sqrt(chi2 / 30))
    assert e.loc[(0, "Education", ""), "effect_measure"] == "cramers_v"
    # Benjamini-Hochberg over every test of the profile
    ok = p.effects["p_value"].notna()
    expected = stats.false_discovery_control(p.effects.loc[ok, "p_value"], method="bh")
    assert np.allclose(p.effects.loc[ok, "p_adjusted"], expected)
    mw = profile_segments(features, labels, bases=bases, min_cell_size=1, numeric_test="mannwhitney")
    row = mw.effects.query("segment == 0 and feature == 'Income'").iloc[0]
    assert row["p_value"] == pytest.approx(stats.mannwhitneyu(a, b).pvalue)
    with pytest.raises(ConfigError, match="numeric_test"):
        profile_segments(features, labels, numeric_test="ttest")


def test_small_segment_is_suppressed_everywhere(small_table):
    """Segment 2 has 5 customers < min_cell_size 10: no figure about it leaves the profile."""
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases, value_col="Income", min_cell_size=10)
    assert p.summary.loc[2, "suppressed"]
    assert p.summary.loc[2, ["size", "share", "revenue", "revenue_share"]].isna().all()
    seg2 = p.long[p.long["segment"] == 2]
    assert len(seg2) > 0 and seg2["suppressed"].all() and seg2["value"].isna().all() and seg2["n"].isna().all()
    assert p.wide.loc[2].drop("suppressed").isna().all() and p.wide.loc[2, "suppressed"]
    assert p.lift.loc[2].drop("suppressed").isna().all() and p.lift.loc[2, "suppressed"]
    e2 = p.effects[p.effects["segment"] == 2]
    assert e2["suppressed"].all() and e2[["effect_size", "p_value", "p_adjusted", "n"]].isna().all().all()
    c2 = p.categories[p.categories["segment"] == 2]
    assert c2["suppressed"].all() and c2[["count", "share"]].isna().all().all()
    # The other segments are shown
    assert not p.long.loc[p.long["segment"] == 0, "suppressed"].all()


def test_small_category_cells_are_suppressed(small_table):
    """Education (two levels): segment 1 has 3 PhDs, segment 0 no Basic, segment 2 is small.

    Segment 1's small cell would be given away by its other cell (segment size minus the
    cell shown), so both are hidden; segment 0's empty cell describes nobody and is shown,
    so its row stays whole (each hidden column still has two hidden cells).
    """
    features, labels, bases = small_table
    p = profile_segments(features, labels, bases=bases, min_cell_size=10)
    cats = p.categories.set_index(["segment", "feature", "level"])
    phd = cats.loc[(1, "Education", "PhD")]  # 3 customers
    assert phd["suppressed"] and np.isnan(phd["share"]) and np.isnan(phd["count"])
    assert phd["suppressed_reason"] == "small cell"
    basic = cats.loc[(1, "Education", "Basic")]  # 12 customers, but 15 - 12 = 3
    assert basic["suppressed"] and np.isnan(basic["count"]) and basic["suppressed_reason"] == "complementary"
    assert cats.loc[(0, "Education", "PhD"), "count"] == 10 and cats.loc[(0, "Education", "Basic"), "count"] == 0
    assert cats.loc[(2, "Education", "Basic"), "suppressed_reason"] == "small segment"
    assert cats.loc[([1, 2], "Education", slice(None)), "count"].isna().all()
    assert np.isnan(p.wide.loc[1, "Education=PhD"]) and np.isnan(p.wide.loc[1, "Education=Basic"])
    long_phd = p.long.query("segment == 1 and feature == 'Education' and level == 'PhD'")
    assert long_phd["suppressed"].all() and long_phd["value"].isna().all()
    assert (long_phd["suppressed_reason"] == "small cell").all()


def _breakdown(counts: dict[int, dict[str, int]], column: str) -> tuple[pd.DataFrame, pd.Series]:
    """Customers whose ``column`` levels per segment have exactly the given counts."""
    segments, levels = [], []
    for segment, per_level in counts.items():
        for level, n in per_level.items():
            segments += [segment] * n
            levels += [level] * n
    idx = pd.Index([f"c{i:04d}" for i in range(len(levels))], name="customer_id")
    spend = np.resize([10.0, 20.0, 30.0], len(levels))
    features = pd.DataFrame({"spend": spend, column: levels}, index=idx)
    return features, pd.Series(segments, index=idx, name="segment")


def _hidden_cells(p, column: str) -> dict[tuple[int, str], str]:
    c = p.categories[(p.categories["feature"] == column) & p.categories["suppressed"]]
    return dict(zip(zip(c["segment"], c["level"]), c["suppressed_reason"]))


def test_complementary_suppression_of_a_breakdown():
    """One small cell (segment 0, phone: 3) hides a rectangle of four cells.

    Row 0 hides its smallest other cell (web, 30); the phone and web columns then each
    hide their smallest cell still shown (segment 1: 25 and 15). Each row and column now
    has two hidden cells or none, so no hidden count is a total minus cells shown.
    """
    counts = {0: {"catalogue": 50, "store": 40, "phone": 3, "web": 30},
              1: {"catalogue": 60, "store": 20, "phone": 25, "web": 15},
              2: {"catalogue": 45, "store": 35, "phone": 30, "web": 40}}
    features, labels = _breakdown(counts, "channel")
    p = profile_segments(features, labels, min_cell_size=10)
    assert _hidden_cells(p, "channel") == {(0, "phone"): "small cell", (0, "web"): "complementary",
                                           (1, "phone"): "complementary", (1, "web"): "complementary"}
    cats = p.categories.set_index(["segment", "level"])
    shown = cats[~cats["suppressed"]]
    assert {k: int(v) for k, v in shown["count"].items()} == {
        (s, level): n for s, per in counts.items() for level, n in per.items()
        if (s, level) not in {(0, "phone"), (0, "web"), (1, "phone"), (1, "web")}}
    assert cats.loc[cats["suppressed"], ["count", "share", "lift"]].isna().all().all()
    # the same cells are hidden in the wide table, profiles.csv and the effects
    assert p.wide.loc[[0, 1], ["channel=phone", "channel=web"]].isna().all().all()
    assert p.wide.loc[2, ["channel=phone", "channel=web"]].notna().all()
    long = p.long[(p.long["feature"] == "channel") & (p.long["level"] != "")]
    hidden = long[long["suppressed"]]
    assert set(zip(hidden["segment"], hidden["level"])) == {(0, "phone"), (0, "web"), (1, "phone"), (1, "web")}
    assert hidden["value"].isna().all() and hidden["n"].isna().all()
    assert (hidden.loc[hidden["level"] == "web", "suppressed_reason"] == "complementary").all()
    e = p.effects[(p.effects["feature"] == "channel") & p.effects["suppressed"]]
    assert set(zip(e["segment"], e["level"])) == {(0, "phone"), (0, "web"), (1, "phone"), (1, "web"), (0, ""), (1, "")}
    hidden_values = ["n", "segment_value", "rest_value", "effect_size", "statistic", "p_value", "p_adjusted"]
    assert e[hidden_values].isna().all().all()
    # Cramér's V is hidden for the segments with hidden cells, and only for them
    v = p.long.query("feature == 'channel' and metric == 'cramers_v'").set_index("segment")
    assert v["suppressed"].tolist() == [True, True, False] and v.loc[2, "value"] > 0
    assert v.loc[0, "suppressed_reason"] == "complementary"
    # hidden tests leave the Benjamini-Hochberg family
    ok = p.effects["p_value"].notna()
    expected = stats.false_discovery_control(p.effects.loc[ok, "p_value"], method="bh")
    assert np.allclose(p.effects.loc[ok, "p_adjusted"], expected)


def test_complementary_suppression_protects_a_small_segment():
    """Segment 2 (5 customers) is hidden; without more, the level totals would give its counts.

    Each level column hides its smallest other cell (family 15, couple 25, single 10);
    segment 0, then left with one hidden cell, hides its smaller remaining one (family 20).
    """
    counts = {0: {"couple": 30, "family": 20, "single": 10},
              1: {"couple": 25, "family": 15, "single": 20},
              2: {"couple": 2, "family": 2, "single": 1}}
    features, labels = _breakdown(counts, "household")
    p = profile_segments(features, labels, min_cell_size=10)
    assert _hidden_cells(p, "household") == {
        (2, "couple"): "small segment", (2, "family"): "small segment", (2, "single"): "small segment",
        (1, "couple"): "complementary", (1, "family"): "complementary", (0, "single"): "complementary",
        (0, "family"): "complementary"}
    shown = p.categories[(p.categories["feature"] == "household") & ~p.categories["suppressed"]]
    assert dict(zip(zip(shown["segment"], shown["level"]), shown["count"])) == {(0, "couple"): 30, (1, "single"): 20}
    assert p.summary.loc[2, "suppressed"] and np.isnan(p.summary.loc[2, "size"])
    assert (p.long.loc[p.long["segment"] == 2, "suppressed_reason"] == "small segment").all()


def test_cramers_v_is_hidden_with_hidden_cells_even_without_complementary_ones():
    """Two small cells per row and column need no complement, but the chi-square would solve them."""
    counts = {0: {"a": 3, "b": 4, "c": 50}, 1: {"a": 2, "b": 5, "c": 60}, 2: {"a": 30, "b": 30, "c": 30}}
    features, labels = _breakdown(counts, "tier")
    p = profile_segments(features, labels, min_cell_size=10)
    assert set(_hidden_cells(p, "tier").values()) == {"small cell"}
    v = p.effects.query("feature == 'tier' and level == ''").set_index("segment")
    assert v["suppressed"].tolist() == [True, True, False]
    assert v.loc[[0, 1], ["effect_size", "statistic", "p_value"]].isna().all().all()
    assert v.loc[[0, 1], "suppressed_reason"].tolist() == ["complementary", "complementary"]


def test_no_complementary_suppression_without_small_cells_or_when_disabled():
    counts = {0: {"couple": 30, "family": 20}, 1: {"couple": 25, "family": 3}}
    features, labels = _breakdown(counts, "household")
    off = profile_segments(features, labels, min_cell_size=1)
    assert not off.categories["suppressed"].any()
    shown = profile_segments(features, labels.replace({1: 0}), min_cell_size=10)
    assert not shown.categories["suppressed"].any()  # one segment: family 23 >= 10


def test_plot_category_breakdown_hides_what_the_profile_hides():
    """The report's stacked bars apply the profile's rule; a segment's hidden cells are one grey part.

    Segment 3 (7 customers) is hidden, and segment 0's phone (3). Segment 0 protects it with
    web (30), which also protects the web column; the catalogue column hides segment 2's 45,
    and the store column then takes segment 2's 35 rather than segment 1's 20, because that
    protects segment 2's row as well: segment 1 is shown whole.
    """
    from segkit.plots import plot_category_breakdown

    counts = {0: {"catalogue": 50, "store": 40, "phone": 3, "web": 30},
              1: {"catalogue": 60, "store": 20, "phone": 25, "web": 15},
              2: {"catalogue": 45, "store": 35, "phone": 30, "web": 40},
              3: {"catalogue": 4, "store": 1, "phone": 0, "web": 2}}
    features, labels = _breakdown(counts, "channel")
    profile = profile_segments(features, labels, min_cell_size=10)
    ax = plot_category_breakdown(profile.breakdowns, "channel")
    rows = [t.get_text() for t in ax.get_yticklabels()]
    bars = {(row, c.get_label()): bar.get_width() for c in ax.containers for row, bar in zip(rows, c.patches)}
    hidden = "suppressed (small cells)"
    assert bars[("Segment 0", hidden)] == pytest.approx(33 / 123)  # phone 3 + web 30, never apart
    assert bars[("Segment 1", hidden)] == 0.0
    assert bars[("Segment 2", hidden)] == pytest.approx(80 / 150)  # catalogue + store
    assert bars[("Segment 3", hidden)] == pytest.approx(1.0)
    for _, cell in profile.categories.iterrows():
        shown = 0.0 if cell["suppressed"] else cell["share"]
        assert bars[(f"Segment {cell['segment']}", cell["level"])] == pytest.approx(shown)
    plain = plot_category_breakdown(profile_segments(features, labels, min_cell_size=0).breakdowns, "channel")
    assert hidden not in [c.get_label() for c in plain.containers]


@pytest.mark.filterwarnings("ignore:vert. bool was deprecated:DeprecationWarning")  # seaborn's boxplot
def test_plot_feature_by_segment_draws_no_box_for_a_suppressed_segment(small_table):
    from segkit.plots import plot_feature_by_segment

    features, labels, _ = small_table  # segment 2: 5 customers, all with Income 200
    hidden = profile_segments(features, labels, min_cell_size=10).hidden_segments("Income")
    ax = plot_feature_by_segment(features, "Income", labels, hidden=hidden, min_cell_size=10)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Segment 0", "Segment 1", "Segment 2"]
    assert len(ax.patches) == 2  # boxes for segments 0 and 1 only
    assert [t.get_text() for t in ax.texts] == ["suppressed: fewer than 10 customers"]
    assert ax.get_xlim()[1] < 200
    hidden = profile_segments(features, labels, min_cell_size=5).hidden_segments("Income")
    assert len(plot_feature_by_segment(features, "Income", labels, hidden=hidden, min_cell_size=5).patches) == 3


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


# --------------------------------------------------------------------------- names


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
    assert names.loc[0, "name"] == "High-income customers"
    assert names.loc[1, "name"] == "High-income customers #1"
    assert all(len(x.split()) <= 5 for x in names["name"])
    overridden = name_segments(profile, overrides={"1": "Affluent twins", 2: "Budget"})
    assert overridden["name"].tolist() == ["High-income customers", "Affluent twins", "Budget"]
    with pytest.raises(ConfigError, match="segment 7"):
        name_segments(profile, overrides={7: "Ghost"})


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


def test_profile_and_names_on_marketing_campaign(shared_data):
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    df = pd.read_csv(shared_data / "marketing_campaign" / "marketing_campaign.csv", sep="\t")
    df = df.set_index(df["ID"].astype(str).rename("customer_id")).drop(columns=["ID", "Z_CostContact", "Z_Revenue"])
    df["Dt_Customer"] = pd.to_datetime(df["Dt_Customer"], format="%d-%m-%Y")
    used = ["Income", "MntWines", "MntMeatProducts", "NumWebPurchases", "NumStorePurchases", "Kidhome", "Teenhome"]
    x = StandardScaler().fit_transform(df[used].fillna(df[used].median()))
    labels = pd.Series(KMeans(5, n_init=3, random_state=0).fit_predict(x), index=df.index, name="segment")
    start = time.perf_counter()
    profile = profile_segments(df, labels, value_col="MntWines")
    names = name_segments(profile)
    elapsed = time.perf_counter() - start
    assert elapsed < 10
    # every feature of every basis is profiled, not only the clustered ones
    assert {"Recency", "MntGoldProds", "Education", "Marital_Status", "Response"} <= set(profile.long["feature"])
    assert profile.summary["size"].sum() == len(df)
    assert profile.summary["revenue_share"].sum() == pytest.approx(1.0)
    assert names["name"].is_unique and all(len(n.split()) <= 5 for n in names["name"])
    assert not names["name"].str.contains("Customers #").any()


def test_snake_plot_keeps_the_other_segments_when_one_is_suppressed():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from segkit.plots import plot_profile_lines

    wide = pd.DataFrame({"recency_days": [10.0, 50.0, np.nan], "frequency": [5.0, 1.0, np.nan]}, index=[0, 1, 2])
    ax = plot_profile_lines(wide)
    assert len(ax.lines) == 2 + 1  # two segments and the zero line
    plt.close(ax.figure)


def test_children_total_and_young_children_read_differently():
    from segkit.profile import humanise

    assert humanise("Kidhome") == "children at home"
    assert humanise("children") == "children (all ages)"


def test_size_plot_says_when_there_is_no_revenue():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    from segkit.plots import plot_segment_sizes

    summary = pd.DataFrame({"share": [0.6, 0.4]}, index=pd.Index([0, 1], name="segment"))
    ax = plot_segment_sizes(summary)
    assert ax.get_title() == "Share of customers per segment (no revenue in the data)"
    assert ax.get_legend() is None
    plt.close(ax.figure)
    ax = plot_segment_sizes(summary.assign(revenue_share=[0.7, 0.3]))
    assert "revenue" in ax.get_title() and ax.get_legend() is not None
    plt.close(ax.figure)


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
