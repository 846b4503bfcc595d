"""Which column plays which role: the search :func:`detect_roles` runs, step by step.

The steps read and extend one :class:`~segkit.io.roles.RoleSearch`: the roles (and kinds) the
config gives; for a customer table, one scored decision per column (:mod:`segkit.io.judge`:
name hints and values weighed together); for a purchase log, personal data, each single role
by name (content deciding between candidates), then by content, the vendor export profiles
(:mod:`segkit.io.exports`), the one number left as the amount and an e-mail address as the
customer when nothing else is; then every column's call (role, basis, kind, evidence).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

import pandas as pd

from segkit.exceptions import ConfigError, InputError
from segkit.io.content import EMAIL_RE, holds_numbers, is_identifier, is_row_number, mostly_filled, not_times_of_day
from segkit.io.dates import looks_like_dates
from segkit.io.exports import export_profiles
from segkit.io.judge import customer_calls, log_calls
from segkit.io.messages import frame_label
from segkit.io.names import SINGLE_NAME_RULES, NameRule, is_id_name
from segkit.io.parse import is_number, is_text
from segkit.io.roles import ColumnRoles, RoleSearch, resolve_column
from segkit.schema import ALL_ROLES, GROUP_ROLES, KINDS, LOG_ROLES, SINGLE_ROLES

__all__ = ["detect_roles", "roles_for"]

#: The single roles of a customer table found by name only (shared with its groups).
_CUSTOMER_SINGLE = ("channel", "category", "country")
#: The groups of a purchase log.
_TRANSACTION_GROUPS = ("identifiers",)
#: What a purchase-log column found by name must hold to take a role.
_LOG_CONTENT = {"amount": holds_numbers, "quantity": holds_numbers, "price": holds_numbers,
                "date": not_times_of_day, "invoice": mostly_filled}


def detect_roles(df: pd.DataFrame, *, kind: str, given: Mapping | None = None,
                 label: str | None = None, missing_codes: Iterable = ()) -> ColumnRoles:
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
    missing_codes : iterable
        Answers that mean "no answer" in a customer table (``survey.missing_codes``), beside the
        ones found in the data (:func:`segkit.io.answers.answer_codes`); each column's call lists
        its codes in ``missing`` and :func:`~segkit.io.standardise_customers` makes them missing.

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
    where = frame_label(df, label, kind)
    search.given = _apply_given(search, given or {}, where)
    kinds = _given_kinds(df, (given or {}).get("kinds"), where)
    if kind == "transactions":
        if "identifiers" not in search.given:
            search.assign("identifiers", [c for c in search.free() if is_identifier(df[c], c, kind)])
        _find_single_roles(search)
        export_profiles.run(search, "roles")
        _find_lone_amount(search)
        export_profiles.run(search, "lines")
        _email_as_customer(search)
        search.roles.columns = log_calls(df, search.roles, kinds=kinds, given=search.given)
    else:
        _find_customer_roles(search, kinds, missing_codes)
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
    known = (*SINGLE_ROLES, *GROUP_ROLES, "constants", *LOG_ROLES, "kinds")
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
        if value is None or key not in applies or key == "kinds":
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
    """A purchase log's single roles by name, in order; a date no column is named for, by content."""
    log, frame = True, search.frame
    for role in SINGLE_ROLES:
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


def _find_customer_roles(search: RoleSearch, kinds: Mapping, missing_codes: Iterable = ()) -> None:
    """A customer table: one call per column (:func:`segkit.io.judge.customer_calls`), each column
    then held by the role its call gives; the channel, category and country also by name."""
    frame, roles = search.frame, search.roles
    given = {}
    for field in ("customer_id", *GROUP_ROLES, "constants"):
        value = getattr(roles, field) if field in search.given else None
        for column in ([value] if isinstance(value, str | int) else list(value or [])):
            given.setdefault(column, field)
    closed = frozenset(f for f in search.given if f != "constants")
    calls = customer_calls(frame, given=given, kinds=kinds, closed=closed, missing_codes=missing_codes)
    groups: dict[str, list] = {}
    for column, call in calls.items():
        if call.given or call.group == "unused":
            continue
        if call.group == "date" and roles.date is not None:
            continue  # a second date is parsed as a date, and has no role of its own
        if call.group in ("customer_id", "date"):
            search.assign(call.group, column)
        elif call.group == "constants":
            roles.constants.append(column)
            search.taken.add(column)
        else:
            groups.setdefault(call.group, []).append(column)
    for group in GROUP_ROLES:
        search.assign(group, groups.get(group, []))
    roles.columns = calls
    for role in _CUSTOMER_SINGLE:  # a preferred channel or a country is also a trait of the customer
        if role not in search.given:
            search.assign(role, _best_by_name(list(frame.columns), SINGLE_NAME_RULES[role]))


def _email_as_customer(search: RoleSearch) -> None:
    """A purchase log with no customer column but e-mail addresses (a shop's orders export): the
    e-mail address is the customer."""
    roles, frame = search.roles, search.frame
    if roles.customer_id is not None or "customer_id" in search.given or "identifiers" in search.given:
        return
    emails = [c for c in roles.identifiers if is_text(frame[c])
              and frame[c].dropna().astype(str).head(200).str.match(EMAIL_RE).mean() >= 0.5]
    if emails:
        roles.identifiers = [c for c in roles.identifiers if c != emails[0]]
        search.taken.discard(emails[0])
        search.assign("customer_id", emails[0])


def _given_kinds(df: pd.DataFrame, kinds, label: str) -> dict:
    """The config's ``columns.kinds`` for this table: ``{column: kind}``, each kind checked."""
    if not kinds:
        return {}
    if not isinstance(kinds, Mapping):
        raise ConfigError(f"columns.kinds must be a mapping {{column: kind}}, but {kinds!r} was given")
    out = {}
    for name, kind in kinds.items():
        if kind not in KINDS or kind == "outcome":
            close = difflib.get_close_matches(str(kind), KINDS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"columns.kinds.{name}: kind {kind!r} is unknown{hint} Expected one of "
                              f"{[k for k in KINDS if k != 'outcome']} (name outcomes under columns.outcomes)")
        out[resolve_column(df, name, "columns.kinds", label)] = kind
    return out


def _finish(search: RoleSearch) -> ColumnRoles:
    """The roles found, with the columns left without one and the detected roles in role order."""
    roles = search.roles
    roles.unused = [c for c in search.free() if c not in (roles.country, roles.channel, roles.category)]
    roles.detected = [r for r in ALL_ROLES if r in roles.detected]
    return roles
