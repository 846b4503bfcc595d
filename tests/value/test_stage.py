"""Tests for segkit.value.stage: lifetime value shown only when it passed its tests."""

from __future__ import annotations

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
