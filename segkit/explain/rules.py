"""Rules that recognise each segment: short thresholds a marketer or a CRM can apply.

:func:`segment_rules` fits a shallow threshold tree (:mod:`segkit.explain.tree`, in the spirit
of the IMM / ExKMC threshold trees) that imitates the segmentation on the clustered features
in their own units. Each leaf is a rule of at most three conditions, one per feature: a range
of a number ("1,200 < spend <= 3,000"), a set of levels of a category or an ordered scale.
The leaves cover every customer exactly once, so the rules never disagree and their order
does not matter. Each rule has

* ``customers``: how many customers it matches;
* ``precision``: the share of them in its segment;
* ``coverage``: the share of its segment's customers it matches;

and the rules together have a **fidelity**: the share of customers they put in the segment
the model gave them. A missing value counts as the value the model imputes for it (the
median, the most common level), in Python and in the SQL alike.

:meth:`SegmentRules.to_sql` writes the same rules as a ``CASE`` expression over the
feature table's columns that a warehouse or a CRM can run; :meth:`SegmentRules.predict`
applies them in Python, and the two agree (checked in DuckDB by the tests).

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame({"spend": rng.uniform(0, 4000, 300), "channel": rng.choice(["store", "web"], 300)})
>>> labels = np.where(X["spend"] > 1000, 2, np.where(X["channel"] == "web", 1, 0))
>>> rules = segment_rules(X, labels)
>>> rules.fidelity
1.0
>>> for text in rules.table()["rule"]:
...     print(text)
spend ≤ 1,000 and channel is store
spend ≤ 1,000 and channel is web
spend > 1,000
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from segkit.exceptions import DataError
from segkit.explain.tree import grow_tree
from segkit.features.preprocess import level_positions, numeric_values, seeded_rows
from segkit.explain.formatting import format_number, is_percent, literal, one_line, quote_identifier, quote_text
from segkit.profile.naming import humanise
from segkit.report.style import show

__all__ = ["FIT_ROWS", "MAX_CONDITIONS", "RELIABLE_FIDELITY", "Condition", "Rule", "SegmentRules", "segment_rules"]

#: Most conditions (features) in one rule.
MAX_CONDITIONS = 3
#: Above this many customers the tree is grown on a seeded sample of this size (and the rules
#: are measured on every customer).
FIT_ROWS = 50_000
#: Rules whose fidelity is below this are shown as approximations, with the reason.
RELIABLE_FIDELITY = 0.8
#: How far the fidelity on customers the rules were not fitted on may fall short of it.
HOLDOUT_SLACK = 0.05
#: Most levels of a category a rule can name (the commonest).
MAX_LEVELS = 30


@dataclass(frozen=True)
class Condition:
    """One condition of a rule, on one feature.

    Attributes
    ----------
    feature : str
        The feature table's column.
    kind : {"number", "ordinal", "category"}
    low, high : float or None
        ``low < value <= high`` (a number, or an ordered scale's level position).
    levels : tuple of str
        A category's levels (``value in levels``, or not in them when ``negated``); for an
        ordered scale, all its levels in order.
    negated : bool
    fill : object
        What a missing value counts as.
    percent, integer : bool
        Show the number as a percentage; the feature holds whole numbers only.
    values : tuple of float
        A flag's two values (``(0.0, 1.0)``), shown as "= 1" rather than "> 0".
    """

    feature: str
    kind: str
    low: float | None = None
    high: float | None = None
    levels: tuple = ()
    negated: bool = False
    fill: Any = None
    percent: bool = False
    integer: bool = False
    values: tuple = ()

    # -- applying
    def mask(self, X: pd.DataFrame) -> np.ndarray:
        """Which rows of ``X`` meet the condition (missing values filled as the model does)."""
        if self.feature not in X.columns:
            raise DataError(f"X: column {self.feature!r}, which the segment rules use, is missing; "
                            f"expected the feature table's columns")
        column = X[self.feature]
        if self.kind == "category":
            text = column.astype("string").fillna(str(self.fill)).to_numpy(dtype=object)
            inside = np.isin(text, list(self.levels))
            return ~inside if self.negated else inside
        if self.kind == "ordinal":
            values = level_positions(column.to_frame(), [list(self.levels)])[:, 0]
            values = np.where(np.isnan(values), float(self.levels.index(self.fill)), values)
        else:
            values = numeric_values(column)
            if values is None:
                raise DataError(f"X: column {self.feature!r} is not numeric; the segment rules compare it with "
                                f"numbers")
            values = np.where(np.isnan(values), float(self.fill), values)
        out = np.ones(len(values), dtype=bool)
        if self.low is not None:
            out &= values > self.low
        if self.high is not None:
            out &= values <= self.high
        return out

    # -- reading
    @property
    def text(self) -> str:
        """The condition in words and symbols (``spend > 1,200``)."""
        label = humanise(self.feature)
        if self.kind == "category":
            listed = " or ".join(map(str, self.levels))
            return f"{label} is {'not ' if self.negated else ''}{listed}"
        if self.kind == "ordinal":
            first = 0 if self.low is None else int(math.floor(self.low)) + 1
            last = len(self.levels) - 1 if self.high is None else int(math.floor(self.high))
            if self.low is None:
                return f"{label} at most {self.levels[last]}"
            if self.high is None:
                return f"{label} at least {self.levels[first]}"
            return f"{label} from {self.levels[first]} to {self.levels[last]}"
        if self.values:
            value = self.values[0] if self.high is not None else self.values[1]
            return f"{label} = {self._number(value)}"
        if self.integer:
            low = None if self.low is None else math.floor(self.low) + 1
            high = None if self.high is None else math.floor(self.high)
            if low is not None and high is not None:
                return f"{label} = {self._number(low)}" if low == high else \
                    f"{self._number(low)} ≤ {label} ≤ {self._number(high)}"
            return f"{label} ≥ {self._number(low)}" if high is None else f"{label} ≤ {self._number(high)}"
        if self.low is not None and self.high is not None:
            return f"{self._number(self.low)} < {label} ≤ {self._number(self.high)}"
        return f"{label} > {self._number(self.low)}" if self.high is None else f"{label} ≤ {self._number(self.high)}"

    def _number(self, value: float) -> str:
        return format_number(value, percent=self.percent)

    def sql(self) -> str:
        """The condition as SQL over the feature table's column (standard SQL, DuckDB-tested)."""
        name = quote_identifier(self.feature)
        if self.kind == "category":
            listed = ", ".join(quote_text(level) for level in self.levels)
            negated = "NOT " if self.negated else ""
            return f"COALESCE(CAST({name} AS VARCHAR), {quote_text(self.fill)}) {negated}IN ({listed})"
        if self.kind == "ordinal":
            first = 0 if self.low is None else int(math.floor(self.low)) + 1
            last = len(self.levels) - 1 if self.high is None else int(math.floor(self.high))
            listed = ", ".join(quote_text(level) for level in self.levels[first:last + 1])
            return f"COALESCE(CAST({name} AS VARCHAR), {quote_text(self.fill)}) IN ({listed})"
        value = f"COALESCE(CAST({name} AS DOUBLE), {literal(self.fill)})"
        parts = []
        if self.low is not None:
            parts.append(f"{value} > {literal(self.low)}")
        if self.high is not None:
            parts.append(f"{value} <= {literal(self.high)}")
        return " AND ".join(parts)


@dataclass(frozen=True)
class Rule:
    """A rule: conditions that all hold, the segment it names, and how well it does.

    Attributes
    ----------
    segment : int
    conditions : tuple of Condition
    customers : int
        Customers the rule matches.
    precision : float
        Share of them in ``segment``.
    coverage : float
        Share of ``segment``'s customers it matches.
    """

    segment: int
    conditions: tuple
    customers: int = 0
    precision: float = float("nan")
    coverage: float = 0.0

    @property
    def text(self) -> str:
        """The conditions joined with "and" ("everyone" for a rule without conditions)."""
        return " and ".join(c.text for c in self.conditions) or "everyone"

    def mask(self, X: pd.DataFrame) -> np.ndarray:
        """Which rows of ``X`` the rule matches."""
        out = np.ones(len(X), dtype=bool)
        for condition in self.conditions:
            out &= condition.mask(X)
        return out

    def sql(self) -> str:
        """The conditions as a SQL boolean expression."""
        return " AND ".join(f"({c.sql()})" if " AND " in c.sql() else c.sql() for c in self.conditions) or "TRUE"


@dataclass
class SegmentRules:
    """Rules that recognise each segment, with their precision, coverage and overall fidelity.

    Made by :func:`segment_rules`. The rules partition the customers: each customer meets
    exactly one rule.

    Attributes
    ----------
    rules : list of Rule
        Sorted by segment, then by customers (most first).
    n_segments : int
    fidelity : float
        Share of customers the rules put in the segment the model gave them.
    holdout_fidelity : float or None
        The fidelity of rules grown on half of the customers, measured on the other half
        (None with fewer than 200 customers): a guard against rules that only memorise.
    max_conditions : int
    names : dict
        ``{segment: name}`` used by :meth:`table`, :meth:`to_sql` and the displays.
    features : list of str
        The features the rules could use (the clustered ones).
    """

    rules: list
    n_segments: int
    fidelity: float
    holdout_fidelity: float | None = None
    max_conditions: int = MAX_CONDITIONS
    names: dict = field(default_factory=dict)
    features: list = field(default_factory=list)

    # -- self-check
    @property
    def reliable(self) -> bool:
        """Whether the rules describe the segments well enough to be read as their definition."""
        return self.reason is None

    @property
    def reason(self) -> str | None:
        """Why the rules are only an approximation (None when they are reliable)."""
        if self.fidelity < RELIABLE_FIDELITY:
            return (f"the rules put only {self.fidelity:.0%} of customers in their own segment (below "
                    f"{RELIABLE_FIDELITY:.0%}): the segments have no simple boundaries in "
                    f"{self.max_conditions} features; read the rules as rough descriptions")
        if self.holdout_fidelity is not None and self.holdout_fidelity < self.fidelity - HOLDOUT_SLACK:
            return (f"rules grown on half of the customers describe the other half less well "
                    f"({self.holdout_fidelity:.0%} against {self.fidelity:.0%}): they fit details of these "
                    "customers; read them as rough descriptions")
        return None

    # -- applying
    def predict(self, X: pd.DataFrame) -> pd.Series:
        """The segment the rules give each row of ``X`` (a Series named ``segment``)."""
        out = np.full(len(X), -1, dtype=np.int64)
        for rule in self.rules:
            out = np.where((out < 0) & rule.mask(X), rule.segment, out)
        return pd.Series(out, index=X.index, name="segment")

    # -- outputs
    def _name(self, segment: int, names: Mapping | None) -> str:
        names = self.names if names is None else names
        return str(names.get(segment, f"Segment {segment}"))

    def table(self, names: Mapping[int, str] | None = None) -> pd.DataFrame:
        """``segment_rules.csv``: ``segment, segment_name, rule, customers, precision, coverage``.

        A segment no rule names keeps a row saying so (0 customers, coverage 0).
        """
        rows = [{"segment": r.segment, "segment_name": self._name(r.segment, names), "rule": r.text,
                 "customers": r.customers, "precision": r.precision, "coverage": r.coverage} for r in self.rules]
        named = {r.segment for r in self.rules}
        rows += [{"segment": s, "segment_name": self._name(s, names),
                  "rule": "(no rule: its customers fall under other segments' rules)", "customers": 0,
                  "precision": float("nan"), "coverage": 0.0} for s in range(self.n_segments) if s not in named]
        table = pd.DataFrame(rows, columns=["segment", "segment_name", "rule", "customers", "precision", "coverage"])
        order = table.assign(_n=-table["customers"]).sort_values(["segment", "_n"], kind="stable").index
        return table.loc[order].reset_index(drop=True).astype({"segment": "int64", "customers": "int64"})

    def to_sql(self, names: Mapping[int, str] | None = None, *, title: str | None = None) -> str:
        """``segment_rules.sql``: the rules as a ``CASE`` expression giving the segment id.

        Run it on the customer feature table (one row per customer, the columns the rules
        name), e.g. ``SELECT customer_id, <this> AS segment FROM customer_features``.
        """
        used = sorted({c.feature for r in self.rules for c in r.conditions})
        head = [f"-- Segment rules{f' for {title}' if title else ''}, written by segkit.",
                f"-- Fidelity {self.fidelity:.1%}: the share of customers the rules put in the segment the model gave "
                "them.",
                "-- A CASE expression over the customer feature table (one row per customer); columns used: "
                + (", ".join(used) or "none") + ".",
                "-- A missing value counts as the value the model imputes for it (the COALESCE defaults).",
                "-- Use: SELECT customer_id, <this expression> AS segment FROM customer_features"]
        if self.reason:
            head.append(f"-- Note: {self.reason}.")
        lines = ["CASE"]
        for rule in self.rules:
            lines.append(f"  WHEN {rule.sql()} THEN {rule.segment}")
            lines.append(f"    -- {one_line(self._name(rule.segment, names))}: {rule.customers:,} customers, "
                         f"precision {rule.precision:.1%}, coverage {rule.coverage:.1%}")
        lines += ["  ELSE NULL", "END"]
        return "\n".join(head + lines) + "\n"

    def summary(self, names: Mapping[int, str] | None = None) -> dict[str, Any]:
        """What ``summary.json["rules"]`` records (JSON-ready)."""
        table = self.table(names)
        records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        return {
            "fidelity": round(float(self.fidelity), 6),
            "holdout_fidelity": None if self.holdout_fidelity is None else round(float(self.holdout_fidelity), 6),
            "reliable": self.reliable,
            "reason": self.reason,
            "max_conditions": self.max_conditions,
            "n_rules": len(self.rules),
            "rules": [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()} for row in records],
        }

    # -- displays
    def __repr__(self) -> str:
        head = (f"SegmentRules({len(self.rules)} rules for {self.n_segments} segments, fidelity {self.fidelity:.1%}; "
                f"at most {self.max_conditions} conditions each)")
        lines = [head] + [f"  {r.segment} {self._name(r.segment, None)}: {r.text}  "
                          f"({r.customers:,} customers, precision {r.precision:.0%}, coverage {r.coverage:.0%})"
                          for r in self.rules]
        if self.reason:
            lines.append(f"  note: {self.reason}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = (f"Segment rules: fidelity {self.fidelity:.1%} (the share of customers the rules put in their "
                   f"own segment); at most {self.max_conditions} conditions per rule.")
        if self.reason:
            caption += f" Note: {self.reason}."
        return show(self.table(), percent=["precision", "coverage"], hide_index=True, caption=caption).to_html()


# ---------------------------------------------------------------------------- fitting

def segment_rules(
    X: pd.DataFrame,
    labels,
    *,
    fills: Mapping[str, Any] | None = None,
    ordinal: Mapping[str, list] | None = None,
    names: Mapping[int, str] | None = None,
    max_conditions: int = MAX_CONDITIONS,
    max_rules: int | None = None,
    min_rule_size: int = 10,
    random_state: int = 0,
) -> SegmentRules:
    """Short threshold rules that recognise each segment (see the module).

    Parameters
    ----------
    X : DataFrame
        The clustered features in their own units, one row per customer.
    labels : array-like of int
        Each customer's segment (0..k-1), in the order of ``X``.
    fills : mapping, optional
        What a missing value of each feature counts as (the segmenter's imputation,
        :func:`segkit.explain.prepared.fill_values`); default: the median or the commonest level.
    ordinal : mapping, optional
        ``{column: [levels]}`` of ordered scales (ordered categoricals are found by themselves).
    names : mapping, optional
        ``{segment: name}`` for the displays and files.
    max_conditions : int
        Most conditions (features) per rule.
    max_rules : int, optional
        Most rules; default twice the number of segments, at least 4.
    min_rule_size : int
        Fewest customers a rule may match (the report's ``min_cell_size``); at least 0.5% of
        the customers.
    random_state : int
        Seed of the sample the tree is grown on (more than :data:`FIT_ROWS` customers) and of
        the halves the holdout fidelity uses.

    Returns
    -------
    SegmentRules
    """
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) != len(X):
        raise DataError(f"labels: {len(labels):,} segments for {len(X):,} customers; expected one per row of X")
    k = int(labels.max()) + 1 if len(labels) else 0
    settings = {"max_conditions": max_conditions, "max_rules": max_rules or max(4, 2 * k),
                "min_rule_size": min_rule_size}
    rows = seeded_rows(len(X), FIT_ROWS, random_state)
    fit_rows = np.arange(len(X)) if rows is None else rows
    design = _Design(X, fills=fills, ordinal=ordinal, rows=rows)
    rules = _grow(design, labels, fit_rows, k, **settings)
    rules = _measure(rules, X, labels, k)
    fidelity = float((_assign(rules, X) == labels).mean()) if len(X) else float("nan")
    holdout = _holdout_fidelity(design, X, labels, fit_rows, k, random_state, settings)
    return SegmentRules(rules=rules, n_segments=k, fidelity=fidelity, holdout_fidelity=holdout,
                        max_conditions=max_conditions, names=dict(names or {}), features=list(map(str, X.columns)))


