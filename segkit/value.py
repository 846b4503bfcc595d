"""Customer value: historical revenue and predicted lifetime value (BG/NBD + Gamma-Gamma).

Historical value is what each customer has spent so far (:func:`historical_value`),
summed up per segment by :func:`segment_value`. Predicted value comes from two classic
probability models fitted by maximum likelihood with scipy:

* :class:`BetaGeoModel` -- the BG/NBD model of Fader, Hardie & Lee (2005), "Counting
  your customers the easy way", *Marketing Science* 24(2): how many repeat purchases a
  customer will make and the probability that they are still "alive".
* :class:`GammaGammaModel` -- the Gamma-Gamma spend model (Fader, Hardie & Lee 2005,
  "RFM and CLV", *Journal of Marketing Research* 42(4)): the expected value of a
  customer's future transactions.

Why not a library: pymc-marketing adds a large dependency, compiles on its first fit and,
with its default priors, does not return the maximum-likelihood estimates the papers
publish; lifetimes is unmaintained. Both models have closed-form log-likelihoods, which a
few lines of scipy maximise in well under a second on the full CDNOW cohort (23,570
customers) and reproduce the published estimates.

Conventions follow the paper (and lifetimes): a purchase is a *purchase day* -- several
lines of one customer on one day count once, with their amounts summed; ``frequency`` is
the number of *repeat* purchase days, ``recency`` the time from the first to the last
purchase, ``T`` the time from the first purchase to the end of observation, all in the
chosen unit (days or weeks, fractional), and ``monetary_value`` the mean amount of the
repeat purchase days (0 for a customer without repeat purchases).

Examples
--------
>>> import pandas as pd
>>> from segkit.value import rfm_summary
>>> log = pd.DataFrame({
...     "customer_id": ["a", "a", "a", "b"],
...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"]),
...     "amount": [10.0, 5.0, 20.0, 7.0],
... })
>>> rfm_summary(log, observation_end="2024-01-29", freq="W")  # doctest: +NORMALIZE_WHITESPACE
             frequency  recency    T  monetary_value
customer_id
a                    1      2.0  4.0            20.0
b                    0      0.0  3.0             0.0
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import optimize, special

from segkit.exceptions import ColumnError, DataError, ModelError, SegkitWarning

__all__ = [
    "rfm_summary",
    "historical_value",
    "segment_value",
    "BetaGeoModel",
    "GammaGammaModel",
    "customer_lifetime_value",
    "predict_clv",
]

_UNIT_DAYS = {"D": 1.0, "W": 7.0}
_SUMMARY_COLUMNS = ["frequency", "recency", "T", "monetary_value"]


# --------------------------------------------------------------------------- inputs


def _require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnError(
            f"{what}: column {missing[0]!r} not found; available columns: {list(frame.columns)}"
        )


def _to_datetime(values: pd.Series, column: str, what: str = "transactions") -> pd.Series:
    """Parse dates; integers such as ``19970101`` are read as ``yyyymmdd``."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_integer_dtype(values):
        parsed = pd.to_datetime(values.astype("string"), format="%Y%m%d", errors="coerce")
    else:
        parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = parsed.isna() & values.notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{what}: column {column!r} has {int(bad.sum())} unparseable dates "
            f"(e.g. {values.iloc[pos]!r} at row {pos + 1}); expected dates"
        )
    return parsed


