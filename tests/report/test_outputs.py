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


def test_out_may_be_new_empty_or_an_earlier_report(tmp_path):
    report.check_out_dir(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    report.check_out_dir(tmp_path / "empty")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "summary.json").write_text(json.dumps({"n_customers": 2}))
    (tmp_path / "old" / "segments.csv").write_text("customer_id,segment\n")
    report.check_out_dir(tmp_path / "old")
