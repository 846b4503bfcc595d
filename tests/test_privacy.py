"""Tests for segkit.privacy: identifiers, small cells, pseudonyms."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning
from segkit.privacy import (
    complementary_suppression,
    drop_identifiers,
    find_identifier_columns,
    pseudonymise,
    suppress_small_cells,
)


@pytest.mark.parametrize(
    "column",
    ["email", "E-mail Address", "phone", "Mobile", "first_name", "LastName", "Surname", "Name", "customer_name",
     "address", "Street", "Postcode", "ssn", "ip_address", "IP", "date_of_birth", "credit_card_number"],
)
def test_identifier_names_are_found(column):
    df = pd.DataFrame({column: ["x", "y"], "Income": [1.0, 2.0]})
    assert find_identifier_columns(df) == [column]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["ann@example.com", "bob.lee+x@mail.co.uk", "c@d.org"], "email"),
        (["+44 20 7946 0958", "(555) 123-4567", "555-987-6543"], "phone"),
        (["192.168.0.1", "10.0.0.255", "8.8.8.8"], "ip"),
        (["123-45-6789", "987-65-4321", "111-22-3333"], "ssn"),
    ],
    ids=["email", "phone", "ip", "ssn"],
)
def test_identifier_contents_are_found(values, kind):
    df = pd.DataFrame({"contact_info": values, "Education": ["PhD", "Basic", "Master"]})
    assert find_identifier_columns(df) == ["contact_info"]


def test_ordinary_columns_are_not_identifiers(shared_data):
    df = pd.read_csv(shared_data / "marketing_campaign" / "marketing_campaign.csv", sep="\t")
    # Dt_Customer holds dates like 04-09-2012, which must not pass for phone numbers.
    assert find_identifier_columns(df) == []


def test_drop_identifiers_warns_and_keeps_index():
    df = pd.DataFrame({"email": ["a@x.com", "b@y.org"], "Income": [1, 2]},
                      index=pd.Index(["1", "2"], name="customer_id"))
    with pytest.warns(SegkitWarning, match="email"):
        out = drop_identifiers(df)
    assert list(out.columns) == ["Income"]
    assert out.index.name == "customer_id"
    with pytest.raises(ColumnError, match="nope"):
        drop_identifiers(df, columns=["nope"])


def test_suppress_small_cells_blanks_numbers_and_flags():
    table = pd.DataFrame({"segment": [0, 1, 2], "name": ["A", "B", "C"], "size": [50, 9, 10],
                          "mean_income": [1.0, 2.0, 3.0]})
    out = suppress_small_cells(table, min_cell_size=10)
    assert out["suppressed"].tolist() == [False, True, False]
    assert np.isnan(out.loc[1, "size"]) and np.isnan(out.loc[1, "mean_income"])
    assert out.loc[1, "name"] == "B" and out.loc[1, "segment"] == 1  # labels stay readable
    assert out.loc[2, "size"] == 10  # exactly the minimum is shown
    assert table["size"].tolist() == [50, 9, 10]  # input untouched


def test_suppress_small_cells_keeps_earlier_flags_and_validates():
    table = pd.DataFrame({"size": [100, 100], "x": [1.0, 2.0], "suppressed": [False, True]})
    out = suppress_small_cells(table, min_cell_size=10)
    assert out["suppressed"].tolist() == [False, True]
    assert np.isnan(out.loc[1, "x"])
    with pytest.raises(ConfigError, match="min_cell_size"):
        suppress_small_cells(table, min_cell_size=-1)
    with pytest.raises(ColumnError, match="count"):
        suppress_small_cells(table, count_col="count")


def _cells(mask: pd.DataFrame) -> set:
    return {(row, col) for row, col in mask.stack()[lambda m: m].index}


def test_complementary_suppression_closes_a_rectangle():
    """Segment 0 x C (3 < 10) is hidden; with row and column totals public, so must be three more cells.

    Row 0 hides its smallest other cell (D: 30). Column C then hides its smallest cell still
    shown (segment 1: 25), and column D likewise (segment 1: 15). Rows 0 and 1 and columns
    C and D now each hide two cells: the 3 can only be bounded, not computed.
    """
    counts = pd.DataFrame({"A": [50, 60, 45], "B": [40, 20, 35], "C": [3, 25, 30], "D": [30, 15, 40]})
    primary = counts < 10
    extra = complementary_suppression(counts, primary)
    assert _cells(extra) == {(0, "D"), (1, "C"), (1, "D")}
    assert list(extra.index) == [0, 1, 2] and list(extra.columns) == ["A", "B", "C", "D"]
    assert counts.loc[0, "C"] == 3 and not primary.loc[0, "D"]  # inputs untouched


def test_complementary_suppression_of_a_small_segment_row():
    """A whole row hidden (a segment below the minimum): each column gives it away until protected.

    Columns X, Y, Z hide their smallest other cell (25, 15, 10); row 0, left with one
    hidden cell (Z), hides its smaller remaining one (Y: 20). Ties go to the first cell.
    """
    counts = pd.DataFrame({"X": [30, 25, 2], "Y": [20, 15, 2], "Z": [10, 20, 1]}, index=[0, 1, 2])
    primary = pd.DataFrame(False, index=counts.index, columns=counts.columns)
    primary.loc[2] = True
    assert _cells(complementary_suppression(counts, primary)) == {(1, "X"), (1, "Y"), (0, "Z"), (0, "Y")}
    ties = pd.DataFrame({"X": [12, 12, 1], "Y": [40, 40, 40]})
    assert _cells(complementary_suppression(ties, ties < 10)) == {(0, "X"), (2, "Y"), (0, "Y")}


def test_a_few_missing_values_per_segment_do_not_hide_the_breakdown():
    """Gender with a handful of missing values in most segments (the demo's): the complements
    all fall in one column, so every segment keeps one level shown. Taking the smallest cell
    per row instead had hidden both levels of three segments."""
    counts = pd.DataFrame({"(missing)": [2, 5, 3, 4, 13], "F": [214, 169, 323, 378, 537], "M": [184, 209, 200, 232, 527]})
    small = (counts > 0) & (counts < 10)
    hidden = small | complementary_suppression(counts, small)
    assert hidden["M"].tolist() == [True, True, True, True, False]
    assert not hidden["F"].any()


def test_complementary_suppression_leaves_safe_tables_alone():
    counts = pd.DataFrame({"A": [50, 60], "B": [40, 20]})
    assert not complementary_suppression(counts, counts < 10).to_numpy().any()
    one_level = pd.DataFrame({"only": [3, 40]})  # a hidden cell alone in its row: nothing left to hide there
    assert _cells(complementary_suppression(one_level, one_level < 10)) == {(1, "only")}
    with pytest.raises(DataError, match="same shape"):
        complementary_suppression(counts, np.zeros((3, 2), dtype=bool))


def test_complementary_suppression_leaves_no_line_with_one_hidden_cell(rng):
    for _ in range(200):
        counts = pd.DataFrame(rng.integers(0, 40, size=rng.integers(1, 6, size=2)))
        primary = counts < 10
        extra = complementary_suppression(counts, primary)
        hidden = (primary | extra).to_numpy()
        assert not (extra & primary).to_numpy().any()
        for lines in (hidden, hidden.T):
            assert all(line.sum() != 1 or line.size == 1 for line in lines)


def test_pseudonymise_is_keyed_hmac_and_deterministic():
    ids = pd.Series(["17850", "13047", "17850"], index=[10, 11, 12], name="customer_id")
    first = pseudonymise(ids, key="secret-key-1")
    again = pseudonymise(ids, key="secret-key-1")
    other = pseudonymise(ids, key="secret-key-2")
    expected = hmac.new(b"secret-key-1", b"17850", hashlib.sha256).hexdigest()[:16]
    assert first.iloc[0] == expected
    assert first.equals(again)
    assert first.iloc[0] == first.iloc[2] and first.iloc[0] != first.iloc[1]
    assert (first != other).all()
    assert list(first.index) == [10, 11, 12] and str(first.dtype) == "string"
    assert first.iloc[0] != hashlib.sha256(b"17850").hexdigest()[:16]  # not a plain, recomputable hash


def test_pseudonymise_normalises_float_ids_and_keeps_missing():
    out = pseudonymise([17850.0, 17850, "17850", None], key="secret-key-1", length=32)
    assert out.iloc[0] == out.iloc[1] == out.iloc[2]
    assert len(out.iloc[0]) == 32
    assert pd.isna(out.iloc[3])


@pytest.mark.parametrize("key", [None, "", "short"], ids=["none", "empty", "short"])
def test_pseudonymise_requires_a_real_key(key):
    with pytest.raises(ConfigError, match="key"):
        pseudonymise(["1"], key=key)


def test_pseudonymise_has_no_default_key():
    with pytest.raises(TypeError):
        pseudonymise(["1"])  # type: ignore[call-arg]
