"""Tests for segkit.target.abtest: sample sizes against published values, plans per segment, seeded
stratified assignment and the analysis of results; sample size and detectable effect share one formula."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from segkit.exceptions import ColumnError, ConfigError, DataError
from segkit.target import ab_analyse, ab_assign, ab_plan, targeting_table
from segkit.target.abtest import ab_minimum_detectable_effect, ab_sample_size
from tests.shapes import customer_index


@pytest.mark.parametrize("baseline", [0.02, 0.1, 0.4])
@pytest.mark.parametrize("two_sided", [True, False], ids=["two-sided", "one-sided"])
def test_detectable_effect_inverts_the_sample_size(baseline, two_sided):
    for mde in (0.01, 0.05):
        n = ab_sample_size(baseline, mde, two_sided=two_sided, power=0.9)
        detectable = ab_minimum_detectable_effect(baseline, n, two_sided=two_sided, power=0.9)
        assert detectable <= mde + 1e-9  # n is rounded up, so it detects at least mde
        # the root is found to a tolerance, so the size it needs may round up to one more
        assert ab_sample_size(baseline, detectable, two_sided=two_sided, power=0.9) in (n, n + 1)


def test_too_small_a_test_detects_nothing():
    assert ab_minimum_detectable_effect(0.1, 1) != ab_minimum_detectable_effect(0.1, 1)  # NaN


def test_ab_results_with_capitalised_groups_and_yes_no_outcomes():
    results = pd.DataFrame({"segment": [0] * 40,
                            "group": ["Treatment"] * 20 + ["Holdout "] * 20,
                            "outcome": ["yes"] * 8 + ["no"] * 12 + ["yes"] * 4 + ["no"] * 16})
    r = ab_analyse(results, min_cell_size=5)
    counts = ["n_treatment", "n_control", "responders_treatment", "responders_control"]
    assert r.loc[0, counts].tolist() == [20, 20, 8, 4]
    assert r.loc[0, "difference"] == pytest.approx(0.2)


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
    ids = customer_index(101)
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
