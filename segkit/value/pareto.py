"""The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987), fitted by maximum likelihood
in the form of Fader, Hardie & Lee (2005), "A note on implementing the Pareto/NBD model in
MATLAB".

While alive, a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``;
each customer's lifetime is exponential with rate ``mu ~ Gamma(s, beta)``, so a customer can
leave at any time, before a repeat purchase too. The likelihood of ``x, t_x, T`` is

``G(r+x) alpha^r beta^s / G(r) * [(alpha+T)^-(r+x) (beta+T)^-s + s * A0]``,
``A0 = integral from t_x to T of (alpha+y)^-(r+x) (beta+y)^-(s+1) dy``,

with ``A0`` in closed form through the Gauss hypergeometric function. ``A0`` is a
difference of two terms, one of ``(x, t_x)`` and one of ``(x, T)``; those pairs repeat far
more often than whole rows do, so each hypergeometric value is computed once per distinct
pair.

Examples
--------
>>> import pandas as pd
>>> model = ParetoNBDModel()
>>> model.params_ = pd.Series({"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669})
>>> [round(float(p), 3) for p in model.probability_alive([0, 2], [0.0, 30.4], [38.9, 38.9])]
[0.295, 0.868]
"""

from __future__ import annotations

import numpy as np
from scipy import special

from segkit.value.likelihood import distinct_rows
from segkit.value.purchase import PurchaseModel, unique_x

__all__ = ["ParetoNBDModel", "log_likelihood"]


