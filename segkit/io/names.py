"""Column names: their words, and the rules that read a role, a group or a kind from a name.

Names are compared without case, accents, spaces or punctuation (``Customer ID``,
``customer_id`` and ``CustomerID`` are one name) and in English and the common French, German,
Spanish, Italian, Portuguese and Dutch words (``N° client``, ``Kundennummer``, ``Âge``). The
rules are data: :data:`SINGLE_NAME_RULES` for the one-column roles, :data:`GROUP_NAME_RULES`
for the groups of a customer table, :data:`HINTS` for what else a name may say (a date, an
outcome, money, a count, a code...); add a word there rather than a branch elsewhere. A name
only hints: :mod:`segkit.io.judge` weighs it against the column's values.

Examples
--------
>>> name_words("AcceptedCmp1"), name_key("Customer ID"), is_id_name("Client Ref")
(['accepted', 'cmp', '1'], 'customerid', True)
>>> GROUP_NAME_RULES["demographics"].matches("Revenu annuel")
True
>>> sorted(hints_of("App_Usage_Time_(min/day)"))
['date', 'day', 'duration', 'quantity', 'unit']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["GROUP_NAME_RULES", "HINTS", "SINGLE_NAME_RULES", "GroupRule", "Hint", "NameRule", "ascii_name",
           "hints_of", "is_age_name", "is_birth_name", "is_birth_year_name", "is_id_name", "is_income_name",
           "is_numeric_demographic", "is_question", "name_key", "name_words"]

#: Words that end the name of an id column ('Customer ID', 'Invoice No', 'Client Ref').
_ID_WORDS = frozenset({"id", "ids", "no", "nr", "num", "number", "ref", "reference", "key", "code", "identifier",
                       "uuid", "guid", "sku", "ean", "upc", "isbn", "nummer", "numero"})
#: Id words that may come first, as French, Spanish or German put them ('N° client', 'id_cliente').
_LEAD_ID_WORDS = frozenset({"id", "no", "nr", "numero", "nummer", "code", "codigo", "codice", "cod", "ref", "key",
                            "identifiant", "num", "n"})
#: Small words between a leading id word and the noun ('numero de cliente').
LINK_WORDS = frozenset({"de", "du", "del", "da", "di", "do"})
#: Names of columns that hold codes, not quantities (besides those ending in an id word).
_CODE_WORDS = frozenset({"zip", "zipcode", "postcode", "postal", "plz", "phone", "telephone", "mobile", "fax"})
#: Endings of one-word id names ('Teilnehmernummer', 'Abonneenummer', 'Kundennr').
_ID_SUFFIXES = ("nummer", "number", "nr", "id", "no", "code", "key", "ref")


def ascii_name(name) -> str:
    """A column name without accents, for matching: 'Âge' -> 'Age', 'N° client' -> 'No client'.

    Examples
    --------
    >>> ascii_name("Réponse campagne"), ascii_name("N° client"), ascii_name("Straße"), ascii_name("n.º cliente")
    ('Reponse campagne', 'No client', 'Strasse', 'no cliente')
    """
    return _ascii(str(name))


# Names are matched against dozens of rules each, and a wide table has thousands of them:
# the three readings of a name below are computed once per name (120,000 calls were 15 s of
# reading a table of 10,000 columns).
@functools.lru_cache(maxsize=1 << 16)
def _ascii(name: str) -> str:
    text = re.sub(r"(?i)\b(n)\.\s*(?=[º°])", r"\1", name)  # 'n.º cliente' is 'nº cliente'
    text = re.sub(r"(?i)\bn\.o\b", "no", text)  # ... and so is 'n.o cliente' (an export without accents)
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("°", "o"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def name_words(name) -> list[str]:
    """Words of a column name: 'AcceptedCmp1' -> ['accepted', 'cmp', '1'], 'Âge' -> ['age']."""
    return list(_name_words(str(name)))


@functools.lru_cache(maxsize=1 << 16)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", _ascii(name)))


@functools.lru_cache(maxsize=1 << 16)
def _name_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _ascii(name).lower())


def name_key(name) -> str:
    """A column name without case, accents, spaces or punctuation: 'Customer ID' -> 'customerid'."""
    return _name_key(str(name))


def is_id_name(name) -> bool:
    """Whether a name ends in an id or code word ('CustomerID', 'Invoice No', 'Zip'): codes, not quantities."""
    tokens = name_words(name)
    return bool(tokens) and (tokens[-1] in _ID_WORDS or tokens[-1] in _CODE_WORDS)


#: First words of a statement a respondent rates ('I enjoy shopping', 'Ik winkel graag').
_FIRST_PERSON = frozenset({"i", "je", "j", "ich", "yo", "me", "mi", "eu", "ik", "my", "we", "wir", "nous", "prefiero",
                           "disfruto", "preferisco", "prefiro", "gosto", "adoro", "compro", "kaufe", "achete"})


def is_question(name) -> bool:
    """Whether a name is a survey question or statement rather than a label: a question mark, a
    statement in the first person, or five words and more ('Le prix compte plus que la qualité').

    Examples
    --------
    >>> is_question("How often do you shop online?"), is_question("I enjoy shopping"), is_question("Ik winkel graag")
    (True, True, True)
    >>> is_question("Departure Delay in Minutes"), is_question("total day minutes")
    (False, False)
    """
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", str(name))]
    return "?" in str(name) or len(words) >= 5 or (len(words) >= 2 and words[0] in _FIRST_PERSON)


def _words(text: str) -> frozenset[str]:
    """The words of a space-separated list, as names are compared (lower case, no accents)."""
    return frozenset(ascii_name(text).lower().split())


@dataclass(frozen=True)
class NameRule:
    """How a single role is recognised by name.

    ``exact`` are normalised names that are the role (score 2); a name containing one of
    ``words`` (together with an id word when ``with_id_word``: first or last, as in ``Client
    Ref``, ``N° client``, ``id_cliente`` or ``Teilnehmernummer``) and none of ``not_words``
    scores 1; ``weak`` names score 0.5 (a bare ``ID`` may or may not be the customer).

    Examples
    --------
    >>> rule = SINGLE_NAME_RULES["customer_id"]
    >>> [rule.score(n) for n in ("CustomerID", "Member Ref", "ID member", "numero de cliente", "ID", "clients")]
    [2.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    >>> [rule.score(n) for n in ("Teilnehmernummer", "id nucleo familiare", "Row ID", "customer type")]
    [1.0, 1.0, 0.0, 0.0]
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
                      or tokens[0] in _LEAD_ID_WORDS):
            return 1.0
        if self.with_id_word and len(tokens) == 1 and self._compound(norm):
            return 1.0
        if len(tokens) > 1 and tokens[0] in self.lead_words and tokens[-1] not in _ID_WORDS:
            return 1.0
        return 0.5 if norm in self.weak else 0.0

    def _compound(self, norm: str) -> bool:
        """'teilnehmernummer', 'haushaltsnummer', 'abonneenummer': one of the words and an id ending."""
        for suffix in _ID_SUFFIXES:
            stem = norm[: -len(suffix)] if norm.endswith(suffix) else ""
            if stem and (stem in self.words or stem.rstrip("s") in self.words or stem.removesuffix("en") in self.words):
                return True
        return False


