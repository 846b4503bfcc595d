"""Privacy: identifier detection, small-cell suppression and pseudonymised ids.

Every table that leaves segkit for a report goes through :func:`suppress_small_cells`,
so that no figure describes fewer than ``min_cell_size`` customers (default 10).
Breakdowns whose totals are shown (segment x category level counts) also go through
:func:`complementary_suppression`, so that a hidden cell cannot be worked out by
subtracting the cells still shown from a total.
Personal identifiers (emails, phone numbers, names, addresses, national ids, IP
addresses) are found by :func:`find_identifier_columns` from column names and contents,
and dropped before profiling by :func:`drop_identifiers`. Exports can carry keyed,
irreversible ids made by :func:`pseudonymise` (HMAC-SHA256).

Examples
--------
>>> import pandas as pd
>>> from segkit.privacy import find_identifier_columns
>>> df = pd.DataFrame({"Email": ["a@x.com"], "Income": [50000], "contact": ["+44 20 7946 0958"]})
>>> find_identifier_columns(df)
['Email', 'contact']
"""

from __future__ import annotations

import hashlib
import hmac
import re
import warnings

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning, quote, user_stacklevel

__all__ = [
    "DEFAULT_MIN_CELL_SIZE",
    "find_identifier_columns",
    "drop_identifiers",
    "suppress_small_cells",
    "complementary_suppression",
    "suppress_count_table",
    "pseudonymise",
]

DEFAULT_MIN_CELL_SIZE = 10

# Column-name patterns, matched on the name lower-cased with separators removed
# ("First Name" -> "firstname"). Kept as data so that they are easy to extend.
IDENTIFIER_NAME_PATTERNS: dict[str, str] = {
    "email": r"e?mail(address)?$|^email",
    "phone": r"phone|mobile|^tel(ephone)?(number|no)?$|^cell(phone)?$|^fax$",
    "name": r"^(full|first|last|given|family|middle|sur|customer|client|contact|user)?name$|^surname$|^forename$",
    "address": r"address|^street|^addr(ess)?\d*$|^postcode$|^zip(code)?$|^postalcode$",
    "national id": r"^ssn$|socialsecurity|^nin(o)?$|nationalid|passport|taxid|^nif$|^dni$",
    "ip address": r"^ip$|^ipaddress$|^ipv[46]$",
    "card": r"creditcard|cardnumber|^iban$|accountnumber",
    "birth date": r"^(date)?ofbirth$|^dob$|^birthdate$|^dateofbirth$",
}

# Content patterns: a text column is an identifier when most of its values match one.
IDENTIFIER_VALUE_PATTERNS: dict[str, str] = {
    "email": r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$",
    "phone": r"^\+?[\d\s().-]{7,20}$",
    "ip address": r"^(\d{1,3}\.){3}\d{1,3}$",
    "ssn": r"^\d{3}-\d{2}-\d{4}$",
}


def _normalise_name(name) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _looks_like_phone(values: pd.Series) -> pd.Series:
    # A phone number has separators or a leading + and at least 7 digits; a plain run of
    # digits is more likely an id or an amount, which are not personal identifiers.
    text = values.str.strip()
    digits = text.str.count(r"\d")
    shaped = text.str.match(IDENTIFIER_VALUE_PATTERNS["phone"]) & text.str.contains(r"[\s().+-]")
    # Dates such as 04-09-2012 have the same shape; real numbers have 9+ digits.
    date_like = text.str.match(r"^\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}$")
    return shaped & digits.between(9, 15) & ~date_like


