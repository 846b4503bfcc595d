"""What today's segkit answers for each column, mapped onto the benchmark's roles, bases and kinds.

Today's segkit has no kind and no ``outcome`` role: :func:`predict` maps what it has, by the
rules of :data:`MAPPING` (which ``benchmarks/results/roles.md`` prints). When segkit gains
``kind`` and ``outcome``, this module is the one place to read them from.

Examples
--------
>>> import pandas as pd
>>> from segkit.io import ColumnRoles
>>> roles = ColumnRoles(customer_id="ID", demographics=["Age"], campaigns=["Churn"], unused=["Note"],
...                     kind="customers")
>>> loaded = pd.DataFrame({"ID": ["a"], "Age": [30], "Churn": [1], "Note": ["x"]})
>>> [(p.role, p.basis, p.kind) for p in predict(["ID", "Age", "Churn", "Note"], roles, loaded=loaded)]
[('customer_id', 'none', 'identifier'), ('demographics', 'demographic', 'number'), ('outcome', 'none', 'outcome'), ('none', 'none', 'text')]
"""

from __future__ import annotations

import pandas as pd

from segkit.schema import LOG_ROLES, SINGLE_ROLES, scale_order

from benchmarks.rolebench.truth import Truth, basis_of

__all__ = ["MAPPING", "predict"]

#: How today's answers are read, one rule a line (printed in the results file).
MAPPING = (
    "Role, customer table: the group holding the column (`campaigns` read as `outcome`), else `customer_id`, "
    "else `date` (the detected date, or an unused column that loading turned into dates), else `constant` "
    "(`constants`), else `none`.",
    "Role, purchase log: the single role naming the column (`customer_id` ... `country`, `returns`, `time`, "
    "`refunded`), else `identifiers`, else `none` (unused and order fields alike).",
    "Basis: the basis the role implies (`segkit.schema.ROLE_BASES` for groups; for a log, the basis of the features "
    "the role feeds); ids, outcomes, dates, constants and unused columns have none.",
    "Kind by role: ids and invoices -> identifier; `campaigns` -> outcome; dates and times -> date; amount, price, "
    "refunded, quantity -> number; a log's channel, category, country, returns -> code.",
    "Kind of a customer table's grouped or constant column: what the feature table makes of it (`build_features`): "
    "an ordered category -> ordinal, another category or text -> code, a number or 0/1 flag -> number, "
    "`<column>_days` -> date; for a column the feature table renames or drops, its type after loading "
    "(text whose levels form a scale of `segkit.schema.scale_order` -> ordinal).",
    "Kind of an unused column: its type after loading (after reading, for a log): number -> number, "
    "dates -> date, text -> text.",
    "`number` counts as right for money, count, quantity and share (today's segkit tells no number kinds apart); "
    "it is wrong for codes, flags and scales written as numbers.",
)

_GROUPS = ("identifiers", "campaigns", "demographics", "geography", "behaviour", "psychographics", "technographics")
_KIND_OF_ROLE = {"customer_id": "identifier", "invoice": "identifier", "identifiers": "identifier",
                 "outcome": "outcome", "date": "date", "time": "date", "amount": "number", "price": "number",
                 "refunded": "number", "quantity": "number", "channel": "code", "category": "code", "country": "code",
                 "returns": "code"}


def _customer_role(column, roles, loaded: pd.DataFrame | None) -> str:
    for group in _GROUPS:
        if column in getattr(roles, group):
            return "outcome" if group == "campaigns" else group
    if column == roles.customer_id:
        return "customer_id"
    if column == roles.date or (loaded is not None and column in loaded
                                and pd.api.types.is_datetime64_any_dtype(loaded[column])):
        return "date"
    return "constant" if column in roles.constants else "none"


def _log_role(column, roles) -> str:
    for role in (*SINGLE_ROLES, *LOG_ROLES):
        if getattr(roles, role) == column:
            return role
    return "identifiers" if column in roles.identifiers else "none"


def _type_kind(values: pd.Series, text: str) -> str:
    """The kind a column's type says: number, date, the kind of a category, or ``text`` for text
    (``"scale"``: ordinal when the levels form a scale of :func:`segkit.schema.scale_order`, else code)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if isinstance(values.dtype, pd.CategoricalDtype):
        return "ordinal" if values.dtype.ordered else "code"
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        return "number"
    if text != "scale":
        return text
    levels = values.dropna().astype(str).str.strip().unique()
    return "ordinal" if len(levels) <= 30 and scale_order(levels) is not None else "code"


def _customer_kind(column, role: str, loaded: pd.DataFrame | None, features: pd.DataFrame | None) -> str | None:
    if role in _KIND_OF_ROLE:
        return _KIND_OF_ROLE[role]
    if role != "none" and features is not None:
        if column in features:
            return _type_kind(features[column], "code")
        if f"{column}_days" in features:
            return "date"
    if loaded is None or column not in loaded:
        return None
    return _type_kind(loaded[column], "text" if role == "none" else "scale")


def predict(columns: list, roles, *, loaded: pd.DataFrame | None = None,
            features: pd.DataFrame | None = None) -> list[Truth]:
    """Today's role, basis and kind of each of ``columns``, from segkit's ``roles``.

    Parameters
    ----------
    columns : list
        The table's columns as read.
    roles : segkit.io.ColumnRoles
        What :func:`segkit.io.detect_roles` found.
    loaded : pandas.DataFrame, optional
        The table after loading (``Analysis.load()``; the raw table for a log), or None when
        loading failed: kinds that need it are then None.
    features : pandas.DataFrame, optional
        A customer table's feature frame (``Analysis.build_features()``).
    """
    out = []
    for column in columns:
        if roles.kind == "customers":
            role = _customer_role(column, roles, loaded)
            kind = _customer_kind(column, role, loaded, features)
        else:
            role = _log_role(column, roles)
            kind = _KIND_OF_ROLE.get(role) or (None if loaded is None else _type_kind(loaded[column], "text"))
        out.append(Truth(role, basis_of(roles.kind, role), kind))
    return out
