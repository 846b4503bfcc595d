"""The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987), fitted by maximum likelihood
in the form of Fader, Hardie & Lee (2005), "A note on implementing the Pareto/NBD model in
MATLAB".

While alive, a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``;
each customer's lifetime is exponential with rate ``mu ~ Gamma(s, beta)``, so a customer can
leave at any time, before a repeat purchase too. The likelihood of ``x, t_x, T`` is

``G(r+x) alpha^r beta^s / G(r) * [(alpha+T)^-(r+x) (beta+T)^-s + s * A0]``,
``A0 = integral from t_x to T of (alpha+y)^-(r+x) (beta+y)^-(s+1) dy``,

``A0`` is computed wherever an optimiser may take the parameters, fast and to about 1e-12
(docs/value.md, "Numerics"): by the note's closed form through the Gauss hypergeometric
function (a difference of two terms, one of ``(x, t_x)`` and one of ``(x, T)``, each computed
once per distinct pair), scipy's or, where scipy gives up, Gauss's continued fraction; by a
binomial series in ``(min(alpha, beta) + y) / |alpha - beta|`` where that ratio is small (a
gamma of rates collapsing to a point: ``s, beta -> infinity`` with ``s / beta`` fixed is
the model with exponential lifetimes of one rate, a real limit the fit walks towards on many
logs), where scipy's hyp2f1 takes a thousand times longer or returns NaN; and by adaptive
quadrature for the few rows left. The shapes' large logs (``s log beta`` in the millions
there) are folded into the terms so they cancel exactly.

Examples
--------
>>> import pandas as pd
>>> model = ParetoNBDModel()
>>> model.params_ = pd.Series({"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669})
>>> [round(float(p), 3) for p in model.probability_alive([0, 2], [0.0, 30.4], [38.9, 38.9])]
[0.295, 0.868]
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from scipy import integrate, special

from segkit.value.likelihood import distinct_rows
from segkit.value.purchase import PurchaseModel, unique_x
from segkit.value.special import hyp2f1_1_fraction, hyp2f1_series

__all__ = ["ParetoNBDModel", "log_a0", "log_likelihood"]


def _pairs(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> tuple:
    """The distinct ``(x, u)`` pairs among ``(x, t_x)`` and ``(x, T)``, and where each row's are."""
    both_x = np.concatenate([x, x])
    (px, pu), inverse = distinct_rows(both_x, np.concatenate([tx, T]))
    return px, pu, inverse[: len(x)], inverse[len(x):]


class _Integrand(NamedTuple):
    """``A0``'s integrand ``(small + y) ** -(g_small + h_small) * (big + y) ** -(g_big + h_big)``, ``small``
    and ``big`` the smaller and larger of ``alpha, beta``: ``g`` the gamma shape of that scale (``r`` of
    ``alpha``, ``s`` of ``beta``), ``h`` the rest (``x`` of ``alpha``, 1 of ``beta``)."""

    small: float
    g_small: float
    h_small: float | np.ndarray
    big: float
    g_big: float
    h_big: float | np.ndarray

    @classmethod
    def of(cls, params, x) -> _Integrand:
        r, alpha, s, beta = params
        return cls(beta, s, 1.0, alpha, r, x) if alpha >= beta else cls(alpha, r, x, beta, s, 1.0)

    def rows(self, mask) -> _Integrand:
        """The same integrand for the rows of ``mask`` (``h`` per row)."""
        def at(h):
            return h[mask] if np.ndim(h) else np.full(int(np.count_nonzero(mask)), h)
        return self._replace(h_small=at(self.h_small), h_big=at(self.h_big))


def _log_a0_scaled(params, x, tx, T, pairs) -> np.ndarray:
    """``log(A0 alpha ** r beta ** s)`` per row (``-inf`` where ``t_x = T``: no time to have left unseen).

    Scaled so that the shapes' large logs (``r log alpha``, ``s log beta``, each in the millions
    where a gamma collapses to a point) cancel exactly instead of in floating point. Where the
    larger of ``alpha, beta`` is far above the smaller plus ``T`` (the lifetimes' gamma nearly a
    point: the optimiser's way towards exponential lifetimes of one rate; or the purchase rates'
    likewise), the binomial series (:func:`_log_a0_binomial`) converges in a few terms; elsewhere
    the hypergeometric closed form (:func:`_log_a0_hyp2f1`) is fast and exact; where neither
    converges, adaptive quadrature (:func:`_log_a0_quad`).
    """
    f = _Integrand.of(params, x)
    e_big = f.g_big + f.h_big
    out = np.full(len(x), -np.inf)
    open_ = tx < T
    d = f.big - f.small
    rho = (f.small + T) / d if d > 0 else np.full(len(x), np.inf)
    series = open_ & (rho <= BINOMIAL_RHO) & (e_big * rho <= BINOMIAL_SPREAD)
    if series.any():
        out[series] = _log_a0_binomial(f.rows(series), tx[series], T[series])
    rest = open_ & ~np.isfinite(out)
    if rest.any():
        out[rest] = _log_a0_hyp2f1(params, x, tx, T, pairs, rest)
    for i in np.flatnonzero(open_ & ~np.isfinite(out)):  # neither converges: far out, and rare
        out[i] = _log_a0_quad(f.rows(np.arange(len(x)) == i), tx[i], T[i])
    return out


