"""THE preprocessor: how a customer feature table becomes the numbers segkit clusters.

One set of rules, used by :class:`segkit.segment.Segmenter` and taught in workshop notebook 03
(:func:`make_preprocessor`), decided per column by :func:`plan_columns`:

* numbers: median imputation and standard scaling, after ``log1p`` when strongly skewed and
  non-negative (:func:`is_skewed`, the rule :class:`SkewedLog1p` applies too);
* flags (exactly two values): most-frequent imputation, coded -h/+h with h = sqrt(gamma)/2;
* ordered categories: the position of the level, scaled like a number (a flag with two levels);
* other text and categories: most-frequent imputation, one-hot coding weighted by sqrt(gamma / 2)
  (Huang's k-prototypes cost, gamma = 0.5);
* constant and all-missing columns are dropped with a :class:`~segkit.exceptions.SegkitWarning`.

The result is a :class:`~sklearn.pipeline.Pipeline`: ``coerce`` (:func:`coerce_columns`) then
``prepare`` (a :class:`~sklearn.compose.ColumnTransformer` of ``log``, ``num``, ``bin``, ``ord``,
``ordbin`` and ``cat`` steps). It transforms the raw feature table, keeps readable output names
and supports ``set_output(transform="pandas")``.

Examples
--------
>>> import pandas as pd
>>> X = pd.DataFrame({"Income": [30e3, 52e3, None, 61e3, 250e3],
...                   "Education": ["PhD", "Basic", "PhD", None, "Master"]})
>>> pre = make_preprocessor(X).set_output(transform="pandas")
>>> list(pre.fit_transform(X).columns)
['log__Income', 'cat__Education_Basic', 'cat__Education_Master', 'cat__Education_PhD']
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder, StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data

from segkit.exceptions import (
    ColumnError, DataError, SegkitWarning, SegmentationError, quote, user_stacklevel,
)

__all__ = [
    "BINARY_HALF_GAP", "CATEGORY_GAMMA", "CATEGORY_WEIGHT", "FITTING_ROWS", "SKEW_THRESHOLD", "ColumnPlan",
    "SkewedLog1p", "build_preprocessor", "coerce_columns", "fitting_sample", "is_skewed", "level_positions",
    "make_preprocessor", "numeric_values", "plan_columns", "seeded_rows", "split_columns", "with_coercion",
]

# Skewness above which a non-negative numeric column is log1p-transformed.
SKEW_THRESHOLD = 1.0
# Weight of the one-hot columns: sqrt(gamma / 2) with Huang's gamma = 0.5 x (std of the
# scaled numeric columns = 1), so squared distances equal the k-prototypes cost.
CATEGORY_GAMMA = 0.5
CATEGORY_WEIGHT = math.sqrt(CATEGORY_GAMMA / 2)
# Flags are coded -h/+h with (2h)^2 = gamma: the squared distance between a flag's two values
# equals that between two levels of a one-hot category weighted as above.
BINARY_HALF_GAP = math.sqrt(CATEGORY_GAMMA) / 2
# Medians, means and sds from a 20k-row seeded sample are as good as from all rows and cost a
# fraction (the median imputer sorts every column); the column rules are judged on it too.
FITTING_ROWS = 20_000


def seeded_rows(n: int, size: int, seed: int) -> np.ndarray | None:
    """Sorted random row positions (``size`` of ``n``), or None when all rows fit.

    Examples
    --------
    >>> seeded_rows(10, 20, 0) is None, seeded_rows(10, 3, 0).tolist()
    (True, [2, 4, 8])
    """
    if n <= size:
        return None
    return np.sort(np.random.RandomState(seed).choice(n, size=size, replace=False))


def fitting_sample(X: pd.DataFrame, random_state: int = 0) -> pd.DataFrame:
    """The rows the preprocessor is planned and fitted on: all of them up to
    :data:`FITTING_ROWS`, else a sample seeded by ``random_state``.

    Examples
    --------
    >>> len(fitting_sample(pd.DataFrame({"a": range(30_000)})))
    20000
    """
    rows = seeded_rows(len(X), FITTING_ROWS, random_state)
    return X if rows is None else X.iloc[rows]


# ------------------------------------------------------------------------------- column values

def numeric_values(column: pd.Series) -> np.ndarray | None:
    """float64 values of a numeric (or numbers-as-objects) column, else None.

    Examples
    --------
    >>> numeric_values(pd.Series([1, None], dtype="Int64")).tolist(), numeric_values(pd.Series(["a"]))
    ([1.0, nan], None)
    """
    if pd.api.types.is_bool_dtype(column.dtype) or pd.api.types.is_numeric_dtype(column.dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    if column.dtype == object:
        present = column.dropna()
        if all(isinstance(v, numbers.Real) for v in present):
            return pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return None


def _as_text(column: pd.Series) -> np.ndarray:
    """Object array of str with NaN for missing values."""
    missing = column.isna().to_numpy()
    values = column.astype(object).to_numpy(copy=True)
    out = np.array([str(v) for v in values], dtype=object)
    out[missing] = np.nan
    return out


def _level_key(value) -> str:
    """A level as compared: case-folded, spaces stripped and runs of spaces made one."""
    return " ".join(str(value).split()).casefold()


def level_positions(X, levels) -> np.ndarray:
    """Position of each value in its column's ordered ``levels`` (0..n-1), NaN when the value is
    missing or not a level; case and spaces are ignored.

    ``X`` is a DataFrame or 2-D array (one column per entry of ``levels``) of text, categories
    or anything whose ``str`` is a level. A module-level function, so a fitted preprocessor
    holding it can be saved with skops.

    Examples
    --------
    >>> level_positions(pd.DataFrame({"tier": ["gold", "Bronze ", None, "Tin"]}),
    ...                 [["Bronze", "Silver", "Gold"]]).ravel().tolist()
    [2.0, 0.0, nan, nan]
    """
    values = X.to_numpy(dtype=object) if hasattr(X, "to_numpy") else np.asarray(X, dtype=object)
    values = values.reshape(len(values), -1)
    out = np.full(values.shape, np.nan)
    for j, column_levels in enumerate(levels):
        position: dict[str, float] = {}
        for i, level in enumerate(column_levels):
            position.setdefault(_level_key(level), float(i))
        codes, uniques = pd.factorize(values[:, j], use_na_sentinel=True)
        mapped = np.array([position.get(_level_key(u), np.nan) for u in uniques] + [np.nan])
        out[:, j] = mapped[codes]  # code -1 (missing) takes the trailing NaN
    return out


def coerce_columns(X: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """The columns named in ``kinds`` as float64 (``"numeric"``) or object str with NaN
    (``"text"``), in that order: what the preprocessor's steps are fitted on.

    Raises
    ------
    ColumnError
        A column is missing (or ``X`` came from an array without column names).
    DataError
        A column that was numeric when fitting is not.

    Examples
    --------
    >>> X = pd.DataFrame({"tier": pd.Categorical(["Gold", None]), "spend": pd.array([3, None], dtype="Int64")})
    >>> coerce_columns(X, {"spend": "numeric", "tier": "text"}).to_dict("list")
    {'spend': [3.0, nan], 'tier': ['Gold', nan]}
    """
    missing = [c for c in kinds if c not in X.columns]
    if missing and list(X.columns) == [f"x{i}" for i in range(X.shape[1])]:
        raise ColumnError(f"X: an array has no column names; expected a DataFrame with the columns used when "
                          f"fitting: {list(kinds)}")
    if missing:
        raise ColumnError(f"X: columns {missing} used when fitting are missing; expected {list(kinds)}")
    out = {}
    for name, kind in kinds.items():
        if kind == "numeric":
            values = numeric_values(X[name])
            if values is None:
                raise DataError(f"X: column '{name}' is not numeric; it was numeric when fitting")
            out[name] = values
        else:
            out[name] = _as_text(X[name])
    return pd.DataFrame(out, index=X.index)


def _coerced_names(transformer: FunctionTransformer, input_features) -> np.ndarray:
    """Output names of the ``coerce`` step: the columns it keeps (a module-level function, so
    skops can save the step)."""
    return np.asarray(list(transformer.kw_args["kinds"]), dtype=object)


# ------------------------------------------------------------------------------- column rules

def _skewness(values: np.ndarray) -> float:
    centred = values - values.mean()
    sd = centred.std()
    return float((centred**3).mean() / sd**3) if sd > 0 else 0.0


def is_skewed(values: np.ndarray, threshold: float = SKEW_THRESHOLD) -> bool:
    """Whether a numeric column is log1p-transformed: more than two values, none negative,
    more than two distinct among the first thousand, and a skewness above ``threshold``.

    Missing values (NaN) are left out.

    Examples
    --------
    >>> is_skewed(np.array([1.0, 2, 3, 4, 100])), is_skewed(np.array([30.0, 40, 50, 60, 70]))
    (True, False)
    >>> is_skewed(np.array([-1.0, 2, 3, 4, 100]))
    False
    """
    values = values[~np.isnan(values)]
    if values.size <= 2 or values.min() < 0 or np.unique(values[:1000]).size <= 2:
        return False
    return _skewness(values) > threshold


def _is_binary(probe: np.ndarray, values: np.ndarray) -> bool:
    """Whether a numeric column takes exactly two distinct values (checked on the probe
    sample first, then on every row only when the probe has two).

    Examples
    --------
    >>> _is_binary(np.array([0.0, 1.0, np.nan]), np.array([0.0, 1.0, np.nan, 1.0]))
    True
    >>> _is_binary(np.array([0.0, 1.0]), np.array([0.0, 1.0, 2.0]))
    False
    """
    seen = pd.unique(probe[~np.isnan(probe)])
    if seen.size != 2:
        return False
    finite = values[~np.isnan(values)]
    return bool(np.isin(finite, seen).all())


@dataclass(frozen=True)
class ColumnPlan:
    """How each column of a feature table is prepared, as decided by :func:`plan_columns`.

    Attributes
    ----------
    numeric : list of str
        Numeric columns used, in table order (logged, plain and flags).
    log : list of str
        Numeric columns log1p-transformed.
    flags : list of str
        Numeric columns with exactly two values.
    ordinal : dict of str to list of str
        Ordered categorical columns and their levels, lowest first.
    ordinal_flags : list of str
        Ordinal columns with only two levels present (coded as flags).
    categorical : list of str
        Unordered text or category columns (one-hot coded).
    dropped : dict of str to str
        Constant or all-missing columns and why they were dropped.
    """

    numeric: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    ordinal: dict[str, list[str]] = field(default_factory=dict)
    ordinal_flags: list[str] = field(default_factory=list)
    categorical: list[str] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)

    @property
    def kinds(self) -> dict[str, str]:
        """Column -> ``"numeric"`` or ``"text"``: what :func:`coerce_columns` makes of it.
        Ordinal columns go in as text: the preprocessor maps levels to positions itself, so
        that it transforms the raw feature table too."""
        return ({c: "numeric" for c in self.numeric} | {c: "text" for c in self.ordinal}
                | {c: "text" for c in self.categorical})


def _classify(frame: pd.DataFrame) -> ColumnPlan:
    """Numeric, ordinal and categorical columns, and the dropped ones with their reason."""
    numeric, categorical, dropped = [], [], {}
    ordinal, ordinal_flags = {}, []
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype) and column.dtype.ordered:
            levels = [str(c) for c in column.dtype.categories]
            positions = level_positions(column.to_frame(), [levels])[:, 0]
            used = np.unique(positions[~np.isnan(positions)]).astype(int)
            if used.size == 0:
                dropped[name] = "all missing"
            elif used.size == 1:
                dropped[name] = f"constant ({levels[used[0]]!r})"
            else:
                ordinal[name] = levels
                if used.size == 2:
                    ordinal_flags.append(name)
            continue
        values = numeric_values(column)
        if values is not None:
            finite = values[~np.isnan(values)]
            if np.isinf(finite).any():
                rows = np.flatnonzero(np.isinf(values))
                raise DataError(
                    f"X: column '{name}' has {len(rows)} infinite values (e.g. {quote(values[rows[0]])} "
                    f"at row {rows[0] + 1}); expected finite numbers or missing values"
                )
            if finite.size == 0:
                dropped[name] = "all missing"
            elif finite.min() == finite.max():
                dropped[name] = f"constant ({finite[0]:g})"
            else:
                numeric.append(name)
        else:
            texts = _as_text(column)
            present = pd.unique(texts[~pd.isna(texts)])
            if present.size == 0:
                dropped[name] = "all missing"
            elif present.size == 1:
                dropped[name] = f"constant ({present[0]!r})"
            else:
                categorical.append(name)
    return ColumnPlan(numeric=numeric, ordinal=ordinal, ordinal_flags=ordinal_flags, categorical=categorical,
                      dropped=dropped)


def plan_columns(X: pd.DataFrame, *, random_state: int = 0) -> ColumnPlan:
    """Decide how each column of ``X`` is prepared (see the module's rules).

    Flags and skewness are judged on :func:`fitting_sample` (a flag is then checked on every
    row). Constant and all-missing columns are dropped with a warning.

    Parameters
    ----------
    X : DataFrame
        The feature table, one row per customer.
    random_state : int
        Seed of the sample when ``X`` has more than :data:`FITTING_ROWS` rows.

    Returns
    -------
    ColumnPlan

    Raises
    ------
    DataError
        A numeric column holds infinite values.
    SegmentationError
        Every column is constant or missing.

    Examples
    --------
    >>> X = pd.DataFrame({"spend": [1.0, 2, 3, 4, 100], "member": [0, 1, 1, 0, 1],
    ...                   "tier": pd.Categorical(list("abcab"), ordered=True), "city": list("xyxyz")})
    >>> plan = plan_columns(X)
    >>> plan.log, plan.flags, plan.ordinal, plan.categorical
    (['spend'], ['member'], {'tier': ['a', 'b', 'c']}, ['city'])
    """
    plan = _classify(X)
    if plan.dropped:
        warnings.warn(
            "dropped features that cannot separate customers: "
            + ", ".join(f"'{c}' ({why})" for c, why in plan.dropped.items()),
            SegkitWarning,
            stacklevel=user_stacklevel(),
        )
    if not plan.numeric and not plan.categorical and not plan.ordinal:
        raise SegmentationError(
            f"X: all {X.shape[1]} features are constant or missing ({', '.join(plan.dropped)}); nothing to segment on"
        )
    probe = fitting_sample(X, random_state)
    flags = [name for name in plan.numeric if _is_binary(numeric_values(probe[name]), numeric_values(X[name]))]
    log = [name for name in plan.numeric if name not in flags and is_skewed(numeric_values(probe[name]))]
    return ColumnPlan(numeric=plan.numeric, log=log, flags=flags, ordinal=plan.ordinal,
                      ordinal_flags=plan.ordinal_flags, categorical=plan.categorical, dropped=plan.dropped)


# ------------------------------------------------------------------------------- the pipeline

def _positions_step(levels: list[list[str]]) -> FunctionTransformer:
    return FunctionTransformer(level_positions, kw_args={"levels": levels}, feature_names_out="one-to-one")


def _flag_steps() -> list:
    return [("impute", SimpleImputer(strategy="most_frequent")),
            ("scale", MinMaxScaler(feature_range=(-BINARY_HALF_GAP, BINARY_HALF_GAP)))]


def _column_steps(plan: ColumnPlan) -> list[tuple]:
    """The ColumnTransformer's (name, pipeline, columns) triples for ``plan``."""
    plain = [c for c in plan.numeric if c not in plan.log and c not in plan.flags]
    ordinal_scaled = [c for c in plan.ordinal if c not in plan.ordinal_flags]
    steps = []
    if plan.log:
        steps.append(("log", Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            # an infinite upper bound, not None: NumPy clips with None 25x slower (0.19 against
            # 0.007 s for 500,000 x 10 values), for the same values
            ("clip", FunctionTransformer(np.clip, kw_args={"a_min": 0.0, "a_max": np.inf},
                                         feature_names_out="one-to-one")),
            ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
        ]), plan.log))
    if plain:
        steps.append(("num", Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            ("scale", StandardScaler()),
        ]), plain))
    if plan.flags:
        # A two-valued column (a 0/1 flag) is a two-level category and costs what a category
        # mismatch costs (gamma), whatever its balance and whether it was written 1/0 or
        # yes/no. Standardised instead, a flag that 1% of customers have put them ten units
        # from everyone else and k-means spent a segment on them (iFood's "Complain"), and
        # two balanced random flags split a table into their four combinations.
        steps.append(("bin", Pipeline(_flag_steps()), plan.flags))
    if ordinal_scaled:
        # An ordered scale is a number: one-hot coding would put "Agree" as far from
        # "Strongly agree" as from "Strongly disagree".
        steps.append(("ord", Pipeline([
            ("positions", _positions_step([plan.ordinal[c] for c in ordinal_scaled])),
            ("impute", SimpleImputer(strategy="median")),
            ("scale", StandardScaler()),
        ]), ordinal_scaled))
    if plan.ordinal_flags:  # two levels present: a flag, coded like the other flags
        steps.append(("ordbin", Pipeline([
            ("positions", _positions_step([plan.ordinal[c] for c in plan.ordinal_flags])),
            *_flag_steps(),
        ]), plan.ordinal_flags))
    if plan.categorical:
        steps.append(("cat", Pipeline([
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]), plan.categorical))
    return steps


