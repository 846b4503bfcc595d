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

The modules: :mod:`~segkit.target.rates` (reading responses, Wilson intervals),
:mod:`~segkit.target.economics` (cost per contact, revenue per response),
:mod:`~segkit.target.campaign` (the targeting table and target lists),
:mod:`~segkit.target.attractiveness` and :mod:`~segkit.target.abtest`.

Examples
--------
>>> from segkit.target import wilson_interval
>>> low, high = wilson_interval(10, 100)
>>> round(float(low), 4), round(float(high), 4)
(0.0552, 0.1744)
"""

from segkit.target.abtest import ab_analyse, ab_assign, ab_minimum_detectable_effect, ab_plan, ab_sample_size
from segkit.target.attractiveness import DEFAULT_ATTRACTIVENESS_WEIGHTS, SCALINGS, attractiveness
from segkit.target.campaign import ACTIONS, target_lists, targeting_table
from segkit.target.economics import CampaignEconomics, campaign_economics, economics_or_rate
from segkit.target.rates import wilson_interval

__all__ = [
    "ACTIONS",
    "DEFAULT_ATTRACTIVENESS_WEIGHTS",
    "SCALINGS",
    "CampaignEconomics",
    "wilson_interval",
    "campaign_economics",
    "economics_or_rate",
    "targeting_table",
    "target_lists",
    "attractiveness",
    "ab_sample_size",
    "ab_minimum_detectable_effect",
    "ab_plan",
    "ab_assign",
    "ab_analyse",
]
