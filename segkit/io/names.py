"""Column names: their words, and the rules that read a role or a group from a name.

Names are compared without case, accents, spaces or punctuation (``Customer ID``,
``customer_id`` and ``CustomerID`` are one name) and in English and the common French, German,
Spanish, Italian, Portuguese and Dutch words (``N° client``, ``Kundennummer``, ``Âge``). The
rules are data: :data:`SINGLE_NAME_RULES` for the one-column roles, :data:`GROUP_NAME_RULES`
for the groups of a customer table; add a word there rather than a branch elsewhere.

Examples
--------
>>> name_words("AcceptedCmp1"), name_key("Customer ID"), is_id_name("Client Ref")
(['accepted', 'cmp', '1'], 'customerid', True)
>>> GROUP_NAME_RULES["demographics"].matches("Revenu annuel")
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["GROUP_NAME_RULES", "SINGLE_NAME_RULES", "GroupRule", "NameRule", "ascii_name", "is_id_name",
           "is_numeric_demographic", "name_key", "name_words"]

#: Words that end the name of an id column ('Customer ID', 'Invoice No', 'Client Ref').
_ID_WORDS = frozenset({"id", "ids", "no", "nr", "num", "number", "ref", "reference", "key", "code", "identifier",
                       "uuid", "guid", "sku", "ean", "upc", "isbn"})
#: Id words that may come first, as French, Spanish or German put them ('N° client', 'id_cliente').
_LEAD_ID_WORDS = frozenset({"id", "no", "nr", "numero", "nummer", "code", "codigo", "cod", "ref", "key"})
#: Small words between a leading id word and the noun ('numero de cliente').
LINK_WORDS = frozenset({"de", "du", "del", "da", "di", "do"})
#: Names of columns that hold codes, not quantities (besides those ending in an id word).
_CODE_WORDS = frozenset({"zip", "zipcode", "postcode", "postal", "plz", "phone", "telephone", "mobile", "fax"})


def ascii_name(name) -> str:
    """A column name without accents, for matching: 'Âge' -> 'Age', 'N° client' -> 'No client'.

    Examples
    --------
    >>> ascii_name("Réponse campagne"), ascii_name("N° client"), ascii_name("Straße")
    ('Reponse campagne', 'No client', 'Strasse')
    """
    text = unicodedata.normalize("NFKD", str(name).replace("ß", "ss").replace("°", "o"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def name_words(name) -> list[str]:
    """Words of a column name: 'AcceptedCmp1' -> ['accepted', 'cmp', '1'], 'Âge' -> ['age']."""
    return [t.lower() for t in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", ascii_name(name))]


def name_key(name) -> str:
    """A column name without case, accents, spaces or punctuation: 'Customer ID' -> 'customerid'."""
    return re.sub(r"[^0-9a-z]", "", ascii_name(name).lower())


def is_id_name(name) -> bool:
    """Whether a name ends in an id or code word ('CustomerID', 'Invoice No', 'Zip'): codes, not quantities."""
    tokens = name_words(name)
    return bool(tokens) and (tokens[-1] in _ID_WORDS or tokens[-1] in _CODE_WORDS)


@dataclass(frozen=True)
class NameRule:
    """How a single role is recognised by name.

    ``exact`` are normalised names that are the role (score 2); a name containing one of
    ``words`` (together with an id word when ``with_id_word``: last, as in ``Client Ref``,
    or first, as in ``N° client`` or ``id_cliente``) and none of ``not_words`` scores 1;
    ``weak`` names score 0.5 (a bare ``ID`` may or may not be the customer).

    Examples
    --------
    >>> rule = SINGLE_NAME_RULES["customer_id"]
    >>> [rule.score(n) for n in ("CustomerID", "Member Ref", "ID member", "numero de cliente", "ID", "clients")]
    [2.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    """

    exact: frozenset[str]
    words: frozenset[str] = frozenset()
    not_words: frozenset[str] = frozenset()
    with_id_word: bool = False
    lead_words: frozenset[str] = frozenset()  # 'number_of_cds': first word + anything
    weak: frozenset[str] = frozenset()

    def score(self, name) -> float:
        norm, tokens = name_key(name), name_words(name)
        if norm in self.exact:
            return 2.0
        if set(tokens) & self.not_words:
            return 0.0
        words = set(tokens) & self.words
        if words and (not self.with_id_word or len(tokens) == 1 or tokens[-1] in _ID_WORDS
                      or _leads_with_id_word(tokens)):
            return 1.0
        if len(tokens) > 1 and tokens[0] in self.lead_words and tokens[-1] not in _ID_WORDS:
            return 1.0
        return 0.5 if norm in self.weak else 0.0


def _leads_with_id_word(tokens: list[str]) -> bool:
    """'N° client', 'id_cliente', 'numero de cliente': an id word, maybe a link word, then one noun."""
    if len(tokens) == 3 and tokens[1] in LINK_WORDS:
        tokens = [tokens[0], tokens[2]]
    return len(tokens) == 2 and tokens[0] in _LEAD_ID_WORDS and tokens[1] not in _ID_WORDS


def _words(text: str) -> frozenset[str]:
    """The words of a space-separated list, as the rules below write them."""
    return frozenset(text.split())


#: Name rules for the single-column roles, in the order they are assigned.
SINGLE_NAME_RULES: dict[str, NameRule] = {
    "customer_id": NameRule(
        exact=_words("customerid customer custid customerno customernumber customerref customercode customerkey "
                     "clientid client clientref clientno clientnumber clientcode userid user memberid member "
                     "membernumber accountid accountnumber account buyerid shopperid householdid personid "
                     "contactid subscriberid cid uid "
                     "kunde kundennummer kundennr kundenid kdnr idclient noclient numclient numeroclient codeclient "
                     "cliente idcliente codcliente codigocliente numerocliente klant klantnummer klantnr klantid"),
        words=_words("customer customers cust client user member account buyer shopper household patron "
                     "subscriber consumer guest person contact respondent participant panelist panellist "
                     "kunde kunden cliente klant usuario utente"),
        with_id_word=True,
        weak=_words("id"),
    ),
    "invoice": NameRule(
        exact=_words("invoice invoiceno invoiceid invoicenumber invoicenr order orderid orderno ordernumber "
                     "orderref ordername transaction transactionid transactionno txid txnid transid receipt receiptno "
                     "receiptid basket basketid ticket ticketid purchaseid cartid checkoutid billno billid "
                     "facture nofacture numerofacture commande nocommande numerocommande rechnung rechnungsnummer "
                     "rechnungsnr bestellung bestellnummer bestellnr belegnummer factura pedido fattura ordine "
                     "factuur bestelling"),
        words=_words("invoice order transaction receipt basket ticket txn tx trans purchase cart checkout bill "
                     "facture commande rechnung bestellung beleg factura pedido fattura ordine factuur bestelling"),
        with_id_word=True,
    ),
    "date": NameRule(
        exact=_words("date invoicedate orderdate purchasedate transactiondate saledate salesdate txdate timestamp "
                     "datetime time dt day ts ordertime purchasetime createdat orderedat purchasedat paidat "
                     "datum fecha bestelldatum rechnungsdatum kaufdatum"),
        words=_words("date datetime timestamp time dt ts datum fecha"),
        not_words=_words("birth born dob birthday birthdate expiry expiration"),
    ),
    "price": NameRule(
        exact=_words("price unitprice priceperunit itemprice priceeach unitcost listprice saleprice sellingprice "
                     "rate unitrate prix prixunitaire preis einzelpreis stueckpreis precio preciounitario prezzo "
                     "preco prijs"),
        words=_words("price prix preis precio prezzo preco prijs"),
        not_words=_words("total sum amount line"),
    ),
    "quantity": NameRule(
        exact=_words("quantity qty quantities units count items itemcount numitems numberofitems pieces pcs "
                     "unitssold quantitysold numberofunits quantite qte menge anzahl stueck cantidad quantita "
                     "quantidade aantal"),
        words=_words("quantity qty units items pieces pcs quantite qte menge anzahl cantidad quantita quantidade "
                     "aantal"),
        lead_words=_words("number num nb n"),
    ),
    "amount": NameRule(
        exact=_words("amount sales sale revenue dollarvalue total value linetotal lineamount linevalue totalamount "
                     "totalprice totalvalue totalsales netamount grossamount ordervalue ordertotal orderamount "
                     "spend spent turnover subtotal monetary monetaryvalue saleamount salesamount salesvalue "
                     "purchaseamount transactionamount payment paymentvalue paymentamount amountspent "
                     "montant betrag gesamtbetrag umsatz importe monto importo valor bedrag"),
        words=_words("amount revenue sales total value spend spent turnover subtotal monetary payment "
                     "montant betrag umsatz importe monto importo bedrag"),
        not_words=_words("score count items units qty quantity id no number date rate percent pct share "
                         "refund refunded refunds"),
    ),
    "channel": NameRule(
        exact=_words("channel saleschannel orderchannel purchasechannel source medium canal kanal vertriebskanal"),
        words=_words("channel channels canal kanal"),
    ),
    "category": NameRule(
        exact=_words("category productcategory categoryname department dept productline productgroup "
                     "productfamily genre subcategory producttype categorie kategorie categoria warengruppe rayon"),
        words=_words("category categories department dept genre categorie kategorie categoria warengruppe"),
    ),
    "country": NameRule(exact=_words("country countryname countrycode nation pays land pais paese"),
                        words=_words("country pays land pais paese")),
}


@dataclass(frozen=True)
class GroupRule:
    """A column belongs to a group when a name word is in ``words`` or ``stems`` occur in it."""

    words: frozenset[str]
    stems: tuple[str, ...] = ()
    not_words: frozenset[str] = frozenset()

    def matches(self, name) -> bool:
        norm, tokens = name_key(name), set(name_words(name))
        if tokens & self.not_words:
            return False
        return bool(tokens & self.words) or any(stem in norm for stem in self.stems)


#: Name rules for the column groups of a customer table, in the order they are assigned.
GROUP_NAME_RULES: dict[str, GroupRule] = {
    "identifiers": GroupRule(
        _words("email mail phone telephone tel cell fax name names surname forename address street ssn passport "
               "ip iban password username login nom prenom vorname nachname apellido cognome courriel "
               "telefon telefono adresse direccion indirizzo"),
        ("email", "phone", "firstname", "lastname", "fullname", "surname", "givenname", "familyname", "forename",
         "address", "socialsecurity", "passport", "iban", "creditcard", "cardnumber", "nationalid", "taxid",
         "username", "prenom", "vorname", "nachname", "apellido", "telefon"),
    ),
    # Campaign answers and other yes/no outcomes (churn): profiled against the segments, not
    # clustered on by default, so segments are not just "churners" and "the rest".
    "campaigns": GroupRule(
        _words("cmp campaign campaigns accepted response responded respond responses offer promo promotion "
               "converted conversion optin redeemed coupon clicked opened mailing reponse antwort campagne kampagne "
               "campana campanha churn churned attrition exited"),
        ("cmp", "campaign", "accepted", "respon", "promo", "offer", "convert", "coupon", "redeem", "optin",
         "reponse", "campagn", "kampagn", "churn", "attrition"),
    ),
    "demographics": GroupRule(
        _words("age sex gender dob yob income salary wage wages earnings education degree marital married kids "
               "kid teens teen children child household occupation profession job employment ethnicity race "
               "religion dependents dependants spouse partner senior generation birthday birthdate born nationality "
               "language alter edad eta idade leeftijd sexe sexo geschlecht sesso geslacht revenu revenus einkommen "
               "ingreso ingresos reddito renda inkomen salaire salario gehalt enfants kinder hijos figli "
               "familienstand"),
        ("income", "salary", "birth", "gender", "marital", "educat", "kidhome", "teenhome", "children",
         "household", "occupation", "profession", "ethnic", "religio", "dependen", "employ", "einkommen"),
    ),
    "geography": GroupRule(
        _words("country region city state zip zipcode postcode postal province county district town territory "
               "location lat latitude lon lng longitude continent suburb neighbourhood neighborhood geo area "
               "municipality metro dma pays land pais paese ville stadt ciudad citta cidade stad ort regione "
               "provincia departement bundesland plz"),
        ("country", "region", "postcode", "zipcode", "latitude", "longitude", "province", "geograph",
         "codepostal", "postleitzahl", "codigopostal"),
    ),
    "technographics": GroupRule(
        _words("device devices os browser platform app apps mobile tablet desktop smartphone android ios iphone "
               "useragent screen carrier software hardware operating internet broadband"),
        ("device", "browser", "platform", "operatingsystem", "useragent", "smartphone"),
        # what customers do in an app is behaviour: 'in_app_purchases', 'app_sessions'
        _words("purchase purchases order orders spend spent revenue sessions session minutes visits transactions "
               "amount"),
    ),
    "psychographics": GroupRule(
        _words("interest interests lifestyle values hobby hobbies personality attitude attitudes opinion opinions "
               "motivation motivations preference preferences persona trait traits belief beliefs passion "
               "passions affinity affinities aspiration aspirations"),
        ("interest", "lifestyle", "hobb", "personalit", "attitud", "motivat", "psycho"),
    ),
}

#: Stems of an income column's name ('Income', 'Annual Salary', 'Einkommen').
INCOME_STEMS = ("income", "salary", "wage", "earning", "einkommen", "ingreso", "reddito", "inkomen", "salaire",
                "salario", "gehalt")
#: Income as a whole word only: French 'revenu' is income, English 'revenue' (Z_Revenue) is not.
INCOME_WORDS = frozenset({"revenu", "revenus", "renda"})
#: Words of an age column's name ('Age', 'Âge', 'Alter', 'Età').
AGE_WORDS = frozenset({"age", "alter", "edad", "eta", "idade", "leeftijd"})
#: Demographic columns that must hold numbers, by the stems and the words of their names.
_NUMERIC_DEMOGRAPHIC_STEMS = (*INCOME_STEMS, "kidhome", "teenhome", "yearbirth", "birthyear", "yearofbirth")
_NUMERIC_DEMOGRAPHIC_WORDS = AGE_WORDS | INCOME_WORDS | {"kids", "teens", "children", "dependents", "dependants",
                                                         "yob"}
#: Words that make a name personal: a log's 'Customer Name' is personal data, its 'Product Name' is not.
PERSON_WORDS = frozenset({"customer", "client", "first", "last", "full", "given", "family", "contact", "person",
                          "user", "buyer", "member"})


def is_numeric_demographic(name) -> bool:
    """Whether a demographic column's name says it holds a number: an income, an age, a birth year, kids.

    Examples
    --------
    >>> [is_numeric_demographic(n) for n in ("Income", "Kidhome", "Âge", "Year_Birth", "Marital_Status")]
    [True, True, True, True, False]
    """
    return (any(stem in name_key(name) for stem in _NUMERIC_DEMOGRAPHIC_STEMS)
            or bool(set(name_words(name)) & _NUMERIC_DEMOGRAPHIC_WORDS))
