"""Command line: ``segkit report``, ``segkit inspect``, ``segkit score``, ``segkit explain`` and
``segkit compare``.

Every :class:`~segkit.exceptions.SegkitError` becomes one line ``error: ...`` on stderr
and exit status 2; nothing the user did wrong prints a traceback. Set ``SEGKIT_DEBUG=1``
to see tracebacks of unexpected failures.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
import time
import warnings
from pathlib import Path

from segkit.exceptions import ConfigError, ReportError, SegkitError

__all__ = ["main"]

EXIT_USER_ERROR = 2
EXIT_FAILURE = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="segkit", description="Customer segmentation reports and scoring.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser("report", help="run the segment report notebook and write a report folder",
                         description="Run the parameterised segment report and write report.html, "
                                     "segments.csv, profiles.csv, targeting.csv, summary.json and model.skops.")
    rep.add_argument("config", nargs="?", help="YAML config (see README); optional with --demo")
    rep.add_argument("--demo", action="store_true", help="run on the built-in, seeded demo data")
    rep.add_argument("--out", help="output folder (default: reports/<config name>)")
    rep.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override a config key with a YAML value, e.g. segmentation.n_segments=5")
    rep.add_argument("--by", metavar="COLUMN", help="write one report per value of COLUMN plus an index.html")
    rep.add_argument("--quiet", action="store_true", help="print only errors")

    inspect = sub.add_parser("inspect", help="show each column's role, basis, kind and evidence, what would be "
                                             "clustered and the data-quality checks, without running a report",
                             description="Read and check the data as `segkit report` would, and print every "
                                         "column with its role, basis, kind and the evidence for them, which "
                                         "features would be clustered (and why the others are not), and the "
                                         "data-quality checks. No kernel is started.")
    inspect.add_argument("config", nargs="?", help="YAML config (see README); optional with --demo or --set data...")
    inspect.add_argument("--demo", action="store_true", help="inspect the built-in, seeded demo data")
    inspect.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                         help="override a config key with a YAML value, e.g. 'columns.outcomes=[Churn]'")

    score = sub.add_parser("score", help="assign new customers to the segments of a saved model")
    score.add_argument("model", help="model.skops written by `segkit report`")
    score.add_argument("data", help="customer table or purchase log to score")
    score.add_argument("--out", required=True, help="CSV file to write (customer_id, segment, segment_name)")
    score.add_argument("--transactions", metavar="LOG",
                       help="the customers' purchase log, for a model fitted on a customer table and a purchase "
                            "log (DATA is then the customer table)")

    explain = sub.add_parser("explain", help="why a customer is in their segment (distances, runner-up, pulls)",
                             description="Score DATA with a saved model and explain one customer's segment: the "
                                         "distance to every segment, the runner-up and the margin, and the features "
                                         "that pull the customer to their segment, in their own units.")
    explain.add_argument("model", help="model.skops written by `segkit report`")
    explain.add_argument("data", help="customer table or purchase log holding the customer")
    explain.add_argument("--customer", required=True, metavar="ID", help="the customer's id in DATA")
    explain.add_argument("--transactions", metavar="LOG",
                         help="the customers' purchase log, for a model fitted on a customer table and a purchase log")

    compare = sub.add_parser("compare", help="compare two report folders: stable ids, migration, drift, alerts",
                             description="Match the new run's segments to the old run's, count who moved where, "
                                         "and measure size and feature drift (PSI).")
    compare.add_argument("old", help="the earlier report folder")
    compare.add_argument("new", help="the later report folder")
    compare.add_argument("--out", help="also write the comparison as JSON to this file")
    return parser


def _skip_slow_optional_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` (pulled in by JupyterLab's extras).

    nbformat imports jsonschema, which compiles that package's IRI grammar at import time:
    2+ seconds of every ``segkit`` run, for a format check nbformat never uses. jsonschema
    imports it optionally, so marking it unavailable only drops that unused check. Done here,
    in the command's process, never on ``import segkit``.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _end_process(status: int) -> None:
    """End the ``segkit`` command's process with ``status``, skipping interpreter shutdown.

    Shutdown garbage-collects every object of pandas, scikit-learn, scipy, nbconvert... once
    more (0.5-0.7 s measured after a report, whose work is all done and written by then), and
    DuckDB's bindings print "leaked N instances!" when their objects meet it. The command's
    own work ends first: files are written and closed, the kernel is stopped. Here the standard
    streams are flushed and the atexit callbacks run (logging, temporary folders); then the
    operating system takes the rest.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing left to say on it
            pass
    atexit._run_exitfuncs()
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``segkit`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    _skip_slow_optional_imports()
    status = _run(args)
    if argv is None:  # the command itself, not a call from Python (tests, notebooks)
        _end_process(status)
    return status


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command; returns its exit status (errors become one line)."""
    try:
        if args.command == "report":
            return _report(args)
        if args.command == "compare":
            return _compare(args)
        if args.command == "inspect":
            return _inspect(args)
        if args.command == "explain":
            return _explain(args)
        return _score(args)
    except ReportError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILURE
    except SegkitError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM (report.outputs.Interrupted): nothing published
        signum = getattr(err, "signum", 2)
        # An interrupt inside the kernel client's event loop leaves a task that asyncio would
        # report at exit ("Task exception was never retrieved"): the run is over, keep one line.
        logging.getLogger("asyncio").disabled = True
        print(f"error: {err if str(err) else 'interrupted; nothing was published'}", file=sys.stderr)
        return 128 + signum
    except BrokenPipeError:  # before OSError, of which it is one
        # `segkit compare A B | head`: the reader stopped reading, which is not an error. Point
        # stdout at /dev/null so that the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as err:
        if os.environ.get("SEGKIT_DEBUG"):
            raise
        if err.filename is None:
            return _unexpected(err)
        # the file system refused (permission, read-only, no space, not a folder): the user's to fix
        print(f"error: {err.filename}: {err.strerror or err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as err:  # noqa: BLE001 - a bug: one line unless debugging
        if os.environ.get("SEGKIT_DEBUG"):
            raise
        return _unexpected(err)


def _unexpected(err: BaseException) -> int:
    """A bug's one line (``SEGKIT_DEBUG=1`` shows the traceback instead)."""
    first = str(err).splitlines()[0] if str(err) else ""
    print(f"error: unexpected {type(err).__name__}: {first} (set SEGKIT_DEBUG=1 for details)", file=sys.stderr)
    return EXIT_FAILURE


def _report(args: argparse.Namespace) -> int:
    say = (lambda msg: None) if args.quiet else _say
    if args.demo and args.config:
        raise ConfigError("give either a CONFIG file or --demo, not both (use --set to change demo settings)")
    data = _data_overrides(args.overrides)
    if not args.demo and not args.config and not data:
        raise ConfigError("no config given; run `segkit report CONFIG.yml`, `segkit report --set "
                          "data.customers=FILE` (or data.transactions=FILE), or `segkit report --demo`")
    if args.out:
        out = Path(args.out)
    elif args.demo or args.config:
        out = Path("reports") / ("demo" if args.demo else Path(args.config).stem)
    else:  # data given with --set only: named after the first data file
        out = Path("reports") / (Path(str(data[0]).rstrip("/*")).stem or "report")
    from segkit.report import check_out_dir
    from segkit.report.outputs import check_writable, remove_stale_partials, stop_on_signals

    check_out_dir(out)  # before anything runs: publishing replaces the folder whole
    check_writable(out)  # and its parent must take the report
    remove_stale_partials(out.absolute().parent)  # hidden folders of killed runs into the same parent
    kernel = None
    if not args.by:
        # Start the report's kernel first: it launches and imports its modules (~3 s on two
        # cores) while this process reads the config and imports papermill.
        from segkit.report import start_kernel, stop_kernel

        kernel = start_kernel()
    try:
        with stop_on_signals():  # SIGINT and SIGTERM stop the run before it publishes
            return _run_report(args, out, say, kernel)
    except BaseException:
        if kernel is not None:
            stop_kernel(kernel)
        raise


