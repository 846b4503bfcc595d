"""The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your
customers the easy way", *Marketing Science* 24(2)), fitted by maximum likelihood.

While alive, a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``;
after each purchase they drop out with probability ``p ~ Beta(a, b)``. The model says how
many repeat purchases a customer will make and the probability that they are still alive.
A customer who never bought again cannot have dropped out (the first coin is tossed after
the first *repeat* purchase), so BG/NBD counts every one-off buyer as alive: the modified
model (:mod:`segkit.value.mbgnbd`) tosses it after the first purchase too. Both share the
maths of this module (``modified`` below).

Examples
--------
>>> import pandas as pd
>>> model = BetaGeoModel()
>>> model.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
>>> round(float(model.probability_alive(2, 30.4, 38.9)[0]), 3)
0.726
"""

from __future__ import annotations

import numpy as np
from scipy import special

from segkit.value.purchase import PurchaseModel, unique_x
from segkit.value.special import hyp2f1_series

__all__ = ["BetaGeoModel", "log_likelihood"]


def _terms(params, x, tx, T, ux, ix, modified: bool):
    """Per row: the log-likelihood and the share ``pi4`` of it that says "dropped out at t_x"."""
    r, alpha, a, b = params
    shift = 1.0 if modified else 0.0
    a1 = (special.gammaln(r + ux) - special.gammaln(r))[ix] + r * np.log(alpha)
    a2 = (special.betaln(a, b + ux + shift) - special.betaln(a, b))[ix]
    a3 = -(r + x) * np.log(alpha + T)
    if modified:
        a4 = np.log(a) - np.log(b + x) - (r + x) * np.log(alpha + tx)
    else:
        # For x = 0 the second term is absent; log(b + x - 1) is undefined there, so mask it.
        has = x > 0
        a4 = np.full_like(x, -np.inf)
        a4[has] = np.log(a) - np.log(b + x[has] - 1) - (r + x[has]) * np.log(alpha + tx[has])
    mix = np.logaddexp(a3, a4)
    return a1 + a2 + mix, np.exp(a4 - mix)


def _gradient(params, x, tx, T, ux, ix, modified: bool, w) -> np.ndarray:
    """Derivatives of the weighted log-likelihood in ``r, alpha, a, b``."""
    r, alpha, a, b = params
    _, pi4 = _terms(params, x, tx, T, ux, ix, modified)
    pi3 = 1.0 - pi4
    shift = 1.0 if modified else 0.0
    d_r = (special.digamma(r + ux) - special.digamma(r))[ix] + np.log(alpha) \
        - pi3 * np.log(alpha + T) - pi4 * np.log(alpha + tx)
    d_alpha = r / alpha - (r + x) * (pi3 / (alpha + T) + pi4 / (alpha + tx))
    d_a = (special.digamma(a + b) - special.digamma(a + b + ux + shift))[ix] + pi4 / a
    d_b = (special.digamma(b + ux + shift) - special.digamma(a + b + ux + shift)
           - special.digamma(b) + special.digamma(a + b))[ix]
    d_b = d_b - pi4 / np.maximum(b + x - 1 + shift, 1e-300)  # pi4 is 0 where BG/NBD's b + x - 1 is b - 1
    return np.array([float((w * d).sum()) for d in (d_r, d_alpha, d_a, d_b)])


def _p_alive(params, x, tx, T, modified: bool) -> np.ndarray:
    r, alpha, a, b = params
    if modified:
        return 1.0 / (1.0 + np.exp(np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))))
    out = np.ones_like(x)
    has = x > 0
    out[has] = 1.0 / (1.0 + np.exp(np.log(a) - np.log(b + x[has] - 1)
                                   + (r + x[has]) * (np.log(alpha + T[has]) - np.log(alpha + tx[has]))))
    return out


