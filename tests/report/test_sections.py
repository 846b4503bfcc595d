"""segkit.report.sections: what each report section shows, read from the run's profile."""

from __future__ import annotations

import json
from types import SimpleNamespace

import nbformat
import numpy as np
import pandas as pd
import pytest

from segkit.config import load_config
from segkit.profile import profile_segments
from segkit.report import run_report, sections


@pytest.fixture
def run():
    """A finished run in miniature: features, bases, labels, profile and CLV."""
    idx = pd.Index([f"c{i:03d}" for i in range(60)], name="customer_id")
    frame = pd.DataFrame({
        "age": np.r_[np.full(30, 30.0), np.full(30, 55.0)],
        "country": ["FR"] * 20 + ["DE"] * 40,
        "email": [f"u{i}@example.com" for i in range(60)],
        "note": [f"free text {i}" for i in range(60)],
        "visits": np.resize([1.0, 2.0, 3.0], 60),
        "member": [True, False] * 30,
    }, index=idx)
    bases = {"age": "demographic", "country": "geographic", "email": "demographic", "note": "behavioural",
             "visits": "behavioural", "member": "behavioural"}
    labels = pd.Series([0] * 30 + [1] * 25 + [2] * 5, index=idx, name="segment")
    clv = pd.DataFrame({"clv": np.r_[np.full(30, 100.0), np.full(12, 40.0), [np.nan] * 18],
                        "p_alive": 0.5}, index=idx)
    return SimpleNamespace(features=SimpleNamespace(frame=frame, bases=bases), labels=labels, clv=clv,
                           profile_=profile_segments(frame, labels, bases=bases, min_cell_size=10),
                           config=load_config(None))


def test_sections_cover_profiled_columns_only(run):
    assert sections.columns_of(run, "demographic", "geographic") == ["age", "country"]  # no e-mail address
    assert sections.columns_of(run, "behavioural") == ["visits", "member"]  # free text is not profiled


def test_yes_no_columns_are_drawn_as_breakdowns(run):
    assert sections.split_numeric(run, ["visits", "member", "age"]) == (["visits", "age"], ["member"])
    assert "member" in set(run.profile_.breakdowns["feature"])


def test_most_distinguishing_first_and_ties_in_order(run):
    assert sections.most_distinguishing(run, ["visits", "age"], 2) == ["age", "visits"]
    assert sections.most_distinguishing(run, ["unknown", "other"], 1) == ["unknown"]


def test_hidden_segments_of_profiled_and_of_lifetime_value_columns(run):
    assert sections.hidden_segments(run, "age") == [2]  # 5 customers
    assert sections.hidden_segments(run, "clv") == []  # 30 and 12 known values; segment 2 has none
    run.config["privacy"]["min_cell_size"] = 13
    assert sections.hidden_segments(run, "clv") == [1]


def test_embedding_gives_a_one_feature_segmentation_a_second_axis():
    class Identity:
        def transform(self, X):
            return X.to_numpy()

    run = SimpleNamespace(segmenter=SimpleNamespace(preprocessor_=Identity()), X=pd.DataFrame({"a": [1.0, 2.0]}))
    assert sections.embedding(run).tolist() == [[1.0, 0.0], [2.0, 0.0]]


def test_value_table_blanks_a_suppressed_segment(run):
    run.names = pd.DataFrame({"name": ["Young", "Older", "Few"]}, index=[0, 1, 2])
    table = sections.value_table(run)
    assert table.loc[0, "predicted CLV per customer"] == 100.0
    assert table.loc[2, ["customers", "predicted CLV (total)"]].isna().all() and table.loc[2, "name"] == "Few"


def _sections(nb) -> dict[str, list[dict]]:
    """Outputs of an executed report, grouped by the ``##`` section they fall under."""
    sections: dict[str, list[dict]] = {}
    current = None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            current = cell.source.splitlines()[0][3:].strip()
            sections[current] = []
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                heading = output.get("data", {}).get("text/markdown", "")
                if heading.startswith("## "):  # a section the report shows only when its data are there
                    current = heading.splitlines()[0][3:].strip()
                    sections[current] = []
                elif current is not None:
                    sections[current].append(output)
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
    assert _figures(attitudes) == 3  # the three technographic codes; the agreement scales are a table
    tables = "\n".join(o.get("data", {}).get("text/html", "") for o in attitudes)
    assert "app user (share yes)" in tables and "all customers" in tables
    # ratings in scale points (1-5 for a five-level agreement scale), never as ratios
    assert "I care about sustainability" in tables and "all respondents" in tables and "(1-5)" in tables
    assert "Attitudes and technology" in (out / "report.html").read_text()


def test_value_table_hides_a_suppressed_segment():
    """The profile blanks a small segment's size; the value table must hide its revenue too."""
    from types import SimpleNamespace

    idx = pd.Index([f"c{i}" for i in range(23)], name="customer_id")
    labels = pd.Series([0] * 20 + [1] * 3, index=idx, name="segment")
    summary = pd.DataFrame({"size": [20.0, float("nan")], "revenue": [2000.0, float("nan")],
                            "revenue_per_customer": [100.0, float("nan")],
                            "suppressed": [False, True]}, index=pd.Index([0, 1], name="segment"))
    run = SimpleNamespace(
        profile_=SimpleNamespace(summary=summary),
        names=pd.DataFrame({"name": ["Regulars", "Small group"]}, index=[0, 1]),
        features=SimpleNamespace(frame=pd.DataFrame({"monetary": [100.0] * 20 + [5000.0] * 3}, index=idx)),
        clv=None, labels=labels, config=load_config(None),
    )
    table = sections.value_table(run)
    assert table.loc[0, "revenue per customer"] == 100.0
    assert table.loc[1, ["customers", "revenue", "revenue per customer"]].isna().all()
    assert table.loc[1, "name"] == "Small group"


