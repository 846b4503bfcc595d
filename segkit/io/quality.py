"""Data quality before cleaning: missing values, duplicates, impossible values, skipped lines.

:func:`quality_report` summarises a customer table or purchase log as a :class:`DataQuality`
(shown in the report and kept in ``summary.json``); :func:`duplicated_rows` finds repeated
lines fast on long logs.

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({"customer_id": ["1", "1", None], "date": ["2024-01-02"] * 3, "amount": [5.0, 5.0, -2.0]})
>>> q = quality_report(log, label="orders.csv")
>>> q.duplicate_rows, q.missing_ids, q.negative_amounts, q.first_date
(1, 1, 1, '2024-01-02 00:00:00')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from segkit._duckdb import scratch_cursor
from segkit.exceptions import DataError
from segkit.io.dates import log_timestamps, parse_dates, read_dates
from segkit.io.detect import detect_roles
from segkit.io.messages import first_bad, frame_label, plural, show
from segkit.io.names import is_age_name, is_birth_year_name, is_income_name
from segkit.io.parse import has_value, normalise_ids, role_numbers
from segkit.io.roles import ColumnRoles
from segkit.io.standardise import fill_order_fields
from segkit.schema import SINGLE_ROLES

__all__ = ["DataQuality", "combine_quality", "duplicated_rows", "quality_report", "row_hashes"]


#: Columns a check shows one by one in :meth:`DataQuality.to_frame` at most (a wide table's are counted).
MOST_ROWS_SHOWN = 20
#: Of more, the columns shown: those with the largest counts.
_SHOWN_OF_MANY = 10


@dataclass
class DataQuality:
    """What is wrong with a table before cleaning: missing values, duplicates, odd values.

    Fields that do not apply to the kind of table are ``None`` (amount checks for a
    customer table, duplicate ids for a purchase log). ``impossible`` lists one entry per
    rule broken: ``{"column", "problem", "count", "example", "row"}``; ``footer_lines`` the
    spreadsheet 'Total' lines that were skipped when reading (``{"file", "lines", "example", "row"}``);
    ``order_fields`` a purchase log's columns written on each order's first line only, whose
    value was copied to the order's other lines (``{"column", "lines", "invoice"}``; missing
    values are counted after that).

    Examples
    --------
    >>> q = DataQuality(label="x.csv", kind="customers", rows=3, columns=2, missing={"Income": 1})
    >>> q
    DataQuality('x.csv', customers: 3 rows x 2 columns, 1 missing value in 1 column, 0 duplicate rows)
    >>> q.to_dict()["missing"]
    {'Income': 1}
    """

    label: str
    kind: str
    rows: int
    columns: int
    missing: dict[str, int] = field(default_factory=dict)
    duplicate_rows: int = 0
    duplicate_ids: int | None = None
    missing_ids: int | None = None
    negative_amounts: int | None = None
    negative_amount_total: float | None = None
    zero_amounts: int | None = None
    negative_quantities: int | None = None
    first_date: str | None = None
    last_date: str | None = None
    impossible: list[dict] = field(default_factory=list)
    footer_lines: list[dict] = field(default_factory=list)
    order_fields: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-serialisable ``dict`` (ints, floats, strings, lists, dicts); ``footer_lines``
        and ``order_fields`` only when some."""
        plain = _plain(dataclasses.asdict(self))
        for key in ("footer_lines", "order_fields"):
            if not plain[key]:
                del plain[key]
        return plain

    def to_frame(self, *, most: int | None = MOST_ROWS_SHOWN) -> pd.DataFrame:
        """One row per check (``check``, ``column``, ``count``, ``detail``) for display.

        A wide table's checks of more than ``most`` columns (missing values, impossible values)
        show the ten largest and one row counting the others, whose figures are all in
        :meth:`to_dict` (``summary.json``); ``most=None`` shows every column.
        """
        rows = [("rows", "", self.rows, ""), ("columns", "", self.columns, "")]
        missing = [("missing values", str(c), n, f"{n / self.rows:.1%} of rows" if self.rows else "")
                   for c, n in self.missing.items()]
        rows += _fewest(missing, most, "missing values")
        rows.append(("exact duplicate rows", "", self.duplicate_rows, ""))
        if self.duplicate_ids is not None:
            rows.append(("duplicate customer ids", "", self.duplicate_ids, ""))
        if self.missing_ids is not None:
            rows.append(("rows without customer id", "", self.missing_ids, ""))
        if self.negative_amounts is not None:
            rows.append(("negative amounts", "", self.negative_amounts, f"total {self.negative_amount_total:,.2f}"))
            rows.append(("zero amounts", "", self.zero_amounts, ""))
        if self.negative_quantities is not None:
            rows.append(("negative quantities", "", self.negative_quantities, ""))
        if self.first_date is not None:
            rows.append(("date range", "", None, f"{self.first_date} to {self.last_date}"))
        rows += _fewest([(item["problem"], str(item["column"]), item["count"],
                          f"e.g. {show(item['example'])} at {item['row']}") for item in self.impossible],
                        most, "impossible values")
        rows += [("total lines below the data (skipped)", "", item["lines"],
                  f"{item['example']!r} at {item['row']} of {Path(item['file']).name}") for item in self.footer_lines]
        rows += [("filled from the order's first line", str(item["column"]), item["lines"],
                  f"one value per order ({item['invoice']}), written on its first line only")
                 for item in self.order_fields]
        frame = pd.DataFrame(rows, columns=["check", "column", "count", "detail"])
        frame["count"] = frame["count"].astype("Int64")
        return frame

    def __repr__(self) -> str:
        n_missing = sum(self.missing.values())
        parts = [
            f"{self.rows:,} rows x {self.columns} columns",
            f"{n_missing:,} missing {plural(n_missing, 'value', 'values')} in {len(self.missing)} "
            f"{plural(len(self.missing), 'column', 'columns')}",
            f"{self.duplicate_rows:,} duplicate rows",
        ]
        if self.duplicate_ids:
            parts.append(f"{self.duplicate_ids:,} duplicate ids")
        if self.missing_ids:
            parts.append(f"{self.missing_ids:,} rows without id")
        if self.negative_amounts:
            parts.append(f"{self.negative_amounts:,} negative amounts")
        if self.impossible:
            parts.append(f"{sum(i['count'] for i in self.impossible):,} impossible values")
        if self.footer_lines:
            n_footer = sum(i["lines"] for i in self.footer_lines)
            parts.append(f"{n_footer:,} total {plural(n_footer, 'line', 'lines')} skipped")
        if self.order_fields:
            n_fields = len(self.order_fields)
            parts.append(f"{n_fields} order {plural(n_fields, 'field', 'fields')} filled down")
        return f"DataQuality({self.label!r}, {self.kind}: {', '.join(parts)})"


