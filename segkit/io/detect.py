"""Which column plays which role: the search :func:`detect_roles` runs, step by step.

The steps read and extend one :class:`~segkit.io.roles.RoleSearch`: the roles the config
gives; personal data; each single role by name (content deciding between candidates), then by
content; for a purchase log, the vendor export profiles (:mod:`segkit.io.exports`) and the one
number left as the amount; for a customer table, the groups by name and content, the
constants and the behaviour left over.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import pandas as pd

from segkit.exceptions import ConfigError, InputError
from segkit.io.content import (
    holds_numbers,
    is_attitude_scale,
    is_category,
    is_gender,
    is_identifier,
    is_row_number,
    mostly_filled,
    mostly_flags,
    not_times_of_day,
    numbers_and_placeholders,
)
from segkit.io.dates import looks_like_dates
from segkit.io.exports import export_profiles
from segkit.io.messages import frame_label
from segkit.io.names import GROUP_NAME_RULES, SINGLE_NAME_RULES, NameRule, is_id_name
from segkit.io.parse import is_number
from segkit.io.roles import ColumnRoles, RoleSearch, resolve_column
from segkit.schema import ALL_ROLES, GROUP_ROLES, LOG_ROLES, SINGLE_ROLES

__all__ = ["detect_roles", "roles_for"]

#: The single roles of a customer table (its amounts, quantities and invoices are the log's).
_CUSTOMER_SINGLE = ("customer_id", "date", "channel", "category", "country")
#: The groups of a purchase log.
_TRANSACTION_GROUPS = ("identifiers",)
#: What a purchase-log column found by name must hold to take a role.
_LOG_CONTENT = {"amount": holds_numbers, "quantity": holds_numbers, "price": holds_numbers,
                "date": not_times_of_day, "invoice": mostly_filled}


def detect_roles(df: pd.DataFrame, *, kind: str, given: Mapping | None = None,
                 label: str | None = None) -> ColumnRoles:
    """Work out which column plays which role, honouring the roles the config gives.

    Roles are recognised by name (case, spaces and punctuation ignored: ``CustomerID``,
    ``Client Ref``, ``Order Timestamp``, ``Line Total``...) and, for a purchase log's date
    and amount, by content. In a customer table, columns are grouped into demographics,
    geography, technographics, psychographics (by name), campaigns (campaign-like names with
    0/1, yes/no or true/false values), identifiers (personal data by name or content, such as
    values with ``@``), constants (a single value), and behaviour (the remaining numbers, and
    text columns with few distinct values: yes/no answers, a contract type, a payment method).
    Names are matched without accents (``Âge`` is an age) and in a few common languages
    (``N° client``, ``Kundennummer``, ``Revenu annuel``, ``Geschlecht``).

    In a purchase log, order numbers written like Shopify's (``#1001`` on every line of an
    order, each number one customer's on one day) are the invoice whatever the column is
    called (``Name``), and a column of clock times or hours beside a date column that holds
    days only (``Date`` + ``Time``, ``Order Date`` + ``Order Time``, ``date`` + ``hour``)
    becomes ``time``: :func:`~segkit.io.standardise_transactions` combines the two into one timestamp.
    A date the config gives is used as it is; ``time`` is then combined only when given too.
    A bare ``Id`` that holds one value per order (Shopify's order id, the same on each of the
    order's lines) is not taken as the customer. A column of refunded amounts beside the
    amount (``Amount Refunded``, ``Refunded Amount``, ``Total Refunded``) becomes
    ``refunded``, and the columns written on each order's first line only (``Financial
    Status``, ``Paid at``, ``Billing Country``) become ``order_fields``. Each of these habits of
    an export is a profile in :data:`segkit.io.exports.export_profiles`, run in its order.

    Parameters
    ----------
    df : pandas.DataFrame
        The raw table, as read by :func:`~segkit.io.read_table`.
    kind : {"customers", "transactions"}
        What the table is.
    given : mapping, optional
        The config's ``columns:`` section: keys are :class:`ColumnRoles` field names, values
        a column name or a list of names; ``None`` (or a missing key) means "detect", an
        empty list means "none". Keys that do not apply to ``kind`` are ignored: a purchase
        log takes the single roles and ``identifiers``; a customer table takes
        ``customer_id`` and the groups (its date, channel, category and country columns
        are detected by name).
    label : str, optional
        Name of the table in messages; default the source label of ``df``.

    Returns
    -------
    ColumnRoles

    Raises
    ------
    ColumnError
        A given column is not in the table (the message suggests the closest name).
    ConfigError
        ``kind`` or a key of ``given`` is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Client Ref": ["a", "b"], "Gender": ["F", "M"],
    ...                    "Annual Income (k$)": [15, 16], "Spending Score (1-100)": [39, 81],
    ...                    "Device Type": ["ios", "web"], "AcceptedCmp1": ["yes", "no"]})
    >>> roles = detect_roles(df, kind="customers")
    >>> roles.customer_id, roles.demographics, roles.behaviour
    ('Client Ref', ['Gender', 'Annual Income (k$)'], ['Spending Score (1-100)'])
    >>> roles.technographics, roles.campaigns
    (['Device Type'], ['AcceptedCmp1'])
    >>> log = pd.DataFrame({"Name": ["#1001", "#1001", "#1002"], "Customer": ["a", "a", "b"],
    ...                     "Date": ["2024-03-05", "2024-03-05", "2024-03-06"],
    ...                     "Time": ["14:02", "14:02", "09:10"], "Total": [3.0, 4.5, 2.0]})
    >>> roles = detect_roles(log, kind="transactions")
    >>> roles.invoice, roles.date, roles.time
    ('Name', 'Date', 'Time')
    >>> detect_roles(df, kind="customers", given={"customer_id": "ClientRef"})
    Traceback (most recent call last):
    ...
    segkit.exceptions.ColumnError: customers: column 'ClientRef' (columns.customer_id) is not in the data; did you mean 'Client Ref'?
    """
    if kind not in ("customers", "transactions"):
        raise ConfigError(f"kind must be one of ['customers', 'transactions'], but {kind!r} was given")
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{label or kind}: detect_roles expects a pandas DataFrame, got {type(df).__name__}; "
                         f"read it first with segkit.io.read_table")
    search = RoleSearch(df, ColumnRoles(kind=kind))
    search.given = _apply_given(search, given or {}, frame_label(df, label, kind))
    if "identifiers" not in search.given:
        search.assign("identifiers", [c for c in search.free() if is_identifier(df[c], c, kind)])
    _find_single_roles(search)
    if kind == "transactions":
        export_profiles.run(search, "roles")
        _find_lone_amount(search)
        export_profiles.run(search, "lines")
    else:
        _find_groups(search)
    return _finish(search)


def roles_for(df: pd.DataFrame, roles, *, kind: str, label: str) -> ColumnRoles:
    """The roles to use: ``roles`` itself, or detected with a mapping (the config's ``columns:``) or ``None``."""
    if roles is None or isinstance(roles, Mapping):
        return detect_roles(df, kind=kind, given=roles, label=label)
    if not isinstance(roles, ColumnRoles):
        raise ConfigError(f"roles must be a ColumnRoles, a mapping or None, but a {type(roles).__name__} was given")
    return roles


def _apply_given(search: RoleSearch, given: Mapping, label: str) -> frozenset:
    """Validate and set the roles the config names; return the roles that were given."""
    df = search.frame
    known = (*SINGLE_ROLES, *GROUP_ROLES, "constants", *LOG_ROLES)
    if search.kind == "transactions":
        applies = (*SINGLE_ROLES, *_TRANSACTION_GROUPS, *LOG_ROLES)
    else:  # the config's date, amount, channel... name the purchase log's columns
        applies = ("customer_id", *GROUP_ROLES, "constants")
    done = set()
    for key, value in given.items():
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {list(known)}"
            raise ConfigError(f"columns: unknown role {key!r}{hint}")
        if value is None or key not in applies:
            continue
        if key in (*SINGLE_ROLES, *LOG_ROLES):
            if isinstance(value, list | tuple):
                if len(value) != 1:
                    raise ConfigError(f"columns.{key} must be one column name, but {value!r} was given")
                value = value[0]
            search.give(key, resolve_column(df, value, f"columns.{key}", label))
        else:
            names = [value] if isinstance(value, str | int) else list(value)
            search.give(key, [resolve_column(df, name, f"columns.{key}", label) for name in names])
        done.add(key)
    return frozenset(done)


def _find_single_roles(search: RoleSearch) -> None:
    """Each single role by name, in order; in a purchase log, a date or invoice no column is named for by content."""
    log, frame = search.kind == "transactions", search.frame
    for role in SINGLE_ROLES if log else _CUSTOMER_SINGLE:
        if role in search.given:
            continue
        # 'Payment Method Title' is named like an amount and '14:02:11' in 'Time' like a date:
        # content decides between columns the names make candidates
        fits = _LOG_CONTENT.get(role) if log else None
        # of 'Paid at' (an order's first line only) and 'Created at' (every line), the fuller
        column = _best_by_name(search.free(), SINGLE_NAME_RULES[role], frame=frame, fits=fits, fullest=role == "date")
        if column is None and log and role == "date":
            column = next((c for c in search.free() if looks_like_dates(frame[c])), None)
        search.assign(role, column)
        if column is None and log:  # an export may write it unnamed (Shopify's order numbers in 'Name')
            export_profiles.run(search, "names", role=role)


def _best_by_name(columns: list, rule: NameRule, *, frame: pd.DataFrame | None = None, fits=None,
                  fullest: bool = False):
    """The best-named column whose values ``fits(frame[column])`` accepts: of equally good names,
    the first, or with ``fullest`` the one with the fewest missing values."""
    scored = sorted(((rule.score(c), -i, c) for i, c in enumerate(columns)), reverse=True)
    top, ties = None, []
    for score, _, c in scored:
        if score <= 0 or (top is not None and score < top):
            break
        if fits is None or fits(frame[c]):
            top = score
            ties.append(c)
            if not fullest:
                break
    if len(ties) > 1:
        return max(ties, key=lambda c: int(frame[c].notna().sum()))  # max keeps the first of equals
    return ties[0] if ties else None


def _find_lone_amount(search: RoleSearch) -> None:
    """A purchase log with neither an amount nor a quantity and a price: the one number left is the amount."""
    roles, frame = search.roles, search.frame
    if roles.amount is None and not (roles.quantity and roles.price) and "amount" not in search.given:
        numbers = [c for c in search.free()
                   if is_number(frame[c]) and not is_id_name(c) and not is_row_number(c, frame[c])]
        if len(numbers) == 1:
            search.assign("amount", numbers[0])


def _find_groups(search: RoleSearch) -> None:
    """A customer table's groups by name and content, its constants, and behaviour: the numbers and
    categories left."""
    frame = search.frame
    for group in ("campaigns", "demographics", "geography", "technographics", "psychographics"):
        if group in search.given:
            continue
        rule = GROUP_NAME_RULES[group]
        search.assign(group, [c for c in search.free()
                              if (rule.matches(c) and (group != "campaigns" or mostly_flags(frame[c])))
                              or (group == "demographics" and is_gender(frame[c]))
                              or (group == "psychographics" and is_attitude_scale(frame[c]))])
    if len(frame) > 1:  # not a role detected but columns set aside: describe() lists them apart
        search.roles.constants = [c for c in search.free() if frame[c].nunique(dropna=False) == 1]
        search.taken.update(search.roles.constants)
    if "behaviour" not in search.given:
        search.assign("behaviour", [c for c in search.free()
                                    if (is_number(frame[c]) or is_category(frame[c])
                                        or numbers_and_placeholders(frame[c]))
                                    and not is_id_name(c) and not is_row_number(c, frame[c])])


def _finish(search: RoleSearch) -> ColumnRoles:
    """The roles found, with the columns left without one and the detected roles in role order."""
    roles = search.roles
    roles.unused = [c for c in search.free() if c not in (roles.country, roles.channel, roles.category)]
    roles.detected = [r for r in ALL_ROLES if r in roles.detected]
    return roles
