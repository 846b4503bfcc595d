"""Tests for segkit.value.stage: lifetime value shown only when it passed its tests."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from segkit.features import build_features
from segkit.value import ModifiedBetaGeoModel
from segkit.value.stage import check_models, validated_value
from tests.value.conftest import simulated_log


@pytest.mark.parametrize("dropout", ["mbg", "pareto"], ids=["leave-after-a-purchase", "leave-any-time"])
def test_customers_who_leave_get_a_reliable_named_prediction(dropout):
    log = simulated_log(4000, rng=np.random.default_rng(11), dropout=dropout, shape=1.0, scale=10.0)
    result = validated_value(log)
    v = result.validation
    assert v["reliable"], v["reason"]
    assert v["model"] in ("MBG/NBD", "Pareto/NBD", "BG/NBD") and v["mae"] < v["baseline_mae"]
    assert set(v) >= {"model", "calibration_end", "holdout_days", "customers", "mae", "baseline_mae", "reliable",
                      "reason"}
    assert result.models["p_alive"].one_off_can_leave
    c = result.customers
    assert list(c.columns) == ["p_alive", "expected_purchases", "expected_value", "clv"]
    assert c["p_alive"].between(0, 1).all() and (c["clv"] >= 0).all() and len(c) == 4000
    assert "predicted the" in v["reason"]


def test_customers_who_never_leave_make_value_unreliable_and_say_why():
    log = simulated_log(4000, rng=np.random.default_rng(1), dropout="none")
    v = validated_value(log).validation
    assert not v["reliable"]
    assert "no better than the naive baseline" in v["reason"] or "sees no one leave" in v["reason"]


@pytest.mark.parametrize(("days", "customers", "needle"), [(40, 500, "the log spans"), (300, 40, "customers bought by")],
                         ids=["six-weeks-of-log", "forty-customers"])
def test_too_little_data_is_not_tested_and_says_so(days, customers, needle):
    rng = np.random.default_rng(5)
    n = customers * 4
    log = pd.DataFrame({"customer_id": rng.integers(0, customers, n).astype(str),
                        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, days, n), "D"),
                        "amount": 10.0})
    result = validated_value(log)
    assert not result.reliable and needle in result.validation["reason"] and result.customers is None
    assert "not tested" in repr(result) or "unreliable" in repr(result)


def test_a_parameter_at_a_bound_or_no_one_leaving_is_reported():
    m = ModifiedBetaGeoModel()
    m.params_ = pd.Series({"r": 0.5, "alpha": 5.0, "a": 1e-9, "b": 3.0})
    problems = check_models(m, m, np.full(100, 0.999), recency_days=np.full(100, 400.0))
    assert problems[0].startswith("MBG/NBD: a = 1e-09 is at the bound")
    assert "99% or more for 100% of customers, although half the customers last bought 400 or more days ago" \
        in problems[1]
    fine = ModifiedBetaGeoModel()
    fine.params_ = pd.Series({"r": 0.5, "alpha": 5.0, "a": 0.9, "b": 3.0})
    assert check_models(fine, fine, np.linspace(0.1, 1.0, 100)) == []


def test_cdnow_sample_p_alive_agrees_with_recency(cdnow_sample):
    """On CDNOW, BG/NBD puts every one-off buyer at P(alive) 1, so RFM 'Lost' customers came out above
    'Champions'; the value stage's P(alive) comes from a model in which they can be gone."""
    log = pd.DataFrame({"customer_id": pd.array(cdnow_sample["customer_id"].astype(str), dtype="string"),
                        "date": pd.to_datetime(cdnow_sample["date"].astype(str), format="%Y%m%d"),
                        "amount": cdnow_sample["dollars"].astype(float)})
    result = validated_value(log)
    assert result.reliable, result.validation["reason"]
    assert result.validation["mae"] < result.validation["baseline_mae"]
    rfm = build_features(transactions=log.assign(invoice=pd.NA), drop_duplicates=False).rfm["rfm_segment"]
    p = result.customers["p_alive"].groupby(rfm.reindex(result.customers.index)).mean()
    assert p["Lost"] < p["Champions"] - 0.3, p


