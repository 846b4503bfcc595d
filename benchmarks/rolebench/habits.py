"""Customer-table concepts about what customers do, think and use: behaviour, dates,
psychographics and technographics, misleading names included (a rating called ``...time
convenient``, ``App_Usage_Time_(min/day)``, a ``day`` holding 1-31, a numeric ``Channel``, a
count called ``campaign``).

Examples
--------
>>> HABITS["beh.app_time"].role, HABITS["beh.contact_day"].kind, HABITS["psy.service_rating"].kind
('behaviour', 'ordinal', 'ordinal')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.rolebench import values as v
from benchmarks.rolebench.concepts import Concept, names
from benchmarks.rolebench.words import (AGREEMENT, CATEGORIES, CHANNELS, CONTRACTS, DEVICES, FREQUENCY, IMPORTANCE,
                                        INTERESTS, LEVELS, MONTHS, PAYMENT, TIERS, words)

__all__ = ["HABITS"]

_DATE_STYLES = ("iso", "dmy_slash", "mdy_slash", "dmy_dot", "dmy_dash", "ymd_slash", "d_mon_y", "iso_time", "excel",
                "compact")


def _date_style(ctx: v.Context) -> str:
    return str(ctx.rng.choice(_DATE_STYLES))


def _flag(p: float, *forms: str):
    def make(ctx: v.Context) -> pd.Series:
        return v.flags(ctx, str(ctx.rng.choice(forms or ("words", "01", "lower"))), p=p)
    return make


def _money_with_blanks(ctx: v.Context) -> pd.Series:
    """Totals with a few blank ``" "`` cells for customers not billed yet (IBM's ``TotalCharges``)."""
    values = v.money(ctx, 1400.0, spread=1.0).astype(object)
    values[ctx.rng.random(ctx.n) < 0.01] = " "
    return values


def _likert(ctx: v.Context) -> pd.Series:
    form = ctx.rng.random()
    if form < 0.5:
        return v.pick(ctx, words(AGREEMENT, ctx.language))
    return v.ratings(ctx, 1, 5 if form < 0.8 else 7)


def _levels(ctx: v.Context) -> pd.Series:
    return v.pick(ctx, words(LEVELS, ctx.language)[int(ctx.rng.integers(0, 2))])


_BEHAVIOUR = [
    Concept("beh.tenure_months", "behaviour", "count", names(
        "en: tenure | months as customer | customer since (months) | tenure months; fr: ancienneté (mois) | "
        "ancienneté; de: kundendauer | vertragsdauer (monate); es: antigüedad | meses como cliente; "
        "it: anzianità | mesi cliente; pt: antiguidade | meses de cliente; nl: klantduur | looptijd (maanden)"),
        lambda ctx: v.ints(ctx, 0, 72)),
    Concept("beh.tenure_years", "behaviour", "count", names(
        "en: Tenure | tenure years | years with bank; fr: ancienneté (années); de: jahre als kunde; "
        "es: años como cliente; it: anni da cliente; pt: anos de cliente; nl: jaren klant"),
        lambda ctx: v.ints(ctx, 0, 10)),
    Concept("beh.recency", "behaviour", "count", names(
        "en: Recency | recency | days since last purchase; fr: jours depuis dernier achat | récence; "
        "de: tage seit letztem kauf; es: días desde la última compra | recencia; it: giorni dall'ultimo acquisto; "
        "pt: dias desde a última compra; nl: dagen sinds laatste aankoop"), lambda ctx: v.ints(ctx, 0, 99)),
    Concept("beh.spend", "behaviour", "money", names(
        "en: mnt {} | {} spend | spend {} | amount spent on {}; fr: dépenses {} | montant {}; de: ausgaben {} | "
        "umsatz {}; es: gasto {} | importe {}; it: spesa {}; pt: gasto {} | despesa {}; nl: uitgaven {} | omzet {}"),
        lambda ctx: v.money(ctx, float(ctx.rng.choice([30, 120, 800, 6000])), spread=1.1, decimals=0, zeros=0.05),
        subjects={lang: tuple(w.lower() for w in words(CATEGORIES, lang)) for lang in CATEGORIES}),
    Concept("beh.total_spend", "behaviour", "money", names(
        "en: total spent | TotalSpend | lifetime value | revenue | total spend; fr: montant total | total dépensé | "
        "chiffre d'affaires; de: gesamtumsatz | umsatz | gesamtausgaben; es: gasto total | importe total; "
        "it: spesa totale | fatturato; pt: gasto total | valor total; nl: totale uitgaven | omzet"),
        lambda ctx: v.money(ctx, 600.0, spread=1.0)),
    Concept("beh.aov", "behaviour", "money", names(
        "en: avg order value | average basket | AOV; fr: panier moyen; de: durchschnittlicher warenkorb; "
        "es: ticket medio; it: scontrino medio; pt: valor médio da encomenda; nl: gemiddelde orderwaarde"),
        lambda ctx: v.money(ctx, 45.0, spread=0.5)),
    Concept("beh.monthly_charges", "behaviour", "money", names(
        "en: MonthlyCharges | monthly charges | monthly fee | monthly bill; fr: mensualité | facture mensuelle; "
        "de: monatliche gebühr | monatsbeitrag; es: cuota mensual | cargo mensual; it: canone mensile; "
        "pt: mensalidade; nl: maandbedrag"), lambda ctx: v.money(ctx, 65.0, spread=0.4)),
    Concept("beh.total_charges", "behaviour", "money", names(
        "en: TotalCharges | total charges; fr: total facturé; de: gesamtkosten; es: cargos totales; "
        "it: addebiti totali; pt: total faturado; nl: totaal gefactureerd"), _money_with_blanks),
    Concept("beh.balance", "behaviour", "money", names(
        "en: Balance | balance | account balance; fr: solde; de: kontostand | saldo; es: saldo; it: saldo; "
        "pt: saldo; nl: saldo"), lambda ctx: v.money(ctx, 1500.0, spread=1.2, zeros=0.3, negative=0.05)),
    Concept("beh.credit_limit", "behaviour", "money", names(
        "en: LIMIT_BAL | credit limit; fr: plafond de crédit; de: kreditlimit; es: límite de crédito; "
        "it: limite di credito; pt: limite de crédito; nl: kredietlimiet"),
        lambda ctx: v.money(ctx, 140000.0, spread=0.7, decimals=0)),
    Concept("beh.bill", "behaviour", "money", names(
        "en: BILL_AMT{} | bill amount {}; fr: facture mois {}; de: rechnung monat {}; es: factura mes {}; "
        "it: fattura mese {}; pt: fatura mês {}; nl: factuur maand {}"),
        lambda ctx: v.money(ctx, 20000.0, spread=1.0, decimals=0, negative=0.02),
        subjects={"en": ("1", "2", "3", "4", "5", "6")}),
    Concept("beh.payment", "behaviour", "money", names(
        "en: PAY_AMT{} | payment amount {}; fr: paiement mois {}; de: zahlung monat {}; es: pago mes {}; "
        "it: pagamento mese {}; pt: pagamento mês {}; nl: betaling maand {}"),
        lambda ctx: v.money(ctx, 2000.0, spread=1.2, decimals=0, zeros=0.2),
        subjects={"en": ("1", "2", "3", "4", "5", "6")}),
    Concept("beh.purchases", "behaviour", "count", names(
        "en: num {} purchases | {} purchases | number of {} purchases; fr: achats {} | nb achats {}; "
        "de: käufe {} | anzahl käufe {}; es: compras {} | número de compras {}; it: acquisti {}; pt: compras {}; "
        "nl: aankopen {} | aantal aankopen {}"), lambda ctx: v.ints(ctx, 0, 13),
        subjects={"en": ("web", "catalog", "store", "deals"), "fr": ("web", "catalogue", "magasin", "promo"),
                  "de": ("web", "katalog", "filiale", "angebote"), "es": ("web", "catálogo", "tienda", "ofertas"),
                  "it": ("web", "catalogo", "negozio", "offerte"), "pt": ("web", "catálogo", "loja", "promoções"),
                  "nl": ("web", "catalogus", "winkel", "aanbiedingen")}),
    Concept("beh.orders", "behaviour", "count", names(
        "en: orders | number of orders | order count | frequency; fr: nombre de commandes | commandes; "
        "de: anzahl bestellungen | bestellungen; es: número de pedidos | pedidos; it: numero di ordini | ordini; "
        "pt: número de encomendas | encomendas; nl: aantal bestellingen | bestellingen"),
        lambda ctx: v.ints(ctx, 1, 40)),
    Concept("beh.visits", "behaviour", "count", names(
        "en: NumWebVisitsMonth | web visits per month | visits last month; fr: visites web par mois; "
        "de: webbesuche pro monat; es: visitas web al mes; it: visite web al mese; pt: visitas web por mês; "
        "nl: webbezoeken per maand"), lambda ctx: v.ints(ctx, 0, 20)),
    Concept("beh.service_calls", "behaviour", "count", names(
        "en: Customer service calls | support tickets | service calls; fr: appels service client; "
        "de: anrufe kundenservice; es: llamadas al servicio; it: chiamate assistenza; pt: chamadas apoio cliente; "
        "nl: klantenservice oproepen"), lambda ctx: v.pick(ctx, range(0, 8))),
    Concept("beh.call_minutes", "behaviour", "quantity", names(
        "en: total {} minutes | {} minutes; fr: minutes {}; de: minuten {}; es: minutos {}; it: minuti {}; "
        "pt: minutos {}; nl: minuten {}"), lambda ctx: v.measure(ctx, 0, 350),
        subjects={"en": ("day", "eve", "night", "intl"), "fr": ("jour", "soir", "nuit", "international"),
                  "de": ("tag", "abend", "nacht", "ausland"), "es": ("día", "tarde", "noche", "internacional"),
                  "it": ("giorno", "sera", "notte", "estero"), "pt": ("dia", "tarde", "noite", "internacional"),
                  "nl": ("dag", "avond", "nacht", "buitenland")}),
    Concept("beh.call_count", "behaviour", "count", names(
        "en: total {} calls | {} calls; fr: appels {}; de: anrufe {}; es: llamadas {}; it: chiamate {}; "
        "pt: chamadas {}; nl: gesprekken {}"), lambda ctx: v.ints(ctx, 0, 160),
        subjects={"en": ("day", "eve", "night", "intl"), "fr": ("jour", "soir", "nuit", "international"),
                  "de": ("tag", "abend", "nacht", "ausland"), "es": ("día", "tarde", "noche", "internacional"),
                  "it": ("giorno", "sera", "notte", "estero"), "pt": ("dia", "tarde", "noite", "internacional"),
                  "nl": ("dag", "avond", "nacht", "buitenland")}),
    Concept("beh.vmail", "behaviour", "count", names(
        "en: Number vmail messages | voicemail messages; fr: messages vocaux; de: sprachnachrichten; "
        "es: mensajes de voz; it: messaggi vocali; pt: mensagens de voz; nl: voicemailberichten"),
        lambda ctx: v.money(ctx, 8.0, spread=1.0, decimals=0, zeros=0.7)),
    Concept("beh.account_length", "behaviour", "count", names(
        "en: Account length | account age days; fr: durée du compte (jours); de: kontodauer (tage); "
        "es: antigüedad cuenta (días); it: durata account (giorni); pt: duração da conta (dias); "
        "nl: looptijd account (dagen)"), lambda ctx: v.ints(ctx, 1, 240)),
    Concept("beh.data_usage", "behaviour", "quantity", names(
        "en: Data Usage (MB/day) | data used (GB) | monthly data GB; fr: données consommées (Go) | data (Mo/jour); "
        "de: datenverbrauch (GB) | datenvolumen; es: datos consumidos (GB); it: traffico dati (GB); "
        "pt: dados consumidos (GB); nl: dataverbruik (GB)"), lambda ctx: v.measure(ctx, 100, 2500, decimals=0)),
    Concept("beh.app_time", "behaviour", "quantity", names(
        "en: App Usage Time (min/day) | App_Usage_Time_(min/day) | time in app (min) | daily app time; "
        "fr: temps d'utilisation (min/jour); de: nutzungszeit (min/tag); es: tiempo de uso (min/día); "
        "it: tempo di utilizzo (min/giorno); pt: tempo de utilização (min/dia); nl: gebruikstijd (min/dag)"),
        lambda ctx: v.measure(ctx, 30, 600, decimals=0)),
    Concept("beh.screen_time", "behaviour", "quantity", names(
        "en: Screen On Time (hours/day) | screen time (hours) | time on site; fr: temps d'écran (heures/jour); "
        "de: bildschirmzeit (std/tag); es: tiempo de pantalla (h/día); it: tempo schermo (ore/giorno); "
        "pt: tempo de ecrã (h/dia); nl: schermtijd (uur/dag)"), lambda ctx: v.measure(ctx, 1, 12)),
    Concept("beh.flight_distance", "behaviour", "quantity", names(
        "en: Flight Distance | flight distance (km); fr: distance de vol; de: flugstrecke; es: distancia de vuelo; "
        "it: distanza volo; pt: distância do voo; nl: vliegafstand"), lambda ctx: v.measure(ctx, 60, 4900, decimals=0)),
    Concept("beh.delay", "behaviour", "quantity", names(
        "en: {} Delay in Minutes | {} delay (min); fr: retard {} (min); de: verspätung {} (min); "
        "es: retraso {} (min); it: ritardo {} (min); pt: atraso {} (min); nl: vertraging {} (min)"),
        lambda ctx: v.money(ctx, 12.0, spread=1.3, decimals=0, zeros=0.55),
        subjects={"en": ("Departure", "Arrival"), "fr": ("départ", "arrivée"), "de": ("abflug", "ankunft"),
                  "es": ("salida", "llegada"), "it": ("partenza", "arrivo"), "pt": ("partida", "chegada"),
                  "nl": ("vertrek", "aankomst")}),
    Concept("beh.spending_score", "behaviour", "quantity", names(
        "en: Spending Score (1-100) | spending score; fr: score de dépense (1-100); de: ausgabenscore (1-100); "
        "es: puntuación de gasto (1-100); it: punteggio di spesa (1-100); pt: pontuação de gastos (1-100); "
        "nl: bestedingsscore (1-100)"), lambda ctx: v.ints(ctx, 1, 99)),
    Concept("beh.spending_level", "behaviour", "ordinal", names(
        "en: Spending_Score | spending level | spend tier | value band; fr: niveau de dépense; de: ausgabenniveau; "
        "es: nivel de gasto; it: livello di spesa; pt: nível de gastos; nl: bestedingsniveau"), _levels),
    Concept("beh.loyalty_tier", "behaviour", "ordinal", names(
        "en: loyalty tier | membership level | tier | card type; fr: niveau de fidélité | statut fidélité; "
        "de: kundenstatus | treuestufe; es: nivel de fidelidad; it: livello fedeltà; pt: nível de fidelidade; "
        "nl: loyaliteitsniveau"), lambda ctx: v.pick(ctx, words(TIERS, ctx.language))),
    Concept("beh.contract", "behaviour", "code", names(
        "en: Contract | contract type; fr: type de contrat | contrat; de: vertragsart | vertrag; "
        "es: tipo de contrato | contrato; it: tipo di contratto | contratto; pt: tipo de contrato; nl: contracttype"),
        lambda ctx: v.pick(ctx, words(CONTRACTS, ctx.language))),
    Concept("beh.plan", "behaviour", "code", names(
        "en: plan | subscription plan | tariff; fr: forfait | offre; de: tarif | paket; es: plan | tarifa; "
        "it: piano | tariffa; pt: plano | tarifário; nl: abonnement | bundel"),
        lambda ctx: v.pick(ctx, ["Basic", "Standard", "Premium", "Family", "Student"])),
    Concept("beh.payment_method", "behaviour", "code", names(
        "en: PaymentMethod | payment method | pay method; fr: mode de paiement | moyen de paiement; "
        "de: zahlungsart | zahlungsmethode; es: método de pago | forma de pago; it: metodo di pagamento; "
        "pt: forma de pagamento | método de pagamento; nl: betaalmethode | betaalwijze"),
        lambda ctx: v.pick(ctx, words(PAYMENT, ctx.language))),
    Concept("beh.paperless", "behaviour", "flag", names(
        "en: PaperlessBilling | paperless billing | e-invoice; fr: facture électronique; de: online-rechnung; "
        "es: factura electrónica; it: fattura elettronica; pt: fatura eletrónica; nl: digitale factuur"),
        _flag(0.6, "words", "lower")),
    Concept("beh.phone_service", "behaviour", "flag", names(
        "en: PhoneService | phone service; fr: service téléphonique; de: telefondienst; es: servicio telefónico; "
        "it: servizio telefonico; pt: serviço telefónico; nl: telefoondienst"), _flag(0.9, "words", "lower")),
    Concept("beh.intl_plan", "behaviour", "flag", names(
        "en: International plan | intl plan; fr: option internationale; de: auslandsoption; es: plan internacional; "
        "it: piano internazionale; pt: plano internacional; nl: buitenlandbundel"), _flag(0.1, "lower", "words")),
    Concept("beh.vmail_plan", "behaviour", "flag", names(
        "en: Voice mail plan | voicemail plan; fr: option messagerie; de: mailbox-option; es: buzón de voz; "
        "it: segreteria; pt: correio de voz; nl: voicemail"), _flag(0.27, "lower", "words")),
    Concept("beh.has_card", "behaviour", "flag", names(
        "en: HasCrCard | has credit card; fr: possède une carte; de: hat kreditkarte; es: tiene tarjeta; "
        "it: ha carta di credito; pt: tem cartão; nl: heeft creditcard"), _flag(0.7, "01")),
    Concept("beh.active_member", "behaviour", "flag", names(
        "en: IsActiveMember | active member | is active; fr: membre actif; de: aktives mitglied; es: miembro activo; "
        "it: membro attivo; pt: membro ativo; nl: actief lid"), _flag(0.5, "01", "truefalse")),
    Concept("beh.housing", "behaviour", "flag", names(
        "en: housing | housing loan | mortgage; fr: prêt immobilier; de: baukredit; es: hipoteca; it: mutuo; "
        "pt: crédito habitação; nl: hypotheek"), _flag(0.55, "lower", "words")),
    Concept("beh.loan", "behaviour", "flag", names(
        "en: loan | personal loan flag | has loan; fr: crédit conso; de: ratenkredit; es: préstamo; it: prestito; "
        "pt: empréstimo; nl: lening"), _flag(0.16, "lower", "words")),
    Concept("beh.complain", "behaviour", "flag", names(
        "en: Complain | complained | complaint last 2 years; fr: réclamation; de: beschwerde; es: queja; "
        "it: reclamo; pt: reclamação; nl: klacht"), _flag(0.01, "01")),
    Concept("beh.newsletter", "behaviour", "flag", names(
        "en: newsletter opt-in | optin | newsletter; fr: inscrit newsletter | optin; de: newsletter | "
        "newsletter abonniert; es: boletín | suscrito boletín; it: newsletter | iscritto newsletter; "
        "pt: newsletter | subscreveu newsletter; nl: nieuwsbrief"), _flag(0.4, "words", "01", "truefalse")),
    Concept("beh.addon", "behaviour", "code", names("en: {}"),
            lambda ctx: v.pick(ctx, ["No", "Yes", "No internet service"]),
            subjects={"en": ("OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
                             "StreamingMovies")}),
    Concept("beh.multiple_lines", "behaviour", "code", names("en: MultipleLines | multiple lines"),
            lambda ctx: v.pick(ctx, ["No", "Yes", "No phone service"])),
    Concept("beh.preferred_channel", "behaviour", "code", names(
        "en: preferred channel | favourite channel | channel; fr: canal préféré | canal; de: bevorzugter kanal | "
        "kanal; es: canal preferido | canal; it: canale preferito | canale; pt: canal preferido | canal; "
        "nl: voorkeurskanaal | kanaal"), lambda ctx: v.pick(ctx, words(CHANNELS, ctx.language))),
    Concept("beh.channel_code", "behaviour", "code", names(
        "en: Channel | channel; fr: canal; de: kanal; es: canal; it: canale; pt: canal; nl: kanaal"),
        lambda ctx: v.pick(ctx, [1, 2], [0.68, 0.32])),
    Concept("beh.favourite_category", "behaviour", "code", names(
        "en: favourite category | preferred category | top category; fr: catégorie préférée; "
        "de: lieblingskategorie; es: categoría favorita; it: categoria preferita; pt: categoria preferida; "
        "nl: favoriete categorie"), lambda ctx: v.pick(ctx, words(CATEGORIES, ctx.language))),
    Concept("beh.customer_type", "behaviour", "code", names(
        "en: Customer Type | customer type; fr: type de client; de: kundentyp; es: tipo de cliente; "
        "it: tipo di cliente; pt: tipo de cliente; nl: klanttype"),
        lambda ctx: v.pick(ctx, ["Loyal Customer", "disloyal Customer"], [0.8, 0.2])),
    Concept("beh.travel_type", "behaviour", "code", names(
        "en: Type of Travel | travel type; fr: type de voyage; de: reiseart; es: tipo de viaje; it: tipo di viaggio; "
        "pt: tipo de viagem; nl: reistype"), lambda ctx: v.pick(ctx, ["Business travel", "Personal Travel"])),
    Concept("beh.travel_class", "behaviour", "code", names(
        "en: Class | travel class | cabin; fr: classe de voyage | cabine; de: reiseklasse | kabine; "
        "es: clase de viaje | cabina; it: classe di viaggio; pt: classe de viagem; nl: reisklasse"),
        lambda ctx: v.pick(ctx, ["Eco", "Eco Plus", "Business"])),
    Concept("beh.share", "behaviour", "share", names(
        "en: share {} | {} share | pct {}; fr: part {} | taux {}; de: anteil {} | quote {}; es: porcentaje {} | "
        "tasa {}; it: quota {} | tasso {}; pt: percentagem {} | taxa {}; nl: aandeel {} | percentage {}"),
        lambda ctx: v.shares(ctx, str(ctx.rng.choice(["fraction", "percent", "percent_text"]))),
        subjects={"en": ("online", "discounted", "returned"), "fr": ("en ligne", "promo", "retours"),
                  "de": ("online", "rabatt", "retouren"), "es": ("online", "descuento", "devoluciones"),
                  "it": ("online", "sconto", "resi"), "pt": ("online", "desconto", "devoluções"),
                  "nl": ("online", "korting", "retouren")}),
    Concept("beh.contact_day", "behaviour", "ordinal", names(
        "en: day | contact day | day_of_month; fr: jour; de: tag; es: día; it: giorno; pt: dia; nl: dag"),
        lambda ctx: v.pick(ctx, range(1, 32))),
    Concept("beh.contact_month", "behaviour", "ordinal", names(
        "en: month | contact month; fr: mois; de: monat; es: mes; it: mese; pt: mês; nl: maand"),
        lambda ctx: v.pick(ctx, words(MONTHS, ctx.language))),
    Concept("beh.contacts_campaign", "behaviour", "count", names(
        "en: campaign | contacts this campaign | number of contacts; fr: campagne | contacts campagne; "
        "de: kampagne | kontakte kampagne; es: campaña | contactos campaña; it: campagna | contatti campagna; "
        "pt: campanha | contactos campanha; nl: campagne | contacten campagne"),
        lambda ctx: v.money(ctx, 2.0, spread=0.7, decimals=0) + 1),
    Concept("beh.pdays", "behaviour", "count", names(
        "en: pdays | days since previous contact; fr: jours depuis contact précédent; de: tage seit letztem kontakt; "
        "es: días desde contacto anterior; it: giorni da contatto precedente; pt: dias desde contacto anterior; "
        "nl: dagen sinds vorig contact"),
        lambda ctx: pd.Series(np.where(ctx.rng.random(ctx.n) < 0.8, -1, ctx.rng.integers(1, 400, ctx.n)))),
    Concept("beh.previous", "behaviour", "count", names(
        "en: previous | previous contacts; fr: contacts précédents; de: frühere kontakte; es: contactos previos; "
        "it: contatti precedenti; pt: contactos anteriores; nl: eerdere contacten"),
        lambda ctx: v.money(ctx, 1.0, spread=1.0, decimals=0, zeros=0.8)),
    Concept("beh.duration", "behaviour", "quantity", names(
        "en: duration | call duration (s); fr: durée appel (s); de: gesprächsdauer (s); es: duración llamada (s); "
        "it: durata chiamata (s); pt: duração da chamada (s); nl: gespreksduur (s)"),
        lambda ctx: v.money(ctx, 180.0, spread=0.8, decimals=0)),
    Concept("beh.credit_score", "behaviour", "quantity", names(
        "en: CreditScore | credit score; fr: score de crédit; de: bonität | schufa score; es: puntuación crediticia; "
        "it: punteggio di credito; pt: pontuação de crédito; nl: kredietscore"), lambda ctx: v.ints(ctx, 350, 850)),
    Concept("beh.products", "behaviour", "count", names(
        "en: NumOfProducts | number of products | products held; fr: nombre de produits; de: anzahl produkte; "
        "es: número de productos; it: numero di prodotti; pt: número de produtos; nl: aantal producten"),
        lambda ctx: v.pick(ctx, [1, 2, 3, 4], [0.5, 0.45, 0.04, 0.01])),
    Concept("beh.contact_type", "behaviour", "code", names(
        "en: contact | contact type; fr: type de contact; de: kontaktart; es: tipo de contacto; it: tipo di contatto; "
        "pt: tipo de contacto; nl: contactwijze"), lambda ctx: v.pick(ctx, ["cellular", "telephone", "unknown"])),
    Concept("beh.frequency_answer", "behaviour", "ordinal", names(
        "en: How often do you shop online? | shopping frequency | online shopping frequency; "
        "fr: fréquence d'achat en ligne; de: wie oft kaufen sie online ein? | einkaufshäufigkeit; "
        "es: frecuencia de compra online; it: frequenza acquisti online; pt: frequência de compras online; "
        "nl: hoe vaak koopt u online?"), lambda ctx: v.pick(ctx, words(FREQUENCY, ctx.language))),
]

_DATES = [
    Concept("date.signup", "date", "date", names(
        "en: Dt_Customer | signup date | customer since | date joined | registration date; fr: date d'inscription | "
        "client depuis; de: registrierungsdatum | kunde seit; es: fecha de alta | cliente desde; "
        "it: data di iscrizione | cliente dal; pt: data de adesão | cliente desde; nl: inschrijfdatum | klant sinds"),
        lambda ctx: v.dates(ctx, "2012-01-01", "2024-06-30", _date_style(ctx))),
    Concept("date.last_purchase", "date", "date", names(
        "en: last purchase date | last order date | date of last visit; fr: date dernier achat; "
        "de: datum letzte bestellung | letzter kauf; es: fecha última compra; it: data ultimo acquisto; "
        "pt: data da última compra; nl: datum laatste aankoop"),
        lambda ctx: v.dates(ctx, "2023-01-01", "2024-06-30", _date_style(ctx), missing=0.05)),
    Concept("date.contract_end", "date", "date", names(
        "en: contract end | end date | valid to | contract end date; fr: date de fin | fin de contrat; "
        "de: vertragsende | gültig bis; es: fecha de fin | fin de contrato; it: data fine | fine contratto; "
        "pt: data de fim | fim do contrato; nl: einddatum | geldig tot"),
        lambda ctx: v.dates(ctx, "2024-07-01", "2027-12-31", str(ctx.rng.choice(["iso", "dmy_slash", "dmy_dot"])),
                            open_end=float(ctx.rng.uniform(0.2, 0.6)))),
    Concept("date.last_login", "date", "date", names(
        "en: last login | last login time | last seen; fr: dernière connexion; de: letzter login; "
        "es: último acceso; it: ultimo accesso; pt: último acesso; nl: laatst ingelogd"),
        lambda ctx: v.dates(ctx, "2024-01-01", "2024-06-30", str(ctx.rng.choice(["iso_time", "iso_t", "unix"])),
                            with_time=True)),
]

_MINDS = [
    Concept("psy.likert", "psychographics", "ordinal", names("en: {}"), _likert, subjects={
        "en": ("I like to try new brands", "Price matters more than quality", "I prefer eco-friendly products",
               "I enjoy shopping", "I trust online reviews", "I plan my purchases"),
        "fr": ("J'aime essayer de nouvelles marques", "Le prix compte plus que la qualité",
               "Je préfère les produits écologiques", "J'aime faire du shopping"),
        "de": ("Ich probiere gerne neue Marken", "Der Preis zählt mehr als Qualität", "Ich bevorzuge Bio-Produkte",
               "Ich kaufe gerne ein"),
        "es": ("Me gusta probar marcas nuevas", "El precio importa más que la calidad",
               "Prefiero productos ecológicos", "Disfruto comprando"),
        "it": ("Mi piace provare nuove marche", "Il prezzo conta più della qualità", "Preferisco prodotti ecologici",
               "Mi piace fare acquisti"),
        "pt": ("Gosto de experimentar novas marcas", "O preço importa mais que a qualidade",
               "Prefiro produtos ecológicos", "Gosto de fazer compras"),
        "nl": ("Ik probeer graag nieuwe merken", "Prijs is belangrijker dan kwaliteit",
               "Ik kies liever duurzame producten", "Ik winkel graag")}),
    Concept("psy.service_rating", "psychographics", "ordinal", names("en: {}"), lambda ctx: v.ratings(ctx, 0, 5),
            subjects={
                "en": ("Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking",
                       "Gate location", "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment",
                       "On-board service", "Leg room service", "Baggage handling", "Checkin service",
                       "Inflight service", "Cleanliness"),
                "fr": ("Wifi à bord", "Horaires départ/arrivée pratiques", "Facilité de réservation en ligne",
                       "Emplacement de la porte", "Repas et boissons", "Confort du siège", "Propreté"),
                "de": ("WLAN an Bord", "Abflug-/Ankunftszeit passend", "Online-Buchung", "Lage des Gates",
                       "Essen und Getränke", "Sitzkomfort", "Sauberkeit"),
                "es": ("Wifi a bordo", "Horario de salida/llegada conveniente", "Facilidad de reserva online",
                       "Comida y bebida", "Comodidad del asiento", "Limpieza"),
                "it": ("Wifi a bordo", "Orario partenza/arrivo comodo", "Prenotazione online", "Cibo e bevande",
                       "Comfort del sedile", "Pulizia"),
                "pt": ("Wifi a bordo", "Horário de partida/chegada conveniente", "Reserva online", "Comida e bebida",
                       "Conforto do assento", "Limpeza"),
                "nl": ("Wifi aan boord", "Vertrek-/aankomsttijd gunstig", "Online boeken", "Eten en drinken",
                       "Stoelcomfort", "Netheid")}),
    Concept("psy.satisfaction_rating", "psychographics", "ordinal", names(
        "en: satisfaction score | Satisfaction (1-7) | rating | overall rating; fr: note de satisfaction | "
        "satisfaction (1-10); de: zufriedenheit (1-7) | bewertung; es: satisfacción (1-10) | valoración; "
        "it: soddisfazione (1-10) | valutazione; pt: satisfação (1-10) | avaliação; nl: tevredenheid (1-10) | "
        "beoordeling"), lambda ctx: v.ratings(ctx, 1, int(ctx.rng.choice([5, 7, 10])))),
    Concept("psy.nps", "psychographics", "ordinal", names(
        "en: likelihood to recommend | NPS score | How likely are you to recommend us (0-10); "
        "fr: probabilité de recommander; de: weiterempfehlung (0-10); es: probabilidad de recomendar; "
        "it: probabilità di raccomandare; pt: probabilidade de recomendar; nl: aanbevelingsscore"),
        lambda ctx: v.ratings(ctx, 0, 10)),
    Concept("psy.importance", "psychographics", "ordinal", names(
        "en: importance of {} | {} importance; fr: importance {}; de: wichtigkeit {}; es: importancia {}; "
        "it: importanza {}; pt: importância {}; nl: belang {}"),
        lambda ctx: v.pick(ctx, words(IMPORTANCE, ctx.language)),
        subjects={"en": ("price", "quality", "delivery speed"), "fr": ("prix", "qualité", "rapidité de livraison"),
                  "de": ("preis", "qualität", "liefergeschwindigkeit"), "es": ("precio", "calidad", "rapidez"),
                  "it": ("prezzo", "qualità", "velocità di consegna"), "pt": ("preço", "qualidade", "rapidez"),
                  "nl": ("prijs", "kwaliteit", "levertijd")}),
    Concept("psy.interest", "psychographics", "code", names(
        "en: main interest | hobby | interests; fr: centre d'intérêt | loisir; de: interessen | hobby; "
        "es: intereses | afición; it: interessi | hobby; pt: interesses | passatempo; nl: interesses | hobby"),
        lambda ctx: v.pick(ctx, words(INTERESTS, ctx.language))),
]

_DEVICES = [
    Concept("tech.os", "technographics", "code", names(
        "en: Operating System | OS | os; fr: système d'exploitation; de: betriebssystem; es: sistema operativo; "
        "it: sistema operativo; pt: sistema operativo; nl: besturingssysteem"),
        lambda ctx: v.pick(ctx, DEVICES["os"])),
    Concept("tech.device_model", "technographics", "code", names(
        "en: Device Model | device | phone model; fr: modèle d'appareil | appareil; de: gerätemodell | gerät; "
        "es: modelo de dispositivo; it: modello dispositivo; pt: modelo do dispositivo; nl: toestel"),
        lambda ctx: v.pick(ctx, DEVICES["model"])),
    Concept("tech.browser", "technographics", "code", names(
        "en: browser | Browser; fr: navigateur; de: browser; es: navegador; it: browser; pt: navegador; "
        "nl: browser"), lambda ctx: v.pick(ctx, DEVICES["browser"])),
    Concept("tech.device_type", "technographics", "code", names(
        "en: device type | platform; fr: type d'appareil; de: gerätetyp; es: tipo de dispositivo; "
        "it: tipo di dispositivo; pt: tipo de dispositivo; nl: apparaattype"),
        lambda ctx: v.pick(ctx, DEVICES["type"])),
    Concept("tech.internet", "technographics", "code", names(
        "en: InternetService | internet service | internet type; fr: type d'accès internet; de: internetanschluss; "
        "es: tipo de internet; it: tipo di connessione internet; pt: tipo de internet; nl: internetverbinding"),
        lambda ctx: v.pick(ctx, DEVICES["internet"])),
    Concept("tech.smartphone", "technographics", "flag", names(
        "en: owns smartphone | has smartphone; fr: possède un smartphone; de: hat smartphone; "
        "es: tiene smartphone; it: ha smartphone; pt: tem smartphone; nl: heeft smartphone"), _flag(0.8)),
    Concept("tech.battery", "technographics", "quantity", names(
        "en: Battery Drain (mAh/day) | battery use; fr: consommation batterie (mAh/jour); de: akkuverbrauch (mAh/tag); "
        "es: consumo de batería; it: consumo batteria; pt: consumo de bateria; nl: batterijverbruik"),
        lambda ctx: v.measure(ctx, 300, 3000, decimals=0)),
    Concept("tech.apps", "technographics", "count", names(
        "en: Number of Apps Installed | apps installed; fr: applications installées; de: installierte apps; "
        "es: apps instaladas; it: app installate; pt: apps instaladas; nl: geïnstalleerde apps"),
        lambda ctx: v.ints(ctx, 10, 99)),
]

#: Every concept of this module by key.
HABITS = {c.key: c for c in (*_BEHAVIOUR, *_DATES, *_MINDS, *_DEVICES)}
