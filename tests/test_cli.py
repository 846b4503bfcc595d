"""The command line: one readable line and exit 2 for every user error, inputs untouched, no half output."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.cli import main


def _customers(n: int = 80, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "ID": np.arange(1000, 1000 + n),
        "Income": rng.normal(50_000, 12_000, n).round(0),
        "Education": rng.choice(["Basic", "Graduation", "PhD"], n),
        "MntWines": rng.gamma(2, 150, n).round(0),
        "MntMeat": rng.gamma(2, 80, n).round(0),
        "NumWebPurchases": rng.poisson(4, n),
        "Response": rng.choice(["yes", "no"], n, p=[0.2, 0.8]),
    })


def _digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def run_cli(capsys, *args: str) -> tuple[int, str]:
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if not line.startswith("segkit: ")]
    return code, "\n".join(lines)


def _config(folder: Path, body: str) -> Path:
    path = folder / "config.yml"
    path.write_text(body, encoding="utf-8")
    return path


# ----------------------------------------------------------------- errors caught before any kernel starts

@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "no config given"),
        (("--demo", "cfg.yml"), "either a CONFIG file or --demo"),
        (("missing.yml",), "missing.yml: config file not found"),
        (("--demo", "--set", "segmentation.n_segments=1"), "'segmentation.n_segments' must be an integer >= 2"),
        (("--demo", "--set", "segmentation.algoritm=kmeans"), "did you mean 'segmentation.algorithm'"),
        (("--demo", "--set", "segmentation.algorithm=kmean"), "but 'kmean' was given"),
    ],
    ids=["no-config", "both", "missing-config", "k-one", "misspelt", "algorithm"],
)
def test_config_errors_exit_2_with_one_line(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, err = run_cli(capsys, "report", *args, "--out", tmp_path / "out")
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_broken_yaml(tmp_path, capsys):
    cfg = _config(tmp_path, "data:\n  customers: [c.csv\n")
    code, err = run_cli(capsys, "report", cfg, "--out", tmp_path / "out")
    assert code == 2 and "config.yml: not valid YAML at line" in err and len(err.splitlines()) == 1


def test_missing_data_file_fails_before_the_kernel(tmp_path, capsys):
    cfg = _config(tmp_path, "data:\n  customers: nowhere.csv\n")
    code, err = run_cli(capsys, "report", cfg, "--out", tmp_path / "out")
    assert code == 2 and "nowhere.csv: no such file" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("rows", "cell"), [(15, 10), (9, 5), (39, 20)],
                         ids=["just-over-one-cell", "under-two-small-cells", "one-short-of-two-cells"])
def test_a_table_too_small_for_two_segments_is_one_line_naming_table_count_and_cell_size(tmp_path, capsys,
                                                                                       rows, cell):
    rng = np.random.default_rng(rows)
    pd.DataFrame({"customer_id": range(rows), "Income": rng.normal(50, 10, rows).round(1),
                  "visits": rng.integers(0, 9, rows)}).to_csv(tmp_path / "shop.csv", index=False)
    cfg = _config(tmp_path, f"data:\n  customers: {tmp_path / 'shop.csv'}\nprivacy:\n  min_cell_size: {cell}\n")
    code, err = run_cli(capsys, "report", cfg, "--out", tmp_path / "out")
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith(f"error: shop.csv: {rows} customers to segment after cleaning, too few for two segments "
                          f"of at least privacy.min_cell_size = {cell} customers each; expected at least {2 * cell}")
    assert not (tmp_path / "out").exists()


def test_data_given_with_set_alone_needs_no_config_file(tmp_path, capsys):
    code, err = run_cli(capsys, "report", "--set", f"data.customers={tmp_path / 'nowhere.csv'}",
                        "--out", tmp_path / "out")
    assert code == 2 and "nowhere.csv: no such file" in err  # past the "no config" check, to the data


@pytest.mark.slow
def test_a_report_from_set_alone_is_named_after_its_data(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _customers().to_csv(tmp_path / "spring_customers.csv", index=False)
    code, err = run_cli(capsys, "report", "--set", "data.customers=spring_customers.csv",
                        "--set", "segmentation.n_bootstrap=2")
    assert code == 0, err
    assert (tmp_path / "reports" / "spring_customers" / "segments.csv").is_file()


def test_score_with_a_file_that_is_not_a_model(tmp_path, capsys):
    fake = tmp_path / "model.skops"
    fake.write_bytes(b"not a model at all")
    data = tmp_path / "c.csv"
    _customers(10).to_csv(data, index=False)
    code, err = run_cli(capsys, "score", fake, data, "--out", tmp_path / "scored.csv")
    assert code == 2 and "model.skops" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "scored.csv").exists()


# ----------------------------------------------------------------- errors found while reading the data (in the kernel)

def _write_inputs(folder: Path, case: str) -> Path:
    """Write the customer file for one failure case; return the config path."""
    data = folder / "customers.csv"
    extra = ""
    df = _customers()
    if case == "empty":
        data.write_bytes(b"")
    elif case == "header-only":
        data.write_text(",".join(df.columns) + "\n")
    elif case == "binary":
        data.write_bytes(bytes(range(256)) * 8)
    elif case == "text-in-number":
        df["Income"] = df["Income"].astype(object)
        df.loc[16, "Income"] = "lots"
        df.to_csv(data, index=False)
        extra = "columns:\n  demographics: [Income, Education]\n"
    elif case == "bad-response":
        df.loc[5, "Response"] = "maybe"
        df.to_csv(data, index=False)
        extra = "campaign:\n  response: Response\n"
    elif case == "unknown-column":
        df.to_csv(data, index=False)
        extra = "columns:\n  customer_id: CustomerNo\n"
    elif case == "too-many-segments":
        df.head(12).to_csv(data, index=False)
        extra = "segmentation:\n  n_segments: 15\n  k_max: 15\n"
    elif case == "bad-dates":
        log = folder / "orders.csv"
        pd.DataFrame({
            "customer": ["a", "b", "c", "a"],
            "ordered_at": ["2024-01-03", "2024-02-10", "someday", "2024-03-01"],
            "total": [10.0, 20.0, 5.0, 7.5],
        }).to_csv(log, index=False)
        return _config(folder, "data:\n  transactions: orders.csv\ncolumns:\n  date: ordered_at\n")
    return _config(folder, f"data:\n  customers: customers.csv\n{extra}")


CASES = {
    "empty": r"customers.csv.*empty",
    "header-only": r"customers.csv.*header but no rows",
    "binary": r"customers.csv.*(binary|not a text)",
    "text-in-number": r"customers.csv.*'Income'.*'lots'.*row 17",
    "bad-response": r"customers.csv.*'Response'.*'maybe'.*row 6",
    "unknown-column": r"'CustomerNo'",
    "too-many-segments": r"customers.csv: 12 customers cannot form 15 segments; expected .*n_segments of at most 11",
    "bad-dates": r"orders.csv.*'ordered_at'.*'someday'.*row 3",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_exits_2_and_leaves_nothing_behind(tmp_path, capsys, case):
    import re

    cfg = _write_inputs(tmp_path, case)
    before = _digest(tmp_path)
    out = tmp_path / "reports" / "out"
    code, err = run_cli(capsys, "report", cfg, "--out", out)
    assert code == 2, err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    assert re.search(CASES[case], err), err
    assert "Traceback" not in err
    assert _digest(tmp_path) == before  # inputs untouched
    assert not out.exists()
    leftovers = [p.name for p in out.parent.iterdir()] if out.parent.exists() else []
    assert all(not name.startswith(".out") for name in leftovers), leftovers


@pytest.mark.slow
def test_console_script_prints_no_traceback(tmp_path):
    cfg = _write_inputs(tmp_path, "header-only")
    exe = Path(sys.executable).with_name("segkit")
    proc = subprocess.run([str(exe), "report", str(cfg), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if not line.startswith("segkit: ")]
    assert len(errors) == 1 and errors[0].startswith("error: ") and "Traceback" not in proc.stderr



# ----------------------------------------------------------------- segkit inspect


def test_inspect_names_every_column_of_the_demo_and_what_would_be_clustered(capsys):
    code = main(["inspect", "--demo"])
    out = capsys.readouterr().out
    assert code == 0
    from segkit.datasets import make_demo

    demo = make_demo(50, random_state=0)
    for frame in (demo.customers, demo.transactions):
        for column in frame.columns:
            assert any(line.startswith(f"  {column} ") for line in out.splitlines()), column
    assert "Would be clustered on 15 features (bases: behavioural, value):" in out
    assert "Left out of clustering:" in out and "Data quality, customers (customers.csv):" in out


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_inspect_gives_the_same_one_line_errors_as_report(tmp_path, capsys, case):
    import re

    cfg = _write_inputs(tmp_path, case)
    before = _digest(tmp_path)
    code, err = run_cli(capsys, "inspect", cfg)
    assert code == 2, err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    assert re.search(CASES[case], err), err
    assert _digest(tmp_path) == before


@pytest.mark.parametrize(("args", "message"), [
    ((), r"^error: no config given; run `segkit inspect CONFIG.yml`"),
    (("--demo", "config.yml"), r"^error: give either a CONFIG file or --demo"),
    (("--demo", "--set", "segmentation.exclude=[recency_dayz]"),
     r"^error: segmentation.exclude: 'recency_dayz' is not a feature .*did you mean 'recency_days'\?$"),
], ids=["no-config", "config-and-demo", "unknown-exclude"])
def test_inspect_config_errors_are_one_line(capsys, args, message):
    import re

    code, err = run_cli(capsys, "inspect", *args)
    assert code == 2 and re.search(message, err) and len(err.splitlines()) == 1, err


@pytest.mark.slow
def test_report_prints_the_columns_before_it_starts_unless_quiet(tmp_path, capsys):
    cfg = _write_inputs(tmp_path, "too-many-segments")
    # 12 customers: segments of at least 4 (privacy.min_cell_size), so that the table is not refused as too small
    assert main(["report", str(cfg), "--out", str(tmp_path / "out"), "--set", "segmentation.n_segments=3",
                 "--set", "privacy.min_cell_size=4"]) == 0
    err = capsys.readouterr().err
    assert "segkit: columns as read" in err and "segkit:   customer id     ID" in err
    assert err.index("columns as read") < err.index("running segment_report.ipynb")
    # a bad config stops there, with the report's error, before a kernel runs anything
    assert main(["report", str(cfg), "--out", str(tmp_path / "out2"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "columns as read" not in err and err.startswith("error: customers.csv: 12 customers cannot form 15 segments")


# ----------------------------------------------------------------- segkit explain

@pytest.fixture(scope="module")
def fitted_model(tmp_path_factory):
    """A saved model of a small demo purchase log, and the log."""
    from segkit.config import make_config
    from segkit.datasets import make_demo
    from segkit.inputs import load_inputs
    from segkit.model import SegmentationModel

    folder = tmp_path_factory.mktemp("explain")
    paths = make_demo(300, random_state=2).write(folder)
    config = make_config({"data": {"transactions": str(paths["transactions"])},
                          "segmentation": {"n_segments": 3, "n_bootstrap": 0}})
    model = SegmentationModel(config).fit(load_inputs(config))
    model.rename({0: "Big spenders"})
    model.save(folder / "model.skops")
    return folder / "model.skops", paths["transactions"], model


def test_explain_prints_why_a_customer_is_in_their_segment(fitted_model, capsys):
    model_path, log, model = fitted_model
    customer = str(model.labels_.index[0])
    assert main(["explain", str(model_path), str(log), "--customer", customer]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"customer {customer}: segment {int(model.labels_.iloc[0])}")
    assert "runner-up: segment" in out and "margin" in out and "what pulls this customer" in out


def test_explain_names_an_unknown_customer_with_close_ids(fitted_model, capsys):
    model_path, log, model = fitted_model
    assert main(["explain", str(model_path), str(log), "--customer", "C0000001"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: transactions.csv: customer id 'C0000001' is not among its") and "did you mean" in err
    assert len(err.strip().splitlines()) == 1


@pytest.fixture
def data_folder(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "customers.csv").write_text("id,age\n1,30\n2,40\n")
    (tmp_path / "config.yml").write_text(f"data:\n  customers: {folder / 'customers.csv'}\n")
    return folder


@pytest.mark.parametrize("target", ["folder", "file"], ids=["folder-with-data", "existing-file"])
def test_out_that_is_not_a_report_folder_is_refused_before_running(data_folder, capsys, target):
    out = data_folder if target == "folder" else data_folder / "customers.csv"
    status = main(["report", str(data_folder.parent / "config.yml"), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1 and err.startswith(f"error: --out {out}")
    assert (data_folder / "customers.csv").read_text() == "id,age\n1,30\n2,40\n"


def test_a_command_that_read_data_with_duckdb_ends_with_one_line(tmp_path):
    # The command's fast exit (objects left to the operating system) made DuckDB's bindings
    # print "leaked 27 instances!" and a list of them after `segkit score`'s one error line.
    code = ("import sys, duckdb; duckdb.sql('select 42').fetchall(); import segkit.cli as cli; "
            f"sys.argv = ['segkit', 'compare', {str(tmp_path)!r}, {str(tmp_path)!r}]; sys.exit(cli.main())")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.startswith("error: ") and len(run.stderr.strip().splitlines()) == 1, run.stderr


# ----------------------------------------------------------------- faults (issue 19)

def _unwritable_parent(tmp_path: Path) -> Path:
    from tests.report.test_outputs import _unwritable_parent

    return _unwritable_parent(tmp_path)


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


COMMANDS = {
    "report": lambda out, tmp: ["report", "--demo", "--out", out / "report"],
    "score": lambda out, tmp: ["score", tmp / "model.skops", tmp / "new.csv", "--out", out / "scored.csv"],
    "compare": lambda out, tmp: ["compare", tmp / "old", tmp / "new", "--out", out / "comparison.json"],
}


@pytest.mark.parametrize("command", list(COMMANDS.values()), ids=list(COMMANDS))
def test_an_output_folder_that_cannot_be_written_is_one_line_exit_2(tmp_path, capsys, command):
    parent = _unwritable_parent(tmp_path)
    code, err = run_cli(capsys, *command(parent, tmp_path))
    assert code == 2 and str(parent) in _one_error_line(err) and "cannot write" in err


def test_compare_out_an_existing_folder_is_one_line_exit_2(tmp_path, capsys):
    code, err = run_cli(capsys, "compare", tmp_path / "old", tmp_path / "new", "--out", tmp_path)
    assert code == 2 and "is a folder; expected the path of the JSON file" in _one_error_line(err)


def test_a_stale_partial_folder_is_removed_by_the_next_run_into_the_parent(tmp_path, capsys):
    from tests.report.test_outputs import _dead_pid

    stale = tmp_path / f".report.{_dead_pid()}.abcd.partial"
    stale.mkdir()
    (stale / "report.ipynb").write_text("{}")
    code, _ = run_cli(capsys, "report", "--out", tmp_path / "other", "--set", f"data.customers={tmp_path}/none.csv")
    assert code == 2 and not stale.exists()


def _segkit(*args, **kwargs) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("segkit")
    return subprocess.Popen([str(exe), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, **kwargs)


def _wait_for_partial(parent: Path, proc: subprocess.Popen, timeout: float = 240) -> Path:
    """The hidden folder a running report is built in, once the run has made it (its kernel is
    then started and the notebook about to run). The executed notebook lands in it only at the
    end, for the fraction of a second before it is published: too short a moment to wait for."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        found = list(parent.glob(".report.*.partial"))
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no report being built in {parent} (exit {proc.poll()})")


