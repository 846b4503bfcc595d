"""Fixtures shared by the segment package's tests."""

from __future__ import annotations

import numpy as np
import pytest

from segkit.segment import Segmenter
from tests.shapes import seven_point


@pytest.fixture(scope="module")
def likert_fit():
    """Three segments answering three questions on a 7-point agreement scale, plus spend, fitted."""
    X, _ = seven_point(1, n=100)
    X["spend"] = np.random.default_rng(1).gamma(2.0, 50.0, len(X))
    return X, Segmenter(n_segments=3, n_bootstrap=0).fit(X)