def _grow(design: _Design, labels: np.ndarray, rows: np.ndarray, k: int, *, max_conditions: int, max_rules: int,
          min_rule_size: int) -> list[Rule]:
    n = len(rows)
    leaves = grow_tree(design.at(rows), labels[rows], groups=design.groups, n_classes=max(k, 1),
                       max_features=max_conditions, max_leaves=max_rules,
                       min_leaf=max(min_rule_size, math.ceil(0.005 * n), 1), min_gain=max(1, math.ceil(0.002 * n)))
    return [Rule(segment=leaf.label, conditions=design.conditions(leaf.path)) for leaf in leaves]


def _assign(rules: list[Rule], X: pd.DataFrame) -> np.ndarray:
    out = np.full(len(X), -1, dtype=np.int64)
    for rule in rules:
        out = np.where((out < 0) & rule.mask(X), rule.segment, out)
    return out


def _measure(rules: list[Rule], X: pd.DataFrame, labels: np.ndarray, k: int) -> list[Rule]:
    """The rules with their customers, precision and coverage on all of ``X``, sorted."""
    sizes = np.bincount(labels, minlength=k)
    out = []
    for rule in rules:
        matched = rule.mask(X)
        n = int(matched.sum())
        hits = int((labels[matched] == rule.segment).sum())
        out.append(replace(rule, customers=n, precision=hits / n if n else float("nan"),
                           coverage=hits / sizes[rule.segment] if sizes[rule.segment] else 0.0))
    return sorted(out, key=lambda r: (r.segment, -r.customers))


