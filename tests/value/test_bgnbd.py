"""Tests for segkit.value.bgnbd: BG/NBD against its published CDNOW estimates, its gradient and
its expectations for frequent buyers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from segkit.value import BetaGeoModel, ModifiedBetaGeoModel
from segkit.value.bgnbd import _gradient, _purchases_while_alive, _terms
from segkit.value.purchase import unique_x


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