def _coerce_step(kinds: dict[str, str]) -> FunctionTransformer:
    return FunctionTransformer(coerce_columns, kw_args={"kinds": dict(kinds)}, feature_names_out=_coerced_names)


def build_preprocessor(plan: ColumnPlan) -> Pipeline:
    """The (unfitted) preprocessor for a :class:`ColumnPlan`: ``coerce`` then ``prepare``.

    Examples
    --------
    >>> X = pd.DataFrame({"spend": [1.0, 2, 3, 4, 100], "city": list("xyxyz")})
    >>> pre = build_preprocessor(plan_columns(X)).fit(X)
    >>> pre.get_feature_names_out().tolist()
    ['log__spend', 'cat__city_x', 'cat__city_y', 'cat__city_z']
    """
    prepare = ColumnTransformer(
        _column_steps(plan), remainder="drop", sparse_threshold=0.0,
        transformer_weights={"cat": CATEGORY_WEIGHT} if plan.categorical else None,
    )
    return Pipeline([("coerce", _coerce_step(plan.kinds)), ("prepare", prepare)])


def with_coercion(prepare: ColumnTransformer, kinds: dict[str, str]) -> Pipeline:
    """A fitted ``prepare`` step (fitted on coerced columns) behind its ``coerce`` step: the
    preprocessor of a model file written before the preprocessor coerced its own input."""
    return Pipeline([("coerce", _coerce_step(kinds)), ("prepare", prepare)])


