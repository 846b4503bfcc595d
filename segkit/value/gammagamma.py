"""The Gamma-Gamma model of average transaction value (Fader, Hardie & Lee 2005, "RFM and
CLV", *Journal of Marketing Research* 42(4)), fitted by maximum likelihood.

A customer's transaction values are Gamma(p, nu) with ``nu ~ Gamma(q, v)`` across
customers; the model gives the expected value of each customer's future transactions.

Examples
--------
>>> import pandas as pd
>>> gg = GammaGammaModel()
>>> gg.params_ = pd.Series({"p": 6.25, "q": 3.74, "v": 15.44})
>>> round(float(gg.expected_average_value(2, 40.0)[0]), 2)
39.14
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special

from segkit.exceptions import ModelError, SegkitWarning, user_stacklevel
from segkit.value.inputs import as_array, index_of, require_columns
from segkit.value.likelihood import LikelihoodModel

__all__ = ["GammaGammaModel", "log_likelihood"]


def log_likelihood(params: np.ndarray, x, m, w) -> float:
    """The Gamma-Gamma log-likelihood of customers with ``x`` repeat purchases of mean value ``m``, weighted by ``w``.

    Examples
    --------
    >>> one = [np.array([v]) for v in (2.0, 40.0, 1.0)]
    >>> round(log_likelihood(np.array([6.25, 3.74, 15.44]), *one), 3)
    -4.358
    """
    p, q, v = params
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    # Repeat counts take few values: the log-gammas once per count.
    ux, ix = np.unique(x, return_inverse=True)
    gam = (special.gammaln(p * ux + q) - special.gammaln(p * ux))[ix.ravel()]
    ll = (gam - special.gammaln(q) + q * np.log(v) + (p * x - 1) * np.log(m) + p * x * np.log(x)
          - (p * x + q) * np.log(x * m + v))
    return float(np.sum(w * ll))


class GammaGammaModel(LikelihoodModel):
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

    param_names = ("p", "q", "v")
    fit_call = "fit(frequency, monetary_value)"

    def fit(self, frequency, monetary_value=None) -> GammaGammaModel:
        """Fit on repeat ``frequency`` and mean repeat spend (or one summary frame).

        Returns
        -------
        self
        """
        if isinstance(frequency, pd.DataFrame):
            require_columns(frequency, ["frequency", "monetary_value"], "summary")
            frequency, monetary_value = frequency["frequency"], frequency["monetary_value"]
        x, m = as_array(frequency, "frequency"), as_array(monetary_value, "monetary_value")
        keep = (x > 0) & (m > 0)
        dropped = int(((x > 0) & (m <= 0)).sum())
        if dropped:
            warnings.warn(f"Gamma-Gamma: {dropped} repeat customers with monetary_value <= 0 left out",
                          SegkitWarning, stacklevel=user_stacklevel())
        x, m = x[keep], m[keep]
        if len(x) < 3:
            raise ModelError("Gamma-Gamma: needs at least 3 customers with repeat purchases and positive spend")
        self.frequency_value_correlation_ = float(np.corrcoef(x, m)[0, 1]) if np.std(x) > 0 else np.nan
        return self._fit_likelihood(log_likelihood, (x, m), np.log([1.0, 1.0, float(np.mean(m))]), "Gamma-Gamma")

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
        self._check_fitted()
        index = None
        if isinstance(frequency, pd.DataFrame):
            index = frequency.index
            frequency, monetary_value = frequency["frequency"], frequency["monetary_value"]
        index = index if index is not None else index_of(frequency, monetary_value)
        x, m = as_array(frequency, "frequency"), as_array(monetary_value, "monetary_value")
        p, q, v = self.params_.to_numpy()
        if q <= 1:
            raise ModelError(f"Gamma-Gamma: q = {q:.3g} <= 1, the expected spend is infinite; "
                             "too few repeat customers to estimate value")
        # Net spend can be <= 0 after returns; such a customer's own mean carries no
        # positive information, so it is floored at 0 (shrinking towards 0, not below).
        m = np.where(x > 0, np.maximum(m, 0.0), 0.0)
        out = p * (v + x * m) / (p * x + q - 1)
        return pd.Series(out, index=index, name="expected_value") if index is not None else out
