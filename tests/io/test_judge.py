"""segkit.io.judge (through detect_roles): one scored decision per column, name and values weighed.

Each shape of column the issue found misread is a small hand-built table here; families of
columns (yes/no answers in seven languages, months, bands, ratings) are generated with a seed,
so a rule is tested on the family, not on one file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ConfigError, DataError
from segkit.io import ColumnRoles, detect_roles, standardise_customers
from segkit.schema import CALL_ROLES, KINDS

RNG = np.random.default_rng(14)
N = 240


def _pick(levels, n: int = N, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    return list(rng.choice(np.array(levels, dtype=object), n))


def _calls(table: pd.DataFrame, **given) -> dict:
    return detect_roles(table, kind="customers", given=given or None).columns


def _call(table: pd.DataFrame, column, **given):
    return _calls(table, **given)[column]


# ------------------------------------------------------------------------- every column gets one call


def test_every_column_gets_a_call_in_the_vocabulary():
    table = pd.DataFrame({"id": range(N), "Age": RNG.integers(18, 80, N), "Churn": _pick(["Yes", "No"]),
                          "Notes": [f"called about order {i} and the delivery" for i in range(N)]})
    roles = detect_roles(table, kind="customers")
    assert list(roles.columns) == list(table.columns)
    for call in roles.columns.values():
        assert call.role in CALL_ROLES["customers"] and call.kind in KINDS and call.evidence
    assert ColumnRoles(**roles.to_dict()).columns == roles.columns  # the calls survive JSON


# ------------------------------------------------------------------------- a name is only a hint


def test_a_day_of_the_month_beside_month_names_is_ordinal_not_a_date():
    table = pd.DataFrame({"day": RNG.integers(1, 32, N), "month": _pick(["jan", "feb", "mar", "may", "dec", "nov"]),
                          "balance": RNG.normal(1500, 900, N).round(2)})
    calls = _calls(table)
    assert (calls["day"].role, calls["day"].kind) == ("behaviour", "ordinal")
    assert calls["day"].evidence.startswith(f"name says day; {N} values from 1 to 31 do not parse as dates "
                                            "-> day of the month, ordinal")
    assert calls["month"].kind == "ordinal" and "months" in calls["month"].evidence


@pytest.mark.parametrize(("name", "values", "kind", "role"), [
    ("Departure/Arrival time convenient", list(range(6)) * 40, "ordinal", "psychographics"),
    ("App_Usage_Time_(min/day)", list(RNG.integers(30, 600, N)), "quantity", "behaviour"),
    ("Screen On Time (hours/day)", list(RNG.uniform(1, 12, N).round(1)), "quantity", "behaviour"),
    ("last login time", [f"2024-0{m}-1{d} 10:0{d}:00" for m in range(1, 7) for d in range(10)] * 4, "date", "date"),
], ids=["rating-named-time", "minutes-named-time", "hours-named-time", "timestamps-named-time"])
def test_a_name_with_time_is_what_its_values_are(name, values, kind, role):
    call = _call(pd.DataFrame({"id": range(N), name: values[:N]}), name)
    assert (call.kind, call.role) == (kind, role), call.evidence


@pytest.mark.parametrize(("name", "values"), [
    ("Channel", [1, 2, 2, 1] * 60), ("Region", [1, 2, 3] * 80), ("SEX", [1, 2] * 120), ("EDUCATION", [1, 2, 3, 4] * 60),
    ("canal", [1, 2] * 120), ("codiceStatoCivile", [1, 2, 3] * 80), ("região", [1, 2, 3] * 80),
    ("zip", list(RNG.integers(10_000, 99_999, 40)) * 6),
], ids=["channel", "region", "sex", "education", "channel-es", "marital-it", "region-pt", "postcode"])
def test_numbers_that_label_things_are_codes(name, values):
    assert _call(pd.DataFrame({"id": range(N), name: values}), name).kind == "code"


@pytest.mark.parametrize(("name", "values", "kind"), [
    ("orders", RNG.integers(1, 40, N), "count"), ("Tenure", RNG.integers(0, 10, N), "count"),
    ("Customer service calls", RNG.integers(0, 8, N), "count"), ("Account Age Days", RNG.integers(1, 240, N), "count"),
    ("Age", RNG.integers(18, 85, N), "quantity"), ("Work_Experience", RNG.integers(0, 14, N), "quantity"),
    ("Spending Score (1-100)", RNG.integers(1, 100, N), "quantity"), ("CreditScore", RNG.integers(350, 850, N), "quantity"),
    ("MonthlyCharges", RNG.normal(65, 20, N).round(2), "money"), ("EstimatedSalary", RNG.normal(9e4, 2e4, N), "money"),
    ("total intl calls", RNG.integers(0, 160, N), "count"), ("share online", RNG.uniform(0, 1, N).round(3), "share"),
], ids=["orders", "tenure", "service-calls", "account-age-days", "age", "work-experience", "spending-score",
        "credit-score", "monthly-charges", "salary", "total-calls", "share"])
def test_a_number_is_money_a_count_a_quantity_or_a_share_by_what_its_name_says(name, values, kind):
    assert _call(pd.DataFrame({"id": range(N), name: values}), name).kind == kind


# ------------------------------------------------------------------------- flags, scales, bands


YES_NO = {"en": ("Yes", "No"), "fr": ("Oui", "Non"), "de": ("Ja", "Nein"), "es": ("Sí", "No"), "it": ("Sì", "No"),
          "pt": ("Sim", "Não"), "nl": ("Ja", "Nee"), "01": (1, 0), "tf": ("True", "False"), "yn": ("y", "n")}


@pytest.mark.parametrize("form", YES_NO, ids=YES_NO.keys())
def test_yes_no_answers_are_flags_in_every_language(form):
    table = pd.DataFrame({"id": range(N), "paperless billing": _pick(YES_NO[form], seed=len(form))})
    assert _call(table, "paperless billing").kind == "flag"


@pytest.mark.parametrize("values", [[0.0, 1.0, float("-inf")], ["0", "1", "inf"]], ids=["typed-floats", "text"])
def test_an_infinite_value_in_a_yes_no_column_is_an_error_not_a_number(values):
    # The kind is read from the valid values; the infinity is reported when the column is read as one.
    table = pd.DataFrame({"id": range(N), "Response": _pick(values[:2])})
    table.loc[7, "Response"] = values[2]
    call = _call(table, "Response")
    assert (call.kind, call.group) == ("outcome", "campaigns") and call.value_kind == "flag"
    with pytest.raises(DataError, match=r"^bank.csv: column 'Response' has 1 value that is not a yes/no answer "
                                        r"\(e.g. '?-?inf'? at row 8\)"):
        standardise_customers(table, detect_roles(table, kind="customers"), label="bank.csv")


@pytest.mark.parametrize(("levels", "order"), [
    (["Low", "High", "Average"], ["Low", "Average", "High"]),
    (["Medium", "Low", "High"], ["Low", "Medium", "High"]),
    (["Hoog", "Laag", "Middel"], ["Laag", "Middel", "Hoog"]),
    (["Bronze", "Or", "Argent"], ["Bronze", "Argent", "Or"]),
    (["5+", "1", "3", "2", "4"], ["1", "2", "3", "4", "5+"]),
    (["None/Unknown", "3+", "1", "2"], ["None/Unknown", "1", "2", "3+"]),
    (["18-24 ans", "65+", "35-44 ans", "25-34 ans"], ["18-24 ans", "25-34 ans", "35-44 ans", "65+"]),
    (["Per niente d'accordo", "Neutrale", "D'accordo", "In disaccordo"],
     ["Per niente d'accordo", "In disaccordo", "Neutrale", "D'accordo"]),
], ids=["low-average-high", "low-medium-high", "levels-nl", "tiers-fr", "size-band", "kids-band-unknown",
        "age-bands-fr", "agreement-it"])
def test_ordered_levels_and_bands_are_ordinal(levels, order):
    call = _call(pd.DataFrame({"id": range(N), "band": _pick(levels)}), "band")
    assert call.kind == "ordinal", call.evidence
    assert " < ".join(order[:4]) in call.evidence


def test_bands_in_a_column_named_like_a_number_are_ordinal():
    table = pd.DataFrame({"id": range(N), "taille foyer (tranche)": _pick(["1", "2", "3", "4", "5+"])})
    assert _call(table, "taille foyer (tranche)").kind == "ordinal"


# ------------------------------------------------------------------------- identifiers and personal data


def test_contact_with_three_levels_is_not_the_customer_id():
    table = pd.DataFrame({"Contact": _pick(["cellular", "telephone", "unknown"]), "age": RNG.integers(18, 80, N)})
    roles = detect_roles(table, kind="customers")
    assert roles.customer_id is None and roles.columns["Contact"].kind == "code"


@pytest.mark.parametrize(("name", "values"), [
    ("familienname", ["Müller", "Schmidt", "Jansen", "López", "Rossi", "de Jong"] * 40),
    ("nome", [f"{n}" for n in ["Giulia", "Leonardo", "Chiara", "Tiago", "Marta", "Inês"] * 40]),
    ("voornaam", ["Daan", "Sanne", "Bram", "Emma", "Lucas", "Mia"] * 40),
    ("Contact", [f"{a} {b}" for a in ["Emma", "Noah", "Mia", "Hugo"] for b in ["Smith", "Rossi", "Silva"]] * 20),
], ids=["surname-de", "first-name-it", "first-name-nl", "full-names"])
def test_names_of_people_are_personal_data(name, values):
    table = pd.DataFrame({"id": range(N), name: [f"{v}{i % 7}" if i % 2 else v for i, v in enumerate(values)]})
    call = _call(table, name)
    assert (call.role, call.kind) == ("identifiers", "identifier"), call.evidence


def test_ids_of_twenty_digits_stay_ids(tmp_path):
    from segkit.io import read_table, standardise_customers

    ids = [f"{RNG.integers(1, 10)}{''.join(map(str, RNG.integers(0, 10, 21)))}" for _ in range(50)]
    pd.DataFrame({"N° Abonné": ids, "plan": _pick(["Basic", "Premium"], 50)}).to_csv(tmp_path / "c.csv", index=False)
    raw = read_table(tmp_path / "c.csv")
    roles = detect_roles(raw, kind="customers")
    assert roles.customer_id == "N° Abonné"
    assert standardise_customers(raw, roles)["customer_id"].tolist() == ids


# ------------------------------------------------------------------------- outcomes


@pytest.mark.parametrize(("name", "values", "group"), [
    ("Churn", ["Yes", "No"], "outcomes"), ("Exited", [0, 1], "outcomes"), ("se dio de baja", ["Sí", "No"], "outcomes"),
    ("Segmentation", ["A", "B", "C", "D"], "outcomes"), ("cluster", [0, 1, 2, 3], "outcomes"),
    ("default payment next month", [0, 1], "outcomes"), ("Label", ["Premium", "Basic", "Budget"], "outcomes"),
    ("y", ["yes", "no"], "outcomes"), ("Response", [0, 1], "campaigns"), ("AcceptedCmp3", [0, 1], "campaigns"),
    ("réponse campagne", ["Oui", "Non"], "campaigns"),
], ids=["churn", "exited", "churn-es", "segment-label", "cluster", "default", "label", "target-y", "response",
        "accepted-campaign", "response-fr"])
def test_outcomes_are_found_and_never_a_segmentation_basis(name, values, group):
    call = _call(pd.DataFrame({"id": range(N), name: _pick(values)}), name)
    assert (call.role, call.basis, call.kind, call.group) == ("outcome", "none", "outcome", group), call.evidence


@pytest.mark.parametrize(("name", "values"), [
    ("Class", ["Eco", "Eco Plus", "Business"]), ("campaign", list(range(1, 12))),
    ("satisfaction score", list(range(1, 8))), ("kundenstatus", ["Bronze", "Silber", "Gold", "Platin"]),
], ids=["travel-class", "contacts-count", "satisfaction-rating", "loyalty-tier"])
def test_outcome_words_with_values_that_are_not_answers_are_not_outcomes(name, values):
    assert _call(pd.DataFrame({"id": range(N), name: _pick(values)}), name).role != "outcome"


# ------------------------------------------------------------------------- the config wins over both


def test_the_config_wins_over_name_and_values():
    table = pd.DataFrame({"id": range(N), "day": RNG.integers(1, 32, N), "Churn": _pick(["Yes", "No"]),
                          "Z_Cost": [3] * N, "Channel": _pick([1, 2])})
    roles = detect_roles(table, kind="customers", given={"behaviour": ["Churn", "day"], "constants": ["Z_Cost"],
                                                         "kinds": {"Channel": "count"}})
    assert roles.behaviour == ["Churn", "day"] and roles.outcomes == [] and roles.constants == ["Z_Cost"]
    assert roles.columns["Churn"].given and roles.columns["Channel"].kind == "count"
    # behaviour is listed in full: Channel is not in it, whatever its values
    assert roles.columns["Channel"].evidence == "config says count; columns.behaviour is given without it -> no role"


def test_constants_the_config_gives_are_kept():
    table = pd.DataFrame({"id": range(N), "Z_Cost": [3] * N, "Z_Rev": [11] * N, "fee": RNG.normal(5, 1, N)})
    roles = detect_roles(table, kind="customers", given={"constants": ["fee"]})
    assert roles.constants == ["fee", "Z_Cost", "Z_Rev"]


@pytest.mark.parametrize(("kinds", "message"), [
    ({"Channel": "categry"}, r"columns.kinds.Channel: kind 'categry' is unknown; did you mean 'category'?|'code'"),
    ({"Chanel": "code"}, r"column 'Chanel' \(columns.kinds\) is not in the data; did you mean 'Channel'\?"),
], ids=["unknown-kind", "unknown-column"])
def test_a_wrong_kind_in_the_config_is_named(kinds, message):
    table = pd.DataFrame({"id": range(3), "Channel": [1, 2, 1]})
    with pytest.raises((ConfigError, Exception), match=message):
        detect_roles(table, kind="customers", given={"kinds": kinds}, label="c.csv")


# ------------------------------------------------------------------------- wide tables: judged in blocks


@pytest.mark.parametrize(("rows", "per_shape"), [(120, 3), (400, 2), (61, 4)],
                         ids=["wide-table", "longer-table", "barely-more-rows-than-levels"])
def test_a_wide_table_gets_the_same_calls_in_blocks_as_column_by_column(rows, per_shape, monkeypatch):
    """Measurements read a block at a time (segkit.io.content.measured_contents) get the call
    each column gets read on its own, whatever shape the columns around them have."""
    from segkit.io import judge
    from tests.shapes import wide_table

    table = wide_table(rows=rows, per_shape=per_shape, seed=per_shape)
    assert judge.measured_contents(table), "the block path is taken"
    in_blocks = _calls(table)
    monkeypatch.setattr(judge, "measured_contents", lambda frame: {})
    one_by_one = _calls(table)
    assert in_blocks == one_by_one
    assert {call.value_kind for call in in_blocks.values()} >= {"quantity", "flag", "code", "date"}
