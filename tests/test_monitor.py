"""Monitoring two runs: stable ids, migration, PSI drift, alerts, and `segkit compare`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segkit.cli import main
from segkit.config import load_config
from segkit.exceptions import DataError
from segkit.monitor import (
    GONE_LABEL,
    NEW_LABEL,
    align_segments,
    compare,
    compare_runs,
    feature_reference,
    migration_matrix,
    psi,
    reference_drift,
    stable_ids,
)
from segkit.segment import Segmenter
from segkit.pipeline import Analysis

FAST = ["segmentation.n_bootstrap=2", "segmentation.k_max=4"]


def _ids(n: int, start: int = 0) -> list[str]:
    return [f"c{i:05d}" for i in range(start, start + n)]


# ----------------------------------------------------------------------------- PSI


def test_psi_matches_the_formula_and_is_symmetric_in_the_textbook_case():
    old, new = np.array([0.25, 0.25, 0.5]), np.array([0.2, 0.3, 0.5])
    expected = sum((n - o) * math.log(n / o) for o, n in zip(old, new))
    assert psi(old, new) == pytest.approx(expected)
    assert psi(old, new) == pytest.approx(psi(new, old))
    assert psi([10, 10], [10, 10]) == 0.0
    assert math.isfinite(psi([2, 0], [0, 2]))  # empty bins count as half a customer, not infinite


def test_psi_rejects_mismatched_bins():
    with pytest.raises(ValueError, match="same non-zero length"):
        psi([0.5, 0.5], [1.0])


# ----------------------------------------------------------------------------- ids, migration


def test_relabelled_segments_get_their_old_ids_back():
    rng = np.random.default_rng(0)
    old = pd.Series(rng.integers(0, 4, 400), index=_ids(400))
    permutation = {0: 2, 1: 3, 2: 0, 3: 1}
    new = old.map(permutation)
    mapping = align_segments(old, new)
    assert mapping == {new_id: old_id for old_id, new_id in permutation.items()}
    assert (new.map(mapping) == old).all()


def test_a_new_segment_without_counterpart_gets_a_fresh_id():
    old = pd.Series([0] * 50 + [1] * 50, index=_ids(100))
    # segment 1 splits in two halves; the second half becomes a new segment 2
    new = pd.Series([0] * 50 + [1] * 25 + [2] * 25, index=_ids(100))
    mapping = align_segments(old, new)
    assert mapping[0] == 0 and mapping[1] == 1 and mapping[2] == 2
    unrelated = pd.Series([5] * 100, index=_ids(100))
    # one new segment holding everyone overlaps old 0 with Jaccard 0.5: it keeps id 0
    assert align_segments(old, unrelated) == {5: 0}


def test_runs_without_shared_customers_are_an_error():
    with pytest.raises(DataError, match="no customer id in common"):
        align_segments(pd.Series([0, 1], index=["a", "b"]), pd.Series([0, 1], index=["x", "y"]))


def test_migration_matrix_counts_movers_newcomers_and_leavers():
    old = pd.Series([0, 0, 0, 1, 1], index=["a", "b", "c", "d", "e"])
    new = pd.Series([0, 1, 1, 1, 0], index=["a", "b", "c", "d", "f"])
    m = migration_matrix(old, new)
    assert m.loc[0, 0] == 1 and m.loc[0, 1] == 2 and m.loc[1, 1] == 1
    assert m.loc[1, GONE_LABEL] == 1  # e left
    assert m.loc[NEW_LABEL, 0] == 1  # f arrived
    assert int(m.to_numpy().sum()) == 6


# ----------------------------------------------------------------------------- references, drift


def test_reference_keeps_no_bin_smaller_than_the_cell_size():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({
        "spend": rng.gamma(2, 50, 250),
        "channel": ["web"] * 200 + ["store"] * 45 + ["kiosk"] * 5,
        "email": [f"p{i}@x.org" for i in range(250)],
        "first_purchase": pd.date_range("2024-01-01", periods=250, freq="D"),
    })
    ref = feature_reference(frame, min_cell_size=10)
    assert len(ref["spend"]["values"]) == 24  # 250 // 10 = 25 steps, 24 inner quantiles
    assert min(ref["spend"]["values"]) > frame["spend"].min() and max(ref["spend"]["values"]) < frame["spend"].max()
    assert ref["channel"]["levels"] == ["(other)", "store", "web"]  # 5 kiosk customers pooled
    assert "email" not in ref and "first_purchase" not in ref
    json.dumps(ref)  # lands in summary.json


def test_drift_is_stable_for_a_resample_and_major_for_a_shift():
    rng = np.random.default_rng(2)
    base = pd.DataFrame({"spend": rng.lognormal(4, 1, 20_000), "orders": rng.poisson(3, 20_000),
                         "channel": rng.choice(["web", "store"], 20_000, p=[0.6, 0.4])})
    same = pd.DataFrame({"spend": rng.lognormal(4, 1, 20_000), "orders": rng.poisson(3, 20_000),
                         "channel": rng.choice(["web", "store"], 20_000, p=[0.6, 0.4])})
    shifted = pd.DataFrame({"spend": rng.lognormal(4.6, 1, 20_000), "orders": rng.poisson(3, 20_000),
                            "channel": rng.choice(["web", "store"], 20_000, p=[0.3, 0.7])})
    a, b, c = (feature_reference(f) for f in (base, same, shifted))
    stable = reference_drift(a, b)
    assert (stable["level"] == "stable").all() and stable["psi"].max() < 0.01
    drift = reference_drift(a, c)
    assert drift.loc["spend", "level"] == "major" and drift.loc["channel", "level"] == "major"
    assert drift.loc["orders", "level"] == "stable"
    assert drift.loc["spend", "new_median"] > drift.loc["spend", "old_median"] * 1.5
    assert drift.loc["channel", "changed_most"] in {"store 40% -> 70%", "web 60% -> 30%"}
    # The PSI read off stored quantiles is close to the PSI on the raw data in the same bins.
    cut = np.quantile(base["spend"], np.arange(1, 10) / 10)
    exact = psi(np.histogram(base["spend"], np.r_[-np.inf, cut, np.inf])[0],
                np.histogram(shifted["spend"], np.r_[-np.inf, cut, np.inf])[0])
    assert drift.loc["spend", "psi"] == pytest.approx(exact, rel=0.05)


# ----------------------------------------------------------------------------- comparison, alerts


def test_comparison_reports_stable_ids_size_changes_and_alerts():
    old = pd.Series([0] * 60 + [1] * 40, index=_ids(100))
    # new run: ids swapped; 20 of old 0 moved to old 1; 10 customers gone, 30 new (all in old 1)
    new_ids = _ids(90) + _ids(30, start=100)
    new = pd.Series([1] * 40 + [0] * 20 + [0] * 30 + [0] * 30, index=new_ids)
    result = compare(old, new, old_names={0: "Loyal", 1: "Bargain"}, new_names={0: "Bargain hunters", 1: "Loyal"})
    assert result.mapping == {0: 1, 1: 0}
    assert result.sizes.loc[0, "old_share"] == pytest.approx(0.6)
    assert result.sizes.loc[0, "new_share"] == pytest.approx(40 / 120)
    assert result.sizes.loc[0, "stayed"] == pytest.approx(40 / 60)
    assert result.sizes.loc[1, "new_name"] == "Bargain hunters"
    assert result.migration.loc[NEW_LABEL].sum() == 30 and result.migration[GONE_LABEL].sum() == 10
    assert any("shrank from 60% to 33%" in a for a in result.alerts)
    assert any("grew from 40% to 67%" in a for a in result.alerts)
    assert repr(result).startswith("Comparison('old' -> 'new': 90 returning customers")
    payload = result.to_dict()
    assert payload["mapping"] == {"0": 1, "1": 0} and json.dumps(payload, allow_nan=False)


def test_a_quiet_refresh_raises_no_alert():
    rng = np.random.default_rng(3)
    old = pd.Series(rng.integers(0, 3, 3000), index=_ids(3000))
    new = old.copy()
    flip = rng.random(3000) < 0.02
    new[flip] = (new[flip] + 1) % 3
    result = compare(old, new)
    assert result.alerts == [] and result.size_psi < 0.01


# ----------------------------------------------------------------------------- report folders, CLI


def _customers(n: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 3, n)
    return pd.DataFrame({
        "ID": np.arange(1, n + 1),
        "Income": (rng.normal(40_000, 6_000, n) + group * 25_000 + shift).round(0),
        "MntWines": (rng.gamma(2, 40, n) * (1 + 3 * group)).round(0),
        "NumStorePurchases": rng.poisson(2 + 4 * group),
        "Education": rng.choice(["Basic", "Graduation", "PhD"], n),
    })


def _run(tmp_path: Path, name: str, table: pd.DataFrame, *more: str) -> Path:
    data = tmp_path / f"{name}.csv"
    table.to_csv(data, index=False)
    config = load_config(None, overrides=[*FAST, f"data.customers={data}", "segmentation.n_segments=3", *more])
    run = Analysis(config, verbose=False)
    for stage in ("load", "build_features", "segment", "profile", "changes"):
        getattr(run, stage)()
    out = tmp_path / name
    run.write(out)
    return out


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("runs")
    first = _run(tmp, "2026-10", _customers(600, seed=1))
    second = _run(tmp, "2026-11", _customers(600, seed=1, shift=30_000))
    return first, second


def test_summary_carries_a_feature_reference(two_runs):
    summary = json.loads((two_runs[0] / "summary.json").read_text())
    ref = summary["feature_reference"]
    assert {"Income", "MntWines", "Education"} <= set(ref)
    assert "ID" not in ref and "customer_id" not in ref


def test_compare_runs_finds_the_income_shift(two_runs):
    result = compare_runs(*two_runs)
    assert result.old_label == "2026-10" and result.new_label == "2026-11"
    assert result.drift.loc["Income", "level"] == "major"
    assert result.drift.loc["MntWines", "level"] == "stable"
    assert any(a.startswith("Feature Income shifted") for a in result.alerts)


def test_segkit_compare_prints_and_writes_json(two_runs, tmp_path, capsys):
    out = tmp_path / "cmp" / "comparison.json"
    assert main(["compare", str(two_runs[0]), str(two_runs[1]), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("2026-10 -> 2026-11: 600 returning customers, 0 new, 0 gone.")
    assert "Feature Income shifted" in printed
    assert json.loads(out.read_text())["new"] == "2026-11"


def test_segkit_compare_piped_into_head_ends_quietly(two_runs):
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("segkit")
    # A reader that has stopped reading before segkit writes (`| head -1` once it has its
    # line): `true` exits at once, so the write meets a closed pipe.
    proc = subprocess.run(
        f"'{exe}' compare '{two_runs[0]}' '{two_runs[1]}' | true; echo \"${{PIPESTATUS[0]}}\"",
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=120,
    )
    assert proc.stdout.strip() == "0"  # segkit's exit status
    assert "BrokenPipe" not in proc.stderr and "error" not in proc.stderr, proc.stderr


def test_segkit_compare_errors_are_one_line(two_runs, tmp_path, capsys):
    assert main(["compare", str(two_runs[0]), str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "segments.csv: not found" in err and "\n" not in err
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "segments.csv").write_text("customer_id,segment\n1,zero\n", encoding="utf-8")
    (broken / "summary.json").write_text("{}", encoding="utf-8")
    assert main(["compare", str(two_runs[0]), str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert "column 'segment'" in err and "'zero' at row 2" in err


# ----------------------------------------------------------------------------- stable ids in a new run


@pytest.mark.parametrize("algorithm", ["kmeans", "gmm", "hdbscan"])
def test_relabel_keeps_the_model_consistent(algorithm):
    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal(c, 0.5, (120, 2)) for c in (0, 5, 10)])
    seg = Segmenter(n_segments="auto" if algorithm == "hdbscan" else 3, algorithm=algorithm, n_bootstrap=3).fit(X)
    before = seg.labels_.copy()
    k = seg.n_segments_
    perm = np.roll(np.arange(k), 1)
    seg.relabel(perm)
    assert (seg.labels_ == perm[before]).all()
    assert (seg.predict(X) == seg.labels_).all()
    assert set(seg.stability_["per_segment"]) == set(range(k))
    with pytest.raises(ValueError, match="permutation"):
        seg.relabel([0] * k)


def test_stable_ids_keep_ids_in_range_and_follow_the_customers():
    old = pd.Series([0] * 30 + [1] * 30 + [2] * 30 + [3] * 10, index=_ids(100))
    # the new run has three segments: old 3 vanished, old 1 is now id 0, old 2 is id 1, old 0 is id 2
    new = pd.Series([2] * 30 + [0] * 30 + [1] * 40, index=_ids(100))
    assert stable_ids(old, new).tolist() == [1, 2, 0]


def test_a_refreshed_report_continues_the_previous_ids(tmp_path):
    first_table = _customers(600, seed=2)
    first = _run(tmp_path, "before", first_table, "segmentation.random_state=0")
    old = pd.read_csv(first / "segments.csv", dtype={"customer_id": str}).set_index("customer_id")["segment"]
    # The refresh loses most of the old largest segment, so numbering by size alone would
    # shuffle the ids; with monitor.previous they follow the customers.
    biggest = old.value_counts().idxmax()
    keep = ~(old.reindex(first_table["ID"].astype(str)).to_numpy() == biggest) | (np.arange(600) % 4 == 0)
    plain = _run(tmp_path, "plain", first_table[keep], "segmentation.random_state=3")
    followed = _run(tmp_path, "followed", first_table[keep], "segmentation.random_state=3",
                    f"monitor.previous={first}")
    kept_id = {}
    for folder in (plain, followed):
        new = pd.read_csv(folder / "segments.csv", dtype={"customer_id": str}).set_index("customer_id")["segment"]
        kept_id[folder.name] = (new == old.reindex(new.index)).mean()
    # measured: 1% of customers keep their id without it, 89% with it (the rest really moved)
    assert kept_id["plain"] < 0.5 < 0.8 < kept_id["followed"]
    summary = json.loads((followed / "summary.json").read_text())
    assert summary["previous_run"]["old"] == "before" and summary["previous_run"]["folder"] == str(first)
    assert summary["previous_run"]["alerts"], "the biggest segment shrank: there must be an alert"


def test_an_id_reused_for_other_customers_is_said_so():
    # a report keeps ids 0..k-1: with one segment fewer, id 1 may be handed to other customers
    old = pd.Series([0] * 40 + [1] * 20 + [2] * 40, index=_ids(100))
    new = pd.Series([0] * 40 + [0] * 18 + [1] * 2 + [1] * 40, index=_ids(100))
    result = compare(old, new, align=False, old_names={1: "Gamers"}, new_names={1: "Readers"})
    assert not result.sizes.loc[1, "continues"] and result.sizes.loc[0, "continues"]
    assert any(a.startswith("Segment 1 now holds other customers: 42% of customers, Readers, most of them from "
                            "the earlier segment 2; the earlier segment 1 (Gamers) held 20%") for a in result.alerts)
    assert not any("grew" in a and "Segment 1" in a for a in result.alerts)


def test_migration_plot_hides_small_cells_and_names_both_runs():
    from segkit.plots import plot_migration

    old = pd.Series([0] * 60 + [1] * 60, index=_ids(120))
    new = pd.Series([0] * 55 + [1] * 5 + [1] * 60, index=_ids(120))
    ax = plot_migration(migration_matrix(old, new), names={0: "Now A", 1: "Now B"}, old_names={0: "Was A", 1: "Was B"},
                        min_cell_size=10)
    written = [t.get_text() for t in ax.texts]
    assert "55" in written and "60" in written and "5" not in written
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["0: Was A", "1: Was B"]
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["0: Now A", "1: Now B"]


# ----------------------------------------------------------------------------- empty bins in the PSI
# An empty bin counts as half a customer of its run (share 0.5 / n), so the PSI of a vanished
# or new segment depends on how many customers the runs hold, not on a constant floor.


@pytest.mark.parametrize(("n", "expected"), [
    # old 60/30/10 %, new 70/30/0 %: 0.1 ln(0.7/0.6) + (0.5/n - 0.1) ln(0.5/n / 0.1)
    (1000, 0.1 * math.log(7 / 6) + 0.0995 * math.log(200)),   # 0.5426 (a 1e-4 floor: 0.7055)
    (100, 0.1 * math.log(7 / 6) + 0.095 * math.log(20)),      # 0.3000 (a 1e-4 floor: 0.7055)
], ids=["1000 customers", "100 customers"])
def test_a_vanished_segment_counts_as_half_a_customer(n, expected):
    ids = _ids(n)
    old = pd.Series([0] * (6 * n // 10) + [1] * (3 * n // 10) + [2] * (n // 10), index=ids)
    new = pd.Series([0] * (6 * n // 10) + [1] * (3 * n // 10) + [0] * (n // 10), index=ids)
    result = compare(old, new)
    assert result.size_psi == pytest.approx(expected, rel=1e-12)
    assert psi([6, 3, 1], [7, 3, 0], n=(n, n)) == pytest.approx(expected, rel=1e-12)
    assert any(a.startswith("Segment 2 is gone: it held 10% of customers") for a in result.alerts)
    assert any(a.startswith(f"The segment mix shifted: PSI {expected:.2f} (major)") for a in result.alerts)


def test_a_new_segment_counts_as_half_of_one_old_customer():
    """800 old customers (500/300); the new run adds 200 customers in a new segment."""
    old = pd.Series([0] * 500 + [1] * 300, index=_ids(800))
    new = pd.Series([0] * 500 + [1] * 300 + [2] * 200, index=_ids(1000))
    result = compare(old, new)
    expected = (0.5 - 0.625) * math.log(0.5 / 0.625) + (0.3 - 0.375) * math.log(0.3 / 0.375) \
        + (0.2 - 0.5 / 800) * math.log(0.2 / (0.5 / 800))  # 1.1947 (a 1e-4 floor: 1.5640)
    assert result.size_psi == pytest.approx(expected, rel=1e-12)
    assert any(a.startswith("New segment 2: 20% of customers") for a in result.alerts)


def test_psi_of_shares_with_an_empty_bin_needs_the_number_of_customers():
    assert psi([0.9, 0.1], [1.0, 0.0], n=(100, 100)) == pytest.approx(psi([90, 10], [100, 0]), rel=1e-12)
    with pytest.raises(ValueError, match="empty bin"):
        psi([0.9, 0.1], [1.0, 0.0])


def test_feature_psi_uses_the_same_half_customer_rule():
    """A level that vanished and a numeric feature that moved past the old maximum."""
    old = pd.DataFrame({"channel": ["web"] * 600 + ["store"] * 300 + ["phone"] * 100, "spend": np.arange(1000.0)})
    new = pd.DataFrame({"channel": ["web"] * 700 + ["store"] * 300, "spend": np.arange(1000.0) + 5000})
    drift = reference_drift(feature_reference(old), feature_reference(new))
    # the same shares as the vanished segment of 1000 customers above
    assert drift.loc["channel", "psi"] == pytest.approx(0.1 * math.log(7 / 6) + 0.0995 * math.log(200), rel=1e-9)
    # old deciles 10 % each; new: nine empty deciles (0.5 / 1000 each) and all in the top one
    expected = 9 * (0.1 - 0.0005) * math.log(0.1 / 0.0005) + 0.9 * math.log(10)  # 6.817 (a 1e-4 floor: 8.283)
    assert drift.loc["spend", "psi"] == pytest.approx(expected, rel=1e-9)
    assert drift.loc["spend", "level"] == drift.loc["channel", "level"] == "major"
