"""Run a fuzz case through segkit's public API and judge how it ended.

Four ways in, all public: the Python path (:class:`segkit.pipeline.Analysis`, every stage,
then :meth:`~segkit.pipeline.Analysis.write`), the command line (``segkit report``, which runs
the report notebook in a kernel: ~8 s a case; ``segkit score``), and the reader alone
(:func:`segkit.io.read_table`). Each returns an :class:`Outcome`; the property is
:attr:`Outcome.ok`: a report (or scores, or a table) was written, or a
:class:`~segkit.exceptions.SegkitError` refused the input in one short line. Anything else is
a defect: another exception; a run over its time limit (CPU time, so that a busy machine does
not make a hang); an input file changed; NaN or inf in a written CSV or JSON; a control
character or a blank segment name in a written CSV; a responder count under
``privacy.min_cell_size`` in ``targeting.csv``; an error message of several lines, of more
than :data:`MAX_ERROR_CHARS` characters, or quoting Python's reprs (``np.float64(inf)``) or
internal names (``X has 12 customers``) instead of the file and column.

Examples
--------
>>> Outcome("crash", exception="ValueError", where="segkit.io._parse_dates").signature
'crash: ValueError in segkit.io._parse_dates'
>>> Outcome("refused", message="c.csv: file is empty").ok
True
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import signal
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import segkit
from segkit.cli import main
from segkit.exceptions import SegkitError
from segkit.io import read_table
from segkit.pipeline import Analysis
from tests.fuzz.corpus import Case, file_digests

__all__ = ["MAX_ERROR_CHARS", "OK", "CaseTimeout", "Outcome", "output_problems", "run_analysis", "run_cli_report",
           "run_reader", "run_score", "time_limit"]

#: The statuses that satisfy the property.
OK = ("report", "refused")
#: The longest error message that still reads as one line in a terminal (the issue asks for
#: values quoted to about 80 characters; names and paths make up the rest).
MAX_ERROR_CHARS = 500
#: A cell of a written CSV that is a spelled-out NaN or infinity.
_NOT_FINITE = re.compile(r"\s*[-+]?(nan|inf|infinity)\s*", re.IGNORECASE)
#: CSV columns that echo the input's text (ids, category levels) or name things: an input's
#: customer 'inf' or level 'NaN' is text there, written as read.
_TEXT_COLUMNS = frozenset({"customer_id", "segment_name", "name", "level", "feature", "basis", "metric", "action",
                           "rfm_segment", "suppressed_reason"})
#: Control characters (tab aside) have no place in a written cell: they come from damaged input.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: What an error message should never show a user: Python's reprs of numpy and pandas values,
#: and the estimator's internal name for its input (``X``) in place of the file.
_UNCLEAR = re.compile(r"\bnp\.[a-z_0-9]+\(|\bnumpy\.|\bTimestamp\(|\bdtype\(|<class '|^X\b")
_SEGKIT_DIR = str(Path(segkit.__file__).resolve().parent)


class CaseTimeout(BaseException):
    """A case ran over its time limit (a BaseException, so no ``except Exception`` in the code
    under test swallows it)."""


#: How much longer than its CPU limit a case may take on the clock (a busy machine shares two
#: cores among several people; a case blocked without using CPU still ends).
WALL_FACTOR = 10


@contextlib.contextmanager
def time_limit(seconds: float, *, clock: str = "cpu") -> Iterator[None]:
    """Raise :class:`CaseTimeout` inside the block after ``seconds``.

    ``clock="cpu"`` counts the CPU time of this process (``ITIMER_PROF``), so that a machine
    busy with other work does not turn a slow case into a hang, with a wall-clock backstop
    of :data:`WALL_FACTOR` times as long; ``clock="wall"`` counts wall-clock time only (for a
    command whose work runs in another process, such as the report kernel). Main thread only,
    where signals are delivered; elsewhere the block runs unlimited.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        what = "CPU" if signum == signal.SIGPROF else "wall-clock"
        raise CaseTimeout(f"over the time limit ({what} time)")

    timers = {signal.SIGALRM: (signal.ITIMER_REAL, seconds * (WALL_FACTOR if clock == "cpu" else 1))}
    if clock == "cpu":
        timers[signal.SIGPROF] = (signal.ITIMER_PROF, seconds)
    previous = {signum: signal.signal(signum, expire) for signum in timers}
    for timer, limit in timers.values():
        signal.setitimer(timer, limit)
    try:
        yield
    finally:
        for signum, (timer, _) in timers.items():
            signal.setitimer(timer, 0)
            signal.signal(signum, previous[signum])