#: Name rules for the single-column roles, in the order they are assigned.
SINGLE_NAME_RULES: dict[str, NameRule] = {
    "customer_id": NameRule(
        exact=_words("customerid customer custid customerno customernumber customerref customercode customerkey "
                     "clientid client clientref clientno clientnumber clientcode userid user memberid member "
                     "membernumber accountid accountnumber account buyerid shopperid householdid personid "
                     "contactid subscriberid cid uid householdkey hhkey hhid "
                     "kunde kundennummer kundennr kundenid kdnr idclient noclient numclient numeroclient codeclient "
                     "cliente idcliente codcliente codigocliente numerocliente klant klantnummer klantnr klantid "
                     "loyaltycard loyaltynumber loyaltyid membercard clubcard kundenkarte klantenkaart "
                     "cartefidelite cartafedelta tarjetafidelidad cartaofidelidade"),
        words=_words("customer customers cust client user member account buyer shopper household hh patron response "
                     "subscriber consumer guest person contact respondent participant panelist panellist "
                     "kunde kunden cliente klant usuario utente encuestado répondant befragten befragte teilnehmer "
                     "rispondente inquirido foyer haushalt haushalts hogar nucleo agregado huishouden abonné abonado "
                     "abbonato assinante abonnee contract contrat vertrag contrato contratto utilisateur nutzer "
                     "utilizador gebruiker membre mitglied socio lid"),
        not_words=_words("row rows index line"),
        with_id_word=True,
        weak=_words("id"),
    ),
    "invoice": NameRule(
        exact=_words("invoice invoiceno invoiceid invoicenumber invoicenr order orderid orderno ordernumber "
                     "orderref ordername transaction transactionid transactionno txid txnid transid receipt receiptno "
                     "receiptid basket basketid ticket ticketid purchaseid cartid checkoutid billno billid "
                     "facture nofacture numerofacture commande nocommande numerocommande rechnung rechnungsnummer "
                     "rechnungsnr bestellung bestellnummer bestellnr belegnummer belegnr factura pedido fattura "
                     "ordine factuur bestelling factuurnummer bestelnummer bonnummer numerofattura scontrino "
                     "noticket noordine noordem noencomenda"),
        words=_words("invoice order transaction receipt basket ticket txn tx trans purchase cart checkout bill "
                     "facture commande rechnung bestellung beleg factura pedido fattura ordine factuur bestelling "
                     "encomenda bon scontrino fatura"),
        with_id_word=True,
    ),
    "date": NameRule(
        exact=_words("date invoicedate orderdate purchasedate transactiondate saledate salesdate txdate timestamp "
                     "datetime time dt day ts ordertime purchasetime createdat orderedat purchasedat paidat "
                     "datum fecha bestelldatum rechnungsdatum kaufdatum data datefacture datedecommande "
                     "fechafactura fechapedido datafattura dataordine datadafatura datadopedido factuurdatum "
                     "besteldatum"),
        words=_words("date datetime timestamp time dt ts datum fecha"),
        not_words=_words("birth born dob birthday birthdate expiry expiration"),
    ),
    "price": NameRule(
        exact=_words("price unitprice priceperunit itemprice priceeach unitcost listprice saleprice sellingprice "
                     "rate unitrate prix prixunitaire preis einzelpreis stueckpreis precio preciounitario prezzo "
                     "prezzounitario preco precounitario prijs prijsperstuk stukprijs"),
        words=_words("price prix preis precio prezzo preco prijs"),
        not_words=_words("total sum amount line"),
    ),
    "quantity": NameRule(
        exact=_words("quantity qty quantities units count items itemcount numitems numberofitems pieces pcs "
                     "unitssold quantitysold numberofunits quantite qte menge anzahl stueck cantidad unidades "
                     "quantita pezzi quantidade qtd aantal hoeveelheid"),
        words=_words("quantity qty units items pieces pcs quantite qte menge anzahl cantidad quantita quantidade "
                     "aantal hoeveelheid unidades pezzi qtd"),
        not_words=_words("order orders invoice ordine commande pedido bestellung factura fattura facture encomenda "
                         "bestelling ticket receipt"),
        lead_words=_words("number num nb n"),
    ),
    "amount": NameRule(
        exact=_words("amount sales sale revenue dollarvalue total value linetotal lineamount linevalue totalamount "
                     "totalprice totalvalue totalsales netamount grossamount ordervalue ordertotal orderamount "
                     "spend spent turnover subtotal monetary monetaryvalue saleamount salesamount salesvalue "
                     "purchaseamount transactionamount payment paymentvalue paymentamount amountspent "
                     "montant betrag gesamtbetrag umsatz importe monto importo valor bedrag totaal totale "
                     "totalligne montantttc"),
        words=_words("amount revenue sales total value spend spent turnover subtotal monetary payment "
                     "montant betrag umsatz importe monto importo bedrag totaal totale"),
        not_words=_words("score count items units qty quantity id no number date rate percent pct share "
                         "refund refunded refunds"),
    ),
    "channel": NameRule(
        exact=_words("channel saleschannel orderchannel purchasechannel source medium canal kanal vertriebskanal "
                     "canale kanaal canaldevente canaldeventa canaledivendita canaldevenda verkoopkanaal"),
        words=_words("channel channels canal kanal canale kanaal"),
    ),
    "category": NameRule(
        exact=_words("category productcategory categoryname department dept productline productgroup "
                     "productfamily genre subcategory producttype categorie kategorie categoria warengruppe rayon "
                     "familia reparto seccao afdeling"),
        words=_words("category categories department dept genre categorie kategorie categoria warengruppe"),
    ),
    "country": NameRule(exact=_words("country countryname countrycode nation pays land pais paese shipcountry"),
                        words=_words("country pays land pais paese")),
}


