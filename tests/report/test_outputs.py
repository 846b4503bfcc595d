"""segkit.report.outputs: a file or a report folder is whole or absent."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit import report
from segkit.exceptions import ConfigError
from segkit.report.outputs import (CSV_OPTIONS, check_out_dir, full_number, full_numbers, publish_folder, write_csv_atomic,
                                   write_text_atomic)


def test_atomic_writers_leave_no_temporary_file(tmp_path):
    write_csv_atomic(pd.DataFrame({"customer_id": ["a", "b"], "segment": [0, 1]}), tmp_path / "new" / "scored.csv")
    write_text_atomic(tmp_path / "new" / "comparison.json", "{}\n")
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["comparison.json", "scored.csv"]
    assert (tmp_path / "new" / "scored.csv").read_text() == "customer_id,segment\na,0\nb,1\n"


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "scored.csv"
    target.write_text("old\n")

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_csv_atomic(Broken({"segment": [1]}), target)
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["scored.csv"]


def test_publishing_replaces_an_earlier_report_whole(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "summary.json").write_text("{}")
    (out / "stale.png").write_text("")
    tmp = tmp_path / ".report.partial"
    tmp.mkdir()
    (tmp / "summary.json").write_text('{"new": true}')
    publish_folder(tmp, out)
    assert not tmp.exists() and sorted(p.name for p in out.iterdir()) == ["summary.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_folder_of_other_files_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "customers.csv").write_text("id\n1\n")
    tmp = tmp_path / "partial"
    tmp.mkdir()
    with pytest.raises(ConfigError, match=r"folder holds other files \(customers.csv, partial\)"):
        publish_folder(tmp, tmp_path)
    with pytest.raises(ConfigError, match="is a file"):
        check_out_dir(tmp_path / "customers.csv")
    assert tmp.exists()


#: Any finite float, with ordinary magnitudes (money, shares, counts: 1e-12 <= |x| < 1e15) drawn often.
FINITE_FLOATS = (st.floats(min_value=1e-12, max_value=1e15, exclude_max=True)
                 | st.floats(min_value=-1e15, max_value=-1e-12, exclude_min=True)
                 | st.floats(allow_nan=False, allow_infinity=False))


@given(value=FINITE_FLOATS)
@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
def test_every_float_is_written_exactly_and_in_full(value):
    from segkit.report.outputs import full_number

    text = full_number(value)
    assert float(text) == value, (value, text)
    assert full_number(value) == text  # the same text every time: files stay byte-identical
    if 1e-12 <= abs(value) < 1e15:
        assert "e" not in text.lower() and text.count(".") <= 1, (value, text)
        assert not text.endswith(".") and not (text.endswith("0") and "." in text), (value, text)


@given(values=st.lists(FINITE_FLOATS, min_size=1, max_size=50))
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
def test_a_csv_of_any_floats_reads_back_equal(values, tmp_path_factory):
    from segkit.report.outputs import write_csv

    path = tmp_path_factory.mktemp("csv") / "t.csv"
    frame = pd.DataFrame({"segment": range(len(values)), "figure": pd.Series(values, dtype="float64")})
    write_csv(frame, path)
    pd.testing.assert_frame_equal(pd.read_csv(path, dtype={"figure": "float64"}), frame)


@pytest.mark.parametrize("value", [9.9e-13, 1.3642137e-132, -4.2e-200, 9.07152e-309, 1e15, -2.5e300],
                         ids=["just-below-tiny", "p-value", "negative", "subnormal", "huge", "negative-huge"])
def test_only_tiny_and_huge_numbers_keep_an_exponent_and_their_value(value):
    from segkit.report.outputs import full_number

    text = full_number(value)
    assert "e" in text and len(text) < 24
    assert float(text) == value


def test_every_csv_writes_money_and_counts_in_full_and_exactly(tmp_path):
    frame = pd.DataFrame({"segment": [0, 1], "revenue": [6_529_548.4, 12_345_678_901.25], "share": [0.25, 1e-7],
                          "customers": [1_500_000.0, float("nan")], "p_value": [1.3642137e-132, 0.5]})
    path = write_csv_atomic(frame, tmp_path / "out.csv")
    assert path.read_text() == ("segment,revenue,share,customers,p_value\n"
                                "0,6529548.4,0.25,1500000,1.3642137e-132\n1,12345678901.25,0.0000001,,0.5\n")
    pd.testing.assert_frame_equal(pd.read_csv(path), frame)


def test_out_may_be_new_empty_or_an_earlier_report(tmp_path):
    report.check_out_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    report.check_out_dir(tmp_path / "empty")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "summary.json").write_text(json.dumps({"n_customers": 2}))
    (tmp_path / "old" / "segments.csv").write_text("customer_id,segment\n")
    report.check_out_dir(tmp_path / "old")


# ---------------------------------------------------------------- faults

def _dead_pid() -> int:
    """The id of a process that has ended."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


