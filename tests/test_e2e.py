"""End to end: `segkit report` on the demo and on the three real data sets, checked like acceptance.

The demo report is built once per session and shared by the contract check, the determinism
check and the headless-browser check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from segkit.cli import main
from tests.golden import compare_with_golden

ROOT = Path(__file__).resolve().parents[1]
CHECK_REPORT = ROOT.parent / "shared" / "tools" / "check_report.py"

pytestmark = pytest.mark.slow


def check_report(out: Path, *flags: str) -> str:
    if not CHECK_REPORT.exists():
        pytest.skip("../shared/tools/check_report.py not found")
    proc = subprocess.run([sys.executable, str(CHECK_REPORT), str(out), *flags], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "reports" / "demo"
    assert main(["report", "--demo", "--out", str(out), "--quiet"]) == 0
    return out


def test_demo_report_meets_the_contract(demo_report):
    line = check_report(demo_report, "--campaign", "--rfm", "--rows", "3000",
                        "--no-text", f"{demo_report.parent / 'demo-data' / 'customers.csv'}:email")
    assert line.startswith("ok")
    def strict(token):  # Python reads NaN and Infinity; JSON.parse, jq and CRM importers do not
        raise AssertionError(f"summary.json holds {token}, which is not JSON")

    summary = json.loads((demo_report / "summary.json").read_text(), parse_constant=strict)
    for key in ("inputs", "versions", "timings", "data_quality", "config", "k_selection", "stability"):
        assert summary[key]
    assert all(len(src["sha256"]) == 64 for src in summary["inputs"])


def test_demo_report_finds_the_planted_segments(demo_report):
    from sklearn.metrics import adjusted_rand_score

    from segkit.datasets import make_demo

    truth = make_demo(3000, random_state=0).truth
    seg = pd.read_csv(demo_report / "segments.csv", dtype={"customer_id": str}).set_index("customer_id")["segment"]
    ari = adjusted_rand_score(truth.reindex(seg.index), seg)
    assert ari >= 0.9, ari
    assert json.loads((demo_report / "summary.json").read_text())["n_segments"] == truth.nunique()


def test_demo_best_responders_ranked_first(demo_report):
    from segkit.datasets import make_demo

    demo = make_demo(3000, random_state=0)
    best_planted = demo.customers.groupby(demo.truth.reindex(demo.customers["customer_id"]).to_numpy())["response"].mean().idxmax()
    members = set(demo.truth[demo.truth == best_planted].index)
    seg = pd.read_csv(demo_report / "segments.csv", dtype={"customer_id": str})
    targeting = pd.read_csv(demo_report / "targeting.csv")
    top = targeting.sort_values("response_rate", ascending=False)["segment"].iloc[0]
    top_members = set(seg.loc[seg["segment"] == top, "customer_id"])
    assert len(top_members & members) / len(top_members) > 0.6


def test_same_command_twice_gives_identical_files(demo_report, tmp_path):
    again = tmp_path / "reports" / "demo"
    assert main(["report", "--demo", "--out", str(again), "--quiet"]) == 0
    for name in ("segments.csv", "profiles.csv", "targeting.csv"):
        assert (again / name).read_bytes() == (demo_report / name).read_bytes(), name


def test_demo_report_opens_offline_in_chromium(demo_report):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs it when run as root")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
        page = context.new_page()
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto((demo_report / "report.html").as_uri())
        page.wait_for_load_state("load")
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        headings = page.evaluate("Array.from(document.querySelectorAll('main h2')).map(h => h.textContent)")
        shot = ROOT / "reports" / "demo-report-screenshot.png"
        shot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert len(images) >= 8 and all(done and width > 0 for done, width in images), images
    text = " ".join(headings)
    for section in ("Key findings", "Data and quality", "Segment overview", "Demographics", "Behaviour", "Value",
                    "Campaign targeting", "Method and run details"):
        assert section in text, (section, headings)
    assert [u for u in requested if not u.startswith(("file:", "data:"))] == []
    assert (demo_report / "report.html").stat().st_size < 5_000_000


# ----------------------------------------------------------------- the real data sets

def _report(folder: Path, config: str, *extra: str) -> Path:
    cfg = folder / "config.yml"
    cfg.write_text(config, encoding="utf-8")
    out = folder / "out"
    assert main(["report", str(cfg), "--out", str(out), "--quiet", *extra]) == 0
    return out


@pytest.fixture(scope="module")
def marketing_campaign_report(tmp_path_factory, shared_data) -> Path:
    (path,) = [p for p in (shared_data / "marketing_campaign").iterdir() if p.name != "SOURCE.txt"]
    return _report(tmp_path_factory.mktemp("ifood"), f"title: iFood customers\ndata:\n  customers: {path}\n"
                                                     "campaign:\n  response: Response\n")


@pytest.fixture(scope="module")
def cdnow_report(tmp_path_factory, shared_data) -> Path:
    return _report(tmp_path_factory.mktemp("cdnow"),
                   f"title: CDNOW\ndata:\n  transactions: {shared_data / 'cdnow' / 'CDNOW_master.txt'}\n"
                   "cleaning:\n  drop_duplicates: false\n")


@pytest.fixture(scope="module")
def online_retail_report(tmp_path_factory, shared_data) -> Path:
    return _report(tmp_path_factory.mktemp("retail"),
                   f"title: Online Retail\ndata:\n  transactions: {shared_data / 'online_retail' / 'by-day'}\n")


def test_marketing_campaign_report(marketing_campaign_report):
    out = marketing_campaign_report
    check_report(out, "--campaign", "--rows", "2240")
    targeting = pd.read_csv(out / "targeting.csv")
    # economics read from the Z_CostContact / Z_Revenue columns: break-even 3/11
    assert (targeting["break_even_rate"].round(4) == round(3 / 11, 4)).all()
    # no purchase log, but spend per product category: their sum is the value of a segment
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Revenue figures use total spend: the sum of wine spend, fruit spend" in html
    assert "no revenue or lifetime value to show" not in html
    profiles = pd.read_csv(out / "profiles.csv")
    shares = profiles.query("metric == 'revenue_share'")["value"]
    assert len(shares) == summary["n_segments"] and shares.sum() == pytest.approx(1.0)


def test_cdnow_report(cdnow_report):
    check_report(cdnow_report, "--rfm", "--rows", "23570")


def test_online_retail_report(online_retail_report):
    out = online_retail_report
    check_report(out, "--rfm", "--min-customers", "4000")
    cleaning = json.loads((out / "summary.json").read_text())["data_quality"]["cleaning"]["entries"]
    rows = {e["rule"]: e["rows"] for e in cleaning}
    # the 5,268 exact duplicate lines, less the 43 of them without a customer id
    assert rows["duplicates"] == 5225
    assert rows["missing_customer_id"] == 135080 and rows["cancellations"] == 9288


@pytest.mark.parametrize("case", ["demo", "marketing_campaign", "cdnow", "online_retail"])
def test_report_files_match_the_golden_files(case, request):
    """The results of the four reference reports change only on purpose (see tests/golden.py)."""
    out = request.getfixturevalue(f"{case}_report")
    assert compare_with_golden(out, case) == []


@pytest.mark.parametrize("case", ["demo", "marketing_campaign", "cdnow", "online_retail"])
def test_scoring_the_report_inputs_gives_segments_csv_exactly(case, request, tmp_path):
    """`segkit score` runs the report's own fitted model on the raw inputs: the same rows, ids,
    segments and names as segments.csv, whatever the data set."""
    from segkit.model import SegmentationModel

    out = request.getfixturevalue(f"{case}_report")
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))["config"]["data"]
    tables = SegmentationModel.load(out / "model.skops").tables_
    args = [data["customers"], "--transactions", data["transactions"]] if len(tables) == 2 else [data[tables[0]]]
    scored_path = tmp_path / "scored.csv"
    assert main(["score", str(out / "model.skops"), *map(str, args), "--out", str(scored_path)]) == 0
    scored = pd.read_csv(scored_path, dtype={"customer_id": str})
    original = pd.read_csv(out / "segments.csv", dtype={"customer_id": str})
    pd.testing.assert_frame_equal(scored, original[["customer_id", "segment", "segment_name"]])


def test_batch_report_by_column(tmp_path, rng):
    n = 260
    customers = pd.DataFrame({
        "Customer Ref": [f"K{i:05d}" for i in range(n)],
        "Region": ["North"] * 116 + ["North "] * 2 + ["north"] * 2 + ["South"] * 120 + ["Islands"] * 12 + [None] * 8,
        "Annual Spend": rng.gamma(2.0, 400.0, n).round(2),
        "Visits": rng.poisson(6, n),
        "Basket Size": rng.gamma(3.0, 20.0, n).round(2),
    })
    customers.to_csv(tmp_path / "customers.csv", index=False)
    cfg = tmp_path / "config.yml"
    cfg.write_text("title: Regions\ndata:\n  customers: customers.csv\ncolumns:\n  customer_id: Customer Ref\n"
                   "segmentation:\n  n_bootstrap: 5\nreport:\n  by_min_customers: 50\n")
    out = tmp_path / "by-region"
    assert main(["report", str(cfg), "--by", "Region", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["North", "South", "index.html", "model.skops"]  # the shared segmentation
    for region in ("North", "South"):
        check_report(out / region, "--rows", "120")
    index = (out / "index.html").read_text()
    # 'North ' and 'north' are North; customers without a region are listed, not silently left out
    assert 'href="North/report.html"' in index and "Islands (12)" in index and "(no value) (8)" in index
    # next month's batch compares each region with its own earlier report
    again = tmp_path / "by-region-next"
    assert main(["report", str(cfg), "--by", "Region", "--out", str(again), "--quiet",
                 "--set", f"monitor.previous={out}"]) == 0
    for region in ("North", "South"):
        previous = json.loads((again / region / "summary.json").read_text())["previous_run"]
        assert previous["old"] == region and previous["folder"] == str(out / region)
        assert "Changes since the previous run" in (again / region / "report.html").read_text()


def test_demo_report_shows_rules_and_no_raw_dict(demo_report):
    html = (demo_report / "report.html").read_text(encoding="utf-8")
    assert "How to recognise each segment" in html and "fidelity" in html
    assert "customers per segment: {" not in html and "{0: " not in html
    rules = pd.read_csv(demo_report / "segment_rules.csv")
    assert rules.columns.tolist() == ["segment", "segment_name", "rule", "customers", "precision", "coverage"]
    summary = json.loads((demo_report / "summary.json").read_text(encoding="utf-8"))
    assert summary["rules"]["fidelity"] >= 0.9
    sql = (demo_report / "segment_rules.sql").read_text(encoding="utf-8")
    assert "CASE" in sql and sql.rstrip().endswith("END")


@pytest.mark.slow
def test_report_on_a_french_semicolon_latin1_export(tmp_path, rng):
    n = 400
    table = pd.DataFrame({
        "N° client": [f"C{i:05d}" for i in range(n)], "Sexe": rng.choice(["Homme", "Femme"], n),
        "Âge": rng.integers(18, 85, n),
        "Revenu annuel": [f"{v:.2f}".replace(".", ",") for v in rng.lognormal(10.3, 0.4, n)],
        "Dépenses vins": [f"{v:.2f}".replace(".", ",") for v in rng.gamma(1.5, 80, n)],
        "Nb achats web": rng.poisson(4, n), "Région": rng.choice(["Bretagne", "Occitanie", "Île-de-France"], n),
        "Réponse campagne": rng.choice(["oui", "non"], n, p=[0.2, 0.8]),
    })
    table.to_csv(tmp_path / "clients.csv", sep=";", index=False, encoding="latin-1")
    (tmp_path / "config.yml").write_text("data:\n  customers: clients.csv\ncampaign:\n  response: Réponse campagne\n",
                                         encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "segkit.cli", "report", str(tmp_path / "config.yml"), "--out",
                           str(out), "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    if not CHECK_REPORT.exists():
        pytest.skip("../shared/tools/check_report.py not found")
    check = subprocess.run([sys.executable, str(CHECK_REPORT), str(out), "--campaign", "--rows", str(n)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    segments = pd.read_csv(out / "segments.csv", dtype={"customer_id": str})
    assert segments["customer_id"].iloc[0] == "C00000"


# ----------------------------------------------------------------- --by through the report kernel

def test_report_by_places_every_batch_in_one_shared_segmentation(tmp_path):
    """`segkit report --by`: one segmentation fitted on all customers, each value's report shows its
    own customers in those segments, with the same ids and names, and the index compares them."""
    import numpy as np

    rng = np.random.default_rng(7)
    n = 360
    group = rng.integers(0, 2, n)  # two planted segments, in both regions
    pd.DataFrame({
        "Customer Ref": [f"K{i:04d}" for i in range(n)],
        "Region": np.where(np.arange(n) % 2 == 0, "North", "South"),
        "Income": np.where(group == 1, 80_000, 30_000) + rng.normal(0, 4_000, n).round(),
        "Visits": np.where(group == 1, 20, 4) + rng.integers(0, 3, n),
    }).to_csv(tmp_path / "shop.csv", index=False)
    cfg = tmp_path / "config.yml"
    cfg.write_text(f"title: Shop\ndata:\n  customers: {tmp_path / 'shop.csv'}\ncolumns:\n  customer_id: Customer Ref\n"
                   "segmentation:\n  n_bootstrap: 3\nreport:\n  by_min_customers: 100\n", encoding="utf-8")
    out = tmp_path / "by-region"
    assert main(["report", str(cfg), "--by", "Region", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["North", "South", "index.html", "model.skops"]
    tables = {r: pd.read_csv(out / r / "segments.csv", dtype={"customer_id": str}) for r in ("North", "South")}
    for region, table in tables.items():
        assert len(table) == n // 2 and table["customer_id"].is_unique
        summary = json.loads((out / region / "summary.json").read_text(encoding="utf-8"))
        assert any("placed in the segments of one segmentation fitted on all customers" in note
                   for note in summary["notes"])
    names = pd.concat(tables.values()).groupby("segment")["segment_name"].nunique()
    assert (names == 1).all()  # segment 0 is called the same in both regions
    assert set(tables["North"]["segment"]) == set(tables["South"]["segment"]) == {0, 1}
    assert "The values compared" in (out / "index.html").read_text(encoding="utf-8")
