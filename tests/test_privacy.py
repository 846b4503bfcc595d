"""Tests for segkit.privacy: identifiers, small cells, pseudonyms."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ColumnError, ConfigError, SegkitWarning
from segkit.privacy import drop_identifiers, find_identifier_columns, pseudonymise, suppress_small_cells


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
