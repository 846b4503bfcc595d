"""Segment attractiveness: a weighted, documented score of size, value, response and growth.

Each component is put on a 0-1 scale across segments and weighted (:data:`SCALINGS`,
:data:`DEFAULT_ATTRACTIVENESS_WEIGHTS`); segments whose figures are suppressed are not
ranked, and say why.

Examples
--------
>>> import pandas as pd
>>> seg = pd.DataFrame({"size": [100, 300]}, index=pd.Index([0, 1], name="segment"))
>>> attractiveness(seg, value_col=None, response_col=None)["rank"].tolist()
[1, 2]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from segkit.exceptions import ColumnError, ConfigError

__all__ = ["DEFAULT_ATTRACTIVENESS_WEIGHTS", "SCALINGS", "attractiveness"]

#: Equal weights by default: without a business reason to prefer one component, none is
#: preferred. Override with the config's ``attractiveness.weights``.
DEFAULT_ATTRACTIVENESS_WEIGHTS: dict[str, float] = {"size": 0.25, "value": 0.25, "response": 0.25, "growth": 0.25}

#: How attractiveness components can be put on a 0-1 scale (see :func:`attractiveness`).
SCALINGS = ("max", "minmax", "rank")


def _scale(values: pd.Series, method: str) -> pd.Series:
    values = values.astype("float64")
    if method == "max" and values.min() >= 0:
        top = values.max()
        if not np.isfinite(top) or top == 0:
            return pd.Series(np.where(values.notna(), 0.5, np.nan), index=values.index)
        return values / top
    if method in ("max", "minmax"):  # a component with negative values (growth, profit) has no natural zero
        lo, hi = values.min(), values.max()
        if not np.isfinite(hi - lo) or hi == lo:
            return pd.Series(np.where(values.notna(), 0.5, np.nan), index=values.index)
        return (values - lo) / (hi - lo)
    if method == "rank":
        ranks = values.rank(method="average")
        n = int(values.notna().sum())
        return (ranks - 1) / (n - 1) if n > 1 else pd.Series(np.where(values.notna(), 0.5, np.nan), index=values.index)
    raise ConfigError(f"The value for `scaling` must be one of {list(SCALINGS)}, but {method!r} was passed.")


def attractiveness(
    segments: pd.DataFrame,
    *,
    targeting: pd.DataFrame | None = None,
    size_col: str = "size",
    value_col: str | None = "auto",
    response_col: str | None = "auto",
    growth_col: str | None = None,
    weights: Mapping[str, float] | None = None,
    scaling: str = "max",
) -> pd.DataFrame:
    """Rank segments by a weighted score of size, value, response and growth.

    Each component is scaled to [0, 1] across segments, multiplied by its weight, and the
    points are summed. Scalings: ``max`` (default), the share of the best segment's figure,
    ``x / max``, so a segment with half the best response rate gets half the points and two
    segments of almost equal size get almost equal points (for a component with negative
    values, such as growth, it falls back to ``minmax``); ``minmax``, ``(x - min) / (max -
    min)``, which stretches any difference to the full scale (with two segments, one always
    gets 1 and the other 0); ``rank``, ``(rank - 1) / (n - 1)``. All give 0.5 when every
    segment has the same figure. Then::

        score = sum_c weight_c * scaled_c      (weights normalised to sum to 1)

    Components whose column is not given (typically growth, which needs two periods) are
    left out and **their weight is redistributed** proportionally over the others; the
    weights actually used are in ``result.attrs["weights"]`` and ``result.attrs["note"]``
    says what was redistributed.

    Parameters
    ----------
    segments : DataFrame
        One row per segment (indexed by segment, or with a ``segment`` column), e.g. the
        profile summary (:attr:`segkit.profile.SegmentProfile.summary`). Rows flagged in
        a ``suppressed`` column (segments below the minimum cell size) are not ranked.
    targeting : DataFrame, optional
        :func:`~segkit.target.campaign.targeting_table` output; its ``response_rate`` is joined on segment, and
        its ``suppressed`` segments are not ranked.
    size_col, value_col, response_col, growth_col : str or None
        Columns for the components (``value_col`` e.g. revenue per customer or mean CLV;
        ``response_col`` e.g. response rate or expected profit per contact; ``growth_col``
        e.g. size change since the last run). ``"auto"``: ``revenue_per_customer`` (else
        ``revenue``) for value and ``response_rate`` for response, when present; None
        leaves the component out.
    weights : mapping, optional
        ``{"size": w, "value": w, "response": w, "growth": w}`` (config
        ``attractiveness.weights``); default equal weights.
    scaling : {"max", "minmax", "rank"}
        See above (config ``attractiveness.scaling``).

    Returns
    -------
    DataFrame
        Indexed by segment, sorted by ``rank`` (1 = most attractive): for each component
        the raw value, ``<component>_scaled`` and ``<component>_points``; then ``score``,
        ``rank`` and ``unranked_reason``. Suppressed segments are left out of the scaling,
        show no figures, get no score or rank and come last, with ``unranked_reason``
        ``too small to judge: figures suppressed`` (or, suppressed only in
        ``targeting``, ``too few customers with a campaign response to judge``); a segment
        missing a component otherwise gets no score either (``no <component> figure``).

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"size": [100, 300, 200], "revenue": [50.0, 10.0, 30.0],
    ...                     "response_rate": [0.2, 0.05, 0.1]}, index=pd.Index([0, 1, 2], name="segment"))
    >>> r = attractiveness(seg, value_col="revenue", response_col="response_rate")
    >>> r[["score", "rank"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
             score  rank
    segment
    0        0.778     1
    2        0.589     2
    1        0.483     3
    >>> r.loc[2, ["size_scaled", "response_scaled"]].round(3).tolist()  # 200 of 300; 10% of 20%
    [0.667, 0.5]
    >>> r.attrs["note"]
    'growth not given: its weight (0.25) was redistributed over size, value, response'
    """
    frame, too_small, no_response = _with_response(segments, targeting)
    columns = _component_columns(frame, size_col, value_col, response_col, growth_col)
    given = {k: c for k, c in columns.items() if c is not None}
    raw_weights, used = _weights(weights, columns, given)
    missing = [k for k in columns if k not in given and raw_weights.get(k, 0) > 0]
    out = pd.DataFrame(index=frame.index)
    score = pd.Series(0.0, index=frame.index)
    hidden = {"response": too_small | no_response}
    for component, column in given.items():
        raw = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        # Suppressed segments show no figure and do not stretch the scale of the others.
        raw = raw.mask(hidden.get(component, too_small))
        scaled = _scale(raw, scaling)
        out[component] = raw
        out[f"{component}_scaled"] = scaled
        out[f"{component}_points"] = used[component] * scaled
        score = score + out[f"{component}_points"]
    out["score"] = score
    out["rank"] = out["score"].rank(ascending=False, method="min").astype("Int64")
    out["unranked_reason"] = _unranked_reason(out, given, no_response, too_small)
    out = out.sort_values(["score"], ascending=False, na_position="last", kind="stable")
    note = ""
    if missing:
        note = (f"{', '.join(missing)} not given: its weight ({', '.join(str(raw_weights[m]) for m in missing)}) "
                f"was redistributed over {', '.join(given)}")
    out.attrs.update({"weights": used, "note": note, "scaling": scaling})
    return out


def _with_response(segments: pd.DataFrame, targeting: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The segments indexed by segment, with the targeting table's response rate joined, and
    which are suppressed (too small) or have too few responses to judge."""
    frame = segments.set_index("segment") if "segment" in segments.columns else segments
    too_small = _flags(frame)
    no_response = pd.Series(False, index=frame.index)
    if targeting is not None:
        if "segment" not in targeting.columns or "response_rate" not in targeting.columns:
            raise ColumnError("targeting: expected targeting_table output with 'segment' and 'response_rate'")
        frame = frame.drop(columns=[c for c in ("response_rate",) if c in frame.columns]).join(
            targeting.set_index("segment")[["response_rate"]], how="left")
        no_response = _flags(targeting.set_index("segment")).reindex(frame.index, fill_value=False) & ~too_small
    return frame, too_small, no_response


def _component_columns(frame: pd.DataFrame, size_col, value_col, response_col, growth_col) -> dict[str, str | None]:
    """The column of each component (None: left out), ``"auto"`` resolved, each checked to exist."""
    if value_col == "auto":
        value_col = next((c for c in ("revenue_per_customer", "revenue") if c in frame.columns), None)
    if response_col == "auto":
        response_col = "response_rate" if "response_rate" in frame.columns else None
    columns = {"size": size_col, "value": value_col, "response": response_col, "growth": growth_col}
    for column in columns.values():
        if column is not None and column not in frame.columns:
            raise ColumnError(f"attractiveness: column {column!r} not found; available columns: {list(frame.columns)}")
    return columns


def _weights(weights: Mapping[str, float] | None, columns: Mapping[str, str | None],
             given: Mapping[str, str]) -> tuple[dict[str, float], dict[str, float]]:
    """The weights as configured, and those used: the given components' weights, normalised to sum to 1."""
    raw_weights = dict(DEFAULT_ATTRACTIVENESS_WEIGHTS if weights is None else weights)
    unknown = set(raw_weights) - set(columns)
    if unknown:
        raise ConfigError(f"attractiveness.weights has unknown components {sorted(unknown)}; "
                          f"expected some of {list(columns)}")
    if any(float(w) < 0 for w in raw_weights.values()):
        raise ConfigError(f"attractiveness.weights must be >= 0, got {raw_weights}")
    used = {k: float(raw_weights.get(k, 0.0)) for k in given}
    total = sum(used.values())
    if total <= 0:
        raise ConfigError("attractiveness: the components given all have weight 0")
    return raw_weights, {k: w / total for k, w in used.items()}


def _unranked_reason(out: pd.DataFrame, given: Mapping[str, str], no_response: pd.Series,
                     too_small: pd.Series) -> pd.Series:
    """Why a segment has no rank ("" when it has one); the weightiest reason wins."""
    reason = pd.Series("", index=out.index, dtype="string")
    for component in reversed(list(given)):
        reason[out[component].isna()] = f"no {component} figure"
    reason[no_response] = "too few customers with a campaign response to judge"
    reason[too_small] = "too small to judge: figures suppressed"
    return reason


def _flags(frame: pd.DataFrame) -> pd.Series:
    """The ``suppressed`` column as booleans (all False without one)."""
    if "suppressed" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["suppressed"].fillna(False).astype(bool)

