"""Run the parameterised report notebook and publish a finished report folder.

:func:`run_report` executes the report notebook (``segment_report.ipynb``, shipped inside
this package) with papermill in a fresh ``python3`` kernel, exports the executed notebook
to a self-contained HTML page (code hidden, figures embedded, no network needed to open
it) and moves the finished folder into place. Everything is written into a temporary
folder beside the target first (:mod:`segkit.report.outputs`), so a run that fails leaves
no half report: only ``<out>.failed.ipynb`` in the target's parent, for debugging. A run
that is killed leaves its hidden ``.partial`` folder, which the next run into the same parent
removes; SIGINT and SIGTERM stop a run before it publishes.

nbformat, nbconvert and papermill take about two seconds to import; they are imported
where they are used, so that ``segkit report`` starts the kernel first and importing
:mod:`segkit.pipeline` (which writes through :mod:`segkit.report.outputs`) stays light.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import json
import pickle
import re
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from segkit import exceptions
from segkit._handoff import MODEL_HANDOFF_FILE
from segkit._imports import collector_paused
from segkit.exceptions import ReportError
from segkit.report.kernel import end_kernel, start_kernel, stop_kernel
from segkit.report.outputs import (
    REQUIRED_OUTPUTS,
    check_not_stopped,
    check_out_dir,
    failed_notebook_path,
    partial_folder,
    publish_folder,
    remove_stale_partials,
)

if TYPE_CHECKING:  # imported where used: nbformat alone takes a second
    import nbformat

__all__ = ["REPORT_NOTEBOOK", "ReportRun", "execute_report", "export_html", "run_report", "write_index"]

#: The report notebook, package data of :mod:`segkit.report` (``notebooks/segment_report.ipynb``
#: in a checkout links to it, for JupyterLab).
REPORT_NOTEBOOK = resources.files(__package__).joinpath("segment_report.ipynb")

_HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell", "hide"}


@dataclass(frozen=True)
class ReportRun:
    """A published report: its folder and what the run found there.

    Attributes
    ----------
    folder : Path
        The report folder.
    n_customers, n_segments : int or None
        Customers segmented and segments found, from the fitted model the report kernel
        handed over (None for a notebook that hands over no model).
    """

    folder: Path
    n_customers: int | None = None
    n_segments: int | None = None


def run_report(config: Mapping[str, Any], out_dir: str | Path, **options: Any) -> Path:
    """Execute the report notebook for ``config`` and publish it at ``out_dir``.

    Parameters
    ----------
    config : mapping
        A validated config (see :func:`segkit.config.load_config`).
    out_dir : str or Path
        Target folder. It is replaced as a whole when the run succeeds and left untouched
        when it fails.
    **options
        The keywords below, passed on to :func:`execute_report`.
    notebook : str or Path, optional
        Notebook to run; defaults to the packaged ``segment_report.ipynb``.
    kernel_name : str
        Jupyter kernel to execute with.
    log : callable, optional
        Receives one-line progress messages.
    kernel : kernel manager, optional
        A kernel from :func:`start_kernel`, started early so that its start-up overlaps
        with other work; it is used for this run and shut down afterwards. Default: start
        one here.

    Returns
    -------
    Path
        The published folder (:func:`execute_report` returns what the run found as well).

    Raises
    ------
    SegkitError
        The notebook raised a segkit error (bad data, bad column...): re-raised with the
        same class and message.
    ReportError
        Any other failure in a cell, a timeout or a dead kernel; the message names the
        report section. The executed notebook is kept as ``<out>.failed.ipynb`` beside
        ``out_dir``.
    ConfigError
        ``out_dir`` is a file, or a folder with other files than an earlier report's
        (see :func:`segkit.report.outputs.check_out_dir`).
    """
    return execute_report(config, out_dir, **options).folder


def execute_report(
    config: Mapping[str, Any],
    out_dir: str | Path,
    *,
    notebook: str | Path | None = None,
    kernel_name: str = "python3",
    log: Callable[[str], None] | None = None,
    kernel: Any = None,
) -> ReportRun:
    """:func:`run_report`, returning the published folder with what the run found.

    Parameters and errors are those of :func:`run_report`. A caller that needs the run's
    facts (``segkit report --by`` lists customers and segments per report) takes them from
    here instead of reading the published files back.
    """
    say = log or (lambda msg: None)
    out = Path(out_dir).resolve()
    check_out_dir(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(out.parent)  # left by runs that were killed
    tmp = partial_folder(out)
    failed_copy = failed_notebook_path(out)
    if kernel is None:
        kernel = start_kernel(kernel_name, cwd=tmp)
    # nbconvert's HTML exporter takes about half a second to import and compile its
    # templates; do that while the kernel works instead of after.
    warm = threading.Thread(target=_import_exporter, name="segkit-import-nbconvert", daemon=True)
    warm.start()
    try:
        with resources.as_file(REPORT_NOTEBOOK if notebook is None else Path(notebook)) as path:
            say(f"running {path.name} in a {kernel_name} kernel")
            nb, execute_seconds = _execute(path, config, tmp, kernel_name, kernel, failed_copy)
        check_not_stopped()
        end_kernel(kernel)  # stopped in `finally`, by when it has ended
        warm.join()
        segmenter = _save_model(tmp)
        started = time.perf_counter()
        title = str(config.get("title") or "Customer segments")
        (tmp / "report.html").write_text(export_html(nb, title=title), encoding="utf-8")
        _record_timings(tmp / "summary.json", execute_seconds, time.perf_counter() - started)

        missing = [name for name in REQUIRED_OUTPUTS if not (tmp / name).exists()]
        if missing:
            raise ReportError(f"report notebook finished but did not write {missing}")
        publish_folder(tmp, out)
        if failed_copy.exists():
            failed_copy.unlink()  # a stale failure from an earlier run would mislead
        say(f"wrote {out}")
        if segmenter is None:
            return ReportRun(out)
        return ReportRun(out, n_customers=len(segmenter.labels_), n_segments=int(segmenter.n_segments_))
    finally:
        try:
            stop_kernel(kernel)
            warm.join()
        finally:  # whatever stopping the kernel raised, the run's folder goes
            shutil.rmtree(tmp, ignore_errors=True)


def _execute(notebook: Path, config: Mapping[str, Any], tmp: Path, kernel_name: str, kernel: Any,
             failed_copy: Path):
    """Run ``notebook`` with papermill into ``tmp/report.ipynb``; return it and the seconds taken.

    A failure keeps the executed notebook as ``failed_copy`` (``<out>.failed.ipynb``) and
    becomes one readable error.
    """
    with collector_paused():
        import nbformat
        import papermill as pm

    executed = tmp / "report.ipynb"
    started = time.perf_counter()
    try:
        pm.execute_notebook(
            str(notebook),
            str(executed),
            parameters={"config": _jsonable(config), "out_dir": str(tmp)},
            kernel_name=kernel_name,
            cwd=str(tmp),
            execution_timeout=config.get("report", {}).get("timeout", 900),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            request_save_on_cell_execute=False,
            km=kernel,
        )
    except Exception as err:  # noqa: BLE001 - every failure becomes one readable error
        _keep_failed(executed, failed_copy)
        raise _execution_error(err, executed, failed_copy) from None
    seconds = time.perf_counter() - started
    nb = nbformat.read(executed, as_version=4)
    problem = _incomplete(nb)
    if problem:
        _keep_failed(executed, failed_copy)
        raise ReportError(f"report notebook did not finish: {problem} (kept {failed_copy})")
    return nb, seconds


_EXPORTER_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _html_exporter():
    """One HTML exporter per process: its templates are compiled on first use (~0.2 s)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def _import_exporter() -> None:
    """Import nbconvert and compile the page templates ahead of :func:`export_html`, and
    import what :func:`_save_model` needs: all while the kernel works on the other core."""
    try:
        with collector_paused():
            import nbformat

            export_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## Warm-up")]))
            import segkit.segment  # noqa: F401
            import skops.io  # noqa: F401
    except Exception:  # noqa: BLE001 - the real calls run again and report any error
        pass


