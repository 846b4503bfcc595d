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

One module per concern, so that a new model is a new module beside the others:

* :mod:`~segkit.value.summary` -- the purchase summary the models read (:func:`rfm_summary`),
  historical value and value per segment;
* :mod:`~segkit.value.likelihood` -- the maximum-likelihood fit every model shares (standard
  errors from the Hessian);
* :mod:`~segkit.value.purchase` -- what the purchase models share; :mod:`~segkit.value.bgnbd`,
  :mod:`~segkit.value.mbgnbd` (one-off buyers can leave), :mod:`~segkit.value.pareto` and
  :mod:`~segkit.value.gammagamma` -- the models;
* :mod:`~segkit.value.clv` -- lifetime value from a purchase model and a spend model;
* :mod:`~segkit.value.periods` -- summaries of a calibration period, its holdout and the whole
  log in one DuckDB pass; :mod:`~segkit.value.holdout` -- the holdout test;
  :mod:`~segkit.value.stage` -- the report's value stage: tested before it is shown;
* :mod:`~segkit.value.inputs` -- the input checks the models share.

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

from segkit.value.bgnbd import BetaGeoModel
from segkit.value.clv import customer_lifetime_value, predict_clv
from segkit.value.gammagamma import GammaGammaModel
from segkit.value.mbgnbd import ModifiedBetaGeoModel
from segkit.value.pareto import ParetoNBDModel
from segkit.value.summary import historical_value, rfm_summary, segment_value

__all__ = [
    "rfm_summary",
    "historical_value",
    "segment_value",
    "BetaGeoModel",
    "ModifiedBetaGeoModel",
    "ParetoNBDModel",
    "GammaGammaModel",
    "customer_lifetime_value",
    "predict_clv",
]
