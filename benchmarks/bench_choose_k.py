"""Study: how often does ``Segmenter``'s choice of k recover a planted k, and do tie-breaks help?

Run by hand (not in the tests)::

    .venv/bin/python benchmarks/bench_choose_k.py [--quick]

Every case is a seeded table with a known number of segments (or none). Each is fitted once
with ``Segmenter()``'s defaults (stability screen on); ``package`` is the k it chose, and its
``k_selection_`` table holds the raw indices and the screen for every k, to which each rule
below is applied, so the rules are compared on identical fits:

* ``mean rank`` -- mean rank of silhouette, Calinski-Harabasz, Davies-Bouldin and elbow among
  the eligible k; ties: higher silhouette, then smaller k (main's rule).
* ``votes`` -- those four indices each vote for their best eligible stable k; most votes win,
  ties: higher silhouette, then smaller k (the package's rule where the BIC has no minimum).
* ``lowest BIC`` -- the lowest mixture BIC among the eligible stable k (this branch's rule
  before: it keeps adding segments where the BIC keeps falling).

The package: where the BIC has a minimum (it rises over at least two larger k) it decides,
else ``votes`` (``segkit.segment.selection.rank_k``). The real tables (iFood's
marketing_campaign through the report's feature step, the demo, and a planted 7-point survey
coded as positions and one-hot) are fitted the same way.
Writes ``benchmarks/results/choose_k.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from keep_notes import write_results

from segkit.exceptions import SegkitWarning  # noqa: E402
from segkit.segment import Segmenter  # noqa: E402
from segkit.segment.selection import INDICES  # noqa: E402

SHARED = Path(os.environ.get("SEGKIT_SHARED_DATA", ROOT.parent / "shared" / "data"))


# ------------------------------------------------------------------ planted data
def _centres(rng, k, d, spreads, min_gap):
    """Centres in [-6, 6]^d whose every pair is at least ``min_gap`` x the pair's mean spread
    (within-segment sd) apart."""
    iu = np.triu_indices(k, 1)
    pair = ((spreads[:, None] + spreads[None, :]) / 2)[iu]
    for _ in range(5000):
        centres = rng.uniform(-6, 6, size=(k, d))
        gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2)[iu]
        if (gaps / pair).min() >= min_gap:
            return centres
    raise RuntimeError(f"no centres for k={k}, d={d}, min_gap={min_gap}")


def blobs(k, seed, *, n=1000, d=6, n_noise=2, min_gap=4.0, unequal_spread=True):
    """Gaussian blobs of unequal sizes (1:4) and, optionally, spreads (sd 0.6-1.6)."""
    rng = np.random.default_rng(seed)
    shares = rng.permutation(np.linspace(1.0, 4.0, k))
    sizes = np.maximum(np.round(shares / shares.sum() * n).astype(int), 10)
    spreads = rng.uniform(0.6, 1.6, size=k) if unequal_spread else np.ones(k)
    centres = _centres(rng, k, d, spreads, min_gap)
    X = np.vstack([rng.normal(centres[i], spreads[i], size=(sizes[i], d)) for i in range(k)])
    y = np.repeat(np.arange(k), sizes)
    if n_noise:
        X = np.hstack([X, rng.normal(0.0, X[:, :d].std(axis=0).mean(), size=(len(X), n_noise))])
    order = rng.permutation(len(X))
    return pd.DataFrame(X[order], columns=[f"x{i}" for i in range(X.shape[1])]), y[order]


def mixed(k, seed, *, n=1000, d=4, n_cat=2, levels=4, purity=0.8):
    """Blobs in ``d`` numeric columns plus ``n_cat`` categories whose modal level depends on
    the segment (``purity`` of its customers have it, the rest are spread over the levels)."""
    X, y = blobs(k, seed, n=n, d=d, n_noise=1)
    rng = np.random.default_rng(seed + 10_000)
    for c in range(n_cat):
        modal = rng.integers(0, levels, size=k)
        keep = rng.random(len(X)) < purity
        X[f"cat{c}"] = np.where(keep, modal[y], rng.integers(0, levels, size=len(X)))
        X[f"cat{c}"] = "L" + X[f"cat{c}"].astype(str)
    return X, y


def no_structure(seed, *, n=1000, d=4, shape="gaussian"):
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n, d)) if shape == "uniform" else rng.normal(size=(n, d))
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(d)]), None


def cases(quick: bool):
    """(name, shape, planted k or 0, maker) for every case; all seeded."""
    out = []
    seeds = (0, 1) if quick else (0, 1, 2)
    for k in range(2, 8):
        for seed in seeds:
            # equal spreads, features 2..12 in turn, 0-3 noise columns
            d = (2, 4, 6, 8, 12)[(k + seed) % 5]
            noise = (0, 1, 2, 3)[(k + 2 * seed) % 4]
            out.append((f"blobs k={k} d={d}+{noise} s{seed}", "blobs, equal spread", k,
                        lambda k=k, s=seed, d=d, m=noise: blobs(k, 100 + s, d=d, n_noise=m, unequal_spread=False)))
            d = (3, 5, 8, 10, 12)[(k + seed) % 5]
            out.append((f"unequal k={k} d={d}+2 s{seed}", "blobs, unequal spread", k,
                        lambda k=k, s=seed, d=d: blobs(k, 200 + s, d=d, n_noise=2)))
            out.append((f"close k={k} d=6+2 s{seed}", "blobs, close (gap 3 sd)", k,
                        lambda k=k, s=seed: blobs(k, 300 + s, d=6, n_noise=2, min_gap=3.0)))
            out.append((f"mixed k={k} 4 num+2 cat s{seed}", "mixed numeric + categorical", k,
                        lambda k=k, s=seed: mixed(k, 400 + s)))
    # unequal spreads gave the most ties on mean rank: three more seeds of that shape
    for k in range(2, 8):
        for seed in () if quick else (3, 4, 5):
            d = (3, 5, 8, 10, 12)[(k + seed) % 5]
            out.append((f"unequal k={k} d={d}+2 s{seed}", "blobs, unequal spread", k,
                        lambda k=k, s=seed, d=d: blobs(k, 200 + s, d=d, n_noise=2)))
    for seed in seeds:
        for shape in ("gaussian", "uniform"):
            out.append((f"none {shape} s{seed}", "no structure", 0,
                        lambda s=seed, shape=shape: no_structure(500 + s, shape=shape)))
    return out


# ------------------------------------------------------------------ rules
FOUR = ("silhouette", "calinski_harabasz", "davies_bouldin", "elbow")


def pools(table: pd.DataFrame, min_share: float = 0.02, threshold: float = 0.6):
    """The eligible k, and the eligible k whose weakest segment held up in the stability screen."""
    eligible = table["smallest_share"] >= min_share
    eligible = eligible if eligible.any() else pd.Series(True, index=table.index)
    stable = eligible & (table["stability_min"] >= threshold) if "stability_min" in table else eligible
    return eligible, stable if stable.any() else eligible


def ranks(table: pd.DataFrame, pool: pd.Series) -> pd.DataFrame:
    """Per-index ranks of the four distance indices among the ``pool`` k."""
    out = {}
    for name in FOUR:
        column = table[name].where(pool)
        if column.notna().any():
            r = column.rank(ascending=not INDICES[name], method="min")
            r[pool & column.isna()] = pool.sum()
            out[name] = r
    return pd.DataFrame(out)[pool]


def _best(frame: pd.DataFrame, keys: list[str], ascending: list[bool]) -> int:
    return int(frame.reset_index(drop=True).sort_values(keys, ascending=ascending)["k"].iloc[0])


def choose(table: pd.DataFrame, rule: str) -> int:
    eligible, stable = pools(table)
    if rule == "lowest BIC":  # this branch's rule before: the lowest BIC among stable k
        return int(table.loc[stable, "bic"].idxmin())
    pool = eligible if rule == "mean rank" else stable
    r = ranks(table, pool)
    frame = pd.DataFrame({"score": r.mean(axis=1), "votes": (r == 1).sum(axis=1),
                          "sil": table.loc[pool, "silhouette"].fillna(-np.inf), "k": r.index.to_numpy()})
    if rule == "mean rank":  # main's rule: mean rank over the four indices, ties by silhouette
        return _best(frame, ["score", "sil", "k"], [True, False, True])
    return _best(frame, ["votes", "sil", "k"], [False, False, True])  # votes alone, no BIC


def tied_ks(table: pd.DataFrame) -> list[int]:
    """The k sharing the most votes of the four indices (one k when there is no tie)."""
    _, stable = pools(table)
    votes = (ranks(table, stable) == 1).sum(axis=1)
    return [int(k) for k in votes.index[votes == votes.max()]]


def tied(table: pd.DataFrame) -> bool:
    return len(tied_ks(table)) > 1


RULES = ("mean rank", "votes", "lowest BIC")


# ------------------------------------------------------------------ real data
def real_tables():
    """The feature tables the report segments: iFood's marketing_campaign and the demo."""
    from segkit.features.bases import default_basis
    from segkit.pipeline import Analysis, demo_config

    out = {}
    path = SHARED / "marketing_campaign" / "marketing_campaign.csv"
    if path.exists():
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="choose-k-"))
        cfg = folder / "config.yml"
        cfg.write_text(f"title: iFood\ndata:\n  customers: {path}\ncampaign:\n  response: Response\n")
        out["iFood marketing_campaign (report features)"] = Analysis(cfg, verbose=False)
    out["demo (make_demo, 3,000 customers)"] = Analysis(demo_config(), verbose=False)
    from tests.shapes import seven_point, unordered

    tables = {}
    for seed in (0, 1):
        X, _ = seven_point(seed)
        tables[f"7-point survey, 3 planted (positions) s{seed}"] = X
        tables[f"7-point survey, 3 planted (one-hot) s{seed}"] = unordered(X)
    for name, pipe in out.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pipe.build_features()
            basis = pipe.config["segmentation"].get("basis") or default_basis(pipe.features)
            tables[name] = pipe.features.select(basis=[basis] if isinstance(basis, str) else basis)
    return tables