def _purchases_while_alive(params, t: float, x, T, modified: bool) -> np.ndarray:
    """``E[Y(t) | x, T] / P(alive)``: expected purchases in ``t`` of a customer known to be alive.

    It is ``c / (a - 1) * (1 - H)`` with ``c = a + b + x - 1`` (``a + b + x`` for MBG/NBD) and
    ``H = (1 - z) ** (r + x) 2F1(r + x, b + x; c; z)``, ``z = t / (alpha + T + t)`` (BG/NBD
    paper, eq. 10; ``b + x + 1`` for MBG/NBD). No one way of computing ``H`` is finite
    everywhere: the papers' form overflows for frequent buyers near z = 1 (x = 200, z = 0.99:
    a quarter of the values are infinite); Euler's transformation,
    ``H = (1 - z) ** (a - 1) 2F1(a + b - 1 - r, a - 1; c; z)`` (``a + b - r`` for MBG/NBD),
    stays finite there but gives 0 * inf when ``a`` is large (a fit with a nearly fixed
    dropout probability, ``a`` in the tens of thousands); Pfaff's,
    ``H = 2F1(a - 1, r + x; c; -t / (alpha + T))``, covers most of the rest; where scipy fails
    on all three (``r`` in the tens of thousands: every customer buys at one rate), Euler's form
    is summed as a series (:func:`segkit.value.special.hyp2f1_series`, NaN where that is not
    accurate either). Each is used where the ones before it failed.
    """
    r, alpha, a, b = params
    if abs(a - 1.0) < 1e-7:  # the closed form is 0/0 at a = 1; the limit is continuous
        a = 1.0 + 1e-7
    x, T = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(T, dtype=float))
    shift = 0.0 if modified else 1.0
    c = a + b + x - shift
    z = t / (alpha + T + t)
    with np.errstate(all="ignore"):
        h = np.exp((a - 1.0) * np.log1p(-z)) * special.hyp2f1(a + b - r - shift, a - 1.0, c, z)
        bad = ~np.isfinite(h)
        if bad.any():
            zb, xb = z[bad], x[bad]
            h[bad] = np.exp((r + xb) * np.log1p(-zb)) * special.hyp2f1(r + xb, b + xb + 1.0 - shift, c[bad], zb)
            bad = ~np.isfinite(h)
        if bad.any():
            h[bad] = special.hyp2f1(a - 1.0, r + x[bad], c[bad], -t / (alpha + T[bad]))
            bad = ~np.isfinite(h)
        if bad.any():  # scipy gives NaN for huge r (a collapsed gamma): Euler's form summed directly
            zb = z[bad]
            h[bad] = np.exp((a - 1.0) * np.log1p(-zb)) * hyp2f1_series(a + b - r - shift, a - 1.0, c[bad], zb)
    return c / (a - 1.0) * (1.0 - h)


def _unconditional(params, t: np.ndarray, modified: bool) -> np.ndarray:
    """``E[X(t)]`` of a new customer (BG/NBD paper eq. 9; MBG/NBD: Batislam et al. 2007)."""
    r, alpha, a, b = params
    zero = np.zeros_like(t)
    per_alive = _purchases_while_alive(params, t, zero, zero, modified)
    # A new customer is alive for sure under BG/NBD; under MBG/NBD with probability b / (a + b).
    return per_alive * (b / (a + b) if modified else 1.0)


def log_likelihood(params: np.ndarray, x, tx, T, w) -> float:
    """The BG/NBD log-likelihood (paper, eq. 6) of customers ``x, tx, T`` weighted by ``w``.

    Examples
    --------
    >>> params = np.array([0.243, 4.414, 0.793, 2.426])
    >>> one = [np.array([v]) for v in (2.0, 30.4, 38.9, 1.0)]
    >>> round(log_likelihood(params, *one), 3)
    -9.46
    """
    x = np.asarray(x, dtype=float)
    ux, ix = unique_x(x)
    ll, _ = _terms(params, x, np.asarray(tx, dtype=float), np.asarray(T, dtype=float), ux, ix, False)
    return float(np.sum(w * ll))


class BetaGeoModel(PurchaseModel):
    """BG/NBD model of repeat purchasing, fitted by maximum likelihood.

    Purchasing while alive is Poisson with rate ``lambda ~ Gamma(r, alpha)``; after each
    repeat purchase a customer drops out with probability ``p ~ Beta(a, b)``. A customer
    without repeat purchases is alive with probability 1 under this model, whatever the
    date: for a credible P(alive) use :class:`~segkit.value.ModifiedBetaGeoModel` or
    :class:`~segkit.value.ParetoNBDModel`.

    Parameters
    ----------
    penalizer : float
        Optional L2 penalty on the parameters (0: plain maximum likelihood, as published).

    Attributes
    ----------
    params_ : Series
        ``r``, ``alpha``, ``a``, ``b`` (``alpha`` in the time unit of the data).
    standard_errors_ : Series
        From the Hessian of the log-likelihood at the maximum (NaN when it is not
        positive definite; ``identified_`` is then False).
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
    >>> float(model.probability_alive(0, 0.0, 40.0)[0])  # one-off buyers never leave under BG/NBD
    1.0
    """

    name = "BG/NBD"
    param_names = ("r", "alpha", "a", "b")
    one_off_can_leave = False
    modified = False

    def _prepare(self, x, tx, T) -> tuple:
        ux, ix = unique_x(x)
        return (x, tx, T, ux, ix)

    def _loglik(self, params, x, tx, T, ux, ix, w) -> float:
        ll, _ = _terms(params, x, tx, T, ux, ix, self.modified)
        return float((w * ll).sum())

    def _gradient(self, params, x, tx, T, ux, ix, w) -> np.ndarray:
        return _gradient(params, x, tx, T, ux, ix, self.modified, w)

    def _p_alive(self, params, x, tx, T) -> np.ndarray:
        return _p_alive(params, x, tx, T, self.modified)

    def _while_alive(self, params, t, x, T) -> np.ndarray:
        return _purchases_while_alive(params, t, x, T, self.modified)

    def _unconditional(self, params, t) -> np.ndarray:
        return _unconditional(params, t, self.modified)
