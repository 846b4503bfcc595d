"""Tests for segkit.value.gammagamma: the published CDNOW spend estimates."""

from __future__ import annotations

import numpy as np

from segkit.value import GammaGammaModel


def test_cdnow_sample_reproduces_the_published_estimates(cdnow_calibration):
    """Fader, Hardie & Lee (2005, "RFM and CLV"): p 6.25, q 3.74, gamma 15.44 on the sample's
    946 repeat customers (mean spend of their repeat purchases in the 39 weeks)."""
    repeat = cdnow_calibration[cdnow_calibration["frequency"] > 0]
    gg = GammaGammaModel().fit(repeat["frequency"], repeat["monetary_value"])
    assert gg.n_customers_ == 946
    assert gg.params_.round(2).tolist() == [6.25, 3.74, 15.44]
    assert np.isfinite(gg.standard_errors_).all() and (gg.standard_errors_ > 0).all()
