"""What every model of repeat purchasing shares: the fit on a customer summary and the
predictions the value stage reads.

A purchase model (:class:`~segkit.value.BetaGeoModel`, :class:`~segkit.value.ModifiedBetaGeoModel`,
:class:`~segkit.value.ParetoNBDModel`) sees each customer as ``frequency`` (repeat purchases
``x``), ``recency`` (``t_x``, the time of the last purchase after the first) and ``T`` (the
time since the first purchase). It supplies its log-likelihood, optionally its gradient, and
three closed forms; :class:`PurchaseModel` does the rest the same way for all:

* :meth:`~PurchaseModel.fit` checks the summary, fits by maximum likelihood on the distinct
  ``(x, t_x, T)`` rows (weighted by how many customers share them) and keeps standard errors
  from the Hessian;
* :meth:`~PurchaseModel.probability_alive`, :meth:`~PurchaseModel.expected_purchases` (in the next
  ``t`` time units, given the customer's history) and
  :meth:`~PurchaseModel.expected_purchases_new` (of a new customer) compute each distinct row once.

Examples
--------
>>> import numpy as np
>>> from segkit.value import ModifiedBetaGeoModel
>>> model = ModifiedBetaGeoModel().fit([0, 2, 5, 1, 0, 3], [0.0, 20.0, 30.0, 5.0, 0.0, 35.0],
...                                    [40.0, 38.0, 36.0, 39.0, 35.0, 37.0])
>>> model.name, list(model.params_.index)
('MBG/NBD', ['r', 'alpha', 'a', 'b'])
>>> bool(model.probability_alive([0], [0.0], [40.0])[0] < 1)  # a one-off buyer may have left
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.exceptions import ModelError
from segkit.value.inputs import check_rfm, summary_arrays
from segkit.value.likelihood import LikelihoodModel, distinct_rows

__all__ = ["PurchaseModel", "unique_x"]


def unique_x(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct repeat counts and, per row, the position of its count among them.

    Counts repeat far more often than rows do (a few hundred values among a million
    customers), so the special functions of ``x`` (log-gamma, digamma) are computed once
    per count.

    Examples
    --------
    >>> ux, ix = unique_x(np.array([2.0, 0.0, 2.0]))
    >>> ux.tolist(), ix.tolist()
    ([0.0, 2.0], [1, 0, 1])
    """
    ux, ix = np.unique(x, return_inverse=True)
    return ux, ix.ravel()


