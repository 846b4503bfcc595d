"""Tests for segkit.target: Wilson intervals, targeting, attractiveness, A/B tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning
from segkit.target import (
    ab_analyse,
    ab_assign,
    ab_minimum_detectable_effect,
    ab_plan,
    ab_sample_size,
    attractiveness,
    campaign_economics,
    target_lists,
    targeting_table,
    wilson_interval,
)


def _ids(n, prefix="c"):
    return pd.Index([f"{prefix}{i:04d}" for i in range(n)], name="customer_id")


# --------------------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(10, 100, 0.0552, 0.1744), (0, 20, 0.0, 0.1611), (20, 20, 0.8389, 1.0), (50, 100, 0.4038, 0.5962),
     (1, 10, 0.0179, 0.4042)],
    ids=["10/100", "0/20", "20/20", "50/100", "1/10"],
)
def test_wilson_interval_known_values(k, n, low, high):
    """Published / textbook Wilson 95% intervals (e.g. Newcombe 1998, Table I)."""
    lo, hi = wilson_interval(k, n)
    assert (round(lo, 4), round(hi, 4)) == (low, high)


def test_wilson_interval_is_vectorised_and_handles_empty():
    low, high = wilson_interval(np.array([10, 0, 5]), np.array([100, 0, 5]), confidence=0.9)
    assert low.shape == (3,) and np.isnan(low[1]) and np.isnan(high[1])
    z = stats.norm.ppf(0.95)
    p, n = 0.1, 100
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert low[0] == pytest.approx(centre - half, abs=1e-12) and high[0] == pytest.approx(centre + half, abs=1e-12)
    with pytest.raises(DataError):
        wilson_interval(5, 3)
    with pytest.raises(ConfigError, match="confidence"):
        wilson_interval(1, 3, confidence=95)


# --------------------------------------------------------------------------- targeting


@pytest.fixture
def campaign():
    """Three segments of 100: 40, 27 and 10 responders; one segment of 5."""
    ids = _ids(305)
    labels = pd.Series([2] * 100 + [0] * 100 + [1] * 100 + [3] * 5, index=ids, name="segment")
    response = pd.Series([1] * 40 + [0] * 60 + [1] * 27 + [0] * 73 + [1] * 10 + [0] * 90 + [1] * 5, index=ids)
    return labels, response


def test_targeting_table_exact_numbers(campaign):
    labels, response = campaign
    names = pd.DataFrame({"name": ["Keen", "Maybe", "Cold", "Tiny"]}, index=[2, 0, 1, 3])
    t = targeting_table(labels, response, names=names, cost_per_contact=3, revenue_per_response=11,
                        min_cell_size=10)
    assert list(t.columns) == ["segment", "name", "customers", "size", "responders", "response_rate", "rate_low",
                               "rate_high", "expected_profit_per_contact", "expected_total_profit",
                               "break_even_rate", "action", "suppressed", "suppressed_reason"]
    assert t["segment"].tolist() == [0, 1, 2, 3]
    assert t["name"].tolist() == ["Maybe", "Cold", "Keen", "Tiny"]
    shown = t[~t["suppressed"]]
    assert shown["response_rate"].tolist() == [0.27, 0.10, 0.40]
    # Expected profit is exactly rate * revenue - cost, for every segment.
    assert (shown["expected_profit_per_contact"] == shown["response_rate"] * 11 - 3).all()
    assert (shown["expected_total_profit"] == shown["expected_profit_per_contact"] * shown["size"]).all()
    assert shown["expected_profit_per_contact"].round(10).tolist() == [-0.03, -1.9, 1.4]
    assert (t["break_even_rate"] == 3 / 11).all()
    low, high = wilson_interval([27, 10, 40], [100, 100, 100])
    assert np.allclose(shown["rate_low"], low) and np.allclose(shown["rate_high"], high)
    assert t["action"].tolist() == ["test first", "do not contact", "target", "too small to judge"]
    tiny = t.iloc[3]
    assert tiny["suppressed"] and np.isnan(tiny["size"]) and np.isnan(tiny["response_rate"])


def test_tiny_segment_is_too_small_to_judge(tmp_path):
    """4 customers who all responded: the interval (51%-100%) clears break-even, but 4 < 10.

    The row stays (targeting.csv has one row per segment), named, with the action "too
    small to judge" and no figure describing the 4 customers.
    """
    ids = _ids(104)
    labels = pd.Series([0] * 100 + [1] * 4, index=ids, name="segment")
    response = pd.Series([1] * 30 + [0] * 70 + [1] * 4, index=ids)
    assert wilson_interval(4, 4)[0] > 3 / 11  # what the rule alone would call "target"
    t = targeting_table(labels, response, names={0: "Regulars", 1: "Small segment 1"}, cost_per_contact=3,
                        revenue_per_response=11, min_cell_size=10)
    tiny = t.set_index("segment").loc[1]
    assert tiny["action"] == "too small to judge" and tiny["name"] == "Small segment 1" and tiny["suppressed"]
    revealing = ["customers", "size", "responders", "response_rate", "rate_low", "rate_high", "expected_profit_per_contact",
                 "expected_total_profit"]
    assert tiny[revealing].isna().all()
    assert tiny["break_even_rate"] == 3 / 11  # the same for every segment: says nothing about these 4
    assert t.set_index("segment").loc[0, "action"] == "test first"
    t.to_csv(tmp_path / "targeting.csv", index=False)
    written = pd.read_csv(tmp_path / "targeting.csv")
    assert len(written) == labels.nunique()  # what check_report.py requires
    assert written["action"].tolist() == ["test first", "too small to judge"]
    assert written.loc[1, revealing].isna().all()
    assert target_lists(labels, t, actions=("target", "test first"))["segment"].unique().tolist() == [0]


def test_targeting_table_inputs(campaign):
    labels, response = campaign
    with_missing = response.astype("Float64")
    with_missing.iloc[0] = pd.NA
    with pytest.warns(SegkitWarning, match="without a response"):
        t = targeting_table(labels, with_missing, cost_per_contact=3, revenue_per_response=11, min_cell_size=0)
    assert t.loc[t["segment"] == 2, "size"].item() == 99
    assert t["name"].tolist() == ["Segment 0", "Segment 1", "Segment 2", "Segment 3"]
    bad = response.astype(object)
    bad.iloc[3] = "maybe"
    with pytest.raises(DataError, match="row 4"):
        targeting_table(labels, bad, cost_per_contact=3, revenue_per_response=11)
    with pytest.raises(ConfigError):
        targeting_table(labels, response, cost_per_contact=3, revenue_per_response=0)


def test_target_lists(campaign):
    labels, response = campaign
    t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11)
    lists = target_lists(labels, t, actions=("target", "test first"))
    # segment 3 is suppressed ("too small to judge"): not a test-first segment
    assert sorted(lists["segment"].unique().tolist()) == [0, 2]
    assert list(lists.columns) == ["customer_id", "segment", "segment_name", "action"]
    assert len(lists) == 200
    assert len(target_lists(labels, t, actions=("too small to judge",))) == 5  # only when asked for by name
    with pytest.raises(ConfigError):
        target_lists(labels, t, actions=("call",))


def test_campaign_economics_from_columns_and_config():
    df = pd.DataFrame({"Z_CostContact": [3, 3, 3], "Z_Revenue": [11, 11, 11], "Income": [1, 2, 3]})
    assert campaign_economics(df)[:2] == (3.0, 11.0)
    assert campaign_economics(df, cost=2, revenue=20)[:2] == (2.0, 20.0)
    assert campaign_economics(df, revenue=20).cost_per_contact == 3.0
    assert campaign_economics(None, cost=1, revenue=5).source == "config"
    varied = df.assign(Z_Revenue=[11, 12, 11])
    with pytest.raises(DataError, match="Z_Revenue"):
        campaign_economics(varied)
    with pytest.raises(ConfigError, match="cost"):
        campaign_economics(df[["Income"]])


def test_targeting_on_marketing_campaign(shared_data):
    """Income quartiles and past-acceptance groups on the iFood data (Response, cost 3, revenue 11).

    Break-even is 3/11 = 27.3%. Only the top income quartile (26.9%, interval 23.4-30.7%)
    comes near it, so it is 'test first' and the rest 'do not contact'. Customers who
    accepted 2+ earlier campaigns respond at 63% -> 'target'.
    """
    df = pd.read_csv(shared_data / "marketing_campaign" / "marketing_campaign.csv", sep="\t")
    df = df.set_index(df["ID"].astype(str).rename("customer_id"))
    economics = campaign_economics(df)
    assert economics[:2] == (3.0, 11.0)
    income = df["Income"].dropna()
    quartile = pd.qcut(income, 4, labels=False).astype("int64").rename("segment")
    t = targeting_table(quartile, df["Response"], cost_per_contact=3, revenue_per_response=11)
    assert t["size"].tolist() == [554, 554, 554, 554]
    assert t["response_rate"].idxmax() == 3
    assert t["action"].tolist() == ["do not contact", "do not contact", "do not contact", "test first"]
    assert (t["expected_profit_per_contact"] == t["response_rate"] * 11 - 3).all()
    assert round(t.loc[3, "response_rate"], 4) == 0.2690

    accepted = df[[f"AcceptedCmp{i}" for i in range(1, 6)]].sum(axis=1).clip(upper=2).rename("segment")
    t2 = targeting_table(accepted, df["Response"], cost_per_contact=3, revenue_per_response=11)
    assert t2["action"].tolist() == ["do not contact", "test first", "target"]
    assert t2["response_rate"].is_monotonic_increasing


# --------------------------------------------------------------------------- attractiveness


def test_attractiveness_scores_and_redistribution():
    seg = pd.DataFrame({"segment": [0, 1, 2], "size": [100, 300, 200], "revenue": [50.0, 10.0, 30.0],
                        "response_rate": [0.2, 0.05, 0.1]})
    r = attractiveness(seg, value_col="revenue", response_col="response_rate", scaling="minmax")
    assert r.index.tolist() == [0, 2, 1] and r["rank"].tolist() == [1, 2, 3]
    assert r.loc[2, "size_scaled"] == 0.5 and r.loc[2, "value_scaled"] == 0.5
    assert r.loc[2, "response_scaled"] == pytest.approx(1 / 3)
    assert r["score"].tolist() == pytest.approx([2 / 3, (0.5 + 0.5 + 1 / 3) / 3, 1 / 3])
    assert r.attrs["weights"] == pytest.approx({"size": 1 / 3, "value": 1 / 3, "response": 1 / 3})
    assert "growth" in r.attrs["note"] and "redistributed" in r.attrs["note"]
    assert np.allclose(r[["size_points", "value_points", "response_points"]].sum(axis=1), r["score"])


def test_attractiveness_weights_growth_and_rank_scaling():
    seg = pd.DataFrame({"size": [100, 300, 200], "clv": [50.0, 10.0, 30.0], "resp": [0.2, 0.05, 0.1],
                        "growth": [-0.1, 0.3, 0.0]}, index=pd.Index([0, 1, 2], name="segment"))
    r = attractiveness(seg, value_col="clv", response_col="resp", growth_col="growth",
                       weights={"size": 0, "value": 0, "response": 0, "growth": 1})
    assert r.index.tolist() == [1, 2, 0]
    assert r.attrs["note"] == ""
    ranked = attractiveness(seg, value_col="clv", scaling="rank", weights={"size": 1, "value": 3})
    assert ranked.attrs["weights"] == {"size": 0.25, "value": 0.75}
    assert ranked.loc[0, "value_scaled"] == 1.0 and ranked.loc[1, "value_scaled"] == 0.0
    with pytest.raises(ConfigError, match="unknown"):
        attractiveness(seg, weights={"loyalty": 1})
    size_only = attractiveness(seg, value_col=None, response_col=None)
    assert size_only.index.tolist() == [1, 2, 0] and size_only.attrs["weights"] == {"size": 1.0}
    with pytest.raises(ColumnError, match="nope"):
        attractiveness(seg, value_col="nope")


def test_attractiveness_scales_by_the_best_segment_by_default():
    """Nearly equal sizes get nearly equal points; min-max would give the smaller one none."""
    seg = pd.DataFrame({"size": [1133, 1107], "revenue_per_customer": [1200.0, 150.0],
                        "response_rate": [0.198, 0.099]}, index=pd.Index([0, 1], name="segment"))
    r = attractiveness(seg)
    assert r.loc[1, "size_scaled"] == pytest.approx(1107 / 1133)
    assert r.loc[1, "value_scaled"] == pytest.approx(0.125) and r.loc[1, "response_scaled"] == pytest.approx(0.5)
    assert r.attrs["scaling"] == "max"
    stretched = attractiveness(seg, scaling="minmax")
    assert stretched.loc[1, ["size_scaled", "value_scaled", "response_scaled"]].tolist() == [0.0, 0.0, 0.0]
    # growth can be negative: no natural zero, so it is scaled min to max
    grown = attractiveness(seg.assign(growth=[-0.1, 0.1]), growth_col="growth")
    assert grown.loc[0, "growth_scaled"] == 0.0 and grown.loc[1, "growth_scaled"] == 1.0
    with pytest.raises(ConfigError, match=r"one of \['max', 'minmax', 'rank'\]"):
        attractiveness(seg, scaling="log")


def test_attractiveness_leaves_suppressed_segments_unranked_and_off_the_scale():
    """Segment 3 is suppressed: its figures (even if a caller passes them) neither show nor set the scale."""
    seg = pd.DataFrame({"size": [100, 300, 200, 4], "revenue": [50.0, 10.0, 30.0, 900.0],
                        "suppressed": [False, False, False, True]}, index=pd.Index([0, 1, 2, 3], name="segment"))
    r = attractiveness(seg, value_col="revenue", response_col=None, weights={"size": 1, "value": 2},
                       scaling="minmax")
    assert r.index.tolist() == [0, 2, 1, 3] and r["rank"].tolist()[:3] == [1, 2, 3]
    assert r.loc[0, "value_scaled"] == 1.0 and r.loc[2, "value_scaled"] == 0.5  # 900 is not the maximum
    assert r.loc[1, "size_scaled"] == 1.0 and r.loc[0, "size_scaled"] == 0.0  # 4 is not the minimum
    assert r.loc[3, ["size", "value", "size_scaled", "value_points", "score"]].isna().all()
    assert pd.isna(r.loc[3, "rank"]) and r.loc[3, "unranked_reason"] == "too small to judge: figures suppressed"
    # suppressed only in targeting (too few known responses): unranked for that reason
    targeting = pd.DataFrame({"segment": [0, 1, 2, 3], "response_rate": [0.2, 0.1, np.nan, np.nan],
                              "suppressed": [False, False, True, True]})
    r2 = attractiveness(seg, targeting=targeting, value_col="revenue")
    assert r2.index.tolist() == [0, 1, 2, 3] and pd.isna(r2.loc[2, "rank"])
    assert r2.loc[2, "unranked_reason"] == "too few customers with a campaign response to judge"
    assert r2.loc[3, "unranked_reason"] == "too small to judge: figures suppressed"


# --------------------------------------------------------------------------- A/B


def _n_formula(p1, delta, alpha=0.05, power=0.8, two_sided=True):
    """n per arm = (z_a sqrt(2 pbar qbar) + z_b sqrt(p1 q1 + p2 q2))^2 / delta^2, rounded up."""
    p2 = p1 + delta
    pbar = (p1 + p2) / 2
    z_a = stats.norm.ppf(1 - alpha / 2 if two_sided else 1 - alpha)
    z_b = stats.norm.ppf(power)
    return (z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / delta**2


@pytest.mark.parametrize(
    ("baseline", "mde", "kwargs", "expected"),
    [(0.10, 0.02, {}, 3841), (0.50, 0.10, {}, 388), (0.10, 0.02, {"two_sided": False}, 3026),
     (0.10, 0.02, {"power": 0.9}, 5142), (0.05, 0.01, {}, 8158)],
    ids=["10pc+2pt", "50pc+10pt", "one-sided", "power90", "5pc+1pt"],
)
def test_ab_sample_size_known_values(baseline, mde, kwargs, expected):
    """Two-proportion sample size per arm (Fleiss, no continuity correction):

    n = (z_{1-alpha/2} sqrt(2 pbar (1 - pbar)) + z_{power} sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2

    e.g. p1 = 0.10, p2 = 0.12, alpha = 0.05 two-sided, power 0.8:
    (1.959964 * 0.442493 + 0.841621 * 0.442267)^2 / 0.0004 = 3840.8 -> 3841 per arm.
    """
    assert ab_sample_size(baseline, mde, **kwargs) == expected
    assert expected == math.ceil(_n_formula(baseline, mde, **kwargs))


def test_ab_sample_size_relative_and_errors():
    assert ab_sample_size(0.10, 0.2, relative=True) == 3841
    assert ab_minimum_detectable_effect(0.10, 3841) == pytest.approx(0.02, abs=1e-5)
    with pytest.raises(ConfigError):
        ab_sample_size(0.95, 0.1)
    with pytest.raises(ConfigError):
        ab_sample_size(0, 0.1)


def test_ab_plan_flags_small_segments():
    labels = pd.Series([0] * 8000 + [1] * 7682 + [2] * 500, name="segment")
    plan = ab_plan(labels, baseline_rates={0: 0.10, 1: 0.10, 2: 0.3}, mde=0.02)
    assert plan["n_per_arm"].tolist() == [3841, 3841, ab_sample_size(0.3, 0.02)]
    assert plan["sufficient"].tolist() == [True, True, False]
    assert plan["n_required"].tolist() == [2 * n for n in plan["n_per_arm"]]
    assert plan.loc[2, "detectable_mde"] > 0.02
    with pytest.raises(ConfigError, match="segments"):
        ab_plan(labels, baseline_rates={0: 0.1}, mde=0.02)


def test_ab_plan_gives_no_plan_for_a_suppressed_segment(campaign):
    """targeting_table's NaN rate for the 5-customer segment used to stop the run."""
    labels, response = campaign
    t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11)
    plan = ab_plan(labels, baseline_rates=t.set_index("segment")["response_rate"], mde=0.05)
    tiny = plan.set_index("segment").loc[3]
    assert pd.isna(tiny["size"]) and pd.isna(tiny["n_per_arm"]) and not tiny["sufficient"]
    assert plan.set_index("segment").loc[2, "n_per_arm"] == ab_sample_size(0.4, 0.05)


