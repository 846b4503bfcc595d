"""Study: which algorithm recovers planted survey classes, and do factors or centring help?

Run by hand (not in the tests)::

    .venv/bin/python benchmarks/bench_survey.py [--quick]

Each case is a planted survey from :func:`segkit.datasets.survey.make_survey` (three item
batteries on 1-5, 0-5 and 1-7 scales, a rare "not applicable" 0, a "99" don't-know code,
"Prefer not to say", a multi-select question, text scales), with a known number of classes,
noise level and respondents. It is read the way ``segkit report`` reads it (roles detected,
codes made missing, features built), and the rated items (the psychographic basis) are
clustered with k given (the planted k) by:

* ``kmeans``, ``kprototypes`` and ``latent_class`` (segkit's backends through ``Segmenter``);
* each of them on the items **centred** on every respondent's own mean answer (scale-use bias
  removed), and on **factors** (principal components of the standardised items, as many as
  explain 70% of the variance): segkit's own ``survey.centre`` and ``survey.factors``
  (:class:`segkit.features.batteries.ItemBatteries`), exactly as a report applies them.

Scored by the adjusted Rand index (ARI) against the planted classes; the planted scale-use bias
(``bias``: each respondent shifts every answer by a personal offset) is what centring is for.
Writes ``benchmarks/results/survey.md``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from keep_notes import write_results

from segkit.datasets.survey import make_survey  # noqa: E402
from segkit.features.batteries import ItemBatteries  # noqa: E402
from segkit.features.build import build_features  # noqa: E402
from segkit.io import detect_roles, standardise_customers  # noqa: E402
from segkit.segment import Segmenter  # noqa: E402

ALGORITHMS = ("kmeans", "kprototypes", "latent_class")
SPACES = ("items", "centred", "factors")


def _with_bias(table: pd.DataFrame, items: list[str], bias: float, seed: int) -> pd.DataFrame:
    """Each respondent shifts every rated answer by a personal offset (scale-use bias), clipped to the scale."""
    if not bias:
        return table
    rng = np.random.default_rng(seed + 1000)
    shift = np.rint(rng.normal(0, bias, len(table)))
    out = table.copy()
    for item in items:
        values = out[item]
        answer = values.where(values.between(1, 7))  # codes (0, 99) stay as they are
        low, high = answer.min(), answer.max()
        out[item] = values.where(answer.isna(), (answer + shift).clip(low, high)).astype(values.dtype)
    return out


def _spaces(items: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The items as segkit clusters them, centred (``survey.centre``) and as factors (``survey.factors``)."""
    return {
        "items": items,
        "centred": ItemBatteries(centre=True).fit_transform(items),
        "factors": ItemBatteries(factors=True).fit_transform(items),
    }


def run_case(n: int, k: int, noise: float, bias: float, seed: int) -> list[dict]:
    data = make_survey(n, n_classes=k, noise=noise, random_state=seed)
    table = _with_bias(data.table, data.items, bias, seed)
    roles = detect_roles(table, kind="customers")
    features = build_features(customers=standardise_customers(table, roles), roles=roles)
    items = features.select(basis=["psychographic"])
    items = items[[c for c in items.columns if isinstance(items[c].dtype, pd.CategoricalDtype)]]
    truth = data.truth.loc[items.index].to_numpy()
    rows = []
    for space, X in _spaces(items).items():
        for algorithm in ALGORITHMS:
            started = time.perf_counter()
            seg = Segmenter(n_segments=k, algorithm=algorithm, n_bootstrap=0, random_state=0).fit(X)
            rows.append({"n": n, "k": k, "noise": noise, "bias": bias, "seed": seed, "space": space,
                         "algorithm": algorithm, "ari": adjusted_rand_score(truth, seg.labels_),
                         "seconds": time.perf_counter() - started})
    return rows


def _md(frame: pd.DataFrame, index: bool = True) -> str:
    """A Markdown table (no tabulate needed)."""
    frame = frame.reset_index() if index else frame
    head = [str(c) for c in frame.columns]
    rows = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer cases")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    grid = [(n, k, noise, bias, seed)
            for n in ((300, 1000) if not args.quick else (300,))
            for k in (3, 5)
            for noise in (0.15, 0.3)
            for bias in (0.0, 1.0)
            for seed in ((0, 1) if not args.quick else (0,))]
    started = time.perf_counter()
    rows = [row for case in grid for row in run_case(*case)]
    results = pd.DataFrame(rows)
    took = time.perf_counter() - started
    by = results.pivot_table(index=["space", "algorithm"], values="ari", aggfunc="mean").round(3)
    by_bias = results.pivot_table(index=["space", "algorithm"], columns="bias", values="ari", aggfunc="mean").round(3)
    by_noise = results.pivot_table(index=["space", "algorithm"], columns="noise", values="ari", aggfunc="mean").round(3)
    wins = (results.loc[results.groupby(["n", "k", "noise", "bias", "seed"])["ari"].idxmax(), ["space", "algorithm"]]
            .value_counts().rename("cases won"))
    seconds = results.pivot_table(index="algorithm", values="seconds", aggfunc="mean").round(3)
    lines = [
        "# Planted surveys: which algorithm recovers the classes (ARI)",
        "",
        f"`{' '.join(['.venv/bin/python', 'benchmarks/bench_survey.py', *sys.argv[1:]])}` on "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}; "
        f"{len(grid)} planted surveys x {len(SPACES)} spaces x {len(ALGORITHMS)} algorithms in {took:.0f} s.",
        "",
        f"Cases: respondents in {{{', '.join(str(n) for n in sorted({g[0] for g in grid}))}}}, planted classes k "
        "in {3, 5} (k given), noise 0.15 or 0.3 of the scale, scale-use bias 0 or 1 point (sd), "
        f"{len({g[4] for g in grid})} seed(s); 18 rated items in three batteries with codes for "
        "no answer, read as `segkit report` reads them. `items` = the ordinal items as segkit clusters them; "
        "`centred` = `survey.centre` (each respondent's answers minus their own mean); `factors` = "
        "`survey.factors` (principal components explaining 70% of the variance); both are "
        "`segkit.features.batteries.ItemBatteries`, as a report applies them.",
        "",
        "## Mean ARI", "", _md(by), "",
        "## Mean ARI by scale-use bias (points, sd)", "", _md(by_bias), "",
        "## Mean ARI by noise", "", _md(by_noise), "",
        "## Best space and algorithm per case", "", _md(wins.to_frame()), "",
        "## Seconds per fit (mean)", "", _md(seconds), "",
        "## All cases", "", _md(results.round(3), index=False), "",
    ]
    out = ROOT / "benchmarks" / "results" / ("survey-quick.md" if args.quick else "survey.md")
    write_results(out, "\n".join(lines))
    print("\n".join(lines[:40]))


if __name__ == "__main__":
    main()