def _save_model(folder: Path) -> Any:
    """Write ``model.skops`` from the fitted model the report kernel handed over.

    The kernel (started by :func:`start_kernel`) pickles ``(segmenter, metadata)`` into
    this run's own temporary folder (created by ``mkdtemp``, readable by this user only)
    instead of importing skops; this process, which imported skops while the kernel
    worked, saves it in the safe format and deletes the pickle. Only that file, written
    by this run's kernel, is ever unpickled; nothing a user supplies is. Returns the fitted
    :class:`~segkit.segment.Segmenter` (None when the notebook handed none over).
    """
    from segkit.segment import save_segmenter  # scikit-learn and skops: imported while the kernel worked

    handoff = folder / MODEL_HANDOFF_FILE
    if not handoff.exists():
        return None
    with open(handoff, "rb") as fh:
        segmenter, metadata = pickle.load(fh)  # noqa: S301 - our own file, see above
    handoff.unlink()
    save_segmenter(segmenter, folder / "model.skops", metadata=metadata)
    return segmenter


def _jsonable(value: Any) -> Any:
    """Papermill writes parameters as Python literals; keep them plain."""
    return json.loads(json.dumps(value, default=str))


def _keep_failed(executed: Path, failed_copy: Path) -> None:
    if executed.exists():
        shutil.copyfile(executed, failed_copy)


