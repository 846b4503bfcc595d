"""Base cases for the fuzz suite: small valid customer tables, purchase logs and configs.

Column names come in English, French, German and Spanish, values from a generator seeded by
one hypothesis draw (a case of a few KB costs hypothesis a handful of choices, not thousands),
and each table is written in one of the shapes real exports have (:func:`shapes`): encodings,
delimiters, quoting, line ends, title lines, a ``sep=`` line, a ``Total`` footer, plain text,
``.gz``, ``.zip``, ``.xlsx``, ``.parquet`` or a folder of parts. :func:`configs` draws the
config keys, valid or (``valid=False``) with wrong and extreme values.

Examples
--------
>>> import random
>>> table = customer_table(random.Random(1), 3, ["a", "b", "c"])
>>> len(table.rows), table.header[0] in ID_NAMES
(3, True)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from hypothesis import strategies as st

from tests.fuzz.corpus import Case, Shape, Table

__all__ = ["CUSTOMER_DATES", "FAST_SEGMENTATION", "ID_NAMES", "ODD_CONFIG_VALUES", "base_cases", "configs",
           "customer_table", "purchase_log", "shapes", "written_as"]

# ----------------------------------------------------------------------------- base tables

#: Column names per kind of column, as exports in several languages write them.
ID_NAMES = ("CustomerID", "customer_id", "ID", "Client", "Kundennummer", "N° client", "Customer Number", "member_id")
NUMERIC = {  # name choices -> (low, high, decimals)
    "age": (("Age", "Âge", "Alter", "Edad"), (18, 90, 0)),
    "income": (("Income", "Einkommen", "Revenu", "Salary"), (9_000, 160_000, 0)),
    "spend": (("MntWines", "Spend", "Total spent", "Dépenses", "Umsatz"), (0, 2_500, 2)),
    "visits": (("Visits", "NumWebVisitsMonth", "Besuche", "web_visits"), (0, 30, 0)),
    "recency": (("Recency", "Days since last purchase", "recency_days"), (0, 365, 0)),
    "kids": (("Kidhome", "Children", "Kinder"), (0, 3, 0)),
}
CATEGORICAL = {
    "gender": (("Gender", "Sexe", "Geschlecht"), ("M", "F")),
    "region": (("Region", "Région", "Bundesland", "City"), ("North", "South", "East", "West", "Nord", "Süd")),
    "education": (("Education", "Bildung", "Degree"), ("Basic", "Graduation", "Master", "PhD")),
    "tier": (("Tier", "Loyalty tier", "Membership"), ("Bronze", "Silver", "Gold")),
    "satisfaction": (("Satisfaction", "I like the app"), ("Strongly disagree", "Disagree", "Neutral", "Agree",
                                                          "Strongly agree")),
    "device": (("Device", "Browser"), ("iOS", "Android", "Desktop")),
}
FLAGS = (("Response", "AcceptedCmp1", "Churn", "Réponse"), (("0", "1"), ("no", "yes"), ("false", "true"),
                                                            ("non", "oui"), ("N", "Y")))
CUSTOMER_DATES = ("Dt_Customer", "Signup date", "Date of birth", "Kunde seit")
LOG_NAMES = {
    "customer": ("CustomerID", "Customer", "customer_id", "Kundennummer", "client"),
    "date": ("InvoiceDate", "Date", "order_date", "Datum", "Fecha"),
    "invoice": ("InvoiceNo", "Order ID", "Rechnungsnummer", "Name"),
    "quantity": ("Quantity", "Qty", "Menge"),
    "price": ("UnitPrice", "Price", "Preis"),
    "amount": ("Amount", "Total", "Betrag", "Sales"),
    "country": ("Country", "Pays", "Land"),
}
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%m/%d/%Y %H:%M", "%d.%m.%Y")


def _number(rng: random.Random, low: float, high: float, decimals: int) -> str:
    value = rng.uniform(low, high)
    return str(int(value)) if decimals == 0 else f"{value:.{decimals}f}"


def _ids(rng: random.Random, n: int) -> list[str]:
    style = rng.randrange(4)
    start = rng.randrange(1, 90_000)
    if style == 0:
        return [str(start + i) for i in range(n)]
    if style == 1:
        return [f"C{start + i:06d}" for i in range(n)]
    if style == 2:
        return [f"{start + i:08d}" for i in range(n)]
    return [f"{rng.getrandbits(40):010x}" for _ in range(n)]


def customer_table(rng: random.Random, n: int, ids: list[str]) -> Table:
    """A valid customer table of ``n`` rows: an id, numbers, categories, a yes/no answer, a date."""
    header, columns = [rng.choice(ID_NAMES)], [ids[:n]]
    for _key, (names, (low, high, decimals)) in rng.sample(sorted(NUMERIC.items()), rng.randint(2, len(NUMERIC))):
        header.append(rng.choice(names))
        columns.append([_number(rng, low, high, decimals) for _ in range(n)])
    for _key, (names, levels) in rng.sample(sorted(CATEGORICAL.items()), rng.randint(0, 3)):
        header.append(rng.choice(names))
        columns.append([rng.choice(levels) for _ in range(n)])
    if rng.random() < 0.6:
        names, spellings = FLAGS
        no, yes = rng.choice(spellings)
        header.append(rng.choice(names))
        columns.append([yes if rng.random() < 0.3 else no for _ in range(n)])
    if rng.random() < 0.4:
        header.append(rng.choice(CUSTOMER_DATES))
        fmt = rng.choice(DATE_FORMATS[:4])
        first = dt.date(1950, 1, 1) if "birth" in header[-1] else dt.date(2018, 1, 1)
        columns.append([(first + dt.timedelta(days=rng.randrange(2_000))).strftime(fmt) for _ in range(n)])
    return Table(_unique_names(header), [list(row) for row in zip(*columns, strict=True)])


def purchase_log(rng: random.Random, lines: int, ids: list[str]) -> Table:
    """A valid purchase log: customer, date, invoice, quantity and price (or an amount)."""
    names = {key: rng.choice(choices) for key, choices in LOG_NAMES.items()}
    fmt = rng.choice(DATE_FORMATS)
    start = dt.datetime(2023, 1, 1) + dt.timedelta(days=rng.randrange(300))
    with_amount = rng.random() < 0.4
    with_country = rng.random() < 0.3
    header = [names["customer"], names["date"], names["invoice"]]
    header += [names["amount"]] if with_amount else [names["quantity"], names["price"]]
    header += [names["country"]] if with_country else []
    first_invoice = rng.randrange(1_000, 600_000)
    rows = []
    for i in range(lines):
        when = start + dt.timedelta(days=rng.randrange(365), minutes=rng.randrange(1_440))
        row = [rng.choice(ids), when.strftime(fmt),
               f"#{first_invoice + i // 2}" if names["invoice"] == "Name" else str(first_invoice + i // 2)]
        row += ([_number(rng, 1, 400, 2)] if with_amount
                else [str(rng.randint(1, 12)), _number(rng, 0.5, 80, 2)])
        row += [rng.choice(("United Kingdom", "France", "Deutschland", "España"))] if with_country else []
        rows.append(row)
    return Table(_unique_names(header), rows)


def _unique_names(header: list[str]) -> list[str]:
    out: list[str] = []
    for name in header:
        out.append(name if name not in out else f"{name} {len(out)}")
    return out


# ----------------------------------------------------------------------------- shapes


@st.composite
def shapes(draw, *, containers=("csv", "csv", "csv", "txt", "tsv", "none", "gz", "zip", "zip-parts", "folder",
                                "xlsx", "parquet")) -> Shape:
    """How a valid export may be written: encoding, delimiter, quoting, line ends, container,
    title lines, a ``sep=`` line, a ``Total`` footer line."""
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|", " "]))
    container = draw(st.sampled_from(containers))
    if container == "tsv":
        delimiter = "\t"
    plain = delimiter == " "
    titles = () if plain else tuple(draw(st.lists(st.sampled_from(
        ["Sales export", "Shop: Leeds", "Kundenliste Dezember 2024", "Generated 2024-12-01"]), max_size=2)))
    return Shape(
        encoding=draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"])),
        delimiter=delimiter,
        quoting="minimal" if plain else draw(st.sampled_from(["minimal", "minimal", "all"])),
        line_end=draw(st.sampled_from(["\n", "\n", "\r\n"])),
        container=container,
        title_lines=titles,
        sep_line=not plain and not titles and draw(st.sampled_from([False, False, False, True])),
        final_newline=draw(st.sampled_from([True, True, False])),
    )


def written_as(table: Table, shape: Shape) -> Table:
    """``table`` in ``shape``; columns aligned with spaces only when no name or cell holds a
    space (a real whitespace-separated export has none), else tab-separated."""
    if shape.delimiter == " " and any(" " in cell for row in [table.header, *table.rows] for cell in row if cell):
        shape = dataclasses.replace(shape, delimiter="\t")
    return dataclasses.replace(table, shape=shape)


def _with_footer(table: Table, rng: random.Random) -> Table:
    if table.shape.delimiter == " " or table.shape.container in ("xlsx", "parquet"):
        return table
    total = table.shape.delimiter.join(["Total"] + [""] * (len(table.header) - 2) + [str(rng.randrange(10**6))])
    return dataclasses.replace(table, shape=dataclasses.replace(table.shape, footer_lines=(total,)))


# ----------------------------------------------------------------------------- configs

#: Config keys a valid base run uses: small numbers of bootstraps and candidate k keep a case
#: under a second.
FAST_SEGMENTATION = {"n_bootstrap": 2, "k_max": 5}


@st.composite
def configs(draw, *, valid: bool = True) -> dict:
    """Config keys besides the data paths: valid values by default, else also wrong ones
    (out-of-range numbers, unknown names, empty names, huge seeds)."""
    seg = dict(FAST_SEGMENTATION)
    if draw(st.booleans()):
        seg["n_segments"] = draw(st.sampled_from(["auto", 2, 3, 4]))
    if draw(st.booleans()):
        seg["algorithm"] = draw(st.sampled_from(["auto", "kmeans", "gmm", "agglomerative", "kprototypes",
                                                 "hdbscan"]))
    if draw(st.integers(0, 3)) == 0:
        seg["basis"] = draw(st.lists(st.sampled_from(["demographic", "behavioural", "value", "campaign",
                                                      "geographic", "psychographic", "technographic"]),
                                     min_size=1, max_size=3, unique=True))
    config = {"segmentation": seg}
    if draw(st.booleans()):
        config["privacy"] = {"min_cell_size": draw(st.sampled_from([0, 1, 5, 10]))}
    if draw(st.booleans()):
        config["campaign"] = {"cost_per_contact": draw(st.sampled_from([1, 2.5, "€3", "2,50 €"])),
                              "revenue_per_response": draw(st.sampled_from([11, 20.0, "$15"]))}
    if draw(st.booleans()):
        config["title"] = draw(st.text(min_size=1, max_size=30))
    if not valid:
        config = draw(_config_mutations(config))
    return config


#: Wrong or extreme values per config key, for the config family.
ODD_CONFIG_VALUES = {
    ("segmentation", "n_segments"): [0, 1, 2**31, -3, 2.5, "four", True, None, 10**6],
    ("segmentation", "k_min"): [0, 1, 2**40, -1],
    ("segmentation", "k_max"): [1, 2**40, 200],
    ("segmentation", "random_state"): [2**32, 2**32 - 1, 2**63, 2**64, -1],
    ("segmentation", "n_bootstrap"): [0, 1, 2**20],
    ("segmentation", "min_share"): [0, 0.49, 0.5, -0.1, float("nan")],
    ("segmentation", "features"): [["no_such_column"], [], ["recency_days", "recency_days"], [""]],
    ("segmentation", "basis"): [[], ["value", "value"], "value", ["psychographic"], ["technographic"]],
    ("segmentation", "algorithm"): ["kmeans", "gmm", "agglomerative", "kprototypes", "hdbscan"],
    ("privacy", "min_cell_size"): [0, 10**9, 2**63],
    ("campaign", "cost_per_contact"): [0, 1e308, "1e308", -1, float("inf")],
    ("campaign", "revenue_per_response"): [1e-300, 1e308, "€0,01", float("nan")],
    ("campaign", "response"): ["no_such_column", ""],
    ("segment_names",): [{0: ""}, {0: " "}, {0: "A", 1: "A"}, {99: "Far"}, {"x": "y"}, {0: "x" * 5_000}],
    ("cleaning", "snapshot_date"): ["0001-01-01", "9999-12-31", "2024-02-30", "1970-01-01", "2200-01-01"],
    ("cleaning", "drop_duplicates"): [False],
    ("ab_test", "mde"): [1e-9, 0.999999],
    ("ab_test", "power"): [0.999999],
    ("attractiveness", "weights"): [{"size": 0, "value": 0, "response": 0, "growth": 0}, {"size": 1e308}],
    ("title",): ["", "x" * 2_000, "\x00", "<script>alert(1)</script>", "{{ title }}"],
    ("columns", "customer_id"): ["no_such_column", "", ["a", "b", "c"]],
    ("data", "where"): [{"no_such_column": "x"}, {"Region": []}, {"Region": "North"}],
}


@st.composite
def _config_mutations(draw, config: dict) -> dict:
    out = {key: dict(value) if isinstance(value, dict) else value for key, value in config.items()}
    for path in draw(st.lists(st.sampled_from(sorted(ODD_CONFIG_VALUES, key=str)), min_size=1, max_size=2,
                              unique=True)):
        value = draw(st.sampled_from(ODD_CONFIG_VALUES[path]))
        if len(path) == 1:
            out[path[0]] = value
        else:
            out.setdefault(path[0], {})[path[1]] = value
    return out


# ----------------------------------------------------------------------------- base cases


@st.composite
def base_cases(draw, *, kinds=None, containers=None, rows=(24, 60)) -> Case:
    """A small valid case: a customer table, a purchase log or both (sharing ids), each in a
    drawn shape, with a valid config.

    ``rows`` starts at 24 customers: a report refuses a table too small for two segments of
    ``privacy.min_cell_size`` (10 by default) customers, and a case of fewer would end at that
    refusal instead of in the code its family is about (the refusal has its own test)."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(kinds or ["customers", "customers", "transactions", "both"]))
    n = draw(st.integers(*rows))
    ids = _ids(rng, n)
    tables = {}
    shape_kw = {"containers": containers} if containers else {}
    if kind in ("customers", "both"):
        tables["customers"] = written_as(customer_table(rng, n, ids), draw(shapes(**shape_kw)))
    if kind in ("transactions", "both"):
        lines = draw(st.integers(max(4, n // 2), 3 * n))
        tables["transactions"] = written_as(purchase_log(rng, lines, ids), draw(shapes(**shape_kw)))
    if draw(st.integers(0, 9)) == 0:
        kind_with_footer = sorted(tables)[0]
        tables[kind_with_footer] = _with_footer(tables[kind_with_footer], rng)
    return Case("valid", tables, draw(configs()), [f"base {kind}, {n} customers"])
