"""Vendor export profiles: the quirks of real exports, each a small registered object.

Shops, payment providers and tills export purchase logs with habits of their own: Shopify
names each order ``#1001`` in a column called ``Name`` and writes an order's status and total
on its first line only, Stripe writes the refunded amount beside the paid one, a till writes
the day and the time of day in two columns. Each such habit is an :class:`ExportProfile`: it
says when it applies to a table (:meth:`~ExportProfile.applies`) and which roles it changes
(:meth:`~ExportProfile.change`), or what it warns about when the log is standardised
(:meth:`~ExportProfile.review`). :func:`~segkit.io.detect.detect_roles` runs the registry,
:data:`export_profiles`, in the order the profiles were registered; a new quirk is a new
profile registered here, not a new branch there (the way papermill registers its engines).

Examples
--------
>>> [profile.name for profile in export_profiles]  # doctest: +NORMALIZE_WHITESPACE
['order-numbers', 'charge-ids', 'order-ids', 'times-of-day', 'return-lines', 'order-totals', 'refunded-amounts',
 'order-fields', 'unpaid-status']
>>> export_profiles["refunded-amounts"].export
'stripe-payments'
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable, Iterator
from typing import ClassVar

import numpy as np
import pandas as pd

from segkit.exceptions import ConfigError, SegkitWarning, user_stacklevel
from segkit.io.content import holds_numbers, is_flag
from segkit.io.dates import quiet_dates, times_of_day
from segkit.io.messages import plural
from segkit.io.names import LINK_WORDS, SINGLE_NAME_RULES, ascii_name, is_id_name, name_words
from segkit.io.parse import has_value, id_codes, is_number, is_text, normalise_ids, without_missing_words
from segkit.io.roles import ColumnRoles, RoleSearch

__all__ = ["RETURN_WORDS", "STAGES", "ExportProfile", "ExportProfiles", "export_profiles", "one_per_order",
           "order_lines", "return_values"]

#: When a profile runs in a role search (see ExportProfile.stage).
STAGES = ("names", "roles", "lines")


class ExportProfile:
    """A quirk of some export: when it applies to a table, and what it changes in the table's roles.

    A profile overrides :meth:`applies` and :meth:`change` to find or withdraw roles, or
    :meth:`review` to warn when a log is standardised, and is registered with
    :meth:`ExportProfiles.register`. It never sees a role the config gives: a profile whose
    :attr:`roles` include one of those stands aside.

    Examples
    --------
    >>> import pandas as pd
    >>> from segkit.io.roles import ColumnRoles, RoleSearch
    >>> class Pennies(ExportProfile):
    ...     "An amount in pennies ('Amount (p)'), as a made-up export writes it."
    ...     name, export, roles = "pennies", "made-up-shop", ("amount",)
    ...     def applies(self, search):
    ...         return search.roles.amount is None
    ...     def change(self, search):
    ...         pennies = [c for c in search.free() if c.endswith("(p)")]
    ...         return {"amount": pennies[0]} if pennies else {}
    >>> search = RoleSearch(pd.DataFrame({"Amount (p)": [250]}), ColumnRoles(kind="transactions"))
    >>> Pennies().applies(search), Pennies().change(search)
    (True, {'amount': 'Amount (p)'})
    """

    #: The profile's key in the registry: the quirk it knows ("order-numbers").
    name: ClassVar[str] = ""
    #: The kind of export it was found in ("shopify-orders", "stripe-payments").
    export: ClassVar[str] = ""
    #: The roles it reads or changes: when the config gives one of them, the profile stands aside.
    roles: ClassVar[tuple[str, ...]] = ()
    #: When it runs: ``"names"`` just after the search by name for the role it finds (its first
    #: role) found no column, so that no later role takes the column; ``"roles"`` once every role
    #: was searched by name; ``"lines"`` once every role is settled, to read how the export spreads
    #: an order over its lines.
    stage: ClassVar[str] = "roles"

    def applies(self, search: RoleSearch) -> bool:
        """Whether the table may have this quirk, judged from the roles found so far."""
        return True

    def change(self, search: RoleSearch) -> dict:
        """The roles to change: ``{role: column}`` (or a list of columns) sets a role, ``{role: None}``
        withdraws a detected one; ``{}`` when the table does not have the quirk after all."""
        return {}

    def review(self, df: pd.DataFrame, roles: ColumnRoles, label: str) -> None:
        """Warn about lines of a purchase log being standardised (with its ``roles``) that the export
        marks as other than they seem."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, export={self.export!r})"