def _say(msg: str) -> None:
    """Print a progress message on stderr, each of its lines marked ``segkit: ``."""
    print("\n".join(f"segkit: {line}" for line in str(msg).splitlines()), file=sys.stderr)


def _run_report(args: argparse.Namespace, out: Path, say, kernel) -> int:
    from segkit.config import check_data_paths, load_config
    from segkit.report import run_report

    if args.demo:
        from segkit.pipeline import write_demo_inputs

        config_path = write_demo_inputs(out.resolve().parent / "demo-data")
        say(f"demo data in {config_path.parent}")
    else:
        config_path = Path(args.config) if args.config else None  # None: defaults plus --set
    config = load_config(config_path, overrides=args.overrides, require_data=True)
    check_data_paths(config)
    started = time.perf_counter()
    if not args.quiet and not args.by:
        _preview(config, say)
    if args.by:
        from segkit.report.batch import run_batch

        run_batch(config, out, by=args.by, log=say)
    else:
        run_report(config, out, log=say, kernel=kernel)
    say(f"done in {time.perf_counter() - started:.1f} s: {out / ('index.html' if args.by else 'report.html')}")
    return 0


#: Inputs up to this size are read once more before a report starts, to print their columns' roles.
PREVIEW_BYTES = 100_000_000


def _preview(config, say) -> None:
    """Print what segkit makes of the data (the short form of ``segkit inspect``) before the report starts.

    Bad data ends the command here, with the one-line error the report would give. Inputs too large to
    read twice are not previewed: the report's method section lists the roles.
    """
    from segkit.inspection import inspect_data

    size = sum(_input_bytes(config["data"].get(kind)) for kind in ("customers", "transactions"))
    if size > PREVIEW_BYTES:
        say(f"the inputs hold {size / 1e6:,.0f} MB: their columns' roles are listed in the report's method "
            "section (`segkit inspect` shows them without running a report)")
        return
    say("columns as read (`segkit inspect` shows the evidence):\n" + inspect_data(config).short())


