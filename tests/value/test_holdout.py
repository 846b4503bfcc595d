"""Tests for segkit.value.holdout: when a log is long enough, and the test itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.value import BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel
from segkit.value.holdout import (cohort_reason, holdout_split, holdout_test, scoring_failure, segment_table,
                                  tracking)
from segkit.value.periods import period_summaries
from tests.value.conftest import simulated_log


@pytest.mark.parametrize(("days", "holdout"), [(365, 121), (84, 28), (1000, 333)],
                         ids=["one-year", "shortest-testable", "three-years"])
def test_the_last_third_is_the_holdout(days, holdout):
    first = pd.Timestamp("2023-01-01")
    cal, reason = holdout_split(first, first + pd.Timedelta(days=days))
    assert reason == "" and (first + pd.Timedelta(days=days) - cal).days == holdout


@pytest.mark.parametrize("days", [0, 30, 83], ids=["one-day", "one-month", "just-too-short"])
def test_a_short_log_says_how_long_it_would_need_to_be(days):
    first = pd.Timestamp("2023-01-01")
    cal, reason = holdout_split(first, first + pd.Timedelta(days=days))
    assert cal is None and reason == f"the log spans {days} days; a holdout test needs at least 84 " \
                                     "(a third of the span, at least 28 days, to test on)"


def test_slow_buyers_or_a_small_cohort_cannot_be_tested():
    rng = np.random.default_rng(3)
    start = pd.Timestamp("2023-01-01") + pd.to_timedelta(np.arange(300) % 60, "D")
    slow = pd.DataFrame({"customer_id": [f"c{i}" for i in range(300)] * 2,  # a purchase every 200 days
                         "date": list(start) + list(start + pd.Timedelta(days=200)), "amount": 10.0})
    slow.loc[len(slow)] = ["c0", pd.Timestamp("2024-02-04"), 10.0]  # the log spans 399 days
    end = slow["date"].max()
    cal, _ = holdout_split(slow["date"].min(), end)
    s = period_summaries(slow, calibration_end=cal, observation_end=end)
    assert "longer than the" in cohort_reason(s) and "(median)" in cohort_reason(s)
    few = simulated_log(60, rng=rng)
    cal, _ = holdout_split(few["date"].min(), few["date"].max())
    s = period_summaries(few, calibration_end=cal, observation_end=few["date"].max())
    assert cohort_reason(s).startswith("60 customers bought by") and "needs 100 and 30" in cohort_reason(s)


@pytest.fixture(scope="module")
def tested():
    log = simulated_log(5000, rng=np.random.default_rng(7), dropout="pareto", shape=0.8, scale=15.0)
    end = log["date"].max()
    cal, _ = holdout_split(log["date"].min(), end)
    ids = log["customer_id"].unique()
    labels = pd.Series(np.arange(len(ids)) % 3, index=ids, name="segment")
    labels.iloc[:5] = 3  # a segment too small to show
    summaries = period_summaries(log, calibration_end=cal, observation_end=end, labels=labels)
    return summaries, holdout_test(summaries)


def test_models_beat_the_baseline_on_customers_who_leave(tested):
    summaries, result = tested
    assert result.winner in ("BG/NBD", "MBG/NBD", "Pareto/NBD") and not result.failures
    assert list(result.scores.index)[0] == result.winner and list(result.scores.index)[-1] == "baseline"
    assert result.mae < 0.9 * result.baseline_mae
    assert result.scores["actual"].nunique() == 1 and result.scores.loc["baseline", "actual"] == result.actual.sum()
    assert result.ranking(can_leave=True)[0] != "BG/NBD"


def test_segments_add_up_and_small_ones_are_blanked(tested):
    summaries, result = tested
    table = segment_table(summaries, result, min_cell_size=10)
    assert table.loc[3].isna().all()
    assert table["customers"].sum() == summaries.in_cohort.sum() - 5
    shown = table.dropna()
    assert shown["actual"].sum() == pytest.approx(result.actual.sum() - result.actual[
        summaries.segment[summaries.in_cohort] == 3].sum())


def test_the_tracking_curve_ends_at_the_holdout_totals(tested):
    summaries, result = tested
    curve = tracking(summaries, result)
    last = curve.index[-1]
    assert last == summaries.holdout_days and curve["actual"].is_monotonic_increasing
    assert curve.loc[last, "actual"] == result.actual.sum()
    assert curve.loc[last, "predicted"] == pytest.approx(result.scores.loc[result.winner, "predicted"], rel=1e-9)
    assert curve.loc[last, "baseline"] == pytest.approx(result.scores.loc["baseline", "predicted"], rel=1e-9)


class _NumericsFailForFrequentBuyers(ModifiedBetaGeoModel):
    """MBG/NBD whose expectations are NaN for customers with 3 or more repeat purchases, as scipy's
    hyp2f1 was for every customer of a fit with a collapsed purchase-rate gamma."""

    name = "MBG/NBD (NaN for frequent buyers)"

    def _while_alive(self, params, t, x, T):
        return np.where(x >= 3, np.nan, super()._while_alive(params, t, x, T))


def test_a_candidate_whose_predictions_are_not_numbers_is_recorded_as_failed_not_ranked(tested):
    summaries, _ = tested
    result = holdout_test(summaries, candidates=(BetaGeoModel, _NumericsFailForFrequentBuyers, ParetoNBDModel))
    name = _NumericsFailForFrequentBuyers.name
    frequent = int((summaries.x_cal[summaries.in_cohort] >= 3).sum())
    assert frequent > 0 and name not in result.models and name not in result.predicted
    assert result.failures[name].startswith(f"its holdout predictions are not numbers for {frequent:,} of "
                                            f"{int(summaries.in_cohort.sum()):,} customers (at r ")
    row = result.scores.loc[name]
    assert row["status"] == "failed" and np.isnan(row["mae"]) and row["reason"] == result.failures[name]
    assert list(result.scores.index)[-2:] == [name, "baseline"]  # after the scored ones, before the baseline
    assert result.winner in ("BG/NBD", "Pareto/NBD")
    assert set(result.scores.loc[["BG/NBD", "Pareto/NBD", "baseline"], "status"]) == {"scored"}


def test_a_fit_that_is_not_a_number_fails_before_its_predictions_are_looked_at():
    model = BetaGeoModel()
    model.params_, model.log_likelihood_ = pd.Series({"r": np.nan, "alpha": 1.0, "a": 1.0, "b": 1.0}), np.nan
    assert scoring_failure(model, np.ones(2), np.ones(2)).startswith("its fit is not finite (log-likelihood nan")
    model.params_, model.log_likelihood_ = pd.Series({"r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0}), -10.0
    model.hessian_finite_ = False
    assert "has no standard errors" in scoring_failure(model, np.ones(2), np.ones(2))