class ExportProfiles:
    """The registry of export profiles, run in the order they were registered.

    Examples
    --------
    >>> registry = ExportProfiles()
    >>> registry.register(ReturnLines())
    ReturnLines(name='return-lines', export='sales-ledger')
    >>> len(registry), "return-lines" in registry
    (1, True)
    >>> registry.unregister("return-line")
    Traceback (most recent call last):
    ...
    segkit.exceptions.ConfigError: no export profile 'return-line'; did you mean 'return-lines'?
    """

    def __init__(self, profiles: Iterable[ExportProfile] = ()) -> None:
        self._profiles: dict[str, ExportProfile] = {}
        for profile in profiles:
            self.register(profile)

    def register(self, profile: ExportProfile) -> ExportProfile:
        """Add ``profile`` after the others (in the place of a profile of the same name) and return it."""
        if not isinstance(profile, ExportProfile) or not profile.name or profile.stage not in STAGES:
            raise ConfigError(f"an export profile must be an ExportProfile with a name and a stage in "
                              f"{list(STAGES)}, but {profile!r} was given")
        self._profiles[profile.name] = profile
        return profile

    def unregister(self, name: str) -> ExportProfile:
        """Remove the profile registered as ``name`` (a quirk that misreads your exports) and return it."""
        if name not in self._profiles:
            close = difflib.get_close_matches(str(name), list(self._profiles), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"profiles: {list(self._profiles)}"
            raise ConfigError(f"no export profile {name!r}; {hint}")
        return self._profiles.pop(name)

    def __getitem__(self, name: str) -> ExportProfile:
        return self._profiles[name]

    def __contains__(self, name) -> bool:
        return name in self._profiles

    def __iter__(self) -> Iterator[ExportProfile]:
        return iter(list(self._profiles.values()))

    def __len__(self) -> int:
        return len(self._profiles)

    def run(self, search: RoleSearch, stage: str, *, role: str | None = None) -> None:
        """Apply the profiles of ``stage`` that apply to ``search`` (at the names stage, those that find ``role``)."""
        for profile in self:
            if (profile.stage != stage or (role is not None and profile.roles[:1] != (role,))
                    or not search.given.isdisjoint(profile.roles) or not profile.applies(search)):
                continue
            for changed, value in profile.change(search).items():
                if value is None:
                    search.withdraw(changed)
                else:
                    search.assign(changed, value)

    def review(self, df: pd.DataFrame, roles: ColumnRoles, label: str) -> None:
        """Let every profile warn about the lines of a purchase log being standardised."""
        for profile in self:
            profile.review(df, roles, label)


def _found(role: str, value) -> dict:
    """A change that sets ``role`` to what a profile found, or no change when it found nothing."""
    return {role: value} if value is not None and value != [] else {}


# ------------------------------------------------------------------------------- Shopify orders

#: An order number as shops write it: '#1001' (Shopify's order 'Name'), '#SH1001', '#1001-2'.
_ORDER_NUMBER_RE = r"#\s?(?:[A-Za-z]{1,5}[-_]?)?\d+(?:[-_][A-Za-z\d]+)?"
#: Lines of a purchase log in which a column of order numbers is checked.
_ORDER_SAMPLE = 20_000
#: Lines of a purchase log in which its order-level fields are recognised (see _order_fields).
_ORDER_FIELDS_SAMPLE = 100_000


def _is_order_number(s: pd.Series, frame: pd.DataFrame, roles: ColumnRoles) -> bool:
    """Whether a purchase-log column, whatever its name, holds order numbers like ``#1001``.

    Every value is ``#`` and a number, at least half the lines have one, and each number
    belongs to one customer on one day (the lines of one order), as far as the roles found
    so far tell. So Shopify's ``Name`` column is the order, while a ``Name`` of people's
    names, or a store number ``#12`` that many customers share, is not.

    Examples
    --------
    >>> log = pd.DataFrame({"Name": ["#1001", "#1001", "#1002"], "Email": ["a@x.com", "a@x.com", "b@x.com"],
    ...                     "Store": ["#12", "#12", "#12"]})
    >>> roles = ColumnRoles(customer_id="Email")
    >>> _is_order_number(log["Name"], log, roles), _is_order_number(log["Store"], log, roles)
    (True, False)
    >>> _is_order_number(pd.Series(["Ann Lee", "Ann Lee", "Bo Chen"]), log, roles)
    False
    """
    if not is_text(s) or not s.head(50).dropna().astype(str).str.strip().str.fullmatch(_ORDER_NUMBER_RE).all():
        return False
    head = without_missing_words(s.head(_ORDER_SAMPLE))
    present = head.notna().to_numpy()
    if present.sum() < max(1, len(head) / 2) or not head[present].str.fullmatch(_ORDER_NUMBER_RE).all():
        return False
    lines = pd.DataFrame({"order": head.to_numpy()[present]})
    if roles.customer_id is not None:
        lines["customer"] = normalise_ids(frame[roles.customer_id].head(len(head))).to_numpy()[present]
    if roles.date is not None:
        dates = quiet_dates(frame[roles.date].head(len(head)))
        if dates is not None:
            lines["day"] = dates.dt.normalize().to_numpy()[present]
    return bool((lines.groupby("order").nunique() <= 1).to_numpy().all())


class OrderNumbers(ExportProfile):
    """Shopify names each order ``#1001`` in a column called ``Name``, on every line of the order: when no
    column is named like the invoice, a column of such order numbers is the invoice."""

    name, export, roles, stage = "order-numbers", "shopify-orders", ("invoice",), "names"

    def change(self, search: RoleSearch) -> dict:
        frame = search.frame
        column = next((c for c in search.free() if _is_order_number(frame[c], frame, search.roles)), None)
        return _found("invoice", column)


class ChargeIds(ExportProfile):
    """Stripe names each charge in a column called ``id`` (``ch_3Mt...``), a different value on every line:
    when no column is named like the invoice, a bare ``id`` that is not the customer and holds a value of
    its own on each line is the invoice (each charge an order of its own)."""

    name, export, roles, stage = "charge-ids", "stripe-payments", ("invoice",), "names"

    def change(self, search: RoleSearch) -> dict:
        frame = search.frame
        for column in search.free():
            values = frame[column].head(_ORDER_SAMPLE).dropna()
            if name_words(column) == ["id"] and len(values) > 1 and values.is_unique and not is_number(values):
                return {"invoice": column}
        return {}


def one_per_order(ids: pd.Series, orders: pd.Series) -> bool:
    """Whether a column holds one value per order: each order one value, each value one order
    (judged on the first :data:`_ORDER_FIELDS_SAMPLE` lines).

    Examples
    --------
    >>> orders = pd.Series(["#1001", "#1001", "#1002"])
    >>> one_per_order(pd.Series([501, 501, 502]), orders), one_per_order(pd.Series([7, 7, 7]), orders)
    (True, False)
    """
    pairs = pd.DataFrame({"id": id_codes(ids.head(_ORDER_FIELDS_SAMPLE)),
                          "order": id_codes(orders.head(_ORDER_FIELDS_SAMPLE))})
    pairs = pairs[(pairs["id"] >= 0) & (pairs["order"] >= 0)].drop_duplicates()
    return bool(pairs["order"].nunique() > 1 and not pairs["order"].duplicated().any()
                and not pairs["id"].duplicated().any())


class OrderIds(ExportProfile):
    """Shopify's ``Id`` is the order's id on each of its lines: taken as the customer, every order would be
    a customer of its own, so a customer id found by a bare ``Id`` that holds one value per order is
    withdrawn. (A column named like a customer outranks a bare ``Id`` by name, so there is none left to
    take instead: standardising says what to set.)"""

    name, export, roles = "order-ids", "shopify-orders", ("customer_id",)

    def applies(self, search: RoleSearch) -> bool:
        roles = search.roles
        return (roles.customer_id is not None and roles.invoice is not None
                and SINGLE_NAME_RULES["customer_id"].score(roles.customer_id) < 1)

    def change(self, search: RoleSearch) -> dict:
        frame, roles = search.frame, search.roles
        return {"customer_id": None} if one_per_order(frame[roles.customer_id], frame[roles.invoice]) else {}


def _order_level(amount: pd.Series, quantity: pd.Series, price: pd.Series) -> bool:
    """Whether an amount column is blank on lines that have a quantity and a price: an order's
    total written on its first line only, as a Shopify orders export does (``Subtotal``).

    Examples
    --------
    >>> _order_level(pd.Series([30.0, None, 5.0]), pd.Series([1, 2, 1]), pd.Series([10.0, 10.0, 5.0]))
    True
    """
    lines = quantity.notna() & price.notna()
    return bool((amount.isna() & lines).any() and amount[lines].notna().any())


class OrderTotals(ExportProfile):
    """Shopify writes an order's ``Subtotal`` on its first line only, beside lines that have a quantity and
    a price: that amount is the order's, so it is withdrawn, and the lines' quantity x price are the amounts."""

    name, export, roles = "order-totals", "shopify-orders", ("amount",)

    def applies(self, search: RoleSearch) -> bool:
        roles = search.roles
        return bool(roles.amount is not None and roles.quantity and roles.price)

    def change(self, search: RoleSearch) -> dict:
        frame, roles = search.frame, search.roles
        order_level = _order_level(frame[roles.amount], frame[roles.quantity], frame[roles.price])
        return {"amount": None} if order_level else {}


def order_lines(orders: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each line's order code (-1 without an order), the position of its order's first line
    (its own without an order), and the number of lines of its order (1 without an order)."""
    codes = id_codes(orders)
    known = codes >= 0
    positions = np.arange(len(codes))
    first = np.zeros(int(codes.max()) + 1 if known.any() else 0, dtype=np.int64)
    first[codes[known][::-1]] = positions[known][::-1]  # of repeated indices, the last assignment wins
    sizes = np.bincount(codes[known], minlength=len(first))
    safe = np.where(known, codes, 0)
    return (codes, np.where(known, first[safe] if len(first) else positions, positions),
            np.where(known, sizes[safe] if len(first) else 1, 1))


def _order_fields(df: pd.DataFrame, roles: ColumnRoles) -> list:
    """The columns of a purchase log written on each order's first line only.

    Judged on the orders with several lines among the first :data:`_ORDER_FIELDS_SAMPLE` lines
    (plenty to tell, and fast on a log of millions): the column is blank on every line but
    the first of each (never filled on a later line, whether or not the first line is), and
    filled on the first line of at least two of them. Numbers other than codes are left
    out: an order's total written on its first line (``Subtotal``) is not a line's.

    Examples
    --------
    >>> log = pd.DataFrame({"Name": ["#1", "#1", "#2", "#2", "#3"], "Status": ["paid", None, "refunded", None, "paid"],
    ...                     "Item": ["Mug", "Tea", "Cup", None, "Pot"], "Subtotal": [40.0, None, 7.0, None, 3.0]})
    >>> _order_fields(log, ColumnRoles(invoice="Name"))
    ['Status']
    """
    if roles.invoice is None or len(df) < 2:
        return []
    df = df.head(_ORDER_FIELDS_SAMPLE)
    _, first, sizes = order_lines(df[roles.invoice])
    several = sizes > 1
    is_first = first == np.arange(len(df))
    heads, later = several & is_first, several & ~is_first
    if heads.sum() < 2:
        return []
    heads, later = np.flatnonzero(heads), np.flatnonzero(later)
    skip = {roles.invoice, roles.amount, roles.quantity, roles.price, roles.refunded}
    found = []
    for column in df.columns:
        if column in skip:
            continue
        s = df[column]
        present = s.notna().to_numpy()[later]
        if present.any():  # most columns are out here, at once
            shown = later[present]
            if not is_text(s) or has_value(s.iloc[shown[:1000]]).any() or has_value(s.iloc[shown]).any():
                continue
        if has_value(s.iloc[heads]).sum() >= 2 and (is_id_name(column) or not holds_numbers(s)):
            found.append(column)
    return found


class OrderFields(ExportProfile):
    """Shopify writes ``Financial Status``, ``Paid at`` or ``Billing Country`` on each order's first line
    only: these columns become ``order_fields``, which standardising fills down to the order's other lines."""

    name, export, roles, stage = "order-fields", "shopify-orders", ("order_fields",), "lines"

    def change(self, search: RoleSearch) -> dict:
        return _found("order_fields", _order_fields(search.frame, search.roles))


# ------------------------------------------------------------------------------ Stripe payments

#: Words of a refunded-amount column's name ('Amount Refunded', 'Refund Amount', 'Total Refunded').
_REFUND_WORDS = frozenset({"refund", "refunded", "refunds", "remboursement", "rembourse", "erstattung", "erstattet",
                           "reembolso", "reembolsado", "rimborso", "rimborsato", "terugbetaling", "terugbetaald"})
_MONEY_WORDS = frozenset({"amount", "total", "value", "sum", "montant", "betrag", "importe", "monto", "importo",
                          "valor", "bedrag"})


def _refunded_column(df: pd.DataFrame, amount, columns: list):
    """The column of amounts refunded beside the paid amount, or None.

    Its name says refund and amount (``Amount Refunded`` beside ``Amount``, ``Refunded
    Amount``, ``Total Refunded``; not ``Refunds``, which may count them) and nothing else the
    amount's name does not (not ``Converted Amount Refunded``, the refund in another
    currency), and it holds numbers that are not yes/no.

    Examples
    --------
    >>> pay = pd.DataFrame({"Amount": [50.0], "Converted Amount Refunded": [18.0], "Amount Refunded": [20.0],
    ...                     "Refund Reason": ["damaged"]})
    >>> _refunded_column(pay, "Amount", ["Converted Amount Refunded", "Amount Refunded", "Refund Reason"])
    'Amount Refunded'
    """
    own = set(name_words(amount)) - _MONEY_WORDS if amount is not None else set()

    def rest(name) -> set:
        return set(name_words(name)) - _REFUND_WORDS - _MONEY_WORDS

    named = [c for c in columns if set(name_words(c)) & _REFUND_WORDS and set(name_words(c)) & _MONEY_WORDS
             and rest(c) <= own]
    named.sort(key=lambda c: rest(c) != own)  # stable: first the one named like the amount
    return next((c for c in named if holds_numbers(df[c]) and not is_flag(df[c])), None)


class RefundedAmounts(ExportProfile):
    """Stripe writes what was refunded beside what was paid (``Amount Refunded`` beside ``Amount``): that
    column becomes ``refunded``, which the ``refunds`` cleaning rule subtracts from revenue. It is found
    before an amount is taken as the one number left."""

    name, export, roles = "refunded-amounts", "stripe-payments", ("refunded",)

    def change(self, search: RoleSearch) -> dict:
        return _found("refunded", _refunded_column(search.frame, search.roles.amount, search.free()))


#: Words of an order or payment status (lower case) for lines that may not be revenue.
_NOT_PAID_WORDS = frozenset({"failed", "failure", "declined", "rejected", "cancelled", "canceled", "void", "voided",
                             "refunded", "expired", "abandoned", "unpaid", "pending", "annule", "annulee", "rembourse",
                             "storniert", "erstattet", "fehlgeschlagen", "cancelado", "cancelada", "reembolsado",
                             "fallido", "annullato", "rimborsato"})


class UnpaidStatus(ExportProfile):
    """A payments or orders export (Stripe ``Status``, Shopify ``Financial Status``, WooCommerce ``Order
    Status``) has one line per attempt or order whatever became of it. segkit counts each line as a sale,
    so a warning says how to keep only the completed ones. With a refunded-amount column
    (``roles.refunded``) refunds are subtracted already, so refunded lines are not warned about."""

    name, export = "unpaid-status", "stripe-payments"

    def review(self, df: pd.DataFrame, roles: ColumnRoles, label: str) -> None:
        words = _NOT_PAID_WORDS - _REFUND_WORDS if roles.refunded else _NOT_PAID_WORDS
        for column in roles.unused:
            if not ({"status", "statut", "stato"} & set(name_words(column))) or not is_text(df[column]):
                continue
            values = df[column].dropna().astype(str).str.strip()
            levels = values.unique()
            if len(levels) > 12:
                continue
            flagged = [v for v in levels if set(name_words(ascii_name(v).lower())) & words]
            if flagged and len(flagged) < len(levels):
                n = int(values.isin(flagged).sum())
                kept = ", ".join(sorted(set(levels) - set(flagged)))
                # the warning points at the code that called standardise_transactions
                warnings.warn(
                    f"{label}: column {column!r} marks {n:,} {plural(n, 'line', 'lines')} as "
                    f"{', '.join(map(repr, sorted(flagged)))}, counted as sales like the others (to leave them out, "
                    f"set data.where: {{{column}: [{kept}]}})", SegkitWarning, stacklevel=user_stacklevel())


# -------------------------------------------------------------- till receipts and sales ledgers

#: Words of a time-of-day column's name ('Order Time', 'hour', 'Uhrzeit', 'Heure'); of one holding whole
#: hours (singular: 'Hours' in a log is more likely hours billed than the hour of the day); and the words
#: of a date column's name besides what the date is of ('Order Date', 'Time of day').
_TIME_WORDS = frozenset({"time", "hour", "hours", "hr", "clock", "heure", "uhrzeit", "zeit", "stunde", "hora", "ora",
                         "tijd", "uur"})
_HOUR_WORDS = frozenset({"hour", "heure", "stunde", "hora", "ora"})
_DAY_WORDS = frozenset({"date", "day", "dt", "datum", "fecha", "data", "jour", "dia", "giorno", "dag", "tag"}
                       | LINK_WORDS | {"of", "the", "at"})
#: Words for the purchase a log's date and time are of ('Order Time' beside 'Purchase Date').
_PURCHASE_WORDS = frozenset({"order", "purchase", "invoice", "transaction", "sale", "sales", "receipt", "bill",
                             "ticket", "payment", "commande", "achat", "vente", "bestellung", "kauf", "rechnung",
                             "pedido", "compra", "venta", "ordine", "acquisto", "vendita", "encomenda", "venda",
                             "bestelling", "aankoop", "verkoop", "factura", "fattura", "facture", "fatura"})


def _time_column(df: pd.DataFrame, date, columns: list):
    """The column holding the time of day of a date column that holds days only, or None.

    Its name says time (``Time``, ``Order Time``, ``hour``, ``Uhrzeit``) and nothing the
    date's name does not (``Delivery Time`` is not the time of ``Order Date``), and its
    values are clock times (``14:02``, ``2:05 PM``) or, under an hour name, whole hours
    0-23. A name that repeats the date's (``InvoiceTime`` beside ``InvoiceDate``) goes first.

    Examples
    --------
    >>> log = pd.DataFrame({"Order Date": ["2024-03-05"], "Delivery Time": ["18:00"], "Order Time": ["14:02"]})
    >>> _time_column(log, "Order Date", ["Delivery Time", "Order Time"])
    'Order Time'
    >>> _time_column(log.assign(**{"Order Date": ["2024-03-05 09:00"]}), "Order Date", ["Order Time"]) is None
    True
    """
    def rest(name) -> frozenset:
        return frozenset(name_words(name)) - _TIME_WORDS - _DAY_WORDS - _PURCHASE_WORDS

    named = [c for c in columns if set(name_words(c)) & _TIME_WORDS and rest(c) <= rest(date)]
    if not named or not _days_only(df[date]):
        return None
    named.sort(key=lambda c: rest(c) != rest(date))  # stable: first 'Order Time', then 'Time'
    return next((c for c in named if _holds_times_of_day(df[c], c)), None)


def _days_only(s: pd.Series) -> bool:
    """Whether a date column holds days without a time of day (or all at midnight, as Excel writes them)."""
    dates = quiet_dates(s.head(1000))
    if dates is None or dates.isna().all():
        return False
    dates = dates.dropna()
    return bool((dates == dates.dt.normalize()).all())


def _holds_times_of_day(s: pd.Series, name) -> bool:
    """Clock times ('14:02:11', '2:05 PM'), or whole hours 0-23 in a column named like an hour."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return False
    if is_number(s) and not set(name_words(name)) & _HOUR_WORDS:
        return False
    times, present = times_of_day(s.head(1000))
    return bool(present.any() and times[present].notna().all())


class TimesOfDay(ExportProfile):
    """A till writes the day and the time of day in two columns (``Date`` + ``Time``, ``Order Date`` +
    ``Order Time``, ``date`` + ``hour``): the time column becomes ``time``, which standardising combines
    with the date into one timestamp. A date the config gives is used as it is, and combined with a time
    only when the config gives that too."""

    name, export, roles = "times-of-day", "till-receipts", ("date", "time")

    def applies(self, search: RoleSearch) -> bool:
        return search.roles.date is not None

    def change(self, search: RoleSearch) -> dict:
        return _found("time", _time_column(search.frame, search.roles.date, search.free()))


#: Values of a purchase log's line-type column (lower case): sales, and returns or refunds.
_SALE_WORDS = frozenset({"sale", "sales", "sold", "purchase", "order", "invoice", "debit", "charge", "payment", "buy",
                         "normal", "regular", "vente", "achat", "commande", "verkauf", "kauf", "bestellung",
                         "rechnung", "venta", "compra", "vendita", "acquisto", "verkoop", "aankoop", "venda"})
RETURN_WORDS = frozenset({"return", "returned", "returns", "refund", "refunded", "refunds", "cancel", "cancelled",
                          "canceled", "cancellation", "credit", "credit note", "creditnote", "chargeback", "void",
                          "retour", "remboursement", "avoir", "annulation", "rückgabe", "ruckgabe", "gutschrift",
                          "storno", "erstattung", "devolucion", "devolución", "devolucao", "devolução", "reembolso", "reso",
                          "rimborso",
                          "terugbetaling"})


def return_values(s: pd.Series) -> set | None:
    """The return/refund words of a line-type column (``sale`` / ``refund``), or None if it is not one.

    Examples
    --------
    >>> return_values(pd.Series(["Sale", "sale", "Refund"])), return_values(pd.Series(["web", "store"]))
    ({'refund'}, None)
    """
    if not is_text(s) or s.head(1000).nunique() > 6:
        return None
    words = set(s.dropna().astype(str).str.strip().str.lower().unique())
    found = words & RETURN_WORDS
    if not found or not words <= (_SALE_WORDS | RETURN_WORDS):
        return None
    return found


class ReturnLines(ExportProfile):
    """A ledger marks each line as a sale or a return in a column of its own (``type``: ``sale`` /
    ``refund``), writing the returns as positive amounts: that column becomes ``returns``, and
    standardising counts its return lines as negative revenue."""

    name, export, roles = "return-lines", "sales-ledger", ("returns",)

    def change(self, search: RoleSearch) -> dict:
        frame = search.frame
        return _found("returns", next((c for c in search.free() if return_values(frame[c]) is not None), None))


# --------------------------------------------------------------------------------- the registry

#: The export profiles :func:`~segkit.io.detect.detect_roles` and
#: :func:`~segkit.io.standardise.standardise_transactions` run, in this order: a profile reads the
#: roles the ones before it set or withdrew (a refunded amount is matched to the name of the amount
#: left once an order's total is withdrawn).
export_profiles = ExportProfiles([OrderNumbers(), ChargeIds(), OrderIds(), TimesOfDay(), ReturnLines(), OrderTotals(),
                                  RefundedAmounts(), OrderFields(), UnpaidStatus()])
