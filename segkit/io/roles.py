"""Column roles: which column of a table plays which part, and the state of a search for them.

:class:`ColumnRoles` is the record every later stage reads (standardising, features, the
report); :func:`~segkit.io.detect.detect_roles` fills it in, step by step, through a
:class:`RoleSearch`, with one :class:`ColumnCall` per column (its role, basis and kind, and the
evidence); :func:`resolve_column` finds the column a config names.

Examples
--------
>>> import pandas as pd
>>> roles = ColumnRoles(customer_id="ID", behaviour=["Recency"], kind="customers")
>>> roles.with_column("Recency", "campaigns").campaigns
['Recency']
>>> resolve_column(pd.DataFrame({"Customer ID": ["a"], 2024: [3.5]}), "2024", "columns.behaviour", "people.csv")
2024
"""

from __future__ import annotations

import dataclasses
import difflib
import textwrap
from dataclasses import dataclass, field

import pandas as pd

from segkit.exceptions import ColumnError, ConfigError
from segkit.io.messages import listing
from segkit.io.names import name_key
from segkit.schema import GROUP_ROLES, SINGLE_ROLES, call_basis

__all__ = ["ColumnCall", "ColumnRoles", "RoleSearch", "resolve_column"]


@dataclass(frozen=True)
class ColumnCall:
    """The decision about one column: its role, the segmentation basis it feeds, its kind, and why.

    ``role`` is one of :data:`segkit.schema.CALL_ROLES` for the table's kind (a customer table's
    campaign responses and other outcomes are both ``outcome``); ``basis`` one of
    :data:`segkit.schema.BASES` or ``"none"``; ``kind`` one of :data:`segkit.schema.KINDS`;
    ``values`` what the values are when the kind says what the column is for (an outcome's
    ``flag`` or ``code``), else the kind; ``evidence`` what the name and the values said;
    ``given`` whether the config named it; ``missing`` the values that are no answer
    (:func:`segkit.io.answers.answer_codes`: ``99``, ``Not applicable``), read as missing.

    Examples
    --------
    >>> ColumnCall("day", "behaviour", "behavioural", "ordinal", "name says day; ... -> day of the month, ordinal")
    ColumnCall('day': behaviour, behavioural, ordinal)
    """

    column: object
    role: str
    basis: str
    kind: str
    evidence: str
    values: str = ""
    given: bool = False
    group: str = ""
    missing: tuple = ()

    def __repr__(self) -> str:
        return f"ColumnCall({self.column!r}: {self.role}, {self.basis}, {self.kind})"

    @property
    def value_kind(self) -> str:
        """What the values are: :attr:`values`, or the kind."""
        return self.values or self.kind


