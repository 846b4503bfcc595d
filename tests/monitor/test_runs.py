"""segkit.monitor.runs: a report folder read back (segments.csv, summary.json) and two folders compared;
what a report never writes is refused with the file, value and row."""

from __future__ import annotations

import json

import pytest

from segkit.exceptions import DataError, InputNotFoundError
from segkit.monitor import compare_runs, read_run


def test_read_run_refuses_files_a_report_never_writes(tmp_path):
    folder = tmp_path / "2026-10"
    folder.mkdir()
    (folder / "summary.json").write_text(json.dumps({"segments": [{"id": 0, "name": "A"}]}))
    (folder / "segments.csv").write_text("customer_id,segment\nC1,0\nC2,0.5\n")
    with pytest.raises(DataError, match=r"segments\.csv: column 'segment' has 1 value that is not a segment id "
                                        r"\(e\.g\. '0\.5' at row 3\)"):
        read_run(folder)
    (folder / "segments.csv").write_text("customer_id,segment\nC1,0\nC2,1\nC1,1\n")
    with pytest.raises(DataError, match=r"segments\.csv: customer id 'C1' is on rows 2 and 4"):
        read_run(folder)
    (folder / "segments.csv").write_text("customer_id,segment\nC1,0\n")
    (folder / "summary.json").write_text("[1, 2]")
    with pytest.raises(DataError, match=r"summary\.json: not the summary of a segkit report"):
        read_run(folder)
    with pytest.raises(InputNotFoundError, match=r"segments\.csv: is a file; expected the folder of a report"):
        read_run(folder / "segments.csv")
    (folder / "summary.json").write_text(json.dumps({"segments": [{"id": 0, "name": "A"}]}))
    (folder / "segments.csv").write_text("")
    with pytest.raises(DataError, match=r"segments\.csv: cannot be read as CSV"):
        read_run(folder)


def test_compare_two_runs_without_a_shared_customer_names_both_files(tmp_path):
    for name, ids in (("2026-10", ["C1", "C2"]), ("2026-11", ["9f86d0", "3a7bd3"])):  # the second pseudonymised
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text(json.dumps({"segments": [{"id": 0, "name": "A"}]}))
        (tmp_path / name / "segments.csv").write_text("customer_id,segment\n" + "".join(f"{i},0\n" for i in ids))
    with pytest.raises(DataError, match=r"2026-10/segments\.csv and .*2026-11/segments\.csv have no customer id in "
                                        r"common \(e\.g\. 'C1' and '9f86d0'\).*pseudonym_key"):
        compare_runs(tmp_path / "2026-10", tmp_path / "2026-11")
