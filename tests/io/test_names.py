"""segkit.io.names: the words of column names, in English, French, German and Spanish, read as roles."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit.io import detect_roles, standardise_customers
from segkit.profile import humanise


def test_french_headers_get_their_roles_and_oui_non_is_a_campaign_answer():
    df = pd.DataFrame({
        "N° client": ["C1", "C2", "C3", "C4"], "Sexe": ["Homme", "Femme", "Femme", "Homme"],
        "Âge": [38, 67, 45, 29], "Revenu annuel": [20049.0, 21071.2, 30500.0, 18000.0],
        "Région": ["Bretagne", "Occitanie", "Bretagne", "Corse"], "Dépenses vins": [18.9, 407.2, 88.1, 12.0],
        "Réponse campagne": ["non", "oui", "non", "non"],
    })
    roles = detect_roles(df, kind="customers")
    assert roles.customer_id == "N° client"
    assert roles.demographics == ["Sexe", "Âge", "Revenu annuel"]
    assert roles.geography == ["Région"] and roles.behaviour == ["Dépenses vins"]
    assert roles.campaigns == ["Réponse campagne"]
    out = standardise_customers(df, roles)
    assert out["Réponse campagne"].tolist() == [0, 1, 0, 0]


def test_english_revenue_is_not_french_income():
    df = pd.DataFrame({"ID": [1, 2, 3], "Revenu annuel": [1.0, 2.0, 3.0], "Revenue": [5.0, 6.0, 9.0],
                       "Z_Revenue": [11, 11, 11]})
    roles = detect_roles(df, kind="customers")
    assert roles.demographics == ["Revenu annuel"] and roles.behaviour == ["Revenue"]
    assert roles.constants == ["Z_Revenue"]
    assert humanise("Revenu annuel") == "income" and humanise("Revenue") == "spend"


@pytest.mark.parametrize(("name", "kind", "role"), [
    ("Kundennummer", "customers", "customer_id"), ("id_cliente", "customers", "customer_id"),
    ("numero de cliente", "customers", "customer_id"), ("Montant", "transactions", "amount"),
    ("Bestelldatum", "transactions", "date"), ("Menge", "transactions", "quantity"),
], ids=["de-id", "es-id-first", "es-id-link-word", "fr-amount", "de-date", "de-quantity"])
def test_common_foreign_names_are_recognised(name, kind, role):
    df = pd.DataFrame({name: [1, 2], "other": ["a", "b"]})
    assert getattr(detect_roles(df, kind=kind), role) == name


def test_in_app_purchases_are_behaviour_not_technographics():
    table = pd.DataFrame({"user_id": range(20), "os": ["iOS", "Android"] * 10, "in_app_purchases": range(20)})
    roles = detect_roles(table, kind="customers")
    assert roles.technographics == ["os"] and "in_app_purchases" in roles.behaviour


def test_a_survey_respondent_id_is_the_customer_id():
    table = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(10)], "satisfaction": range(10)})
    assert detect_roles(table, kind="customers").customer_id == "respondent_id"
