"""What the demo is made of: the planted segments and the catalogue they buy from.

Data, not code: :data:`SEGMENTS` says how each planted segment buys, who its customers are
and how they answer campaigns; the tables below it give prices, opening hours, countries
and names. :mod:`segkit.datasets.draw` draws customers and purchases from them.

Examples
--------
>>> [s["name"] for s in SEGMENTS][:2], sum(s["share"] for s in SEGMENTS)
(['Loyal high spenders', 'Young app bargain hunters'], 1.0)
"""

from __future__ import annotations

import numpy as np

__all__ = ["CATEGORIES", "CHANNELS", "DEVICES", "INTERESTS", "SEGMENTS"]

#: The levels of the demo's categorical columns.
CHANNELS = ("web", "app", "store")
CATEGORIES = ("grocery", "fashion", "electronics", "home", "beauty")
DEVICES = ("mobile", "desktop", "tablet")
INTERESTS = ("outdoors", "home & garden", "fashion", "tech", "family", "food & wine", "travel")

#: The planted segments: sizes, buying behaviour, demographics, technographics and campaign
#: history. A customer places ``min_orders`` plus a negative-binomial number of orders with
#: mean ``extra_orders``, spread uniformly over an activity window whose start and end are
#: drawn, as fractions of the period, from ``window = (start_lo, start_hi, end_lo, end_hi)``.
#: An order has ``1 + Poisson(lines_mean)`` lines; ``units_factor`` and ``price_factor`` scale
#: the units per line and the unit prices of each category. Probability tuples follow
#: :data:`CHANNELS`, :data:`CATEGORIES`, :data:`DEVICES`, :data:`INTERESTS` and kids at home
#: ``(0, 1, 2, 3)``; ``apple`` is the share on iOS/macOS, ``campaigns`` the acceptance rates
#: of the three past campaigns and ``response`` that of the last one.
SEGMENTS: tuple[dict, ...] = (
    {
        "name": "Loyal high spenders",
        "description": "Frequent, large baskets of premium groceries, fashion and beauty, "
        "mostly in store; older, high income, desktop and tablet; the best responders.",
        "share": 0.13,
        "min_orders": 4, "extra_orders": 12.0, "window": (0.0, 0.25, 1.0, 1.0),
        "lines_mean": 2.5, "units_factor": 1.0, "price_factor": 1.5, "return_rate": 0.02,
        "channels": (0.30, 0.05, 0.65), "categories": (0.40, 0.25, 0.10, 0.05, 0.20),
        "age_mean": 56, "age_sd": 9, "income_median": 88_000, "income_sigma": 0.30,
        "female": 0.48, "kids": (0.75, 0.17, 0.07, 0.01),
        "devices": (0.25, 0.45, 0.30), "apple": 0.65,
        "interests": (0.18, 0.12, 0.05, 0.05, 0.05, 0.30, 0.25),
        "signup_lead_days": 400, "campaigns": (0.12, 0.20, 0.22), "response": 0.30,
    },
    {
        "name": "Young app bargain hunters",
        "description": "Many small, cheap orders through the app, mostly fashion and beauty, "
        "with many returns; young, low income, mobile.",
        "share": 0.20,
        "min_orders": 3, "extra_orders": 11.0, "window": (0.0, 0.5, 1.0, 1.0),
        "lines_mean": 0.6, "units_factor": 1.0, "price_factor": 0.55, "return_rate": 0.07,
        "channels": (0.15, 0.80, 0.05), "categories": (0.10, 0.55, 0.10, 0.05, 0.20),
        "age_mean": 25, "age_sd": 4.5, "income_median": 24_000, "income_sigma": 0.35,
        "female": 0.62, "kids": (0.90, 0.08, 0.02, 0.00),
        "devices": (0.88, 0.07, 0.05), "apple": 0.40,
        "interests": (0.08, 0.02, 0.50, 0.25, 0.02, 0.05, 0.08),
        "signup_lead_days": 40, "campaigns": (0.06, 0.08, 0.05), "response": 0.07,
    },
    {
        "name": "Family home shoppers",
        "description": "Regular, large baskets of home goods and groceries, mostly on the "
        "web; parents in their thirties and forties, middle income.",
        "share": 0.17,
        "min_orders": 2, "extra_orders": 5.0, "window": (0.0, 0.4, 1.0, 1.0),
        "lines_mean": 2.5, "units_factor": 1.5, "price_factor": 0.9, "return_rate": 0.03,
        "channels": (0.65, 0.15, 0.20), "categories": (0.35, 0.05, 0.02, 0.55, 0.03),
        "age_mean": 39, "age_sd": 6, "income_median": 56_000, "income_sigma": 0.30,
        "female": 0.64, "kids": (0.03, 0.42, 0.42, 0.13),
        "devices": (0.50, 0.20, 0.30), "apple": 0.50,
        "interests": (0.10, 0.35, 0.05, 0.05, 0.40, 0.03, 0.02),
        "signup_lead_days": 120, "campaigns": (0.08, 0.07, 0.09), "response": 0.10,
    },
    {
        "name": "Lapsed big spenders",
        "description": "Bought a lot of electronics early in the period, mostly on the web, "
        "then stopped: nothing in the last nine months or more.",
        "share": 0.12,
        "min_orders": 3, "extra_orders": 6.0, "window": (0.0, 0.1, 0.45, 0.63),
        "lines_mean": 2.0, "units_factor": 1.0, "price_factor": 1.3, "return_rate": 0.04,
        "channels": (0.75, 0.05, 0.20), "categories": (0.15, 0.10, 0.55, 0.15, 0.05),
        "age_mean": 48, "age_sd": 11, "income_median": 72_000, "income_sigma": 0.35,
        "female": 0.42, "kids": (0.55, 0.25, 0.17, 0.03),
        "devices": (0.30, 0.55, 0.15), "apple": 0.55,
        "interests": (0.15, 0.08, 0.05, 0.40, 0.05, 0.12, 0.15),
        "signup_lead_days": 300, "campaigns": (0.22, 0.10, 0.03), "response": 0.04,
    },
    {
        "name": "Occasional one-off buyers",
        "description": "One or two small web orders at any time in the period, mostly beauty "
        "products; a broad mix of people; the largest and least engaged group.",
        "share": 0.38,
        "min_orders": 1, "extra_orders": 0.2, "window": (0.0, 0.0, 1.0, 1.0),
        "lines_mean": 2.0, "units_factor": 1.0, "price_factor": 0.8, "return_rate": 0.05,
        "channels": (0.92, 0.05, 0.03), "categories": (0.05, 0.10, 0.02, 0.08, 0.75),
        "age_mean": 43, "age_sd": 15, "income_median": 41_000, "income_sigma": 0.45,
        "female": 0.52, "kids": (0.60, 0.22, 0.15, 0.03),
        "devices": (0.50, 0.35, 0.15), "apple": 0.45,
        "interests": (0.16, 0.14, 0.14, 0.14, 0.14, 0.14, 0.14),
        "signup_lead_days": 20, "campaigns": (0.03, 0.02, 0.03), "response": 0.03,
    },
)