@dataclass(frozen=True)
class Hint:
    """Something a name may say, in words of seven languages: a group, a kind, an outcome...

    A name says it when one of its words is in ``words``, one of ``phrases`` (words in a row)
    is in it, or one of ``stems`` occurs in its :func:`name_key` (compound words:
    ``Haushaltsgröße``), unless it has one of ``not_words``. :meth:`says` returns the word
    found, for the evidence a column call gives.

    Examples
    --------
    >>> HINTS["outcome"].says("se dio de baja"), HINTS["outcome"].says("balance")
    ('baja', None)
    """

    words: frozenset[str]
    stems: tuple[str, ...] = ()
    not_words: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()

    def says(self, name) -> str | None:
        tokens = name_words(name)
        if set(tokens) & self.not_words:
            return None
        for token in tokens:
            if token in self.words:
                return token
        for phrase in self.phrases:
            n = len(phrase)
            if any(tuple(tokens[i:i + n]) == phrase for i in range(len(tokens) - n + 1)):
                return " ".join(phrase)
        norm = name_key(name)
        return next((stem for stem in self.stems if stem in norm), None)

    def matches(self, name) -> bool:
        return self.says(name) is not None


#: The rule of a column group (kept under this name for the code that reads it).
GroupRule = Hint


def _hint(words: str = "", stems: str = "", not_words: str = "", phrases: str = "") -> Hint:
    """A :class:`Hint` from space-separated words and stems and ``|``-separated phrases."""
    return Hint(_words(words), tuple(_words(stems)), _words(not_words),
                tuple(tuple(name_words(p)) for p in phrases.split("|") if p.strip()))