def test_ab_assign_is_seeded_and_stratified():
    ids = _ids(101)
    labels = pd.Series([0] * 60 + [1] * 41, index=ids, name="segment")
    a = ab_assign(labels, treatment_share=0.5, random_state=7)
    b = ab_assign(labels.sample(frac=1, random_state=3), treatment_share=0.5, random_state=7)
    c = ab_assign(labels, treatment_share=0.5, random_state=8)
    assert list(a.columns) == ["customer_id", "segment", "group"]
    assert a.equals(b)  # same seed, any input order -> same split
    assert not a["group"].equals(c["group"])
    counts = a.groupby("segment")["group"].value_counts().unstack()
    assert counts.loc[0, "treatment"] == 30 and counts.loc[1, "treatment"] == 21  # round(20.5) = 21, half up
    assert set(a["customer_id"]) == set(ids)
    small_share = ab_assign(labels, treatment_share=0.2, random_state=7)
    assert small_share["group"].eq("treatment").sum() == 12 + 8


def test_ab_analyse_exact():
    """Segment 0: 30/100 vs 20/100; segment 1: 10/50 vs 10/50; segment 2 too small.

    Segment 0: difference 0.10, unpooled SE sqrt(.3*.7/100 + .2*.8/100) = 0.060828,
    pooled z = 0.1 / sqrt(.25*.75*2/100) = 1.63299, p = 0.10247 (= chi-square 2x2, no
    correction). Overall (size-weighted): w = (200, 100)/300 -> 0.1 * 2/3 = 0.066667,
    SE = sqrt((2/3)^2 * 0.0037 + (1/3)^2 * 0.0064) = 0.048534.
    """
    rows = []
    for seg, (kt, nt, kc, nc) in {0: (30, 100, 20, 100), 1: (10, 50, 10, 50), 2: (2, 4, 1, 4)}.items():
        rows += [(seg, "treatment", 1)] * kt + [(seg, "treatment", 0)] * (nt - kt)
        rows += [(seg, "holdout", 1)] * kc + [(seg, "holdout", 0)] * (nc - kc)
    results = pd.DataFrame(rows, columns=["seg", "arm", "bought"])
    r = ab_analyse(results, segment_col="seg", group_col="arm", outcome_col="bought")
    assert r["segment"].tolist() == [0, 1, 2, "overall"]
    s0 = r.iloc[0]
    assert s0["difference"] == pytest.approx(0.1)
    se = math.sqrt(0.3 * 0.7 / 100 + 0.2 * 0.8 / 100)
    z = stats.norm.ppf(0.975)
    assert (s0["diff_low"], s0["diff_high"]) == pytest.approx((0.1 - z * se, 0.1 + z * se))
    assert s0["z"] == pytest.approx(1.632993, abs=1e-6)
    chi2_p = stats.chi2_contingency([[30, 70], [20, 80]], correction=False)[1]
    assert s0["p_value"] == pytest.approx(chi2_p)
    assert r.iloc[1]["difference"] == 0 and r.iloc[1]["p_value"] == pytest.approx(1.0)
    assert r.iloc[2]["suppressed"] and np.isnan(r.iloc[2]["difference"])
    overall = r.iloc[3]
    assert overall["difference"] == pytest.approx(0.1 * 2 / 3)
    assert (overall["diff_high"] - overall["difference"]) / z == pytest.approx(
        math.sqrt((2 / 3) ** 2 * 0.0037 + (1 / 3) ** 2 * 0.0064))
    assert overall["n_treatment"] == 150 and overall["n_control"] == 150
    assert "size-weighted" in r.attrs["overall_method"]


