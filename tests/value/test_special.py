"""Tests for segkit.value.special: the hypergeometric series and continued fraction where scipy gives NaN."""

from __future__ import annotations

import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest
from scipy import integrate, special

from segkit.value.special import hyp2f1_1_fraction, hyp2f1_series


def _reference(a, b, c, z) -> float:
    """The series summed in 60-digit decimals: no cancellation, no overflow."""
    with localcontext() as ctx:
        ctx.prec = 60
        a, b, c, z = (Decimal(repr(float(v))) for v in (a, b, c, z))
        term = total = Decimal(1)
        for k in range(20_000):
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            total += term
            if k > 10 and abs(term) < Decimal(10) ** -40:
                break
        return float(total)


@pytest.mark.parametrize(("a", "b", "c", "z"), [
    (-82786.0, -0.65, 24.6, 1.25e-5), (-355640.0, -0.997, 1230.0, 1e-5), (-3.0e6, -0.7, 16.5, 1.0e-5),
], ids=["gamma-shape-1e5", "gamma-shape-4e5", "gamma-shape-3e6"])
def test_huge_parameters_where_scipy_gives_nan(a, b, c, z):
    assert np.isnan(special.hyp2f1(a, b, c, z))
    assert hyp2f1_series(a, b, c, np.array([z]))[0] == pytest.approx(_reference(a, b, c, z), rel=1e-12)


def test_ordinary_parameters_agree_with_scipy():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(-5, 5, 200), rng.uniform(-5, 5, 200)
    c, z = rng.uniform(0.5, 20, 200), rng.uniform(-0.9, 0.9, 200)
    ours = hyp2f1_series(a, b, c, z)
    ok = np.isfinite(ours)
    assert ok.mean() > 0.95  # the few NaN are where the terms cancel too much to trust
    assert ours[ok] == pytest.approx(special.hyp2f1(a, b, c, z)[ok], rel=1e-9)


@pytest.mark.parametrize(("a", "b", "c", "z"), [(-300.0, -0.5, 10.0, 0.5), (1.0, 1.0, 2.0, 1.5), (1.0, 1.0, 2.0, -1.0)],
                         ids=["terms-cancel", "outside-the-circle", "on-the-circle"])
def test_untrustworthy_sums_are_nan_not_numbers(a, b, c, z):
    assert np.isnan(hyp2f1_series(a, b, c, np.array([z]))[0])


def test_a_terminating_series_is_a_polynomial():
    # 2F1(-2, b; c; z) = 1 - 2 b z / c + b (b + 1) z^2 / (c (c + 1))
    b, c, z = 3.0, 4.0, np.array([0.3])
    assert hyp2f1_series(-2.0, b, c, z)[0] == pytest.approx(1 - 2 * b * 0.3 / c + b * (b + 1) * 0.09 / (c * (c + 1)))


def _euler_integral(b: float, c: float, z: float) -> float:
    """2F1(1, b; c; z) = (c - 1) * integral_0^1 (1 - t) ** (c - 2) (1 - z t) ** -b dt, by quad."""
    def integrand(t):  # in logs so that nothing overflows
        return np.exp((c - 2.0) * np.log1p(-t) - b * np.log1p(-z * t))

    # where b is large the mass sits within a few (1 - z) of t = 1: split the range there for quad
    knots = sorted({1.0 - 10.0 ** -k for k in range(1, 9)})
    with warnings.catch_warnings():  # quad's error estimate is pessimistic near 1e-12; the comparison judges
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        total = sum(integrate.quad(integrand, lo, hi, epsabs=0.0, epsrel=1e-12, limit=200)[0]
                    for lo, hi in zip([0.0, *knots], [*knots, 1.0]))
    return (c - 1.0) * total


@pytest.mark.parametrize(("b", "c"), [(0.7, 1.6), (2.5, 4.0), (40.0, 41.5), (1.5, 300.0), (300.0, 302.0)],
                         ids=["small-parameters", "ordinary", "shapes-close", "second-far-above", "large-shapes"])
def test_continued_fraction_agrees_with_scipy_or_the_integral(b, c):
    z = np.array([0.0, 0.1, 0.5, 0.9, 0.99, 0.999])
    ours = hyp2f1_1_fraction(b, c, z)
    theirs = special.hyp2f1(1.0, b, c, z)
    assert np.isfinite(ours[:4]).all()  # away from z = 1 it always settles
    both = np.isfinite(ours) & np.isfinite(theirs)
    assert ours[both] == pytest.approx(theirs[both], rel=1e-12)
    for i in np.flatnonzero(np.isfinite(ours) & ~both):  # scipy NaN
        assert ours[i] == pytest.approx(_euler_integral(b, c, z[i]), rel=1e-10)


@pytest.mark.parametrize(("b", "e", "z"), [(82786.0, 1.6, 0.9995), (3.0e6, 0.8, 0.99999), (2.0e4, 30.0, 0.999)],
                         ids=["gamma-shape-1e5", "gamma-shape-3e6", "gamma-shape-2e4-far-shape"])
def test_continued_fraction_where_scipy_gives_nan(b, e, z):
    assert np.isnan(special.hyp2f1(1.0, b, b + e, z))
    assert hyp2f1_1_fraction(b, b + e, np.array([z]))[0] == pytest.approx(_euler_integral(b, b + e, z), rel=1e-10)


def test_continued_fraction_that_does_not_settle_is_nan():
    assert np.isnan(hyp2f1_1_fraction(0.5, 1.6, np.array([1.0 - 1e-12]))[0])  # small parameters, z at 1
