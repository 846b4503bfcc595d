"""segkit.workshop.data: where the shared data are (given folder, $SEGKIT_SHARED_DATA, beside the checkout)."""

from __future__ import annotations

import pytest

from segkit import workshop
from segkit.exceptions import InputNotFoundError
from segkit.workshop.data import shared_data
from tests.workshop.series import ROOT


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


def test_shared_data_order_of_precedence(tmp_path, monkeypatch):
    (tmp_path / "env" / "cdnow").mkdir(parents=True)
    (tmp_path / "given").mkdir()
    monkeypatch.setenv("SEGKIT_SHARED_DATA", str(tmp_path / "env"))
    assert workshop.shared_data(tmp_path / "given") == tmp_path / "given"
    assert workshop.shared_data(needs=["cdnow"]) == tmp_path / "env"
    with pytest.raises(InputNotFoundError, match=r"cdnow/CDNOW_master.txt does not exist \(folder from \$SEGKIT_SHARED_DATA\)"):
        workshop.shared_data(needs=["cdnow/CDNOW_master.txt"])
    monkeypatch.delenv("SEGKIT_SHARED_DATA")
    default = ROOT.parent / "shared" / "data"  # beside the checkout, as tests/conftest.py has it
    if default.is_dir():
        assert workshop.shared_data() == default
    else:
        with pytest.raises(InputNotFoundError, match="the default beside the checkout"):
            workshop.shared_data()
