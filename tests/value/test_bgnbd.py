"""segkit.value.bgnbd: the BG/NBD likelihood and expectations against numerical integration,
parameters recovered from simulation, the published CDNOW estimates (on the full cohort and on
the 1/10 sample they were made on), the gradient, and expectations for frequent buyers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from segkit.value import BetaGeoModel, ModifiedBetaGeoModel
from segkit.value.bgnbd import _gradient, _purchases_while_alive, _terms
from segkit.value.bgnbd import log_likelihood as bgnbd_log_likelihood
from segkit.value.purchase import unique_x
from tests.value.published import PUBLISHED_PARAMS


def _bgnbd_integrals(params, x, tx, T):
    """Likelihood terms by numerical integration over the Gamma and Beta mixing densities."""
    r, alpha, a, b = params
    gamma_pdf = stats.gamma(r, scale=1 / alpha).pdf
    beta_pdf = stats.beta(a, b).pdf
    e_lam = lambda t: integrate.quad(lambda lam: lam**x * math.exp(-lam * t) * gamma_pdf(lam), 0, np.inf)[0]  # noqa: E731
    alive = integrate.quad(lambda p: (1 - p) ** x * beta_pdf(p), 0, 1)[0] * e_lam(T)
    dead = 0.0
    if x > 0:
        dead = integrate.quad(lambda p: p * (1 - p) ** (x - 1) * beta_pdf(p), 0, 1)[0] * e_lam(tx)
    return alive, dead


@pytest.mark.parametrize(("x", "tx", "T"), [(0, 0.0, 38.0), (1, 5.0, 30.0), (4, 28.5, 35.0), (12, 33.0, 33.5)])
def test_bgnbd_likelihood_and_p_alive_match_numerical_integration(x, tx, T):
    """The closed-form likelihood (paper eq. 6) equals the integral it is derived from."""
    params = PUBLISHED_PARAMS.to_numpy()
    alive, dead = _bgnbd_integrals(params, x, tx, T)
    model = BetaGeoModel()
    model.params_ = PUBLISHED_PARAMS.copy()
    closed = bgnbd_log_likelihood(params, np.array([float(x)]), np.array([tx]), np.array([T]), np.array([1.0]))
    assert closed == pytest.approx(math.log(alive + dead), rel=1e-6)
    assert model.probability_alive([x], [tx], [T])[0] == pytest.approx(alive / (alive + dead), rel=1e-6)


def test_bgnbd_conditional_expectation_matches_numerical_integration():
    """E[Y(t) | x, t_x, T] (paper eq. 10, with its hypergeometric function) against the
    integral over lambda and p of P(alive, data | lambda, p) * (1 - exp(-lambda p t)) / p.

    The lambda integral is done in closed form (a Gamma integral, no hypergeometric
    function), the p integral numerically.
    """
    r, alpha, a, b = PUBLISHED_PARAMS.to_numpy()
    x, tx, T, t = 3, 20.0, 35.0, 26.0
    beta_pdf = stats.beta(a, b).pdf
    alive, dead = _bgnbd_integrals(PUBLISHED_PARAMS.to_numpy(), x, tx, T)
    const = math.exp(special.gammaln(r + x) - special.gammaln(r) + r * math.log(alpha))

    def given_p(p):
        over_lambda = const * ((alpha + T) ** -(r + x) - (alpha + T + p * t) ** -(r + x))
        return (1 - p) ** x * over_lambda / p * beta_pdf(p)

    numerator = integrate.quad(given_p, 0, 1, limit=200)[0]
    model = BetaGeoModel()
    model.params_ = PUBLISHED_PARAMS.copy()
    assert model.expected_purchases(t, [x], [tx], [T])[0] == pytest.approx(numerator / (alive + dead), rel=1e-5)
    # A brand-new customer (no history) expects the unconditional E[X(t)] (paper eq. 9).
    assert model.expected_purchases(t, [0], [0.0], [0.0])[0] == pytest.approx(model.expected_purchases_new(t)[0])


def _simulate_bgnbd(n, r, alpha, a, b, rng):
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    T = rng.uniform(26, 39, n)
    x, tx, clock = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        clock[active] += rng.exponential(1 / lam[active])
        buys = active & (clock <= T)
        x[buys] += 1
        tx[buys] = clock[buys]
        active = buys & (rng.random(n) >= p)
    return x, tx, T


def test_bgnbd_recovers_simulated_parameters(rng):
    truth = {"r": 0.5, "alpha": 4.0, "a": 0.8, "b": 2.5}
    x, tx, T = _simulate_bgnbd(20_000, *truth.values(), rng)
    model = BetaGeoModel().fit(x, tx, T)
    assert model.converged_
    # r and alpha are well identified; a and b (dropout) less so with 26-39 weeks of data.
    assert model.params_["r"] == pytest.approx(truth["r"], rel=0.1)
    assert model.params_["alpha"] == pytest.approx(truth["alpha"], rel=0.15)
    assert model.params_["a"] == pytest.approx(truth["a"], rel=0.35)
    assert model.params_["b"] == pytest.approx(truth["b"], rel=0.35)


def test_cdnow_bgnbd_reproduces_published_estimates(cdnow_summary):
    """BG/NBD on CDNOW against Fader, Hardie & Lee (2005).

    Published: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 -- weekly units, 39-week
    calibration (1997-01-01 to 1997-09-30), estimated on the 1/10 *sample* (2,357
    customers). We have the full master file (23,570 customers of the same cohort), so we
    fit the full cohort with the same conventions (purchase days, fractional weeks,
    T = 1997-09-30 minus first purchase). Measured here: r = 0.2516, alpha = 4.788,
    a = 0.7237, b = 2.162 (log-likelihood -95,368).

    The sample is 1/10 of the cohort, so the published values carry that sample's
    sampling error. Refitting 200 random 2,357-customer subsamples of the full file gives
    standard deviations r 0.012, alpha 0.38, a 0.18, b 0.66; the published values lie
    within 1 SD of the full-cohort fit (largest: alpha, 0.99 SD). Tolerance: each
    parameter within 1.5 of those SDs *and* within 12% of the published value (largest
    gap: b, 10.9%). The full-cohort MLE itself is pinned to 0.1% to catch regressions.
    """
    model = BetaGeoModel().fit(cdnow_summary)
    assert len(cdnow_summary) == 23_570
    assert model.converged_
    sampling_sd = pd.Series({"r": 0.012, "alpha": 0.38, "a": 0.18, "b": 0.66})
    gap = (model.params_ - PUBLISHED_PARAMS).abs()
    assert (gap <= 1.5 * sampling_sd).all(), gap
    assert (gap / PUBLISHED_PARAMS <= 0.12).all(), gap / PUBLISHED_PARAMS
    assert model.params_.to_numpy() == pytest.approx([0.2516, 4.788, 0.7237, 2.162], rel=1e-3)
    # The fitted model reproduces the calibration-period repeat purchases in aggregate.
    expected_total = model.expected_purchases_new(cdnow_summary["T"].to_numpy()).sum()
    assert expected_total == pytest.approx(cdnow_summary["frequency"].sum(), rel=0.01)


def test_cdnow_sample_reproduces_the_published_estimates(cdnow_calibration):
    """Fader, Hardie & Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4 on the
    2,357-customer sample, 39 weeks, time in weeks."""
    model = BetaGeoModel().fit(cdnow_calibration)
    assert len(cdnow_calibration) == 2357
    assert model.params_.round(3).tolist() == [0.243, 4.414, 0.793, 2.426]
    assert round(model.log_likelihood_, 1) == -9582.4
    # Standard errors from the Hessian; lifetimes reports 0.0126, 0.378, 0.186, 0.705.
    assert model.standard_errors_.to_numpy() == pytest.approx([0.0126, 0.378, 0.186, 0.705], rel=0.02)
    assert model.identified_


@pytest.mark.parametrize("modified", [False, True], ids=["bgnbd", "mbgnbd"])
def test_the_gradient_is_the_derivative_of_the_likelihood(modified, rng):
    x = rng.integers(0, 8, 300).astype(float)
    T = rng.uniform(5, 40, 300)
    tx = np.where(x > 0, T * rng.random(300), 0.0)
    w = rng.integers(1, 4, 300).astype(float)
    ux, ix = unique_x(x)
    params = np.array([0.6, 7.0, 0.9, 2.2])

    def ll(p):
        return float(np.dot(w, _terms(p, x, tx, T, ux, ix, modified)[0]))

    numeric = [(ll(params + h) - ll(params - h)) / (2 * 1e-6) for h in np.eye(4) * 1e-6]
    assert _gradient(params, x, tx, T, ux, ix, modified, w) == pytest.approx(numeric, rel=1e-5)


@pytest.mark.parametrize("modified", [False, True], ids=["bgnbd", "mbgnbd"])
def test_expectations_of_frequent_buyers_stay_finite_and_match_the_published_form(modified):
    """The papers' 2F1(r+x, b+x; a+b+x-1; z) overflows for x = 200 near z = 1; the Euler form does not."""
    r, alpha, a, b = 0.243, 4.414, 0.793, 2.426
    x = np.array([0.0, 3.0, 40.0, 100.0, 200.0, 300.0])
    T = np.array([30.0, 30.0, 0.5, 30.0, 0.5, 30.0])
    t = 500.0  # ten years ahead: z = t / (alpha + T + t) is 0.94 to 0.99
    ours = _purchases_while_alive(np.array([r, alpha, a, b]), t, x, T, modified)
    assert np.isfinite(ours).all() and (ours > 0).all()
    shift = 1.0 if modified else 0.0
    z = t / (alpha + T + t)
    c = a + b + x - 1 + shift
    published = c / (a - 1) * (1 - special.hyp2f1(r + x, b + x + shift, c, z) * ((alpha + T) / (alpha + T + t)) ** (r + x))
    finite = np.isfinite(published)
    assert not finite.all()  # the published form does overflow here
    assert ours[finite] == pytest.approx(published[finite], rel=1e-6)


