"""Survey weights (segkit.io.weights and survey.weight): the column read and checked, the effective
sample size, and the weight column kept out of clustering and profiles; on generated surveys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.config import make_config
from segkit.datasets.survey import make_survey
from segkit.exceptions import DataError
from segkit.inputs import load_inputs
from segkit.io.weights import effective_size, survey_weights


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 100.0), min_size=1, max_size=40), st.floats(0.1, 50.0))
def test_the_effective_size_is_at_most_n_and_ignores_the_scale_of_the_weights(weights, factor):
    w = np.array(weights)
    n_eff = effective_size(w)
    assert 1.0 - 1e-9 <= n_eff <= len(w) + 1e-9
    assert effective_size(w * factor) == pytest.approx(n_eff)


def test_equal_weights_count_every_respondent():
    assert effective_size(np.full(37, 2.5)) == pytest.approx(37.0)


def _survey_csv(tmp_path, weights, *, name="Survey weight", n=120):
    table = make_survey(n, n_classes=3, random_state=3).table
    table[name] = list(weights)[:n] + [1.0] * max(0, n - len(list(weights)))
    path = tmp_path / "survey.csv"
    table.to_csv(path, index=False)
    return path


BAD_WEIGHTS = [
    pytest.param(["-2"], "1 negative weight (e.g. -2 at row 1)", id="negative-weight"),
    pytest.param(["1.5", "heavy"], "1 missing or non-numeric weight (e.g. 'heavy' at row 2)", id="text-weight"),
    pytest.param(["1", "2", ""], "missing or non-numeric weight", id="blank-weight"),
    pytest.param(["0"] * 120, "has every weight 0", id="all-zero-weights"),
]


@pytest.mark.parametrize(("weights", "message"), BAD_WEIGHTS)
def test_a_bad_weight_column_is_one_error_naming_file_column_and_value(tmp_path, weights, message):
    path = _survey_csv(tmp_path, weights)
    config = make_config({"data": {"customers": str(path)}, "survey": {"weight": "Survey weight"}})
    with pytest.raises(DataError) as err:
        load_inputs(config)
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith("survey.csv: column 'Survey weight' has ")
    assert message in text
    assert "expected survey.weight to name a column of numbers >= 0" in text


def test_a_weight_column_that_is_not_there_suggests_the_closest_name(tmp_path):
    path = _survey_csv(tmp_path, [1.0] * 120)
    config = make_config({"data": {"customers": str(path)}, "survey": {"weight": "Survey weigth"}})
    with pytest.raises(Exception, match="Survey weight"):
        load_inputs(config)


def test_the_weight_column_is_a_role_never_a_feature(tmp_path):
    rng = np.random.default_rng(0)
    weights = rng.integers(1, 5, 120).astype(float)  # small whole numbers read like a rating
    path = _survey_csv(tmp_path, weights)
    config = make_config({"data": {"customers": str(path)}, "survey": {"weight": "Survey weight"}})
    inputs = load_inputs(config)
    assert inputs.customer_roles.columns["Survey weight"].role == "weight"
    assert all("Survey weight" not in getattr(inputs.customer_roles, g) for g in
               ("demographics", "behaviour", "psychographics", "technographics", "outcomes"))
    assert inputs.weights.tolist() == weights.tolist()
    assert inputs.weights.index.tolist() == inputs.customers["customer_id"].tolist()


def test_survey_weights_index_by_customer_id():
    table = pd.DataFrame({"customer_id": ["r1", "r2"], "w": [0.5, 2]})
    out = survey_weights(table, "w")
    assert out.to_dict() == {"r1": 0.5, "r2": 2.0}
