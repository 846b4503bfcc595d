"""What an analyst sees in JupyterLab: one summary per stage, reprs that say k, sizes, stability and
names, warnings at the analyst's own line, and no demo files left behind."""

from __future__ import annotations

import contextlib
import io
import warnings

import pytest

from segkit.pipeline import Analysis


@pytest.fixture(scope="module")
def run():
    run = Analysis(None, verbose=True)
    run.load()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        run.table_shown = repr(run.build_features())
    run.features_printed = printed.getvalue()
    run.segment()
    run.profile()
    run.target()
    return run


def test_the_demo_leaves_no_folder_behind(run):
    # the run's own folder: other processes on the machine may make segkit-demo-* folders meanwhile
    assert run._demo.folder.name.startswith("segkit-demo-") and not run._demo.folder.exists()


def test_build_features_prints_nothing_its_result_shows(run):
    assert run.features_printed == "" and run.table_shown.startswith("FeatureTable(3,000 customers")


def test_reprs_say_k_sizes_stability_and_names(run):
    seg, model, profile = run.segmenter, run.model, run.profile_
    assert "fitted: 5 segments by kmeans on 3,000 customers; sizes 400, 383, 526, 614, 1,077" in repr(seg)
    html = seg._repr_mimebundle_()["text/html"]
    assert "stability" in html and "1,077" in html
    assert run.names["name"].iloc[0] in model._repr_html_()
    assert "names: 0 " in repr(profile) and run.names["name"].iloc[1] in profile._repr_html_()


def test_the_targeting_table_displays_formatted(run):
    html = run.targeting._repr_html_()
    assert "%" in html and "0.307500" not in html and "segkit-table" in html
    assert type(run.targeting[["segment"]]).__name__ == "DataFrame"


def test_warnings_point_at_the_analysts_line(run):
    from segkit.target import target_lists

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        target_lists(run.labels, run.targeting.assign(action="do not contact"))
    assert caught and all(w.filename == __file__ for w in caught)


def test_explain_and_embedding_on_the_run(run):
    emb = run.embedding()
    assert emb.index.equals(run.X.index) and emb.columns[0].startswith(("log__", "num__"))
    why = run.explain(run.X.index[5])
    assert why.segment == int(run.labels.iloc[5]) and why.name == run.names.loc[why.segment, "name"]