@pytest.mark.parametrize("modified", [False, True], ids=["bgnbd", "mbgnbd"])
def test_expectations_stay_finite_when_the_dropout_probability_is_nearly_fixed(modified):
    """a and b in the tens of thousands (a fit on a log where nobody seems to leave): Euler's
    form gives 0 * inf there; the papers' form does not."""
    r, alpha, a, b = 0.718, 5.84, 24844.4, 927327.1
    x = np.array([0.0, 1.0, 8.0, 20.0])
    T = np.array([0.5, 30.0, 95.0, 100.0])
    ours = _purchases_while_alive(np.array([r, alpha, a, b]), 52.0, x, T, modified)
    shift = 1.0 if modified else 0.0
    z = 52.0 / (alpha + T + 52.0)
    c = a + b + x - 1 + shift
    published = c / (a - 1) * (1 - special.hyp2f1(r + x, b + x + shift, c, z) * (1 - z) ** (r + x))
    assert np.isfinite(published).all() and ours == pytest.approx(published, rel=1e-8)


@pytest.mark.parametrize("cls", [BetaGeoModel, ModifiedBetaGeoModel], ids=["bgnbd", "mbgnbd"])
def test_a_start_near_the_answer_gives_the_same_fit(cls, cdnow_calibration):
    plain = cls().fit(cdnow_calibration)
    started = cls().fit(cdnow_calibration, start=plain.params_ * 1.1)
    assert started.params_.to_numpy() == pytest.approx(plain.params_.to_numpy(), rel=1e-3)