@pytest.fixture(scope="module")
def one_rate_log():
    """Every customer buys about once a week for up to three years and never leaves: no heterogeneity
    for the gamma of purchase rates to fit (the shape of bench_value.py's uniformly random log)."""
    return simulated_log(2000, rng=np.random.default_rng(4), dropout="none", r=1e4, alpha=1e4, weeks=156.0)


def test_one_purchase_rate_for_all_scores_every_model_and_flags_the_collapsed_fit(one_rate_log):
    result = validated_value(one_rate_log)
    v, scores = result.validation, result.holdout.scores
    assert v["failed"] == {} and set(scores["status"]) == {"scored"}
    assert np.isfinite(scores["mae"]).all() and len(scores) == 4  # BG/NBD and MBG/NBD used to be NaN
    assert not v["reliable"] and "the gamma distribution of purchase rates has collapsed to a point" in v["reason"]
    assert f"{v['model']}: r = " in v["reason"]
    assert all("collapsed to a point" in scores.loc[n, "reason"] for n in result.holdout.models)
    assert np.isfinite(result.customers.to_numpy()).all()


class _AlwaysNaN(ModifiedBetaGeoModel):
    name = "MBG/NBD (NaN everywhere)"

    def _while_alive(self, params, t, x, T):
        return np.full(np.shape(x), np.nan)


def test_a_candidate_that_failed_to_score_is_named_in_the_verdict(monkeypatch):
    from segkit.value import BetaGeoModel, ParetoNBDModel
    from segkit.value import stage
    from segkit.value.holdout import holdout_test

    monkeypatch.setattr(stage, "holdout_test", functools.partial(
        holdout_test, candidates=(BetaGeoModel, _AlwaysNaN, ParetoNBDModel)))
    log = simulated_log(3000, rng=np.random.default_rng(11), dropout="pareto", shape=1.0, scale=10.0)
    v = stage.validated_value(log).validation
    assert list(v["failed"]) == [_AlwaysNaN.name] and v["failed"][_AlwaysNaN.name].startswith(
        "its holdout predictions are not numbers for 3,000 of 3,000 customers")
    assert v["reason"].endswith(f"; not scored on the holdout (left out of the comparison): {_AlwaysNaN.name}, as "
                                f"{v['failed'][_AlwaysNaN.name]}")
    assert v["model"] in ("BG/NBD", "Pareto/NBD")


def test_a_collapsed_gamma_shape_is_a_limit_not_an_estimate():
    m = ModifiedBetaGeoModel()
    m.params_ = pd.Series({"r": 3.56e5, "alpha": 1.2e7, "a": 0.003, "b": 1227.0})
    problems = check_models(m, m, np.linspace(0.1, 1.0, 100))
    assert problems == ["MBG/NBD: r = 3.56e+05 is beyond 1,000: the gamma distribution of purchase rates has "
                        "collapsed to a point (they vary by 0.2% between customers), so the fit is a limit of the "
                        "model, not an estimate"]
    m.params_["r"] = 900.0
    assert check_models(m, m, np.linspace(0.1, 1.0, 100)) == []


def test_when_no_candidate_can_be_scored_nothing_is_predicted_and_the_reason_says_why(monkeypatch):
    from segkit.value import stage
    from segkit.value.holdout import holdout_test

    monkeypatch.setattr(stage, "holdout_test", functools.partial(holdout_test, candidates=(_AlwaysNaN,)))
    log = simulated_log(1000, rng=np.random.default_rng(12), dropout="pareto", shape=1.0, scale=10.0)
    result = stage.validated_value(log)
    v = result.validation
    assert v["model"] is None and v["mae"] is None and not v["reliable"] and result.customers is None
    assert v["reason"].startswith(f"no model could be fitted and scored: {_AlwaysNaN.name}: its holdout predictions "
                                  "are not numbers for 1,000 of 1,000 customers")
    assert repr(result).startswith("ValueResult(not tested: no model could be fitted and scored")
