"""Raw tables to the standardised schemas of ``docs/architecture.md``.

:func:`standardise_transactions` turns a purchase log into one line per order line with
``customer_id``, ``date``, ``amount``, ``quantity``, ``price`` and ``invoice`` (and the channel,
category, country and refunded amount when it has them); :func:`standardise_customers` gives
a customer table its ``customer_id`` and typed role columns; :func:`fill_order_fields` copies
an order's first-line fields to its other lines. Bad values end in a
:class:`~segkit.exceptions.DataError` naming the column, a value and its row.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError, DataError, SegkitWarning, quote
from segkit.io.answers import mask_codes
from segkit.io.content import EMAIL_RE, is_flag, mostly_numbers
from segkit.io.dates import lenient_dates, log_timestamps, looks_like_dates, parse_dates
from segkit.io.detect import roles_for
from segkit.io.exports import RETURN_WORDS, export_profiles, one_per_order, order_lines, return_values
from segkit.io.messages import first_bad, frame_label, listing, plural, row_label
from segkit.io.names import SINGLE_NAME_RULES, is_numeric_demographic
from segkit.io.parse import LARGEST_NUMBER, finite_numbers, has_value, is_text, normalise_ids, role_numbers, to_flag, to_float
from segkit.io.read import SharedRecord
from segkit.io.roles import ColumnRoles, resolve_column
from segkit.schema import ALL_ROLES, NUMBER_KINDS

__all__ = ["fill_order_fields", "no_returns_error", "standardise_customers", "standardise_transactions"]


def standardise_transactions(df: pd.DataFrame, roles: ColumnRoles | Mapping | None = None, *,
                             label: str | None = None, part: bool = False) -> pd.DataFrame:
    """Turn a raw purchase log into the standardised log of ``docs/architecture.md``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per order line, as read by :func:`~segkit.io.read_table`.
    roles : ColumnRoles or mapping, optional
        The roles from :func:`~segkit.io.detect_roles`; a mapping is taken as the config's
        ``columns:`` section; ``None`` detects every role.
    label : str, optional
        Name of the log in messages; default the source label, else ``"transactions"``.
    part : bool
        ``df`` is one chunk of a longer log: a ``returns`` column with no return in it is not an
        error here (the log read in chunks checks the whole log: :func:`no_returns_error`).

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id`` (string, ``17850.0`` -> ``17850``), ``date``
        (``datetime64[ns]``, format inferred from the data; the day with the time of day
        of ``roles.time`` when the log writes them in two columns), ``amount``
        (``quantity * price`` when the log has no amount), ``quantity``, ``price`` (float, NaN when
        absent),
        ``invoice`` (string) and, when the log has them, ``channel``, ``category`` and
        ``country`` (string), and ``refunded`` (float, the amount refunded on the line, 0 when
        none; :func:`segkit.features.clean_transactions` subtracts it). An order's fields
        written on its first line only (``roles.order_fields``) are read as on each of its
        lines (:func:`fill_order_fields`). ``attrs`` keep the source and add ``segkit_roles``.

    Raises
    ------
    ColumnError
        No customer id, no date, or neither an amount nor quantity and price.
    DataError
        Values that are not dates, times of day or numbers, naming column, count, example and row.

    Examples
    --------
    >>> import pandas as pd
    >>> log = pd.DataFrame({"customer_id": ["00001", "00002"], "date": [19970101, 19970112],
    ...                     "number_of_cds": [1, 2], "dollar_value": [11.77, 24.0]})
    >>> standardise_transactions(log)
      customer_id       date  amount  quantity  price invoice
    0       00001 1997-01-01   11.77       1.0    NaN    <NA>
    1       00002 1997-01-12   24.00       2.0    NaN    <NA>
    >>> bad = pd.DataFrame({"CustomerID": [1, 2], "InvoiceDate": ["2011-12-09", "yesterday"], "Sales": [1, 2]})
    >>> standardise_transactions(bad, label="orders.csv")
    Traceback (most recent call last):
    ...
    segkit.exceptions.DataError: orders.csv: column 'InvoiceDate' has 1 value that is not a date (e.g. 'yesterday' at row 2); expected dates like 2011-12-09
    """
    label = frame_label(df, label, "transactions")
    roles = roles_for(df, roles, kind="transactions", label=label)
    _check_columns(df, roles, label)
    _check_log_roles(df, roles, label)
    df = fill_order_fields(df, roles)  # before the status check and the shares read them
    export_profiles.review(df, roles, label)
    absent = pd.Series(np.nan, index=df.index)
    quantity = role_numbers(df, roles.quantity, label=label, absent=absent)
    price = role_numbers(df, roles.price, label=label, absent=absent)
    is_return = _return_lines(df, roles, label, part=part)
    if is_return is not None:  # a return written as a positive line with type 'refund'
        quantity = quantity.mask(is_return, -quantity.abs())
    amount = role_numbers(df, roles.amount, label=label, absent=quantity * price)
    if is_return is not None and roles.amount is not None:
        amount = amount.mask(is_return, -amount.abs())
    out = pd.DataFrame({
        "customer_id": normalise_ids(df[roles.customer_id]),
        "date": log_timestamps(df, roles.date, roles.time, label=label),
        "amount": amount,
        "quantity": quantity,
        "price": price,
        "invoice": (normalise_ids(df[roles.invoice]) if roles.invoice
                    else pd.Series(pd.NA, index=df.index, dtype="string")),
    })
    for role in ("channel", "category", "country"):
        column = getattr(roles, role)
        if column is not None:
            out[role] = df[column].astype("string").str.strip().replace("", pd.NA)
    if roles.refunded is not None:  # netted by the 'refunds' cleaning rule
        out["refunded"] = role_numbers(df, roles.refunded, label=label).abs().fillna(0.0)
    out = out.reset_index(drop=True)
    out.attrs = {**df.attrs, "segkit_roles": SharedRecord(roles.to_dict())}
    if part and is_return is not None:  # the log read in chunks checks that some chunk has a return
        out.attrs["segkit_return_lines"] = int(is_return.sum())
    return out


def _check_log_roles(df: pd.DataFrame, roles: ColumnRoles, label: str) -> None:
    """A ColumnError unless the log has a customer id, a date, and an amount or a quantity and a price."""
    if roles.customer_id is None:
        emails = [c for c in roles.identifiers if is_text(df[c]) and df[c].head(200).dropna().astype(str)
                  .str.match(EMAIL_RE).mean() >= 0.5]
        hint = f"; column {emails[0]!r} holds e-mail addresses, which can be the id" if emails else ""
        orders = [c for c in roles.unused
                  if roles.invoice is not None and SINGLE_NAME_RULES["customer_id"].score(c) > 0
                  and one_per_order(df[c], df[roles.invoice])]
        if orders:
            hint += (f"; column {orders[0]!r} holds one value per order, as {roles.invoice!r} does, so it is "
                     f"not taken as the customer")
        raise ColumnError(
            f"{label}: no customer id column found among {listing(df.columns)}; expected one named like "
            f"customer_id, CustomerID or client_id (or set columns.customer_id{hint})"
        )
    if roles.date is None:
        raise ColumnError(
            f"{label}: no date column found among {listing(df.columns)}; expected one named like date, "
            f"InvoiceDate or order_date, or holding dates (or set columns.date)"
        )
    if roles.amount is None and not (roles.quantity and roles.price):
        raise ColumnError(
            f"{label}: no amount column and no quantity + price columns found among {listing(df.columns)}; "
            f"expected an amount (Sales, revenue, total...) or both quantity and unit price "
            f"(or set columns.amount, or columns.quantity and columns.price)"
        )


def _return_lines(df: pd.DataFrame, roles: ColumnRoles, label: str, *, part: bool = False) -> pd.Series | None:
    """Which lines the log's ``returns`` column marks as returns or refunds (None without one)."""
    if roles.returns is None:
        return None
    words = return_values(df[roles.returns]) or RETURN_WORDS
    values = df[roles.returns].astype("string").str.strip().str.lower()
    is_return = pd.Series(values.isin(words).fillna(False).to_numpy(dtype=bool), index=df.index)
    if not is_return.any() and not part:  # given in the config, but nothing in it reads as a return
        raise no_returns_error(df[roles.returns], roles.returns, label)
    return is_return


