"""Tests for segkit.workshop.cli: python -m segkit.workshop, its list and strip commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from segkit import workshop
from tests.workshop.series import NOTEBOOKS, WORKSHOP

ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_lists_the_exercises_without_a_warning():
    done = subprocess.run([sys.executable, "-W", "error", "-m", "segkit.workshop", "list"], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert "01.orders" in done.stdout and "09.pseudonym" in done.stdout
    assert done.stderr == ""


def test_command_line(tmp_path, capsys):
    assert workshop.main(["strip", str(WORKSHOP), str(tmp_path / "w")]) == 0
    assert len(list((tmp_path / "w").glob("*.ipynb"))) == len(NOTEBOOKS)
    mine = tmp_path / "w" / NOTEBOOKS[0].name
    mine.write_text("my answers")
    assert workshop.main(["strip", "--keep", str(WORKSHOP), str(tmp_path / "w")]) == 0
    assert mine.read_text() == "my answers"
    assert workshop.main(["list"]) == 0
    assert "02.rules" in capsys.readouterr().out
    assert workshop.main(["strip", str(tmp_path / "none"), str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