def find_identifier_columns(df: pd.DataFrame, *, sample: int = 1000, threshold: float = 0.8) -> list[str]:
    """Columns that look like personal identifiers, by name or by content.

    Names matched: email, phone/mobile, name / first name / last name / surname, address,
    street, postcode, SSN and national ids, IP address, card and account numbers, date of
    birth. Contents matched (on up to ``sample`` non-missing text values, when at least
    ``threshold`` of them match): email addresses, phone numbers, IPv4 addresses, SSNs.
    The customer id itself is not listed: it is the key of every table and is
    pseudonymised on export rather than dropped.

    Parameters
    ----------
    df : DataFrame
    sample : int
        Number of values inspected per text column.
    threshold : float
        Share of inspected values that must look like an identifier.

    Returns
    -------
    list of str
        In the column order of ``df``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"First Name": ["Ann"], "last_name": ["Lee"], "Kidhome": [1],
    ...                    "ip": ["10.0.0.1"], "Education": ["PhD"]})
    >>> find_identifier_columns(df)
    ['First Name', 'last_name', 'ip']
    """
    found = []
    for column in df.columns:
        name = _normalise_name(column)
        if any(re.search(p, name) for p in IDENTIFIER_NAME_PATTERNS.values()):
            found.append(column)
            continue
        series = df[column]
        if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
            continue
        values = series.dropna()
        values = values[values.map(lambda v: isinstance(v, str))].astype("string").head(sample)
        if values.empty:
            continue
        text = values.str.strip()
        hits = [
            text.str.match(IDENTIFIER_VALUE_PATTERNS["email"]),
            _looks_like_phone(values),
            text.str.match(IDENTIFIER_VALUE_PATTERNS["ip address"]),
            text.str.match(IDENTIFIER_VALUE_PATTERNS["ssn"]),
        ]
        if any(float(h.fillna(False).mean()) >= threshold for h in hits):
            found.append(column)
    return found


def drop_identifiers(df: pd.DataFrame, *, columns: list[str] | None = None, warn: bool = True) -> pd.DataFrame:
    """Return ``df`` without identifier columns.

    Parameters
    ----------
    df : DataFrame
    columns : list of str, optional
        Columns to drop; default :func:`find_identifier_columns`.
    warn : bool
        Emit a :class:`~segkit.exceptions.SegkitWarning` naming the dropped columns.

    Returns
    -------
    DataFrame
        A new frame; the index (e.g. ``customer_id``) is kept.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"email": ["a@x.com", "b@y.org"], "Income": [1, 2]})
    >>> list(drop_identifiers(df, warn=False).columns)
    ['Income']
    """
    to_drop = find_identifier_columns(df) if columns is None else list(columns)
    missing = [c for c in to_drop if c not in df.columns]
    if missing:
        raise ColumnError(f"drop_identifiers: column {missing[0]!r} not found; available: {list(df.columns)}")
    if to_drop and warn:
        warnings.warn(f"identifier columns kept out of the analysis: {to_drop}", SegkitWarning,
                      stacklevel=user_stacklevel())
    return df.drop(columns=to_drop)


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    count_col: str | pd.Series = "size",
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
    columns: list[str] | None = None,
    flag_col: str = "suppressed",
) -> pd.DataFrame:
    """Blank out the rows of a table that describe fewer than ``min_cell_size`` customers.

    In the suppressed rows, the numeric ``columns`` (default: every numeric column,
    including ``count_col`` itself) become NaN, and a boolean ``flag_col`` marks them; text
    columns such as a segment name are kept so that the reader knows what was hidden.
    Already suppressed rows (``flag_col`` True) stay suppressed.

    Parameters
    ----------
    table : DataFrame
    count_col : str or Series
        Column (or aligned Series) with the number of customers each row describes.
    min_cell_size : int
        Rows with a count below this are suppressed; 0 or 1 disables suppression.
    columns : list of str, optional
        Columns to blank out.
    flag_col : str
        Name of the boolean flag column added (or updated).

    Returns
    -------
    DataFrame
        A copy; integer columns that receive NaN become float.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"segment": [0, 1], "size": [120, 4], "mean_income": [52.0, 90.0]})
    >>> suppress_small_cells(t, min_cell_size=10)
       segment   size  mean_income  suppressed
    0        0  120.0         52.0       False
    1        1    NaN          NaN        True
    """
    if not isinstance(min_cell_size, (int, np.integer)) or min_cell_size < 0:
        raise ConfigError(f"privacy.min_cell_size must be an integer >= 0, got {quote(min_cell_size)}")
    out = table.copy()
    if isinstance(count_col, pd.Series):
        counts = count_col.reindex(out.index)
        count_name = None
    else:
        if count_col not in out.columns:
            raise ColumnError(f"suppress_small_cells: count column {count_col!r} not found; "
                              f"available columns: {list(out.columns)}")
        counts = out[count_col]
        count_name = count_col
    counts = pd.to_numeric(counts, errors="coerce")
    small = (counts < min_cell_size).fillna(False).to_numpy(dtype=bool)
    if flag_col in out.columns:
        small = small | out[flag_col].fillna(False).to_numpy(dtype=bool)
    if columns is None:
        columns = [
            c for c in out.columns
            if c != flag_col and pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])
            and (c != "segment")
        ]
        if count_name is not None and count_name not in columns:
            columns.append(count_name)
    if small.any():
        for column in columns:
            if column not in out.columns:
                raise ColumnError(f"suppress_small_cells: column {column!r} not found")
            if pd.api.types.is_integer_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
                out[column] = out[column].astype("float64")
            out.loc[small, column] = np.nan
    out[flag_col] = small
    return out


