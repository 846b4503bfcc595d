"""Property-based fuzz suite (issue 19): every input ends in a report or a one-line SegkitError.

A few hundred cases drawn with a fixed seed from the strategies of
``tests/fuzz/strategies.py`` (see :mod:`tests.fuzz.suite`) go through segkit's public API:
the Python path (``Analysis(config)``, every stage, ``write()``), the reader alone
(``segkit.io.read_table``) and ``segkit score``. Each must end as a report or a refusal in one
short line, within a time limit, with the inputs unchanged and nothing non-finite, blank or
damaged in what was written (:mod:`tests.fuzz.harness`).

Cases that fail today are marked ``xfail(strict=True)`` with the defect they show
(``tests/fuzz/known.py``; the catalogue with minimal reproducers is ``tests/fuzz/defects.py``
and ``benchmarks/results/fuzz.md``). A marked case that fails some other way fails the suite,
and so does one that passes: when a fix lands, delete its lines from ``known.py``.

The reproducer of every catalogued defect runs too, marked the same way. A few cases run the
whole report through ``segkit report`` (a kernel, ~8 s each): marked ``slow``.
"""

from __future__ import annotations

import time

import pytest

from tests.fuzz import defects, harness, suite
from tests.fuzz.corpus import Case, Shape, Table
from tests.fuzz.known import KNOWN
from tests.fuzz.strategies import FAMILIES

#: Seconds a case may take before it counts as a hang (a case takes 0.1-1 s; the machine is shared).
LIMIT = 60.0
#: The limit for a case known to hang today: long enough for it to end when fixed (a refusal at
#: load takes well under a second), short enough not to hold a worker for a minute.
HANG_LIMIT = 8.0
#: ``segkit report`` starts a kernel and runs the notebook: ~8 s alone, several times that when
#: the machine is busy.
CLI_LIMIT = 300.0


def _limit(defect_id: str | None) -> float:
    hangs = {d.id for d in defects.DEFECTS if d.status == "hang"}
    return HANG_LIMIT if defect_id in hangs else LIMIT


def _marked(case_id: str, defect_id: str | None):
    if defect_id is None:
        return ()
    if defect_id == "new":
        return (pytest.mark.xfail(strict=True, reason="a defect not in the catalogue yet", raises=defects.NewDefect),)
    defect = defects.by_id(defect_id)
    return (pytest.mark.xfail(strict=True, reason=f"{defect.id}: {defect.title}",
                              raises=defects.DEFECT_ERRORS[defect.id]),)


def _params(path: str, families: tuple[str, ...] | None = None) -> list:
    """``(case, time limit)`` of every suite case of ``path`` (and ``families``), marked when it
    fails today."""
    return [pytest.param(case, _limit(KNOWN.get(case_id)), id=case_id, marks=_marked(case_id, KNOWN.get(case_id)))
            for case_id, case in suite.suite_cases()[path] if families is None or case.family in families]


def _reproducers(path: str) -> list:
    return [pytest.param(d, _limit(d.id), id=d.id, marks=_marked(d.id, None if d.id in defects.FIXED else d.id))
            for d in defects.DEFECTS if d.path == path]


VALUES = ("names", "mixed", "missing", "numbers-inf", "numbers-huge-float", "numbers-tiny-float", "numbers-huge-int",
          "numbers-big-int", "invoice-numbers")
DATES_AND_CONFIGS = ("dates-out-of-range", "dates-excel-serial", "dates-unix", "dates-mixed-format", "dates-invalid",
                     "config", "valid")
FILES = tuple(f for f in FAMILIES if f not in VALUES + DATES_AND_CONFIGS)


# Classes, not functions: pytest-xdist's loadscope gives each class to one worker, so the
# groups run side by side.
class TestValues:
    """Names, mixed types, missing values and extreme numbers, through the Python path."""

    @pytest.mark.parametrize(("case", "limit"), _params("python", VALUES))
    def test_report_or_one_line_error(self, case, limit, tmp_path):
        defects.check(harness.run_analysis(case, tmp_path, limit=limit))


class TestDatesAndConfigs:
    """Odd dates and odd configs (and valid cases in every shape), through the Python path."""

    @pytest.mark.parametrize(("case", "limit"), _params("python", DATES_AND_CONFIGS))
    def test_report_or_one_line_error(self, case, limit, tmp_path):
        defects.check(harness.run_analysis(case, tmp_path, limit=limit))


