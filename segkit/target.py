"""Campaign targeting, segment attractiveness and A/B tests within segments.

From past campaign responses, :func:`targeting_table` gives each segment a response rate
with a Wilson interval, the expected profit per contact
(``response_rate * revenue_per_response - cost_per_contact``) and a recommended action
from where the interval lies against the break-even rate ``cost / revenue``:

================== ===========================================================
action             rule
================== ===========================================================
target             the whole interval is above break-even: profitable with confidence
test first         the interval straddles break-even: run a test before rolling out
do not contact     the whole interval is below break-even: each contact loses money
too small to judge fewer than ``min_cell_size`` customers: the segment's figures are
                   suppressed for privacy, and so few customers could not show
                   whether contacting them pays
================== ===========================================================

:func:`attractiveness` ranks segments by size, value, response and growth with the
scoring shown, leaving suppressed segments unranked, last, with the reason;
:func:`ab_sample_size`, :func:`ab_plan`, :func:`ab_assign` and :func:`ab_analyse` plan,
split and analyse A/B tests per segment.

Examples
--------
>>> from segkit.target import wilson_interval
>>> low, high = wilson_interval(10, 100)
>>> round(float(low), 4), round(float(high), 4)
(0.0552, 0.1744)
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import optimize, stats

from segkit.config import _money
from segkit.exceptions import ColumnError, ConfigError, DataError, SegkitWarning
from segkit.privacy import DEFAULT_MIN_CELL_SIZE, suppress_small_cells
from segkit.schema import FLAG_VALUES

__all__ = [
    "ACTIONS",
    "DEFAULT_ATTRACTIVENESS_WEIGHTS",
    "CampaignEconomics",
    "wilson_interval",
    "campaign_economics",
    "targeting_table",
    "target_lists",
    "attractiveness",
    "ab_sample_size",
    "ab_minimum_detectable_effect",
    "ab_plan",
    "ab_assign",
    "ab_analyse",
]

ACTIONS = ("target", "test first", "do not contact", "too small to judge")

#: Equal weights by default: without a business reason to prefer one component, none is
#: preferred. Override with the config's ``attractiveness.weights``.
DEFAULT_ATTRACTIVENESS_WEIGHTS: dict[str, float] = {"size": 0.25, "value": 0.25, "response": 0.25, "growth": 0.25}


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ConfigError(f"confidence must be between 0 and 1 (e.g. 0.95), got {confidence!r}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson_interval(successes, n, *, confidence: float = 0.95):
    """Wilson score interval for a binomial proportion (vectorised).

    ``(p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p = successes / n``
    and ``z`` the normal quantile for ``confidence``. Unlike the Wald interval it stays
    inside [0, 1] and behaves at 0 and n successes. ``n = 0`` gives NaN.

    Parameters
    ----------
    successes, n : int or array-like
    confidence : float

    Returns
    -------
    (low, high)
        Floats for scalar input, arrays otherwise.

    Examples
    --------
    >>> low, high = wilson_interval([10, 0], [100, 20])
    >>> [round(float(v), 4) for v in low], [round(float(v), 4) for v in high]
    ([0.0552, 0.0], [0.1744, 0.1611])
    """
    z = _z(confidence)
    k = np.asarray(successes, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if np.any(k < 0) or np.any(k > n_arr):
        raise DataError("wilson_interval: successes must be between 0 and n")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n_arr
        denom = 1 + z**2 / n_arr
        centre = (p + z**2 / (2 * n_arr)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n_arr + z**2 / (4 * n_arr**2))
        low = np.where(n_arr > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n_arr > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


# --------------------------------------------------------------------------- economics


class CampaignEconomics(NamedTuple):
    """Cost per contact, revenue per response, and where each came from."""

    cost_per_contact: float
    revenue_per_response: float
    source: str


def _amount(value, what: str) -> float:
    """A cost or revenue as a finite float; text such as ``"3"`` or ``"€3"`` is read as a number."""
    number = _money(value) if isinstance(value, str) else value
    try:
        number = float(number)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} must be a number (e.g. 3 or 2.50), got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise ConfigError(f"{what} must be a finite number (e.g. 3 or 2.50), got {value!r}")
    return number


def _single_value(frame: pd.DataFrame, column: str) -> float:
    present = frame[column].dropna()
    text = present.map(lambda v: _money(v) if isinstance(v, str) else v)
    values = pd.to_numeric(text, errors="coerce")
    if values.isna().any():
        pos = int(np.flatnonzero(frame[column].notna().to_numpy())[np.flatnonzero(values.isna().to_numpy())[0]])
        raise DataError(f"customers: column {column!r} has a value that is not a number ({frame[column].iloc[pos]!r} "
                        f"at row {pos + 1}); expected one constant campaign cost or revenue, or give it in the "
                        "config instead")
    values = values.unique()
    if len(values) != 1:
        example = values[:3].tolist()
        raise DataError(f"customers: column {column!r} has {len(values)} distinct values (e.g. {example}); "
                        "expected one constant campaign cost or revenue; give it in the config instead")
    return float(values[0])


def campaign_economics(
    customers: pd.DataFrame | None = None,
    cost: float | None = None,
    revenue: float | None = None,
) -> CampaignEconomics:
    """Cost per contact and revenue per response, from arguments or constant columns.

    Explicit values win. Otherwise a single-valued column whose name contains ``cost``
    (e.g. ``Z_CostContact``) gives the cost and one containing ``revenue`` (``Z_Revenue``)
    gives the revenue.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Z_CostContact": [3, 3], "Z_Revenue": [11, 11]})
    >>> campaign_economics(df)
    CampaignEconomics(cost_per_contact=3.0, revenue_per_response=11.0, source='columns Z_CostContact, Z_Revenue')
    >>> campaign_economics(df, cost=2.5).cost_per_contact
    2.5
    """
    sources = []

    def find(word: str) -> str | None:
        if customers is None:
            return None
        hits = [c for c in customers.columns if word in re.sub(r"[^a-z]", "", str(c).lower())]
        return hits[0] if hits else None

    if cost is None:
        column = find("cost")
        if column is None:
            raise ConfigError("campaign.cost_per_contact is not set and no cost column (e.g. Z_CostContact) "
                              "was found; expected a number in the config")
        cost = _single_value(customers, column)
        sources.append(column)
    if revenue is None:
        column = find("revenue")
        if column is None:
            raise ConfigError("campaign.revenue_per_response is not set and no revenue column (e.g. Z_Revenue) "
                              "was found; expected a number in the config")
        revenue = _single_value(customers, column)
        sources.append(column)
    cost = _amount(cost, "campaign.cost_per_contact")
    revenue = _amount(revenue, "campaign.revenue_per_response")
    if cost < 0 or revenue <= 0:
        raise ConfigError(f"campaign economics must have cost >= 0 and revenue > 0, got cost={cost:g}, "
                          f"revenue={revenue:g}")
    source = "columns " + ", ".join(sources) if len(sources) == 2 else (
        "config" if not sources else f"config and column {sources[0]}")
    return CampaignEconomics(cost, revenue, source)


# --------------------------------------------------------------------------- targeting


def _segment_names(names, segments) -> pd.Series:
    if names is None:
        return pd.Series([f"Segment {s}" for s in segments], index=segments, dtype="string")
    if isinstance(names, pd.DataFrame):
        if "name" not in names.columns:
            raise ColumnError("names: expected a 'name' column (the output of name_segments)")
        names = names["name"]
    names = pd.Series(names) if isinstance(names, Mapping) else names
    out = pd.Series(names).reindex(segments)
    out = out.astype("string").fillna(pd.Series([f"Segment {s}" for s in segments], index=segments, dtype="string"))
    return out


def _binary(values: pd.Series, what: str) -> pd.Series:
    """Responses as float 0/1 with NaN for missing: 0/1, true/false or yes/no (y/n, any case)."""

    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
        given = values.notna()
        numeric = pd.Series(values, dtype="Float64").astype("float64")
    else:
        words = values.astype("string").str.strip().str.lower()
        given = (words.notna() & (words != "")).fillna(False).astype(bool)
        numeric = words.map(FLAG_VALUES.get, na_action="ignore").astype("Float64").astype("float64")
    mask = (numeric.notna() & ~numeric.isin([0, 1])) | (numeric.isna() & given)
    if mask.any():
        pos = int(np.flatnonzero(mask.to_numpy())[0])
        value = values.iloc[pos]
        value = value.item() if isinstance(value, np.generic) else value
        raise DataError(f"{what} has {int(mask.sum())} values that are not a response "
                        f"(e.g. {value!r} at row {pos + 1}); expected 0/1, yes/no or true/false")
    return numeric


def _align(labels: pd.Series, other: pd.Series, what: str) -> tuple[pd.Series, pd.Series]:
    if not isinstance(labels, pd.Series) or not isinstance(other, pd.Series):
        raise DataError(f"labels and {what} must be pandas Series indexed by customer_id")
    common = labels.index.intersection(other.index)
    if len(common) == 0:
        raise DataError(f"labels and {what} share no customer ids; expected both indexed by customer_id")
    if len(common) < len(labels):
        warnings.warn(f"{len(labels) - len(common)} labelled customers have no {what} and are left out of the "
                      "response rates", SegkitWarning, stacklevel=3)
    return labels.loc[common], other.loc[common]


def targeting_table(
    labels: pd.Series,
    response: pd.Series,
    *,
    names=None,
    cost_per_contact: float,
    revenue_per_response: float,
    confidence: float = 0.95,
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
    source: str | None = None,
) -> pd.DataFrame:
    """Response rate, interval, expected profit and action per segment (``targeting.csv``).

    Parameters
    ----------
    labels : Series
        Segment per customer, indexed by ``customer_id``.
    response : Series
        Past campaign response per customer: 0/1, true/false or yes/no (y/n, in any case);
        missing responses are left out of the rates (their number is in
        ``attrs["without_response"]``), not out of the segment.
    names : Series, mapping or DataFrame, optional
        Segment names (e.g. :func:`segkit.profile.name_segments` output).
    cost_per_contact, revenue_per_response : float
        Campaign economics (see :func:`campaign_economics`).
    confidence : float
        Level of the Wilson interval.
    min_cell_size : int
        Segments with fewer customers with a known response are suppressed: their row
        stays, with the name, ``break_even_rate``, ``suppressed`` True and the action
        ``too small to judge``; every figure that describes the segment (``customers``,
        ``size``, ``responders``, the rate and its interval, both profits) is NaN, as in
        :func:`segkit.profile.profile_segments`. A segment with no known response at all is
        ``too small to judge`` whatever ``min_cell_size``.
    source : str, optional
        Name of the table the responses come from, for messages.

    Returns
    -------
    DataFrame
        One row per segment of ``labels``, sorted by segment: ``segment, name, customers,
        size, responders, response_rate, rate_low, rate_high, expected_profit_per_contact,
        expected_total_profit, break_even_rate, action, suppressed``. ``customers`` counts
        all the segment's customers, ``size`` those with a known response (the base of
        the rate and its interval).
        ``expected_profit_per_contact = response_rate * revenue - cost`` exactly, and
        ``expected_total_profit = expected_profit_per_contact * customers``: the expected
        profit if the whole segment is contacted, customers without a known response
        assumed to respond at the segment's rate.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0] * 100 + [1] * 100, name="segment")
    >>> response = pd.Series([1] * 40 + [0] * 60 + [1] * 10 + [0] * 90)
    >>> t = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11)
    >>> t[["segment", "response_rate", "expected_profit_per_contact", "action"]]
       segment  response_rate  expected_profit_per_contact          action
    0        0            0.4                          1.4          target
    1        1            0.1                         -1.9  do not contact
    >>> tiny = pd.Series([0] * 100 + [1] * 6, name="segment")
    >>> targeting_table(tiny, pd.Series([1] * 40 + [0] * 66), cost_per_contact=3,
    ...                 revenue_per_response=11)[["segment", "size", "response_rate", "action"]]
       segment   size  response_rate              action
    0        0  100.0            0.4              target
    1        1    NaN            NaN  too small to judge
    """
    if revenue_per_response is None or cost_per_contact is None:
        raise ConfigError("targeting_table needs cost_per_contact and revenue_per_response")
    cost = _amount(cost_per_contact, "cost_per_contact")
    revenue = _amount(revenue_per_response, "revenue_per_response")
    if revenue <= 0 or cost < 0:
        raise ConfigError(f"expected cost_per_contact >= 0 and revenue_per_response > 0, got {cost:g}, {revenue:g}")
    segment_of = labels
    labels, response = _align(labels, response, "response")
    # the whole segment, customers without a response included: whom a campaign would contact
    customers = segment_of.dropna().groupby(segment_of.dropna().to_numpy(), sort=True).size().astype("int64")
    name = response.name
    column = f"{source + ': ' if source else ''}column {name!r}" if name is not None else "response"
    response = _binary(response, column)
    known = response.notna()
    if not known.any():
        raise DataError(f"{column} has no response for any of the {len(response):,} segmented customers (all "
                        "missing); expected 0/1, yes/no or true/false answers to a past campaign")
    if not known.all():
        warnings.warn(f"{int((~known).sum())} customers without a response are left out of the response rates",
                      SegkitWarning, stacklevel=2)
    labels, response = labels[known], response[known]
    grouped = response.groupby(labels.to_numpy(), sort=True)
    segments = customers.index
    # a segment none of whose customers has a response keeps its row, with size 0
    size = grouped.size().reindex(segments, fill_value=0).astype("int64")
    responders = grouped.sum().reindex(segments, fill_value=0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = responders / size.where(size > 0)
    low, high = wilson_interval(responders.to_numpy(), size.to_numpy(), confidence=confidence)
    break_even = cost / revenue
    per_contact = rate * revenue - cost
    action = np.where(low > break_even, ACTIONS[0], np.where(high < break_even, ACTIONS[2], ACTIONS[1]))
    table = pd.DataFrame(
        {
            "segment": segments.to_numpy(),
            "name": _segment_names(names, segments).to_numpy(),
            "customers": customers.to_numpy(),
            "size": size.to_numpy(),
            "responders": responders.to_numpy(),
            "response_rate": rate.to_numpy(),
            "rate_low": low,
            "rate_high": high,
            "expected_profit_per_contact": per_contact.to_numpy(),
            # if the whole segment is contacted: the rate of those who answered, for all its customers
            "expected_total_profit": (per_contact * customers).to_numpy(),
            "break_even_rate": break_even,
            "action": action,
        }
    )
    table = suppress_small_cells(
        table, count_col="size", min_cell_size=min_cell_size,
        columns=["customers", "size", "responders", "response_rate", "rate_low", "rate_high",
                 "expected_profit_per_contact", "expected_total_profit"],
    )
    table.loc[table["suppressed"] | (size.to_numpy() == 0), "action"] = ACTIONS[3]
    table.attrs.update({"cost_per_contact": cost, "revenue_per_response": revenue, "confidence": confidence,
                        "without_response": int((~known).sum()), "response_column": name})
    return table


def target_lists(
    labels: pd.Series,
    targeting: pd.DataFrame,
    *,
    actions=("target",),
) -> pd.DataFrame:
    """Customers of the segments whose action is in ``actions``: the CRM target list.

    Returns
    -------
    DataFrame
        ``customer_id, segment, segment_name, action``, sorted by segment and id.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0, 0, 1], index=pd.Index(["a", "b", "c"], name="customer_id"), name="segment")
    >>> targeting = pd.DataFrame({"segment": [0, 1], "name": ["Wine lovers", "Lapsed"],
    ...                           "action": ["target", "do not contact"]})
    >>> target_lists(labels, targeting)
      customer_id  segment segment_name  action
    0           a        0  Wine lovers  target
    1           b        0  Wine lovers  target
    """
    for column in ("segment", "name", "action"):
        if column not in targeting.columns:
            raise ColumnError(f"targeting: column {column!r} not found; expected targeting_table output")
    unknown = set(actions) - set(ACTIONS)
    if unknown:
        raise ConfigError(f"The value for `actions` must be among {list(ACTIONS)}, but {sorted(unknown)} was passed.")
    chosen = targeting[targeting["action"].isin(list(actions))].set_index("segment")
    frame = pd.DataFrame({"customer_id": labels.index.astype("string"), "segment": labels.to_numpy()})
    frame = frame[frame["segment"].isin(chosen.index)]
    frame["segment_name"] = frame["segment"].map(chosen["name"]).astype("string")
    frame["action"] = frame["segment"].map(chosen["action"]).astype("string")
    return frame.sort_values(["segment", "customer_id"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- attractiveness


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
        :func:`targeting_table` output; its ``response_rate`` is joined on segment, and
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
    frame = segments.set_index("segment") if "segment" in segments.columns else segments
    too_small = _flags(frame)
    no_response = pd.Series(False, index=frame.index)
    if targeting is not None:
        if "segment" not in targeting.columns or "response_rate" not in targeting.columns:
            raise ColumnError("targeting: expected targeting_table output with 'segment' and 'response_rate'")
        frame = frame.drop(columns=[c for c in ("response_rate",) if c in frame.columns]).join(
            targeting.set_index("segment")[["response_rate"]], how="left")
        no_response = _flags(targeting.set_index("segment")).reindex(frame.index, fill_value=False) & ~too_small
    if value_col == "auto":
        value_col = next((c for c in ("revenue_per_customer", "revenue") if c in frame.columns), None)
    if response_col == "auto":
        response_col = "response_rate" if "response_rate" in frame.columns else None
    columns = {"size": size_col, "value": value_col, "response": response_col, "growth": growth_col}
    given = {k: c for k, c in columns.items() if c is not None}
    for column in given.values():
        if column not in frame.columns:
            raise ColumnError(f"attractiveness: column {column!r} not found; available columns: {list(frame.columns)}")
    raw_weights = dict(DEFAULT_ATTRACTIVENESS_WEIGHTS if weights is None else weights)
    unknown = set(raw_weights) - set(columns)
    if unknown:
        raise ConfigError(f"attractiveness.weights has unknown components {sorted(unknown)}; "
                          f"expected some of {list(columns)}")
    if any(float(w) < 0 for w in raw_weights.values()):
        raise ConfigError(f"attractiveness.weights must be >= 0, got {raw_weights}")
    missing = [k for k in columns if k not in given and raw_weights.get(k, 0) > 0]
    used = {k: float(raw_weights.get(k, 0.0)) for k in given}
    total = sum(used.values())
    if total <= 0:
        raise ConfigError("attractiveness: the components given all have weight 0")
    used = {k: w / total for k, w in used.items()}
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
    reason = pd.Series("", index=out.index, dtype="string")
    for component in reversed(list(given)):
        reason[out[component].isna()] = f"no {component} figure"
    reason[no_response] = "too few customers with a campaign response to judge"
    reason[too_small] = "too small to judge: figures suppressed"
    out["unranked_reason"] = reason
    out = out.sort_values(["score"], ascending=False, na_position="last", kind="stable")
    note = ""
    if missing:
        note = (f"{', '.join(missing)} not given: its weight ({', '.join(str(raw_weights[m]) for m in missing)}) "
                f"was redistributed over {', '.join(given)}")
    out.attrs.update({"weights": used, "note": note, "scaling": scaling})
    return out


def _flags(frame: pd.DataFrame) -> pd.Series:
    """The ``suppressed`` column as booleans (all False without one)."""
    if "suppressed" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["suppressed"].fillna(False).astype(bool)


# --------------------------------------------------------------------------- A/B tests


def _check_rate(value: float, what: str) -> float:
    value = float(value)
    if not 0 < value < 1:
        raise ConfigError(f"{what} must be a rate strictly between 0 and 1, got {value!r}")
    return value


def ab_sample_size(
    baseline_rate: float,
    mde: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    two_sided: bool = True,
    relative: bool = False,
) -> int:
    """Customers needed per arm to detect a change ``mde`` in a response rate.

    The standard two-proportion formula (normal approximation, equal arms, no continuity
    correction), with ``p1 = baseline_rate``, ``p2 = p1 + mde`` and ``pbar = (p1 + p2)/2``::

        n = (z_a * sqrt(2 pbar (1 - pbar)) + z_b * sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2

    rounded up, where ``z_a = Phi^-1(1 - alpha/2)`` (two-sided) or ``Phi^-1(1 - alpha)`` and
    ``z_b = Phi^-1(power)``.

    Parameters
    ----------
    baseline_rate : float
        Expected response rate without treatment.
    mde : float
        Minimum detectable effect: absolute difference in rate (0.02 = two points), or
        relative to the baseline when ``relative=True`` (0.2 = +20%).
    alpha, power : float
    two_sided : bool
    relative : bool

    Returns
    -------
    int
        Sample size per arm.

    Examples
    --------
    >>> ab_sample_size(0.10, 0.02)
    3841
    >>> ab_sample_size(0.10, 0.2, relative=True)
    3841
    """
    p1 = _check_rate(baseline_rate, "baseline_rate")
    delta = float(mde) * (p1 if relative else 1.0)
    p2 = p1 + delta
    if delta == 0 or not 0 < p2 < 1:
        raise ConfigError(f"mde must be non-zero and keep the rate in (0, 1): baseline {p1} + {delta} = {p2}")
    _check_rate(alpha, "alpha")
    _check_rate(power, "power")
    z_a = stats.norm.ppf(1 - alpha / 2) if two_sided else stats.norm.ppf(1 - alpha)
    z_b = stats.norm.ppf(power)
    pbar = (p1 + p2) / 2
    n = (z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / delta**2
    # Guard against 3841.0000000001 from floating point before rounding up.
    return int(math.ceil(round(n, 9)))


def ab_minimum_detectable_effect(
    baseline_rate: float,
    n_per_arm: int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    two_sided: bool = True,
) -> float:
    """Smallest absolute lift detectable with ``n_per_arm`` customers per arm (inverse of
    :func:`ab_sample_size`, solved numerically); NaN when even the largest lift is not.

    Examples
    --------
    >>> round(ab_minimum_detectable_effect(0.10, 3841), 4)
    0.02
    """
    p1 = _check_rate(baseline_rate, "baseline_rate")
    if n_per_arm < 2:
        return float("nan")
    z_a = stats.norm.ppf(1 - alpha / 2) if two_sided else stats.norm.ppf(1 - alpha)
    z_b = stats.norm.ppf(power)

    def gap(delta: float) -> float:
        p2 = p1 + delta
        pbar = (p1 + p2) / 2
        need = (z_a * math.sqrt(2 * pbar * (1 - pbar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2
        return need / delta**2 - n_per_arm

    upper = (1 - p1) * (1 - 1e-9)
    if gap(upper) > 0:
        return float("nan")
    return float(optimize.brentq(gap, 1e-9, upper, xtol=1e-12))


def ab_plan(
    labels: pd.Series,
    *,
    baseline_rates,
    mde: float,
    alpha: float = 0.05,
    power: float = 0.8,
    two_sided: bool = True,
    relative: bool = False,
    treatment_share: float = 0.5,
) -> pd.DataFrame:
    """Per-segment sample sizes for an A/B test, and whether each segment is large enough.

    Parameters
    ----------
    labels : Series
        Segment per customer.
    baseline_rates : float, mapping or Series
        Expected response rate without treatment, one for all segments or per segment
        (e.g. the ``response_rate`` column of :func:`targeting_table`). A segment whose
        rate is NaN (suppressed in :func:`targeting_table`: too small to judge) gets no
        plan: ``size`` and the sample sizes are missing and ``sufficient`` is False.
    mde, alpha, power, two_sided, relative
        As in :func:`ab_sample_size`.
    treatment_share : float
        Share of each segment that will be treated; the smaller arm must reach the size.

    Returns
    -------
    DataFrame
        One row per segment: ``segment, size, baseline_rate, mde, n_per_arm,
        n_required`` (both arms), ``sufficient`` (smaller arm >= n_per_arm),
        ``detectable_mde`` (smallest absolute lift the segment can detect as split) and
        ``note``: why a segment has no plan (suppressed; an observed rate of 0% or 100%;
        an effect that would take the rate out of (0, 1)), empty otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0] * 9000 + [1] * 2000, name="segment")
    >>> ab_plan(labels, baseline_rates=0.10, mde=0.02)[["segment", "size", "n_per_arm", "sufficient"]]
       segment  size  n_per_arm  sufficient
    0        0  9000       3841        True
    1        1  2000       3841       False
    """
    if not 0 < treatment_share < 1:
        raise ConfigError(f"treatment_share must be between 0 and 1, got {treatment_share!r}")
    sizes = labels.value_counts().sort_index()
    if isinstance(baseline_rates, (Mapping, pd.Series)):
        given = pd.Series(baseline_rates)
        absent = [s for s in sizes.index if s not in given.index]
        if absent:
            raise ConfigError(f"baseline_rates has no rate for segments {absent}")
        rates = pd.to_numeric(given.reindex(sizes.index), errors="coerce")
    else:
        rates = pd.Series(float(baseline_rates), index=sizes.index)
    rows = []
    for segment, size in sizes.items():
        rate = float(rates[segment])
        delta = float(mde) * (rate if relative else 1.0)
        note = _no_plan_reason(rate, delta)
        if note:
            known = not np.isnan(rate)
            rows.append({"segment": segment, "size": int(size) if known else pd.NA, "baseline_rate": rate,
                         "mde": delta if known else np.nan, "n_per_arm": pd.NA, "n_required": pd.NA,
                         "sufficient": False, "detectable_mde": np.nan, "note": note})
            continue
        n = ab_sample_size(rate, mde, alpha=alpha, power=power, two_sided=two_sided, relative=relative)
        smaller_arm = int(math.floor(min(treatment_share, 1 - treatment_share) * size))
        rows.append(
            {
                "segment": segment,
                "size": int(size),
                "baseline_rate": rate,
                "mde": delta,
                "n_per_arm": n,
                "n_required": 2 * n,
                "sufficient": smaller_arm >= n,
                "detectable_mde": ab_minimum_detectable_effect(rate, smaller_arm, alpha=alpha, power=power,
                                                               two_sided=two_sided),
                "note": "",
            }
        )
    plan = pd.DataFrame(rows)
    if plan["n_per_arm"].isna().any():
        plan = plan.astype({"size": "Int64", "n_per_arm": "Int64", "n_required": "Int64"})
    return plan


def _no_plan_reason(rate: float, delta: float) -> str:
    """Why a segment gets no A/B sample size ("" when it gets one).

    A suppressed segment (NaN rate), an effect that takes the rate out of (0, 1), and an
    observed rate of 0% or 100% (common in small segments: no variance to size a test on)
    are reported in the plan instead of stopping the report.
    """
    if np.isnan(rate):
        return "too small to judge"
    if delta == 0 or not 0 < rate + delta < 1:
        return f"no plan: a change of {delta:+.1%} from a {rate:.1%} response rate is not a rate"
    if not 0 < rate < 1:
        return f"no plan: an observed response rate of {rate:.0%} gives no variance to size a test on"
    return ""


def ab_assign(
    labels: pd.Series,
    *,
    treatment_share: float = 0.5,
    random_state: int | np.random.Generator | None = 0,
    groups: tuple[str, str] = ("treatment", "holdout"),
) -> pd.DataFrame:
    """Seeded treatment / holdout split, stratified by segment.

    Within each segment (customers ordered by id, so the result does not depend on the
    input order) ``round(treatment_share * size)`` customers, drawn at random, are treated
    and the rest held out. The same ``random_state`` gives the same split.

    Returns
    -------
    DataFrame
        ``customer_id, segment, group``, sorted by segment and customer id.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series([0] * 6 + [1] * 4, index=[f"c{i}" for i in range(10)], name="segment")
    >>> a = ab_assign(labels, random_state=1)
    >>> a.groupby("segment")["group"].value_counts().unstack().to_dict("index")
    {0: {'holdout': 3, 'treatment': 3}, 1: {'holdout': 2, 'treatment': 2}}
    """
    if not 0 < treatment_share < 1:
        raise ConfigError(f"treatment_share must be between 0 and 1, got {treatment_share!r}")
    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    frame = pd.DataFrame({"customer_id": labels.index.astype("string"), "segment": labels.to_numpy()})
    frame = frame.sort_values(["segment", "customer_id"], kind="stable").reset_index(drop=True)
    group = np.empty(len(frame), dtype=object)
    for _, positions in frame.groupby("segment", sort=True).indices.items():
        n_treat = int(math.floor(treatment_share * len(positions) + 0.5))
        chosen = rng.permutation(len(positions))
        group[positions] = groups[1]
        group[positions[chosen[:n_treat]]] = groups[0]
    frame["group"] = pd.array(group, dtype="string")
    return frame


def ab_analyse(
    results: pd.DataFrame,
    *,
    segment_col: str = "segment",
    group_col: str = "group",
    outcome_col: str = "outcome",
    treatment: str = "treatment",
    control: str = "holdout",
    confidence: float = 0.95,
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
) -> pd.DataFrame:
    """Per-segment A/B results with intervals and tests, plus a stratified overall estimate.

    Per segment: rates in both arms, ``difference = rate_treatment - rate_control`` with a
    Wald interval (unpooled standard error ``sqrt(p_t(1-p_t)/n_t + p_c(1-p_c)/n_c)``) and
    the two-proportion z-test p-value (pooled standard error; equals the chi-square test of
    the 2x2 table without continuity correction).

    The last row, ``segment == "overall"``, is the **size-weighted stratified** difference:
    the per-segment differences averaged with weights ``w_k = n_k / n`` (segment share of the
    test population), standard error ``sqrt(sum w_k^2 se_k^2)`` from the unpooled
    per-segment errors, and a z-test of that estimate. It estimates the effect over the
    population as segmented, without Simpson's-paradox bias from unequal splits.

    Parameters
    ----------
    results : DataFrame
        One row per customer with segment, group and a 0/1 outcome.
    segment_col, group_col, outcome_col : str
    treatment, control : str
        Group labels.
    confidence : float
    min_cell_size : int
        Segments whose smaller arm has fewer customers are suppressed.

    Returns
    -------
    DataFrame
        ``segment, n_treatment, n_control, responders_treatment, responders_control,
        rate_treatment, rate_control, difference, diff_low, diff_high, z, p_value,
        suppressed``.

    Examples
    --------
    >>> import pandas as pd
    >>> results = pd.DataFrame({
    ...     "segment": [0] * 200,
    ...     "group": ["treatment"] * 100 + ["holdout"] * 100,
    ...     "outcome": [1] * 30 + [0] * 70 + [1] * 20 + [0] * 80})
    >>> r = ab_analyse(results)
    >>> r.loc[0, ["difference", "diff_low", "diff_high", "p_value"]].astype(float).round(4).tolist()
    [0.1, -0.0192, 0.2192, 0.1025]
    """
    for column in (segment_col, group_col, outcome_col):
        if column not in results.columns:
            raise ColumnError(f"results: column {column!r} not found; available columns: {list(results.columns)}")
    # 'Treatment', ' holdout' and 'HOLDOUT' are the groups as written by hand or by a CRM export
    groups = results[group_col].astype("string").str.strip().str.casefold()
    unknown = sorted(set(results[group_col].astype("string")[groups.notna()
                                                            & ~groups.isin([treatment.casefold(),
                                                                            control.casefold()])]))
    if unknown:
        raise DataError(f"results: column {group_col!r} has unknown groups {unknown[:3]}; "
                        f"expected {treatment!r} or {control!r}")
    treated_mask = groups == treatment.casefold()
    outcome = _binary(results[outcome_col], f"results: column {outcome_col!r}")
    frame = pd.DataFrame({"segment": results[segment_col].to_numpy(), "treated": treated_mask.to_numpy(),
                          "y": outcome.to_numpy()}).dropna()
    z_crit = _z(confidence)
    rows = []
    for segment, part in frame.groupby("segment", sort=True):
        t, c = part.loc[part["treated"], "y"], part.loc[~part["treated"], "y"]
        n_t, n_c = len(t), len(c)
        k_t, k_c = int(t.sum()), int(c.sum())
        p_t = k_t / n_t if n_t else np.nan
        p_c = k_c / n_c if n_c else np.nan
        diff = p_t - p_c
        se = math.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) if n_t and n_c else np.nan
        pooled = (k_t + k_c) / (n_t + n_c) if n_t + n_c else np.nan
        se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c)) if n_t and n_c else np.nan
        z = diff / se0 if se0 and np.isfinite(se0) and se0 > 0 else np.nan
        rows.append({"segment": segment, "n_treatment": n_t, "n_control": n_c, "responders_treatment": k_t,
                     "responders_control": k_c, "rate_treatment": p_t, "rate_control": p_c, "difference": diff,
                     "diff_low": diff - z_crit * se, "diff_high": diff + z_crit * se, "z": z,
                     "p_value": 2 * stats.norm.sf(abs(z)) if np.isfinite(z) else np.nan, "_se": se})
    table = pd.DataFrame(rows)
    table["_smaller_arm"] = table[["n_treatment", "n_control"]].min(axis=1)
    table = suppress_small_cells(table, count_col="_smaller_arm", min_cell_size=min_cell_size,
                                 columns=[c for c in table.columns if c not in ("segment", "_smaller_arm")])
    usable = table[~table["suppressed"] & table["_se"].notna()]
    if len(usable):
        n_k = usable["n_treatment"] + usable["n_control"]
        w = n_k / n_k.sum()
        est = float((w * usable["difference"]).sum())
        se = float(np.sqrt((w**2 * usable["_se"] ** 2).sum()))
        z = est / se if se > 0 else np.nan
        overall = {"segment": "overall", "n_treatment": usable["n_treatment"].sum(),
                   "n_control": usable["n_control"].sum(),
                   "responders_treatment": usable["responders_treatment"].sum(),
                   "responders_control": usable["responders_control"].sum(),
                   "rate_treatment": usable["responders_treatment"].sum() / usable["n_treatment"].sum(),
                   "rate_control": usable["responders_control"].sum() / usable["n_control"].sum(),
                   "difference": est, "diff_low": est - z_crit * se, "diff_high": est + z_crit * se, "z": z,
                   "p_value": 2 * stats.norm.sf(abs(z)) if np.isfinite(z) else np.nan, "suppressed": False}
        table = pd.concat([table.astype({"segment": object}), pd.DataFrame([overall])], ignore_index=True)
    table = table.drop(columns=["_se", "_smaller_arm"])
    table.attrs["overall_method"] = "size-weighted stratified difference (weights n_k / n), unpooled SE"
    return table
