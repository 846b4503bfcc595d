"""Preprocessing for clustering as scikit-learn transformers.

:func:`make_preprocessor` builds the usual chain per column type -- numeric: median
imputation, ``log1p`` of skewed non-negative columns (:class:`SkewedLog1p`), standard
scaling; categorical: most-frequent imputation and one-hot encoding with rare levels
grouped -- as a :class:`~sklearn.compose.ColumnTransformer` that keeps readable feature
names and supports ``set_output(transform="pandas")``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["SkewedLog1p", "make_preprocessor", "split_columns"]


class SkewedLog1p(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Apply ``log1p`` to the non-negative columns whose skewness exceeds a threshold.

    Which columns to transform is learned in :meth:`fit`: a column is transformed when all
    its (non-missing) values are >= 0 and its sample skewness is above ``threshold``.
    At transform time a value below 0 in a learned column (never seen in fit) is mapped to
    ``-log1p(-x)``, so the transform stays finite and monotone. Missing values pass through.

    Parameters
    ----------
    threshold : float, default=1.0
        Skewness above which a non-negative column is log-transformed.

    Attributes
    ----------
    skewness_ : ndarray of shape (n_features_in_,)
        Sample skewness of each column in fit.
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

    def __init__(self, threshold: float = 1.0):
        self.threshold = threshold

    def fit(self, X, y=None):
        """Learn which columns are skewed and non-negative."""
        X = validate_data(self, X, dtype="numeric", ensure_all_finite="allow-nan")
        X = np.asarray(X, dtype="float64")
        with np.errstate(all="ignore"):
            skew = stats.skew(X, axis=0, nan_policy="omit", bias=False)
        skew = np.nan_to_num(np.asarray(skew, dtype="float64"), nan=0.0)
        nonneg = ~(np.nanmin(np.where(np.isnan(X), 0.0, X), axis=0) < 0) if X.shape[0] else np.ones(X.shape[1], bool)
        self.skewness_ = skew
        self.log_columns_ = nonneg & (skew > self.threshold)
        return self

    def transform(self, X):
        """Log-transform the learned columns."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype="numeric", ensure_all_finite="allow-nan", reset=False, copy=True)
        X = np.asarray(X, dtype="float64")
        cols = self.log_columns_
        if cols.any():
            part = X[:, cols]
            X[:, cols] = np.sign(part) * np.log1p(np.abs(part))
        return X

    def inverse_transform(self, X):
        """Undo the log on the learned columns."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype="numeric", ensure_all_finite="allow-nan", reset=False, copy=True)
        X = np.asarray(X, dtype="float64")
        cols = self.log_columns_
        if cols.any():
            part = X[:, cols]
            X[:, cols] = np.sign(part) * np.expm1(np.abs(part))
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


def _to_float(X):
    # Nullable pandas dtypes (Int8 with <NA>) reach numpy as objects; make them float NaN.
    if isinstance(X, pd.DataFrame):
        return X.astype("float64")
    return np.asarray(X, dtype="float64")


def _to_object(X):
    # Categories and pandas strings become plain objects with np.nan, which the imputer and
    # one-hot encoder accept whatever the pandas string storage is.
    if isinstance(X, pd.DataFrame):
        return X.astype(object).where(X.notna(), np.nan)
    return np.asarray(X, dtype=object)


def make_preprocessor(
    X: pd.DataFrame,
    *,
    skew_threshold: float = 1.0,
    scale: bool = True,
    min_frequency: float = 0.02,
) -> ColumnTransformer:
    """Build an (unfitted) preprocessing transformer for the columns of ``X``.

    Numeric and boolean columns: median imputation -> :class:`SkewedLog1p` -> standard
    scaling. Other non-date columns (strings, categories): most-frequent imputation ->
    one-hot encoding where levels rarer than ``min_frequency`` (and unseen levels) share
    one ``<column>_infrequent_sklearn`` column. Date columns are dropped.

    Parameters
    ----------
    X : DataFrame
        Features whose dtypes decide the route of each column.
    skew_threshold : float
        Passed to :class:`SkewedLog1p`.
    scale : bool
        Standardise the numeric columns.
    min_frequency : float
        Share below which a category level is grouped.

    Returns
    -------
    ColumnTransformer
        Output names are the input names (numeric) and ``<column>_<level>`` (categorical).

    Examples
    --------
    >>> X = pd.DataFrame({"Income": [30e3, 52e3, None, 61e3, 250e3],
    ...                   "Education": ["PhD", "Basic", "PhD", None, "Master"]})
    >>> pre = make_preprocessor(X, min_frequency=0.3).set_output(transform="pandas")
    >>> list(pre.fit_transform(X).columns)
    ['Income', 'Education_PhD', 'Education_infrequent_sklearn']
    """
    numeric, categorical = split_columns(X)
    num_steps = [
        ("to_float", FunctionTransformer(_to_float, feature_names_out="one-to-one")),
        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
        ("log_skewed", SkewedLog1p(threshold=skew_threshold)),
    ]
    if scale:
        num_steps.append(("scale", StandardScaler()))
    cat_steps = [
        ("to_object", FunctionTransformer(_to_object, feature_names_out="one-to-one")),
        ("impute", SimpleImputer(strategy="most_frequent")),
        (
            "onehot",
            OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=min_frequency, sparse_output=False),
        ),
    ]
    transformers = []
    if numeric:
        transformers.append(("numeric", Pipeline(num_steps), numeric))
    if categorical:
        transformers.append(("categorical", Pipeline(cat_steps), categorical))
    return ColumnTransformer(transformers, remainder="drop", verbose_feature_names_out=False)
