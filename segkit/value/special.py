"""Special functions where scipy's give up: the Gauss hypergeometric series summed directly,
and ``2F1(1, b; c; z)`` by Gauss's continued fraction.

``scipy.special.hyp2f1`` returns NaN when a parameter is very large (``|a|`` or ``|b|`` in the
tens of thousands), even where the series converges in a few terms: a purchase model fitted to
customers who all buy at the same rate has ``r`` and ``alpha`` in the hundreds of thousands
(the gamma distribution of purchase rates collapsed to a point), and every prediction of BG/NBD
and MBG/NBD came out NaN there. :func:`hyp2f1_series` sums the series itself, term by term,
and says where it cannot be trusted (NaN): where it did not converge, or where its terms
cancel so much that fewer than :data:`SERIES_DIGITS` digits of the sum are left. Near
``z = 1`` with large ``b`` and ``c`` (Pareto/NBD's ``A0`` where a gamma collapses), scipy takes
up to 200 microseconds a value or gives NaN and the series needs millions of terms, while
:func:`hyp2f1_1_fraction` settles in tens of levels.

Examples
--------
>>> import numpy as np
>>> from scipy import special
>>> z = np.array([0.1, 0.5])
>>> bool(np.allclose(hyp2f1_series(1.5, 2.0, 3.0, z), special.hyp2f1(1.5, 2.0, 3.0, z)))
True
>>> float(special.hyp2f1(-82786.0, -0.65, 24.6, 1.25e-5))  # scipy
nan
>>> round(float(hyp2f1_series(-82786.0, -0.65, 24.6, np.array([1.25e-5]))[0]), 6)
1.027153
"""

from __future__ import annotations

import numpy as np

__all__ = ["SERIES_DIGITS", "hyp2f1_1_fraction", "hyp2f1_series"]

#: Correct digits a summed series must keep (after the cancellation of its terms) to be used.
SERIES_DIGITS = 8

#: Terms summed at most; a series that needs more is too slow to trust (NaN).
MAX_TERMS = 5_000

#: Levels of a continued fraction evaluated at most (NaN beyond).
MAX_LEVELS = 1_000


def hyp2f1_series(a, b, c, z) -> np.ndarray:
    """``2F1(a, b; c; z)`` by summing its power series, NaN where that is not accurate.

    Parameters
    ----------
    a, b, c : float or array
        The parameters (broadcast against ``z``); ``c`` must not be 0 or a negative integer.
    z : array
        Arguments with ``|z| < 1`` (NaN elsewhere: the series diverges).

    Returns
    -------
    ndarray
        The sums; NaN where the series did not converge within :data:`MAX_TERMS` terms or where
        cancellation left fewer than :data:`SERIES_DIGITS` correct digits.
    """
    a, b, c, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, c, z)))
    shape = z.shape
    a, b, c, z = (v.ravel() for v in (a, b, c, z))
    total = np.ones(len(z))
    term = np.ones(len(z))
    largest = np.ones(len(z))
    active = np.flatnonzero(np.abs(z) < 1)
    done = np.zeros(len(z), dtype=bool)
    eps = np.finfo(float).eps
    with np.errstate(all="ignore"):
        for k in range(MAX_TERMS):
            if not len(active):
                break
            i = active
            term[i] *= (a[i] + k) * (b[i] + k) / ((c[i] + k) * (k + 1.0)) * z[i]
            total[i] += term[i]
            largest[i] = np.maximum(largest[i], np.abs(term[i]))
            small = (np.abs(term[i]) <= eps * np.abs(total[i])) | (term[i] == 0)
            # a zero term (a or b a non-positive integer) ends a terminating series
            done[i[small]] = True
            active = i[~small]
        lost = largest * eps / np.abs(total)
        good = done & np.isfinite(total) & (lost <= 10.0 ** -SERIES_DIGITS)
    return np.where(good, total, np.nan).reshape(shape)


def hyp2f1_1_fraction(b, c, z) -> np.ndarray:
    """``2F1(1, b; c; z)`` by Gauss's continued fraction, NaN where it did not converge.

    ``2F1(b, 1; c; z) = 1 / (1 - k1 z / (1 - k2 z / (1 - ...)))`` with, for ``n = 0, 1, ...`` and
    ``c' = c - 1``, ``k(2n+1) = (b+n)(c'+n) / ((c'+2n)(c'+2n+1))`` and
    ``k(2n+2) = (n+1)(c'-b+n+1) / ((c'+2n+1)(c'+2n+2))`` (the ratio of contiguous functions with
    the second parameter 0). Where ``b`` and ``c`` are large and ``z`` near 1 (a gamma of rates
    collapsed to a point), the even coefficients are tiny and it converges in tens of levels where
    the power series needs millions of terms; evaluated top-down by the modified Lentz method.

    Parameters
    ----------
    b, c : float or array
        Parameters (broadcast against ``z``), ``c > 1``.
    z : array
        Arguments in ``[0, 1)``.

    Returns
    -------
    ndarray
        The values; NaN where :data:`MAX_LEVELS` levels did not settle it to machine precision.

    Examples
    --------
    >>> from scipy import special
    >>> z = np.array([0.3, 0.9])
    >>> bool(np.allclose(hyp2f1_1_fraction(2.5, 4.0, z), special.hyp2f1(1.0, 2.5, 4.0, z), rtol=1e-13))
    True
    """
    b, c, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (b, c, z)))
    shape = z.shape
    b, c, z = (v.ravel() for v in (b, c, z))
    c1 = c - 1.0
    tiny = 1e-300
    denominator = np.ones(len(z))
    out = np.full(len(z), np.nan)
    # Lentz's state for the rows still running
    at = np.flatnonzero((z >= 0) & (z < 1))
    C, D = np.ones(len(at)), np.zeros(len(at))
    bb, cc, zz, den = b[at], c1[at], z[at], denominator[at]
    with np.errstate(all="ignore"):
        for j in range(1, MAX_LEVELS if len(at) else 0):
            n = (j - 1) // 2
            if j % 2:
                k = (bb + n) * (cc + n) / ((cc + 2 * n) * (cc + 2 * n + 1))
            else:
                k = (n + 1) * (cc - bb + n + 1) / ((cc + 2 * n + 1) * (cc + 2 * n + 2))
            a = -k * zz
            D = 1.0 + a * D
            D = np.where(D == 0, tiny, D)
            C = 1.0 + a / C
            C = np.where(C == 0, tiny, C)
            D = 1.0 / D
            delta = C * D
            den = den * delta
            settled = np.abs(delta - 1.0) <= 2 * np.finfo(float).eps
            if settled.any():
                out[at[settled]] = 1.0 / den[settled]
                keep = ~settled
                at, C, D, bb, cc, zz, den = (v[keep] for v in (at, C, D, bb, cc, zz, den))
                if not len(at):
                    break
    return np.where(np.isfinite(out), out, np.nan).reshape(shape)
