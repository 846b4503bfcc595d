"""Tests for python -m segkit.workshop and segkit.workshop.data (where the shared data are)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from segkit.workshop.data import shared_data

ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_lists_the_exercises_without_a_warning():
    done = subprocess.run([sys.executable, "-W", "error", "-m", "segkit.workshop", "list"], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert "01.orders" in done.stdout and "09.pseudonym" in done.stdout
    assert done.stderr == ""


def test_the_default_shared_data_folder_is_beside_the_checkout(monkeypatch):
    monkeypatch.delenv("SEGKIT_SHARED_DATA", raising=False)
    expected = ROOT.parent / "shared" / "data"
    if expected.is_dir():
        assert shared_data() == expected
    else:
        try:
            shared_data()
        except FileNotFoundError as err:
            assert str(expected) in str(err)
