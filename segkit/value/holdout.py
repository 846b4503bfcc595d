"""The calibration/holdout test of the purchase models: fit on the first part of the log,
predict each customer's purchases in the rest, compare with what they did.

When is the log long enough? (:data:`HOLDOUT_RULES`, :func:`holdout_split`)
    Two thirds of the span of the log calibrate, the last third is the holdout. The test
    runs when the holdout has at least four weeks (a shorter one says more about the calendar
    than about the customers), when the calibration period holds at least 100 customers, 30
    of them with a repeat purchase (four parameters are estimated from repeat buyers), and when
    the holdout is at least as long as the median time between a repeat buyer's purchases
    (shorter, and most customers would make no purchase in it whoever they are, so no
    model could be told from another). Otherwise nothing is predicted, and the reason says
    which condition failed.

What is compared (:func:`holdout_test`)
    Each candidate model (BG/NBD, MBG/NBD, Pareto/NBD) is fitted on the calibration period
    and predicts every cohort customer's purchase days in the holdout; its mean absolute
    error per customer is set against a naive baseline in which each customer keeps their
    past purchase rate (repeat purchases per week since their first purchase, times the
    holdout's weeks). The model with the lowest error wins. A candidate whose fit or
    predictions are not finite numbers failed to score (:func:`scoring_failure`): it is
    recorded with its reason, not ranked.

Examples
--------
>>> import pandas as pd
>>> first, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
>>> cal, reason = holdout_split(first, end)
>>> cal.date(), reason
(datetime.date(2024, 9, 1), '')
>>> holdout_split(first, pd.Timestamp("2024-02-15"))[1]
'the log spans 45 days; a holdout test needs at least 84 (a third of the span, at least 28 days, to test on)'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from segkit.exceptions import ModelError
from segkit.value.bgnbd import BetaGeoModel
from segkit.value.likelihood import distinct_rows
from segkit.value.mbgnbd import ModifiedBetaGeoModel
from segkit.value.pareto import ParetoNBDModel
from segkit.value.periods import UNIT_DAYS, PeriodSummaries
from segkit.value.purchase import PurchaseModel

__all__ = ["CANDIDATES", "HOLDOUT_RULES", "HoldoutResult", "holdout_split", "holdout_test", "sample_rows",
           "scoring_failure"]

#: The candidate purchase models, in the order they are tried and listed.
CANDIDATES: tuple[type[PurchaseModel], ...] = (BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel)

#: When a log is long enough for a holdout test (see the module's text for why).
HOLDOUT_RULES = {
    "holdout_share": 1 / 3,       # the last third of the span is the holdout
    "min_holdout_days": 28,       # four weeks at least
    "min_customers": 100,         # customers who bought in the calibration period
    "min_repeat_customers": 30,   # of them, with a repeat purchase there
}


def holdout_split(first_purchase, observation_end, *, rules: dict | None = None) -> tuple[pd.Timestamp | None, str]:
    """The calibration end for a log from ``first_purchase`` to ``observation_end``, or None and why not.

    The holdout is the last third of the span (whole days); it needs at least
    ``min_holdout_days``.
    """
    rules = {**HOLDOUT_RULES, **(rules or {})}
    first, end = pd.Timestamp(first_purchase).normalize(), pd.Timestamp(observation_end).normalize()
    span = int((end - first).days)
    holdout = int(span * rules["holdout_share"])
    if holdout < rules["min_holdout_days"]:
        need = int(np.ceil(rules["min_holdout_days"] / rules["holdout_share"]))
        return None, (f"the log spans {span} days; a holdout test needs at least {need} (a third of the span, "
                      f"at least {rules['min_holdout_days']} days, to test on)")
    return end - pd.Timedelta(days=holdout), ""


def cohort_reason(summaries: PeriodSummaries, *, rules: dict | None = None) -> str:
    """Why the calibration cohort cannot carry a holdout test ("" when it can)."""
    rules = {**HOLDOUT_RULES, **(rules or {})}
    cohort = summaries.in_cohort
    n, repeat = int(cohort.sum()), int((summaries.x_cal[cohort] > 0).sum())
    cal = summaries.calibration_end.date()
    if n < rules["min_customers"] or repeat < rules["min_repeat_customers"]:
        return (f"{n:,} customers bought by {cal} and {repeat:,} of them bought again; a holdout test needs "
                f"{rules['min_customers']} and {rules['min_repeat_customers']}")
    buyers = cohort & (summaries.x_cal > 0)
    gap_days = float(np.median(summaries.tx_cal[buyers] / summaries.x_cal[buyers])) * UNIT_DAYS
    if gap_days > summaries.holdout_days:
        return (f"repeat buyers buy every {gap_days:.0f} days (median), longer than the {summaries.holdout_days}-day "
                f"holdout, so most customers could make no purchase in it whatever they are")
    return ""


def sample_rows(n: int, size: int | None, random_state: int) -> np.ndarray:
    """Positions of a seeded random sample of ``size`` of ``n`` rows, sorted (all when ``size`` is None or >= n).

    Examples
    --------
    >>> sample_rows(5, None, 0).tolist()
    [0, 1, 2, 3, 4]
    >>> len(sample_rows(1000, 10, 0))
    10
    """
    if size is None or n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(random_state).choice(n, size=size, replace=False))


def _cap(fit_sample: int | None, cls) -> int | None:
    """The sample size to fit ``cls`` on: ``fit_sample``, at most the model's own cap."""
    cap = getattr(cls, "max_fit_customers", None)
    if cap is None:
        return fit_sample
    return cap if fit_sample is None else min(fit_sample, cap)