def test_ab_analyse_errors():
    results = pd.DataFrame({"segment": [0, 0], "group": ["treatment", "control"], "outcome": [1, 0]})
    with pytest.raises(DataError, match="control"):
        ab_analyse(results)
    with pytest.raises(ColumnError, match="outcome"):
        ab_analyse(results.drop(columns="outcome"))


def test_attractiveness_from_profile_summary_and_targeting(campaign):
    """The planted best-responding segment ranks first when size and value are level."""
    labels, response = campaign
    targeting = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11)
    summary = pd.DataFrame({"size": [100, 100, 100, np.nan], "revenue_per_customer": [20.0, 20.0, 20.0, np.nan],
                            "suppressed": [False, False, False, True]},
                           index=pd.Index([0, 1, 2, 3], name="segment"))
    r = attractiveness(summary, targeting=targeting, weights={"size": 1.0, "value": 1.0, "response": 1.0,
                                                              "growth": 1.0})
    assert r.index.tolist() == [2, 0, 1, 3]  # 40% > 27% > 10%; the suppressed segment has no score
    assert np.isnan(r.loc[3, "score"]) and pd.isna(r.loc[3, "rank"])
    assert r["unranked_reason"].tolist() == ["", "", "", "too small to judge: figures suppressed"]
    assert set(r.attrs["weights"]) == {"size", "value", "response"}
    assert "growth" in r.attrs["note"]


