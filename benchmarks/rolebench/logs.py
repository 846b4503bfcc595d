"""Purchase logs: their column concepts and the exports they come in (retail order lines, CDNOW-like
orders, a shop's order export, a payments export, till receipts with a sale/refund type, plain logs).

A log's columns are drawn together (an order's lines share its number, customer and date), so
each builder returns ``[(concept key, values, name or None), ...]``: a fixed name where the
export writes one (Shopify's ``Lineitem price``), else ``None`` for a name drawn from the concept.

Examples
--------
>>> import numpy as np
>>> from benchmarks.rolebench.values import Context
>>> columns = LOG_BUILDERS["cdnow"](Context(np.random.default_rng(1), 50, "en"))
>>> [key for key, _, _ in columns]
['log.customer', 'log.date', 'log.quantity', 'log.amount']
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from benchmarks.rolebench import values as v
from benchmarks.rolebench.concepts import Concept, names
from benchmarks.rolebench.words import CATEGORIES, CHANNELS, COUNTRIES, SALE_RETURN, STATUSES, words

__all__ = ["LOG_BUILDERS", "LOG_CONCEPTS"]

_CONCEPTS = [
    Concept("log.invoice", "invoice", "identifier", names(
        "en: InvoiceNo | Invoice | order id | Order Number | transaction id | receipt no | bill no; "
        "fr: n° facture | numéro de commande | facture | n° ticket; de: rechnungsnummer | bestellnummer | belegnr; "
        "es: n° factura | número de pedido | factura; it: numero fattura | n. ordine | scontrino; "
        "pt: número da fatura | n.º encomenda | pedido; nl: factuurnummer | bestelnummer | bonnummer")),
    Concept("log.customer", "customer_id", "identifier", names(
        "en: CustomerID | customer | Customer Id | client | user_id | member no | loyalty card; fr: code client | "
        "n° client | client | carte fidélité; de: kundennummer | kunde | kundenkarte; es: código cliente | cliente | "
        "n° cliente; it: codice cliente | cliente | carta fedeltà; pt: código cliente | cliente | n.º cliente; "
        "nl: klantnummer | klant | klantenkaart")),
    Concept("log.date", "date", "date", names(
        "en: InvoiceDate | order date | date | transaction date | purchase date | timestamp; fr: date facture | "
        "date de commande | date; de: rechnungsdatum | bestelldatum | datum; es: fecha factura | fecha pedido | "
        "fecha; it: data fattura | data ordine | data; pt: data da fatura | data do pedido | data; "
        "nl: factuurdatum | besteldatum | datum")),
    Concept("log.time", "time", "date", names(
        "en: time | order time | hour; fr: heure; de: uhrzeit; es: hora; it: ora; pt: hora; nl: tijd")),
    Concept("log.quantity", "quantity", "quantity", names(
        "en: Quantity | qty | units | number of cds | items; fr: quantité | qté; de: menge | anzahl; "
        "es: cantidad | unidades; it: quantità | pezzi; pt: quantidade | qtd; nl: aantal | hoeveelheid")),
    Concept("log.price", "price", "money", names(
        "en: UnitPrice | price | unit price | price each; fr: prix unitaire | prix; de: einzelpreis | preis; "
        "es: precio unitario | precio; it: prezzo unitario | prezzo; pt: preço unitário | preço; "
        "nl: prijs per stuk | prijs | stukprijs")),
    Concept("log.amount", "amount", "money", names(
        "en: Amount | line total | total | sales | dollar value | revenue; fr: montant | total ligne | montant ttc; "
        "de: betrag | gesamtbetrag | umsatz; es: importe | total | monto; it: importo | totale; pt: valor | total; "
        "nl: bedrag | totaal")),
    Concept("log.refunded", "refunded", "money", names(
        "en: Amount Refunded | refunded amount; fr: montant remboursé; de: erstatteter betrag; "
        "es: importe reembolsado; it: importo rimborsato; pt: valor reembolsado; nl: terugbetaald bedrag")),
    Concept("log.type", "returns", "code", names(
        "en: type | line type | transaction type; fr: type | type de ligne; de: art | belegart; es: tipo | "
        "tipo de movimiento; it: tipo | tipo movimento; pt: tipo | tipo de movimento; nl: soort | type")),
    Concept("log.country", "country", "code", names(
        "en: Country | country | ship country; fr: pays; de: land; es: país; it: paese; pt: país; nl: land")),
    Concept("log.channel", "channel", "code", names(
        "en: channel | sales channel | source; fr: canal | canal de vente; de: kanal | vertriebskanal; "
        "es: canal | canal de venta; it: canale | canale di vendita; pt: canal | canal de venda; "
        "nl: kanaal | verkoopkanaal")),
    Concept("log.category", "category", "code", names(
        "en: category | product category | department; fr: catégorie | rayon; de: kategorie | warengruppe; "
        "es: categoría | familia; it: categoria | reparto; pt: categoria | secção; nl: categorie | afdeling")),
    Concept("log.sku", "none", "identifier", names(
        "en: StockCode | sku | product id | item code; fr: référence | code article; de: artikelnummer | art-nr; "
        "es: referencia | código de artículo; it: codice articolo | cod. articolo; pt: referência | "
        "código do artigo; nl: artikelnummer | artikelcode")),
    Concept("log.description", "none", "text", names(
        "en: Description | product | product name | item name; fr: désignation | libellé | produit; "
        "de: artikelbezeichnung | beschreibung | produkt; es: descripción | producto; it: descrizione | prodotto; "
        "pt: descrição | produto; nl: omschrijving | product")),
    Concept("log.status", "none", "code", names(
        "en: Status | order status; fr: statut; de: status; es: estado; it: stato; pt: estado; nl: status")),
    Concept("log.currency", "none", "code", names(
        "en: Currency | currency; fr: devise; de: währung; es: moneda; it: valuta; pt: moeda; nl: valuta")),
    Concept("log.email", "identifiers", "identifier", names(
        "en: Email | customer email | e-mail; fr: courriel | email; de: e-mail; es: correo | email; it: email; "
        "pt: e-mail; nl: e-mail")),
    Concept("log.email_customer", "customer_id", "identifier", names("en: Email")),
    Concept("log.card_brand", "none", "code", names("en: Card Brand")),
    Concept("log.discount", "none", "money", names("en: Discount Amount")),
    Concept("log.shipping", "none", "money", names("en: Shipping")),
    Concept("log.paid_at", "none", "date", names("en: Paid at")),
]

#: Every log concept by key.
LOG_CONCEPTS = {c.key: c for c in _CONCEPTS}

_LINE_DATE_STYLES = ("iso_time", "mdy_slash_time", "dmy_slash_time", "iso_t", "utc", "iso", "dmy_dot", "excel",
                     "unix", "d_mon_y", "compact")


def _orders(ctx: v.Context, most_lines: int, orders_per_customer: float):
    """Each line's order, each order's customer, and each order's time (orders in time order)."""
    rng = ctx.rng
    sizes = []
    while sum(sizes) < ctx.n:
        sizes.append(int(rng.integers(1, most_lines + 1)))
    sizes[-1] -= sum(sizes) - ctx.n
    sizes = [s for s in sizes if s > 0]
    line_order = np.repeat(np.arange(len(sizes)), sizes)
    customers = max(10, int(len(sizes) / orders_per_customer))
    weights = rng.pareto(1.5, customers) + 1
    order_customer = rng.choice(customers, size=len(sizes), p=weights / weights.sum())
    start = dt.datetime(2022, 1, 1)
    seconds = np.sort(rng.uniform(0, 2 * 365 * 86400, len(sizes)))
    order_time = [start + dt.timedelta(seconds=float(s)) for s in seconds]
    return line_order, order_customer, order_time


