"""segkit.features.customers: each column becomes what its kind says, whatever its type."""

from __future__ import annotations

import numpy as np
import pandas as pd

from segkit.features import build_features
from segkit.io import detect_roles, standardise_customers

RNG = np.random.default_rng(5)
N = 200


def test_features_follow_the_kinds():
    frame = pd.DataFrame({
        "id": range(N), "Channel": RNG.choice([1, 2], N), "Region": RNG.choice([1, 2, 3], N),
        "Seat comfort": RNG.integers(0, 6, N), "Cleanliness": RNG.integers(0, 6, N), "day": RNG.integers(1, 32, N),
        "Partner": RNG.choice(["Yes", "No"], N), "SeniorCitizen": RNG.choice([0, 1], N),
        "Contract": RNG.choice(["Month-to-month", "One year"], N), "Churn": RNG.choice(["Sì", "No"], N),
        "spend": RNG.gamma(2, 40, N).round(2),
    })
    roles = detect_roles(frame, kind="customers")
    table = build_features(customers=standardise_customers(frame, roles), roles=roles, reference_year=2024)
    X = table.frame
    assert X["Channel"].dtype == "category" and not X["Channel"].cat.ordered
    assert list(X["Channel"].cat.categories) == ["1", "2"]
    assert X["Seat comfort"].cat.ordered and list(X["Seat comfort"].cat.categories) == list("012345")
    assert X["day"].cat.ordered and len(X["day"].cat.categories) == 31
    assert set(X["Partner"].dropna()) <= {0, 1} and set(X["SeniorCitizen"].dropna()) <= {0, 1}
    assert table.bases["Churn"] == "outcome" and set(X["Churn"].dropna()) <= {0, 1}
    assert table.kinds == {"Channel": "code", "Region": "code", "Seat comfort": "ordinal", "Cleanliness": "ordinal",
                           "day": "ordinal", "Partner": "flag", "SeniorCitizen": "flag", "Contract": "code",
                           "Churn": "flag", "spend": "money"}
