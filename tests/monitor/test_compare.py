"""segkit.monitor.compare: two runs' segments compared: stable ids, size changes, migration, the
PSI of the segment mix, and the alerts a reader sees."""

from __future__ import annotations

import pytest

from segkit.exceptions import DataError
from segkit.monitor import compare


def test_compare_on_plain_lists_is_a_segkit_error():
    with pytest.raises(DataError, match="old segments: got list; expected a pandas Series"):
        compare([0, 1, 1], [0, 1, 1])
