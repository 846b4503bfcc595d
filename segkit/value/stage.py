"""The value stage of a report: lifetime value that is tested before it is shown.

:func:`validated_value` runs, on a standardised purchase log,

1. the purchase summaries of the whole log, of a calibration period and of its holdout
   (:mod:`segkit.value.periods`, one pass in DuckDB);
2. the holdout test (:mod:`segkit.value.holdout`): BG/NBD, MBG/NBD and Pareto/NBD fitted on
   the calibration period, the one whose holdout predictions are closest to what customers did
   wins, against a naive baseline;
3. the winner refitted on the whole log, with Gamma-Gamma for spend, predicting P(alive),
   purchases and lifetime value for every customer;
4. the checks (:data:`CHECKS`) that decide whether those predictions are reliable.

P(alive) comes from a model in which a customer who bought once and never again can have
left: when BG/NBD wins, P(alive) is taken from the better of MBG/NBD and Pareto/NBD.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from segkit.value.stage import validated_value
>>> rng = np.random.default_rng(0)
>>> log = pd.DataFrame({"customer_id": rng.integers(0, 50, 300).astype(str),
...                     "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, 300), "D"),
...                     "amount": rng.gamma(3.0, 10.0, 300)})
>>> result = validated_value(log)
>>> result.validation["reliable"], result.validation["reason"][:36]
(False, '49 customers bought by 2024-08-30 an')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from segkit.exceptions import ModelError
from segkit.io.purchase_log import PurchaseLog
from segkit.value.gammagamma import GammaGammaModel
from segkit.value.holdout import (
    HoldoutResult,
    _cap,
    cohort_reason,
    holdout_split,
    holdout_test,
    sample_rows,
    segment_table,
    tracking,
)
from segkit.value.likelihood import LOG_BOUND, _blas_controller, distinct_rows
from segkit.value.periods import UNIT_DAYS, PeriodSummaries, period_summaries
from segkit.value.purchase import PurchaseModel

__all__ = ["CHECKS", "GAMMA_SHAPES", "ValueResult", "check_models", "fit_problems", "validated_value"]

#: The checks a reliable prediction passes, with their thresholds (see :func:`check_models`).
CHECKS = {
    "log_bound_margin": 1.0,   # a parameter whose log is within this of the optimiser's bound is at a bound
    "alive_level": 0.99,       # P(alive) at or above this counts as "surely alive" ...
    "alive_share": 0.90,       # ... and a model that says so of this share of customers sees no one leave
    "max_gamma_shape": 1e3,    # a gamma shape (r, s) above this: every customer has the same rate
}

#: The parameters that are shapes of a gamma distribution of rates (purchase rate ``r``, Pareto/NBD's
#: dropout rate ``s``): above ``CHECKS["max_gamma_shape"]`` the rates' coefficient of variation,
#: ``1 / sqrt(shape)``, is under 3%, the distribution has collapsed to a point, and the scale
#: (``alpha``, ``beta``) grows with the shape towards the optimiser's bound: a limit, not an estimate.
GAMMA_SHAPES = ("r", "s")


@dataclass
class ValueResult:
    """What the value stage found; ``validation`` is ``summary.json["value"]["validation"]``.

    Attributes
    ----------
    validation : dict
        ``model, calibration_end, holdout_days, customers, mae, baseline_mae, reliable, reason``.
    customers : DataFrame or None
        Per customer (indexed by ``customer_id``): ``p_alive``, ``expected_purchases`` (in
        ``horizon_weeks``), ``expected_value`` and ``clv``; None when nothing could be predicted.
        Present but not to be shown as fact when ``validation["reliable"]`` is False.
    holdout : HoldoutResult or None
    segments : DataFrame
        Per segment, the holdout test (:func:`segkit.value.holdout.segment_table`).
    tracking : DataFrame
        Cumulative holdout purchases, actual and predicted (:func:`segkit.value.holdout.tracking`).
    models : dict
        The models refitted on the whole log: ``purchases``, ``p_alive`` (the same unless
        BG/NBD won) and ``spend`` (Gamma-Gamma).
    """

    validation: dict[str, Any]
    customers: pd.DataFrame | None = None
    holdout: HoldoutResult | None = None
    segments: pd.DataFrame = field(default_factory=pd.DataFrame)
    tracking: pd.DataFrame = field(default_factory=pd.DataFrame)
    models: dict[str, Any] = field(default_factory=dict)
    horizon_weeks: float = 52.0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def reliable(self) -> bool:
        return bool(self.validation["reliable"])

    def __repr__(self) -> str:
        v = self.validation
        if v["mae"] is None:
            return f"ValueResult(not tested: {v['reason']})"
        verdict = "reliable" if v["reliable"] else f"unreliable: {v['reason']}"
        return (f"ValueResult({v['model']} on {v['customers']:,} customers, holdout {v['holdout_days']} days: "
                f"MAE {v['mae']:.3f} vs baseline {v['baseline_mae']:.3f}; {verdict})")

    def model_table(self) -> pd.DataFrame:
        """The holdout scores of every candidate and the baseline, with the final models' parameters."""
        if self.holdout is None:
            return pd.DataFrame()
        table = self.holdout.scores.copy()
        table["parameters"] = [", ".join(f"{k} {v:.3g}" for k, v in self.holdout.models[n].params_.items())
                               if n in self.holdout.models else "" for n in table.index]
        return table


