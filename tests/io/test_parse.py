"""segkit.io.parse: every number segkit computes with is finite and of a sane size, or refused
in one line naming the column, a value and its row; long digit codes stay text."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.exceptions import DataError
from segkit.io import read_table, standardise_customers, standardise_transactions
from segkit.io.parse import LARGEST_NUMBER, finite_numbers, normalise_ids

#: (cell written in the file, what the message says)
BAD_NUMBERS = {
    "inf-text": ("inf", "1 infinite value (e.g. 'inf'"),
    "minus-infinity": ("-Infinity", "1 infinite value"),
    "float-limit": ("1.7976931348623157e308", "1 value too large"),
    "huge-exponent": ("9e307", "1 value too large"),
    "huge-integer": ("4611686018427387904", "1 value too large"),
}


def _customers(tmp_path, cell: str, row: int = 3):
    lines = ["ID,Age,Income,Visits"] + [f"C{i},{20 + i},{'X' if i == row else 1000 * (i + 1)},{i % 4}"
                                         for i in range(12)]
    path = tmp_path / "customers.csv"
    path.write_text("\n".join(lines).replace(",X,", f",{cell},") + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("cell", "said"), list(BAD_NUMBERS.values()), ids=list(BAD_NUMBERS))
def test_a_customer_number_column_refuses_what_is_not_a_finite_number(tmp_path, cell, said):
    path = _customers(tmp_path, cell)
    with pytest.raises(DataError) as err:
        standardise_customers(read_table(path, label="customers.csv"))
    message = str(err.value)
    assert message.startswith("customers.csv: column 'Income' has ") and said in message
    assert "at row 4" in message and "\n" not in message


@pytest.mark.parametrize(("cell", "said"), list(BAD_NUMBERS.values()), ids=list(BAD_NUMBERS))
def test_a_purchase_log_amount_refuses_what_is_not_a_finite_number(tmp_path, cell, said):
    path = tmp_path / "orders.csv"
    path.write_text(f"customer_id,date,amount\nC1,2024-01-02,5\nC2,2024-01-03,{cell}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"orders.csv: column 'amount' has 1 .* at row 2\)"):
        standardise_transactions(read_table(path, label="orders.csv"))


def test_the_largest_number_passes_and_the_next_is_refused():
    frame = pd.DataFrame(index=range(2))
    assert finite_numbers(pd.Series([LARGEST_NUMBER, -LARGEST_NUMBER]), label="t", column="x",
                          frame=frame).tolist() == [LARGEST_NUMBER, -LARGEST_NUMBER]
    with pytest.raises(DataError, match="1 value too large"):
        finite_numbers(pd.Series([1.0, LARGEST_NUMBER * 1.01]), label="t", column="x", frame=frame)


CODES = {
    "20-digit-invoice": "10000000000000048974",
    "25-digit-customer": "9999999999999999999999999",
    "30-digit-code": "123456789012345678901234567890",
}


@pytest.mark.parametrize("code", list(CODES.values()), ids=list(CODES))
def test_digit_codes_too_long_for_a_float_stay_text_and_are_written_back_exactly(tmp_path, code):
    path = tmp_path / "log.csv"
    path.write_text(f"Kunde,Betrag\n{code},5\n12,6\n", encoding="utf-8")
    assert read_table(path)["Kunde"].tolist() == [code, "12"]


def test_float_ids_beyond_exact_floats_are_not_cast_to_integers():
    assert normalise_ids(pd.Series([1e25, 17850.0])).tolist() == ["1e+25", "17850"]