#: Name rules for the column groups of a customer table.
GROUP_NAME_RULES: dict[str, Hint] = {
    "identifiers": _hint(
        "email mail phone telephone tel cell fax name names surname forename address street ssn passport "
        "ip iban password username login nom prenom vorname nachname familienname apellido apellidos cognome "
        "courriel telefon telefonnummer telefono adresse direccion indirizzo nombre nome naam voornaam achternaam "
        "sobrenome apelido morada endereco rua calle straat adres anschrift strasse tel telefone telemovel celular "
        "movil cellulare mobiel telefoon telefoonnummer handy portable nominativo kundenname correo emailaddress "
        "contact",
        "email phone firstname lastname fullname surname givenname familyname forename address socialsecurity "
        "passport iban creditcard cardnumber nationalid taxid username prenom vorname nachname apellido telefon "
        "ipaddress lastip emailadres",
        phrases="posta elettronica | correio eletronico | primeiro nome | nome proprio | volledige naam"),
    # Campaign answers: profiled against the segments and targeted on, not clustered on by default.
    "campaigns": _hint(
        "cmp campaign campaigns accepted response responded respond responses offer promo promotion redeemed "
        "coupon clicked opened reponse repondu antwort reagiert kampagnenantwort respuesta respondio "
        "risposta risposto resposta respondeu reactie gereageerd acceptee angenommen aceptada accettata aceite "
        "geaccepteerd converted conversion converti konvertiert convertido convertito geconverteerd subscribed",
        "cmp acceptedcmp respon promo coupon redeem reponse kampagnenantwort"),
    "demographics": _hint(
        "age sex gender dob yob income salary wage wages earnings education degree marital married marriage kids "
        "kid teens teen teenagers children child household occupation profession job employment ethnicity race "
        "religion dependents dependants spouse partner senior seniorcitizen generation birthday birthdate born "
        "nationality language alter edad eta idade leeftijd sexe sexo geschlecht sesso geslacht genre genere genero "
        "revenu revenus einkommen ingreso ingresos reddito renda inkomen salaire salario gehalt salaris stipendio "
        "rendimento renta enfants kinder hijos figli filhos kinderen adolescents adolescentes adolescenti tieners "
        "jugendliche familienstand marie verheiratet casado sposato gehuwd education educacion istruzione "
        "escolaridade opleiding opleidingsniveau bildung bildungsabschluss ausbildung diplome estudios "
        "habilitacoes graduated graduado laureato licenciado afgestudeerd diplomado beruf metier emploi profesion "
        "ocupacion professione occupazione profissao beroep tatigkeit homeowner proprietaire eigentumer wohnstatus "
        "abitazione habitacao woonsituatie dependientes dependentes unterhaltsberechtigte pareja parceiro couple "
        "hh family famille familia famiglia gezin experience erfahrung experiencia esperienza werkervaring "
        "berufserfahrung naissance geburtsjahr geburtsdatum nacimiento nascita nascimento geboortejaar "
        "geboortedatum senior sénior studium etudes ownership logement vivienda etaria foyer hogar componenti "
        "agregado menage edu height weight bmi",
        "income salary birth gender marital educat kidhome teenhome children household occupation profession "
        "ethnic religio dependen employ einkommen inkomen haushalt huishoud alters leeftijds geburt geboorte "
        "familienstand burgerlijke estadocivil statocivile etatcivil situationfamiliale",
        not_words="account days credit credito kredit loan loans mortgage hipoteca hypotheek prestamo prestito "
                  "mutuo emprestimo lening",
        phrases="state civil | etat civil | estado civil | stato civile | burgerlijke staat | mayor de 65 | over 65 "
                "| ever married | en couple | personnes a charge | familiari a carico | inwonende kinderen | "
                "titolo di studio | taille du foyer | tamano del hogar | componenti famiglia | tamanho do agregado | composition du foyer "
                "| composicion del hogar | composizione famiglia | composicao do agregado | samenstelling huishouden"),
    "geography": _hint(
        "country region city state zip zipcode postcode postal province county district town territory "
        "location lat latitude lon lng longitude continent suburb neighbourhood neighborhood geo area "
        "municipality metro dma pays land pais paese nazione ville stadt ciudad citta cidade stad ort regione "
        "provincia departement bundesland plz region regio regiao gebiet zona zone cap cp localidade woonplaats "
        "geography geografie geografia geographie market markt marche mercado mercato nation",
        "country region postcode zipcode latitude longitude province geograph codepostal postleitzahl "
        "codigopostal codicepostale areacode",
        phrases="area code | zone geographique | area geografica"),
    "technographics": _hint(
        "device devices os browser platform app apps mobile tablet desktop smartphone android ios iphone "
        "useragent screen carrier software hardware operating internet broadband appareil navigateur navegador "
        "dispositivo gerat toestel apparaat gerate betriebssystem besturingssysteem battery batterie akku bateria "
        "batteria batterij internetservice applications",
        "device browser platform operatingsystem useragent smartphone internet gerat apparaat batterij akku "
        "installiert phonemodel",
        # what customers do in an app is behaviour: 'in_app_purchases', 'app_sessions', 'App Usage Time'
        "purchase purchases order orders spend spent revenue sessions session minutes visits transactions "
        "amount time usage min hours data protection insurance",
        phrases="sistema operativo | systeme d'exploitation"),
    "psychographics": _hint(
        "interest interests lifestyle values hobby hobbies personality attitude attitudes opinion opinions "
        "motivation motivations preference preferences persona trait traits belief beliefs passion "
        "passions affinity affinities aspiration aspirations interet interets loisir loisirs interessen "
        "intereses aficion interessi interesses passatempo",
        "interest lifestyle hobb personalit attitud motivat psycho interess"),
}