def _section_of(nb: nbformat.NotebookNode, cell_index: int | None) -> str:
    """The nearest markdown heading above a cell: the report section it belongs to."""
    if cell_index is None:
        return "unknown section"
    for cell in reversed(nb.cells[: cell_index + 1]):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.lstrip().startswith("#"):
                    return line.lstrip("# ").strip()
    return "start"


def _execution_error(err: Exception, executed: Path, failed_copy: Path) -> Exception:
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        ename, evalue = err.ename, str(err.evalue).strip()
        cls = getattr(exceptions, ename, None)
        if isinstance(cls, type) and issubclass(cls, exceptions.SegkitError) and ename in exceptions.__all__:
            return cls(evalue)
        section = "unknown section"
        if executed.exists():
            section = _section_of(nbformat.read(executed, as_version=4), err.cell_index)
        first = evalue.splitlines()[0] if evalue else ""
        return ReportError(f"report section {section!r} failed: {ename}: {first} (notebook kept at {failed_copy})")
    name = type(err).__name__
    if "Timeout" in name or "timed out" in str(err).lower():
        return ReportError(f"report timed out ({str(err).splitlines()[0]}); raise report.timeout (notebook kept at {failed_copy})")
    if "DeadKernel" in name:
        return ReportError(f"the report kernel died (out of memory?) (notebook kept at {failed_copy})")
    if "NoSuchKernel" in name:
        return ReportError(f"no Jupyter kernel named 'python3'; run `make setup` ({err})")
    return ReportError(f"report failed: {name}: {str(err).splitlines()[0] if str(err) else ''}")