@pytest.fixture(scope="module")
def survey_report(tmp_path_factory):
    """A small planted survey (137 respondents) whose questions are long, reported with the defaults."""
    from segkit.datasets.survey import make_survey

    folder = tmp_path_factory.mktemp("survey")
    table = make_survey(137, n_classes=3, random_state=5).table
    table = table.rename(columns={"Cleanliness": "How satisfied are you with the cleanliness of our stores, "
                                                 "their changing rooms and the toilets?"})
    table.to_csv(folder / "survey.csv", index=False)
    config = load_config(None, overrides=[f"data.customers={folder / 'survey.csv'}", "segmentation.n_bootstrap=2"])
    out = run_report(config, folder / "out")
    return out, nbformat.read(out / "report.ipynb", as_version=4)


def test_a_survey_report_puts_attitudes_first_and_leaves_out_what_its_data_cannot_fill(survey_report):
    out, nb = survey_report
    found = list(_sections(nb))
    assert found.index("Attitudes and technology") < found.index("Demographics")
    for absent in ("Value", "Campaign targeting"):
        assert absent not in found
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "RFM: recency" not in html and "A survey report: no RFM, Value or Campaign targeting sections" in html
    assert "Mean answer per segment in scale points" in html


def test_a_survey_report_names_segments_from_short_labels_with_the_questions_in_a_table(survey_report):
    out, nb = survey_report
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert all(len(s["name"]) <= 100 for s in summary["segments"])
    assert not any("changing rooms and the toilets" in s["name"] for s in summary["segments"])
    method = "\n".join(o.get("data", {}).get("text/html", "") for o in _sections(nb)["Method and run details"])
    assert "The full question behind each short label" in method and "changing rooms and the toilets?" in method


def test_a_small_survey_says_how_many_cells_are_hidden_and_what_would_show_them(survey_report):
    out, _ = survey_report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "category cells are hidden" in html and "would show them all" in html


def test_a_retail_report_keeps_every_section(run):
    assert not sections.is_survey(run) or sections.shows(run, "value")



def _failed_candidate_run():
    from segkit.value.holdout import HoldoutResult
    from segkit.value.stage import ValueResult

    scores = pd.DataFrame({"mae": [0.5, np.nan, 0.7], "predicted": [90.0, np.nan, 80.0], "actual": [100.0] * 3,
                           "status": ["scored", "failed", "scored"],
                           "reason": ["r = 2e+03 is beyond 1,000", "its holdout predictions are not numbers", ""]},
                          index=pd.Index(["Pareto/NBD", "BG/NBD", "baseline"], name="model"))
    holdout = HoldoutResult(models={}, scores=scores, predicted={}, actual=np.zeros(3), winner="Pareto/NBD",
                            failures={"BG/NBD": "its holdout predictions are not numbers"})
    return SimpleNamespace(value_result=ValueResult({"model": "Pareto/NBD"}, holdout=holdout))


def test_the_holdout_table_says_why_a_candidate_failed_and_what_is_doubtful_in_a_fit():
    table = sections.holdout_models_table(_failed_candidate_run())
    assert table["note"].tolist() == ["r = 2e+03 is beyond 1,000", "failed to score: its holdout predictions are not "
                                      "numbers", ""]


@pytest.mark.parametrize("n, max_points", [(120, 500), (1500, 200)],
                         ids=["fewer customers than the map draws", "more customers than the map draws"])
def test_map_points_draw_the_map_of_every_customer(n, max_points):
    """The segment map drawn from map_points (a seeded sample, prepared alone) is the map drawn from
    every customer's prepared features, which plot_segment_map samples itself."""
    import matplotlib.pyplot as plt

    from segkit.plot_data import sample_rows
    from segkit.plots import plot_segment_map
    from segkit.segment import Segmenter

    rng = np.random.default_rng(5)
    X = pd.DataFrame({"spend": rng.lognormal(3, 1, n), "visits": rng.poisson(4, n).astype(float),
                      "plan": rng.choice(["a", "b", "c"], n)}, index=pd.Index([f"c{i}" for i in range(n)]))
    X.loc[X.index[::7], "spend"] = np.nan  # imputed by the preprocessor, row by row
    segmenter = Segmenter(n_segments=3, n_bootstrap=0, random_state=0).fit(X)
    run = SimpleNamespace(segmenter=segmenter, X=X, labels=pd.Series(segmenter.labels_, index=X.index))
    points, labels = sections.map_points(run, max_points=max_points)
    rows = sample_rows(n, max_points)
    assert len(points) == min(n, max_points)
    np.testing.assert_array_equal(labels, segmenter.labels_ if rows is None else segmenter.labels_[rows])
    drawn = []
    for args in ((points, labels), (sections.embedding(run), run.labels)):
        ax = plot_segment_map(*args, max_points=max_points)
        drawn.append([c.get_offsets().data.copy() for c in ax.collections])
        plt.close(ax.figure)
    for sample, every in zip(*drawn, strict=True):
        np.testing.assert_allclose(sample, every, rtol=1e-12, atol=1e-12)
