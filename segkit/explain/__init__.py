"""Explain the segments: rules that recognise each segment, and why a customer is in theirs.

* :mod:`~segkit.explain.rules` -- :func:`segment_rules`: short threshold rules per segment in
  the features' own units (a shallow tree, at most three conditions per rule), each with its
  precision and coverage, their overall fidelity, and the same rules as a SQL ``CASE``;
* :mod:`~segkit.explain.customer` -- :func:`explain_customer`: a customer's distance to every
  segment, the runner-up and the margin, and the features that pull them to their segment;
* :mod:`~segkit.explain.prepared` -- the segmenter's prepared space read back in feature units.

The fitted model (:class:`segkit.model.SegmentationModel`) and the analysis
(:class:`segkit.pipeline.Analysis`) call these; ``segkit explain`` prints the second.
"""

from segkit.explain.customer import CustomerExplanation, embedding, explain_customer
from segkit.explain.prepared import PreparedColumn, fill_values, in_feature_units, prepared_columns
from segkit.explain.rules import Condition, Rule, SegmentRules, segment_rules

__all__ = [
    "Condition",
    "CustomerExplanation",
    "PreparedColumn",
    "Rule",
    "SegmentRules",
    "embedding",
    "explain_customer",
    "fill_values",
    "in_feature_units",
    "prepared_columns",
    "segment_rules",
]