@dataclass
class ColumnRoles:
    """Which column of a table plays which part.

    Single roles hold one column name (or ``None``); groups hold lists of names.
    ``detected`` lists the roles that were found by :func:`~segkit.io.detect_roles` rather than given,
    ``constants`` the columns with a single value (kept out of features; the campaign
    economics ``Z_CostContact`` / ``Z_Revenue`` are such columns), ``unused`` the columns
    that got no role, and ``kind`` says which table the roles describe. ``returns`` is a
    purchase log's column that marks return or refund lines (``type``: ``sale`` /
    ``refund``) whose amounts are written as positive numbers; ``time`` is a purchase log's
    time-of-day column (``Order Time``: ``14:02:11``) beside a ``date`` column holding the
    day only: the two are combined into one timestamp. ``refunded`` is a purchase log's
    refunded-amount column beside the paid amount (Stripe's ``Amount Refunded``): what it
    holds is subtracted from revenue. ``order_fields`` are the columns an orders export
    writes on each order's first line only (Shopify's ``Financial Status``, ``Paid at``,
    ``Billing Country``): they hold one value per order and are filled down to the order's
    other lines (:func:`~segkit.io.fill_order_fields`).

    Examples
    --------
    >>> roles = ColumnRoles(customer_id="ID", demographics=["Income"], detected=["customer_id"])
    >>> roles
    ColumnRoles(customer_id='ID', demographics=['Income'], detected=['customer_id'])
    >>> roles.to_dict()["demographics"]
    ['Income']
    """

    customer_id: str | None = None
    date: str | None = None
    amount: str | None = None
    quantity: str | None = None
    price: str | None = None
    invoice: str | None = None
    channel: str | None = None
    category: str | None = None
    country: str | None = None
    demographics: list[str] = field(default_factory=list)
    geography: list[str] = field(default_factory=list)
    behaviour: list[str] = field(default_factory=list)
    psychographics: list[str] = field(default_factory=list)
    technographics: list[str] = field(default_factory=list)
    campaigns: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    returns: str | None = None
    time: str | None = None
    refunded: str | None = None
    order_fields: list[str] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    detected: list[str] = field(default_factory=list)
    kind: str | None = None
    #: One :class:`ColumnCall` per column of the table, in table order.
    columns: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.columns, list | tuple):  # from to_dict(): the calls as dicts
            self.columns = {call["column"]: ColumnCall(**{**call, "missing": tuple(call.get("missing", ()))})
                            for call in self.columns}

    def to_dict(self) -> dict:
        """Plain ``dict`` of every field (lists copied, calls as dicts), ready for JSON; ``ColumnRoles(**d)``
        reads it back."""
        out = dataclasses.asdict(self)
        out["columns"] = [dataclasses.asdict(call) for call in self.columns.values()]
        return out

    @property
    def outcome_columns(self) -> list:
        """Every outcome column: the campaign responses, then the other outcomes."""
        return [*self.campaigns, *self.outcomes]

    def calls(self) -> pd.DataFrame:
        """One row per column: ``column, role, basis, kind, evidence`` (and ``given``), in table order.

        Examples
        --------
        >>> roles = ColumnRoles(kind="customers", columns={"Age": ColumnCall("Age", "demographics", "demographic",
        ...                     "quantity", "name says age -> quantity")})
        >>> roles.calls()[["column", "role", "kind"]]
          column          role      kind
        0    Age  demographics  quantity
        """
        rows = [{"column": call.column, "role": call.role, "basis": call.basis, "kind": call.kind,
                 "given": call.given, "evidence": call.evidence} for call in self.columns.values()]
        return pd.DataFrame(rows, columns=["column", "role", "basis", "kind", "given", "evidence"])

    def with_column(self, column, group: str, *, why: str = "") -> ColumnRoles:
        """A copy with ``column`` in ``group`` (one of :data:`GROUP_ROLES`), out of every other group;
        ``why`` (the config key that says so) goes into the column's evidence.

        Examples
        --------
        >>> roles = ColumnRoles(behaviour=["Churn", "tenure"], unused=["Plan"], kind="customers")
        >>> roles.with_column("Churn", "campaigns")
        ColumnRoles(behaviour=['tenure'], campaigns=['Churn'], unused=['Plan'], kind='customers')
        """
        if group not in GROUP_ROLES:
            raise ConfigError(f"group must be one of {list(GROUP_ROLES)}, but {group!r} was given")
        changes = {g: [c for c in getattr(self, g) if c != column] for g in (*GROUP_ROLES, "constants", "unused")}
        if column not in getattr(self, group):
            changes[group] = [*changes[group], column]
        else:
            changes[group] = list(getattr(self, group))
        calls = dict(self.columns)
        if column in calls:
            calls[column] = _regrouped(calls[column], group, self.kind, why or f"columns.{group}")
        return dataclasses.replace(self, **changes, columns=calls)

    def as_weight(self, column) -> ColumnRoles:
        """A copy with ``column`` as the survey weight (``survey.weight``): out of every group, so it is
        never clustered or profiled; its call says so.

        >>> ColumnRoles(behaviour=["wt", "visits"], kind="customers").as_weight("wt")
        ColumnRoles(behaviour=['visits'], kind='customers')
        """
        changes = {g: [c for c in getattr(self, g) if c != column] for g in (*GROUP_ROLES, "constants", "unused")}
        calls = dict(self.columns)
        if column in calls:
            calls[column] = dataclasses.replace(
                calls[column], role="weight", basis="none", kind="quantity", values="", given=True, group="",
                evidence="survey.weight names it: each respondent's weight in shares, means, intervals and the fit")
        return dataclasses.replace(self, **changes, columns=calls)

    def summary(self, *, label: str, rows: int | None = None) -> str:
        """The short form of the calls: the table's columns by role, each with its kind (what
        ``segkit report`` prints before it starts and :meth:`segkit.pipeline.Analysis.load` prints).

        Examples
        --------
        >>> calls = {"id": ColumnCall("id", "customer_id", "none", "identifier", ""),
        ...          "day": ColumnCall("day", "behaviour", "behavioural", "ordinal", ""),
        ...          "Churn": ColumnCall("Churn", "outcome", "none", "outcome", "", values="flag", group="outcomes")}
        >>> print(ColumnRoles(kind="customers", columns=calls).summary(label="bank.csv", rows=3))
        bank.csv (customers): 3 rows, 3 columns
          customer id     id
          behaviour       day (ordinal)
          outcomes        Churn (flag) - profiled per segment, never clustered
        """
        calls = list(self.columns.values())
        size = f"{rows:,} rows, " if rows is not None else ""
        lines = [f"{label} ({self.kind}): {size}{len(calls)} columns"]
        if self.kind == "transactions":
            notes = {"time": f"time of day, combined with {self.date} into one timestamp",
                     "returns": "its return/refund lines count as negative revenue",
                     "refunded": "refunded amounts are subtracted from revenue"}
            lines += [roles_line(c.role.replace("_", " "), f"{c.column} ({notes.get(c.role, c.kind)})")
                      for c in calls if c.role != "none"]
            fields = [str(c) for c in self.order_fields if c in self.columns]
            if fields:
                lines.append(roles_line("order fields", f"{', '.join(fields)} (on each order's first line only; "
                                                        "filled down to the order's other lines)"))
            unused = [str(c.column) for c in calls if c.role == "none" and c.column not in self.order_fields]
            if unused:
                lines.append(roles_line("no role", ", ".join(unused)))
            return "\n".join(lines)
        for role, heading in _HEADINGS.items():
            chosen = [c for c in calls if c.role == role]
            if not chosen:
                continue
            if role in ("customer_id", "identifiers", "constant", "weight"):
                text = ", ".join(str(c.column) for c in chosen)
            elif role == "outcome":
                text = ", ".join(f"{c.column} ({'campaign response' if c.group == 'campaigns' else c.value_kind})"
                                 for c in chosen) + " - profiled per segment, never clustered"
            else:
                text = ", ".join(f"{c.column} ({c.kind})" for c in chosen)
            lines.append(roles_line(heading, text))
        return "\n".join(lines)

    def describe(self) -> str:
        """A readable summary of every role, its column(s), and whether it was given or detected.

        Examples
        --------
        >>> roles = ColumnRoles(customer_id="ID", behaviour=["Recency", "MntWines"], constants=["Z_Revenue"],
        ...                     detected=["behaviour"], kind="customers")
        >>> print(roles.describe())
        Column roles (customers)
          customer_id     given      ID
          behaviour       detected   Recency, MntWines
          constants       detected   Z_Revenue (one value; not used as a feature)
          not found       date, amount, quantity, price, invoice, channel, category, country,
                          demographics, geography, psychographics, technographics, campaigns,
                          outcomes, identifiers
        """
        rows, missing = [], []
        for role in (*SINGLE_ROLES, *GROUP_ROLES):
            value = getattr(self, role)
            if not value:
                missing.append(role)
            else:
                how = "detected" if role in self.detected else "given"
                rows.append((role, f"{how:<10} " + _wrap([value] if isinstance(value, str) else value, 29)))
            if role == "date" and value and self.time:
                how = "detected" if "time" in self.detected else "given"
                rows.append(("time", f"{how:<10} {self.time} (time of day, combined with {value} into one "
                                     f"timestamp)"))
        if self.returns:
            how = "detected" if "returns" in self.detected else "given"
            rows.append(("returns", f"{how:<10} {self.returns} (its return/refund lines count as negative revenue)"))
        if self.refunded:
            how = "detected" if "refunded" in self.detected else "given"
            rows.append(("refunded", f"{how:<10} {self.refunded} (refunded amounts are subtracted from revenue)"))
        if self.order_fields:
            shown = _wrap(self.order_fields, 29)
            rows.append(("order fields", f"detected   {shown} (on each order's first line only; filled down to "
                                         f"the order's other lines)"))
        if self.constants:
            shown = _wrap(self.constants, 29)
            rows.append(("constants", f"detected   {shown} (one value; not used as a feature)"))
        if self.unused:
            rows.append(("no role", "           " + _wrap(self.unused, 29)))
        if missing:
            rows.append(("not found", _wrap(missing, 18)))
        title = f"Column roles ({self.kind})" if self.kind else "Column roles"
        return "\n".join([title] + [f"  {role:<15} {text}" for role, text in rows])

    def __repr__(self) -> str:
        shown = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not value or f.name == "columns":
                continue
            if isinstance(value, list) and len(value) > 4 and f.name != "detected":
                value = f"[{len(value)} columns: {', '.join(map(repr, value[:3]))}, ...]"
            else:
                value = repr(value)
            shown.append(f"{f.name}={value}")
        return f"ColumnRoles({', '.join(shown)})"


