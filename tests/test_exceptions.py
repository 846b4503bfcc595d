"""segkit.exceptions: every message quotes a value in at most about 80 characters, on one line."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.exceptions import QUOTE_LIMIT, quote

VALUES = st.one_of(
    st.text(max_size=3000),
    st.binary(max_size=3000),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.text(max_size=50), max_size=200),
    st.dictionaries(st.text(max_size=20), st.integers(), max_size=50),
)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(VALUES)
def test_any_value_is_quoted_short_and_on_one_line(value):
    shown = quote(value)
    assert len(shown) <= QUOTE_LIMIT + 30
    assert "\n" not in shown and "\r" not in shown


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.text(min_size=0, max_size=QUOTE_LIMIT - 10, alphabet=st.characters(min_codepoint=32, max_codepoint=126)))
def test_a_short_value_is_quoted_whole(value):
    assert quote(value) == repr(value)


def test_a_long_cell_says_how_long_it_was():
    assert quote("x" * 200_000).endswith("...' (200,000 characters)")


def test_numpy_scalars_are_quoted_as_the_values_they_hold():
    assert (quote(np.float64(2.5)), quote(np.int64(7)), quote(np.str_("a"))) == ("2.5", "7", "'a'")