def _validation(model=None, summaries: PeriodSummaries | None = None, customers=0, mae=None, baseline=None,
                reliable=False, reason="") -> dict[str, Any]:
    cal = summaries.calibration_end if summaries is not None else None
    return {
        "model": model,
        "calibration_end": str(cal.date()) if cal is not None else None,
        "holdout_days": summaries.holdout_days if summaries is not None else None,
        "customers": int(customers),
        "mae": None if mae is None else round(float(mae), 6),
        "baseline_mae": None if baseline is None else round(float(baseline), 6),
        "reliable": bool(reliable),
        "reason": reason,
    }


def validated_value(
    log: pd.DataFrame | PurchaseLog,
    *,
    labels: pd.Series | None = None,
    observation_end=None,
    horizon_weeks: float = 52.0,
    fit_sample: int | None = 20_000,
    random_state: int = 0,
    min_cell_size: int = 10,
) -> ValueResult:
    """Tested lifetime value from a standardised purchase log.

    Parameters
    ----------
    log : DataFrame or PurchaseLog
        ``customer_id``, ``date``, ``amount`` (see :mod:`segkit.value.periods` for what
        counts as a purchase); a :class:`~segkit.io.PurchaseLog` on disk is summarised by DuckDB
        where it is.
    labels : Series, optional
        Segment labels indexed by customer id: only these customers, and the per-segment table.
    observation_end : date-like, optional
        The last day observed (default: the last purchase day).
    horizon_weeks : float
        Lifetime value is the expected spend over this many weeks (undiscounted).
    fit_sample : int or None
        The models are fitted on a seeded sample of this many customers when there are more;
        every customer is predicted and tested.
    random_state : int
        Seed of those samples.
    min_cell_size : int
        Segments with fewer customers are blanked in the per-segment table.

    Returns
    -------
    ValueResult
    """
    # Every step works on vectors; threaded BLAS only adds the cost of waking its threads.
    with _blas_controller().limit(limits=1, user_api="blas"):
        return _validated_value(log, labels=labels, observation_end=observation_end, horizon_weeks=horizon_weeks,
                                fit_sample=fit_sample, random_state=random_state, min_cell_size=min_cell_size)