def make_preprocessor(X: pd.DataFrame, *, random_state: int = 0) -> Pipeline:
    """The (unfitted) preprocessor segkit's :class:`~segkit.segment.Segmenter` uses, for the
    columns of ``X``.

    The rules are the module's (:func:`plan_columns`), the steps :func:`build_preprocessor`'s.

    Parameters
    ----------
    X : DataFrame
        Features whose values decide the route of each column.
    random_state : int
        Seed of the sample the rules are judged on when ``X`` has more than
        :data:`FITTING_ROWS` rows. The segmenter also fits the preprocessor on that sample
        (:func:`fitting_sample`).

    Returns
    -------
    Pipeline
        Transforms the raw feature table; output names are ``<step>__<column>`` (numbers)
        and ``cat__<column>_<level>`` (categories).

    Examples
    --------
    >>> X = pd.DataFrame({"Income": [30e3, 52e3, None, 61e3, 250e3],
    ...                   "Member": [1, 0, 0, 1, 1],
    ...                   "Education": ["PhD", "Basic", "PhD", None, "Master"]})
    >>> prepared = make_preprocessor(X).set_output(transform="pandas").fit_transform(X)
    >>> list(prepared.columns)
    ['log__Income', 'bin__Member', 'cat__Education_Basic', 'cat__Education_Master', 'cat__Education_PhD']
    >>> prepared["bin__Member"].round(3).unique().tolist()
    [0.354, -0.354]
    """
    return build_preprocessor(plan_columns(X, random_state=random_state))