def _plain(value):
    """numpy scalars to Python ones, recursively, so json.dumps accepts the result."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    return value


#: Impossible values in a customer table: (test on the column name, test on the values, problem).
_IMPOSSIBLE_RULES = (
    (is_birth_year_name, lambda v: (v < 1900) | (v > dt.date.today().year), "birth years before 1900 or in the future"),
    (is_age_name, lambda v: (v < 0) | (v > 110), "ages below 0 or above 110"),
    (is_income_name, lambda v: v < 0, "negative incomes"),
)


def quality_report(df: pd.DataFrame, roles: ColumnRoles | None = None, *, label: str | None = None,
                   duplicates: bool = True, ids: pd.Series | None = None) -> DataQuality:
    """Summarise the quality of a customer table or purchase log.

    Parameters
    ----------
    df : pandas.DataFrame
        A raw table with its ``roles``, or a standardised purchase log / customer table.
    roles : ColumnRoles, optional
        The roles (their ``kind`` says which table it is); ``None`` takes a frame with
        ``customer_id``, ``date`` and ``amount`` columns as a standardised log and anything
        else as a customer table whose roles are detected.
    label : str, optional
        Name of the table; default the source label.
    duplicates : bool
        Count the exact duplicate rows (False for a chunk of a long log, whose duplicates are
        counted over the whole log: :func:`combine_quality`).
    ids : Series, optional
        The customer ids as :func:`~segkit.io.parse.normalise_ids` reads them, when the caller
        has them already (a chunk standardised first), so they are not read twice.

    Returns
    -------
    DataQuality
        Rows, columns, missing values per column, exact duplicate rows; for a log: rows
        without customer id, negative and zero amounts (with their total), negative
        quantities, first and last date; for a customer table: duplicate ids and impossible
        values (birth year before 1900 or in the future, age above 110, negative income).

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"ID": [1, 2, 2], "Year_Birth": [1893, 1970, 1970], "Income": [None, 5e4, 5e4]})
    >>> q = quality_report(people, label="people.csv")
    >>> q.duplicate_rows, q.duplicate_ids, q.missing
    (1, 1, {'Income': 1})
    >>> q.impossible[0]["problem"], q.impossible[0]["example"], q.impossible[0]["row"]
    ('birth years before 1900 or in the future', 1893, 'row 1')
    """
    label = frame_label(df, label, "data")
    if roles is None:
        if {"customer_id", "date", "amount"} <= set(df.columns):
            roles = ColumnRoles(kind="transactions", **{r: r for r in SINGLE_ROLES if r in df.columns})
        else:
            roles = detect_roles(df, kind="customers", label=label)
    kind = roles.kind or ("transactions" if roles.amount or roles.invoice or roles.quantity else "customers")
    raw = df
    if kind == "transactions" and roles.order_fields:  # one value per order is not missing on its other lines
        df = fill_order_fields(raw, roles)
    missing = df.isna().sum()
    quality = DataQuality(
        label=label, kind=kind, rows=len(df), columns=df.shape[1],
        missing={str(c): int(n) for c, n in missing.items() if n},
        duplicate_rows=int(duplicated_rows(raw).sum()) if duplicates else 0,
        footer_lines=list((df.attrs.get("segkit_source") or {}).get("footer_lines") or []),
        order_fields=[{"column": str(c), "lines": int((has_value(df[c]) & ~has_value(raw[c])).sum()),
                       "invoice": str(roles.invoice)} for c in roles.order_fields if df is not raw],
    )
    if ids is None and roles.customer_id in df.columns:
        ids = normalise_ids(df[roles.customer_id])
    if kind == "transactions":
        quality.missing_ids = int(ids.isna().sum()) if ids is not None else len(df)
        _log_checks(df, roles, label, quality)
    else:
        quality.duplicate_ids = int(ids.dropna().duplicated().sum()) if ids is not None else 0
        quality.impossible = _impossible_values(df, roles)
    quality.impossible += _open_ended_dates(df, roles, label)
    return quality


def combine_quality(parts: list[DataQuality], *, duplicate_rows: int) -> DataQuality:
    """The quality of a table read in chunks (:func:`segkit.io.read_chunks`), from its chunks' own.

    Counts are summed; each problem keeps the example and row of the first chunk that has it
    (chunks name the table's own rows); the date range spans every chunk. Exact duplicate rows
    can be in different chunks, so their count is given (a log counts them by line hash).

    Examples
    --------
    >>> a = DataQuality(label="x.csv", kind="transactions", rows=2, columns=3, missing={"Sales": 1},
    ...                 negative_amounts=1, negative_amount_total=-2.5, first_date="2024-01-01 00:00:00",
    ...                 last_date="2024-01-03 00:00:00")
    >>> b = DataQuality(label="x.csv", kind="transactions", rows=3, columns=3, missing={"Sales": 2, "Qty": 1},
    ...                 negative_amounts=0, negative_amount_total=0.0, first_date="2023-12-30 00:00:00",
    ...                 last_date="2024-01-02 00:00:00")
    >>> q = combine_quality([a, b], duplicate_rows=1)
    >>> q.rows, q.missing, q.negative_amount_total, q.first_date
    (5, {'Sales': 3, 'Qty': 1}, -2.5, '2023-12-30 00:00:00')
    """
    first = parts[0]
    missing: dict[str, int] = {}
    for part in parts:
        for column, n in part.missing.items():
            missing[column] = missing.get(column, 0) + n
    impossible: dict[tuple, dict] = {}
    for part in parts:
        for item in part.impossible:
            key = (item["column"], item["problem"])
            if key in impossible:
                impossible[key] = {**impossible[key], "count": impossible[key]["count"] + item["count"]}
            else:
                impossible[key] = dict(item)

    def total(name: str):
        values = [getattr(p, name) for p in parts if getattr(p, name) is not None]
        return sum(values) if values else None

    firsts = [p.first_date for p in parts if p.first_date is not None]
    lasts = [p.last_date for p in parts if p.last_date is not None]
    negative_total = total("negative_amount_total")
    return DataQuality(
        label=first.label, kind=first.kind, rows=sum(p.rows for p in parts), columns=first.columns,
        missing=missing, duplicate_rows=int(duplicate_rows), duplicate_ids=total("duplicate_ids"),
        missing_ids=total("missing_ids"), negative_amounts=total("negative_amounts"),
        negative_amount_total=round(negative_total, 2) if negative_total is not None else None,
        zero_amounts=total("zero_amounts"), negative_quantities=total("negative_quantities"),
        first_date=min(firsts) if firsts else None, last_date=max(lasts) if lasts else None,
        impossible=list(impossible.values()), footer_lines=first.footer_lines,
        order_fields=[item for p in parts for item in p.order_fields],
    )


def _open_ended_dates(df: pd.DataFrame, roles: ColumnRoles, label: str) -> list[dict]:
    """Dates beyond what pandas holds (``9999-12-31`` for no end, ``0001-01-01``): read as missing, counted here."""
    found = []
    for column, call in roles.columns.items():
        if call.value_kind != "date" or column not in df.columns or pd.api.types.is_numeric_dtype(df[column]):
            continue
        try:
            _, beyond = read_dates(df[column], label=label, column=column, frame=df)
        except DataError:
            continue  # reported when the table is standardised
        if beyond.any():
            found.append(_problem(df, column, beyond, "open-ended dates (beyond what pandas holds), read as missing"))
    return found


def _log_checks(df: pd.DataFrame, roles: ColumnRoles, label: str, quality: DataQuality) -> None:
    """A purchase log's checks: negative and zero amounts, negative quantities and prices, its dates."""
    quantity = role_numbers(df, roles.quantity, label=label)
    price = role_numbers(df, roles.price, label=label)
    both = quantity * price if quantity is not None and price is not None else None
    amount = role_numbers(df, roles.amount, label=label, absent=both)
    if amount is not None:
        negative = amount < 0
        quality.negative_amounts = int(negative.sum())
        quality.negative_amount_total = round(float(amount[negative].sum()), 2)
        quality.zero_amounts = int((amount == 0).sum())
    if quantity is not None:
        quality.negative_quantities = int((quantity < 0).sum())
    if price is not None and (price < 0).any():
        quality.impossible.append(_problem(df, roles.price, (price < 0).to_numpy(), "negative prices"))
    if roles.date in df.columns:
        dates = df[roles.date]
        if roles.time in df.columns:
            dates = log_timestamps(df, roles.date, roles.time, label=label)
        else:
            dates = parse_dates(dates, label=label, column=roles.date, frame=df)
        if dates.notna().any():
            quality.first_date, quality.last_date = str(dates.min()), str(dates.max())


def _impossible_values(df: pd.DataFrame, roles: ColumnRoles) -> list[dict]:
    columns = roles.demographics or list(df.columns)
    found = []
    for column in columns:
        s = df[column]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        for name_test, value_test, problem in _IMPOSSIBLE_RULES:
            if name_test(column):
                bad = value_test(s).fillna(False).to_numpy(dtype=bool)
                if bad.any():
                    found.append(_problem(df, column, bad, problem))
    return found


def _problem(df: pd.DataFrame, column, mask: np.ndarray, problem: str) -> dict:
    value, row = first_bad(df, mask, df[column])
    return {"column": str(column), "problem": problem, "count": int(mask.sum()), "example": _plain(value), "row": row}


def _fewest(rows: list[tuple], most: int | None, what: str) -> list[tuple]:
    """``rows`` (check, column, count, detail), or the ten of the largest count and one row
    counting the others when there are more than ``most``."""
    if most is None or len(rows) <= most:
        return rows
    shown = sorted(range(len(rows)), key=lambda i: (-rows[i][2], i))[:_SHOWN_OF_MANY]
    kept = set(shown)
    rest = [row for i, row in enumerate(rows) if i not in kept]
    return [*(rows[i] for i in sorted(shown)),
            (what, f"... {len(rest):,} more columns", sum(row[2] for row in rest),
             "every column's count is in summary.json (data_quality) and segkit inspect")]


def duplicated_rows(df: pd.DataFrame, keep: str | bool = "first", *, key: str | None = None,
                    among: np.ndarray | None = None) -> np.ndarray:
    """``df.duplicated(keep=keep)`` as a boolean array, exactly, but fast on long tables.

    pandas factorises every column to find repeated lines (15 s for a 10M-line log). Here
    each line is hashed first (:func:`row_hashes`), and only lines whose hash is shared are
    compared in full by pandas, so the answer is pandas' own; short tables go to pandas
    directly. A wide table is first searched on its first columns only: lines not repeated
    there are repeated nowhere, and only the others are compared on every column.
    ``key``: a column of ``df`` that equal lines share already (a hash of each raw
    line), used as the hash. ``among``: a boolean mask of the lines looked at (the others are
    neither copies nor originals), so a caller need not cut the table first.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 1, 1], "b": ["x", "y", "x", None]})
    >>> duplicated_rows(df).tolist(), duplicated_rows(df, keep=False).tolist()
    ([False, False, True, False], [True, False, True, False])
    """
    if among is not None and not among.all():
        rows, out = np.flatnonzero(among), np.zeros(len(df), dtype=bool)
        if key is not None:  # only lines sharing a hash among those looked at are cut out and compared
            shared = rows[pd.Series(df[key].to_numpy()[rows]).duplicated(keep=False).to_numpy()]
            if len(shared):
                out[shared] = df.iloc[shared].duplicated(keep=keep).to_numpy()
        elif len(rows):
            out[rows] = duplicated_rows(df.iloc[rows], keep)
        return out
    if key is None and df.shape[1] > _FIRST_COLUMNS and len(df) > 1:
        # two equal lines are equal on their first columns too: a wide table compares in full only
        # the lines repeated there (a group of equal lines is all among them, in table order)
        candidates = duplicated_rows(df.iloc[:, :_FIRST_COLUMNS], keep=False)
        if not candidates.all():
            out = np.zeros(len(df), dtype=bool)
            if candidates.any():
                out[candidates] = duplicated_rows(df[candidates], keep=keep)
            return out
    hashes = None
    if len(df) >= _HASHED_DUPLICATES_FROM and df.shape[1]:
        hashes = df[key].to_numpy() if key is not None else row_hashes(df)
    if hashes is None:
        return df.duplicated(keep=keep).to_numpy()
    shared = pd.Series(hashes).duplicated(keep=False).to_numpy()
    out = np.zeros(len(df), dtype=bool)
    if shared.any():
        out[shared] = df[shared].duplicated(keep=keep).to_numpy()
    return out


def row_hashes(df: pd.DataFrame) -> np.ndarray | None:
    """A 64-bit hash of each row, computed by DuckDB (six times faster than pandas' hashing).

    Rows that pandas calls equal get equal hashes (missing values hash alike, and -0.0 as
    0.0); different rows almost surely get different ones. ``None`` when DuckDB cannot read
    a column (Python objects of mixed types).

    Examples
    --------
    >>> h = row_hashes(pd.DataFrame({"a": [1.0, -0.0, 1.0, 0.0], "b": ["x", None, "x", None]}))
    >>> bool(h[0] == h[2]), bool(h[1] == h[3]), bool(h[0] == h[1])
    (True, True, False)
    """
    import duckdb  # not at the top: DuckDB is slow to import, and reading a table never needs it

    frame = df.set_axis([f"c{i}" for i in range(df.shape[1])], axis=1)
    # -0.0 and 0.0 are one value to pandas but hash apart: adding 0.0 makes every zero +0.0.
    parts = [f"c{i} + 0.0" if pd.api.types.is_float_dtype(t) else f"c{i}" for i, t in enumerate(df.dtypes)]
    try:
        con = scratch_cursor()
        try:
            con.register("frame", frame)
            return con.sql(f"SELECT hash({', '.join(parts)}) AS h FROM frame").fetchnumpy()["h"]
        finally:
            con.close()
    except duckdb.Error:
        return None


#: A table with more columns than this has its duplicate lines looked for on these first (see duplicated_rows).
_FIRST_COLUMNS = 20
#: Tables at least this long have their duplicate lines found by hashing (see duplicated_rows).
_HASHED_DUPLICATES_FROM = 200_000
