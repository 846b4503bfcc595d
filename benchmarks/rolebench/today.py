"""What today's segkit answers for each column, read from its column calls.

:func:`segkit.io.detect_roles` gives every column a call (:class:`segkit.io.ColumnCall`): a role,
a basis and a kind in the benchmark's vocabulary. :func:`predict` reads them, by the rules of
:data:`MAPPING` (which ``benchmarks/results/roles.md`` prints), and holds segkit to its word: a
customer-table column's kind counts only when the feature table built from it agrees (an
``ordinal`` column must become an ordered category, a ``code`` a category, a ``flag`` a 0/1
column, a number kind a number, a ``date`` days since the date; identifiers and free text no
feature); where it does not, the kind the feature table shows is the answer.

Examples
--------
>>> import pandas as pd
>>> from segkit.io import detect_roles
>>> raw = pd.DataFrame({"ID": ["a", "b", "c", "d"], "Age": [30, 41, 52, 33], "Churn": ["yes", "no", "no", "yes"],
...                     "Comments": ["called about the delivery", "wants a refund", "happy", "asked about points"]})
>>> roles = detect_roles(raw, kind="customers")
>>> [(p.role, p.basis, p.kind) for p in predict(list(raw.columns), roles)]
[('customer_id', 'none', 'identifier'), ('demographics', 'demographic', 'quantity'), ('outcome', 'none', 'outcome'), ('none', 'none', 'text')]
"""

from __future__ import annotations

import pandas as pd

from benchmarks.rolebench.truth import NUMBER_KINDS, Truth

__all__ = ["MAPPING", "built_kind", "predict"]

#: How segkit's answers are read, one rule a line (printed in the results file).
MAPPING = (
    "Role, basis and kind: the column's call (`segkit.io.ColumnRoles.columns`, one `ColumnCall` per column), "
    "whose vocabulary is the benchmark's (a customer table's campaign responses and other outcomes are both "
    "`outcome`; a purchase log's order fields and unused columns `none`).",
    "Kind, held to what segkit does: a customer-table column's kind counts only when the feature table built from "
    "it agrees (`ordinal` an ordered category, `code` a category, `flag` a 0/1 column, money/count/quantity/share "
    "a number, `date` days since the date or an age, `outcome` a feature tagged outcome or campaign); otherwise "
    "the answer is the kind the feature table shows (`number` for a number, which counts as wrong).",
    "A table whose reading, detection, loading or features crashed counts every column as wrong in *right*.",
)

_NOT_FEATURES = ("identifier", "text")


def built_kind(column, kind: str, features: pd.DataFrame, bases: dict) -> str:
    """The kind the feature table shows for a customer-table ``column`` segkit called ``kind``:
    ``kind`` itself when the features agree, else what they show.

    Examples
    --------
    >>> X = pd.DataFrame({"tier": pd.Categorical(["a", "b"], ordered=True), "n": [1.0, 2.0]})
    >>> built_kind("tier", "ordinal", X, {}), built_kind("n", "ordinal", X, {}), built_kind("Notes", "text", X, {})
    ('ordinal', 'number', 'text')
    """
    if column not in features:
        return kind  # dates become '<column>_days' or an age; ids, text and constants are no feature
    values = features[column]
    if kind == "outcome":
        return kind if bases.get(column) in ("outcome", "campaign") else "number"
    shown = _shown(values)
    if kind in NUMBER_KINDS:
        return kind if shown in ("number", "flag") else shown
    if kind == "flag":
        return kind if shown == "flag" else shown
    return kind if shown == kind else shown


def _shown(values: pd.Series) -> str:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return "ordinal" if values.dtype.ordered else "code"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        present = values.dropna()
        return "flag" if len(present) and present.isin([0, 1]).all() else "number"
    return "code"


def predict(columns: list, roles, *, features: pd.DataFrame | None = None, bases: dict | None = None
            ) -> list[Truth | None]:
    """segkit's role, basis and kind of each of ``columns``, from its calls (None for a column without one).

    Parameters
    ----------
    columns : list
        The table's columns as read.
    roles : segkit.io.ColumnRoles
        What :func:`segkit.io.detect_roles` found.
    features : pandas.DataFrame, optional
        A customer table's feature frame (``Analysis.build_features()``), with ``bases``: each
        kind is then held to what the features show (:func:`built_kind`).
    """
    out = []
    for column in columns:
        call = roles.columns.get(column)
        if call is None:
            out.append(None)
            continue
        kind = call.kind
        if features is not None and roles.kind == "customers":
            kind = built_kind(column, kind, features, bases or {})
            if kind in _NOT_FEATURES and column in features:
                kind = _shown(features[column])  # an id or text that became a feature after all
        out.append(Truth(call.role, call.basis, kind))
    return out