def no_returns_error(values: pd.Series, column, label: str) -> DataError:
    """The error for a ``returns`` column (``columns.returns``) in which no value marks a return."""
    seen = sorted(map(str, values.dropna().unique()))[:6]
    return DataError(
        f"{label}: column {column!r} (columns.returns) has no value that marks a return or refund "
        f"(values: {', '.join(map(repr, seen))}); expected words such as 'return', 'refund', "
        "'credit note' or 'storno' on the lines to count as negative revenue"
    )


def fill_order_fields(df: pd.DataFrame, roles: ColumnRoles | Mapping | None = None, *,
                      label: str | None = None) -> pd.DataFrame:
    """A purchase log with each order's first-line fields copied to the order's other lines.

    An orders export (Shopify) writes ``Financial Status``, ``Paid at``, ``Currency`` or
    ``Billing Country`` on the first line of each order and leaves them blank on its other
    lines; filled down, a filter on them (``data.where``) keeps or leaves out whole orders
    and a share taken from them counts every line. Which columns these are is found by
    :func:`~segkit.io.detect_roles` (``ColumnRoles.order_fields``).

    Parameters
    ----------
    df : pandas.DataFrame
        The raw purchase log, as read by :func:`~segkit.io.read_table`.
    roles : ColumnRoles or mapping, optional
        Its roles; a mapping is taken as the config's ``columns:`` section; ``None`` detects them.
    label : str, optional
        Name of the log in messages.

    Returns
    -------
    pandas.DataFrame
        ``df`` itself when it has no such column, else a copy with them filled.

    Examples
    --------
    >>> log = pd.DataFrame({"Name": ["#1001", "#1001", "#1002", "#1002"], "Email": ["a@x.com"] * 2 + ["b@x.com"] * 2,
    ...                     "Financial Status": ["paid", None, "refunded", None],
    ...                     "Created at": ["2024-03-05"] * 2 + ["2024-03-06"] * 2, "Total": [3.0, 4.0, 5.0, 6.0]})
    >>> fill_order_fields(log, {"customer_id": "Email"})["Financial Status"].tolist()
    ['paid', 'paid', 'refunded', 'refunded']
    """
    roles = roles_for(df, roles, kind="transactions", label=frame_label(df, label, "transactions"))
    if not roles.order_fields or roles.invoice is None:
        return df
    _, first, _ = order_lines(df[roles.invoice])
    out = df.copy(deep=False)
    for column in roles.order_fields:
        s = df[column]
        out[column] = s.where(has_value(s), s.iloc[first].set_axis(s.index))
    return out