def _invoice_numbers(ctx: v.Context, count: int) -> np.ndarray:
    """Order numbers in one export's style: 6 digits, ``INV-000123``, 20 digits, ``#1001``."""
    form = ctx.rng.choice(["int6", "prefixed", "long", "hash"], p=[0.45, 0.25, 0.15, 0.15])
    k = np.arange(count)
    if form == "int6":
        return 536365 + k
    if form == "prefixed":
        return np.array([f"INV-{i:06d}" for i in k], dtype=object)
    if form == "long":
        base = int(ctx.rng.integers(10, 99))
        return np.array([f"{base}{i:018d}" for i in k], dtype=object)
    return np.array([f"#{1001 + i}" for i in k], dtype=object)


def _customer_keys(ctx: v.Context, count: int) -> np.ndarray:
    form = ctx.rng.choice(["int", "prefixed", "long"], p=[0.6, 0.3, 0.1])
    return v.ids(v.Context(ctx.rng, count, ctx.language), str(form)).to_numpy()


def _at(values: np.ndarray, index: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=object)[index])


def _first_line_only(values: pd.Series, line_order: np.ndarray) -> pd.Series:
    """``values`` on each order's first line, blank on its others (as an orders export writes them)."""
    first = np.r_[True, line_order[1:] != line_order[:-1]]
    return values.astype(object).where(first, None)