# ------------------------------------------------------------------------------- teaching pieces

class SkewedLog1p(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Apply ``log1p`` to the columns the preprocessor logs (see :func:`is_skewed`).

    Which columns to transform is learned in :meth:`fit`: a column is transformed when its
    (non-missing) values are all >= 0, more than two of them are distinct and their
    skewness is above ``threshold``, the rule :func:`plan_columns` applies. At transform time
    a value below 0 in a learned column (never seen in fit) is mapped to ``-log1p(-x)``, so
    the transform stays finite and monotone. Missing values pass through.

    Parameters
    ----------
    threshold : float, default=1.0
        Skewness above which a non-negative column is log-transformed.

    Attributes
    ----------
    skewness_ : ndarray of shape (n_features_in_,)
        Skewness of each column in fit (0 for a column with fewer than two distinct values).
    log_columns_ : ndarray of bool
        Which columns are transformed.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fit on a DataFrame with string column names.

    Examples
    --------
    >>> X = pd.DataFrame({"spend": [1.0, 2, 3, 4, 100], "age": [30.0, 40, 50, 60, 70]})
    >>> t = SkewedLog1p().set_output(transform="pandas").fit(X)
    >>> t.log_columns_.tolist()
    [True, False]
    >>> t.transform(X)["spend"].round(3).tolist()
    [0.693, 1.099, 1.386, 1.609, 4.615]
    """

    def __init__(self, threshold: float = SKEW_THRESHOLD):
        self.threshold = threshold

    def fit(self, X, y=None):
        """Learn which columns are skewed and non-negative."""
        X = validate_data(self, X, dtype="numeric", ensure_all_finite="allow-nan")
        X = np.asarray(X, dtype="float64")
        present = [column[~np.isnan(column)] for column in X.T]
        self.skewness_ = np.array([_skewness(values) if values.size else 0.0 for values in present])
        self.log_columns_ = np.array([is_skewed(column, self.threshold) for column in X.T], dtype=bool)
        return self

    def transform(self, X):
        """Log-transform the learned columns."""
        return self._apply(X, np.log1p)

    def inverse_transform(self, X):
        """Undo the log on the learned columns."""
        return self._apply(X, np.expm1)

    def _apply(self, X, func):
        check_is_fitted(self)
        X = validate_data(self, X, dtype="numeric", ensure_all_finite="allow-nan", reset=False, copy=True)
        X = np.asarray(X, dtype="float64")
        cols = self.log_columns_
        if cols.any():
            part = X[:, cols]
            X[:, cols] = np.sign(part) * func(np.abs(part))
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def split_columns(X: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Split columns into numeric (incl. booleans) and categorical; dates are left out.

    Examples
    --------
    >>> X = pd.DataFrame({"a": [1.0], "b": ["x"], "c": [True], "d": pd.to_datetime(["2024-01-01"])})
    >>> split_columns(X)
    (['a', 'c'], ['b'])
    """
    numeric, categorical = [], []
    for col in X.columns:
        dtype = X[col].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
            continue
        if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
            numeric.append(col)
        else:
            categorical.append(col)
    return numeric, categorical
