"""The prepared space read back in the features' own units.

The :class:`~segkit.segment.Segmenter` clusters the output of its preprocessor
(:mod:`segkit.features.preprocess`): scaled numbers, logged amounts, flags coded +-h, ordered
levels as positions, one-hot categories. Explanations speak of the features instead. This
module maps between the two, reading the fitted preprocessor itself so that no rule is
written twice:

* :func:`prepared_columns`: which feature (and which level) each prepared column belongs to;
* :func:`fill_values`: the value a missing entry of each feature counts as (the imputer's);
* :func:`in_feature_units`: prepared rows (segment centres, say) as feature values: a number,
  a level, or the share of each level.

Examples
--------
>>> import pandas as pd
>>> from segkit.features.preprocess import make_preprocessor
>>> X = pd.DataFrame({"spend": [1.0, 2, 3, 4, 100, None], "city": list("xyxyzx")})
>>> pre = make_preprocessor(X).fit(X)
>>> [(c.name, c.feature, c.level) for c in prepared_columns(pre)][:2]
[('log__spend', 'spend', None), ('cat__city_x', 'city', 'x')]
>>> fill_values(pre)
{'spend': 3.0, 'city': 'x'}
>>> round(in_feature_units(pre, pre.transform(X.iloc[:1]))[0]["spend"], 6)
1.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["PreparedColumn", "fill_values", "in_feature_units", "prepared_columns"]


@dataclass(frozen=True)
class PreparedColumn:
    """One column of the prepared space.

    Attributes
    ----------
    name : str
        The preprocessor's output name (``log__monetary``, ``cat__Education_PhD``).
    feature : str
        The feature it comes from.
    kind : str
        The preprocessor step: ``log``, ``num``, ``bin``, ``ord``, ``ordbin`` or ``cat``.
    level : str or None
        The category level of a one-hot column.
    """

    name: str
    feature: str
    kind: str
    level: str | None = None


def _steps(preprocessor) -> list[tuple[str, Any, list[str]]]:
    """The fitted ``(kind, pipeline, columns)`` of the preprocessor's column transformer."""
    prepare = preprocessor.named_steps["prepare"] if hasattr(preprocessor, "named_steps") else preprocessor
    return [(kind, pipe, list(columns)) for kind, pipe, columns in prepare.transformers_
            if kind != "remainder" and not isinstance(pipe, str)]


def _weight(preprocessor, kind: str) -> float:
    prepare = preprocessor.named_steps["prepare"] if hasattr(preprocessor, "named_steps") else preprocessor
    return float((prepare.transformer_weights or {}).get(kind, 1.0))


def prepared_columns(preprocessor) -> list[PreparedColumn]:
    """Every prepared column, in the preprocessor's output order, with its feature."""
    out: list[PreparedColumn] = []
    for kind, pipe, columns in _steps(preprocessor):
        if kind == "cat":
            categories = pipe.named_steps["onehot"].categories_
            for column, levels in zip(columns, categories, strict=True):
                out += [PreparedColumn(f"cat__{column}_{level}", column, kind, str(level)) for level in levels]
        else:
            out += [PreparedColumn(f"{kind}__{column}", column, kind) for column in columns]
    names = [str(n) for n in preprocessor.get_feature_names_out()]
    if len(names) == len(out):  # the preprocessor's own spelling of each name
        out = [PreparedColumn(name, c.feature, c.kind, c.level) for name, c in zip(names, out, strict=True)]
    return out


def _levels(pipe) -> list[list[str]]:
    return pipe.named_steps["positions"].kw_args["levels"]


def fill_values(preprocessor) -> dict[str, Any]:
    """What a missing value of each feature counts as: the median (numbers), the most common
    value (flags, categories) or the median level (ordered scales) the preprocessor imputes."""
    out: dict[str, Any] = {}
    for kind, pipe, columns in _steps(preprocessor):
        statistics = pipe.named_steps["impute"].statistics_
        for i, column in enumerate(columns):
            value = statistics[i]
            if kind in ("ord", "ordbin"):
                levels = _levels(pipe)[i]
                value = levels[int(round(float(value)))]
            elif kind != "cat":
                value = float(value)
            else:
                value = str(value)
            out[column] = value
    return out


def in_feature_units(preprocessor, Z: np.ndarray) -> list[dict[str, Any]]:
    """Prepared rows (customers or segment centres) as feature values, one dict per row.

    A number comes back in its own units (logs and scaling undone); a flag as the mean of its
    two values (the share of the higher value between 0 and 1 for a 0/1 flag); an ordered
    scale as its nearest level; a category as ``{level: share}`` (a customer's level has
    share 1, a centre's shares are its segment's).
    """
    Z = np.atleast_2d(np.asarray(Z, dtype=float))
    rows: list[dict[str, Any]] = [{} for _ in range(len(Z))]
    start = 0
    for kind, pipe, columns in _steps(preprocessor):
        if kind == "cat":
            width = sum(len(levels) for levels in pipe.named_steps["onehot"].categories_)
        else:
            width = len(columns)
        block = Z[:, start:start + width]
        start += width
        for r, values in enumerate(_block_values(kind, pipe, columns, block, _weight(preprocessor, kind))):
            rows[r].update(values)
    return rows


def _block_values(kind: str, pipe, columns: list[str], block: np.ndarray, weight: float) -> list[dict[str, Any]]:
    """One transformer's prepared block as feature values (see :func:`in_feature_units`)."""
    if kind == "cat":
        out = [{} for _ in range(len(block))]
        j = 0
        for column, levels in zip(columns, pipe.named_steps["onehot"].categories_, strict=True):
            shares = block[:, j:j + len(levels)] / weight
            j += len(levels)
            for r in range(len(block)):
                out[r][column] = {str(level): float(np.clip(share, 0.0, 1.0))
                                  for level, share in zip(levels, shares[r], strict=True)}
        return out
    values = pipe.named_steps["scale"].inverse_transform(block)
    if kind == "log":
        values = np.expm1(values)
    out = []
    for row in values:
        entry: dict[str, Any] = {}
        for i, column in enumerate(columns):
            if kind in ("ord", "ordbin"):
                levels = _levels(pipe)[i]
                entry[column] = levels[int(np.clip(round(float(row[i])), 0, len(levels) - 1))]
            else:
                entry[column] = float(row[i])
        out.append(entry)
    return out