def standardise_customers(df: pd.DataFrame, roles: ColumnRoles | Mapping | None = None, *,
                          label: str | None = None) -> pd.DataFrame:
    """Give a customer table its ``customer_id`` column and clean, typed role columns.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per customer, as read by :func:`~segkit.io.read_table`.
    roles : ColumnRoles or mapping, optional
        The roles from :func:`~segkit.io.detect_roles`; a mapping is taken as the config's
        ``columns:`` section; ``None`` detects every role.
    label : str, optional
        Name of the table in messages; default the source label, else ``"customers"``.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (pandas string; ``"1".."n"`` when the table has no id column, and
        then ``attrs["segkit_id_generated"]`` is True) followed by every original column
        under its original name; campaign columns and other yes/no columns as ``Int8`` 0/1;
        numeric-by-role columns (behaviour, income, age, birth year, kids...) as numbers,
        unless most of their values are text (age bands such as ``18-24`` stay categories);
        the date column and columns of dates as ``datetime64[ns]``.

    Raises
    ------
    DataError
        Duplicate or missing ids, campaign answers other than 0/1, yes/no, y/n, true/false,
        text in a numeric column (one whose values are mostly numbers), values that are not
        dates in the date column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Income": [58138, None], "Dt_Customer": ["04-09-2012", "21-08-2013"],
    ...                    "Response": ["Yes", "no"]})
    >>> out = standardise_customers(df)
    >>> out
      customer_id   Income Dt_Customer  Response
    0           1  58138.0  2012-09-04         1
    1           2      NaN  2013-08-21         0
    >>> out.attrs["segkit_id_generated"], str(out["Response"].dtype)
    (True, 'Int8')
    """
    label = frame_label(df, label, "customers")
    roles = roles_for(df, roles, kind="customers", label=label)
    _check_columns(df, roles, label)
    out = df.reset_index(drop=True)  # a new frame (copied on write in pandas 3): the input is never changed
    frame = out
    if roles.customer_id is not None:
        ids = normalise_ids(out[roles.customer_id])
        _check_unique_ids(ids, roles.customer_id, label, frame)
        generated = False
    else:
        ids = pd.Series([str(i) for i in range(1, len(out) + 1)], dtype="string")
        generated = True
    if "customer_id" in out.columns and roles.customer_id != "customer_id":
        raise ColumnError(
            f"{label}: has a column 'customer_id' that is not its id column ({roles.customer_id!r}); "
            f"expected 'customer_id' to be the id (rename it or set columns.customer_id: customer_id)"
        )
    fragmented = not roles.columns  # typed column by column below: one frame again at the end
    if roles.columns:
        out = _type_by_kind(out, roles, label)
    else:  # roles built by hand, without calls: typed by their groups and names
        _type_role_columns(out, roles, label)
        if roles.date is not None:
            out[roles.date] = parse_dates(out[roles.date], label=label, column=roles.date, frame=frame)
        for column in out.columns:
            if column in (roles.customer_id, roles.date) or column in roles.identifiers:
                continue
            if is_text(out[column]) and looks_like_dates(out[column]):
                try:
                    out[column] = parse_dates(out[column], label=label, column=column, frame=frame)
                except DataError:
                    pass  # mostly dates is not dates: the column stays text
    _check_finite(out, roles, label, frame)
    out = out.drop(columns="customer_id", errors="ignore")
    id_column = pd.DataFrame({"customer_id": pd.array(ids.to_numpy(), dtype="string")}, index=out.index)
    # one frame again: a wide table typed column by column is in thousands of pieces, and
    # every later step over its columns would pay for that (typed by kind, it is in a few already)
    out = pd.concat([id_column, out], axis=1)
    if fragmented:
        out = out.copy()
    out.attrs = {**df.attrs, "segkit_roles": SharedRecord(roles.to_dict()), "segkit_id_generated": generated}
    return out