#: What else a name may say: each hint is weighed against the column's values by
#: :mod:`segkit.io.judge`; none of them decides alone.
HINTS: dict[str, Hint] = {
    # a row counter ('Unnamed: 0', 'RowNumber'): not a trait of the customer
    "row": _hint("row rows rownum rownumber rowid index idx unnamed lineno", "rownumber rownum"),
    "date": _hint(
        "date dates datetime timestamp time dt ts datum fecha data since joined registration signup created "
        "login seen expiry expiration valid depuis seit desde dal sinds inscription registrierung alta iscrizione "
        "adesao inschrijfdatum connexion acceso accesso ingelogd end fin ende einde fim",
        "datum fecha"),
    "birth": _hint("birth born dob yob birthday birthdate naissance geburt nacimiento nascita nascimento geboorte",
                   "birth geburt geboorte naissance nacimiento nascita nascimento"),
    "day": _hint("day days jour jours tag tage dia dias giorno giorni dag dagen"),
    "month": _hint("month months mois monat monate mes meses mese mesi maand maanden"),
    # answers to predict and results of the past: profiled per segment, never clustered by default
    "outcome": _hint(
        "churn churned churnflag attrition exited segmentation segment segments segmento segmentos segmenti "
        "kundensegment cluster clusters clusterid kmeans clusteer default defaulted converted conversion "
        "purchased poutcome outcome resilie desabonne depart gekundigt kundigung abwanderung ausgetreten baja "
        "abandono disdetta uscito cancelou saiu opgezegd vertrokken impago insolvenza incumprimento "
        "wanbetaling zahlungsausfall converti konvertiert convertido convertito geconverteerd gekauft compro "
        "acquistato comprou gekocht resultat ergebnis resultado esito resultaat satisfaction satisfied "
        "zufriedenheit satisfaccion soddisfazione satisfacao tevredenheid abbandono parti kundenstatus",
        "churn attrition segmentation kundensegment",
        not_words="score rating note bewertung valoracion valutazione avaliacao beoordeling",
        phrases="has left | closed account | compte cloture | konto gekundigt | cuenta cerrada | conto chiuso | "
                "conta encerrada | rekening opgezegd | se fue | cliente perso | client parti | customer status | "
                "statut client | estado del cliente | stato cliente | estado do cliente | klantstatus | "
                "achat effectue | defaut de paiement"),
    # a label or target: an answer to predict ('Label', 'target', 'Zielgröße')
    "label": _hint("label labels target targets cible objetivo alvo doel", "zielgrosse"),
    # a class: an outcome when its values are codes ('Class' 1-5), not when they are words ('Eco', 'Business')
    "class": _hint("class classe klasse clase"),
    # a grouping someone made: an outcome when it is the whole name ('Gruppe'), not in 'age group'
    "group": _hint("group groups groupe gruppe grupo gruppo groep"),
    "money": _hint(
        "income salary wage wages earnings spend spent spending amount amounts amt revenue revenues sales "
        "value charges charge fee fees bill bills payment payments pay balance limit price cost costs mnt aov "
        "basket turnover paid revenu revenus einkommen jahreseinkommen gehalt salaire salario salaris stipendio "
        "reddito ingresos ingreso renta renda rendimento inkomen jaarinkomen depenses montant chiffre umsatz "
        "ausgaben gesamtumsatz gesamtausgaben gasto gastos importe spesa fatturato despesa valor uitgaven omzet "
        "mensualite facture gebuhr monatsbeitrag beitrag cuota cargo cargos canone mensalidade maandbedrag "
        "gesamtkosten addebiti faturado gefactureerd factureerd solde kontostand saldo plafond kreditlimit limite "
        "kredietlimiet rechnung factura fattura fatura factuur paiement zahlung pago pagamento betaling panier "
        "warenkorb ticket scontrino orderwaarde estimatedsalary shipping freight tax discount",
        "income salary spend revenue charges balance einkommen umsatz ausgaben gehalt kosten betrag bedrag "
        "orderwaarde warenkorb kreditlimit",
        not_words="score rating count number num nb anzahl aantal"),
    "count": _hint(
        "number num nb n count counts cnt orders order purchases purchase visits visit calls call messages "
        "message products product contacts contact kids kid children child teens teenagers tenure recency days "
        "months previous pdays apps tickets sessions items transactions size members dependents commandes achats "
        "visites appels produits enfants anciennete jours mois bestellungen kaufe besuche anrufe nachrichten "
        "produkte kontakte kinder tage monate kundendauer vertragsdauer pedidos compras visitas llamadas mensajes "
        "productos contactos hijos antiguedad dias meses ordini acquisti visite chiamate messaggi prodotti "
        "contatti figli anzianita giorni mesi encomendas chamadas mensagens produtos filhos antiguidade "
        "bestellingen aankopen bezoeken oproepen gesprekken berichten producten contacten kinderen klantduur "
        "looptijd dagen maanden aantal anzahl nombre numero length adolescents adolescentes tieners jugendliche "
        "frequency years annees anos anni jahre jaren taille tamano tamanho grootte componenti applications",
        "numof numberof kidhome teenhome numweb numstore numcatalog numdeals household haushalt huishoud familysize "
        "tenure recency besuche bezoeken nachrichten berichten"),
    # measures: a quantity whatever else the name says ('Spending Score', 'Work experience (years)')
    "quantity": _hint(
        "minutes minute min mins usage distance delay score battery screen experience weight height speed "
        "consumption volume volumen km mb gb kb mah hours hour minuten minutos minuti consommation verbrauch "
        "consumo verbruik distancia distanza afstand retard verspatung retraso ritardo atraso vertraging "
        "experiencia esperienza ervaring erfahrung strecke flugstrecke bonitat puntuacion punteggio pontuacao",
        "score usage distance delay battery screen experience minutes minuten ervaring erfahrung verbrauch "
        "verbruik afstand strecke volumen volume"),
    # spans of time: a quantity, unless the name counts days, months or years ('Kontodauer (Tage)')
    "duration": _hint("time duration temps zeit tiempo tempo tijd duree dauer duracion durata duracao duur",
                      "zeit tijd dauer"),
    # units that make a number a measure ('(min/day)', '(GB)', 'mAh'), whatever else the name says
    "unit": _hint("min mins minute minutes s sec secs seconds h hr hrs hour hours std stunden ore uur horas heures "
                  "km mi miles mb gb kb go mo mah kwh kg lbs cm minuten minutos minuti"),
    "share": _hint(
        "share shares pct percent percentage ratio proportion part taux anteil quote porcentaje tasa quota tasso "
        "percentagem taxa aandeel percentage prozent pourcentage",
        "percent pct ratio share"),
    # survey ratings: 'Satisfaction (1-7)', 'likelihood to recommend', 'overall rating'
    "rating": _hint(
        "rating ratings rate rated satisfaction nps recommend recommendation likelihood stars star note notes "
        "bewertung valoracion valutazione avaliacao beoordeling zufriedenheit satisfaccion soddisfazione "
        "satisfacao tevredenheid weiterempfehlung probabilite probabilidad probabilita probabilidade "
        "aanbevelingsscore importance wichtigkeit importancia importanza importancia belang convenient comfort "
        "cleanliness service quality",
        "satisfaction rating recommend weiterempfehlung aanbeveling"),
    # things that are named, not measured: numbers in such a column are codes ('Channel' 1/2, 'Region' 1-3)
    "code": _hint(
        "code codes cd codice codigo cod type kind category categories status plan contract method mode source "
        "channel canal kanal canale kanaal region regio regiao regione gebiet zona zone area state zip zipcode "
        "postcode plz cap cp gender sex sexe geschlecht sexo sesso geslacht genre genero marital marriage "
        "education edu istruzione escolaridade opleiding bildung educacion estudios job occupation profession "
        "segment cluster group gruppe groupe grupo gruppo groep tipo typ soort art categorie kategorie categoria "
        "province provincia county district country pays land pais paese city ville stadt ciudad citta cidade "
        "stad market markt nation",
        "code gender marital educat postcode zipcode postleitzahl statocivile estadocivil familienstand "
        "burgerlijke situationfamiliale etatcivil region"),
    # names of descriptions and notes: text, not a category
    "text": _hint(
        "description descriptions desc comment comments notes note remarks remark feedback product products "
        "item items name designation libelle bezeichnung artikelbezeichnung beschreibung produkt descripcion "
        "producto descrizione prodotto descricao produto omschrijving commentaire commentaires remarques "
        "kommentar bemerkungen anmerkung comentarios observaciones commenti comentarios observacoes "
        "opmerkingen commentaar lineitem", "lineitemname productname itemname",
        not_words="code id no nr number sku ref"),
    # bands and tiers: an ordered scale when the values form one
    "band": _hint("band bands range ranges bracket brackets tranche tranches klasse klassen tramo rango fascia faixa "
                  "escalao categorie category tier level niveau nivel livello niveau stufe grade"),
    # a product's code in a purchase log: an identifier, not a category
    "product": _hint("sku stockcode article artikel reference referencia riferimento referencia artikelnummer "
                     "artikelcode artnr ean upc", "stockcode artikelnummer artikelcode codearticle codigodeartigo "
                     "codiceartico codarticolo codigodeartigo itemcode productid",
                     phrases="item code | product id | code article | codigo de articulo | codice articolo | "
                             "cod articolo | codigo do artigo"),
}