@dataclass
class HoldoutResult:
    """What the holdout test found.

    Attributes
    ----------
    models : dict
        ``{name: model fitted on the calibration period}`` (a model whose fit failed, or whose fit
        or predictions are not finite numbers, is absent, its reason in ``failures``).
    scores : DataFrame
        Per model: ``mae``, ``predicted`` and ``actual`` holdout purchases of the cohort,
        ``status`` (``scored`` or ``failed``) and ``reason`` (why it failed; for a scored one,
        :func:`~segkit.value.stage.validated_value` adds what is wrong with its fit), and the
        baseline's row; sorted with the winner first, the candidates that
        failed to score after the scored ones, the baseline last.
    predicted : dict
        ``{name: each cohort customer's predicted holdout purchases}``; ``"baseline"`` too.
    actual : ndarray
        Each cohort customer's holdout purchase days.
    winner : str or None
    """

    models: dict[str, PurchaseModel]
    scores: pd.DataFrame
    predicted: dict[str, np.ndarray]
    actual: np.ndarray
    winner: str | None
    failures: dict[str, str] = field(default_factory=dict)
    #: ``{name: each cohort customer's P(alive) at the calibration end}``
    p_alive: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def mae(self) -> float:
        return float(self.scores.loc[self.winner, "mae"]) if self.winner else float("nan")

    @property
    def baseline_mae(self) -> float:
        return float(self.scores.loc["baseline", "mae"])

    def ranking(self, *, can_leave: bool = False) -> list[str]:
        """The fitted models from best holdout fit to worst (only those in which a one-off buyer
        can leave with ``can_leave``)."""
        names = [n for n in self.scores.index if n in self.models]
        return [n for n in names if not can_leave or self.models[n].one_off_can_leave]


def holdout_test(summaries: PeriodSummaries, *, candidates=CANDIDATES, fit_sample: int | None = 20_000,
                 random_state: int = 0) -> HoldoutResult:
    """Fit each candidate on the calibration period and score its holdout predictions.

    Parameters
    ----------
    summaries : PeriodSummaries
        From :func:`segkit.value.periods.period_summaries`, with a holdout.
    candidates : sequence of PurchaseModel classes
    fit_sample : int or None
        Fit on a seeded sample of this many cohort customers when there are more (the four
        parameters are pinned down long before; the predictions cover every customer).
    random_state : int
        Seed of that sample.
    """
    cohort = summaries.in_cohort
    x, tx, T = summaries.x_cal[cohort], summaries.tx_cal[cohort], summaries.T_cal[cohort]
    actual = summaries.x_holdout[cohort]
    weeks = summaries.holdout_days / UNIT_DAYS
    models, predicted, alive, failures = {}, {}, {}, {}
    distinct = distinct_rows(x, tx, T)  # found once, shared by every candidate's predictions
    for cls in candidates:
        fit_on = sample_rows(len(x), _cap(fit_sample, cls), random_state)
        try:
            model = cls().fit(x[fit_on], tx[fit_on], T[fit_on])
            p_alive, expected = model.predict(weeks, x, tx, T, distinct=distinct)
        except ModelError as err:
            failures[cls.name] = str(err)
            continue
        failure = scoring_failure(model, p_alive, expected)
        if failure:  # never scored: a NaN error would silently drop it from the ranking
            failures[cls.name] = failure
            continue
        models[cls.name], alive[cls.name], predicted[cls.name] = model, p_alive, expected
    with np.errstate(divide="ignore", invalid="ignore"):
        predicted["baseline"] = np.where(T > 0, x / T, 0.0) * weeks
    rows = {name: {"mae": float(np.mean(np.abs(p - actual))), "predicted": float(p.sum()),
                   "actual": float(actual.sum()), "status": "scored", "reason": ""}
            for name, p in predicted.items()}
    rows.update({name: {"mae": np.nan, "predicted": np.nan, "actual": float(actual.sum()), "status": "failed",
                        "reason": reason} for name, reason in failures.items()})
    scores = pd.DataFrame.from_dict(rows, orient="index")
    scores.index.name = "model"
    fitted = [n for n in scores.index if n in models]
    winner = min(fitted, key=lambda n: scores.loc[n, "mae"]) if fitted else None
    # scored models best first, then those that failed to score, the baseline last
    order = sorted(scores.index, key=lambda n: (n == "baseline", n in failures, scores.loc[n, "mae"]))
    return HoldoutResult(models=models, scores=scores.loc[order], predicted=predicted, actual=actual,
                         winner=winner, failures=failures, p_alive=alive)