# ------------------------------------------------------------------ run
def fit(X, **params):
    """The package's defaults, stability screen included (it needs the bootstraps)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SegkitWarning)
        return Segmenter(**params).fit(X)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two seeds instead of three")
    parser.add_argument("--out", default=HERE / "results" / "choose_k.md", type=Path)
    parser.add_argument("--tables", type=Path, help="also pickle every case's k table here (to study rules)")
    args = parser.parse_args(argv)
    rows, kept = [], {}
    start = time.perf_counter()
    for name, shape, k, make in cases(args.quick):
        X, y = make()
        seg = fit(X)
        table = seg.k_selection_
        kept[name] = (k, table, seg.structure_["level"])
        if args.tables:
            pd.to_pickle(kept, args.tables)
        row = {"case": name, "shape": shape, "planted": k, "package": seg.n_segments_, "tied": tied(table),
               "bic_minimum": bool(table["bic_minimum"].any()),
               "planted_in_tie": k in tied_ks(table),
               "ari": adjusted_rand_score(y, seg.labels_) if y is not None else np.nan,
               "structure": seg.structure_["level"]}
        row.update({rule: choose(table, rule) for rule in RULES})
        rows.append(row)
        print(f"{name:32s} planted {k}  " + "  ".join(f"{r}: {row[r]}" for r in RULES)
              + f"  package {row['package']}{'  TIE' if row['tied'] else ''}", flush=True)
    results = pd.DataFrame(rows)
    seconds = time.perf_counter() - start

    real = []
    for name, X in real_tables().items():
        seg = fit(X)
        row = {"data": name, "rows x features": f"{X.shape[0]:,} x {X.shape[1]}", "package": seg.n_segments_,
               "tied": tied(seg.k_selection_), "structure": seg.structure_["level"]}
        row.update({rule: choose(seg.k_selection_, rule) for rule in RULES})
        real.append(row)
        print(name, row, flush=True)
    write(args.out, results, pd.DataFrame(real), seconds)
    return results


def write(path: Path, results: pd.DataFrame, real: pd.DataFrame, seconds: float):
    planted = results[results["planted"] > 0]
    lines = [
        "# Choosing k: recovery of a planted number of segments",
        "",
        f"`benchmarks/bench_choose_k.py`; {len(results)} seeded cases ({len(planted)} with planted k = 2..7, "
        f"{len(results) - len(planted)} without structure), 1,000 rows each, `Segmenter()` "
        f"defaults (k = 2..10, stability screen on); {platform.machine()}, Python {platform.python_version()}, "
        f"{seconds:.0f} s for the fits.",
        "",
        "Each case is fitted once; every rule is applied to the same `k_selection_` table. "
        "`package` is what `segkit.segment` chose: where the mixture BIC has a minimum (it rises over at least "
        "two larger k by 0.5% of its range) that k, else the most votes of silhouette, Calinski-Harabasz, "
        "Davies-Bouldin and elbow among the k whose segments held up under the bootstrap screen. `mean rank` is "
        "main's rule, `votes` the vote alone, `lowest BIC` the lowest BIC among stable k (this branch's rule "
        "before). Ties are ties on votes.",
        "",
        "## Planted k recovered (share of cases)",
        "",
        "| shape | cases | ties on votes | " + " | ".join(RULES) + " | package |",
        "|---|---:|---:|" + "---:|" * (len(RULES) + 1),
    ]
    groups = list(planted.groupby("shape", sort=False)) + [("**all planted**", planted)]
    for shape, g in groups:
        cells = [f"{(g[r] == g['planted']).mean():.0%} ({(g[r] == g['planted']).sum()})" for r in (*RULES, "package")]
        lines.append(f"| {shape} | {len(g)} | {int(g['tied'].sum())} | " + " | ".join(cells) + " |")
    ties = planted[planted["tied"]]
    lines += ["", "## Ties on votes", "",
              f"{len(ties)} of {len(planted)} planted cases had two or more k tied on the most votes; in "
              f"{int(ties['planted_in_tie'].sum())} of them the planted k was among the tied k. Planted k chosen:", "",
              "| ties | cases | " + " | ".join(RULES) + " |", "|---|---:|" + "---:|" * len(RULES)]
    for label, g in (("planted k among the tied k", ties[ties["planted_in_tie"]]), ("all ties", ties)):
        lines.append(f"| {label} | {len(g)} | " + " | ".join(f"{(g[r] == g['planted']).sum()}" for r in RULES) + " |")
    lines += ["", "## By planted k (all shapes)", "",
              "| planted k | cases | " + " | ".join(RULES) + " |", "|---:|---:|" + "---:|" * len(RULES)]
    for k, g in planted.groupby("planted"):
        lines.append(f"| {k} | {len(g)} | " + " | ".join(f"{(g[r] == k).sum()}" for r in RULES) + " |")
    diff = results[(results[list(RULES)].nunique(axis=1) > 1)]
    lines += ["", "## Cases where the rules disagree", "",
              "| case | planted | tie | " + " | ".join(RULES) + " | package |", "|---|---:|---|" + "---:|" * (len(RULES) + 1)]
    for _, r in diff.iterrows():
        lines.append(f"| {r['case']} | {r['planted'] or '-'} | {'yes' if r['tied'] else ''} | "
                     + " | ".join(str(r[x]) for x in (*RULES, "package")) + " |")
    none = results[results["planted"] == 0]
    lines += ["", "## No structure", "",
              "| case | " + " | ".join(RULES) + " | package | structure (package) |", "|---|" + "---:|" * (len(RULES) + 1) + "---|"]
    for _, r in none.iterrows():
        lines.append(f"| {r['case']} | " + " | ".join(str(r[x]) for x in (*RULES, "package")) + f" | {r['structure']} |")
    lines += ["", "## Real data", "",
              "| data | rows x features | tie | " + " | ".join(RULES) + " | package | structure (package) |",
              "|---|---|---|" + "---:|" * (len(RULES) + 1) + "---|"]
    for _, r in real.iterrows():
        lines.append(f"| {r['data']} | {r['rows x features']} | {'yes' if r['tied'] else ''} | "
                     + " | ".join(str(r[x]) for x in (*RULES, "package")) + f" | {r['structure']} |")
    best = {r: int((planted[r] == planted["planted"]).sum()) for r in RULES}
    package = int((planted["package"] == planted["planted"]).sum())
    by_bic = int(planted["bic_minimum"].sum())
    under = int((planted["mean rank"] < planted["planted"]).sum())
    bic_right = int((planted["bic_minimum"] & (planted["package"] == planted["planted"])).sum())
    lines += ["", "## Reading", "",
              f"- Planted k recovered: package {package}/{len(planted)} (goal 75); "
              + ", ".join(f"{r} {n}/{len(planted)}" for r, n in best.items()) + ".",
              f"- The BIC had a minimum in {by_bic} of {len(planted)} planted cases and decided them ({bic_right} "
              f"right); the votes decided the other {len(planted) - by_bic}.",
              "- Silhouette, Calinski-Harabasz and Davies-Bouldin merge planted segments of unequal size or "
              f"spread (`mean rank` took too few segments in {under} of its {len(planted) - best['mean rank']} "
              "misses); the mixture BIC (`segkit.segment.likelihood`) does not. But on answers on a scale and "
              "heavy-tailed spend the BIC keeps falling (`lowest BIC` takes more segments than planted on the "
              "demo, and 6 on iFood against 2 for every other rule; without the stability screen it took 9-10 "
              "on the 7-point surveys), so it decides only where it turns.",
              "- The misses left are mostly blobs in 2-5 signal columns beside 2-3 noise columns, where the "
              "planted blobs overlap after standardising and the stability screen rules out the planted k, and "
              "mixed tables where the BIC takes one segment more.",
              "- Structureless data: the verdict stays 'none' whatever k is chosen."]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_results(path, "\n".join(lines) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