def _customer_table(folder: Path) -> Path:
    """A customer table without a purchase log: a report on it is under way within seconds and
    runs its cells for a few more."""
    from segkit.datasets import make_demo

    path = folder / "customers.csv"
    make_demo(n_customers=1500, random_state=0).customers.to_csv(path, index=False)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("signum", [15, 2], ids=["SIGTERM", "SIGINT-to-the-group-as-ctrl-c"])
def test_a_stopped_run_publishes_nothing_and_exits_non_zero(tmp_path, signum):
    import os

    table = _customer_table(tmp_path)
    proc = _segkit("report", "--set", f"data.customers={table}", "--out", tmp_path / "report")
    partial = _wait_for_partial(tmp_path, proc)
    if signum == 2:
        os.killpg(proc.pid, signum)  # Ctrl-C reaches the kernel too
    else:
        os.kill(proc.pid, signum)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, err
    assert "nothing was published" in _one_error_line("\n".join(line for line in err.splitlines()
                                                                  if not line.startswith("segkit: ")))
    assert not (tmp_path / "report").exists() and not partial.exists()


@pytest.mark.slow
def test_a_killed_run_leaves_a_partial_folder_that_the_next_run_removes(tmp_path, capsys):
    import os
    import signal

    proc = _segkit("report", "--set", f"data.customers={_customer_table(tmp_path)}", "--out", tmp_path / "report")
    partial = _wait_for_partial(tmp_path, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert partial.exists() and not (tmp_path / "report").exists()
    code, _ = run_cli(capsys, "report", "--out", tmp_path / "next", "--set", f"data.customers={tmp_path}/none.csv")
    assert code == 2 and not partial.exists()


@pytest.mark.slow
def test_three_demo_reports_into_one_parent_at_once_are_whole_and_identical(tmp_path):
    """Each run writes the demo data into <parent>/demo-data while the others read it (three runs
    race as two would, on two cores; a fourth only added a minute)."""
    import json

    runs = [_segkit("report", "--demo", "--out", tmp_path / f"run{i}", "--set", "segmentation.n_bootstrap=2")
            for i in range(3)]
    for proc in runs:
        _, err = proc.communicate(timeout=1200)
        assert proc.returncode == 0, err
    summaries = [json.loads((tmp_path / f"run{i}" / "summary.json").read_text()) for i in range(3)]
    inputs = {tuple((i["label"], i["sha256"], i["rows"]) for i in s["inputs"]) for s in summaries}
    assert {s["n_customers"] for s in summaries} == {3000} and len(inputs) == 1
    assert dict((label, rows) for label, _, rows in next(iter(inputs))) == {"customers.csv": 3000,
                                                                           "transactions.csv": 63273}
    segments = {(tmp_path / f"run{i}" / "segments.csv").read_bytes() for i in range(3)}
    assert len(segments) == 1
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_the_command_ends_its_process_with_all_it_printed_and_its_status(tmp_path):
    # The command skips interpreter shutdown (os._exit); what it printed must still arrive
    # whole through a pipe, and its exit status must be the command's.
    (tmp_path / "customers.csv").write_text("id,age,spend\n" + "".join(f"{i},{20 + i % 50},{i * 3.5}\n" for i in range(60)))
    code = ("import sys; from segkit.cli import main; sys.argv = ['segkit', *sys.argv[1:]]; main(); "
            "print('not reached', file=sys.stderr)")
    runs = {name: subprocess.run([sys.executable, "-c", code, "inspect", "--set", f"data.customers={name}"],
                                 capture_output=True, text=True, timeout=300, cwd=tmp_path)
            for name in ("customers.csv", "missing.csv")}
    shown, refused = runs["customers.csv"], runs["missing.csv"]
    assert shown.returncode == 0, shown.stderr
    # the data-quality checks are the last lines inspect prints
    assert "duplicate customer ids: 0" in shown.stdout and shown.stdout.endswith("\n")
    assert "not reached" not in shown.stderr
    assert refused.returncode == 2 and refused.stderr.startswith("error: ") and "missing.csv" in refused.stderr
    assert "not reached" not in refused.stderr