def scoring_failure(model: PurchaseModel, p_alive: np.ndarray, expected: np.ndarray) -> str:
    """Why a fitted candidate cannot be scored on the holdout ("" when it can).

    A fit or a prediction that is not a finite number is a failure of the model (or of its
    numerics), never a score: left in, its NaN error would drop it from the ranking unseen.

    Examples
    --------
    >>> import pandas as pd
    >>> from segkit.value import BetaGeoModel
    >>> m = BetaGeoModel()
    >>> m.params_, m.log_likelihood_ = pd.Series({"r": 8.3e4, "alpha": 2.8e6, "a": 0.35, "b": 24.3}), -1.2e5
    >>> scoring_failure(m, np.ones(3), np.array([1.0, np.nan, np.nan]))
    'its holdout predictions are not numbers for 2 of 3 customers (at r 8.3e+04, alpha 2.8e+06, a 0.35, b 24.3)'
    """
    params = model.params_
    at = ", ".join(f"{k} {v:.3g}" for k, v in params.items())
    if not (np.isfinite(params.to_numpy()).all() and np.isfinite(model.log_likelihood_)):
        return f"its fit is not finite (log-likelihood {model.log_likelihood_:.6g} at {at})"
    if not getattr(model, "hessian_finite_", True):
        return (f"its likelihood cannot be evaluated around the fit (the Hessian has entries that are not numbers, "
                f"at {at}), so it has no standard errors")
    bad = ~(np.isfinite(p_alive) & np.isfinite(expected))
    if bad.any():
        return f"its holdout predictions are not numbers for {int(bad.sum()):,} of {len(bad):,} customers (at {at})"
    return ""


def segment_table(summaries: PeriodSummaries, result: HoldoutResult, *, min_cell_size: int = 10) -> pd.DataFrame:
    """Per segment of the cohort: customers, actual and predicted holdout purchases (winner and
    baseline) and both mean absolute errors; segments under ``min_cell_size`` are blanked."""
    if summaries.segment is None or result.winner is None:
        return pd.DataFrame()
    seg = np.asarray(summaries.segment[summaries.in_cohort])
    codes, segments = pd.factorize(seg, sort=True)
    count = np.bincount(codes, minlength=len(segments)).astype(float)

    def total(values):
        return np.bincount(codes, weights=values, minlength=len(segments))

    model, base = result.predicted[result.winner], result.predicted["baseline"]
    table = pd.DataFrame({
        "customers": count,
        "actual": total(result.actual),
        "predicted": total(model),
        "baseline": total(base),
        "mae": total(np.abs(model - result.actual)) / count,
        "baseline_mae": total(np.abs(base - result.actual)) / count,
    }, index=pd.Index(segments, name="segment"))
    small = table["customers"] < min_cell_size
    table.loc[small, :] = np.nan
    table["customers"] = table["customers"].astype("Int64")
    return table


def tracking(summaries: PeriodSummaries, result: HoldoutResult, *, points: int = 16) -> pd.DataFrame:
    """Cumulative holdout purchases of the cohort, actual by day and predicted (winner, baseline).

    Returns a frame indexed by day of the holdout (1..n) with ``actual``, and ``predicted``
    and ``baseline`` at ``points`` evenly spaced days (NaN between them).
    """
    days = summaries.holdout_days
    out = pd.DataFrame({"actual": np.cumsum(summaries.holdout_by_day)},
                       index=pd.Index(np.arange(1, days + 1), name="day"))
    if result.winner is None or days == 0:
        return out
    cohort = summaries.in_cohort
    x, tx, T = summaries.x_cal[cohort], summaries.tx_cal[cohort], summaries.T_cal[cohort]
    model = result.models[result.winner]
    at = np.unique(np.linspace(0, days, points + 1).round().astype(int)[1:])
    out["predicted"] = np.nan
    out["baseline"] = np.nan
    rate = np.where(T > 0, x / np.where(T > 0, T, 1.0), 0.0).sum()
    out.loc[at, "predicted"] = model.expected_totals(at / UNIT_DAYS, x, tx, T, p_alive=result.p_alive.get(result.winner))
    out.loc[at, "baseline"] = rate * at / UNIT_DAYS
    return out