@dataclass
class Outcome:
    """How one case ended.

    Parameters
    ----------
    status : str
        ``report`` or ``refused`` (the property holds), else ``crash``, ``hang``,
        ``input-changed``, ``nan-written``, ``bad-output`` (a control character or blank
        segment name written), ``small-cell``, ``error-lines``, ``error-long`` or
        ``error-unclear``.
    message : str
        The exception's message (first 300 characters), or the problem found.
    exception : str
        The exception's type name, when one was raised.
    where : str
        The innermost segkit function on the traceback (``segkit.io._parse_dates``), or the
        written file for ``nan-written``.
    origin : str
        The module the exception was raised in (``pandas._libs.tslibs``), when not segkit.
    path : str
        ``python``, ``cli``, ``score`` or ``reader``.
    seconds : float
        Wall-clock time of the run.
    """

    status: str
    message: str = ""
    exception: str = ""
    where: str = ""
    origin: str = ""
    path: str = "python"
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The property: a report, or a one-line SegkitError."""
        return self.status in OK

    @property
    def signature(self) -> str:
        """What kind of failure this is, independent of the data (``crash: ValueError in f``)."""
        if self.ok:
            return self.status
        if self.status == "hang":  # stopped wherever the clock ran out: the module says enough
            return f"hang in {self.where.rpartition('.')[0] or 'an unknown place'}"
        if self.status == "crash":
            return f"crash: {self.exception} in {self.where or self.origin}"
        return f"{self.status}: {self.where}"


def _frames(err: BaseException) -> list[traceback.FrameSummary]:
    return traceback.extract_tb(err.__traceback__)


def _module_of(filename: str) -> str:
    """``segkit.io`` for segkit's files, else the dotted path below the longest ``sys.path``
    entry holding the file (``pandas._libs.tslibs.np_datetime``)."""
    path = str(Path(filename).resolve())
    roots = [str(Path(_SEGKIT_DIR).parent)] if path.startswith(_SEGKIT_DIR) else \
        sorted((str(Path(p).resolve()) for p in sys.path if p), key=len, reverse=True)
    for root in roots:
        if path.startswith(root.rstrip("/") + "/"):
            return ".".join(Path(path[len(root.rstrip("/")) + 1:]).with_suffix("").parts)
    return Path(path).stem


def _where(err: BaseException) -> tuple[str, str]:
    """The innermost segkit function of the traceback, and the module the error came from."""
    frames = _frames(err)
    ours = [f for f in frames if str(Path(f.filename).resolve()).startswith(_SEGKIT_DIR)]
    where = f"{_module_of(ours[-1].filename)}.{ours[-1].name}" if ours else ""
    origin = _module_of(frames[-1].filename) if frames else ""
    return where, "" if origin.startswith("segkit") else origin


def _type_name(err: BaseException) -> str:
    """``ValueError`` for builtins, else qualified by its module (``_csv.Error``)."""
    kind = type(err)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _from_exception(err: BaseException, path: str) -> Outcome:
    message = str(err)
    where, origin = _where(err)
    if isinstance(err, CaseTimeout):
        return Outcome("hang", message, "CaseTimeout", where, origin, path)
    if isinstance(err, SegkitError):
        if "\n" in message or "\r" in message:
            return Outcome("error-lines", _short(message), type(err).__name__, where, origin, path)
        return _refusal(message, type(err).__name__, where, origin, path)
    return Outcome("crash", _short(message), _type_name(err), where, origin, path)


def _refusal(message: str, exception: str, where: str, origin: str, path: str) -> Outcome:
    """A one-line SegkitError message, judged: too long, or unclear, or a proper refusal."""
    if len(message) > MAX_ERROR_CHARS:
        return Outcome("error-long", f"{len(message):,} characters: {_short(message)}", exception, where, origin, path)
    if _UNCLEAR.search(message):
        return Outcome("error-unclear", message, exception, where, origin, path)
    return Outcome("refused", message, exception, where, origin, path)


def _short(text: str, most: int = 300) -> str:
    return text if len(text) <= most else text[:most] + f"... ({len(text):,} characters)"


# ----------------------------------------------------------------------------- outputs


def output_problems(folder: str | Path, *, min_cell_size: int | None = None) -> list[tuple[str, str, str, str]]:
    """``(status, file, kind, detail)`` for what a written CSV or JSON under ``folder`` must not hold.

    ``nan-written``: NaN or infinity as a number (in a CSV, columns that hold the input's
    own text, ids and levels, are not read); ``bad-output``: a control character in a CSV
    cell or a blank ``segment_name``; ``small-cell`` (with ``min_cell_size``): a segment of
    ``targeting.csv`` shown with fewer responders, or non-responders, than that.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = pathlib.Path(tmp, "profiles.csv").write_text("metric,value\\nmean,nan\\nshare,0.5\\n")
    ...     output_problems(tmp)
    [('nan-written', 'profiles.csv', "NaN or inf in column 'value'", "row 1: 'nan'")]
    """
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as fh:
                rows = list(csv.reader(fh))
            found.extend((status, rel, kind, detail) for status, kind, detail in _csv_problems(rows, path.name,
                                                                                                min_cell_size))
        elif path.suffix == ".json":
            found.extend(("nan-written", rel, "NaN or inf", problem)
                         for problem in _json_problems(path.read_text(encoding="utf-8")))
    return found


def _csv_problems(rows: list[list[str]], name: str, min_cell_size: int | None) -> Iterator[tuple[str, str, str]]:
    header = rows[0] if rows else []
    cells = [(r, header[c] if c < len(header) else str(c), value)
             for r, row in enumerate(rows[1:], start=1) for c, value in enumerate(row)]
    for status, kind, bad in (
        ("nan-written", "NaN or inf in column {col!r}",
         lambda col, v: col not in _TEXT_COLUMNS and _NOT_FINITE.fullmatch(v)),
        ("bad-output", "control character in column {col!r}", lambda col, v: _CONTROL.search(v)),
        ("bad-output", "blank segment_name", lambda col, v: col == "segment_name" and not v.strip()),
    ):
        hit = next(((r, col, v) for r, col, v in cells if bad(col, v)), None)
        if hit is not None:
            yield status, kind.format(col=hit[1]), f"row {hit[0]}: {hit[2]!r}"
    if min_cell_size and name == "targeting.csv" and {"size", "responders", "suppressed"} <= set(header):
        for r, row in enumerate(rows[1:], start=1):
            record = dict(zip(header, row, strict=False))
            if record["suppressed"] == "True" or not record["responders"] or not record["size"]:
                continue
            responders, size = float(record["responders"]), float(record["size"])
            small = [f"{what} {n:g}" for what, n in (("responders", responders), ("non-responders", size - responders))
                     if 0 < n < min_cell_size]
            if small:
                yield ("small-cell", "responders under min_cell_size",
                       f"row {r} (segment {record.get('segment')}): {', '.join(small)} < {min_cell_size}")
                break


def _json_problems(text: str) -> list[str]:
    def refuse(constant):
        raise ValueError(constant)

    try:
        data = json.loads(text, parse_constant=refuse)
    except ValueError as err:
        return [f"{err} written as a JSON constant"]
    problems: list[str] = []

    def walk(value, where):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{where}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{where}[{i}]")
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{where}: {value!r}")

    walk(data, "$")
    return problems[:1]


# ----------------------------------------------------------------------------- running


def _judge(run: Callable[[], None], inputs: Path, outputs: Path | None, path: str, limit: float,
           min_cell_size: int | None = None, clock: str = "cpu") -> Outcome:
    """Run ``run()`` under the time limit; classify what it raised, then check the inputs
    are unchanged and the outputs finite."""
    before = file_digests(inputs)
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with time_limit(limit, clock=clock):
                run()
            outcome = Outcome("report", path=path)
        except BaseException as err:  # noqa: BLE001 - the point is to see every kind
            if isinstance(err, KeyboardInterrupt | SystemExit) and not isinstance(err, CaseTimeout):
                raise
            outcome = _from_exception(err, path)
    outcome.seconds = round(time.perf_counter() - started, 3)
    outcome.warnings = sorted({f"{w.category.__name__}: {str(w.message).splitlines()[0][:120]}" for w in caught
                               if str(w.message)})
    if file_digests(inputs) != before:
        changed = sorted(set(before.items()) ^ set(file_digests(inputs).items()))
        return Outcome("input-changed", f"{changed[0][0]} changed", where="inputs", path=path,
                       seconds=outcome.seconds)
    if outcome.status == "report" and outputs is not None and outputs.exists():
        problems = output_problems(outputs, min_cell_size=min_cell_size)
        if problems:
            status, file, kind, detail = min(problems, key=lambda p: _OUTPUT_ORDER.index(p[0]))
            return Outcome(status, f"{file}: {kind}, {detail}", where=f"{file}: {kind}", path=path,
                           seconds=outcome.seconds,
                           warnings=outcome.warnings)
    return outcome


_OUTPUT_ORDER = ("nan-written", "bad-output", "small-cell")


def _min_cell_size(case: Case) -> int:
    """The case's ``privacy.min_cell_size`` (segkit's default, 10, when not given or not a number)."""
    value = (case.config.get("privacy") or {}).get("min_cell_size", 10)
    return value if isinstance(value, int) and not isinstance(value, bool) else 10


def _quiet(run: Callable[[], object]) -> Callable[[], object]:
    def wrapped():
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return run()

    return wrapped


def run_analysis(case: Case, folder: str | Path, *, limit: float = 30.0) -> Outcome:
    """The Python path: ``Analysis(config)``, every stage, then ``write()``."""
    folder = Path(folder)
    config, _ = case.write(folder / "in")
    out = folder / "out"

    def run():
        analysis = Analysis(config, verbose=False)
        analysis.load()
        analysis.build_features()
        analysis.segment()
        analysis.profile()
        analysis.value()
        analysis.target()
        analysis.write(out)

    return _judge(_quiet(run), folder / "in", out, "python", limit, _min_cell_size(case))


def run_reader(case: Case, folder: str | Path, *, limit: float = 10.0) -> Outcome:
    """The reader alone: :func:`segkit.io.read_table` on each table of the case."""
    folder = Path(folder)
    config, _ = case.write(folder / "in")

    def run():
        for kind in case.tables:
            read_table(config["data"][kind])

    return _judge(_quiet(run), folder / "in", None, "reader", limit)


def _cli(args: list[str]) -> tuple[int, str]:
    """Exit status and stderr of ``segkit ARGS``; with ``SEGKIT_DEBUG`` set, so that an unexpected
    exception in this process propagates with its traceback (the command would print one line
    and exit 1)."""
    err = io.StringIO()
    debug = os.environ.get("SEGKIT_DEBUG")
    os.environ["SEGKIT_DEBUG"] = "1"
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        if debug is None:
            del os.environ["SEGKIT_DEBUG"]
        else:
            os.environ["SEGKIT_DEBUG"] = debug
    return code, err.getvalue()


def _cli_outcome(code: int, stderr: str, path: str) -> Outcome:
    """Read the command's exit status and error line the way :func:`_from_exception` reads
    exceptions: 0 a report, 2 a one-line refusal, anything else a crash."""
    errors = [line for line in stderr.splitlines() if not line.startswith("segkit: ")]
    text = "\n".join(errors)
    if code == 0:
        return Outcome("report", path=path)
    if code == 2:
        if len(errors) != 1:
            return Outcome("error-lines", _short(text), path=path, where="segkit.cli.main")
        return _refusal(errors[0].removeprefix("error: "), "", "segkit.cli.main", "", path)
    found = re.search(r"(?:failed|unexpected): ?([\w.]+)[:\s]", text)
    section = re.search(r"report section '([^']*)'", text)
    kept = re.search(r"notebook kept at (.+?\.ipynb)", text)
    where = _notebook_where(Path(kept.group(1))) if kept else ""
    if not where:
        where = f"report section {section.group(1)!r}" if section else "segkit.cli.main"
    return Outcome("crash", _short(text), found.group(1) if found else f"exit {code}", where, path=path)


def _notebook_where(notebook: Path) -> str:
    """The innermost segkit function in the traceback of a failed report notebook."""
    if not notebook.is_file():
        return ""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    tracebacks = ["\n".join(o.get("traceback", [])) for c in cells for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(tracebacks))
    frames = re.findall(r"File \S*?/(segkit/[\w/]+)\.py:\d+, in (\w+)", text)
    return f"{frames[-1][0].replace('/', '.')}.{frames[-1][1]}" if frames else ""


def run_cli_report(case: Case, folder: str | Path, *, limit: float = 240.0) -> Outcome:
    """``segkit report config.yml --out ...``: the whole report, notebook and HTML included."""
    folder = Path(folder)
    _, config_path = case.write(folder / "in")
    out = folder / "reports" / "out"
    result: dict[str, Outcome] = {}

    def run():
        code, stderr = _cli(["report", str(config_path), "--out", str(out), "--quiet"])
        result["outcome"] = _cli_outcome(code, stderr, "cli")

    judged = _judge(run, folder / "in", out, "cli", limit, _min_cell_size(case), clock="wall")
    outcome = result.get("outcome", judged)
    if judged.status != "report":  # a hang, an input changed, NaN written: worse than the exit status
        return judged
    outcome.seconds, outcome.warnings = judged.seconds, judged.warnings
    if outcome.status == "report":
        html = (out / "report.html").read_text(encoding="utf-8") if (out / "report.html").is_file() else ""
        shown = re.search(r">\s*-?(nan|inf)\s*<", html, re.IGNORECASE)
        if shown:
            return Outcome("nan-written", f"report.html shows {shown.group(0)!r}", where="report.html", path="cli",
                           seconds=outcome.seconds)
    return outcome


def run_score(case: Case, folder: str | Path, model: str | Path, *, limit: float = 30.0) -> Outcome:
    """``segkit score MODEL DATA --out scored.csv`` on the case's customer table (and log)."""
    folder = Path(folder)
    config, _ = case.write(folder / "in")
    out = folder / "out"
    data = config["data"]
    args = ["score", str(model), data.get("customers") or data["transactions"], "--out", str(out / "scored.csv")]
    if data.get("customers") and data.get("transactions"):
        args += ["--transactions", data["transactions"]]
    result: dict[str, Outcome] = {}

    def run():
        out.mkdir(parents=True, exist_ok=True)
        code, stderr = _cli(args)
        result["outcome"] = _cli_outcome(code, stderr, "score")

    judged = _judge(run, folder / "in", out, "score", limit)
    if judged.status != "report":
        return judged
    outcome = result["outcome"]
    outcome.seconds, outcome.warnings = judged.seconds, judged.warnings
    return outcome