def _input_bytes(source) -> int:
    """The bytes of a data source: a file, the files of a folder, or those a glob matches."""
    import glob

    if not source:
        return 0
    path = Path(str(source))
    if path.is_file():
        return path.stat().st_size
    files = path.rglob("*") if path.is_dir() else map(Path, glob.glob(str(source)))
    return sum(p.stat().st_size for p in files if p.is_file())


def _inspect(args: argparse.Namespace) -> int:
    import tempfile

    from segkit.config import check_data_paths, load_config
    from segkit.inspection import inspect_data

    if args.demo and args.config:
        raise ConfigError("give either a CONFIG file or --demo, not both (use --set to change demo settings)")
    if not args.demo and not args.config and not _data_overrides(args.overrides):
        raise ConfigError("no config given; run `segkit inspect CONFIG.yml`, `segkit inspect --set "
                          "data.customers=FILE` (or data.transactions=FILE), or `segkit inspect --demo`")
    with tempfile.TemporaryDirectory(prefix="segkit-inspect-") as folder:
        if args.demo:
            from segkit.pipeline import write_demo_inputs

            config_path = write_demo_inputs(folder)
        else:
            config_path = Path(args.config) if args.config else None
        config = load_config(config_path, overrides=args.overrides, require_data=True)
        check_data_paths(config)
        print(inspect_data(config), end="")
    return 0


def _data_overrides(overrides) -> list:
    """The data sources given with ``--set data.customers=...`` / ``data.transactions=...``."""
    from segkit.config import parse_override

    found = []
    for item in overrides or ():
        if item.split("=", 1)[0].strip() in ("data.customers", "data.transactions"):
            value = parse_override(item)[1]
            if value:
                found.append(value)
    return found


