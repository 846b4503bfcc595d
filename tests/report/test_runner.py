"""segkit.report.runner: the packaged notebook run with papermill (a failing cell, a timeout, a kernel
started early), the offline HTML export, timings, the model hand-off, and what a run hands back."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from segkit.config import load_config
from segkit.exceptions import DataError, ReportError
from segkit.report import (
    PRELOAD_MODULES,
    REPORT_NOTEBOOK,
    execute_report,
    export_html,
    run_report,
    start_kernel,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_report_notebook_is_package_data_and_the_checkout_links_to_it():
    packaged = Path(str(REPORT_NOTEBOOK))
    assert packaged.parent == ROOT / "segkit" / "report" and packaged.is_file()
    link = ROOT / "notebooks" / "segment_report.ipynb"
    assert link.is_symlink() and link.resolve() == packaged.resolve()


@pytest.mark.slow
def test_a_run_hands_back_its_folder_customers_and_segments(tmp_path):
    rng = np.random.default_rng(0)
    pd.DataFrame({"ID": range(1, 121), "Spend": np.r_[rng.normal(100, 5, 60), rng.normal(20, 5, 60)],
                  "Visits": np.r_[rng.normal(9, 1, 60), rng.normal(2, 1, 60)]}).to_csv(tmp_path / "c.csv", index=False)
    config = load_config(None, overrides=[f"data.customers={tmp_path / 'c.csv'}", "segmentation.n_bootstrap=2"])
    run = execute_report(config, tmp_path / "out")
    summary = json.loads((run.folder / "summary.json").read_text())
    assert run.folder == (tmp_path / "out").resolve()
    assert (run.n_customers, run.n_segments) == (summary["n_customers"], summary["n_segments"]) == (120, 2)


# ---------------------------------------------------------------------------------------------
# Running a notebook: failures, timeouts, kernels, HTML export, timings, the model hand-off
# ---------------------------------------------------------------------------------------------


def _notebook(path, *cells):
    nb = new_notebook(cells=[new_code_cell("config = None\nout_dir = None", metadata={"tags": ["parameters"]}), *cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def config(tmp_path):
    return load_config(None, overrides=[f"data.customers={tmp_path / 'c.csv'}", "report.timeout=20"])


@pytest.mark.slow
def test_failing_cell_keeps_notebook_and_leaves_no_output(tmp_path, config):
    nb = _notebook(
        tmp_path / "nb.ipynb",
        new_markdown_cell("## Segment overview"),
        new_code_cell("1 / 0"),
    )
    out = tmp_path / "reports" / "run"
    with pytest.raises(ReportError, match=r"report section 'Segment overview' failed: ZeroDivisionError") as info:
        run_report(config, out, notebook=nb)
    assert "\n" not in str(info.value)
    assert not out.exists()
    assert (out.parent / "run.failed.ipynb").exists()  # named after its run: runs into one parent keep theirs
    assert [p.name for p in out.parent.iterdir()] == ["run.failed.ipynb"]  # no temporary folder left


@pytest.mark.slow
def test_segkit_errors_in_cells_keep_their_class(tmp_path, config):
    nb = _notebook(
        tmp_path / "nb.ipynb",
        new_code_cell("from segkit.exceptions import DataError\n"
                      "raise DataError(\"c.csv: column 'Income' has 1 non-numeric value (e.g. 'abc' at row 3)\")"),
    )
    with pytest.raises(DataError, match=r"^c.csv: column 'Income' has 1 non-numeric value \(e.g. 'abc' at row 3\)$"):
        run_report(config, tmp_path / "out", notebook=nb)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_timeout_is_a_failure(tmp_path, config):
    config["report"]["timeout"] = 2
    nb = _notebook(tmp_path / "nb.ipynb", new_markdown_cell("## Slow part"), new_code_cell("import time; time.sleep(30)"))
    with pytest.raises(ReportError, match="timed out"):
        run_report(config, tmp_path / "out", notebook=nb)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_notebook_that_writes_nothing_is_not_published(tmp_path, config):
    nb = _notebook(tmp_path / "nb.ipynb", new_code_cell("x = 1"))
    with pytest.raises(ReportError, match=r"did not write \['segments.csv'"):
        run_report(config, tmp_path / "out", notebook=nb)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_started_kernel_is_used_preloaded_and_stopped(tmp_path, config):
    """A kernel started early (as the CLI does) runs the notebook and is shut down after."""
    kernel = start_kernel(cwd=tmp_path)
    assert kernel.has_kernel
    nb = _notebook(
        tmp_path / "nb.ipynb",
        new_markdown_cell("## Checks"),
        # The preloaded modules are already imported when the first cell runs.
        new_code_cell(f"import sys\nmissing = [m for m in {list(PRELOAD_MODULES)!r} if m not in sys.modules]\n"
                      "assert not missing, missing"),
        # The collector is on again after the imports, and what they built is out of its collections.
        new_code_cell("import gc\nassert gc.isenabled() and gc.get_freeze_count() > 100_000, gc.get_freeze_count()"),
        # A figure is drawn once, by the display at the end of its cell (pyplot's redraw of every
        # open figure after each cell is gone, and so is the inline backend's settling draw).
        new_code_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\ndraws = []\n"
                      "fig.canvas.mpl_connect('draw_event', lambda event: draws.append(1))\nax.plot([1, 2]);"),
        new_code_cell("assert len(draws) == 1, draws\n1 / 0"),
    )
    with pytest.raises(ReportError, match=r"report section 'Checks' failed: ZeroDivisionError"):
        run_report(config, tmp_path / "out", notebook=nb, kernel=kernel)
    assert not kernel.has_kernel


def test_export_hides_code_parameters_and_stderr():
    nb = new_notebook(cells=[
        new_markdown_cell("# Report\n\n## Key findings\n\nText."),
        new_code_cell("config = {'secret': 1}", metadata={"tags": ["parameters"]}),
        new_code_cell("print('visible')", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="visible\n"),
            nbformat.v4.new_output("stream", name="stderr", text="FutureWarning: noise\n"),
        ]),
        new_markdown_cell("### Detail"),
    ])
    page = export_html(nb, title="T & Co")
    assert "visible" in page
    assert "FutureWarning" not in page and "secret" not in page and "print(" not in page
    assert "<title>T &amp; Co</title>" in page
    assert 'href="#Key-findings"' in page and 'class="sub"><a href="#Detail"' in page
    assert "http://" not in page and "https://" not in page  # opens offline: nothing fetched


def test_timings_are_recorded_in_summary(tmp_path):
    from segkit.report.runner import _record_timings

    path = tmp_path / "summary.json"
    path.write_text(json.dumps({"timings": {"read": 1.0}}))
    _record_timings(path, 3.21, 0.5)
    assert json.loads(path.read_text())["timings"] == {"read": 1.0, "notebook_total": 3.21, "html_export": 0.5}


def test_model_handoff_from_kernel_to_runner(tmp_path, monkeypatch):
    """Inside a report kernel the model is handed over as a pickle and saved as skops by the runner."""
    import numpy as np
    import pandas as pd

    from segkit._handoff import MODEL_HANDOFF_ENV, MODEL_HANDOFF_FILE
    from segkit.pipeline import Analysis
    from segkit.report.runner import _save_model
    from segkit.segment import load_segmenter

    rng = np.random.default_rng(0)
    pd.DataFrame({"ID": range(1, 81), "Spend": np.r_[rng.normal(100, 5, 40), rng.normal(20, 5, 40)],
                  "Visits": np.r_[rng.normal(9, 1, 40), rng.normal(2, 1, 40)]}).to_csv(tmp_path / "c.csv", index=False)
    config = load_config(None, overrides=[f"data.customers={tmp_path / 'c.csv'}", "segmentation.n_segments=2"])
    run = Analysis(config, verbose=False)
    for step in (run.load, run.build_features, run.segment, run.profile, run.value, run.target):
        step()
    monkeypatch.setenv(MODEL_HANDOFF_ENV, "1")
    out = tmp_path / "out"
    run.write(out)
    assert (out / MODEL_HANDOFF_FILE).exists() and not (out / "model.skops").exists()
    _save_model(out)
    assert not (out / MODEL_HANDOFF_FILE).exists()
    segmenter, meta = load_segmenter(out / "model.skops")
    assert meta["features"] == list(map(str, run.X.columns))
    assert (segmenter.predict(run.X) == run.labels.to_numpy()).all()