class PurchaseModel(LikelihoodModel):
    """Base of the repeat-purchase models, fitted by maximum likelihood.

    Subclasses set ``name``, ``param_names`` and ``one_off_can_leave`` and implement
    ``_prepare`` (the data their likelihood reads), ``_loglik`` (and ``_gradient``, or leave it
    None), ``_p_alive``, ``_while_alive`` (expected purchases in ``t`` of a customer known to
    be alive, a function of ``x`` and ``T`` only) and ``_unconditional`` (of a new customer).
    The expected purchases given a history are ``P(alive) * _while_alive``, the second
    computed once per distinct ``(x, T)``.
    """

    name = "purchase model"
    fit_call = "fit(frequency, recency, T)"
    #: Whether a customer who bought once and never again can have left (BG/NBD: no).
    one_off_can_leave = True
    _gradient = None
    #: Fit on at most this many customers (a seeded sample), whatever the caller allows: for a
    #: model whose likelihood is costly to evaluate and has no analytic gradient.
    max_fit_customers: int | None = None

    def fit(self, frequency, recency=None, T=None, *, start: pd.Series | None = None) -> PurchaseModel:
        """Fit on per-customer ``frequency``, ``recency`` and ``T`` (or one summary frame).

        Parameters
        ----------
        frequency, recency, T
            Array-likes, or one frame with those columns (:func:`segkit.value.rfm_summary`).
        start : Series, optional
            Starting parameters (for instance those of a fit on fewer data); by default a
            start computed from the data.

        Returns
        -------
        self
        """
        _, x, tx, TT = summary_arrays(frequency, recency, T)
        check_rfm(x, tx, TT)
        if len(x) < 2 or not (x > 0).any():
            raise ModelError(f"{self.name}: needs several customers and at least one repeat purchase")
        x0 = np.log(start.to_numpy(dtype=float)) if start is not None else self._start(x, tx, TT)
        return self._fit_likelihood(self._loglik, (x, tx, TT), x0, self.name, gradient=self._gradient,
                                    prepare=self._prepare)

    def _start(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        scale = float(np.mean(T)) or 1.0
        return np.log([1.0, scale, 1.0, 1.0])

    def _prepare(self, x, tx, T) -> tuple:
        return (x, tx, T)

    # -- predictions -----------------------------------------------------------------------
    def probability_alive(self, frequency, recency=None, T=None) -> np.ndarray | pd.Series:
        """Probability that each customer is still active at the end of observation.

        Returns
        -------
        ndarray or Series
            Same index as the input when a Series/DataFrame was given.
        """
        self._check_fitted()
        index, x, tx, TT = summary_arrays(frequency, recency, T)
        p = self._p_alive(self.params_.to_numpy(), x, tx, TT)
        return pd.Series(p, index=index, name="p_alive") if index is not None else p

    def expected_purchases(self, t: float, frequency, recency=None, T=None) -> np.ndarray | pd.Series:
        """Expected repeat purchases of each customer in the next ``t`` time units.

        The conditional expectation ``E[Y(t) | x, t_x, T]``, computed once per distinct
        ``(x, t_x, T)``.
        """
        self._check_fitted()
        index, x, tx, TT = summary_arrays(frequency, recency, T)
        (x, tx, TT), inverse = distinct_rows(x, tx, TT)
        out = self._conditional(self.params_.to_numpy(), float(t), x, tx, TT)[inverse]
        return pd.Series(out, index=index, name="expected_purchases") if index is not None else out

    def _expected_purchases(self, t: float, x: np.ndarray, tx: np.ndarray, TT: np.ndarray) -> np.ndarray:
        """:meth:`expected_purchases` on float arrays (no checks)."""
        return self._conditional(self.params_.to_numpy(), float(t), x, tx, TT)

    def _conditional(self, params, t: float, x, tx, T) -> np.ndarray:
        return self._alive_and_expected(params, t, x, tx, T)[1]

    def _alive_and_expected(self, params, t: float, x, tx, T, p_alive=None) -> tuple[np.ndarray, np.ndarray]:
        """P(alive) (``p_alive`` when already known) and the expected purchases in ``t``, together."""
        p = self._p_alive(params, x, tx, T) if p_alive is None else p_alive
        (ux, uT), inverse = distinct_rows(x, T)
        return p, self._while_alive(params, t, ux, uT)[inverse] * p

    def predict(self, t: float, x: np.ndarray, tx: np.ndarray, T: np.ndarray, *,
                distinct: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
        """P(alive) and expected purchases in the next ``t`` of customers ``x, tx, T`` (float arrays,
        not checked), computing P(alive) once, and once per distinct ``(x, t_x, T)``.

        ``distinct``, :func:`~segkit.value.likelihood.distinct_rows` of ``(x, tx, T)`` when the
        caller already has it (several models predicting the same customers), saves finding it again.

        Examples
        --------
        >>> import pandas as pd
        >>> from segkit.value import ParetoNBDModel
        >>> m = ParetoNBDModel()
        >>> m.params_ = pd.Series({"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669})
        >>> p, e = m.predict(39.0, np.array([0.0, 2.0]), np.array([0.0, 30.4]), np.array([38.9, 38.9]))
        >>> [round(float(v), 3) for v in p]
        [0.295, 0.868]
        """
        self._check_fitted()
        # Customers with the same (x, t_x, T) get the same numbers: each distinct row is computed
        # once (about half the rows of a million-customer log, a third of its calibration period).
        (ux, utx, uT), inverse = distinct if distinct is not None else distinct_rows(x, tx, T)
        p, expected = self._alive_and_expected(self.params_.to_numpy(), float(t), ux, utx, uT)
        return p[inverse], expected[inverse]

    def expected_totals(self, times, x, tx, T, *, p_alive: np.ndarray | None = None) -> np.ndarray:
        """Total expected purchases of all the customers ``x, tx, T`` in the next ``t``, for each ``t`` in ``times``.

        ``sum_i P(alive)_i * E[purchases while alive | x_i, T_i]``: the second factor once
        per distinct ``(x, T)`` and time, so a whole tracking curve costs little more than one
        prediction (less when ``p_alive``, the customers' P(alive), is given).

        Examples
        --------
        >>> import pandas as pd
        >>> from segkit.value import BetaGeoModel
        >>> m = BetaGeoModel()
        >>> m.params_ = pd.Series({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> x, tx, T = np.array([0.0, 2.0]), np.array([0.0, 30.4]), np.array([38.9, 38.9])
        >>> bool(np.isclose(m.expected_totals([10.0], x, tx, T)[0], m.expected_purchases(10.0, x, tx, T).sum()))
        True
        """
        self._check_fitted()
        params = self.params_.to_numpy()
        x, tx, T = (np.asarray(v, dtype=float) for v in (x, tx, T))
        (ux, uT), inverse = distinct_rows(x, T)
        p = self._p_alive(params, x, tx, T) if p_alive is None else p_alive
        weight = np.bincount(inverse, weights=p, minlength=len(ux))
        return np.array([float((weight * self._while_alive(params, float(t), ux, uT)).sum()) for t in times])

    def expected_purchases_new(self, t) -> np.ndarray:
        """Expected purchases in ``(0, t]`` of a new, randomly chosen customer."""
        self._check_fitted()
        t = np.atleast_1d(np.asarray(t, dtype=float))
        return self._unconditional(self.params_.to_numpy(), t)
