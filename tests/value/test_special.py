"""Tests for segkit.value.special: the hypergeometric series where scipy gives NaN."""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np
import pytest
from scipy import special

from segkit.value.special import hyp2f1_series


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