#: Kinds whose values are numbers to compute with.
_NUMBERS = frozenset(NUMBER_KINDS)


#: Columns checked together by :func:`_check_finite` (bounds the memory of one block of floats).
_FINITE_BLOCK = 1_000


def _type_by_kind(out: pd.DataFrame, roles: ColumnRoles, label: str) -> pd.DataFrame:
    """``out`` with each column typed as its call says: yes/no answers as 0/1, numbers as numbers,
    dates as dates (an open end such as 9999-12-31 missing); codes, scales, ids and text stay as read.

    A column of dates with a few values that are not dates keeps them missing, with a warning;
    in the table's date column (``roles.date``) they are an error. The typed columns replace
    the read ones in one step: a wide table typed column by column would be split and copied
    once per column.
    """
    typed = {}
    for column, call in roles.columns.items():
        if column not in out.columns or column == roles.customer_id:
            continue
        kind = call.value_kind
        values = mask_codes(out[column], call.missing) if call.missing else out[column]
        if kind == "flag":
            values = to_flag(values, label=label, column=column, frame=out)
        elif kind in _NUMBERS and not pd.api.types.is_numeric_dtype(values):
            values = to_float(values, label=label, column=column, frame=out)
        elif kind == "date":
            values = _dates(values, label=label, column=column, frame=out, strict=column == roles.date)
        elif not call.missing:
            continue  # as read
        typed[column] = values
    if not typed:
        return out
    if not out.columns.is_unique:  # names repeated: column by column, as they are found
        out = out.copy()
        for column, values in typed.items():
            out[column] = values
        return out
    kept = out.drop(columns=list(typed))
    return pd.concat([kept, pd.DataFrame(typed, index=out.index)], axis=1)[out.columns]