def _incomplete(nb: nbformat.NotebookNode) -> str | None:
    """Papermill's saved notebook can look finished after a timeout: check every cell ran."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {index} has an error output ({output.get('ename')})"
        if cell.get("execution_count") is None:
            return f"cell {index} was never executed"
    return None


def _record_timings(summary_path: Path, execute_seconds: float, html_seconds: float) -> None:
    if not summary_path.exists():
        return
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    timings = summary.setdefault("timings", {})
    timings["notebook_total"] = round(execute_seconds, 3)
    timings["html_export"] = round(html_seconds, 3)
    summary_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                            encoding="utf-8")


# --------------------------------------------------------------------------- HTML export

_CSS = """
:root { --ink:#1f2933; --muted:#52606d; --line:#e4e7eb; --accent:#2f6f9f; --bg:#ffffff; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: var(--bg); }
header.report { padding: 28px 40px 18px; border-bottom: 1px solid var(--line); background:#f7f9fb; }
header.report h1 { margin: 0 0 4px; font-size: 28px; }
header.report p { margin: 0; color: var(--muted); }
.layout { display: flex; align-items: flex-start; }
nav.toc { position: sticky; top: 0; flex: 0 0 230px; max-height: 100vh; overflow-y: auto;
          padding: 20px 16px 20px 24px; border-right: 1px solid var(--line); font-size: 14px; }
nav.toc h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 8px; }
nav.toc ol { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: 4px 0; }
nav.toc li.sub { padding-left: 14px; font-size: 13px; }
nav.toc a { color: var(--ink); text-decoration: none; }
nav.toc a:hover { color: var(--accent); }
main { flex: 1 1 auto; min-width: 0; max-width: 1100px; padding: 8px 40px 60px; }
h1, h2, h3 { line-height: 1.25; }
main h1 { font-size: 26px; margin-top: 28px; }
main h2 { font-size: 22px; margin-top: 40px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
main h3 { font-size: 17px; margin-top: 26px; }
.anchor-link { display: none; }
img { max-width: 100%; height: auto; display: block; margin: 10px 0 18px; }
table { border-collapse: collapse; margin: 10px 0 20px; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { background: #f2f5f8; font-weight: 600; }
td { max-width: 34em; overflow: hidden; text-overflow: ellipsis; }
.dataframe, .segkit-table { display: block; overflow-x: auto; max-width: 100%; }
.segkit-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.segkit-table th.col_heading { white-space: normal; max-width: 9em; vertical-align: bottom; }
pre { background: #f7f9fb; border: 1px solid var(--line); padding: 10px 12px; overflow-x: auto; font-size: 13px; }
.jp-OutputArea-output pre { background: none; border: 0; padding: 0; white-space: pre-wrap; }
blockquote { margin: 12px 0; padding: 10px 16px; border-left: 4px solid var(--accent); background: #f2f7fb; }
footer.report { color: var(--muted); font-size: 12px; padding: 20px 40px; border-top: 1px solid var(--line); }
@media print { nav.toc { display: none; } main { max-width: none; } }
"""

_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def export_html(nb: nbformat.NotebookNode, *, title: str = "Customer segments") -> str:
    """Render an executed report notebook as one self-contained HTML page.

    Code, the parameters cells and error-free stderr chatter are left out; figures are
    embedded as data URIs; a table of contents links every section. The page loads
    nothing from the network.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell("## Segments"),
    ...             nbformat.v4.new_code_cell("import segkit", execution_count=1)]
    >>> page = export_html(nb, title="Demo")
    >>> "import segkit" in page, 'href="#Segments"' in page
    (False, True)
    """
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _HIDDEN_TAGS:
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        kept.append(cell)
    nb.cells = kept
    with _EXPORTER_LOCK:
        body, _ = _html_exporter().from_notebook_node(nb)
    body = re.sub(r"<script[^>]+src=\"https?://[^>]*></script>", "", body)
    toc = []
    for level, anchor, text in _HEADING.findall(body):
        label = re.sub(r"<[^>]+>", "", text).replace("¶", "").strip()
        cls = ' class="sub"' if level == "3" else ""
        toc.append(f'<li{cls}><a href="#{anchor}">{html.escape(label)}</a></li>')
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header class="report"><h1>{html.escape(title)}</h1><p>Customer segment report generated by segkit on {stamp}</p></header>
<div class="layout">
<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>
{''.join(toc)}
</ol></nav>
<main>
{body}
</main>
</div>
<footer class="report">Generated by segkit. Code is hidden; the executed notebook (report.ipynb) beside this file holds it.</footer>
</body>
</html>
"""


def write_index(out_dir: str | Path, entries: list[dict[str, Any]], *, title: str, skipped: Mapping[str, int],
                compared: str = "") -> Path:
    """Write ``index.html`` linking the reports of a ``--by`` batch run.

    ``entries`` holds dicts with ``value``, ``folder``, ``n_customers`` and ``n_segments``;
    ``skipped`` maps the values left out to their customer counts. ``compared`` (HTML of a shared
    segmentation's comparison, :func:`segkit.report.batch.comparison_html`) adds a table and a
    chart comparing the values: segment shares, revenue per customer and response rate.
    """
    rows = "".join(
        f'<tr><td><a href="{html.escape(e["folder"])}/report.html">{html.escape(str(e["value"]))}</a></td>'
        f'<td>{e["n_customers"]:,}</td><td>{e["n_segments"]}</td></tr>'
        for e in entries
    )
    skipped_html = ""
    if skipped:
        items = ", ".join(f"{html.escape(str(v))} ({n:,})" for v, n in skipped.items())
        skipped_html = f"<p>Skipped for having too few customers: {items}.</p>"
    lead = ("One segmentation fitted on all customers; each report places its customers in those segments"
            if compared else "One report per value")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{_CSS}</style></head>
<body><header class="report"><h1>{html.escape(title)}</h1><p>{lead}</p></header>
<main><table><thead><tr><th>value</th><th>customers</th><th>segments</th></tr></thead><tbody>{rows}</tbody></table>
{skipped_html}{compared}</main></body></html>
"""
    path = Path(out_dir) / "index.html"
    path.write_text(page, encoding="utf-8")
    return path