def hints_of(name) -> dict[str, str]:
    """What a name says: ``{hint: the word that says it}`` for every hint of :data:`HINTS` it matches.

    Examples
    --------
    >>> hints_of("Departure/Arrival time convenient")
    {'date': 'time', 'duration': 'time', 'rating': 'convenient'}
    >>> hints_of("se dio de baja")
    {'outcome': 'baja'}
    """
    found = {}
    for key, hint in HINTS.items():
        word = hint.says(name)
        if word is not None:
            found[key] = word
    return found


# --------------------------------------------------------------------------------- person data

#: Stems of an income column's name ('Income', 'Annual Salary', 'Einkommen').
INCOME_STEMS = ("income", "salary", "wage", "earning", "einkommen", "ingreso", "reddito", "inkomen", "salaire",
                "salario", "gehalt", "salaris", "stipendio", "rendimento")
#: Income as a whole word only: French 'revenu' is income, English 'revenue' (Z_Revenue) is not.
INCOME_WORDS = frozenset({"revenu", "revenus", "renda", "renta"})
#: Words of an age column's name ('Age', 'Âge', 'Alter', 'Età').
AGE_WORDS = frozenset({"age", "alter", "edad", "eta", "idade", "leeftijd"})
#: Words that may stand beside an age word in the name of a person's age; 'account_age' is not one.
_AGE_COMPANIONS = frozenset({"customer", "client", "member", "user", "person", "respondent", "years", "yrs", "in",
                             "current", "the", "of", "ans", "jahre", "anos", "anni", "jaar", "du", "des", "del",
                             "cliente", "kunde", "klant", "in", "jaren"})
