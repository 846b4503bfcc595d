"""Which features a segmentation uses, which it leaves out and why, and which column is revenue.

The domain rules between the feature table and the segmenter: the default bases
(:func:`default_basis`: what the table has), the columns left out of a basis selection because
they would shape the segments for the wrong reason (:func:`mostly_missing`, :func:`copies`),
the whole choice with a reason for every column left out (:func:`select_features`:
identifiers, outcomes, constants, free text, bases not chosen, ``segmentation.exclude``), and
the column the profiles' revenue figures come from (:func:`value_column`).

Examples
--------
>>> import pandas as pd
>>> from segkit.features.build import FeatureTable
>>> table = FeatureTable(frame=pd.DataFrame({"recency_days": [3, 40], "monetary": [5.0, 7.0], "Income": [1, 2]}),
...                      bases={"recency_days": "behavioural", "monetary": "value", "Income": "demographic"})
>>> default_basis(table)
['behavioural', 'value']
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from segkit.exceptions import ConfigError, SegmentationError
from segkit.features.build import FeatureTable
from segkit.features.screen import SCREEN_REASON, screen_features
from segkit.io.names import is_birth_name, is_birth_year_name
from segkit.schema import BASES, OUTCOME_BASIS

__all__ = ["SURVEY_ITEMS", "Selection", "copies", "default_basis", "is_survey_table", "mostly_missing", "select_features",
           "unknown_feature_message", "value_column"]

#: Bases tried in turn as the default; the first whose bases are all present is chosen.
_DEFAULT_CHOICES = (("behavioural", "value"), ("behavioural",), ("value",), ("demographic",))
#: Bases added, in this order, while the chosen ones hold fewer than two features.
_EXTRA_BASES = ("demographic", "geographic", "technographic", "psychographic")
#: Bases a default never clusters on: campaign history and outcomes are what segments are judged by.
_NEVER_DEFAULT = frozenset({"campaign", OUTCOME_BASIS})


def default_basis(table: FeatureTable) -> list[str]:
    """Bases clustered on when the config names none: behaviour and value when present.

    When those hold fewer than two features (a table with one behavioural column, such as a
    spending score, or none: a survey of demographics), the demographic, geographic,
    technographic and psychographic bases are added in turn until there are two: one number
    alone shows no structure. Campaign history and outcomes never are.

    Examples
    --------
    >>> frame = pd.DataFrame({"age band": pd.Categorical(["a", "b"]), "income band": pd.Categorical(["x", "y"]),
    ...                       "Churn": [0, 1]})
    >>> default_basis(FeatureTable(frame=frame, bases={"age band": "demographic", "income band": "demographic",
    ...                                                "Churn": "outcome"}))
    ['demographic']
    """
    present = set(table.bases.values()) - _NEVER_DEFAULT
    chosen = sorted(present)
    if is_survey_table(table):  # a survey's segments are its respondents' attitudes and technology
        return [b for b in ("psychographic", "technographic") if b in present]
    for choice in _DEFAULT_CHOICES:
        if set(choice) <= present:
            chosen = list(choice)
            break
    for extra in _EXTRA_BASES:
        if table.select(basis=chosen).shape[1] >= 2:
            break
        if extra in present and extra not in chosen:
            chosen = [*chosen, extra]
    return chosen


#: Rated items (ordered psychographic features) that make a table without purchases a survey.
SURVEY_ITEMS = 3


def is_survey_table(table: FeatureTable) -> bool:
    """A table of survey answers: no purchase log nor value, and at least three ordered
    psychographic items (a battery of ratings or attitude scales). Its default basis is what the
    respondents think and use (psychographic, technographic), not their few behaviour columns.

    Examples
    --------
    >>> items = pd.DataFrame({f"q{i}": pd.Categorical(["1", "5"], categories=list("12345"), ordered=True)
    ...                       for i in range(3)})
    >>> table = FeatureTable(frame=items.assign(visits=[1, 9]), bases={"q0": "psychographic", "q1": "psychographic",
    ...                      "q2": "psychographic", "visits": "behavioural"})
    >>> is_survey_table(table), default_basis(table)
    (True, ['psychographic'])
    """
    if "value" in table.bases.values() or getattr(table, "rfm", None) is not None:
        return False
    ordered = [c for c, b in table.bases.items() if b == "psychographic" and c in table.frame
               and isinstance(table.frame[c].dtype, pd.CategoricalDtype) and table.frame[c].dtype.ordered]
    return len(ordered) >= SURVEY_ITEMS


@dataclass(frozen=True)
class Selection:
    """What a segmentation clusters on, and every column left out with the reason.

    ``features`` are clustered, in table order; ``basis`` the bases they were chosen by (None
    when ``segmentation.features`` named them); ``left_out`` maps each other feature (and each
    customer-table column that is no feature) to why; ``notes`` say it for the report.
    """

    def reasons(self) -> dict[str, list]:
        """The columns left out, grouped by why: ``{reason: [columns]}``.

        Examples
        --------
        >>> Selection(["a"], None, {"b": "an outcome", "c": "a date", "d": "an outcome"}).reasons()
        {'an outcome': ['b', 'd'], 'a date': ['c']}
        """
        out: dict[str, list] = {}
        for column, why in self.left_out.items():
            out.setdefault(why, []).append(column)
        return out

    features: list[str]
    basis: list[str] | None
    left_out: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def screened(self) -> list[str]:
        """The features the wide-table screen dropped: neither clustered nor profiled."""
        return [c for c, why in self.left_out.items() if why.startswith(SCREEN_REASON)]


#: Why a customer-table column with a call role makes no feature.
_NO_FEATURE = {"customer_id": "the customer id", "identifiers": "personal data", "constant": "one value",
               "weight": "the survey weight, which weights the figures",
               "date": "a date", "none": "no role", "outcome": "the campaign response targeted on"}


def select_features(table: FeatureTable, *, basis=None, features=None, exclude: Iterable = (),
                    customer_columns: Iterable = (), calls: Mapping | None = None, max_features: int | None = None,
                    random_state: int = 0) -> tuple[pd.DataFrame, Selection]:
    """The features to cluster on, and why every other one is left out.

    Parameters
    ----------
    table : FeatureTable
        The feature table.
    basis, features : list of str, optional
        ``segmentation.basis`` and ``segmentation.features``: exact names win; with neither,
        :func:`default_basis`.
    exclude : iterable of str
        ``segmentation.exclude``: features (or the customer-table columns they come from:
        a birth year for ``age``, a date for ``<column>_days``) never clustered.
    customer_columns : iterable
        The customer table's columns: of these, those missing for most customers are left out
        of a basis selection (:func:`mostly_missing`).
    calls : mapping, optional
        The customer table's column calls (``ColumnRoles.columns``), to say why a column makes
        no feature (an identifier, one value, free text).
    max_features : int, optional
        ``segmentation.max_features``: when the features are chosen by basis and more numeric
        ones than this are chosen, the wide-table screen (:func:`segkit.features.screen.screen_features`,
        seeded by ``random_state``) keeps the best; the others are left out, with the reason,
        and not profiled. Features named in ``features`` are never screened.

    Raises
    ------
    ConfigError
        A name in ``exclude`` is neither a feature nor a column it comes from.
    SegmentationError
        Nothing is left to cluster on.

    Examples
    --------
    >>> frame = pd.DataFrame({"recency_days": [3, 40, 8], "monetary": [5.0, 7.0, 1.0], "Income": [1.0, None, None],
    ...                       "Churn": [0, 1, 0]}, index=pd.Index(["a", "b", "c"], name="customer_id"))
    >>> table = FeatureTable(frame=frame, bases={"recency_days": "behavioural", "monetary": "value",
    ...                                          "Income": "demographic", "Churn": "outcome"})
    >>> X, chosen = select_features(table, exclude=["monetary"])
    >>> list(X.columns), chosen.left_out
    (['recency_days'], {'monetary': 'excluded', 'Income': 'demographic basis not chosen', 'Churn': 'an outcome'})
    """
    if features:
        X, basis = table.select(features=list(features)), None
    else:
        basis = list(basis) if basis else default_basis(table)
        X = table.select(basis=[basis] if isinstance(basis, str) else basis)
    left_out: dict[str, str] = {}
    notes: list[str] = []
    dropped = _excluded(table, exclude)
    if dropped:
        left_out.update(dict.fromkeys((c for c in dropped if c in X.columns), "excluded"))
        X = X.drop(columns=[c for c in dropped if c in X.columns])
        notes.append(f"Left out of clustering as asked (segmentation.exclude): {', '.join(map(str, dropped))}.")
    if basis is not None:
        gaps = mostly_missing(X, customer_columns)
        if len(gaps):
            left_out.update({c: f"missing for {share:.0%} of customers" for c, share in gaps.items()})
            listed = ", ".join(f"{c} ({share:.0%})" for c, share in gaps.items())
            notes.append(f"Not clustered on, because missing for most customers (profiled only): {listed}.")
            X = X.drop(columns=gaps.index)
        repeats = copies(X)
        if repeats:  # everyone bought once: tenure is recency, average order value is spend
            left_out.update({c: f"the same as {of} for every customer" for c, of in repeats.items()})
            listed = ", ".join(f"{c} (= {of})" for c, of in repeats.items())
            notes.append(f"Left out as the same as another feature for every customer: {listed}.")
            X = X.drop(columns=list(repeats))
    if max_features is not None and basis is not None:  # features named one by one are clustered as named
        screen = screen_features(X, max_features=max_features, random_state=random_state)
        if screen.dropped:
            left_out.update({c: f"{SCREEN_REASON}: {why}" for c, why in screen.dropped.items()})
            notes.append(screen.note)
            X = X[screen.kept]
    if X.shape[1] == 0 and not left_out and basis is not None:
        raise SegmentationError(f"segmentation.basis {list(basis)} selects no feature; {_bases_there(table)}")
    if X.shape[1] == 0:
        raise SegmentationError("nothing left to cluster on: every feature of the chosen bases is excluded or "
                                f"mostly missing ({', '.join(f'{c}: {why}' for c, why in left_out.items())})")
    for column in table.frame.columns:
        if column not in X.columns and column not in left_out:
            left_out[column] = _why_not(table, column, basis)
    outcomes = [str(c) for c, why in left_out.items() if why == "an outcome"]
    if outcomes:
        notes.append(f"Outcomes are profiled per segment, not clustered on: {', '.join(outcomes)} (see Outcomes).")
    for column, call in (calls or {}).items():
        if call.role in _NO_FEATURE and column not in left_out and column not in table.frame.columns:
            kind = {"text": "free text", "identifier": "an identifier"}.get(call.kind)
            left_out[column] = kind if call.role == "none" and kind else _NO_FEATURE[call.role]
    return X, Selection(list(map(str, X.columns)), basis, left_out, notes)


def _bases_there(table: FeatureTable) -> str:
    """'the features are in the behavioural and value bases (recency_days, frequency, ...)'."""
    by_basis: dict[str, list[str]] = {}
    for column in table.frame.columns:
        tag = table.bases.get(column)
        if tag in BASES:
            by_basis.setdefault(tag, []).append(str(column))
    if not by_basis:
        return "the table has no feature to cluster on"
    names = list(by_basis)
    listed = ", ".join(names) if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    examples = [c for columns in by_basis.values() for c in columns]
    more = ", ..." if len(examples) > 4 else ""
    return f"the features are in the {listed} {'basis' if len(names) == 1 else 'bases'} " \
           f"({', '.join(examples[:4])}{more})"


def _why_not(table: FeatureTable, column, basis) -> str:
    tag = table.bases.get(column)
    if tag == OUTCOME_BASIS:
        return "an outcome"
    if pd.api.types.is_datetime64_any_dtype(table.frame[column]):
        return "a date"
    if basis is None:
        return "not in segmentation.features"
    if tag == "campaign":
        return "campaign history"
    return f"{tag} basis not chosen" if tag in BASES else "not in the chosen bases"


def _excluded(table: FeatureTable, names: Iterable) -> list:
    """The features ``segmentation.exclude`` names: a feature, or the column it comes from."""
    columns = list(table.frame.columns)
    out = []
    for name in names or ():
        found = [c for c in columns if str(c) == str(name)] or [c for c in columns if str(c) == f"{name}_days"]
        if not found and "age" in columns and _is_birth(name):
            found = ["age"]
        if not found:
            close = difflib.get_close_matches(str(name), [str(c) for c in columns], n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else f"; features are {[str(c) for c in columns][:20]}"
            raise ConfigError(f"segmentation.exclude: {str(name)!r} is not a feature nor a column one comes from{hint}")
        out.extend(c for c in found if c not in out)
    return out


def _is_birth(name) -> bool:
    return is_birth_year_name(name) or is_birth_name(name)


def mostly_missing(X: pd.DataFrame, table_columns, most: float = 0.5) -> pd.Series:
    """Share missing of the customer-table columns of ``X`` missing for more than ``most`` of the
    customers, unless every column of ``X`` is (then nothing would be left to cluster on).

    Filled in with the median, such a column would put most customers on one value and the
    few known answers would shape the segments. Purchase-log features are not judged:
    ``avg_days_between_orders`` is rightly empty for one-off buyers.

    Examples
    --------
    >>> X = pd.DataFrame({"Income": [1.0, None, None], "Age": [30, 40, None]})
    >>> mostly_missing(X, ["Income", "Age"]).round(2).to_dict()
    {'Income': 0.67}
    """
    known = set(table_columns)  # once: a wide table has thousands of columns
    missing = X[[c for c in X.columns if c in known]].isna().mean()
    gaps = missing[missing > most]
    return gaps.iloc[:0] if len(gaps) == X.shape[1] else gaps


def copies(frame: pd.DataFrame) -> dict[str, str]:
    """Columns equal to an earlier column on every row, each with the column it repeats.

    Examples
    --------
    >>> copies(pd.DataFrame({"recency_days": [3, 40], "monetary": [5.0, 7.0], "tenure_days": [3, 40]}))
    {'tenure_days': 'recency_days'}
    """
    first: dict[tuple, str] = {}
    out = {}
    keys = _float_keys(frame)
    for column in frame.columns:
        key = keys.get(column) or ("any", int(pd.util.hash_pandas_object(frame[column], index=False).sum()))
        if key in first and frame[column].equals(frame[first[key]]):
            out[column] = first[key]
        else:
            first.setdefault(key, column)
    return out


def _float_keys(frame: pd.DataFrame) -> dict:
    """A key of each float64 column that equal columns share (-0.0 is 0.0, every NaN alike), from
    its bytes. A column at a time: copying all of them at once into one matrix was the slowest part
    of choosing the features at 800,000 customers (0.8 s, against 0.05 s this way)."""
    if not frame.columns.is_unique:
        return {}
    keys = {}
    for column, dtype in frame.dtypes.items():
        if dtype == np.float64:
            values = frame[column].to_numpy(dtype="float64") + 0.0  # -0.0 + 0.0 is 0.0
            values[np.isnan(values)] = np.nan
            keys[column] = ("float", hash(values.tobytes()))
    return keys


def value_column(frame: pd.DataFrame, bases: dict[str, str], labels: dict[str, str]) -> tuple[str | None, list[str]]:
    """The column revenue figures come from, and the spend columns to sum into it, if any.

    ``monetary`` when there is a purchase log. A customer table alone may still say what each
    customer spent: one spend column (``TotalSpend``, ``Revenue``) is used as it is; spend split
    over categories (iFood's ``MntWines``, ``MntMeatProducts``, ...) is to be summed into
    ``total_spend``. ``labels`` are the columns' names in words (``"wine spend"``), which say
    what a column holds.

    Returns
    -------
    (column, parts)
        ``(None, [])`` when no column holds revenue; ``("total_spend", [parts...])`` when the
        caller should add ``total_spend`` as the sum of ``parts``.

    Examples
    --------
    >>> frame = pd.DataFrame({"MntWines": [1.0], "MntFish": [2.0], "Income": [3.0]})
    >>> bases = {"MntWines": "behavioural", "MntFish": "behavioural", "Income": "demographic"}
    >>> value_column(frame, bases, {"MntWines": "wine spend", "MntFish": "fish spend", "Income": "income"})
    ('total_spend', ['MntWines', 'MntFish'])
    """
    if "monetary" in frame:
        return "monetary", []
    amounts = [c for c in frame.columns if bases.get(c) in ("behavioural", "value")
               and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    whole = [c for c in amounts if labels.get(c) == "spend"]
    if len(whole) == 1:
        return whole[0], []
    parts = whole or [c for c in amounts if str(labels.get(c, "")).endswith(" spend")]
    if len(parts) < 2 or "total_spend" in frame:
        return None, []
    return "total_spend", parts


def unknown_feature_message(features: list, table: FeatureTable, inputs) -> str:
    """Why a name in ``segmentation.features`` is not a feature of ``table`` built from ``inputs``
    (:class:`segkit.inputs.Inputs`), and which names are."""
    columns = [str(c) for c in table.frame.columns]
    name = next(str(f) for f in features if str(f) not in columns)
    roles = inputs.customer_roles
    label = inputs.label("customers") if "customers" in inputs.quality else "the customer table"
    why = {"identifiers": "is a personal identifier in {label}, kept out of the features",
           "constants": "has the same value for every customer in {label}, so it cannot tell segments apart",
           "unused": "was not given a role in {label}; name it under columns: (e.g. columns.behaviour)"}
    for group, reason in why.items():
        if roles is not None and name in map(str, getattr(roles, group, []) or []):
            return f"segmentation.features: {name!r} {reason.format(label=label)}"
    close = difflib.get_close_matches(name, columns, n=3, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    shown = ", ".join(columns[:15]) + (", ..." if len(columns) > 15 else "")
    return f"segmentation.features: {name!r} is not a feature; {hint}expected one of: {shown}"