def _check_finite(out: pd.DataFrame, roles: ColumnRoles, label: str, frame: pd.DataFrame) -> None:
    """Every number computed with is finite and of a sane size, or the table is refused
    (:func:`~segkit.io.parse.finite_numbers` names the first column at fault, in table order).

    The numbers are checked a block of columns at a time; only a column with a bad value is
    read again on its own, for the message.
    """
    identifiers = set(roles.identifiers)
    dtypes = out.dtypes
    checked = [i for i, column in enumerate(out.columns)
               if column != roles.customer_id and column not in identifiers and pd.api.types.is_numeric_dtype(dtypes.iloc[i])
               and not (column in roles.columns and roles.columns[column].value_kind in ("identifier", "code"))]
    for start in range(0, len(checked), _FINITE_BLOCK):
        block = checked[start:start + _FINITE_BLOCK]
        if all(pd.api.types.is_float_dtype(dtypes.iloc[i]) or pd.api.types.is_bool_dtype(dtypes.iloc[i])
               for i in block):
            numbers = out.iloc[:, block].to_numpy(dtype="float64", na_value=np.nan)
            with np.errstate(invalid="ignore"):
                bad = (np.isinf(numbers) | (np.abs(numbers) > LARGEST_NUMBER)).any(axis=0)
            block = [i for i, b in zip(block, bad, strict=True) if b]
        for i in block:
            finite_numbers(out.iloc[:, i], label=label, column=out.columns[i], frame=frame)


def _dates(values: pd.Series, *, label: str, column, frame: pd.DataFrame, strict: bool) -> pd.Series:
    try:
        return parse_dates(values, label=label, column=column, frame=frame)
    except DataError as err:
        if strict:
            raise
        warnings.warn(f"{err}; they are left missing", SegkitWarning, stacklevel=4)
    return lenient_dates(values)


def _type_role_columns(out: pd.DataFrame, roles: ColumnRoles, label: str) -> None:
    """Campaign answers and other yes/no columns as 0/1, and columns numeric by role as numbers, in place."""
    for column in roles.campaigns:
        out[column] = to_flag(out[column], label=label, column=column, frame=out)
    numeric = [*roles.behaviour, *(c for c in roles.demographics if is_numeric_demographic(c))]
    for column in numeric:
        if pd.api.types.is_numeric_dtype(out[column]):
            continue
        if is_flag(out[column]):
            out[column] = to_flag(out[column], label=label, column=column, frame=out)
        elif mostly_numbers(out[column]):
            out[column] = to_float(out[column], label=label, column=column, frame=out)
        # else text categories named like numbers (age bands '18-24', income bands) stay text
    for group in ("demographics", "geography", "behaviour", "psychographics", "technographics"):
        for column in getattr(roles, group):
            if column not in numeric and is_text(out[column]) and is_flag(out[column]):
                out[column] = to_flag(out[column], label=label, column=column, frame=out)


def _check_unique_ids(ids: pd.Series, column, label: str, frame: pd.DataFrame) -> None:
    missing = ids.isna().to_numpy()
    if missing.any():
        _, row = first_bad(frame, missing, ids)
        n = int(missing.sum())
        raise DataError(
            f"{label}: column {column!r} has {n} missing customer {plural(n, 'id', 'ids')} (e.g. at {row}); "
            f"expected an id on every row of a customer table"
        )
    duplicated = ids.duplicated(keep=False).to_numpy()
    if duplicated.any():
        first = ids[duplicated].iloc[0]
        rows = np.flatnonzero((ids == first).to_numpy())
        n = int(ids.duplicated().sum())
        where = " and ".join(row_label(frame, int(r)).removeprefix("row ") for r in rows[:2])
        raise DataError(
            f"{label}: column {column!r} has {n} duplicate customer {plural(n, 'id', 'ids')} "
            f"(e.g. {quote(first)} at rows {where}); expected one row per customer"
        )


def _check_columns(df: pd.DataFrame, roles: ColumnRoles, label: str) -> None:
    """Every column the roles name must be in the table (roles may come from another table)."""
    for role in ALL_ROLES:
        value = getattr(roles, role)
        for column in value if isinstance(value, list) else [value]:
            if column is not None:
                resolve_column(df, column, f"role {role}", label)