def retail_lines(ctx: v.Context) -> list:
    """Online Retail style order lines: invoice, stock code, description, quantity, date, price, customer, country."""
    rng = ctx.rng
    line_order, order_customer, order_time = _orders(ctx, 8, 4.0)
    n_orders = len(order_time)
    invoices = _invoice_numbers(ctx, n_orders)
    cancelled = rng.random(n_orders) < 0.03
    if invoices.dtype != object and cancelled.any():
        invoices = np.array([f"C{i}" if c else str(i) for i, c in zip(invoices, cancelled)], dtype=object)
    products = v.product_names(ctx, int(rng.integers(60, 200)))
    skus = (rng.choice(np.arange(10000, 99999), len(products), replace=False) if rng.random() < 0.5 else
            np.array([f"{rng.integers(10000, 99999)}{rng.choice(list('ABCDEF'))}" for _ in products], dtype=object))
    prices = np.round(3.0 * np.exp(rng.normal(0, 0.7, len(products))), 2)
    product = rng.integers(0, len(products), ctx.n)
    quantity = np.maximum(1, rng.geometric(0.25, ctx.n)) * np.where(cancelled[line_order], -1, 1)
    customers = _customer_keys(ctx, int(order_customer.max()) + 1).astype(object)
    guest = rng.random(n_orders) < 0.08
    countries = rng.choice(np.array(words(COUNTRIES, ctx.language), dtype=object), len(customers))
    fmt = str(rng.choice(_LINE_DATE_STYLES))
    out = [("log.invoice", _at(invoices, line_order), None), ("log.sku", _at(skus, product), None),
           ("log.description", _at(products, product), None), ("log.quantity", pd.Series(quantity), None),
           ("log.date", _at(np.array(v.format_dates(order_time, fmt), dtype=object), line_order), None),
           ("log.price", pd.Series(prices[product]), None),
           ("log.customer", _at(np.where(guest, None, customers[order_customer]), line_order), None),
           ("log.country", _at(countries[order_customer], line_order), None)]
    if rng.random() < 0.3:
        out.append(("log.channel", _at(v.pick(v.Context(rng, n_orders, ctx.language), _channels(ctx)), line_order),
                    None))
    if rng.random() < 0.3:
        categories = rng.choice(np.array(words(CATEGORIES, ctx.language), dtype=object), len(products))
        out.append(("log.category", _at(categories, product), None))
    if rng.random() < 0.4:
        out.append(("log.amount", pd.Series(np.round(quantity * prices[product], 2)), None))
    return out


def _channels(ctx: v.Context):
    return [1, 2, 3] if ctx.rng.random() < 0.3 else list(words(CHANNELS, ctx.language))


