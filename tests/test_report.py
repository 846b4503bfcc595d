"""The report runner: papermill execution, failure handling, atomic output, offline HTML."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from segkit.config import load_config
from segkit.exceptions import DataError, ReportError
from segkit.report import PRELOAD_MODULES, export_html, run_report, start_kernel


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
    assert (out.parent / "report.failed.ipynb").exists()
    assert [p.name for p in out.parent.iterdir()] == ["report.failed.ipynb"]  # no temporary folder left


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
                      "assert not missing, missing\n1 / 0"),
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


def _sections(nb) -> dict[str, list[dict]]:
    """Outputs of an executed report, grouped by the ``##`` section they fall under."""
    sections: dict[str, list[dict]] = {}
    current = None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            current = cell.source.splitlines()[0][3:].strip()
            sections[current] = []
        elif cell.cell_type == "code" and current is not None:
            sections[current] += cell.get("outputs", [])
    return sections


def _figures(outputs) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs)


def _markdown(outputs) -> str:
    return "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)


@pytest.mark.slow
def test_report_shows_attitudes_technology_and_categorical_behaviour(tmp_path, rng):
    """Survey answers, devices and categorical behaviour are plotted, the strongest first and capped."""
    import numpy as np
    import pandas as pd

    scale = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    n = 150  # per planted segment
    def pick(levels, p, size):
        return rng.choice(levels, size=size, p=p)
    frame = pd.DataFrame({
        "customer_id": [f"C{i:03d}" for i in range(2 * n)],
        "spend": np.r_[rng.gamma(4, 50, n), rng.gamma(4, 10, n)].round(2),
        "visits": np.r_[rng.poisson(9, n), rng.poisson(2, n)],
        "preferred_channel": np.r_[pick(["app", "web", "store"], [0.7, 0.2, 0.1], n),
                                   pick(["app", "web", "store"], [0.1, 0.2, 0.7], n)],
        "plan": np.r_[pick(["premium", "basic"], [0.8, 0.2], n), pick(["premium", "basic"], [0.1, 0.9], n)],
        "device": np.r_[pick(["iOS", "Android", "Desktop"], [0.7, 0.2, 0.1], n),
                        pick(["iOS", "Android", "Desktop"], [0.1, 0.3, 0.6], n)],
        "browser": pick(["Chrome", "Safari", "Firefox"], [0.5, 0.3, 0.2], 2 * n),
        "os_version": pick(["new", "old"], [0.5, 0.5], 2 * n),
        "app_user": np.r_[pick(["yes", "no"], [0.8, 0.2], n), pick(["yes", "no"], [0.2, 0.8], n)],
        "I care about sustainability": np.r_[pick(scale, [0, 0, 0.1, 0.4, 0.5], n), pick(scale, [0.4, 0.4, 0.2, 0, 0], n)],
        "Price matters most": pick(scale, [0.2] * 5, 2 * n),
        "I like new gadgets": np.r_[pick(scale, [0, 0.1, 0.2, 0.3, 0.4], n), pick(scale, [0.3, 0.3, 0.2, 0.1, 0.1], n)],
    })
    frame.to_csv(tmp_path / "survey.csv", index=False)
    config = load_config(None, overrides=[
        f"data.customers={tmp_path / 'survey.csv'}", "segmentation.n_segments=2", "segmentation.n_bootstrap=2",
        "columns.behaviour=[spend, visits, preferred_channel, plan]",
        "columns.technographics=[device, browser, os_version, app_user]",
        "columns.psychographics=" + json.dumps(["I care about sustainability", "Price matters most", "I like new gadgets"]),
        "segmentation.features=[spend, visits]",
    ])
    out = run_report(config, tmp_path / "out")
    sections = _sections(nbformat.read(out / "report.ipynb", as_version=4))

    behaviour = sections["Behaviour"]
    assert _figures(behaviour) == 2 + 2  # snake plot and lift heatmap, then channel and plan breakdowns

    attitudes = sections["Attitudes and technology"]
    assert _figures(attitudes) == 4  # 6 categorical traits, the 4 most distinguishing shown
    text = _markdown(attitudes)
    assert "_2 more category breakdowns not shown (smaller differences between segments): " in text
    assert "browser" in text and "os version" in text  # the two planted without any difference
    tables = "\n".join(o.get("data", {}).get("text/html", "") for o in attitudes)
    assert "app user (share yes)" in tables and "all customers" in tables
    assert "Attitudes and technology" in (out / "report.html").read_text()