def _pairs(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> tuple:
    """The distinct ``(x, u)`` pairs among ``(x, t_x)`` and ``(x, T)``, and where each row's are."""
    both_x = np.concatenate([x, x])
    (px, pu), inverse = distinct_rows(both_x, np.concatenate([tx, T]))
    return px, pu, inverse[: len(x)], inverse[len(x):]


def _log_a0(params, x, tx, T, pairs) -> np.ndarray:
    """``log A0`` per row (``-inf`` where ``t_x = T``: no time to have left unseen)."""
    r, alpha, s, beta = params
    px, pu, i_tx, i_T = pairs
    rsx = r + s + px
    big, small = max(alpha, beta), min(alpha, beta)
    # The note's 2F1(r+s+x, s+1 or r+x; r+s+x+1; z), z = |alpha - beta| / (max + u), overflows for
    # frequent buyers when z is near 1. Euler's transformation turns it into
    # (1 - z) ** -s  2F1(1, r+x; r+s+x+1; z)      (alpha >= beta), or
    # (1 - z) ** (1-r-x) 2F1(1, s+1; r+s+x+1; z)  (alpha < beta),
    # whose logs stay finite; log(1 - z) = log(min + u) - log(max + u) exactly.
    z = (big - small) / (big + pu)
    log_1mz = np.log(small + pu) - np.log(big + pu)
    if alpha >= beta:
        log_hyp = -s * log_1mz + np.log(special.hyp2f1(1.0, r + px, rsx + 1.0, z))
    else:
        log_hyp = (1.0 - r - px) * log_1mz + np.log(special.hyp2f1(1.0, s + 1.0, rsx + 1.0, z))
    # integral from u to infinity, times r + s + x
    term = log_hyp - rsx * np.log(big + pu)
    at_tx, at_T = term[i_tx], term[i_T]
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.minimum(at_T - at_tx, 0.0)
        out = at_tx + np.log(-np.expm1(gap)) - np.log(r + s + x)
    return np.where(tx < T, out, -np.inf)


def _row_loglik(params, x, tx, T, ux, ix, pairs) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the log-likelihood and the log of the "still alive at T" part of it."""
    r, alpha, s, beta = params
    a1 = (special.gammaln(r + ux) - special.gammaln(r))[ix] + r * np.log(alpha) + s * np.log(beta)
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    dead = np.log(s) + _log_a0(params, x, tx, T, pairs)
    total = np.logaddexp(alive, dead)
    return a1 + total, alive - total


def log_likelihood(params: np.ndarray, x, tx, T, w) -> float:
    """The Pareto/NBD log-likelihood of customers ``x, tx, T`` weighted by ``w``.

    Examples
    --------
    >>> params = np.array([0.553, 10.578, 0.606, 11.669])
    >>> one = [np.array([v]) for v in (2.0, 30.4, 38.9, 1.0)]
    >>> round(log_likelihood(params, *one), 3)
    -9.555
    """
    x, tx, T = (np.asarray(v, dtype=float) for v in (x, tx, T))
    ux, ix = unique_x(x)
    ll, _ = _row_loglik(params, x, tx, T, ux, ix, _pairs(x, tx, T))
    return float(np.sum(np.asarray(w) * ll))


class ParetoNBDModel(PurchaseModel):
    """Pareto/NBD model of repeat purchasing, fitted by maximum likelihood.

    Purchasing while alive is Poisson with rate ``lambda ~ Gamma(r, alpha)``; lifetimes are
    exponential with rate ``mu ~ Gamma(s, beta)``. Attributes as
    :class:`~segkit.value.BetaGeoModel` (parameters ``r``, ``alpha``, ``s``, ``beta``).

    Examples
    --------
    >>> from segkit.value import ParetoNBDModel
    >>> model = ParetoNBDModel().fit([0, 2, 5, 1, 0, 3, 1, 0], [0.0, 20.0, 30.0, 5.0, 0.0, 35.0, 12.0, 0.0],
    ...                              [40.0, 38.0, 36.0, 39.0, 35.0, 37.0, 30.0, 20.0])
    >>> list(model.params_.index)
    ['r', 'alpha', 's', 'beta']
    """

    name = "Pareto/NBD"
    param_names = ("r", "alpha", "s", "beta")
    one_off_can_leave = True
    # Two hypergeometric values per distinct (x, t_x) and (x, T) and a numerical gradient: 26 ms
    # an evaluation on 50,000 customers, 345 evaluations a fit (at 1M customers). The CDNOW estimates come from
    # 2,357 customers; 10,000 pin the four parameters down well.
    max_fit_customers = 10_000

    def _start(self, x, tx, T) -> np.ndarray:
        scale = float(np.mean(T)) or 1.0
        return np.log([1.0, scale, 1.0, scale])

    def _prepare(self, x, tx, T) -> tuple:
        ux, ix = unique_x(x)
        return (x, tx, T, ux, ix, _pairs(x, tx, T))

    def _loglik(self, params, x, tx, T, ux, ix, pairs, w) -> float:
        ll, _ = _row_loglik(params, x, tx, T, ux, ix, pairs)
        return float((w * ll).sum())

    def _p_alive(self, params, x, tx, T) -> np.ndarray:
        ux, ix = unique_x(x)
        _, log_alive = _row_loglik(params, x, tx, T, ux, ix, _pairs(x, tx, T))
        return np.exp(log_alive)

    def _while_alive(self, params, t, x, T) -> np.ndarray:
        """``(r + x) (beta + T) / ((alpha + T)(s - 1)) * [1 - ((beta + T)/(beta + T + t))^(s - 1)]``."""
        r, alpha, s, beta = params
        return (r + x) / (alpha + T) * _lifetime_share(s, beta + T, t)

    def _unconditional(self, params, t) -> np.ndarray:
        r, alpha, s, beta = params
        return r / alpha * _lifetime_share(s, np.full_like(t, beta), t)


def _lifetime_share(s: float, beta_T, t) -> np.ndarray:
    """``(beta + T) / (s - 1) * [1 - ((beta + T) / (beta + T + t)) ** (s - 1)]``: the expected time
    alive within the next ``t``, per unit of purchase rate (its limit ``(beta + T) log(1 + t/(beta + T))``
    at ``s = 1``)."""
    log_ratio = np.log1p(t / beta_T)
    if abs(s - 1.0) < 1e-9:
        return beta_T * log_ratio
    return beta_T * -np.expm1(-(s - 1.0) * log_ratio) / (s - 1.0)
