"""The speed probe benchmarks record beside their figures (benchmarks/machine.py)."""

from __future__ import annotations

import math

from benchmarks.machine import speed_probe


def test_the_probe_gives_the_seconds_of_its_fixed_work():
    seconds = speed_probe(repeats=2)
    assert isinstance(seconds, float) and math.isfinite(seconds) and seconds > 0
