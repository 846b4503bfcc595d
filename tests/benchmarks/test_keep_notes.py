"""Benchmarks rewrite their results files and keep the notes written under them (benchmarks/keep_notes.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.keep_notes import NOTES_MARK, write_results

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_a_rerun_replaces_the_tables_and_keeps_the_notes(tmp_path):
    path = tmp_path / "bench.md"
    write_results(path, "# Run 1\n\n| a |\n")
    path.write_text(path.read_text(encoding="utf-8") + "## Tuesday (written by hand)\nslower: the machine was busy\n",
                    encoding="utf-8")
    write_results(path, "# Run 2\n\n| b |")  # no final newline: the mark still starts a line
    assert path.read_text(encoding="utf-8") == (
        f"# Run 2\n\n| b |\n{NOTES_MARK}\n## Tuesday (written by hand)\nslower: the machine was busy\n")


def test_a_new_file_gets_the_mark_and_a_file_without_one_is_all_generated(tmp_path):
    new = tmp_path / "new.md"
    write_results(new, "# Run\n")
    assert new.read_text(encoding="utf-8") == f"# Run\n{NOTES_MARK}\n"
    old = tmp_path / "old.md"
    old.write_text("# An older run\nno mark in it\n", encoding="utf-8")
    write_results(old, "# Run\n")
    assert old.read_text(encoding="utf-8") == f"# Run\n{NOTES_MARK}\n"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCHMARKS.glob("*.py") if p.name != "keep_notes.py"
                                          and re.search(r"results\b.*\.md", p.read_text(encoding="utf-8"))))
def test_a_benchmark_writes_its_markdown_results_through_write_results(script):
    source = (BENCHMARKS / script).read_text(encoding="utf-8")
    assert "write_results(" in source
    assert not re.search(r"\.md\"?\)?\.write_text\(|\.md\"\)\s*\.write_text", source), "a results file written directly"


@pytest.mark.parametrize("results", sorted(p.name for p in (BENCHMARKS / "results").glob("*.md")))
def test_notes_written_by_hand_sit_below_the_mark(results):
    text = (BENCHMARKS / "results" / results).read_text(encoding="utf-8")
    generated = text.partition(NOTES_MARK)[0]
    assert "written by hand" not in generated, "a note above the mark is lost when the benchmark runs again"