def test_the_repr_names_the_parameters(cdnow_calibration):
    assert repr(BetaGeoModel()) == "BetaGeoModel(not fitted)"
    text = repr(BetaGeoModel().fit(cdnow_calibration))
    assert text.startswith("BetaGeoModel(r=0.2426, alpha=4.414") and "2,357 customers" in text
    table = BetaGeoModel().fit(cdnow_calibration).summary_table()
    assert (table["lower_95"] < table["estimate"]).all() and (table["estimate"] < table["upper_95"]).all()
    assert isinstance(table, pd.DataFrame)


def _while_alive_by_integration(params, t, x, T, modified) -> float:
    """E[Y(t) | alive, x, T] integrated over p: given p, lambda ~ Gamma(r + x, alpha + T) gives
    1 - ((alpha + T) / (alpha + T + p t)) ** (r + x) purchases per unit p, in logs (no 2F1)."""
    r, alpha, a, b = params
    tosses = x + (1 if modified else 0)  # survived coins: after each repeat purchase (and the first)
    pdf = stats.beta(a, b).pdf

    def per_p(p):
        return (1 - p) ** tosses * -math.expm1(-(r + x) * math.log1p(p * t / (alpha + T))) / p * pdf(p)

    num = integrate.quad(per_p, 0, 1, limit=200)[0]
    return num / integrate.quad(lambda p: (1 - p) ** tosses * pdf(p), 0, 1, limit=200)[0]


@pytest.mark.parametrize("modified", [False, True], ids=["bgnbd", "mbgnbd"])
@pytest.mark.parametrize("params", [(8.28e4, 2.77e6, 0.351, 24.3), (3.56e5, 1.2e7, 0.5, 12.0), (3.0e6, 3.3e6, 0.3, 16.5)],
                         ids=["one-rate-for-all-weekly-buyers", "one-rate-for-all-rare-buyers",
                              "one-rate-for-all-frequent-buyers"])
def test_expectations_stay_finite_when_every_customer_buys_at_one_rate(params, modified):
    """r in the hundreds of thousands (a gamma of purchase rates collapsed to a point, as on a log
    where everyone buys at the same rate): scipy's hyp2f1 is NaN in all three forms there, and every
    holdout prediction was NaN; the summed series agrees with the integral."""
    x = np.array([0.0, 5.0, 150.0, 400.0])
    T = np.array([60.0, 60.0, 150.0, 208.0])
    t = 243 / 7
    ours = _purchases_while_alive(np.array(params), t, x, T, modified)
    expected = [_while_alive_by_integration(params, t, xi, Ti, modified) for xi, Ti in zip(x, T)]
    assert ours == pytest.approx(expected, rel=1e-9)
