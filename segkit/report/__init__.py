"""The segment report: a parameterised notebook run with papermill, published as a folder.

- :mod:`segkit.report.runner`: runs the packaged report notebook in a fresh kernel and
  exports it to one offline HTML page (:func:`run_report`, :func:`export_html`).
- :mod:`segkit.report.kernel`: that kernel, started early with the report's modules imported
  as it starts (:func:`start_kernel`, :func:`stop_kernel`); :mod:`segkit.report.inline`: how
  it shows figures (each drawn once).
- :mod:`segkit.report.outputs`: what a report folder holds, the ``--out`` check, the atomic
  publish of a folder and the atomic file writers.
- :mod:`segkit.report.sections`: what each report section shows, as functions of a run.
- :mod:`segkit.report.narrative` and :mod:`segkit.report.tables`: the report's text and
  tables; :mod:`segkit.report.style` formats any table for reading.
- :mod:`segkit.report.batch`: ``segkit report --by``, one report per value and an index
  page. It runs whole analyses (:mod:`segkit.pipeline`), which write through
  :mod:`segkit.report.outputs`, so this package does not import it: import
  ``segkit.report.batch`` itself.

Figures are drawn by :mod:`segkit.plots`, a top-level module analysts use on its own.

Examples
--------
>>> from segkit.report import REQUIRED_OUTPUTS, run_report
>>> "report.html" in REQUIRED_OUTPUTS
True
"""

from segkit.report.kernel import PRELOAD_MODULES, start_kernel, stop_kernel
from segkit.report.outputs import REQUIRED_OUTPUTS, check_out_dir
from segkit.report.runner import (
    REPORT_NOTEBOOK,
    ReportRun,
    execute_report,
    export_html,
    run_report,
    write_index,
)

__all__ = ["PRELOAD_MODULES", "REPORT_NOTEBOOK", "REQUIRED_OUTPUTS", "ReportRun", "check_out_dir", "execute_report",
           "export_html", "run_report", "start_kernel", "stop_kernel", "write_index"]
