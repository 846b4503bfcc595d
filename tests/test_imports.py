"""Imports without the garbage collector: it is back on (or left off) as it was, and what was built is frozen."""

from __future__ import annotations

import gc

import pytest

from segkit._imports import collector_paused


@pytest.fixture(autouse=True)
def _collector_restored():
    was_on = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if was_on else gc.disable)()


def test_a_pause_turns_the_collector_back_on_and_freezes_what_was_built():
    gc.unfreeze()
    with collector_paused():
        assert not gc.isenabled()
        built = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() >= len(built)


def test_nested_pauses_leave_the_collector_off_until_the_outer_one_ends():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off_and_nothing_is_frozen():
    gc.unfreeze()
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_an_import_that_fails_still_turns_the_collector_back_on():
    with pytest.raises(ImportError), collector_paused():
        import segkit_no_such_module  # noqa: F401
    assert gc.isenabled()


def test_what_was_frozen_is_collected_at_exit(tmp_path):
    """Extension modules that count their objects at exit (DuckDB's nanobind bindings) find none left."""
    import subprocess
    import sys

    code = "import duckdb\nfrom segkit._imports import collector_paused\nwith collector_paused():\n    import duckdb\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert "leaked" not in done.stderr, done.stderr
