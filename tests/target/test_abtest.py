"""Tests for segkit.target.abtest: sample size and detectable effect share one formula."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.target import ab_analyse
from segkit.target.abtest import ab_minimum_detectable_effect, ab_sample_size


@pytest.mark.parametrize("baseline", [0.02, 0.1, 0.4])
@pytest.mark.parametrize("two_sided", [True, False], ids=["two-sided", "one-sided"])
def test_detectable_effect_inverts_the_sample_size(baseline, two_sided):
    for mde in (0.01, 0.05):
        n = ab_sample_size(baseline, mde, two_sided=two_sided, power=0.9)
        detectable = ab_minimum_detectable_effect(baseline, n, two_sided=two_sided, power=0.9)
        assert detectable <= mde + 1e-9  # n is rounded up, so it detects at least mde
        # the root is found to a tolerance, so the size it needs may round up to one more
        assert ab_sample_size(baseline, detectable, two_sided=two_sided, power=0.9) in (n, n + 1)


def test_too_small_a_test_detects_nothing():
    assert ab_minimum_detectable_effect(0.1, 1) != ab_minimum_detectable_effect(0.1, 1)  # NaN


def test_ab_results_with_capitalised_groups_and_yes_no_outcomes():
    results = pd.DataFrame({"segment": [0] * 40,
                            "group": ["Treatment"] * 20 + ["Holdout "] * 20,
                            "outcome": ["yes"] * 8 + ["no"] * 12 + ["yes"] * 4 + ["no"] * 16})
    r = ab_analyse(results, min_cell_size=5)
    counts = ["n_treatment", "n_control", "responders_treatment", "responders_control"]
    assert r.loc[0, counts].tolist() == [20, 20, 8, 4]
    assert r.loc[0, "difference"] == pytest.approx(0.2)