def _as_array(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if np.isnan(arr).any():
        raise DataError(f"{name}: {int(np.isnan(arr).sum())} missing values; expected numbers")
    return arr


def _index_of(*values) -> pd.Index | None:
    for v in values:
        if isinstance(v, pd.Series):
            return v.index
    return None


def _split_summary(frequency, recency, T):
    """Accept either three arrays or one summary frame with the three columns."""
    if isinstance(frequency, pd.DataFrame):
        _require_columns(frequency, ["frequency", "recency", "T"], "summary")
        summary = frequency
        return summary["frequency"], summary["recency"], summary["T"]
    if recency is None or T is None:
        raise DataError("frequency, recency and T are all needed (or one summary frame with those columns)")
    return frequency, recency, T


def _check_rfm(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> None:
    if not (len(x) == len(tx) == len(T)):
        raise DataError(f"frequency, recency and T have different lengths ({len(x)}, {len(tx)}, {len(T)})")
    checks = [
        (x < 0, "frequency", "negative values"),
        (x != np.round(x), "frequency", "non-integer values"),
        (tx < 0, "recency", "negative values"),
        (tx > T + 1e-9, "recency", "values larger than T"),
        ((x == 0) & (tx > 1e-9), "recency", "values > 0 where frequency is 0"),
    ]
    for bad, column, problem in checks:
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"summary: column {column!r} has {int(bad.sum())} {problem} "
                f"(e.g. frequency={x[pos]:g}, recency={tx[pos]:g}, T={T[pos]:g} at row {pos + 1}); "
                "expected a customer summary from rfm_summary"
            )


# --------------------------------------------------------------------------- summaries


def rfm_summary(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = "amount",
    observation_end=None,
    freq: str = "D",
) -> pd.DataFrame:
    """Frequency / recency / T / monetary summary per customer (the BG/NBD input).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line.
    customer_col, date_col, amount_col : str
        Column names. ``amount_col=None`` leaves out ``monetary_value``. Integer dates such
        as ``19970101`` are read as ``yyyymmdd``.
    observation_end : date-like, optional
        End of the observation (calibration) period; purchases after it are ignored.
        Default: the last purchase date.
    freq : {"D", "W"}
        Time unit of ``recency`` and ``T``: days or weeks (fractional weeks, as in the paper).

    Returns
    -------
    DataFrame
        Indexed by customer id, columns ``frequency`` (repeat purchase days, int),
        ``recency`` and ``T`` (float, in ``freq`` units) and ``monetary_value`` (mean
        amount of the repeat purchase days; 0 without repeat purchases).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "date": [19970101, 19970108, 19970105],
    ...                     "amount": [10.0, 30.0, 5.0]})
    >>> rfm_summary(log, observation_end="1997-01-15")  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency     T  monetary_value
    customer_id
    1                    1      7.0  14.0            30.0
    2                    0      0.0  10.0             0.0
    """
    if freq not in _UNIT_DAYS:
        raise DataError(f"The value for `freq` must be one of {list(_UNIT_DAYS)}, but {freq!r} was passed.")
    columns = [customer_col, date_col] + ([amount_col] if amount_col is not None else [])
    _require_columns(transactions, columns, "transactions")
    frame = transactions[columns].copy()
    frame[date_col] = _to_datetime(frame[date_col], date_col).dt.normalize()
    if frame[customer_col].isna().any():
        n = int(frame[customer_col].isna().sum())
        warnings.warn(f"transactions: {n} rows without {customer_col!r} ignored", SegkitWarning, stacklevel=2)
        frame = frame[frame[customer_col].notna()]
    if amount_col is not None:
        frame[amount_col] = pd.to_numeric(frame[amount_col], errors="coerce").astype("float64")
    end = frame[date_col].max() if observation_end is None else pd.Timestamp(observation_end)
    frame = frame[frame[date_col] <= end]
    if frame.empty:
        raise DataError(f"transactions: no purchases on or before {end.date()}; check observation_end")

    # One purchase per customer and day (the paper's and lifetimes' convention).
    agg = {amount_col: "sum"} if amount_col is not None else {}
    days = frame.groupby([customer_col, date_col], sort=True).agg(agg) if agg else (
        frame.drop_duplicates([customer_col, date_col]).set_index([customer_col, date_col]).sort_index()
    )
    days = days.reset_index()
    grouped = days.groupby(customer_col, sort=True)
    first = grouped[date_col].min()
    last = grouped[date_col].max()
    unit = pd.Timedelta(days=_UNIT_DAYS[freq])
    out = pd.DataFrame(
        {
            "frequency": (grouped.size() - 1).astype("int64"),
            "recency": (last - first) / unit,
            "T": (end - first) / unit,
        }
    )
    if amount_col is not None:
        is_first = days[date_col].eq(days[customer_col].map(first))
        repeat = days.loc[~is_first.to_numpy()].groupby(customer_col)[amount_col].mean()
        out["monetary_value"] = repeat.reindex(out.index).fillna(0.0).astype("float64")
    out.index.name = "customer_id"
    return out


def historical_value(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """Historical value per customer: revenue, purchase days, dates and average order value.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line.
    customer_col, date_col, amount_col : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``revenue`` (net sum of amounts), ``purchases``
        (distinct purchase days), ``first_purchase``, ``last_purchase`` and
        ``avg_order_value`` (revenue / purchases).

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...                     "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-05"]),
    ...                     "amount": [10.0, 30.0, 5.0]})
    >>> historical_value(log)[["revenue", "purchases", "avg_order_value"]]  # doctest: +NORMALIZE_WHITESPACE
                 revenue  purchases  avg_order_value
    customer_id
    a               40.0          2             20.0
    b                5.0          1              5.0
    """
    _require_columns(transactions, [customer_col, date_col, amount_col], "transactions")
    frame = transactions[[customer_col, date_col, amount_col]].copy()
    frame[date_col] = _to_datetime(frame[date_col], date_col)
    frame = frame[frame[customer_col].notna()]
    frame["_day"] = frame[date_col].dt.normalize()
    grouped = frame.groupby(customer_col, sort=True)
    out = pd.DataFrame(
        {
            "revenue": grouped[amount_col].sum().astype("float64"),
            "purchases": grouped["_day"].nunique().astype("int64"),
            "first_purchase": grouped[date_col].min(),
            "last_purchase": grouped[date_col].max(),
        }
    )
    out["avg_order_value"] = out["revenue"] / out["purchases"]
    out.index.name = "customer_id"
    return out


def segment_value(
    values: pd.DataFrame | pd.Series,
    labels: pd.Series,
    *,
    columns: list[str] | None = None,
    min_cell_size: int = 10,
) -> pd.DataFrame:
    """Value per segment: size, totals, shares of the total, means and medians.

    Parameters
    ----------
    values : DataFrame or Series
        Per-customer values indexed by customer id (e.g. :func:`historical_value` or
        :func:`predict_clv` output, or a ``monetary`` feature).
    labels : Series
        Segment labels indexed by customer id (named ``segment``).
    columns : list of str, optional
        Value columns to summarise; default every numeric column.
    min_cell_size : int
        Segments with fewer customers are suppressed (values NaN, ``suppressed`` True).

    Returns
    -------
    DataFrame
        One row per segment (sorted): ``size``, ``share`` and for each value column
        ``<col>_total``, ``<col>_share`` (of the grand total), ``<col>_mean``,
        ``<col>_median``; plus ``suppressed``.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0, 0, 1, 1], index=list("abcd"), name="segment")
    >>> revenue = pd.Series([10.0, 30.0, 20.0, 40.0], index=list("abcd"), name="revenue")
    >>> segment_value(revenue, labels, min_cell_size=1)[["size", "revenue_total", "revenue_share"]]  # doctest: +NORMALIZE_WHITESPACE
             size  revenue_total  revenue_share
    segment
    0           2           40.0            0.4
    1           2           60.0            0.6
    """
    from segkit.privacy import suppress_small_cells

    frame = values.to_frame() if isinstance(values, pd.Series) else values
    if columns is None:
        columns = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
                   and not pd.api.types.is_bool_dtype(frame[c])]
    _require_columns(frame, columns, "values")
    common = labels.index.intersection(frame.index)
    if len(common) == 0:
        raise DataError("values and labels share no customer ids; expected both indexed by customer_id")
    seg = labels.loc[common].rename("segment")
    data = frame.loc[common, columns].astype("float64")
    grouped = data.groupby(seg.to_numpy(), sort=True)
    out = pd.DataFrame({"size": grouped.size().astype("int64")})
    out["share"] = out["size"] / out["size"].sum()
    for col in columns:
        total = grouped[col].sum()
        out[f"{col}_total"] = total
        grand = data[col].sum()
        out[f"{col}_share"] = total / grand if grand != 0 else np.nan
        out[f"{col}_mean"] = grouped[col].mean()
        out[f"{col}_median"] = grouped[col].median()
    out.index.name = "segment"
    return suppress_small_cells(out, min_cell_size=min_cell_size)


# --------------------------------------------------------------------------- BG/NBD


def _bgnbd_loglik(params: np.ndarray, x, tx, T, w) -> float:
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    # For x = 0 the second term is absent; log(b + x - 1) is undefined there, so mask it.
    has = x > 0
    a4 = np.full_like(x, -np.inf)
    a4[has] = (np.log(a) - np.log(b + x[has] - 1) - (r + x[has]) * np.log(alpha + tx[has]))
    ll = a1 + a2 + np.logaddexp(a3, a4)
    return float(np.sum(w * ll))


def _distinct_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of ``columns`` and, per original row, the index of its distinct row.

    Examples
    --------
    >>> (x, t), inverse = _distinct_rows(np.array([1.0, 0.0, 1.0]), np.array([5.0, 2.0, 5.0]))
    >>> x.tolist(), t.tolist(), inverse.tolist()
    ([0.0, 1.0], [2.0, 5.0], [1, 0, 1])
    """
    if len(columns[0]) == 0:
        return list(columns), np.zeros(0, dtype=np.intp)
    # Hash-based grouping with the keys sorted: the rows of np.unique(axis=0), in its order,
    # 10x faster than its sort of a million rows.
    frame = pd.DataFrame({i: np.asarray(c) for i, c in enumerate(columns)})
    inverse = frame.groupby(list(frame.columns), sort=True).ngroup().to_numpy()
    first = np.full(inverse.max() + 1, len(inverse), dtype=np.intp)
    np.minimum.at(first, inverse, np.arange(len(inverse)))
    return [np.asarray(c)[first] for c in columns], inverse


def _compress(*columns: np.ndarray):
    """Unique rows with counts: the likelihood only depends on the distinct triples."""
    distinct, inverse = _distinct_rows(*columns)
    return distinct, np.bincount(inverse, minlength=len(distinct[0])).astype(float)


def _mle(negll, x0: np.ndarray, names: list[str], what: str):
    """Maximise in log-parameters: L-BFGS-B first, Nelder-Mead polish if it stalls."""
    def objective(log_params):
        value = negll(np.exp(log_params))
        return value if np.isfinite(value) else 1e300

    result = optimize.minimize(objective, x0, method="L-BFGS-B", bounds=[(-20, 20)] * len(x0))
    if not result.success:
        result = optimize.minimize(
            objective, result.x, method="Nelder-Mead",
            options={"maxiter": 20000, "xatol": 1e-8, "fatol": 1e-10},
        )
    if not np.isfinite(result.fun) or result.fun >= 1e300:
        raise ModelError(f"{what}: the likelihood could not be evaluated; check the summary data")
    if not result.success:
        warnings.warn(f"{what}: optimiser did not report convergence ({result.message})", SegkitWarning,
                      stacklevel=3)
    return pd.Series(np.exp(result.x), index=names, dtype="float64"), -float(result.fun), bool(result.success)


class BetaGeoModel:
    """BG/NBD model of repeat purchasing, fitted by maximum likelihood.

    Purchasing while alive is Poisson with rate ``lambda ~ Gamma(r, alpha)``; after each
    purchase a customer drops out with probability ``p ~ Beta(a, b)``.

    Parameters
    ----------
    penalizer : float
        Optional L2 penalty on the parameters (0: plain maximum likelihood, as published).

    Attributes
    ----------
    params_ : Series
        ``r``, ``alpha``, ``a``, ``b`` (``alpha`` in the time unit of the data).
    log_likelihood_ : float
        Maximised log-likelihood.
    n_customers_ : int
    converged_ : bool
    fit_seconds_ : float
        Wall time of the fit.

    Examples
    --------
    >>> import numpy as np
    >>> from segkit.value import BetaGeoModel
    >>> model = BetaGeoModel().fit([0, 2, 5, 1, 0, 3], [0.0, 20.0, 30.0, 5.0, 0.0, 35.0],
    ...                            [40.0, 38.0, 36.0, 39.0, 35.0, 37.0])
    >>> list(model.params_.index)
    ['r', 'alpha', 'a', 'b']
    >>> bool(0 < model.probability_alive(0, 0.0, 40.0)[0] <= 1)
    True
    """

    def __init__(self, penalizer: float = 0.0):
        self.penalizer = penalizer

    def fit(self, frequency, recency=None, T=None) -> BetaGeoModel:
        """Fit on per-customer ``frequency``, ``recency`` and ``T`` (or one summary frame).

        Returns
        -------
        self
        """
        frequency, recency, T = _split_summary(frequency, recency, T)
        x, tx, TT = _as_array(frequency, "frequency"), _as_array(recency, "recency"), _as_array(T, "T")
        _check_rfm(x, tx, TT)
        if len(x) < 2 or not (x > 0).any():
            raise ModelError("BG/NBD: needs several customers and at least one repeat purchase")
        (ux, utx, uT), w = _compress(x, tx, TT)
        start = time.perf_counter()
        scale = float(np.mean(TT)) or 1.0
        x0 = np.log([1.0, scale, 1.0, 1.0])

        def negll(params):
            penalty = self.penalizer * float(np.sum(params**2))
            return -_bgnbd_loglik(params, ux, utx, uT, w) / w.sum() + penalty

        self.params_, ll, self.converged_ = _mle(negll, x0, ["r", "alpha", "a", "b"], "BG/NBD")
        self.log_likelihood_ = _bgnbd_loglik(self.params_.to_numpy(), ux, utx, uT, w)
        self.n_customers_ = len(x)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise ModelError("BetaGeoModel is not fitted yet; call fit(frequency, recency, T) first")

    def probability_alive(self, frequency, recency=None, T=None) -> np.ndarray | pd.Series:
        """Probability that each customer is still active at the end of observation.

        Returns
        -------
        ndarray or Series
            Same index as the input when a Series/DataFrame was given.
        """
        self._check_fitted()
        index = frequency.index if isinstance(frequency, pd.DataFrame) else None
        frequency, recency, T = _split_summary(frequency, recency, T)
        index = index if index is not None else _index_of(frequency, recency, T)
        x, tx, TT = _as_array(frequency, "frequency"), _as_array(recency, "recency"), _as_array(T, "T")
        r, alpha, a, b = self.params_.to_numpy()
        log_ratio = np.zeros_like(x)
        has = x > 0
        log_ratio[has] = (np.log(a) - np.log(b + x[has] - 1)
                          + (r + x[has]) * (np.log(alpha + TT[has]) - np.log(alpha + tx[has])))
        p = np.where(has, 1.0 / (1.0 + np.exp(log_ratio)), 1.0)
        return pd.Series(p, index=index, name="p_alive") if index is not None else p

    def expected_purchases(self, t: float, frequency, recency=None, T=None) -> np.ndarray | pd.Series:
        """Expected repeat purchases of each customer in the next ``t`` time units.

        This is the conditional expectation E[Y(t) | x, t_x, T] (paper, eq. 10).
        """
        self._check_fitted()
        index = frequency.index if isinstance(frequency, pd.DataFrame) else None
        frequency, recency, T = _split_summary(frequency, recency, T)
        index = index if index is not None else _index_of(frequency, recency, T)
        x, tx, TT = _as_array(frequency, "frequency"), _as_array(recency, "recency"), _as_array(T, "T")
        # hyp2f1 costs ~15 microseconds a customer: compute it once per distinct (x, t_x, T).
        (x, tx, TT), inverse = _distinct_rows(x, tx, TT)
        out = self._expected_purchases(float(t), x, tx, TT)[inverse]
        return pd.Series(out, index=index, name="expected_purchases") if index is not None else out

    def _expected_purchases(self, t: float, x: np.ndarray, tx: np.ndarray, TT: np.ndarray) -> np.ndarray:
        r, alpha, a, b = self.params_.to_numpy()
        z = t / (alpha + TT + t)
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
        log_term = (r + x) * (np.log(alpha + TT) - np.log(alpha + TT + t))
        numerator = (a + b + x - 1) / (a - 1) * (1.0 - np.exp(log_term) * hyp)
        has = x > 0
        log_ratio = np.full_like(x, -np.inf)
        log_ratio[has] = (np.log(a) - np.log(b + x[has] - 1)
                          + (r + x[has]) * (np.log(alpha + TT[has]) - np.log(alpha + tx[has])))
        return numerator / (1.0 + np.exp(log_ratio))

    def expected_purchases_new(self, t) -> np.ndarray:
        """Expected purchases in ``(0, t]`` of a new, randomly chosen customer (paper, eq. 9).

        Examples
        --------
        >>> import pandas as pd
        >>> m = BetaGeoModel()
        >>> m.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> round(float(m.expected_purchases_new(39.0)[0]), 3)
        1.197
        """
        self._check_fitted()
        r, alpha, a, b = self.params_.to_numpy()
        t = np.atleast_1d(np.asarray(t, dtype=float))
        hyp = special.hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1.0 - (alpha / (alpha + t)) ** r * hyp)


# --------------------------------------------------------------------------- Gamma-Gamma


def _gg_loglik(params: np.ndarray, x, m, w) -> float:
    p, q, v = params
    ll = (special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q)
          + q * np.log(v) + (p * x - 1) * np.log(m) + p * x * np.log(x)
          - (p * x + q) * np.log(x * m + v))
    return float(np.sum(w * ll))


class GammaGammaModel:
    """Gamma-Gamma model of average transaction value, fitted by maximum likelihood.

    Transaction values of a customer are Gamma(p, nu) with ``nu ~ Gamma(q, v)``. Fitted on
    customers with at least one repeat purchase and a positive ``monetary_value``; the
    model assumes spend is independent of purchase frequency (check
    ``frequency_value_correlation_``).

    Parameters
    ----------
    penalizer : float
        Optional L2 penalty on the parameters (0: plain maximum likelihood).

    Attributes
    ----------
    params_ : Series
        ``p``, ``q``, ``v`` (``v`` is the paper's gamma).
    log_likelihood_, n_customers_, converged_, fit_seconds_, frequency_value_correlation_

    Examples
    --------
    >>> from segkit.value import GammaGammaModel
    >>> gg = GammaGammaModel().fit([1, 2, 3, 1, 4, 2], [20.0, 35.0, 28.0, 15.0, 40.0, 22.0])
    >>> list(gg.params_.index)
    ['p', 'q', 'v']
    """

    def __init__(self, penalizer: float = 0.0):
        self.penalizer = penalizer

    def fit(self, frequency, monetary_value=None) -> GammaGammaModel:
        """Fit on repeat ``frequency`` and mean repeat spend (or one summary frame).

        Returns
        -------
        self
        """
        if isinstance(frequency, pd.DataFrame):
            _require_columns(frequency, ["frequency", "monetary_value"], "summary")
            frequency, monetary_value = frequency["frequency"], frequency["monetary_value"]
        x, m = _as_array(frequency, "frequency"), _as_array(monetary_value, "monetary_value")
        keep = (x > 0) & (m > 0)
        dropped = int(((x > 0) & (m <= 0)).sum())
        if dropped:
            warnings.warn(f"Gamma-Gamma: {dropped} repeat customers with monetary_value <= 0 left out",
                          SegkitWarning, stacklevel=2)
        x, m = x[keep], m[keep]
        if len(x) < 3:
            raise ModelError("Gamma-Gamma: needs at least 3 customers with repeat purchases and positive spend")
        self.frequency_value_correlation_ = float(np.corrcoef(x, m)[0, 1]) if np.std(x) > 0 else np.nan
        (ux, um), w = _compress(x, m)
        start = time.perf_counter()
        x0 = np.log([1.0, 1.0, float(np.mean(m))])

        def negll(params):
            penalty = self.penalizer * float(np.sum(params**2))
            return -_gg_loglik(params, ux, um, w) / w.sum() + penalty

        self.params_, _, self.converged_ = _mle(negll, x0, ["p", "q", "v"], "Gamma-Gamma")
        self.log_likelihood_ = _gg_loglik(self.params_.to_numpy(), ux, um, w)
        self.n_customers_ = len(x)
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def expected_average_value(self, frequency, monetary_value=None) -> np.ndarray | pd.Series:
        """Expected value of each customer's future transactions (paper's conditional mean).

        ``(p (v + x m)) / (p x + q - 1)``: a weighted average of the population mean
        ``p v / (q - 1)`` and the customer's own mean; customers without repeat purchases
        get the population mean.

        Examples
        --------
        >>> import pandas as pd
        >>> gg = GammaGammaModel()
        >>> gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
        >>> [round(float(v), 2) for v in gg.expected_average_value([0, 2], [0.0, 40.0])]
        [35.22, 39.14]
        """
        if not hasattr(self, "params_"):
            raise ModelError("GammaGammaModel is not fitted yet; call fit(frequency, monetary_value) first")
        index = None
        if isinstance(frequency, pd.DataFrame):
            index = frequency.index
            frequency, monetary_value = frequency["frequency"], frequency["monetary_value"]
        index = index if index is not None else _index_of(frequency, monetary_value)
        x, m = _as_array(frequency, "frequency"), _as_array(monetary_value, "monetary_value")
        p, q, v = self.params_.to_numpy()
        if q <= 1:
            raise ModelError(f"Gamma-Gamma: q = {q:.3g} <= 1, the expected spend is infinite; "
                             "too few repeat customers to estimate value")
        # Net spend can be <= 0 after returns; such a customer's own mean carries no
        # positive information, so it is floored at 0 (shrinking towards 0, not below).
        m = np.where(x > 0, np.maximum(m, 0.0), 0.0)
        out = p * (v + x * m) / (p * x + q - 1)
        return pd.Series(out, index=index, name="expected_value") if index is not None else out


# --------------------------------------------------------------------------- CLV


def customer_lifetime_value(
    bgnbd: BetaGeoModel,
    gg: GammaGammaModel,
    frequency,
    recency,
    T,
    monetary_value,
    *,
    horizon: float = 52.0,
    discount_rate: float = 0.0,
    period: float = 1.0,
) -> np.ndarray | pd.Series:
    """Discounted customer lifetime value over ``horizon`` time units.

    The horizon is cut into steps of ``period`` time units (the unit the models were
    fitted in); step ``k`` contributes the expected purchases in that step times the
    Gamma-Gamma expected transaction value, discounted by ``(1 + discount_rate) ** k``.
    With ``discount_rate=0`` this is ``expected_purchases(horizon) * expected_value``.

    Examples
    --------
    >>> import pandas as pd
    >>> bg, gg = BetaGeoModel(), GammaGammaModel()
    >>> bg.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
    >>> clv = customer_lifetime_value(bg, gg, [2], [30.4], [38.9], [40.0], horizon=52)
    >>> direct = bg.expected_purchases(52, [2], [30.4], [38.9])[0] * gg.expected_average_value([2], [40.0])[0]
    >>> round(float(clv[0]), 2), round(float(direct), 2)
    (60.9, 60.9)
    """
    index = _index_of(frequency, recency, T, monetary_value)
    if horizon <= 0 or period <= 0:
        raise DataError(f"horizon and period must be > 0, got horizon={horizon!r}, period={period!r}")
    value = np.asarray(gg.expected_average_value(frequency, monetary_value), dtype=float)
    if discount_rate == 0:
        # Undiscounted, the steps add up to the purchases expected over the whole horizon.
        steps = np.array([float(horizon)])
    else:
        steps = np.arange(period, horizon + 1e-9, period)
        if len(steps) == 0 or not np.isclose(steps[-1], horizon):
            steps = np.append(steps, horizon)
    bgnbd._check_fitted()
    frequency, recency, T = _split_summary(frequency, recency, T)
    columns = (_as_array(frequency, "frequency"), _as_array(recency, "recency"), _as_array(T, "T"))
    distinct, inverse = _distinct_rows(*columns)
    previous = np.zeros(len(value))
    clv = np.zeros(len(value))
    for k, t in enumerate(steps, start=1):
        cumulative = bgnbd._expected_purchases(float(t), *distinct)[inverse]
        clv += (cumulative - previous) * value / (1.0 + discount_rate) ** k
        previous = cumulative
    return pd.Series(clv, index=index, name="clv") if index is not None else clv


def predict_clv(
    data: pd.DataFrame,
    *,
    horizon: float = 52.0,
    discount_rate: float = 0.0,
    period: float = 1.0,
    freq: str = "W",
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    observation_end=None,
    models: Mapping | None = None,
    fit_sample: int | None = 100_000,
    random_state: int = 0,
) -> pd.DataFrame:
    """Fit BG/NBD + Gamma-Gamma and predict value per customer, in one call.

    Parameters
    ----------
    data : DataFrame
        A purchase log (``customer_col``, ``date_col``, ``amount_col``) or a summary from
        :func:`rfm_summary` (columns frequency, recency, T, monetary_value).
    horizon : float
        Prediction horizon in ``freq`` units (default 52 weeks).
    discount_rate : float
        Discount rate per ``period``.
    period : float
        Discounting step in ``freq`` units.
    freq : {"D", "W"}
        Time unit used when ``data`` is a purchase log.
    models : mapping, optional
        Already fitted ``{"bgnbd": BetaGeoModel, "gamma_gamma": GammaGammaModel}``; by
        default both are fitted on ``data``.
    fit_sample : int or None
        Fit the models on a random sample of this many customers when there are more (the
        four BG/NBD and three Gamma-Gamma parameters are pinned down long before; fitting on
        a million customers took 24 s of the 51); every customer is predicted. ``None``
        fits on all.
    random_state : int
        Seed of that sample.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``p_alive``, ``expected_purchases`` (in the horizon),
        ``expected_value`` (per transaction) and ``clv``. Fitted models are in
        ``result.attrs["models"]``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> n = 200
    >>> log = pd.DataFrame({"customer_id": rng.integers(0, 60, n).astype(str),
    ...                     "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n), "D"),
    ...                     "amount": rng.gamma(4.0, 10.0, n)})
    >>> out = predict_clv(log, horizon=26)
    >>> list(out.columns)
    ['p_alive', 'expected_purchases', 'expected_value', 'clv']
    """
    if all(c in data.columns for c in _SUMMARY_COLUMNS):
        summary = data[_SUMMARY_COLUMNS]
    else:
        summary = rfm_summary(data, customer_col=customer_col, date_col=date_col, amount_col=amount_col,
                              observation_end=observation_end, freq=freq)
    if models is None:
        fit_on = summary
        if fit_sample is not None and len(summary) > fit_sample:
            fit_on = summary.sample(n=fit_sample, random_state=random_state)
        bg = BetaGeoModel().fit(fit_on)
        gg = GammaGammaModel().fit(fit_on)
    else:
        bg, gg = models["bgnbd"], models["gamma_gamma"]
    x, tx, TT, m = (summary[c] for c in _SUMMARY_COLUMNS)
    purchases = bg.expected_purchases(horizon, x, tx, TT)
    value = gg.expected_average_value(x, m)
    if discount_rate == 0:
        clv = purchases * value  # what customer_lifetime_value gives undiscounted, without a second pass
    else:
        clv = customer_lifetime_value(bg, gg, x, tx, TT, m, horizon=horizon, discount_rate=discount_rate,
                                      period=period)
    out = pd.DataFrame(
        {"p_alive": bg.probability_alive(x, tx, TT), "expected_purchases": purchases, "expected_value": value,
         "clv": clv},
        index=summary.index,
    )
    out.index.name = "customer_id"
    out.attrs["models"] = {"bgnbd": bg, "gamma_gamma": gg}
    return out
