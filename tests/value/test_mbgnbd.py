"""Tests for segkit.value.mbgnbd: the MBG/NBD likelihood and predictions against the integrals
they come from, parameter recovery, and a P(alive) in which one-off buyers can be gone."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from segkit.value import BetaGeoModel, ModifiedBetaGeoModel
from tests.value.conftest import simulate_customers

PARAMS = pd.Series({"r": 0.525, "alpha": 6.18, "a": 0.891, "b": 1.614})


def _integrals(params, x, tx, T):
    """P(data, alive) and P(data, dropped out after the last purchase), integrating over lambda and p."""
    r, alpha, a, b = params
    gamma_pdf, beta_pdf = stats.gamma(r, scale=1 / alpha).pdf, stats.beta(a, b).pdf

    def over_lambda(t):
        return integrate.quad(lambda lam: lam**x * math.exp(-lam * t) * gamma_pdf(lam), 0, np.inf)[0]

    alive = integrate.quad(lambda p: (1 - p) ** (x + 1) * beta_pdf(p), 0, 1)[0] * over_lambda(T)
    dead = integrate.quad(lambda p: p * (1 - p) ** x * beta_pdf(p), 0, 1)[0] * over_lambda(tx)
    return alive, dead


@pytest.mark.parametrize(("x", "tx", "T"), [(0, 0.0, 38.0), (0, 0.0, 2.0), (1, 5.0, 30.0), (6, 28.5, 35.0)],
                         ids=["one-off-long-ago", "one-off-recent", "one-repeat", "frequent"])
def test_likelihood_and_p_alive_match_numerical_integration(x, tx, T):
    params = PARAMS.to_numpy()
    alive, dead = _integrals(params, x, tx, T)
    model = ModifiedBetaGeoModel()
    model.params_ = PARAMS.copy()
    closed = model._loglik(params, *model._prepare(np.array([float(x)]), np.array([tx]), np.array([T])),
                           np.array([1.0]))
    assert closed == pytest.approx(math.log(alive + dead), rel=1e-6)
    assert model.probability_alive([x], [tx], [T])[0] == pytest.approx(alive / (alive + dead), rel=1e-6)


def test_conditional_expectation_matches_numerical_integration():
    """E[Y(t) | x, t_x, T] against the integral over p of P(alive, data | p) * E[purchases in t | alive, p]."""
    r, alpha, a, b = PARAMS.to_numpy()
    x, tx, T, t = 3, 20.0, 35.0, 26.0
    alive, dead = _integrals(PARAMS.to_numpy(), x, tx, T)
    const = math.exp(math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha))
    beta_pdf = stats.beta(a, b).pdf

    def given_p(p):  # the lambda integral in closed form
        over_lambda = const * ((alpha + T) ** -(r + x) - (alpha + T + p * t) ** -(r + x))
        return (1 - p) ** (x + 1) * over_lambda / p * beta_pdf(p)

    numerator = integrate.quad(given_p, 0, 1, limit=200)[0]
    model = ModifiedBetaGeoModel()
    model.params_ = PARAMS.copy()
    assert model.expected_purchases(t, [x], [tx], [T])[0] == pytest.approx(numerator / (alive + dead), rel=1e-5)
    assert model.expected_purchases(t, [0], [0.0], [0.0])[0] == pytest.approx(model.expected_purchases_new(t)[0])


def test_recovers_the_parameters_of_simulated_customers(rng):
    truth = {"r": 0.6, "alpha": 5.0, "a": 1.2, "b": 3.0}
    x, tx, T, _ = simulate_customers(20_000, rng=rng, r=truth["r"], alpha=truth["alpha"], dropout="mbg",
                                     shape=truth["a"], scale=truth["b"])
    model = ModifiedBetaGeoModel().fit(x, tx, T)
    assert model.converged_ and model.identified_
    for name, value in truth.items():
        # within three standard errors of the truth
        assert abs(model.params_[name] - value) < 3 * model.standard_errors_[name], (name, model.params_[name])


def test_a_one_off_buyer_fades_only_under_the_modified_model():
    bg, mbg = BetaGeoModel(), ModifiedBetaGeoModel()
    bg.params_ = mbg.params_ = PARAMS.copy()
    T = np.array([1.0, 10.0, 40.0, 80.0])
    zeros = np.zeros(4)
    assert (bg.probability_alive(zeros, zeros, T) == 1.0).all()
    p = mbg.probability_alive(zeros, zeros, T)
    assert (np.diff(p) < 0).all() and (p < 1).all()