def _check_score_paths(model: str, data: str, out: str) -> None:
    """Refuse, before anything is read, an ``--out`` that would replace an input or is a folder."""
    import fnmatch

    target = Path(out).expanduser()
    if target.is_dir() or out.endswith(("/", os.sep)):
        raise ConfigError(f"--out {out}: is a folder; expected the path of the CSV file to write "
                          f"(e.g. {target / 'scored.csv'})")
    model_path = Path(model).expanduser()
    if model_path.is_dir():
        hint = f"; did you mean {model_path / 'model.skops'}?" if (model_path / "model.skops").is_file() else ""
        raise ConfigError(f"{model}: is a folder; expected the model.skops file written by `segkit report`{hint}")
    resolved = target.resolve()
    if resolved == model_path.resolve():
        raise ConfigError(f"--out {out}: is the model file; writing the scores there would destroy the model "
                          "(expected a new CSV file, e.g. scored.csv)")
    data_path = Path(data).expanduser()
    if resolved == data_path.resolve():
        why = "is the data file being scored (input files are only read)"
    elif data_path.is_dir() and data_path.resolve() in resolved.parents:
        why = f"is inside the data folder being scored ({data}), where the next run would read it as data"
    elif any(ch in data for ch in "*?[") and fnmatch.fnmatch(str(resolved), str(data_path.resolve())):
        why = f"matches the data being scored ({data}), where the next run would read it as data"
    else:
        return
    raise ConfigError(f"--out {out}: {why}; expected a CSV file elsewhere (e.g. scored.csv)")


def _score(args: argparse.Namespace) -> int:
    from segkit import pipeline
    from segkit.exceptions import SegkitWarning
    from segkit.report.outputs import check_writable, write_csv_atomic

    _check_score_paths(args.model, args.data, args.out)
    check_writable(args.out)
    if args.transactions is not None:
        _check_score_paths(args.model, args.transactions, args.out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SegkitWarning)
        scored = pipeline.score(args.model, args.data, transactions=args.transactions)
    for warning in caught:  # one plain line each, as the report prints what it detected
        if issubclass(warning.category, SegkitWarning):
            print(f"segkit: warning: {warning.message}", file=sys.stderr)
        else:
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
    write_csv_atomic(scored, Path(args.out))
    n = len(scored)
    print(f"segkit: scored {n:,} {'customer' if n == 1 else 'customers'} into {Path(args.out)}", file=sys.stderr)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from segkit.exceptions import SegkitWarning
    from segkit.model import SegmentationModel

    model_path = Path(args.model).expanduser()
    if model_path.is_dir():
        hint = f"; did you mean {model_path / 'model.skops'}?" if (model_path / "model.skops").is_file() else ""
        raise ConfigError(f"{args.model}: is a folder; expected the model.skops file written by `segkit report`{hint}")
    model = SegmentationModel.load(model_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SegkitWarning)
        inputs = model.read(args.data, args.transactions)
        X = model.transform(inputs)
    for warning in caught:
        if issubclass(warning.category, SegkitWarning):
            print(f"segkit: warning: {warning.message}", file=sys.stderr)
    print(model.explain(args.customer, X, label=Path(args.data).name))
    return 0


def _compare(args: argparse.Namespace) -> int:
    import json

    from segkit import monitor

    if args.out:
        from segkit.report.outputs import check_writable

        if Path(args.out).is_dir() or args.out.endswith(("/", os.sep)):
            raise ConfigError(f"--out {args.out}: is a folder; expected the path of the JSON file to write "
                              f"(e.g. {Path(args.out) / 'comparison.json'})")
        check_writable(args.out)
    result = monitor.compare_runs(args.old, args.new)
    print(monitor.describe(result))
    if args.out:
        from segkit.report.outputs import write_text_atomic

        write_text_atomic(Path(args.out), json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n")
        print(f"segkit: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
