"""segkit.io.text: text files decoded, their delimiter sniffed, title and footer lines skipped."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.io import read_table


def test_read_whitespace_separated_crlf(tmp_path):
    path = tmp_path / "cds.txt"
    path.write_bytes(b"customer_id date number_of_cds dollar_value\r\n"
                     b"    00001  19970101  1  11.77\r\n    00002  19970112   5  77.00\r\n")
    expected = pd.DataFrame({"customer_id": ["00001", "00002"], "date": [19970101, 19970112],
                             "number_of_cds": [1, 5], "dollar_value": [11.77, 77.0]})
    pd.testing.assert_frame_equal(read_table(path), expected)


def test_read_quoted_fields(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('id,note,amount\n1,"red, large",3\n2,"two\nlines",4.5\n', encoding="utf-8")
    expected = pd.DataFrame({"id": ["1", "2"], "note": ["red, large", "two\nlines"], "amount": [3.0, 4.5]})
    pd.testing.assert_frame_equal(read_table(path), expected)


@pytest.mark.parametrize("text", [
    "sep=;\ncustomer;date;amount\n1;2024-01-01;3,5\n2;2024-01-02;4\n",
    "Sales export 2024\nShop: Leeds\n\ncustomer,date,amount\n1,2024-01-01,3.5\n2,2024-01-02,4\n",
    "\n\ncustomer;date;amount;\n1;2024-01-01;3,5;\n2;2024-01-02;4;\n",
], ids=["excel-sep-line", "title-lines", "blank-lines-and-trailing-delimiter"])
def test_export_quirks_around_the_header(tmp_path, text):
    path = tmp_path / "export.csv"
    path.write_text(text)
    df = read_table(path)
    assert list(df.columns) == ["customer", "date", "amount"] and df["amount"].tolist() == [3.5, 4.0]