def _regrouped(call: ColumnCall, group: str, table_kind: str | None, why: str) -> ColumnCall:
    """``call`` with the role a config key gives its column (``campaign.response``: a campaign response)."""
    role = "outcome" if group in ("campaigns", "outcomes") else group
    kind = "outcome" if role == "outcome" else (call.value_kind if call.kind == "outcome" else call.kind)
    values = ("flag" if group == "campaigns" else call.value_kind) if role == "outcome" else ""
    evidence = call.evidence.split("; ", 1)[-1] if call.given else call.evidence
    return dataclasses.replace(call, role=role, basis=call_basis(table_kind or "customers", role), kind=kind,
                               values=values, given=True, group=group, evidence=f"{why} names it; {evidence}")


#: The call roles of a customer table in the order :meth:`ColumnRoles.summary` lists them, with their heading.
_HEADINGS = {"customer_id": "customer id", "date": "dates", "demographics": "demographics",
             "geography": "geography", "behaviour": "behaviour", "psychographics": "psychographics",
             "technographics": "technographics", "outcome": "outcomes", "identifiers": "personal data",
             "constant": "one value", "weight": "survey weight", "none": "no role"}


def roles_line(heading: str, text: str) -> str:
    """A line of :meth:`ColumnRoles.summary`: a heading, then the text wrapped below it."""
    return textwrap.fill(text, 110, initial_indent=f"  {heading:<15} ", subsequent_indent=" " * 18)