class TestFiles:
    """Encodings, raw bytes, line ends, quoting and table shapes: the Python path, and the reader."""

    @pytest.mark.parametrize(("case", "limit"), _params("python", FILES))
    def test_report_or_one_line_error(self, case, limit, tmp_path):
        defects.check(harness.run_analysis(case, tmp_path, limit=limit))

    @pytest.mark.parametrize(("case", "limit"), _params("reader"))
    def test_reader_returns_a_table_or_one_line_error(self, case, limit, tmp_path):
        defects.check(harness.run_reader(case, tmp_path, limit=limit))


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """The model.skops of :func:`tests.fuzz.suite.score_base`, fitted once per worker."""
    return suite.fit_score_model(tmp_path_factory.mktemp("model"))


class TestScore:
    """Batches mutated from the table a model was fitted on, through ``segkit score``."""

    @pytest.mark.parametrize(("case", "limit"), _params("score"))
    def test_scores_or_one_line_error(self, case, limit, model, tmp_path):
        defects.check(harness.run_score(case, tmp_path, model, limit=limit))

    @pytest.mark.parametrize(("defect", "limit"), _reproducers("score"))
    def test_reproducer(self, defect, limit, model, tmp_path):
        defects.check(harness.run_score(defect.case(), tmp_path, model, limit=limit))


class TestCatalogue:
    """The minimal reproducer of every catalogued defect, and the harness's own judgement."""

    @pytest.mark.parametrize(("defect", "limit"), _reproducers("python"))
    def test_reproducer(self, defect, limit, tmp_path):
        defects.check(harness.run_analysis(defect.case(), tmp_path, limit=limit))

    def test_inf_income_is_refused_or_warned_about(self, tmp_path):
        outcome = harness.run_analysis(defects.by_id("D13").case(), tmp_path, limit=LIMIT)
        defects.check(outcome)
        told = [w for w in outcome.warnings if w.startswith("SegkitWarning") and "Income" in w and "inf" in w]
        if outcome.status == "report" and not told:
            raise defects.DEFECT_ERRORS["D13"]("the 'inf' income was read, then set to missing silently")

    def test_a_valid_table_reports(self, tmp_path):
        case = defects.by_id("D10").case()
        case.config = {"segment_names": {0: "VIPs"}, "segmentation": {"n_segments": 2, "n_bootstrap": 2}}
        outcome = harness.run_analysis(case, tmp_path, limit=LIMIT)
        assert outcome.status == "report", outcome
        assert "VIPs" in (tmp_path / "out" / "segments.csv").read_text(encoding="utf-8")

    @pytest.mark.parametrize("min_cell_size", [3, 10], ids=["small-cells", "default-cells"])
    def test_a_table_too_small_for_two_segments_is_refused_in_one_line(self, min_cell_size, tmp_path):
        # the corpus draws tables of 24+ customers so that its cases get past this rule; here the rule itself
        def case(n):
            table = Table([], [], Shape(), edits=(("replace", defects._rows(
                "ID,Age,Income", lambda i: f"C{i},{20 + i},{1000 * (i + 1)}", n)),))
            return Case("valid", {"customers": table}, {"privacy": {"min_cell_size": min_cell_size},
                                                        "segmentation": {"n_bootstrap": 2}}, [f"{n} customers"])

        below = harness.run_analysis(case(2 * min_cell_size - 1), tmp_path / "below", limit=LIMIT)
        defects.check(below)
        assert below.status == "refused" and below.exception == "SegmentationError", below
        assert (f"customers.csv: {2 * min_cell_size - 1} customers to segment after cleaning, too few for two segments"
                f" of at least privacy.min_cell_size = {min_cell_size}") in below.message
        at = harness.run_analysis(case(2 * min_cell_size), tmp_path / "at", limit=LIMIT)
        assert at.status == "report", at

    def test_a_case_over_the_time_limit_is_a_hang(self):
        with pytest.raises(harness.CaseTimeout), harness.time_limit(0.05):
            time.sleep(2)


@pytest.mark.slow
class TestCommandLine:
    """The whole report through ``segkit report``: the notebook, its plots and tables, the HTML."""

    @pytest.mark.parametrize(("defect", "limit"), _reproducers("cli"))
    def test_reproducer(self, defect, limit, tmp_path):
        defects.check(harness.run_cli_report(defect.case(), tmp_path, limit=max(limit, CLI_LIMIT)))

    @pytest.mark.parametrize(("case", "limit"), _params("cli"))
    def test_report_or_one_line_error(self, case, limit, tmp_path):
        defects.check(harness.run_cli_report(case, tmp_path, limit=max(limit, CLI_LIMIT)))