#: Stems of a birth-year column's name ('Year_Birth', 'birth_year', 'Geburtsjahr', 'année de naissance').
_BIRTH_YEAR_STEMS = ("yearbirth", "birthyear", "yearofbirth", "birthyr", "geburtsjahr", "anneedenaissance",
                     "anodenacimiento", "annodinascita", "anodenascimento", "geboortejaar")
#: Words that make a name personal: a log's 'Customer Name' is personal data, its 'Product Name' is not.
PERSON_WORDS = frozenset({"customer", "client", "first", "last", "full", "given", "family", "contact", "person",
                          "user", "buyer", "member"})


def is_age_name(name) -> bool:
    """Whether a name says it holds a person's age in years ('Age', 'customer_age', 'Âge', 'Age (years)').

    Examples
    --------
    >>> [is_age_name(n) for n in ("Age", "customer_age", "Age (years)", "account_age", "page_views", "Âge")]
    [True, True, True, False, False, True]
    """
    words = {w for w in name_words(name) if not w.isdigit()}
    return bool(words & AGE_WORDS) and not words - AGE_WORDS - _AGE_COMPANIONS


def is_income_name(name) -> bool:
    """Whether a name says it holds income ('Income', 'Annual Income (k$)', 'salary', 'Revenu annuel').

    Examples
    --------
    >>> [is_income_name(n) for n in ("Income", "Annual Income (k$)", "Age", "Revenu annuel", "Z_Revenue")]
    [True, True, False, True, False]
    """
    return any(stem in name_key(name) for stem in INCOME_STEMS) or bool(INCOME_WORDS & set(name_words(name)))