#: Rows with ``(min(alpha, beta) + T) / |alpha - beta|`` at most this use the binomial series ...
BINOMIAL_RHO = 0.5
#: ... when that ratio times the exponent of ``max(alpha, beta) + y`` is at most this too: the
#: terms then fall after a few, and their alternating signs cost at most ``e ** (2 * 4)`` (3.5 digits).
BINOMIAL_SPREAD = 4.0
#: Terms of the binomial series summed at most.
BINOMIAL_TERMS = 200
#: From this ``z`` on, ``2F1(1, b; c; z)`` by Gauss's continued fraction first, else by scipy first.
CONTINUED_FRACTION_Z = 0.9


def _log_a0_binomial(f: _Integrand, tx, T) -> np.ndarray:
    """``log(A0 alpha ** r beta ** s)`` by expanding ``(big + y) ** -e_big = d ** -e_big (1 + (small + y) / d) ** -e_big``
    (``d = big - small``, ``e`` the exponents) in powers of ``(small + y) / d``, term by term:

    ``A0 = d ** -e_big * sum_k (e_big)_k / k! (-1/d) ** k * integral_tx^T (small + y) ** (k - e_small) dy``.

    NaN where the sum did not converge in :data:`BINOMIAL_TERMS` terms or its alternating terms
    cancelled to fewer than 11 digits (the caller then uses another form).
    """
    small, d = f.small, f.big - f.small
    e_small, e_big = f.g_small + f.h_small, f.g_big + f.h_big
    P, Q = small + T, small + tx
    L = np.log1p((T - tx) / Q)  # log(P / Q), exact for T close to tx
    rho = P / d
    eps = np.finfo(float).eps
    n = len(T)

    def e_of(c, L):  # (1 - (Q / P) ** |c|) / |c|: J_k over the larger of P ** c, Q ** c
        ac = np.abs(c)
        t = ac * L
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(t > 0, -np.expm1(-t) / ac, L)  # its limit L where c = 0

    # term_k / term_{k-1} = -(e_big + k - 1) / k / d * J_k / J_{k-1}, J_k the integral of
    # (small + y) ** c, c = k - e_small: a product of ratios of order 1, so no large logs cancel.
    # max(P ** c, Q ** c) grows by P per term where c >= 0, by Q where c <= -1, and by
    # P ** c / Q ** (c - 1) = P * (P / Q) ** (c - 1) where c crosses 0.
    c0 = 1.0 - e_small
    total, largest, done = np.ones(n), np.ones(n), np.zeros(n, dtype=bool)
    # the rows still summed, and their state (compacted now and then: rows converge at different speeds)
    at, c, e_prev, term = np.arange(n), c0.copy(), e_of(c0, L), np.ones(n)
    big_e, rho_a, L_a, tot, top = e_big, rho, L, np.ones(n), np.ones(n)
    for k in range(1, BINOMIAL_TERMS):
        grow = rho_a * np.exp(np.minimum(np.maximum(c, -1.0), 0.0) * L_a)
        c = c + 1.0
        e_k = e_of(c, L_a)
        term *= (big_e + (k - 1.0)) / k * grow * (e_k / e_prev)
        e_prev = e_k
        tot += term if k % 2 == 0 else -term
        np.maximum(top, term, out=top)
        # |term_{k+1} / term_k| <= (e_big + k) / (k + 1) * rho, falling to rho: bound the tail
        q = np.maximum((big_e + k) / (k + 1.0) * rho_a, rho_a)
        finished = ((q < 1) & (term * q / (1 - q) <= 0.5 * eps * np.abs(tot))) | ~np.isfinite(tot)
        if k % 4 == 0 or finished.all() or k == BINOMIAL_TERMS - 1:
            total[at], largest[at] = tot, top
            done[at[finished]] = True
            keep = ~finished
            at, c, e_prev, term, big_e, rho_a, L_a, tot, top = (
                v[keep] for v in (at, c, e_prev, term, big_e, rho_a, L_a, tot, top))
            if not len(at):
                break
    # d ** -e_big * big ** g_big and U ** c0 * small ** g_small, U = P or Q, without large logs
    u = np.where(c0 > 0, T, tx)
    log_scale = (-f.h_big * np.log(d) - f.g_big * np.log1p(-small / f.big)
                 + (1.0 - f.h_small) * np.log(small + u) - f.g_small * np.log1p(u / small))
    with np.errstate(divide="ignore", invalid="ignore"):
        good = done & (total > 0) & (largest * eps / total <= 1e-11)
        return np.where(good, log_scale + np.log(e_of(c0, L)) + np.log(total), np.nan)