def _wrap(items: list, indent: int, width: int = 90) -> str:
    """Join names with commas, breaking lines before ``width`` and indenting the follow-on lines."""
    lines, line = [], ""
    for item in map(str, items):
        if line and indent + len(line) + len(item) + 2 > width:
            lines.append(line + ",")
            line = item
        else:
            line = f"{line}, {item}" if line else item
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


@dataclass
class RoleSearch:
    """A search for roles under way: the table, the roles found so far and the columns still free.

    :func:`~segkit.io.detect.detect_roles` hands one to each of its steps and to the export
    profiles (:mod:`segkit.io.exports`): a step reads the roles found so far, :meth:`assign` s
    a role it finds and :meth:`withdraw` s one it disproves; a column that takes a role is no
    longer :meth:`free` for another.

    Examples
    --------
    >>> df = pd.DataFrame({"Email": ["a@x.com"], "Date": ["2024-03-05"], "Total": [3.0]})
    >>> search = RoleSearch(df, ColumnRoles(kind="transactions"))
    >>> search.assign("customer_id", "Email")
    >>> search.free(), search.roles.detected
    (['Date', 'Total'], ['customer_id'])
    >>> search.withdraw("customer_id")
    >>> search.free(), search.roles.customer_id
    (['Email', 'Date', 'Total'], None)
    """

    frame: pd.DataFrame
    roles: ColumnRoles
    #: The roles the config gives: the search leaves them as they are.
    given: frozenset[str] = frozenset()
    #: The columns that hold a role.
    taken: set = field(default_factory=set)

    @property
    def kind(self) -> str | None:
        """The kind of table searched: ``"customers"`` or ``"transactions"``."""
        return self.roles.kind

    def free(self) -> list:
        """The columns without a role yet, in table order."""
        return [c for c in self.frame.columns if c not in self.taken]

    def give(self, role: str, value) -> None:
        """Set a role the config gives (a column, or a list of columns for a group)."""
        setattr(self.roles, role, value)
        self._take(role, value)

    def assign(self, role: str, value) -> None:
        """Set a detected role (a column, or a list of columns); ``None`` or ``[]`` leave it unset."""
        if value is None or (isinstance(value, list) and not value):
            return
        setattr(self.roles, role, value)
        self.roles.detected.append(role)
        self._take(role, value)

    def withdraw(self, role: str) -> None:
        """Undo a detected single role: its column is free again."""
        self.taken.discard(getattr(self.roles, role))
        setattr(self.roles, role, None)
        self.roles.detected.remove(role)

    def _take(self, role: str, value) -> None:
        # The country also belongs to the geography group, a customer table's channel or category
        # (a preferred channel, 'Genre' holding genders) is a trait of the customer, and order fields
        # stay among the unused columns, where the check of status columns reads them.
        shared = role in ("country", "order_fields") or (self.kind == "customers" and role in ("channel", "category"))
        if not shared:
            self.taken.update(value if isinstance(value, list) else [value])


