"""What a generated column truly is: its role, basis and kind, and the tables that hold them.

The vocabulary is issue 14's: every column has a *role* (what the table uses it for), a *basis*
(the segmentation basis its features belong to, or ``"none"``) and a *kind* (what its values
are). Roles and bases come from :mod:`segkit.schema`, plus the three roles issue 14 adds for a
customer table: ``outcome`` (an answer to predict or a result of the past: churn, a segment
label, a campaign response), ``constant`` (one value) and ``none`` (no role: free text, a row
number).

Examples
--------
>>> truth("customers", "behaviour", "money")
Truth(role='behaviour', basis='behavioural', kind='money')
>>> truth("transactions", "country", "code").basis
'geographic'
>>> kind_matches("count", "number"), kind_matches("flag", "number"), kind_matches("flag", "flag")
(True, False, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from segkit.schema import GROUP_ROLES, LOG_ROLES, ROLE_BASES, SINGLE_ROLES

__all__ = ["CUSTOMER_ROLES", "KINDS", "LOG_ROLE_BASES", "NUMBER_KINDS", "TABLE_ROLES", "TRANSACTION_ROLES",
           "Table", "TrueColumn", "Truth", "basis_of", "kind_matches", "truth"]

#: What a column's values are. ``number`` is not a kind: it is what a predictor that tells
#: no number kinds apart may answer for any of :data:`NUMBER_KINDS`.
KINDS = ("money", "count", "quantity", "share", "code", "flag", "ordinal", "date", "identifier", "text", "outcome")
NUMBER_KINDS = ("money", "count", "quantity", "share")

#: Roles of a customer table's columns: the groups (issue 14's ``outcome`` in place of
#: ``campaigns``), the id, a date, one value, or none.
CUSTOMER_ROLES = ("customer_id", "date", *(g for g in GROUP_ROLES if g != "campaigns"), "outcome", "constant", "none")
#: Roles of a purchase log's columns: the single roles, the log roles, identifiers, or none.
TRANSACTION_ROLES = (*SINGLE_ROLES, *LOG_ROLES, "identifiers", "none")
TABLE_ROLES = {"customers": CUSTOMER_ROLES, "transactions": TRANSACTION_ROLES}

#: Basis of the features a purchase log's column feeds, as :func:`segkit.schema.log_basis`
#: tags them: amounts make ``monetary`` and ``avg_order_value`` (value), dates and orders make
#: recency, frequency and tenure (behavioural), channel and category shares are behavioural,
#: country shares geographic.
LOG_ROLE_BASES = {
    "amount": "value", "price": "value", "quantity": "value", "refunded": "value", "returns": "value",
    "date": "behavioural", "time": "behavioural", "invoice": "behavioural",
    "channel": "behavioural", "category": "behavioural", "country": "geographic",
}


@dataclass(frozen=True)
class Truth:
    """A column's role, basis and kind."""

    role: str
    basis: str
    kind: str


def basis_of(table_kind: str, role: str) -> str:
    """The basis a ``role`` of a ``table_kind`` table implies: a customer table's group has the
    basis :data:`segkit.schema.ROLE_BASES` gives it, a purchase log's role the basis of the
    features it feeds (:data:`LOG_ROLE_BASES`); ids, outcomes, dates, constants and unused
    columns have none.

    Examples
    --------
    >>> basis_of("customers", "outcome"), basis_of("customers", "geography"), basis_of("transactions", "amount")
    ('none', 'geographic', 'value')
    """
    if role not in TABLE_ROLES[table_kind]:
        raise ValueError(f"role {role!r} is not a {table_kind} role; expected one of {list(TABLE_ROLES[table_kind])}")
    return (ROLE_BASES if table_kind == "customers" else LOG_ROLE_BASES).get(role, "none")


def truth(table_kind: str, role: str, kind: str) -> Truth:
    """The :class:`Truth` of a column with ``role`` and ``kind`` in a ``table_kind`` table (the
    basis follows from the role: :func:`basis_of`).

    Examples
    --------
    >>> truth("customers", "outcome", "outcome")
    Truth(role='outcome', basis='none', kind='outcome')
    """
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is unknown; expected one of {list(KINDS)}")
    return Truth(role, basis_of(table_kind, role), kind)


def kind_matches(true_kind: str, predicted: str | None) -> bool:
    """Whether ``predicted`` is right for ``true_kind``: the same kind, or ``number`` for a number kind.

    Examples
    --------
    >>> kind_matches("money", "money"), kind_matches("money", "count"), kind_matches("ordinal", "number")
    (True, False, False)
    """
    return predicted == true_kind or (predicted == "number" and true_kind in NUMBER_KINDS)


@dataclass(frozen=True)
class TrueColumn:
    """A generated column: its name, its truth, and the concept it was drawn from.

    ``concept`` is the generator's key (``"telco.churn"``), kept to name examples of confusions.
    """

    name: str
    truth: Truth
    concept: str

    @property
    def role(self) -> str:
        return self.truth.role

    @property
    def basis(self) -> str:
        return self.truth.basis

    @property
    def kind(self) -> str:
        return self.truth.kind


@dataclass
class Table:
    """A generated table: its values as a file would hold them, and the truth of every column.

    ``frame`` has one column per entry of ``columns``, in the same order; ``layout`` says how
    the file is written (see :func:`benchmarks.rolebench.files.write_table`).
    """

    name: str
    kind: str
    shape: str
    language: str
    frame: pd.DataFrame
    columns: tuple[TrueColumn, ...]
    layout: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if list(self.frame.columns) != [c.name for c in self.columns]:
            raise ValueError(f"{self.name}: the frame's columns differ from the truth's")

    def __repr__(self) -> str:
        return (f"Table({self.name!r}, {self.kind}, {len(self.frame):,} rows x {len(self.columns)} columns, "
                f"{self.language})")