def test_ab_plan_without_variance_says_so_instead_of_failing():
    """A segment nobody (or everybody) answered has no sample size; the report must go on."""
    labels = pd.Series([0] * 500 + [1] * 300 + [2] * 200, name="segment")
    plan = ab_plan(labels, baseline_rates={0: 0.10, 1: 0.0, 2: 0.99}, mde=0.02).set_index("segment")
    assert plan.loc[0, "n_per_arm"] == ab_sample_size(0.10, 0.02) and plan.loc[0, "note"] == ""
    assert pd.isna(plan.loc[1, "n_per_arm"]) and not plan.loc[1, "sufficient"]
    assert plan.loc[1, "note"] == "no plan: an observed response rate of 0% gives no variance to size a test on"
    assert pd.isna(plan.loc[2, "n_per_arm"])
    assert plan.loc[2, "note"] == "no plan: a change of +2.0% from a 99.0% response rate is not a rate"
    relative = ab_plan(labels, baseline_rates={0: 0.10, 1: 0.0, 2: 0.5}, mde=0.2, relative=True)
    assert relative["n_per_arm"].isna().tolist() == [False, True, False]


# --------------------------------------------------------------------------- the whole segment's profit


def test_total_profit_is_for_the_whole_segment_when_responses_are_missing():
    """Segment 0: 100 customers, 50 answers (20 yes) and 50 blanks; segment 1: 100 answers (10 yes).

    The rate and the profit per contact come from the answers; the total is for contacting
    all 100 customers of each segment: 100 * (0.4 * 11 - 3) = 140, not 50 * 1.4 = 70.
    """
    ids = _ids(200)
    labels = pd.Series([0] * 100 + [1] * 100, index=ids, name="segment")
    response = pd.Series([1.0] * 20 + [0.0] * 30 + [np.nan] * 50 + [1.0] * 10 + [0.0] * 90, index=ids)
    with pytest.warns(SegkitWarning, match="50 customers without a response are left out"):
        t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=10)
    assert t["response_rate"].tolist() == [0.4, 0.1]
    assert t["expected_profit_per_contact"].round(10).tolist() == [1.4, -1.9]
    assert t["expected_total_profit"].round(10).tolist() == [140.0, -190.0]
    assert t["customers"].tolist() == [100, 100] and t["size"].tolist() == [50, 100]
    assert (t["expected_total_profit"] == t["expected_profit_per_contact"] * t["customers"]).all()
    assert t.attrs["without_response"] == 50


