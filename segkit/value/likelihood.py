"""Maximum likelihood, shared by every value model.

A model (BG/NBD, Gamma-Gamma, and the ones to come) supplies its log-likelihood, its
parameter names and a start; :class:`LikelihoodModel` does the rest the same way for all:
customers with the same inputs are fitted once with a weight (:func:`compress`), the
parameters are searched in logs so they stay positive (:func:`maximise_likelihood`), and
the fitted model keeps ``params_``, ``log_likelihood_``, ``converged_``, ``n_customers_``
and ``fit_seconds_``.

Examples
--------
>>> import numpy as np
>>> def loglik(params, x, w):  # an exponential distribution with rate params[0]
...     return float(np.sum(w * (np.log(params[0]) - params[0] * x)))
>>> class Exponential(LikelihoodModel):
...     param_names = ("rate",)
...     def fit(self, x):
...         x = np.asarray(x, dtype=float)
...         return self._fit_likelihood(loglik, (x,), np.log([1.0]), "exponential")
>>> round(float(Exponential().fit([1.0, 2.0, 3.0]).params_["rate"]), 3)
0.5
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import optimize

from segkit.exceptions import ModelError, SegkitWarning, user_stacklevel

__all__ = ["LikelihoodModel", "compress", "distinct_rows", "maximise_likelihood"]


def distinct_rows(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of ``columns`` and, per original row, the index of its distinct row.

    Examples
    --------
    >>> (x, t), inverse = distinct_rows(np.array([1.0, 0.0, 1.0]), np.array([5.0, 2.0, 5.0]))
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


def compress(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Unique rows with counts: the likelihood only depends on the distinct rows.

    Examples
    --------
    >>> (x,), w = compress(np.array([2.0, 1.0, 2.0]))
    >>> x.tolist(), w.tolist()
    ([1.0, 2.0], [1.0, 2.0])
    """
    distinct, inverse = distinct_rows(*columns)
    return distinct, np.bincount(inverse, minlength=len(distinct[0])).astype(float)


def maximise_likelihood(
    negll: Callable[[np.ndarray], float], x0: np.ndarray, names: list[str], what: str, *, stacklevel: int = 3,
) -> tuple[pd.Series, float, bool]:
    """Maximise in log-parameters: L-BFGS-B first, Nelder-Mead polish if it stalls.

    Parameters
    ----------
    negll : callable
        The negative log-likelihood (per customer) of positive parameters.
    x0 : ndarray
        Logs of the starting parameters.
    names : list of str
        Names of the parameters, for the result.
    what : str
        The model's name, for messages.
    stacklevel : int
        Of the warning issued when the optimiser does not report convergence.

    Returns
    -------
    (Series, float, bool)
        The parameters, the maximised log-likelihood per customer and whether the
        optimiser converged.

    Examples
    --------
    >>> params, _, converged = maximise_likelihood(lambda p: (p[0] - 2.0) ** 2, np.log([1.0]), ["m"], "demo")
    >>> round(float(params["m"]), 4), converged
    (2.0, True)
    """
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
                      stacklevel=user_stacklevel())
    return pd.Series(np.exp(result.x), index=names, dtype="float64"), -float(result.fun), bool(result.success)


class LikelihoodModel:
    """Base of the value models fitted by maximum likelihood.

    Subclasses name their parameters in ``param_names`` and say in ``fit_call`` how
    ``fit`` is called (for the error when a model is used unfitted); their ``fit`` checks
    the inputs and calls :meth:`_fit_likelihood`.

    Parameters
    ----------
    penalizer : float
        Optional L2 penalty on the parameters (0: plain maximum likelihood, as published).
    """

    param_names: tuple[str, ...] = ()
    fit_call = "fit(...)"

    def __init__(self, penalizer: float = 0.0):
        self.penalizer = penalizer

    def _fit_likelihood(self, loglik: Callable[..., float], columns: Sequence[np.ndarray], x0: np.ndarray,
                        what: str):
        """Fit ``loglik(params, *columns, weights)`` on the customers' ``columns``; returns self."""
        distinct, w = compress(*columns)
        start = time.perf_counter()

        def negll(params):
            penalty = self.penalizer * float(np.sum(params**2))
            return -loglik(params, *distinct, w) / w.sum() + penalty

        # the convergence warning points at the code that called fit
        self.params_, _, self.converged_ = maximise_likelihood(negll, x0, list(self.param_names), what, stacklevel=4)
        self.log_likelihood_ = loglik(self.params_.to_numpy(), *distinct, w)
        self.n_customers_ = len(columns[0])
        self.fit_seconds_ = time.perf_counter() - start
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise ModelError(f"{type(self).__name__} is not fitted yet; call {self.fit_call} first")
