"""Tests for segkit.value.pareto: the published CDNOW estimates, the likelihood against its
integral, predictions against simulation, parameter recovery."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate

from segkit.value import ParetoNBDModel
from segkit.value.pareto import log_likelihood
from tests.value.conftest import simulate_customers


def test_cdnow_sample_reproduces_the_published_estimates(cdnow_calibration):
    """Fader, Hardie & Lee (2005, the MATLAB note): r 0.553, alpha 10.578, s 0.606, beta 11.669, LL -9595.0."""
    model = ParetoNBDModel().fit(cdnow_calibration)
    # to the published three decimals (half a unit, and a little for the optimiser's tolerance);
    # beta, the least well pinned down (standard error 6.2), to 0.1%
    assert model.params_[["r", "alpha", "s"]].to_numpy() == pytest.approx([0.553, 10.578, 0.606], abs=7e-4)
    assert model.params_["beta"] == pytest.approx(11.669, rel=1e-3)
    assert round(model.log_likelihood_, 1) == -9595.0
    assert model.identified_ and (model.standard_errors_ > 0).all()


@pytest.mark.parametrize("params", [[0.55, 10.6, 0.6, 11.7], [0.55, 14.0, 0.8, 3.0], [1.2, 2.0, 0.3, 2.0]],
                         ids=["alpha-below-beta", "alpha-above-beta", "alpha-equals-beta"])
@pytest.mark.parametrize(("x", "tx", "T"), [(0, 0.0, 30.0), (2, 10.0, 38.9), (7, 38.0, 38.9)],
                         ids=["one-off", "lapsed", "recent"])
def test_likelihood_matches_its_integral(params, x, tx, T):
    r, alpha, s, beta = params
    c = math.exp(math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha) + s * math.log(beta))
    a0 = integrate.quad(lambda y: (alpha + y) ** -(r + x) * (beta + y) ** -(s + 1), tx, T)[0]
    direct = c * ((alpha + T) ** -(r + x) * (beta + T) ** -s + s * a0)
    one = [np.array([float(v)]) for v in (x, tx, T, 1.0)]
    assert log_likelihood(np.array(params), *one) == pytest.approx(math.log(direct), rel=1e-7)


def test_predictions_match_simulated_customers(rng):
    r, alpha, s, beta = 0.8, 6.0, 0.9, 12.0
    model = ParetoNBDModel()
    model.params_ = pd.Series({"r": r, "alpha": alpha, "s": s, "beta": beta})
    # New customers: simulated purchases in (0, t] against E[X(t)].
    lam = rng.gamma(r, 1 / alpha, 400_000)
    life = rng.exponential(1 / rng.gamma(s, 1 / beta, 400_000))
    t = 30.0
    simulated = rng.poisson(lam * np.minimum(life, t)).mean()
    assert model.expected_purchases_new(t)[0] == pytest.approx(simulated, rel=0.02)
    # A customer with no history is a new customer.
    assert model.expected_purchases(t, [0], [0.0], [0.0])[0] == pytest.approx(model.expected_purchases_new(t)[0])


def test_recovers_the_parameters_of_simulated_customers(rng):
    truth = {"r": 0.7, "alpha": 6.0, "s": 0.8, "beta": 10.0}
    x, tx, T, _ = simulate_customers(15_000, rng=rng, r=truth["r"], alpha=truth["alpha"], dropout="pareto",
                                     shape=truth["s"], scale=truth["beta"])
    model = ParetoNBDModel().fit(x, tx, T)
    assert model.converged_ and model.identified_
    for name, value in truth.items():
        assert abs(model.params_[name] - value) < 3 * model.standard_errors_[name], (name, model.params_[name])
    p = model.probability_alive(x, tx, T)
    assert p[(x == 0) & (T > 60)].mean() < p[(x >= 3) & (T - tx < 2)].mean()