#: The hidden folders a run leaves beside --out while it works, by the shape of their name.
RUN_FOLDERS = {
    "partial": ".{out}.{pid}.k2j4h1.partial",
    "ready-to-swap": ".{out}.ready-{pid}",
    "old-report-being-replaced": ".{out}.old-{pid}",
    "dotted-out-name": ".{out}.2026-11.{pid}.abc.partial",
}


@pytest.mark.parametrize("shape", list(RUN_FOLDERS.values()), ids=list(RUN_FOLDERS))
def test_the_folders_of_a_dead_run_are_removed_and_a_live_runs_kept(tmp_path, shape):
    import os

    from segkit.report.outputs import remove_stale_partials

    dead = tmp_path / shape.format(out="report", pid=_dead_pid())
    live = tmp_path / shape.format(out="other", pid=os.getpid())
    for folder in (dead, live):
        folder.mkdir()
        (folder / "summary.json").write_text("{}")
    (tmp_path / ".hidden-notes").mkdir()  # not a run's: never touched
    assert remove_stale_partials(tmp_path) == [dead]
    assert not dead.exists() and live.exists() and (tmp_path / ".hidden-notes").exists()


def test_the_failed_notebook_is_named_after_its_run(tmp_path):
    from segkit.report.outputs import failed_notebook_path

    assert failed_notebook_path(tmp_path / "2026-11") == tmp_path / "2026-11.failed.ipynb"
    assert failed_notebook_path(tmp_path / "a") != failed_notebook_path(tmp_path / "b")


def _unwritable_parent(tmp_path):
    """A folder this process cannot write into (chmod when not root; else a read-only mount)."""
    import os
    import tempfile
    from pathlib import Path

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        tempfile.mkstemp(dir=locked)
    except OSError:
        return locked
    for candidate in (Path("/sys/segkit-test"), Path("/proc/segkit-test")):
        try:
            os.mkdir(candidate)
        except OSError:
            return candidate
        os.rmdir(candidate)
    pytest.skip("no folder on this machine refuses writes to this user")


def test_a_parent_that_cannot_be_written_is_one_line_naming_the_path(tmp_path):
    from segkit.exceptions import OutputError
    from segkit.report.outputs import check_writable

    parent = _unwritable_parent(tmp_path)
    with pytest.raises(OutputError) as err:
        check_writable(parent / "report")
    assert str(err.value).startswith(f"{parent}: cannot write (") and "\n" not in str(err.value)
    (tmp_path / "a-file").write_text("")
    with pytest.raises(OutputError, match="a-file: cannot write"):
        check_writable(tmp_path / "a-file" / "report")


def test_a_signal_stops_the_run_and_nothing_is_published(tmp_path):
    import os
    import signal

    from segkit.report.outputs import Interrupted, stop_on_signals

    before = signal.getsignal(signal.SIGTERM)
    out, tmp = tmp_path / "report", tmp_path / ".report.1.x.partial"
    tmp.mkdir()
    (tmp / "summary.json").write_text("{}")
    with pytest.raises(Interrupted) as err, stop_on_signals():
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        except Interrupted:
            pass  # a library that swallows the interrupt...
        publish_folder(tmp, out)  # ... still cannot let the run publish
    assert err.value.signum == signal.SIGTERM and "nothing was published" in str(err.value)
    assert not out.exists() and tmp.exists()
    assert signal.getsignal(signal.SIGTERM) == before  # handlers restored


def test_an_error_a_library_makes_of_the_interrupt_still_ends_as_a_stop(tmp_path):
    import asyncio
    import os
    import signal

    from segkit.report.outputs import Interrupted, stop_on_signals

    with pytest.raises(Interrupted) as err, stop_on_signals():
        try:
            os.kill(os.getpid(), signal.SIGINT)
        except Interrupted:
            raise asyncio.InvalidStateError("invalid state") from None  # what an event loop cut short may raise
    assert err.value.signum == signal.SIGINT and isinstance(err.value.__cause__, asyncio.InvalidStateError)
    with pytest.raises(ValueError), stop_on_signals():  # without a signal an error stays itself
        raise ValueError("not a stop")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.floats(allow_infinity=False), min_size=1, max_size=20))
def test_numbers_as_text_in_bulk_read_as_one_by_one(values):
    """full_numbers (long tables) writes every float as full_number does (NaN: a blank cell)."""
    expected = [None if v != v else full_number(v) for v in values]
    assert full_numbers(np.array(values)) == expected


@pytest.mark.parametrize("rows", [10, 5000], ids=["short-table", "long-table"])
def test_a_csv_is_the_same_whether_numbers_are_formatted_in_bulk_or_not(tmp_path, rows):
    rng = np.random.default_rng(rows)
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(rows)], "segment": rng.integers(0, 4, rows),
                          "clv": np.round(rng.gamma(2, 100, rows), 2), "p": rng.random(rows) * 10.0 ** -rng.integers(0, 14, rows)})
    frame.loc[::7, "clv"] = np.nan
    write_csv_atomic(frame, tmp_path / "bulk.csv")
    frame.to_csv(tmp_path / "one.csv", **CSV_OPTIONS)
    assert (tmp_path / "bulk.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
