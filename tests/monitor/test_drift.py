"""segkit.monitor.drift: the population stability index (an empty bin counts as half a customer of its
run), feature references kept in summary.json, and the drift of each feature between two runs."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from segkit.monitor import feature_reference, psi, reference_drift


def test_psi_matches_the_formula_and_is_symmetric_in_the_textbook_case():
    old, new = np.array([0.25, 0.25, 0.5]), np.array([0.2, 0.3, 0.5])
    expected = sum((n - o) * math.log(n / o) for o, n in zip(old, new))
    assert psi(old, new) == pytest.approx(expected)
    assert psi(old, new) == pytest.approx(psi(new, old))
    assert psi([10, 10], [10, 10]) == 0.0
    assert math.isfinite(psi([2, 0], [0, 2]))  # empty bins count as half a customer, not infinite


def test_psi_rejects_mismatched_bins():
    with pytest.raises(ValueError, match="same non-zero length"):
        psi([0.5, 0.5], [1.0])


def test_reference_keeps_no_bin_smaller_than_the_cell_size():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({
        "spend": rng.gamma(2, 50, 250),
        "channel": ["web"] * 200 + ["store"] * 45 + ["kiosk"] * 5,
        "email": [f"p{i}@x.org" for i in range(250)],
        "first_purchase": pd.date_range("2024-01-01", periods=250, freq="D"),
    })
    ref = feature_reference(frame, min_cell_size=10)
    assert len(ref["spend"]["values"]) == 24  # 250 // 10 = 25 steps, 24 inner quantiles
    assert min(ref["spend"]["values"]) > frame["spend"].min() and max(ref["spend"]["values"]) < frame["spend"].max()
    assert ref["channel"]["levels"] == ["(other)", "store", "web"]  # 5 kiosk customers pooled
    assert "email" not in ref and "first_purchase" not in ref
    json.dumps(ref)  # lands in summary.json


def test_drift_is_stable_for_a_resample_and_major_for_a_shift():
    rng = np.random.default_rng(2)
    base = pd.DataFrame({"spend": rng.lognormal(4, 1, 20_000), "orders": rng.poisson(3, 20_000),
                         "channel": rng.choice(["web", "store"], 20_000, p=[0.6, 0.4])})
    same = pd.DataFrame({"spend": rng.lognormal(4, 1, 20_000), "orders": rng.poisson(3, 20_000),
                         "channel": rng.choice(["web", "store"], 20_000, p=[0.6, 0.4])})
    shifted = pd.DataFrame({"spend": rng.lognormal(4.6, 1, 20_000), "orders": rng.poisson(3, 20_000),
                            "channel": rng.choice(["web", "store"], 20_000, p=[0.3, 0.7])})
    a, b, c = (feature_reference(f) for f in (base, same, shifted))
    stable = reference_drift(a, b)
    assert (stable["level"] == "stable").all() and stable["psi"].max() < 0.01
    drift = reference_drift(a, c)
    assert drift.loc["spend", "level"] == "major" and drift.loc["channel", "level"] == "major"
    assert drift.loc["orders", "level"] == "stable"
    assert drift.loc["spend", "new_median"] > drift.loc["spend", "old_median"] * 1.5
    assert drift.loc["channel", "changed_most"] in {"store 40% -> 70%", "web 60% -> 30%"}
    # The PSI read off stored quantiles is close to the PSI on the raw data in the same bins.
    cut = np.quantile(base["spend"], np.arange(1, 10) / 10)
    exact = psi(np.histogram(base["spend"], np.r_[-np.inf, cut, np.inf])[0],
                np.histogram(shifted["spend"], np.r_[-np.inf, cut, np.inf])[0])
    assert drift.loc["spend", "psi"] == pytest.approx(exact, rel=0.05)


def test_psi_of_shares_with_an_empty_bin_needs_the_number_of_customers():
    assert psi([0.9, 0.1], [1.0, 0.0], n=(100, 100)) == pytest.approx(psi([90, 10], [100, 0]), rel=1e-12)
    with pytest.raises(ValueError, match="empty bin"):
        psi([0.9, 0.1], [1.0, 0.0])


def test_feature_psi_uses_the_same_half_customer_rule():
    """A level that vanished and a numeric feature that moved past the old maximum."""
    old = pd.DataFrame({"channel": ["web"] * 600 + ["store"] * 300 + ["phone"] * 100, "spend": np.arange(1000.0)})
    new = pd.DataFrame({"channel": ["web"] * 700 + ["store"] * 300, "spend": np.arange(1000.0) + 5000})
    drift = reference_drift(feature_reference(old), feature_reference(new))
    # the same shares as the vanished segment of 1000 customers above
    assert drift.loc["channel", "psi"] == pytest.approx(0.1 * math.log(7 / 6) + 0.0995 * math.log(200), rel=1e-9)
    # old deciles 10 % each; new: nine empty deciles (0.5 / 1000 each) and all in the top one
    expected = 9 * (0.1 - 0.0005) * math.log(0.1 / 0.0005) + 0.9 * math.log(10)  # 6.817 (a 1e-4 floor: 8.283)
    assert drift.loc["spend", "psi"] == pytest.approx(expected, rel=1e-9)
    assert drift.loc["spend", "level"] == drift.loc["channel", "level"] == "major"
