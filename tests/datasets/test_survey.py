"""The planted survey generator: seeded, and its ground truth matches its table."""

import pytest

from segkit.datasets.survey import BATTERIES, make_survey


@pytest.mark.parametrize("n, k", [(100, 2), (400, 5)], ids=["small-two-classes", "larger-five-classes"])
def test_a_planted_survey_is_seeded_and_its_truth_matches_its_table(n, k):
    a, b = make_survey(n, n_classes=k, random_state=7), make_survey(n, n_classes=k, random_state=7)
    assert a.table.equals(b.table) and a.truth.equals(b.truth)
    assert len(a.table) == n and a.truth.nunique() == k
    assert list(a.truth.index) == list(a.table["Respondent ID"])
    assert len(a.items) == sum(len(items) for items, _, _ in BATTERIES.values())
    assert (a.table["Trust in brands"] == 99).sum() == a.codes["Trust in brands"]
