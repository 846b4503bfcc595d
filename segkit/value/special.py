"""Special functions where scipy's give up: the Gauss hypergeometric series summed directly.

``scipy.special.hyp2f1`` returns NaN when a parameter is very large (``|a|`` or ``|b|`` in the
tens of thousands), even where the series converges in a few terms: a purchase model fitted to
customers who all buy at the same rate has ``r`` and ``alpha`` in the hundreds of thousands
(the gamma distribution of purchase rates collapsed to a point), and every prediction of BG/NBD
and MBG/NBD came out NaN there. :func:`hyp2f1_series` sums the series itself, term by term,
and says where it cannot be trusted (NaN): where it did not converge, or where its terms
cancel so much that fewer than :data:`SERIES_DIGITS` digits of the sum are left.

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

__all__ = ["SERIES_DIGITS", "hyp2f1_series"]

#: Correct digits a summed series must keep (after the cancellation of its terms) to be used.
SERIES_DIGITS = 8

#: Terms summed at most; a series that needs more is too slow to trust (NaN).
MAX_TERMS = 5_000


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
