"""segkit.report.outputs: a file or a report folder is whole or absent."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from segkit import report
from segkit.exceptions import ConfigError
from segkit.report.outputs import check_out_dir, publish_folder, write_csv_atomic, write_text_atomic


def test_atomic_writers_leave_no_temporary_file(tmp_path):
    write_csv_atomic(pd.DataFrame({"customer_id": ["a", "b"], "segment": [0, 1]}), tmp_path / "new" / "scored.csv")
    write_text_atomic(tmp_path / "new" / "comparison.json", "{}\n")
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["comparison.json", "scored.csv"]
    assert (tmp_path / "new" / "scored.csv").read_text() == "customer_id,segment\na,0\nb,1\n"


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "scored.csv"
    target.write_text("old\n")

    class Broken:
        def to_csv(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_csv_atomic(Broken(), target)
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


_MAGNITUDES = [1e-9, 1e-4, 0.01, 0.5, 1, 7, 99.5, 1234.5, 6_529_548, 3e9, 4.2e14]


@pytest.mark.parametrize("scale", _MAGNITUDES, ids=[f"about-{m:g}" for m in _MAGNITUDES])
def test_numbers_are_written_in_full_and_keep_their_value(scale):
    import numpy as np

    from segkit.report.outputs import SIGNIFICANT_DIGITS, full_number

    values = np.random.default_rng(int(np.log10(scale) * 10 + 100)).uniform(0.1, 10, 200) * scale
    values = np.r_[values, -values, np.round(values)]
    for value in values:
        text = full_number(value)
        assert "e" not in text.lower() and text.count(".") <= 1, (value, text)
        # every integer digit is kept; below that, SIGNIFICANT_DIGITS significant digits
        digits = int(np.floor(np.log10(abs(value)))) + 1 if value else 1
        allowed = 0.5 * 10.0 ** (digits - SIGNIFICANT_DIGITS) if digits < SIGNIFICANT_DIGITS else 0.5
        assert abs(float(text) - value) <= allowed * (1 + 1e-9), (value, text)
        assert full_number(value) == text  # the same text every time


@pytest.mark.parametrize("value", [9.9e-13, 1.36421e-132, -4.2e-200, 9.07152e-309],
                         ids=["just-below-tiny", "p-value", "negative", "subnormal"])
def test_only_numbers_below_tiny_keep_an_exponent_and_their_value(value):
    from segkit.report.outputs import SIGNIFICANT_DIGITS, full_number

    text = full_number(value)
    assert "e-" in text and len(text) < 16
    assert float(text) == pytest.approx(value, rel=10.0 ** (1 - SIGNIFICANT_DIGITS))


def test_every_csv_writes_money_and_counts_without_an_exponent(tmp_path):
    frame = pd.DataFrame({"segment": [0, 1], "revenue": [6_529_548.0, 12_345_678_901.25], "share": [0.25, 1e-7],
                          "customers": [1_500_000.0, float("nan")]})
    text = write_csv_atomic(frame, tmp_path / "out.csv").read_text()
    assert text == "segment,revenue,share,customers\n0,6529548,0.25,1500000\n1,12345678901,0.0000001,\n"


def test_out_may_be_new_empty_or_an_earlier_report(tmp_path):
    report.check_out_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    report.check_out_dir(tmp_path / "empty")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "summary.json").write_text(json.dumps({"n_customers": 2}))
    (tmp_path / "old" / "segments.csv").write_text("customer_id,segment\n")
    report.check_out_dir(tmp_path / "old")
