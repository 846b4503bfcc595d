"""segkit.io.parse: cell text written for people (currencies, decimal commas, accounting negatives,
k and M, missing-value words, yes/no in several languages) read as typed values."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.io import read_table, standardise_customers, standardise_transactions


def test_amount_text_with_currency_and_decimal_comma():
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2011-01-01"] * 2, "Revenue": ["$1,234.50", "€ 7"],
                        "Qty": ["3,50", "1.234,5"], "Unit Price": [1.0, 2.0]})
    out = standardise_transactions(raw)
    assert out["amount"].tolist() == [1234.5, 7.0] and out["quantity"].tolist() == [3.5, 1234.5]


def test_decimal_commas_currency_and_blank_cells_are_read_as_numbers(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(
        "N° client;Revenu annuel;Dépenses;Panier;Code\n"
        "00042;20049,04;$1,234.50; ;01234\n"
        "00043;3,5;$3.00;7;01235\n"
        "00044;1.234,5;€12;8,5;01236\n".encode("cp1252")  # Excel's "CSV" on Windows in France
    )
    df = read_table(path)
    assert df["Revenu annuel"].tolist() == [20049.04, 3.5, 1234.5]
    assert df["Dépenses"].tolist() == [1234.5, 3.0, 12.0]
    assert df["Panier"].isna().tolist() == [True, False, False] and df["Panier"].iloc[2] == 8.5
    assert df["N° client"].tolist() == ["00042", "00043", "00044"]  # zero-padded ids stay text
    assert df["Code"].tolist() == ["01234", "01235", "01236"]


@pytest.mark.parametrize("values", [["1-2", "3"], ["12:30", "13:00"], ["2023.01.05", "2023.02.01"], ["1.2.3", "4"]],
                         ids=["range", "time", "dotted-date", "version"])
def test_text_that_only_contains_digits_stays_text(tmp_path, values):
    path = tmp_path / "t.csv"
    path.write_text("x;y\n" + "\n".join(f"{v};{i}" for i, v in enumerate(values)) + "\n")
    assert read_table(path)["x"].tolist() == values


@pytest.mark.parametrize(("values", "expected"), [(["t", "f", "T"], [1, 0, 1]), (["oui", "non", "Oui"], [1, 0, 1]),
                                                  (["ja", "nein", "JA"], [1, 0, 1]), (["sí", "no", "si"], [1, 0, 1])],
                         ids=["t/f", "oui/non", "ja/nein", "si/no"])
def test_yes_no_answers_in_other_forms(values, expected):
    df = pd.DataFrame({"ID": [1, 2, 3], "Response": values})
    assert standardise_customers(df)["Response"].tolist() == expected
