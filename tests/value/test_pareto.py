"""Tests for segkit.value.pareto: the published CDNOW estimates, the likelihood against its
integral, ``A0`` against scipy's closed form and a direct integral wherever an optimiser may
go, predictions against simulation, parameter recovery."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special

from segkit.value import ParetoNBDModel
from segkit.value.pareto import log_a0, log_likelihood
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


# -- log A0 wherever the optimiser goes --------------------------------------------------------

def _scipy_log_a0(params, x, tx, T) -> np.ndarray:
    """The note's closed form through scipy's hyp2f1 (Euler's form, as segkit used it alone)."""
    r, alpha, s, beta = params
    big, small = max(alpha, beta), min(alpha, beta)
    rsx = r + s + x

    def tail(u):  # (r + s + x) times the integral from u to infinity, in logs
        z = (big - small) / (big + u)
        log_1mz = np.log(small + u) - np.log(big + u)
        with np.errstate(all="ignore"):
            if alpha >= beta:
                hyp = -s * log_1mz + np.log(special.hyp2f1(1.0, r + x, rsx + 1.0, z))
            else:
                hyp = (1.0 - r - x) * log_1mz + np.log(special.hyp2f1(1.0, s + 1.0, rsx + 1.0, z))
        return hyp - rsx * np.log(big + u)

    with np.errstate(all="ignore"):
        return tail(tx) + np.log(-np.expm1(tail(T) - tail(tx))) - np.log(rsx)


def _integral_log_a0(params, x, tx, T) -> float:
    """The integral by adaptive quadrature in ``w = log(min(alpha, beta) + y)``, scaled by its peak."""
    r, alpha, s, beta = params
    small, big = min(alpha, beta), max(alpha, beta)
    e_small, e_big = (s + 1.0, r + x) if alpha >= beta else (r + x, s + 1.0)
    d = big - small

    def psi(w):  # log of the integrand times dy/dw
        return (1.0 - e_small) * w - e_big * np.log(d + np.exp(w))

    w0, w1 = math.log(small + tx), math.log(small + T)
    peak = [w0, w1]
    if e_small < 1 and d > 0 and (1.0 - e_small) < e_big:  # psi is concave: its top where psi' = 0
        q = (1.0 - e_small) / e_big
        peak.append(min(max(math.log(d * q / (1.0 - q)), w0), w1))
    top = max(psi(w) for w in peak)
    with warnings.catch_warnings():  # quad's error estimate is pessimistic near 1e-12; the comparison judges
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(lambda w: math.exp(psi(w) - top), w0, w1, epsabs=0.0, epsrel=1e-12, limit=500,
                                  points=peak[2:] or None)
    return top + math.log(value)


#: Parameter families (log10 ranges of r, alpha, s, beta, or a fixed ratio) and customers' repeat
#: counts: each is a region where an optimiser has gone or may go.
SHAPES = {
    "ordinary-customers": dict(r=(-1, 0.5), alpha=(0, 2), s=(-1, 0.5), beta=(0, 2), x=(0, 1.5)),
    "frequent-buyers": dict(r=(-1, 0.5), alpha=(0, 2), s=(-1, 0.5), beta=(0, 2), x=(2, 3.5)),
    "alpha-close-to-beta": dict(r=(-1, 1), alpha=(0, 2), s=(-1, 1), beta=0.0, x=(0, 2.5)),
    "alpha-far-above-beta": dict(r=(-2, 4), alpha=(3, 6), s=(-2, 2), beta=(-2, 1), x=(0, 3.5)),
    "beta-far-above-alpha": dict(r=(-2, 2), alpha=(-2, 1), s=(-2, 4), beta=(3, 6), x=(0, 3.5)),
    "lifetimes-nearly-exponential": dict(r=(-1, 0.5), alpha=(0, 1.5), s=(2, 7), beta="s", x=(0, 2.5)),
    "purchase-rates-nearly-one": dict(r=(2, 6), alpha="r", s=(-1, 0.5), beta=(0, 1.5), x=(0, 2.5)),
}


def _draw(shape: dict, rng, n: int = 40) -> tuple:
    def one(key, other):
        spec = shape[key]
        if spec == other[0]:  # a gamma nearly a point: the scale follows the shape, mean rate 0.005-0.5 a week
            return other[1] / 10 ** rng.uniform(-2.3, -0.3)
        if isinstance(spec, float):  # offset in log10 from the other scale
            return None
        return 10 ** rng.uniform(*spec)

    r = one("r", (None, None))
    s = one("s", (None, None))
    alpha = one("alpha", ("r", r))
    beta = one("beta", ("s", s))
    if beta is None:
        beta = alpha * 10 ** rng.uniform(-0.01, 0.01)
    x = np.floor(10 ** rng.uniform(*shape["x"], n))
    x[: n // 8] = 0.0
    T = rng.uniform(1.0, 80.0, n)
    tx = np.where(x > 0, T * rng.uniform(0.0, 1.0, n) ** 0.3, 0.0)
    return np.array([r, alpha, s, beta]), x, tx, T


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_log_a0_agrees_with_scipy_and_the_integral(shape):
    """Relative 1e-10 on A0: against scipy where scipy is finite and right; where scipy is NaN or
    off, against the integral itself (scipy loses digits near z = 1, it is not the reference there)."""
    rng = np.random.default_rng(sorted(SHAPES).index(shape))
    checked = 0
    for _ in range(6):
        params, x, tx, T = _draw(SHAPES[shape], rng)
        ours = log_a0(params, x, tx, T)
        assert np.isfinite(ours).all(), params
        theirs = _scipy_log_a0(params, x, tx, T)
        tolerance = 1e-10 + 4e-16 * np.abs(ours)
        for i in np.flatnonzero(~(np.abs(ours - theirs) <= tolerance)):
            assert ours[i] == pytest.approx(_integral_log_a0(params, x[i], tx[i], T[i]), abs=tolerance[i]), (
                params, x[i], tx[i], T[i], theirs[i])
            checked += 1
    if shape == "ordinary-customers":  # scipy is right here: the comparison is with it, not the integral
        assert checked == 0


@settings(max_examples=60, deadline=None)
@given(log_params=st.tuples(*[st.floats(-2.0, 6.0)] * 4), x=st.integers(0, 3000),
       cuts=st.tuples(*[st.floats(0.0, 1.0)] * 2), T=st.floats(0.5, 120.0))
def test_log_a0_adds_up_over_adjacent_periods(log_params, x, cuts, T):
    """A0 over (t_x, T) is A0 over (t_x, m) plus A0 over (m, T), whichever way each piece is computed."""
    params = 10.0 ** np.array(log_params)
    tx, m = T * min(cuts), T * max(cuts)
    if not tx < m < T:
        return
    whole, first, second = log_a0(params, [x] * 3, [tx, tx, m], [T, m, T])
    assert np.isfinite([whole, first, second]).all()
    assert np.logaddexp(first, second) == pytest.approx(whole, abs=1e-10 + 4e-16 * abs(whole))


@pytest.mark.parametrize("s", [1e3, 1e5, 1e7], ids=["shape-1e3", "shape-1e5", "shape-1e7"])
def test_likelihood_tends_to_exponential_lifetimes(s):
    """s, beta -> infinity with s / beta = mu fixed: lifetimes exponential with rate mu, a limit of the
    model the optimiser walks towards on logs where everyone leaves at one rate; the numbers stay right."""
    r, alpha, mu = 0.8, 9.0, 0.005
    x, tx, T = np.array([0.0, 2.0, 40.0]), np.array([0.0, 10.0, 50.0]), np.array([30.0, 38.9, 52.0])
    ll = [log_likelihood(np.array([r, alpha, s, s / mu]), x[[i]], tx[[i]], T[[i]], np.ones(1)) for i in range(3)]
    limit = []
    for xi, txi, Ti in zip(x, tx, T):
        # G(r+x) / G(r) alpha^r [(alpha+T)^-(r+x) e^(-mu T) + mu * integral of (alpha+y)^-(r+x) e^(-mu y)]
        dead = integrate.quad(lambda y: (alpha + y) ** -(r + xi) * math.exp(-mu * y), txi, Ti, epsrel=1e-13)[0]
        alive = (alpha + Ti) ** -(r + xi) * math.exp(-mu * Ti)
        limit.append(math.lgamma(r + xi) - math.lgamma(r) + r * math.log(alpha) + math.log(alive + mu * dead))
    # the limit is approached as 1 / s (coefficients of 0.003 to 0.03 here)
    assert ll == pytest.approx(limit, abs=0.1 / s)
