"""The defects the fuzz suite finds in segkit today: a catalogue with minimal reproducers.

Each :class:`Defect` says how the harness sees it (an :class:`~tests.fuzz.harness.Outcome`
status and a pattern on ``"<exception>: <message>"``), where segkit raises it, what the right
outcome is, and a reproducer of a few lines. :func:`identify` names the defect behind a
failing outcome; :func:`check` turns an outcome into a pass or into the exception of its
defect (``DEFECT_ERRORS[id]``), so that a test marked
``xfail(strict=True, raises=DEFECT_ERRORS[id])`` passes while that defect is there, fails
when the case fails some other way, and fails as XPASS once the defect is fixed: remove the
marker then (``tests/fuzz/known.py`` lists the generated cases each defect breaks).

Patterns match the exception type and message, not segkit's module paths, so the catalogue
still names the defects after segkit's modules move.

Examples
--------
>>> from tests.fuzz.harness import Outcome
>>> identify(Outcome("crash", "Seed must be between 0 and 2**32 - 1", "ValueError")).id
'D04'
>>> check(Outcome("refused", "customers.csv: file is empty"))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.fuzz.corpus import Case, Shape, Table
from tests.fuzz.harness import Outcome

__all__ = ["DEFECTS", "DEFECT_ERRORS", "Defect", "DefectFound", "NewDefect", "by_id", "check", "identify"]


@dataclass(frozen=True)
class Defect:
    """One kind of defect.

    Parameters
    ----------
    id : str
        ``D01``, ``D02``...: the ``reason`` of the xfail markers.
    title : str
        What goes wrong, in a line.
    status : str
        The :class:`~tests.fuzz.harness.Outcome` status it shows as.
    pattern : str
        A regular expression searched in ``"<exception>: <message> [<where>]"`` of the outcome.
    where : str
        The segkit function that raises it (or writes the bad value), as of the commit the
        catalogue was made on.
    right : str
        The right outcome: the error (naming file, column, value, what was expected) or how
        the value should be read.
    files : dict
        The minimal reproducer: ``{"customers" or "transactions": file content}``, each
        written as ``<kind>.csv``.
    config : dict
        Config keys of the reproducer besides the data paths.
    path : str
        How the reproducer is run: ``python`` (the Analysis stages and ``write``), ``score``
        (``segkit score`` with the suite's model, :func:`tests.fuzz.suite.fit_score_model`) or
        ``cli`` (``segkit report``).
    """

    id: str
    title: str
    status: str
    pattern: str
    where: str
    right: str
    files: dict[str, bytes]
    config: dict[str, Any] = field(default_factory=dict)
    path: str = "python"

    def matches(self, outcome: Outcome) -> bool:
        """Whether ``outcome`` is this defect (``pattern`` is searched in ``"<exception>: <message>
        [<where>]"``)."""
        text = f"{outcome.exception}: {outcome.message} [{outcome.where}]"
        return outcome.status == self.status and re.search(self.pattern, text, re.DOTALL) is not None

    def case(self) -> Case:
        """The reproducer as a fuzz case (each file written byte for byte as ``<kind>.csv``)."""
        tables = {kind: Table([], [], Shape(), edits=(("replace", data),)) for kind, data in self.files.items()}
        return Case(f"catalogue-{self.id}", tables, dict(self.config), [self.title])

    def reproducer(self) -> str:
        """The reproducer as text: the config keys, then each file."""
        parts = [f"config:\n{_indent(yaml.safe_dump(self.config, sort_keys=False))}"] if self.config else []
        for kind, data in self.files.items():
            lines = data.decode("utf-8", errors="backslashreplace").replace("\r", "\\r").replace("\x00", "\\x00")
            shown = lines.splitlines()
            more = f"\n    ... {len(shown) - 6} more lines like these" if len(shown) > 8 else ""
            parts.append(f"{kind}.csv:\n{_indent(chr(10).join(shown[:6] if more else shown))}{more}")
        return "\n".join(parts)


#: Reproducers too long to read inline (a generated case, reduced).
REPRODUCERS = Path(__file__).resolve().parent / "reproducers"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines())


def _rows(header: str, row, n: int) -> bytes:
    """A CSV of ``n`` rows made by ``row(i)`` (reproducers that need some customers)."""
    return (header + "\n" + "".join(row(i) + "\n" for i in range(n))).encode("utf-8")


#: Every defect kind found, in the order the catalogue lists them.
DEFECTS: list[Defect] = [
    Defect(
        "D01", "A date outside pandas' nanosecond range (1677-09-22 to 2262-04-11) crashes the reader",
        "crash", r"OutOfBoundsDatetime",
        "segkit.io._parse_dates (via standardise_customers / standardise_transactions)",
        "DataError: \"customers.csv: column 'Dt_Customer' has 1 date outside 1677-09-22..2262-04-11 (e.g. "
        "'9999-12-31' at row 1); expected real dates\". Sentinels such as 9999-12-31 and 0001-01-01 may instead be "
        "read as missing with a SegkitWarning naming the column and count. The same holds for a number read as a "
        "date ('-1', '1700000000000') that lands outside the range.",
        {"customers": b"ID,Income,Dt_Customer\nC1,100,9999-12-31\nC2,200,2020-01-01\nC3,300,2020-02-01\n"},
    ),
    Defect(
        "D02", "An id of 2**63 or more (a 20-digit invoice number, a huge customer number) crashes id cleaning",
        "crash", r"TypeError: cannot safely cast non-equivalent float64 to int64",
        "segkit.io._normalise_ids (the reader typed the column float64: every value numeric, too big for int64)",
        "Ids are text: the reader keeps a numeric column too large for int64 as strings (as it keeps "
        "zero-padded ids), so '10000000000000048974' is written back exactly and never rounded to a float; "
        "no error.",
        {"transactions": b"customer_id,Date,Rechnungsnummer,Amount\nC1,2024-02-06,10000000000000048974,25.5\n"
                         b"C2,2024-02-07,10000000000000048975,12\nC3,2024-02-08,10000000000000048976,7\n"},
    ),
    Defect(
        "D03", "A carriage return inside an unquoted field raises a raw _csv.Error",
        "crash", r"_csv\.Error", "segkit.io._ragged_line (called from _parse_text to describe a ragged file)",
        "InputError: \"transactions.csv: line 2 has a line break (CR) inside an unquoted field; quote the field "
        "or remove the line break\" (or the CR read as a line end, as pyarrow read the rest of the file).",
        {"transactions": b"customer_id,Date,Amount\nC1\rX,2024-01-02,5\nC2,2024-01-03,6\n"},
    ),
    Defect(
        "D04", "segmentation.random_state of 2**32 or more passes config validation and fails in the fit",
        "crash", r"ValueError: Seed must be between 0 and 2\*\*32 - 1", "segkit.segment.Segmenter.fit "
        "(numpy's RandomState); segkit.config.validate_config lets it through",
        "ConfigError at load: \"config: 'segmentation.random_state' must be an integer from 0 to 4294967295, got "
        "4294967296\".",
        {"customers": _rows("ID,Age,Income", lambda i: f"C{i},{20 + i},{1000 * (i + 1)}", 24)},
        {"segmentation": {"random_state": 2**32}},
    ),
    Defect(
        "D05", "Values near the float limit (1e300, 9e307) overflow and reach the clustering as NaN or inf",
        "crash", r"ValueError: (Input X contains NaN|The condensed distance matrix must contain only finite)",
        "segkit.segment._fit_k (KMeans: 'Input X contains NaN') or _choose_k (scipy's linkage: 'condensed "
        "distance matrix must contain only finite values'), after the scaling or a log's sums overflowed",
        "DataError naming the column, a value and its row: \"customers.csv: column 'Visits' has 2 values too "
        "large to compare (e.g. 1e+300 at row 2); expected values below 1e+15\" (or scaling that does not "
        "overflow, e.g. on ranks or after clipping, with a SegkitWarning).",
        {"customers": _rows("ID,Age,Visits,Spend",
                            lambda i: f"C{i},{20 + i},{'1e300' if i in (1, 7) else i % 7},{10 + 3 * i}", 24)},
        {"segmentation": {"algorithm": "kmeans"}},
    ),
    Defect(
        "D06", "The report's key findings crash when every segment is under min_cell_size",
        "crash", r"ValueError: Encountered all NA values", "segkit.narrative.key_findings "
        "(summary['size'].idxmax() on sizes all suppressed); report notebook section 'Key findings'",
        "A report whose key findings say that every segment has fewer than privacy.min_cell_size customers, so "
        "its figures are suppressed (or, before the kernel starts, a SegmentationError naming min_cell_size and "
        "the segment sizes); never exit 1 with a failed notebook.",
        # three groups of 8: enough customers for two segments of min_cell_size (20), each of the 3 under it
        {"customers": _rows("ID,Age,Income,Visits",
                            lambda i: f"C{i},{20 + 25 * (i % 3) + i % 5},{1000 * (1 + 30 * (i % 3)) + 7 * i},{i % 3}",
                            24)},
        {"segmentation": {"n_segments": 3, "n_bootstrap": 2}},
        path="cli",
    ),
    Defect(
        "D07", "An error message quotes a whole cell, however long",
        "error-long", r".", "segkit.io._parse_dates, _to_float, _to_flag and the other messages that show an "
        "example value (via _show)",
        "The same error with the value cut to about 80 characters: \"... (e.g. 'xxxxxxxx...' (5,000 characters) "
        "at row 2) ...\".",
        {"transactions": b"customer_id,Date,Amount\nC1,2024-01-02,5\nC2," + b"x" * 5000 + b",6\nC3,2024-01-05,7\n"},
    ),
    Defect(
        "D08", "Responder and non-responder counts under min_cell_size are written in targeting.csv",
        "small-cell", r"responders", "segkit.target.targeting_table (suppresses on the segment's size only)",
        "A segment whose responders or non-responders number 1 to min_cell_size - 1 has its response figures "
        "blanked and suppressed set, with suppressed_reason, as segments under min_cell_size are.",
        {"customers": _rows("ID,Age,Income,Response",
                            lambda i: f"C{i},{20 + i},{1000 * (i + 1)},{int(i % 4 == 0)}", 24)},
        {"segmentation": {"n_segments": 2}},
    ),
    Defect(
        "D09", "Control characters of the input (a NUL byte in an id or a column name) are written to the outputs",
        "bad-output", r"control character", "segkit.io.read_table and _normalise_ids keep them; "
        "segkit.pipeline.Analysis.write writes them (segments.csv, profiles.csv)",
        "DataError at read: \"customers.csv: column 'ID' has 1 value with a control character (e.g. 'C2\\x00' "
        "at row 3); expected text\" (or the character removed with a SegkitWarning naming column and row).",
        {"customers": _rows("ID,Age,Income",
                            lambda i: f"C{i}{chr(0) if i == 2 else ''},{20 + i % 50},{1000 * (i + 1)}", 400)},
    ),
    Defect(
        "D10", "An empty segment name in segment_names is accepted and written",
        "bad-output", r"blank segment_name", "segkit.config.validate_config (and "
        "Analysis._name_segments) accept '' and '   ' as names",
        "ConfigError: \"config: segment_names[0] is empty; expected a name\" (rename() already refuses it).",
        {"customers": _rows("ID,Age,Income", lambda i: f"C{i},{20 + i},{1000 * (i + 1)}", 24)},
        {"segment_names": {0: ""}},
    ),
    Defect(
        "D11", "The segmenter's errors name its input 'X' instead of the file (and show numpy's reprs)",
        "error-unclear", r"Error: X: ", "segkit.segment.Segmenter._make_preprocessor (an infinite value; all "
        "features constant or missing)",
        "The same refusal naming the file and the row in it, the value as text: \"customers.csv: column 'Visits' "
        "has 1 infinite value (e.g. 'inf' at row 4); expected finite numbers\" (best raised at read); \"customers.csv: "
        "all 3 features are constant or missing (MntWines, web_visits, Browser); nothing to segment on\".",
        {"customers": _rows("ID,Age,Visits", lambda i: f"C{i},{20 + i},{'inf' if i == 3 else i}", 24)},
    ),
    Defect(
        "D12", "A basis that selects no column is refused as 'X has N customers and 0 columns'",
        "error-unclear", r"X has \d+ customers and 0 columns", "segkit.segment._input_frame",
        "ConfigError naming the setting and what is there: \"segmentation.basis ['demographic'] selects no "
        "column of transactions.csv; its features are behavioural and value (recency_days, frequency, ...)\".",
        {"transactions": b"customer_id,Date,Amount\nC1,2024-01-02,5\nC2,2024-01-03,6\nC3,2024-01-05,7\n"
                         b"C1,2024-02-02,5\n"},
        {"segmentation": {"basis": ["demographic"]}},
    ),
    Defect(
        "D14", "segkit score crashes on an infinite value in a batch",
        "crash", r"ValueError: Input X contains infinity", "segkit.segment.Segmenter._transform (predict), via "
        "segkit.model.SegmentationModel.score",
        "DataError naming the batch file, column and row: \"new.csv: column 'Spend' has 1 infinite value (e.g. "
        "'inf' at row 2); expected finite numbers\" (the report refuses it too, D11).",
        {"customers": "Client,Visits,Spend,Âge,recency_days,Revenu,I like the app,City,Device,AcceptedCmp1,"
                      "Signup date\n"
                      "N1,5,2346.99,18,15,75375,Agree,South,Desktop,true,2022-08-31\n"
                      "N2,14,inf,86,343,90973,Neutral,East,Android,false,2021-11-20\n".encode()},
        path="score",
    ),
    Defect(
        "D16", "An effect size over a zero spread is written as -inf in profiles.csv",
        "nan-written", r"profiles\.csv", "segkit.profile.profile_segments (the standardised effect of a feature "
        "that is constant outside a segment)",
        "The effect size left blank (with suppressed_reason or a note saying the spread is zero), never inf; "
        "the same for every metric of profiles.csv.",
        {"transactions": (REPRODUCERS / "D16-transactions.csv").read_bytes()},
        {"segmentation": {"n_segments": 3, "algorithm": "gmm", "n_bootstrap": 2, "k_max": 5},
         "privacy": {"min_cell_size": 5}},
    ),
    Defect(
        "D17", "As many segments asked for as there are customers crashes the choice of k",
        "crash", r"ValueError: Number of labels is \d+\. Valid values are 2 to n_samples - 1",
        "segkit.segment._choose_k (scikit-learn's silhouette_score, with one customer per segment)",
        "SegmentationError before fitting: \"transactions.csv: 4 customers cannot form 4 segments; expected "
        "segmentation.n_segments of at most 3\" (or k lowered with a note, as 'auto' does).",
        {"transactions": b"Kundennummer,Date,InvoiceNo,Amount\nabc,30/10/2023,375464,337.79\n"
                         b"00041251,10/02/2024,375464,178.60\n00041249,13/10/2023,375465,212.35\n"
                         b"00041244,28/02/2024,375465,66.62\n"},
        {"segmentation": {"n_segments": 4}},
    ),
    Defect(
        "D15", "segmentation.n_bootstrap has no upper bound: 2**20 bootstrap refits run for hours",
        "hang", r"CaseTimeout.*\[segkit\.segment", "segkit.config.validate_config accepts any non-negative "
        "integer; segkit.segment.Segmenter's stability check (_fit_k per bootstrap) then runs them all",
        "ConfigError at load: \"config: 'segmentation.n_bootstrap' must be an integer from 0 to 1000, got "
        "1048576\" (or a time budget for the stability check that says how many refits it ran).",
        {"customers": _rows("ID,Age,Income", lambda i: f"C{i},{20 + i},{1000 * (i + 1)}", 24)},
        {"segmentation": {"n_bootstrap": 2**20}},
    ),
    Defect(
        "D18", "HDBSCAN on fewer customers than its min_samples crashes the fit",
        "crash", r"ValueError: min_samples \(\d+\) must be at most the number of samples",
        "segkit.segment.backends.HDBSCANBackend.fit_auto (scikit-learn's HDBSCAN, min_samples = "
        "min_cluster_size = 5, on 4 customers)",
        "SegmentationError before fitting: \"HDBSCAN needs at least 10 rows to find two clusters of "
        "min_cluster_size=5, got 4; try algorithm='kmeans' or fewer segments\".",
        # min_cell_size 2: 4 customers are enough for two segments, so the run reaches HDBSCAN
        {"customers": _rows("ID,Age,Income", lambda i: f"C{i},{20 + 7 * i},{1000 * (i + 1)}", 4)},
        {"segmentation": {"algorithm": "hdbscan"}, "privacy": {"min_cell_size": 2}},
    ),
]

#: Defects that no outcome status shows: the run reports, but reads a value wrongly. Each has
#: its own check in the test suite (``tests/fuzz/test_fuzz.py``).
SILENT: list[Defect] = [
    Defect(
        "D13", "An 'inf' in an income column becomes missing with no word about it",
        "silent", r".", "segkit.io.read_table reads 'inf' as a number; the income_outliers cleaning rule "
        "(segkit.features.clean) then sets it to missing as an outlier",
        "DataError at read (\"customers.csv: column 'Income' has 1 infinite value (e.g. 'inf' at row 4); "
        "expected finite numbers\"), or a SegkitWarning naming the column, the row and 'inf'.",
        {"customers": _rows("ID,Age,Income,Visits",
                            lambda i: f"C{i},{20 + i},{'inf' if i == 3 else 1000 * (i + 1)},{i % 3}", 30)},
    ),
]


class DefectFound(AssertionError):
    """A case failed the property; the subclass names the defect (``DEFECT_ERRORS[id]``)."""


class NewDefect(DefectFound):
    """A case failed in a way the catalogue does not know."""


#: One exception class per defect id, for ``xfail(raises=...)``.
DEFECT_ERRORS: dict[str, type[DefectFound]] = {
    d.id: type(f"Defect{d.id}", (DefectFound,), {"__doc__": d.title}) for d in [*DEFECTS, *SILENT]
}


#: Defects fixed since the catalogue was written: their reproducers run as plain tests, so the
#: fix cannot come undone unnoticed.
FIXED: frozenset[str] = frozenset({
    "D01",  # io.dates.read_dates: dates outside pandas' range are open ends: missing, counted in the data quality
    "D02",  # io.parse: digit codes of more than 15 digits stay text (normalise_ids never casts them); read as ids
    "D03",  # io.text: a CR inside an unquoted field is a ragged line, described in one line
    "D04",  # config validation checks random_state against the Segmenter's constraints
    "D05",  # io.parse.finite_numbers: numbers over 1e15 are refused at read, naming column and row
    "D06",  # report.narrative: key findings say that every segment is under min_cell_size
    "D07",  # exceptions.quote: every message quotes at most ~80 characters of a value
    "D08",  # target.campaign: responders and non-responders under min_cell_size are suppressed
    "D09",  # io.text: control characters removed from names and cells at read, with a warning
    "D10",  # config validation refuses an empty segment name
    "D11",  # model: the segmenter's errors name the file, not 'X'; inf is refused at read
    "D12",  # features.bases.select_features: a basis selecting no column is refused, naming the bases there
    "D13",  # io.parse.finite_numbers: an 'inf' is refused at read, never made missing in silence
    "D14",  # io.parse.finite_numbers: an 'inf' in a batch to score is refused at read
    "D15",  # segment: n_bootstrap is at most 1000 (checked by config validation)
    "D16",  # report.contract.write_table: an infinite figure is written as a blank cell
    "D17",  # model: n_segments must be under the number of customers
    "D18",  # segment.backends: HDBSCAN needs two clusters' worth of rows
})


def by_id(defect_id: str) -> Defect:
    """The defect with that id."""
    return next(d for d in [*DEFECTS, *SILENT] if d.id == defect_id)


def identify(outcome: Outcome) -> Defect | None:
    """The catalogued defect an outcome shows, or None (a pass, or a defect not catalogued)."""
    if outcome.ok:
        return None
    return next((d for d in DEFECTS if d.matches(outcome)), None)


def check(outcome: Outcome) -> None:
    """Pass when ``outcome`` satisfies the property; else raise its defect's exception."""
    if outcome.ok:
        return None
    defect = identify(outcome)
    text = f"{outcome.signature}: {outcome.message}"
    if defect is None:
        raise NewDefect(f"not in the catalogue: {text}")
    raise DEFECT_ERRORS[defect.id](f"{defect.id} {defect.title}: {text}")