def resolve_column(df: pd.DataFrame, name, where: str, label: str):
    """The column of ``df`` the config means by ``name``, or a ColumnError with a suggestion.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    name : str or int
        The name as the config gives it (``2`` finds a column named ``"2"``).
    where : str
        The config key that names it, for the message (``"campaign.response"``).
    label : str
        Name of the table in the message.

    Examples
    --------
    >>> df = pd.DataFrame({"Réponse campagne": ["oui"], "Âge": [40]})
    >>> resolve_column(df, "Réponse campagne", "campaign.response", "clients.csv")
    'Réponse campagne'
    >>> resolve_column(df, "Reponse campagne", "campaign.response", "clients.csv")
    Traceback (most recent call last):
    ...
    segkit.exceptions.ColumnError: clients.csv: column 'Reponse campagne' (campaign.response) is not in the data; did you mean 'Réponse campagne'?
    """
    if name in df.columns:
        return name
    as_text = {str(c): c for c in df.columns}
    if str(name) in as_text:
        return as_text[str(name)]
    same = [c for c in df.columns if name_key(c) == name_key(name)]
    close = same or difflib.get_close_matches(str(name), list(as_text), n=1, cutoff=0.5)
    if close:
        hint = f"did you mean {str(close[0])!r}?"
    else:
        hint = f"columns are {listing(df.columns)}"
    raise ColumnError(f"{label}: column {str(name)!r} ({where}) is not in the data; {hint}")