def _log_a0_quad(f: _Integrand, tx: float, T: float) -> float:
    """``log(A0 alpha ** r beta ** s)`` of one row by adaptive quadrature, the integrand scaled by its
    value at ``t_x`` (its largest)."""
    h_small, h_big = float(f.h_small[0]), float(f.h_big[0])

    def log_f(y):
        return (-f.g_small * np.log1p(y / f.small) - h_small * np.log(f.small + y)
                - f.g_big * np.log1p(y / f.big) - h_big * np.log(f.big + y))

    top = log_f(tx)
    with warnings.catch_warnings():  # its error estimate is conservative at this tolerance
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(lambda y: np.exp(log_f(y) - top), tx, T, epsabs=0.0, epsrel=1e-13, limit=400)
    return float(top + np.log(value)) if value > 0 else np.nan


def _log_a0_hyp2f1(params, x, tx, T, pairs, rows) -> np.ndarray:
    """``log(A0 alpha ** r beta ** s)`` of ``rows`` (a mask) from the note's hypergeometric closed form,
    as the difference of two integrals to infinity, each computed once per distinct ``(x, u)`` pair."""
    px, pu, i_tx, i_T = pairs
    need = np.zeros(len(px), dtype=bool)
    need[i_tx[rows]] = True
    need[i_T[rows]] = True
    px, pu = px[need], pu[need]
    where = np.cumsum(need) - 1  # position of a needed pair among px, pu
    f = _Integrand.of(params, px)
    e_small, e_big = f.g_small + f.h_small, f.g_big + f.h_big
    e_small, e_big = (np.broadcast_to(e, px.shape) for e in (e_small, e_big))
    # (e_small + e_big - 1) times the integral from u to infinity is
    # (small + u) ** (1 - e_small) (big + u) ** -e_big 2F1(1, e_big; e_small + e_big; z), z = d / (big + u):
    # the note's 2F1(r+s+x, s+1 or r+x; r+s+x+1; z) after Euler's transformation, whose log stays
    # finite for frequent buyers with z near 1.
    z = (f.big - f.small) / (f.big + pu)
    c = e_small + e_big
    # Near z = 1 scipy takes 1-200 microseconds a value (NaN for large parameters) where Gauss's
    # continued fraction settles in tens of levels; further from 1 scipy is the faster. Each
    # covers where the other gives up, and the power series is the last resort.
    near = z >= CONTINUED_FRACTION_Z
    hyp = np.full(len(z), np.nan)
    hyp[near] = hyp2f1_1_fraction(e_big[near], c[near], z[near])
    lost = ~np.isfinite(hyp)
    hyp[lost] = special.hyp2f1(1.0, e_big[lost], c[lost], z[lost])
    lost = ~np.isfinite(hyp) & ~near
    if lost.any():
        hyp[lost] = hyp2f1_1_fraction(e_big[lost], c[lost], z[lost])
    lost = ~np.isfinite(hyp)
    if lost.any():
        hyp[lost] = hyp2f1_series(1.0, e_big[lost], c[lost], z[lost])
    term = ((1.0 - f.h_small) * np.log(f.small + pu) - f.g_small * np.log1p(pu / f.small)
            - f.h_big * np.log(f.big + pu) - f.g_big * np.log1p(pu / f.big) + np.log(hyp))
    at_tx, at_T = term[where[i_tx[rows]]], term[where[i_T[rows]]]
    r, _, s, _ = params
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.minimum(at_T - at_tx, 0.0)
        return at_tx + np.log(-np.expm1(gap)) - np.log(r + s + x[rows])


def log_a0(params, x, tx, T) -> np.ndarray:
    """``log A0``, the log of the integral from ``t_x`` to ``T`` of ``(alpha + y) ** -(r + x) (beta + y) ** -(s + 1)``,
    per customer (``-inf`` where ``t_x = T``).

    Examples
    --------
    >>> from scipy import integrate
    >>> params = np.array([0.553, 10.578, 0.606, 11.669])
    >>> direct = integrate.quad(lambda y: (10.578 + y) ** -2.553 * (11.669 + y) ** -1.606, 30.4, 38.9)[0]
    >>> bool(np.isclose(log_a0(params, [2.0], [30.4], [38.9])[0], np.log(direct), rtol=1e-12))
    True
    """
    params = np.asarray(params, dtype=float)
    x, tx, T = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (x, tx, T))
    r, alpha, s, beta = params
    return _log_a0_scaled(params, x, tx, T, _pairs(x, tx, T)) - r * np.log(alpha) - s * np.log(beta)


def _row_loglik(params, x, tx, T, ux, ix, pairs) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the log-likelihood and the log of the "still alive at T" part of it.

    ``alpha ** r beta ** s`` is folded into both parts (``(alpha / (alpha + T)) ** r`` is
    ``exp(-r log1p(T / alpha))``), so no large logs cancel where a shape is in the millions.
    """
    r, alpha, s, beta = params
    a1 = (special.gammaln(r + ux) - special.gammaln(r))[ix]
    alive = -r * np.log1p(T / alpha) - x * np.log(alpha + T) - s * np.log1p(T / beta)
    dead = np.log(s) + _log_a0_scaled(params, x, tx, T, pairs)
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
    # A0 per distinct row and a numerical gradient: 1-6 ms an evaluation on 10,000 customers
    # (7,500 distinct rows), 85-250 evaluations a fit. The CDNOW estimates come from 2,357
    # customers; 10,000 pin the four parameters down well.
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