def test_total_profit_counts_segment_customers_absent_from_the_response_table():
    """A campaign sent to a sample: 120 of segment 0's 200 customers have a row, 30 of them yes."""
    ids = _ids(300)
    labels = pd.Series([0] * 200 + [1] * 100, index=ids, name="segment")
    answered = ids[80:]
    response = pd.Series([1] * 30 + [0] * 90 + [1] * 50 + [0] * 50, index=answered)
    with pytest.warns(SegkitWarning, match="80 labelled customers have no response"):
        t = targeting_table(labels, response, cost_per_contact=2, revenue_per_response=10, min_cell_size=10)
    assert t["response_rate"].tolist() == [0.25, 0.5]
    # 200 * (0.25 * 10 - 2) = 100 and 100 * (0.5 * 10 - 2) = 300
    assert t["expected_total_profit"].round(10).tolist() == [100.0, 300.0]
    assert t["customers"].tolist() == [200, 100] and t["size"].tolist() == [120, 100]


def test_a_segment_without_any_response_keeps_its_row(campaign):
    """Segment 4 (20 customers) has no answer at all: a row "too small to judge", and an A/B plan row."""
    labels, response = campaign
    extra = _ids(20, prefix="x")
    labels = pd.concat([labels, pd.Series(4, index=extra, name="segment")])
    response = pd.concat([response, pd.Series(np.nan, index=extra)])
    with pytest.warns(SegkitWarning, match="20 customers without a response"):
        t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=10)
    assert t["segment"].tolist() == [0, 1, 2, 3, 4]
    plan = ab_plan(labels, baseline_rates=t.set_index("segment")["response_rate"], mde=0.05)
    assert plan.set_index("segment").loc[4, "note"] == "too small to judge"
    last = t.set_index("segment").loc[4]
    assert last["action"] == "too small to judge" and last["suppressed"]
    assert last[["customers", "size", "responders", "response_rate", "expected_total_profit"]].isna().all()