def suppress_count_table(counts: pd.DataFrame, min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """A two-way count table ready to show: small cells and their complements hidden.

    Cells with 1 to ``min_cell_size - 1`` customers, and the cells
    :func:`complementary_suppression` picks so that those cannot be recovered from the
    row and column totals, are all replaced by the same text, ``"hidden"`` (so the table
    does not tell which were small). Empty cells (0) are shown: they describe nobody.
    With ``min_cell_size`` 0 or 1 the table is returned unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"A": [50, 60], "B": [40, 3], "C": [30, 25], "D": [0, 7]}, index=["x", "y"])
    >>> suppress_count_table(counts, 10)
        A       B   C       D
    x  50  hidden  30  hidden
    y  60  hidden  25  hidden
    """
    if min_cell_size <= 1:
        return counts
    small = (counts > 0) & (counts < min_cell_size)
    hidden = small | complementary_suppression(counts, small)
    return counts.astype(object).mask(hidden, "hidden")


def complementary_suppression(counts: pd.DataFrame, suppressed: pd.DataFrame | np.ndarray) -> pd.DataFrame:
    """Cells to hide as well, so that the suppressed cells of a table cannot be recovered.

    ``counts`` is a two-way table whose row and column totals are public (segment x
    category level: the totals are the segment sizes and the level counts of the whole
    base). A row or column with exactly one suppressed cell gives that cell away:
    total minus the cells shown. The rule, applied until nothing changes:

    1. every row with exactly one suppressed cell, in table order, also loses one cell still
       shown: the smallest in a column that has exactly one suppressed cell (protecting that
       column too), else the smallest (ties: the first in table order);
    2. then every column with exactly one suppressed cell, likewise (rows for columns).

    Protecting a row and a column with one cell keeps a few small cells from cascading over
    the table (a handful of missing values per segment used to hide most of a two-level
    breakdown, both levels of the largest segments included).

    When it stops, each row and column has no suppressed cell or at least two (or has
    no cell left to hide, e.g. a one-level table).

    Parameters
    ----------
    counts : DataFrame
        Non-negative counts, e.g. ``pd.crosstab(segment, level)``.
    suppressed : DataFrame or array of bool
        The cells already suppressed (primary suppression), aligned with ``counts``.

    Returns
    -------
    DataFrame of bool
        Like ``counts``: True for the *additional* cells to suppress (cells already in
        ``suppressed`` are False).

    Examples
    --------
    Segment 0 has 3 customers at level C (< 10): primary suppression hides that cell.
    Row 0 then hides its smallest other cell (D, 30), and columns C and D each hide
    their smallest cell still shown (segment 1), which leaves two hidden cells in every
    line.

    >>> import pandas as pd
    >>> counts = pd.DataFrame({"A": [50, 60, 45], "B": [40, 20, 35], "C": [3, 25, 30], "D": [30, 15, 40]})
    >>> complementary_suppression(counts, counts < 10)
           A      B      C      D
    0  False  False  False   True
    1  False  False   True   True
    2  False  False  False  False
    """
    values = np.asarray(counts, dtype="float64")
    hidden = np.asarray(suppressed, dtype=bool).copy()
    if values.ndim != 2 or hidden.shape != values.shape:
        raise DataError(f"complementary_suppression: counts {values.shape} and suppressed {hidden.shape} "
                        "must be two-way tables of the same shape")
    primary = hidden.copy()

    def protect(line_values: np.ndarray, line_hidden: np.ndarray, crossing_hidden: np.ndarray) -> int | None:
        # Position of the cell to hide in a line that gives one hidden cell away, else None.
        # Preferred: the smallest cell whose crossing line (its column, for a row) has exactly
        # one hidden cell, which this protects as well; else the smallest cell.
        if line_hidden.sum() != 1 or line_hidden.all():
            return None
        rank = np.where(crossing_hidden == 1, 0, 1)
        keys = np.where(line_hidden, np.inf, rank * (values.max() + 1.0) + line_values)
        return int(np.argmin(keys))

    changed = True
    while changed:
        changed = False
        for i in range(values.shape[0]):
            j = protect(values[i], hidden[i], hidden.sum(axis=0))
            if j is not None:
                hidden[i, j] = changed = True
        for j in range(values.shape[1]):
            i = protect(values[:, j], hidden[:, j], hidden.sum(axis=1))
            if i is not None:
                hidden[i, j] = changed = True
    return pd.DataFrame(hidden & ~primary, index=counts.index, columns=counts.columns)


def pseudonymise(ids, *, key: str | bytes, length: int = 16) -> pd.Series:
    """Keyed pseudonyms for customer ids: HMAC-SHA256, hex, truncated to ``length``.

    The same id and key always give the same pseudonym, so exports of different runs can
    be joined; without the key the ids cannot be recovered or recomputed (unlike a plain
    hash, which anyone can recompute from a list of candidate ids). There is no default
    key on purpose: keep yours out of the report and the repository.

    Parameters
    ----------
    ids : array-like or Series
        Customer ids; converted to text (``17850`` and ``"17850"`` give the same pseudonym).
    key : str or bytes
        Secret key, at least 8 characters.
    length : int
        Hex characters kept, 8 to 64 (16 = 64 bits: collisions are negligible below
        hundreds of millions of customers).

    Returns
    -------
    Series
        Pseudonyms (pandas ``string``), with the input's index when a Series was given;
        missing ids stay missing.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pseudonymise(pd.Series(["17850", "13047"]), key="team-secret-2026")
    >>> p.str.len().tolist(), p.iloc[0] == pseudonymise(["17850"], key="team-secret-2026").iloc[0]
    ([16, 16], True)
    """
    if key is None or (isinstance(key, (str, bytes)) and len(key) == 0):
        raise ConfigError("pseudonymise needs a secret key (privacy.pseudonymise_key); there is no default key")
    if not isinstance(key, (str, bytes)):
        raise ConfigError(f"pseudonymise: key must be text or bytes, got {type(key).__name__}")
    if len(key) < 8:
        raise ConfigError("pseudonymise: key must be at least 8 characters long")
    if not 8 <= int(length) <= 64:
        raise DataError(f"pseudonymise: length must be between 8 and 64 hex characters, got {quote(length)}")
    key_bytes = key.encode("utf-8") if isinstance(key, str) else key
    series = ids if isinstance(ids, pd.Series) else pd.Series(list(ids) if not np.isscalar(ids) else [ids])

    def one(value) -> object:
        if pd.isna(value):
            return pd.NA
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        digest = hmac.new(key_bytes, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
        return digest[: int(length)]

    return pd.Series([one(v) for v in series], index=series.index, dtype="string", name=series.name)