def is_birth_year_name(name) -> bool:
    """Whether a name says it holds a birth year ('Year_Birth', 'birth_year', 'yob', 'Geburtsjahr').

    Examples
    --------
    >>> [is_birth_year_name(n) for n in ("Year_Birth", "birth year", "yob", "Geburtsjahr", "birthday", "Income")]
    [True, True, True, True, False, False]
    """
    key = name_key(name)
    return any(stem in key for stem in _BIRTH_YEAR_STEMS) or key == "yob"


def is_birth_name(name) -> bool:
    """Whether a name speaks of birth ('DateOfBirth', 'dob', 'Geburtsdatum', 'date de naissance').

    Examples
    --------
    >>> [is_birth_name(n) for n in ("DateOfBirth", "dob", "Geburtsdatum", "signup date")]
    [True, True, True, False]
    """
    return HINTS["birth"].matches(name)


def is_numeric_demographic(name) -> bool:
    """Whether a demographic column's name says it holds a number: an income, an age, a birth year, kids.

    Examples
    --------
    >>> [is_numeric_demographic(n) for n in ("Income", "Kidhome", "Âge", "Year_Birth", "Marital_Status")]
    [True, True, True, True, False]
    """
    words = set(name_words(name))
    return (is_income_name(name) or is_age_name(name) or is_birth_year_name(name)
            or any(stem in name_key(name) for stem in ("kidhome", "teenhome"))
            or bool(words & {"kids", "teens", "children", "dependents", "dependants"}))
