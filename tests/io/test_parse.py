"""segkit.io.parse: cell text written for people (currencies, decimal commas, accounting negatives,
k and M, missing-value words, yes/no in several languages) read as typed values; every number
segkit computes with is finite and of a sane size, or refused in one line naming the column, a
value and its row; long digit codes stay text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.exceptions import DataError
from segkit.io import detect_roles, read_table, standardise_customers, standardise_transactions
from segkit.io.parse import LARGEST_NUMBER, clean_number_text, finite_numbers, normalise_ids


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


@pytest.mark.parametrize(("cells", "expected"), [
    (["12.00", "(3.00)", "(1,234.50)"], [12.0, -3.0, -1234.5]),
    (["1'234.50", "12.00", "(7.25)"], [1234.5, 12.0, -7.25]),
    (["12,50 €", "1\u00a0234,50\u00a0€", "(3,00 €)"], [12.5, 1234.5, -3.0]),
    (["1\u202f234,50", "7,5", "12"], [1234.5, 7.5, 12.0]),
    (["10%", "12.5 %", "0%"], [10.0, 12.5, 0.0]),
], ids=["accounting-negatives", "swiss-apostrophe", "euro-after-nbsp", "narrow-nbsp", "percentages"])
def test_numbers_written_for_people_are_numbers(tmp_path, cells, expected):
    path = tmp_path / "export.csv"
    path.write_text("id;value\n" + "".join(f"c{i};{v}\n" for i, v in enumerate(cells)), encoding="utf-8")
    assert read_table(path)["value"].tolist() == expected


def test_accounting_negatives_in_a_log_are_returns(tmp_path):
    log = pd.DataFrame({"user_id": [1, 1, 2], "ts": ["2024-01-02", "2024-01-05", "2024-01-03"],
                        "Amount": ["64.16", "(21.39)", "1'049.00"]})
    out = standardise_transactions(log, label="log.psv")
    assert out["amount"].tolist() == [64.16, -21.39, 1049.0]


def test_missing_value_spellings_are_missing_in_numbers_ids_and_dates(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("customer,Income (USD),Pets,Joined\n"
                    "C1,52000,dog,2024-01-02\n"
                    "C2,none,none,?\n"
                    "C3,(blank),cat,2024-02-03\n"
                    "C4,?,none,(blank)\n", encoding="utf-8")
    df = read_table(path)
    assert df["Income (USD)"].isna().tolist() == [False, True, True, True]
    assert df["Pets"].tolist() == ["dog", "none", "cat", "none"]  # text keeps its answers
    out = standardise_customers(df)
    assert out["Joined"].isna().tolist() == [False, True, False, True]
    log = pd.DataFrame({"cust": ["7", "-", "(blank)", "none", "8"], "Date": ["2024-01-02"] * 5, "Sales": [1.0] * 5})
    assert standardise_transactions(log)["customer_id"].isna().tolist() == [False, True, True, True, False]


def test_a_dash_in_a_number_column_is_an_error_that_says_why():
    df = pd.DataFrame({"ID": ["a", "b", "c"], "Visits": ["3", "-", "7"], "Plan": ["x", "y", "x"]})
    roles = detect_roles(df, kind="customers")
    assert "Visits" in roles.behaviour  # not silently left out
    with pytest.raises(DataError, match=r"^crm.csv: column 'Visits' has 1 non-numeric value \(e.g. '-' at row 2\); "
                                        r"expected numbers \('-' may mean missing or zero"):
        standardise_customers(df, roles, label="crm.csv")


def test_brazilian_reais_are_numbers(tmp_path):
    path = tmp_path / "vendas.csv"
    path.write_text("Código do cliente;Valor total\nBR1;R$ 1.234,56\nBR2;R$ 89,90\nBR3;BRL 12,00\n", encoding="utf-8")
    assert read_table(path)["Valor total"].tolist() == [1234.56, 89.9, 12.0]


def test_revenue_abbreviated_with_k_and_m_is_a_number(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("account_id,annual_revenue,sizes\nA1,350k,6M\nA2,1.2M,12M\nA3,75,18M\nA4,,6M\n")
    table = read_table(path)
    assert table["annual_revenue"].tolist()[:3] == [350_000.0, 1_200_000.0, 75.0]
    assert np.isnan(table["annual_revenue"].iloc[3])
    assert table["sizes"].tolist() == ["6M", "12M", "18M", "6M"]  # one magnitude, no decimals: text
    assert "annual_revenue" in detect_roles(table, kind="customers").behaviour


#: (cell written in the file, what the message says)
BAD_NUMBERS = {
    "inf-text": ("inf", "1 infinite value (e.g. 'inf'"),
    "minus-infinity": ("-Infinity", "1 infinite value"),
    "float-limit": ("1.7976931348623157e308", "1 value too large"),
    "huge-exponent": ("9e307", "1 value too large"),
    "huge-integer": ("4611686018427387904", "1 value too large"),
}
#: One whole number of more than 15 digits among ordinary numbers is a number too large, not a
#: sign of codes (a column that is mostly such digits is one of codes: the test below).
CUSTOMER_BAD_NUMBERS = {**BAD_NUMBERS, "huge-decimal": ("4611686018427387904.5", "1 value too large")}


def _customers(tmp_path, cell: str, row: int = 3):
    lines = ["ID,Age,Income,Visits"] + [f"C{i},{20 + i},{'X' if i == row else 1000 * (i + 1)},{i % 4}"
                                         for i in range(12)]
    path = tmp_path / "customers.csv"
    path.write_text("\n".join(lines).replace(",X,", f",{cell},") + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("cell", "said"), list(CUSTOMER_BAD_NUMBERS.values()), ids=list(CUSTOMER_BAD_NUMBERS))
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


@pytest.mark.parametrize("short", [0, 1, 3], ids=["all-long", "one-short-among-long", "as-many-short-as-long"])
def test_a_column_mostly_of_long_digit_codes_is_text_whatever_its_name(tmp_path, short):
    codes = [f"{10**19 + 7919 * i}" for i in range(3)] + [str(40 + i) for i in range(short)]
    path = tmp_path / "t.csv"
    path.write_text("Ref,Betrag\n" + "".join(f"{c},{i}\n" for i, c in enumerate(codes)), encoding="utf-8")
    assert read_table(path)["Ref"].tolist() == codes


def test_float_ids_beyond_exact_floats_are_not_cast_to_integers():
    assert normalise_ids(pd.Series([1e25, 17850.0])).tolist() == ["1e+25", "17850"]


_CELLS = ["1.5", "-2.25", "3", "0.5", "12.75", " 4.5 ", "", "  ", "?", "n/a", "nan", "inf", "007.5", "+1.5",
          "-0.5", "1e3", "2.5e-1", "100", "-7", "1,5", "abc", None]


@pytest.mark.parametrize("seed", range(40), ids=[f"mixed-cells-{i}" for i in range(40)])
def test_the_fast_path_for_fractions_reads_every_column_as_the_general_path_does(seed, monkeypatch):
    """Random columns drawn from plain fractions and every quirk the general path handles:
    the shortcut for plain fractions must type each exactly as the general path would."""
    import pyarrow as pa

    from segkit.io import parse

    rng = np.random.default_rng(seed)
    plain = [f"{x:.3f}" for x in rng.normal(size=30)]
    quirks = list(rng.choice(_CELLS, size=int(rng.integers(0, 4))))
    cells = plain + [None if q == "None" else q for q in quirks]
    rng.shuffle(cells)
    column = pa.chunked_array([pa.array(cells, type=pa.string())])
    for name in ("reading", "customer_id"):
        fast = parse._infer_column(name, column)
        monkeypatch.setattr(parse, "_plain_fractions", lambda name, col: None)
        general = parse._infer_column(name, column)
        monkeypatch.undo()
        assert (fast.type, str(fast.to_pylist())) == (general.type, str(general.to_pylist())), (cells, name)
    if not quirks:  # the shortcut is taken (and a measurement column named like an id is left to the rules)
        assert parse._plain_fractions("reading", column) is not None
        assert parse._plain_fractions("customer_id", column) is None


_ID_PIECES = st.sampled_from([" ", "\t", "\u00a0", "1", "0", "7", ".", ".0", "+", "-", "C", "é", "N/A", "na", "?",
                              "Unknown", "(blank)", "--", "\u2013", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(_ID_PIECES, max_size=4).map("".join)), max_size=12))
def test_text_ids_read_in_arrow_as_in_pandas(values):
    """Arrow-backed text ids (a log read from Parquet or CSV) take the Arrow path; it must read
    every id (spaces, spellings of no value, placeholders, '17850.0' forms) as the object path does."""
    arrow = normalise_ids(pd.Series(values, dtype="string[pyarrow]"))
    objects = normalise_ids(pd.Series(values, dtype=object))
    assert arrow.dtype == objects.dtype
    assert arrow.tolist() == objects.tolist()


_NUMBER_PIECES = st.sampled_from(["1", "0", "234", ".", ",", "(", ")", "-", "+", "$", "R$", "r$", "€", "%", "'", "EUR",
                                  "usd", "Chf", "x", "é", *map(chr, [0x9, 0xB, 0x1C, 0x20, 0x85, 0xA0, 0x2009, 0x202F,
                                                                     0x3000, 0x200B, 0xFEFF])])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(_NUMBER_PIECES, max_size=6).map("".join)), max_size=12))
def test_number_text_is_cleaned_in_arrow_as_in_python(values):
    """Arrow-backed text takes Arrow's regular expressions (RE2); what they strip (currency marks,
    every kind of space Python's ``\\s`` knows, and no other) must be what Python's strip."""
    arrow = clean_number_text(pd.Series(values, dtype="string[pyarrow]"))
    objects = clean_number_text(pd.Series(values, dtype=object))

    def listed(s):
        return [None if pd.isna(v) else v for v in s.tolist()]

    assert listed(arrow) == listed(objects)


# ------------------------------------------------------------------- zero-padded codes read on first bytes

_CELL_STARTS = st.one_of(st.text(alphabet="+-0123456789. \t\u00a0abe", max_size=6), st.none(),
                   st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:.3f}"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELL_STARTS, max_size=8), min_size=1, max_size=3), st.integers(0, 3))
def test_padded_codes_read_on_first_bytes_agree_with_the_regular_expression(chunks, offset):
    """Cells of every start (signs, zeros, spaces, missing, empty), in several chunks, some
    arrays sliced: the same answer as the regular expression over every cell."""
    from segkit.io.parse import _PADDED_RE, _padded_codes

    arrays = [pa.array(cells, type=pa.string()) for cells in chunks]
    arrays = [a.slice(min(offset, len(a))) for a in arrays]
    col = pa.chunked_array(arrays, type=pa.string())
    expected = bool(len(col)) and bool(pc.any(pc.match_substring_regex(col, _PADDED_RE)).as_py())
    assert _padded_codes(col) == expected
