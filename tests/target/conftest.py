"""Fixtures shared by the target package's tests: a campaign's responses in four segments."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.shapes import customer_index


@pytest.fixture
def campaign():
    """Three segments of 100: 40, 27 and 10 responders; one segment of 5."""
    ids = customer_index(305)
    labels = pd.Series([2] * 100 + [0] * 100 + [1] * 100 + [3] * 5, index=ids, name="segment")
    response = pd.Series([1] * 40 + [0] * 60 + [1] * 27 + [0] * 73 + [1] * 10 + [0] * 90 + [1] * 5, index=ids)
    return labels, response