def _validated_value(log, *, labels, observation_end, horizon_weeks, fit_sample, random_state,
                     min_cell_size) -> ValueResult:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if isinstance(log, PurchaseLog):
        first, last = log.date_range()
    else:
        dates = log["date"]
        first, last = dates.min(), dates.max()
    if pd.isna(first):
        return ValueResult(_validation(reason="the purchase log has no dated purchases"))
    end = pd.Timestamp(observation_end).normalize() if observation_end is not None else pd.Timestamp(last).normalize()
    calibration_end, reason = holdout_split(first, end)
    summaries = period_summaries(log, calibration_end=calibration_end if calibration_end is not None else end,
                                 observation_end=end, labels=labels)
    seconds["summaries"] = time.perf_counter() - started
    if calibration_end is None:
        return ValueResult(_validation(reason=reason), seconds=seconds)
    reason = cohort_reason(summaries)
    if reason:
        return ValueResult(_validation(summaries=summaries, customers=summaries.in_cohort.sum(), reason=reason),
                           seconds=seconds)
    started = time.perf_counter()
    holdout = holdout_test(summaries, fit_sample=fit_sample, random_state=random_state)
    for name, model in holdout.models.items():  # the candidates table says what is wrong with each fit
        holdout.scores.loc[name, "reason"] = "; ".join(fit_problems(model))
    seconds["holdout"] = time.perf_counter() - started
    result = ValueResult(
        _validation(model=holdout.winner, summaries=summaries, customers=summaries.in_cohort.sum(),
                    mae=holdout.mae if holdout.winner else None, baseline=holdout.baseline_mae),
        holdout=holdout, segments=segment_table(summaries, holdout, min_cell_size=min_cell_size),
        tracking=tracking(summaries, holdout), horizon_weeks=horizon_weeks, seconds=seconds,
    )
    result.validation["failed"] = dict(holdout.failures)
    if holdout.winner is None:
        result.validation["reason"] = "no model could be fitted and scored: " + "; ".join(
            f"{k}: {v}" for k, v in holdout.failures.items())
        return result
    started = time.perf_counter()
    problems = _final_fit(result, summaries, fit_sample=fit_sample, random_state=random_state)
    seconds["final"] = time.perf_counter() - started
    if holdout.mae >= holdout.baseline_mae:
        problems.insert(0, f"{holdout.winner} predicted the holdout no better than the naive baseline "
                           f"(mean absolute error {holdout.mae:.3f} against {holdout.baseline_mae:.3f})")
    result.validation["reliable"] = not problems
    result.validation["reason"] = "; ".join(problems) if problems else _passed(result)
    if holdout.failures:  # a candidate that failed to score is said, never silently left out
        result.validation["reason"] += "; " + failed_text(holdout.failures)
    return result


def failed_text(failures: dict[str, str]) -> str:
    """The candidates that failed to score on the holdout, and why, in one sentence.

    Examples
    --------
    >>> failed_text({"BG/NBD": "its holdout predictions are not numbers for 3 of 3 customers"})
    'not scored on the holdout (left out of the comparison): BG/NBD, as its holdout predictions are not numbers for 3 of 3 customers'
    """
    return "not scored on the holdout (left out of the comparison): " + "; ".join(
        f"{name}, as {reason}" for name, reason in failures.items())


def _passed(result: ValueResult) -> str:
    h = result.holdout
    gain = 1 - h.mae / h.baseline_mae if h.baseline_mae > 0 else 0.0
    return (f"{h.winner} predicted the {result.validation['holdout_days']}-day holdout with a mean absolute error "
            f"{gain:.0%} below the naive baseline's, and its fit on the whole log passed the checks")


def _final_fit(result: ValueResult, summaries: PeriodSummaries, *, fit_sample, random_state) -> list[str]:
    """Refit the winner (and the P(alive) model) on the whole log, predict every customer, check."""
    holdout = result.holdout
    x, tx, T, m = summaries.x, summaries.tx, summaries.T, summaries.m
    problems: list[str] = []
    alive_name = holdout.winner if holdout.models[holdout.winner].one_off_can_leave else next(
        iter(holdout.ranking(can_leave=True)), None)
    fitted: dict[str, PurchaseModel] = {}
    for name in dict.fromkeys([holdout.winner, alive_name]):
        if name is None:
            continue
        cls = type(holdout.models[name])
        fit_on = sample_rows(len(x), _cap(fit_sample, cls), random_state)
        try:  # the calibration fit is a good start; a degenerate one may not be, so retry from scratch
            try:
                fitted[name] = cls().fit(x[fit_on], tx[fit_on], T[fit_on], start=holdout.models[name].params_)
            except ModelError:
                fitted[name] = cls().fit(x[fit_on], tx[fit_on], T[fit_on])
        except ModelError as err:
            problems.append(f"{name} could not be refitted on the whole log ({err})")
    if problems or alive_name is None:
        return problems or ["no model in which a one-off buyer can leave could be fitted for P(alive)"]
    purchases, alive = fitted[holdout.winner], fitted[alive_name]
    spend = GammaGammaModel()
    repeat = np.flatnonzero((x > 0) & (m > 0))
    try:
        spend.fit(x[repeat[sample_rows(len(repeat), fit_sample, random_state)]],
                  m[repeat[sample_rows(len(repeat), fit_sample, random_state)]])
        value = spend.expected_average_value(x, m)
    except ModelError as err:
        problems.append(f"the spend model could not be used ({err})")
        value = np.full(len(x), np.nan)
    distinct = distinct_rows(x, tx, T)
    p_alive, expected = purchases.predict(result.horizon_weeks, x, tx, T, distinct=distinct)
    if alive is not purchases:
        p_alive = alive.predict(result.horizon_weeks, x, tx, T, distinct=distinct)[0]
    result.models = {"purchases": purchases, "p_alive": alive, "spend": spend}
    result.customers = pd.DataFrame(
        {"p_alive": p_alive, "expected_purchases": expected, "expected_value": value, "clv": expected * value},
        index=pd.Index(summaries.ids, name="customer_id"))
    if summaries.segment is not None:
        result.customers.attrs["segment"] = summaries.segment
    result.validation["p_alive_model"] = alive_name
    bad = ~(np.isfinite(p_alive) & np.isfinite(expected))
    if bad.any():
        problems.append(f"P(alive) or the expected purchases are not numbers for {int(bad.sum()):,} of "
                        f"{len(bad):,} customers")
    problems += check_models(purchases, alive, p_alive, recency_days=(T - tx) * UNIT_DAYS)
    return problems


