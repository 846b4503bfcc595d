"""Report tables, importable as ``segkit.tables`` as before the report became a package.

They live in :mod:`segkit.report.tables` (what each table keeps and names) and
:mod:`segkit.report.style` (:func:`show`, how any table is formatted for reading).

Examples
--------
>>> from segkit.tables import show
>>> from segkit.report.tables import show as home
>>> show is home
True
"""

from segkit.report.style import COUNT_NAMES, PERCENT_NAMES, SHORT_TEXT, TABLE_CLASS, WHOLE_ABOVE, show
from segkit.report.tables import (
    ab_plan_table,
    attractiveness_table,
    drift_table,
    inputs_table,
    k_selection_table,
    rfm_by_segment_table,
    segment_means_table,
    targeting_table,
)

__all__ = ["COUNT_NAMES", "PERCENT_NAMES", "SHORT_TEXT", "TABLE_CLASS", "WHOLE_ABOVE", "ab_plan_table",
           "attractiveness_table", "drift_table", "inputs_table", "k_selection_table", "rfm_by_segment_table",
           "segment_means_table", "show", "targeting_table"]