def cdnow(ctx: v.Context) -> list:
    """One line per order: customer, date, number of items, value (the CDNOW log)."""
    rng = ctx.rng
    customers = max(20, ctx.n // 6)
    who = np.sort(rng.integers(1, customers + 1, ctx.n))
    fmt = str(rng.choice(["compact", "iso", "dmy_slash", "mdy_slash"]))
    days = v.dates(ctx, "1997-01-01", "1998-06-30", fmt)
    quantity = np.maximum(1, rng.geometric(0.45, ctx.n))
    amount = np.round(quantity * rng.normal(15, 3, ctx.n).clip(5), 2)
    ids = pd.Series([f"{c:05d}" for c in who], dtype=object) if rng.random() < 0.5 else pd.Series(who)
    return [("log.customer", ids, None), ("log.date", days, None), ("log.quantity", pd.Series(quantity), None),
            ("log.amount", pd.Series(amount), None)]


def shop_orders(ctx: v.Context) -> list:
    """A Shopify-style orders export: order fields on each order's first line only."""
    rng = ctx.rng
    line_order, order_customer, order_time = _orders(ctx, 4, 2.0)
    n_orders = len(order_time)
    emails = v.emails(v.Context(rng, int(order_customer.max()) + 1, ctx.language)).to_numpy()
    products = v.product_names(ctx, 40)
    product = rng.integers(0, len(products), ctx.n)
    prices = np.round(20.0 * np.exp(rng.normal(0, 0.6, len(products))), 2)
    created = np.array(v.format_dates(order_time, "utc"), dtype=object)
    status = v.pick(v.Context(rng, n_orders, ctx.language), words(STATUSES, "en")[:5])
    countries = rng.choice(np.array(words(COUNTRIES, ctx.language), dtype=object), len(emails))
    out = [("log.invoice", _at(np.array([f"#{1001 + i}" for i in range(n_orders)], dtype=object), line_order), "Name")]
    if rng.random() < 0.5:
        out.append(("log.email_customer", _at(emails[order_customer], line_order), "Email"))
    else:
        keys = 5_000_000_000 + np.arange(len(emails)) * 7
        out += [("log.email", _at(emails[order_customer], line_order), "Email"),
                ("log.customer", _at(keys[order_customer], line_order), "Customer ID")]
    out += [("log.status", _first_line_only(_at(status.to_numpy(), line_order), line_order), "Financial Status"),
            ("log.paid_at", _first_line_only(_at(created, line_order), line_order), "Paid at"),
            ("log.date", _at(created, line_order), "Created at"),
            ("log.quantity", pd.Series(rng.integers(1, 4, ctx.n)), "Lineitem quantity"),
            ("log.description", _at(products, product), "Lineitem name"),
            ("log.price", pd.Series(prices[product]), "Lineitem price"),
            ("log.country", _first_line_only(_at(countries[order_customer], line_order), line_order),
             "Billing Country"),
            ("log.currency", pd.Series(["EUR"] * ctx.n, dtype=object), "Currency")]
    if rng.random() < 0.4:
        discount = np.round(rng.choice([0, 0, 0, 5, 10], n_orders).astype(float), 2)
        out.append(("log.discount", _first_line_only(_at(discount, line_order), line_order), None))
    if rng.random() < 0.3:
        shipping = np.round(rng.choice([0, 4.9, 6.9], n_orders), 2)
        out.append(("log.shipping", _first_line_only(_at(shipping, line_order), line_order), None))
    return out


def payments(ctx: v.Context) -> list:
    """A Stripe-style payments export: one line per charge, refunded amounts beside the paid ones."""
    rng = ctx.rng
    customers = v.ids(v.Context(rng, max(20, ctx.n // 5), ctx.language), "stripe").to_numpy()
    who = rng.integers(0, len(customers), ctx.n)
    emails = v.emails(v.Context(rng, len(customers), ctx.language)).to_numpy()
    amount = np.round(40.0 * np.exp(rng.normal(0, 0.6, ctx.n)), 2)
    refunded = np.where(rng.random(ctx.n) < 0.06, amount, np.where(rng.random(ctx.n) < 0.03, np.round(amount / 2, 2), 0))
    ids = v.ids(ctx, "stripe").str.replace("cus_", "ch_", regex=False)
    out = [("log.invoice", ids, "id"),
           ("log.date", v.dates(ctx, "2023-01-01", "2024-06-30", "utc", with_time=True), "Created (UTC)"),
           ("log.amount", pd.Series(amount), "Amount"), ("log.refunded", pd.Series(refunded), "Amount Refunded"),
           ("log.currency", pd.Series(["eur"] * ctx.n, dtype=object), "Currency"),
           ("log.status", v.pick(ctx, ["succeeded", "succeeded", "failed"], [0.9, 0.05, 0.05]), "Status"),
           ("log.customer", _at(customers, who), "Customer ID"),
           ("log.email", _at(emails, who), "Customer Email"),
           ("log.description", pd.Series([f"Invoice {rng.integers(1000, 99999)}" for _ in range(ctx.n)], dtype=object),
            "Description")]
    if rng.random() < 0.5:
        out.append(("log.card_brand", v.pick(ctx, ["Visa", "MasterCard", "American Express"]), "Card Brand"))
    return out


def till_receipts(ctx: v.Context) -> list:
    """Till receipts: date and time in two columns, refunds marked by a sale/refund type column."""
    rng = ctx.rng
    line_order, order_customer, order_time = _orders(ctx, 3, 3.0)
    n_orders = len(order_time)
    day_fmt = str(rng.choice(["iso", "dmy_slash", "dmy_dot", "mdy_slash"]))
    clock = "%H:%M" if rng.random() < 0.5 else "%H:%M:%S"
    refund = rng.random(n_orders) < 0.05
    sale, back = words(SALE_RETURN, ctx.language)
    cards = _customer_keys(ctx, int(order_customer.max()) + 1).astype(object)
    out = [("log.invoice", _at(100000 + np.arange(n_orders), line_order), None),
           ("log.date", _at(np.array(v.format_dates([t.replace(hour=0, minute=0, second=0) for t in order_time],
                                                    day_fmt), dtype=object), line_order), None),
           ("log.time", _at(np.array([t.strftime(clock) for t in order_time], dtype=object), line_order), None),
           ("log.customer", _at(cards[order_customer], line_order), None),
           ("log.amount", pd.Series(np.round(12.0 * np.exp(rng.normal(0, 0.7, ctx.n)), 2)), None),
           ("log.type", _at(np.where(refund, back, sale), line_order), None)]
    if rng.random() < 0.5:
        out.append(("log.channel", _at(v.pick(v.Context(rng, n_orders, ctx.language), _channels(ctx)), line_order),
                    None))
    if rng.random() < 0.5:
        out.append(("log.category", v.pick(ctx, words(CATEGORIES, ctx.language)), None))
    return out


def plain_log(ctx: v.Context) -> list:
    """A plain purchase log with any of invoice, amount or quantity and price, country, channel, category."""
    rng = ctx.rng
    line_order, order_customer, order_time = _orders(ctx, 3, 3.0)
    customers = _customer_keys(ctx, int(order_customer.max()) + 1).astype(object)
    fmt = str(rng.choice(_LINE_DATE_STYLES))
    out = [("log.customer", _at(customers[order_customer], line_order), None),
           ("log.date", _at(np.array(v.format_dates(order_time, fmt), dtype=object), line_order), None)]
    if rng.random() < 0.7:
        out.insert(0, ("log.invoice", _at(_invoice_numbers(ctx, len(order_time)), line_order), None))
    quantity = np.maximum(1, rng.geometric(0.4, ctx.n))
    price = np.round(9.0 * np.exp(rng.normal(0, 0.6, ctx.n)), 2)
    form = rng.random()
    if form < 0.7:
        out += [("log.quantity", pd.Series(quantity), None), ("log.price", pd.Series(price), None)]
    if form > 0.4:
        out.append(("log.amount", pd.Series(np.round(quantity * price, 2)), None))
    extras = [("log.country", lambda: v.pick(ctx, words(COUNTRIES, ctx.language))),
              ("log.channel", lambda: v.pick(ctx, _channels(ctx))),
              ("log.category", lambda: v.pick(ctx, words(CATEGORIES, ctx.language))),
              ("log.currency", lambda: pd.Series(["EUR"] * ctx.n, dtype=object)),
              ("log.email", lambda: _at(v.emails(v.Context(rng, len(customers), ctx.language)).to_numpy(),
                                        order_customer[line_order]))]
    for key, make in extras:
        if rng.random() < (0.2 if key in ("log.currency", "log.email") else 0.5):
            out.append((key, make(), None))
    return out


#: Builders of the purchase-log shapes by name.
LOG_BUILDERS = {"retail_lines": retail_lines, "cdnow": cdnow, "shop_orders": shop_orders, "payments": payments,
                "till_receipts": till_receipts, "plain_log": plain_log}
