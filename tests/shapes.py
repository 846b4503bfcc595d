"""Small tables in the shapes of real data, shared by the tests of several modules."""

from __future__ import annotations

import numpy as np
import pandas as pd


def crm_export(n_per_group: int = 60, seed: int = 6) -> pd.DataFrame:
    """A CRM export: web shoppers buy little, store customers more, phone customers most."""
    rng = np.random.default_rng(seed)
    groups = np.repeat([0, 1, 2], n_per_group)
    n = len(groups)
    return pd.DataFrame({
        "CustomerID": [f"C{1000 + i}" for i in range(n)],
        "Age": rng.normal(np.array([30, 45, 60])[groups], 4).round().astype(int),
        "Region": rng.choice(["North", "South", "East", "West"], n),
        "Channel": np.array(["web", "store", "phone"])[groups],
        "OrdersLastYear": rng.poisson(np.array([2, 6, 14])[groups]),
        "SpendLastYear": rng.gamma(4, np.array([30, 150, 500])[groups]).round(2),
        "Responded": (rng.random(n) < np.array([0.05, 0.15, 0.4])[groups]).astype(int),
    })


def two_segments(n: int = 40) -> pd.Series:
    """Labels of customers ``c0`` .. ``c{n-1}``: the first half in segment 0, the second in segment 1."""
    return pd.Series([0] * (n // 2) + [1] * (n // 2), index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"),
                     name="segment")


AGREE = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
AGREE_7 = ["Strongly disagree", "Disagree", "Somewhat disagree", "Neutral", "Somewhat agree", "Agree",
           "Strongly agree"]


def three_answers(seed, sizes=(300, 300, 200)):
    """Segments that differ only in one answer: Agree, Strongly agree, Strongly disagree; spend is noise."""
    rng = np.random.default_rng(seed)
    answer = np.repeat(["Agree", "Strongly agree", "Strongly disagree"], sizes)
    X = pd.DataFrame({"recommend": pd.Categorical(answer, categories=AGREE, ordered=True),
                      "spend": rng.normal(100.0, 20.0, len(answer))},
                     index=pd.Index([f"c{i}" for i in range(len(answer))], name="customer_id"))
    return X, np.repeat([0, 1, 2], sizes)


def seven_point(seed, n=300, questions=3, sd=0.8):
    """Three segments centred at Strongly disagree, Neutral and Strongly agree on a 7-point scale;
    each answer is the centre plus normal noise (sd in scale steps), rounded and clipped."""
    rng = np.random.default_rng(seed)
    truth = np.repeat([0, 1, 2], n)
    centre = np.array([0, 3, 6])[truth]
    X = pd.DataFrame({
        f"q{j}": pd.Categorical(np.array(AGREE_7)[np.clip(np.rint(centre + rng.normal(0, sd, len(truth))), 0, 6)
                                                   .astype(int)], categories=AGREE_7, ordered=True)
        for j in range(questions)})
    return X, truth


def unordered(X):
    """The same table with the ordered columns as plain text (what one-hot coding sees)."""
    return X.astype({c: object for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)})