def fit_problems(model: PurchaseModel, *, checks: dict | None = None) -> list[str]:
    """What makes a fitted purchase model's parameters a limit rather than an estimate, in words.

    * a parameter at a bound of the optimiser's search (its log within ``log_bound_margin`` of
      :data:`~segkit.value.likelihood.LOG_BOUND`);
    * a gamma shape (:data:`GAMMA_SHAPES`) above ``max_gamma_shape``: the rates no longer vary
      between customers, and shape and scale drift off together;
    * a Hessian that is not positive definite (a parameter not identified).

    Examples
    --------
    >>> import pandas as pd
    >>> from segkit.value import BetaGeoModel
    >>> m = BetaGeoModel()
    >>> m.params_ = pd.Series({"r": 8.3e4, "alpha": 2.8e6, "a": 0.35, "b": 24.3})
    >>> fit_problems(m)[0][:71]
    'r = 8.3e+04 is beyond 1,000: the gamma distribution of purchase rates h'
    """
    checks = {**CHECKS, **(checks or {})}
    problems = []
    logs = np.log(model.params_)
    for name, value in model.params_.items():
        if abs(logs[name]) >= LOG_BOUND - checks["log_bound_margin"]:
            problems.append(f"{name} = {value:.3g} is at the bound of the search (the likelihood has no maximum there)")
        elif name in GAMMA_SHAPES and value > checks["max_gamma_shape"]:
            what = "purchase" if name == "r" else "dropout"
            problems.append(f"{name} = {value:.3g} is beyond {checks['max_gamma_shape']:,.0f}: the gamma distribution "
                            f"of {what} rates has collapsed to a point (they vary by {1 / np.sqrt(value):.1%} between "
                            "customers), so the fit is a limit of the model, not an estimate")
    if getattr(model, "identified_", True) is False:
        problems.append("the likelihood is flat in some direction at the fit "
                        "(its Hessian is not positive definite), so a parameter is not identified")
    return problems


def check_models(purchases: PurchaseModel, alive: PurchaseModel, p_alive: np.ndarray, *,
                 recency_days: np.ndarray | None = None, checks: dict | None = None) -> list[str]:
    """What is wrong with fitted models, in words (empty when nothing is).

    * what :func:`fit_problems` finds in either model (a parameter at a bound of the optimiser or
      a collapsed gamma shape: a limit, not an estimate; a Hessian that is not positive definite);
    * P(alive) near 1 for nearly everyone (the model sees no customer leave).

    Examples
    --------
    >>> import pandas as pd
    >>> from segkit.value import ModifiedBetaGeoModel
    >>> m = ModifiedBetaGeoModel()
    >>> m.params_ = pd.Series({"r": 0.5, "alpha": 5.0, "a": 1e-9, "b": 3.0})
    >>> check_models(m, m, np.full(10, 0.999))[0]
    'MBG/NBD: a = 1e-09 is at the bound of the search (the likelihood has no maximum there)'
    """
    checks = {**CHECKS, **(checks or {})}
    problems = []
    for model in dict.fromkeys([purchases, alive]):
        problems += [f"{model.name}: {p}" for p in fit_problems(model, checks=checks)]
    share = float(np.mean(p_alive >= checks["alive_level"])) if len(p_alive) else 0.0
    if share >= checks["alive_share"]:
        detail = ""
        if recency_days is not None and len(recency_days):
            detail = f", although half the customers last bought {np.median(recency_days):.0f} or more days ago"
        problems.append(f"{alive.name} puts P(alive) at {checks['alive_level']:.0%} or more for {share:.0%} of "
                        f"customers{detail}: the fit sees no one leave")
    return problems