def _holdout_fidelity(design, X, labels, fit_rows, k, random_state, settings) -> float | None:
    """Fidelity on half of the customers of rules grown on the other half."""
    if len(fit_rows) < 200:
        return None
    shuffled = np.random.RandomState(random_state).permutation(fit_rows)
    half = len(shuffled) // 2
    train, test = np.sort(shuffled[:half]), np.sort(shuffled[half:])
    rules = _grow(design, labels, train, k, **settings)
    held = X.iloc[test]
    return float((_assign(rules, held) == labels[test]).mean())


# ---------------------------------------------------------------------------- the design matrix

class _Design:
    """The features as numbers the tree can split: a number as it is, an ordered scale as its
    level position, a category as one 0/1 column per level (its commonest levels).

    Fill values and what the conditions say of a column are read on every row of ``X``; the
    matrix holds the rows ``rows`` only (all when None), the ones a tree is grown on: on 5M
    customers the whole matrix and its columns held 1.5 GB for a 50,000-row fit."""

    def __init__(self, X: pd.DataFrame, *, fills: Mapping[str, Any] | None, ordinal: Mapping[str, list] | None,
                 rows: np.ndarray | None = None):
        self.rows = rows
        kept = (lambda values: values) if rows is None else (lambda values: values[rows])
        fills, ordinal = dict(fills or {}), {str(c): list(v) for c, v in (ordinal or {}).items()}
        columns, groups, self.meta = [], [], []
        for g, name in enumerate(X.columns):
            column = X[name]
            dtype = column.dtype
            if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered and name not in ordinal:
                ordinal[name] = [str(c) for c in dtype.categories]
            if name in ordinal:
                levels = tuple(map(str, ordinal[name]))
                positions = level_positions(column.to_frame(), [list(levels)])[:, 0]
                fill = fills.get(name)
                if fill not in levels:
                    known = positions[~np.isnan(positions)]
                    fill = levels[int(np.median(known))] if known.size else levels[0]
                columns.append(kept(np.where(np.isnan(positions), levels.index(fill), positions)))
                groups.append(g)
                self.meta.append({"feature": name, "kind": "ordinal", "levels": levels, "fill": fill})
                continue
            values = numeric_values(column)
            if values is not None:
                fill = fills.get(name)
                if fill is None or (isinstance(fill, float) and math.isnan(fill)):
                    known = values[~np.isnan(values)]
                    fill = float(np.median(known)) if known.size else 0.0
                filled = np.where(np.isnan(values), float(fill), values)
                distinct = np.unique(filled[:100_000])
                flag = distinct.size == 2 and np.isin(filled, distinct).all()
                columns.append(kept(filled))
                groups.append(g)
                self.meta.append({
                    "feature": name, "kind": "number", "fill": float(fill),
                    "percent": is_percent(name, filled),
                    "integer": bool(np.all(np.mod(filled, 1) == 0)),
                    "values": tuple(float(v) for v in distinct) if flag else (),
                })
                continue
            text = column.astype("string")
            fill = fills.get(name)
            if fill is None:
                mode = text.mode(dropna=True)
                fill = str(mode.iloc[0]) if len(mode) else ""
            text = text.fillna(str(fill)).to_numpy(dtype=object)
            present = tuple(str(v) for v in pd.Series(text).value_counts().index)
            for level in present[:MAX_LEVELS]:
                columns.append(kept((text == level).astype(float)))
                groups.append(g)
                self.meta.append({"feature": name, "kind": "category", "level": level, "fill": str(fill),
                                  "present": present})
        self.matrix = np.column_stack(columns) if columns else np.empty((len(X) if rows is None else len(rows), 0))
        self.groups = groups

    def at(self, rows: np.ndarray) -> np.ndarray:
        """The matrix at rows ``rows`` of ``X`` (sorted, among the rows it holds)."""
        if self.rows is None:
            return self.matrix[rows]
        where = np.searchsorted(self.rows, rows)
        if not np.array_equal(self.rows[np.minimum(where, len(self.rows) - 1)], rows):
            raise ValueError("rows outside the design matrix")
        return self.matrix[where]

    def conditions(self, path: tuple) -> tuple[Condition, ...]:
        """A leaf's path ``((column, goes_left, threshold), ...)`` as one condition per feature,
        in the order the path first uses them."""
        by_feature: dict[str, list] = {}
        for j, left, threshold in path:
            by_feature.setdefault(self.meta[j]["feature"], []).append((self.meta[j], left, threshold))
        return tuple(_condition(steps) for steps in by_feature.values())


