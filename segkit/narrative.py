"""The report's text, importable as ``segkit.narrative`` as before the report became a package.

It lives in :mod:`segkit.report.narrative`.

Examples
--------
>>> from segkit.narrative import pct
>>> pct(0.25)
'25%'
"""

from segkit.report.narrative import (
    changes_text,
    data_text,
    k_choice_text,
    key_findings,
    method_text,
    not_shown_text,
    pct,
    segments_table,
    unchanged_rules_text,
)

__all__ = ["changes_text", "data_text", "k_choice_text", "key_findings", "method_text", "not_shown_text", "pct",
           "segments_table", "unchanged_rules_text"]