#: Median unit price and mean extra units per line, by category (in the order of :data:`CATEGORIES`).
PRICE_MEDIAN = np.array([4.0, 35.0, 120.0, 25.0, 15.0])
EXTRA_UNITS = np.array([2.0, 0.3, 0.1, 0.5, 0.8])
#: Opening hours of each channel (first, last hour an order can start), in the order of :data:`CHANNELS`.
OPENING_HOURS = np.array([[7, 23], [6, 23], [9, 19]])

#: Country: (share of customers, its regions).
COUNTRIES = {
    "Germany": (0.30, ("Bavaria", "Berlin", "North Rhine-Westphalia", "Hamburg", "Baden-Württemberg")),
    "France": (0.22, ("Île-de-France", "Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d'Azur", "Occitanie")),
    "Netherlands": (0.14, ("North Holland", "South Holland", "Utrecht")),
    "Spain": (0.14, ("Madrid", "Catalonia", "Andalusia")),
    "Italy": (0.12, ("Lombardy", "Lazio", "Campania")),
    "Belgium": (0.08, ("Flanders", "Wallonia", "Brussels")),
}
#: First names and email domains the demo's email addresses are made of.
FEMALE_NAMES = ("anna", "marie", "sophie", "laura", "julia", "emma", "lucia", "chiara", "ines",
                 "sara", "elena", "lea", "claire", "eva", "nina", "paula", "giulia", "camille")
MALE_NAMES = ("lukas", "jan", "pierre", "marco", "pablo", "thomas", "david", "luca", "max",
               "felix", "hugo", "daan", "javier", "paul", "noah", "leon", "matteo", "louis")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")

#: Dispersion of the order counts within a segment (negative binomial shape).
NB_SHAPE = 3.0
#: How closely a customer's channel and category mix follows the segment's (Dirichlet concentration).
MIX_CONCENTRATION = 20.0
#: Longest time from signing up to the first order, in days.
MAX_SIGNUP_LEAD_DAYS = 3650
#: The campaign economics written into the customer table and the config.
COST_PER_CONTACT = 3
REVENUE_PER_RESPONSE = 11
#: The fewest customers a demo can have.
MIN_CUSTOMERS = 50
