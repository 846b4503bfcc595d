"""engine: spark against the one-machine (DuckDB) path, on a local Spark session.

The same report stages on both engines: the features, RFM segments and segments of every
customer must agree on real logs (CDNOW; one month of Online Retail, read where it is),
segments.csv must be byte-identical between two Spark runs, and bad input must give the
one-machine path's own one-line error.
"""

from __future__ import annotations

import builtins
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from segkit.config import load_config
from segkit.exceptions import ConfigError, DataError, SegkitWarning
from segkit.pipeline import Analysis

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore::FutureWarning")]

FAST = ["segmentation.n_bootstrap=2", "segmentation.k_max=5"]



def _segments(source: str, engine: str, out: Path, *extra: str) -> pd.DataFrame:
    config = load_config(None, overrides=[f"data.transactions={source}", f"engine={engine}", *FAST, *extra])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)
        paths = Analysis(config, verbose=False).write(out)
    return pd.read_csv(paths["segments"], dtype=str, keep_default_na=False)


@pytest.mark.parametrize("case", ["cdnow", "online_retail_month"],
                         ids=["whitespace_text_one_file", "csv_folder_glob_with_invoices"])
def test_spark_gives_the_duckdb_segments_and_rfm(spark, shared_data, tmp_path, case):
    source = {"cdnow": shared_data / "cdnow" / "CDNOW_master.txt",
              "online_retail_month": shared_data / "online_retail" / "by-day" / "2011-03-*.csv"}[case]
    spark_out = _segments(str(source), "spark", tmp_path / "spark")
    duck_out = _segments(str(source), "duckdb", tmp_path / "duckdb")
    quality = {e: json.loads((tmp_path / e / "summary.json").read_text())["data_quality"] for e in ("spark", "duckdb")}
    assert quality["spark"]["inputs"] == quality["duckdb"]["inputs"]  # the same checks, counts and examples
    cleaning = {e: pd.DataFrame(quality[e]["cleaning"]["entries"]).set_index("rule") for e in quality}
    pd.testing.assert_frame_equal(cleaning["spark"], cleaning["duckdb"], check_exact=False, rtol=1e-9)
    assert quality["spark"]["cleaning"]["rows_dropped"] == quality["duckdb"]["cleaning"]["rows_dropped"]
    assert spark_out["customer_id"].tolist() == duck_out["customer_id"].tolist()
    assert adjusted_rand_score(duck_out["segment"], spark_out["segment"]) >= 0.99
    assert (spark_out["rfm_segment"] == duck_out["rfm_segment"]).all()
    assert list(spark_out.columns) == ["customer_id", "segment", "segment_name", "rfm_segment"]


def _log(path: Path, n: int, bad: dict[int, str] | None = None) -> Path:
    """A log of ``n`` lines of 40 customers, with some lines replaced by ``bad`` ({row: line})."""
    lines = ["customer_id,date,amount"] + [f"c{i % 40:02d},2024-{1 + i % 12:02d}-{1 + i % 28:02d},{5 + i % 7}.5"
                                           for i in range(n)]
    for row, line in (bad or {}).items():
        lines[row] = line
    path.write_text("\n".join(lines) + "\n")
    return path


def test_more_customers_than_the_fit_sample_are_all_assigned_the_same_way_every_run(spark, tmp_path, monkeypatch):
    import segkit.spark.customers as customers

    monkeypatch.setattr(customers, "FIT_SAMPLE", 25)  # of 40 customers
    source = str(_log(tmp_path / "log.csv", 2_000))
    written = _segments(source, "spark", tmp_path / "a", "privacy.min_cell_size=3")
    _segments(source, "spark", tmp_path / "b", "privacy.min_cell_size=3")
    first, second = (tmp_path / "a" / "segments.csv").read_bytes(), (tmp_path / "b" / "segments.csv").read_bytes()
    assert first == second and first.startswith(b"customer_id,segment,segment_name,rfm_segment\n")
    assert written["customer_id"].tolist() == [f"c{i:02d}" for i in range(40)]  # every customer, in id order
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert summary["n_customers"] == 40 and summary["engine"]["fit_sample"] == 25
    assert sum(s["size"] for s in summary["segments"]) == 40
    assert any("sample of 25 of the 40 customers" in note for note in summary["notes"])
    assert not list((tmp_path / "a").glob(".*spark*"))  # no scratch left in the output folder


def test_a_bad_date_gives_the_one_machine_message(spark, tmp_path):
    # beyond the first 1,000 lines the driver standardises to learn the schema: found on an executor
    source = str(_log(tmp_path / "log.csv", 3_000, bad={2_500: "c09,not a date,5"}))
    messages = {}
    for engine in ("duckdb", "spark"):
        with pytest.raises(DataError) as err:
            _segments(source, engine, tmp_path / engine)
        messages[engine] = str(err.value)
    assert messages["spark"] == messages["duckdb"]
    assert "row 2500" in messages["spark"] and "'not a date'" in messages["spark"]


def test_engine_spark_without_pyspark_is_one_clear_line(tmp_path, monkeypatch):
    real = builtins.__import__

    def no_pyspark(name, *args, **kwargs):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    (tmp_path / "log.csv").write_text("customer_id,date,amount\na,2024-01-01,5\n")
    config = load_config(None, overrides=[f"data.transactions={tmp_path / 'log.csv'}", "engine=spark"])
    with pytest.raises(ConfigError, match=r"^engine: spark needs PySpark .*pip install 'segkit\[spark\]'"):
        Analysis(config, verbose=False).load()


def test_the_work_folders_of_a_run_go_when_its_objects_do(spark, tmp_path, monkeypatch):
    """The log's lines, the cleaned lines and every customer's row are Parquet folders Spark reads
    lazily: the cleaned lines go once the customers' rows are written, the others with the
    objects that read them (they filled the temporary folder run after run)."""
    import gc

    import segkit.spark.customers as customers
    import segkit.spark.read as read
    from segkit.spark import session

    made = []

    def recorded(prefix):
        made.append(session.work_folder(prefix))
        return made[-1]

    monkeypatch.setenv("SEGKIT_SPARK_TMP", str(tmp_path / "work"))
    (tmp_path / "work").mkdir()
    monkeypatch.setattr(read, "work_folder", recorded)
    monkeypatch.setattr(customers, "work_folder", recorded)
    _segments(str(_log(tmp_path / "log.csv", 500)), "spark", tmp_path / "out")
    gc.collect()
    assert len(made) == 3 and all(Path(m).parent == tmp_path / "work" for m in made)
    assert list((tmp_path / "work").iterdir()) == []