def _condition(steps: list) -> Condition:
    """One feature's steps on a path as one condition (a range, or a set of levels)."""
    meta = steps[0][0]
    if meta["kind"] == "category":
        chosen = [m["level"] for m, left, _ in steps if not left]  # right of 0.5: the level itself
        if chosen:
            return Condition(meta["feature"], "category", levels=(chosen[0],), fill=meta["fill"])
        excluded = tuple(sorted({m["level"] for m, _, _ in steps}))
        rest = [level for level in meta["present"] if level not in excluded]
        if len(rest) == 1:  # "not web" where the data hold store and web: "store"
            return Condition(meta["feature"], "category", levels=(rest[0],), fill=meta["fill"])
        return Condition(meta["feature"], "category", levels=excluded, negated=True, fill=meta["fill"])
    lows = [t for _, left, t in steps if not left]
    highs = [t for _, left, t in steps if left]
    low, high = (max(lows) if lows else None), (min(highs) if highs else None)
    if meta["kind"] == "ordinal":
        return Condition(meta["feature"], "ordinal", low=low, high=high, levels=meta["levels"], fill=meta["fill"])
    return Condition(meta["feature"], "number", low=low, high=high, fill=meta["fill"], percent=meta["percent"],
                     integer=meta["integer"], values=meta["values"])
