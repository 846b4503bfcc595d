"""Customer-table concepts about the person: ids and personal data, demographics, geography,
outcomes, constants and free text.

Examples
--------
>>> PEOPLE["out.segment"].role, PEOPLE["demo.income_band"].kind, PEOPLE["pii.email"].role
('outcome', 'ordinal', 'identifiers')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.rolebench import values as v
from benchmarks.rolebench.concepts import Concept, names
from benchmarks.rolebench.words import (ATTRITION, COUNTRIES, CITIES, EDUCATION, GENDERS, JOBS, MARITAL, REGIONS,
                                        SATISFACTION, words)

__all__ = ["PEOPLE"]


def _customer_ids(ctx: v.Context) -> pd.Series:
    return v.ids(ctx, str(ctx.rng.choice(["int", "prefixed", "uuid", "long"], p=[0.45, 0.35, 0.1, 0.1])))


def _flag_outcome(ctx: v.Context) -> pd.Series:
    return v.flags(ctx, str(ctx.rng.choice(["words", "01", "truefalse", "lower"])), p=ctx.rng.uniform(0.1, 0.35))


def _age_bands(ctx: v.Context) -> pd.Series:
    bands = [("18-24", "25-34", "35-44", "45-54", "55-64", "65+"), ("19-24", "25-34", "35-44", "45-54", "55-64", "65+"),
             ("Under 25", "25 to 34", "35 to 44", "45 to 54", "55 and over"), ("<25", "25-39", "40-54", "55-69", "70+")]
    chosen = bands[int(ctx.rng.integers(0, len(bands)))]
    unit = {"fr": " ans", "de": " Jahre", "es": " años", "it": " anni", "pt": " anos", "nl": " jaar"}.get(ctx.language)
    if unit and ctx.rng.random() < 0.3:
        chosen = tuple(b + unit for b in chosen)
    return v.pick(ctx, chosen)


def _income_bands(ctx: v.Context) -> pd.Series:
    bands = [("Under 15K", "15-24K", "25-34K", "35-49K", "50-74K", "75-99K", "100-124K", "125-149K", "150K+"),
             ("$0 - $19,999", "$20,000 - $39,999", "$40,000 - $59,999", "$60,000 - $79,999", "$80,000+"),
             ("<20k", "20-40k", "40-60k", "60-100k", "100k+")]
    return v.pick(ctx, bands[int(ctx.rng.integers(0, len(bands)))])


def _genders(ctx: v.Context) -> pd.Series:
    forms = [words(GENDERS, ctx.language), ("M", "F"), ("Male", "Female"), ("F", "M", "Other")]
    return v.pick(ctx, forms[int(ctx.rng.integers(0, len(forms)))])


def _segment_labels(ctx: v.Context) -> pd.Series:
    forms = [tuple("ABCD"), ("Premium", "Standard", "Basic", "Budget"), ("Cat_1", "Cat_2", "Cat_3", "Cat_4", "Cat_6"),
             ("Loyal", "At risk", "New", "Lost", "Champions")]
    return v.pick(ctx, forms[int(ctx.rng.integers(0, len(forms)))])


def _postcodes(ctx: v.Context) -> pd.Series:
    pool = ctx.rng.choice(np.arange(10000, 99999), size=int(ctx.rng.integers(40, 300)), replace=False)
    return pd.Series(ctx.rng.choice(pool, ctx.n))


_STATES = ("AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
           "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC").split()

_IDS = [
    Concept("id.customer", "customer_id", "identifier", names(
        "en: customer id | CustomerID | Customer_ID | cust id | client ref | customer number | member id | user id | "
        "account id | ID | id | Cust_No | customerID; fr: n° client | id client | code client | numéro client | "
        "identifiant client; de: kundennummer | kunden id | kdnr | kunden nr | kundennr; es: id cliente | "
        "código cliente | número de cliente | n° cliente; it: codice cliente | id cliente | numero cliente; "
        "pt: código do cliente | id cliente | número do cliente | n.º cliente; nl: klantnummer | klant id | klantnr"),
        _customer_ids),
    Concept("id.respondent", "customer_id", "identifier", names(
        "en: respondent id | Respondent_ID | response id | id; fr: id répondant | n° répondant; de: befragten id | "
        "teilnehmer nr; es: id encuestado; it: id rispondente; pt: id inquirido; nl: respondent nr"),
        lambda ctx: v.ids(ctx, "int")),
    Concept("id.household", "customer_id", "identifier", names(
        "en: household_key | household id | hh key | HH_ID; fr: id foyer | code foyer; de: haushalts id | "
        "haushaltsnummer; es: id hogar; it: id nucleo familiare; pt: id agregado; nl: huishouden id"),
        lambda ctx: v.ids(ctx, "int")),
    Concept("id.subscriber", "customer_id", "identifier", names(
        "en: subscriber id | customerID | account number | contract id; fr: n° abonné | id abonné | n° contrat; "
        "de: teilnehmernummer | vertragsnummer; es: n° abonado | id abonado; it: codice abbonato; "
        "pt: n.º assinante; nl: abonneenummer"),
        lambda ctx: v.ids(ctx, str(ctx.rng.choice(["prefixed", "long", "stripe"])))),
    Concept("pii.email", "identifiers", "identifier", names(
        "en: email | e-mail | Email Address | mail; fr: courriel | adresse e-mail | email; de: e-mail | "
        "e-mail-adresse; es: correo electrónico | correo | email; it: email | posta elettronica | indirizzo email; "
        "pt: e-mail | correio eletrónico; nl: e-mailadres | email"), v.emails),
    Concept("pii.phone", "identifiers", "identifier", names(
        "en: phone | phone number | mobile | tel; fr: téléphone | tél | portable; de: telefon | telefonnummer | "
        "handy; es: teléfono | móvil; it: telefono | cellulare; pt: telefone | telemóvel | celular; "
        "nl: telefoon | telefoonnummer | mobiel"), v.phones),
    Concept("pii.first", "identifiers", "identifier", names(
        "en: first name | FirstName | given name; fr: prénom; de: vorname; es: nombre; it: nome; pt: nome próprio | "
        "primeiro nome; nl: voornaam"), lambda ctx: v.person_names(ctx, "first")),
    Concept("pii.last", "identifiers", "identifier", names(
        "en: surname | last name | Surname | LastName; fr: nom | nom de famille; de: nachname | familienname; "
        "es: apellido | apellidos; it: cognome; pt: apelido | sobrenome; nl: achternaam"),
        lambda ctx: v.person_names(ctx, "last")),
    Concept("pii.full", "identifiers", "identifier", names(
        "en: name | full name | customer name | Contact; fr: nom complet | nom du client; de: name | kundenname; "
        "es: nombre completo | nombre del cliente; it: nome completo | nominativo; pt: nome completo; "
        "nl: naam | volledige naam"), lambda ctx: v.person_names(ctx, "full")),
    Concept("pii.address", "identifiers", "identifier", names(
        "en: address | street address | street; fr: adresse | rue; de: adresse | straße | anschrift; "
        "es: dirección | calle; it: indirizzo | via; pt: morada | endereço | rua; nl: adres | straat"),
        v.street_addresses),
    Concept("pii.ip", "identifiers", "identifier", names("en: ip address | last_ip | IP"),
            lambda ctx: pd.Series([".".join(map(str, ctx.rng.integers(1, 255, 4))) for _ in range(ctx.n)])),
    Concept("row.number", "none", "identifier", names("en: Unnamed: 0 | RowNumber | row | index | # | Row ID | rownum"),
            lambda ctx: pd.Series(np.arange(ctx.n) + int(ctx.rng.integers(0, 2)))),
]

_DEMOGRAPHICS = [
    Concept("demo.age", "demographics", "quantity", names(
        "en: age | Age | customer age | AGE; fr: âge; de: alter; es: edad; it: età; pt: idade; nl: leeftijd"),
        lambda ctx: v.ints(ctx, 18, 85), missing=0.02),
    Concept("demo.age_band", "demographics", "ordinal", names(
        "en: age band | age group | AGE_DESC | age range; fr: tranche d'âge | classe d'âge; de: altersgruppe | "
        "altersklasse; es: rango de edad | grupo de edad; it: fascia d'età | fascia di età; pt: faixa etária; "
        "nl: leeftijdsgroep | leeftijdscategorie"), _age_bands),
    Concept("demo.birth_year", "demographics", "quantity", names(
        "en: year of birth | Year_Birth | birth year | yob; fr: année de naissance; de: geburtsjahr; "
        "es: año de nacimiento; it: anno di nascita; pt: ano de nascimento; nl: geboortejaar"),
        lambda ctx: v.ints(ctx, 1940, 2005)),
    Concept("demo.birth_date", "demographics", "date", names(
        "en: date of birth | dob | birth date | birthday; fr: date de naissance; de: geburtsdatum; "
        "es: fecha de nacimiento; it: data di nascita; pt: data de nascimento; nl: geboortedatum"),
        lambda ctx: v.dates(ctx, "1940-01-01", "2005-12-31", str(ctx.rng.choice(["iso", "dmy_slash", "dmy_dot"])))),
    Concept("demo.gender", "demographics", "code", names(
        "en: gender | sex | Genre | Gender; fr: sexe | genre; de: geschlecht; es: sexo | género; it: sesso | genere; "
        "pt: sexo | género; nl: geslacht"), _genders),
    Concept("demo.gender_code", "demographics", "code", names(
        "en: SEX | sex | gender code; fr: sexe; de: geschlecht; es: sexo; it: sesso; pt: sexo; nl: geslacht"),
        lambda ctx: v.pick(ctx, [1, 2])),
    Concept("demo.income", "demographics", "money", names(
        "en: income | annual income | Annual Income (k$) | salary | household income | EstimatedSalary; "
        "fr: revenu | revenu annuel | salaire; de: einkommen | jahreseinkommen | gehalt; es: ingresos | salario | "
        "renta anual; it: reddito | stipendio | reddito annuo; pt: renda | rendimento | salário; "
        "nl: inkomen | jaarinkomen | salaris"),
        lambda ctx: v.money(ctx, float(ctx.rng.choice([52000, 60, 38000])), spread=0.45, decimals=0), missing=0.01),
    Concept("demo.income_band", "demographics", "ordinal", names(
        "en: income band | INCOME_DESC | income bracket | income range; fr: tranche de revenu; "
        "de: einkommensklasse | einkommensgruppe; es: tramo de ingresos | rango de ingresos; it: fascia di reddito; "
        "pt: faixa de renda | escalão de rendimento; nl: inkomensklasse"), _income_bands),
    Concept("demo.marital", "demographics", "code", names(
        "en: marital status | Marital_Status | marital; fr: situation familiale | état civil; de: familienstand; "
        "es: estado civil; it: stato civile; pt: estado civil; nl: burgerlijke staat"),
        lambda ctx: v.pick(ctx, words(MARITAL, ctx.language))),
    Concept("demo.marital_code", "demographics", "code", names(
        "en: MARITAL_STATUS_CODE | marital code | MARRIAGE; fr: code situation familiale; de: familienstand code; "
        "es: código estado civil; it: codice stato civile; pt: código estado civil; nl: burgerlijke staat code"),
        lambda ctx: v.pick(ctx, list("ABU") if ctx.rng.random() < 0.5 else [1, 2, 3])),
    Concept("demo.ever_married", "demographics", "flag", names(
        "en: Ever_Married | ever married | married; fr: marié; de: verheiratet; es: casado; it: sposato; "
        "pt: casado; nl: gehuwd"), lambda ctx: v.flags(ctx, "words", p=0.6), missing=0.02),
    Concept("demo.education", "demographics", "code", names(
        "en: education | Education | education level | degree; fr: niveau d'études | éducation | diplôme; "
        "de: bildung | bildungsabschluss | ausbildung; es: educación | nivel educativo | estudios; "
        "it: istruzione | titolo di studio; pt: escolaridade | habilitações; nl: opleiding | opleidingsniveau"),
        lambda ctx: v.pick(ctx, words(EDUCATION, ctx.language))),
    Concept("demo.education_code", "demographics", "code", names(
        "en: EDUCATION | education code | edu level; fr: code éducation; de: bildung code; es: código educación; "
        "it: codice istruzione; pt: código escolaridade; nl: opleiding code"),
        lambda ctx: v.pick(ctx, [1, 2, 3, 4])),
    Concept("demo.job", "demographics", "code", names(
        "en: job | occupation | Profession | profession; fr: profession | métier | emploi; de: beruf | tätigkeit; "
        "es: profesión | ocupación; it: professione | occupazione; pt: profissão; nl: beroep"),
        lambda ctx: v.pick(ctx, words(JOBS, ctx.language)), missing=0.01),
    Concept("demo.kids", "demographics", "count", names(
        "en: Kidhome | kids | children | number of children | dependents count; fr: enfants | nombre d'enfants; "
        "de: kinder | anzahl kinder; es: hijos | número de hijos; it: figli | numero di figli; "
        "pt: filhos | número de filhos; nl: kinderen | aantal kinderen"), lambda ctx: v.pick(ctx, [0, 1, 2, 3])),
    Concept("demo.teens", "demographics", "count", names(
        "en: Teenhome | teenagers at home | teens; fr: adolescents; de: jugendliche im haushalt; es: adolescentes; "
        "it: adolescenti; pt: adolescentes; nl: tieners"), lambda ctx: v.pick(ctx, [0, 1, 2])),
    Concept("demo.kids_band", "demographics", "ordinal", names(
        "en: KID_CATEGORY_DESC | kids category | kids band; fr: catégorie enfants; de: kinder kategorie; "
        "es: categoría hijos; it: categoria figli; pt: categoria filhos; nl: kinderen categorie"),
        lambda ctx: v.pick(ctx, ["None/Unknown", "1", "2", "3+"])),
    Concept("demo.household_size", "demographics", "count", names(
        "en: household size | Family_Size | family size; fr: taille du foyer | taille du ménage; "
        "de: haushaltsgröße; es: tamaño del hogar; it: componenti famiglia; pt: tamanho do agregado; "
        "nl: huishoudgrootte"), lambda ctx: v.ints(ctx, 1, 8), missing=0.03),
    Concept("demo.household_size_band", "demographics", "ordinal", names(
        "en: HOUSEHOLD_SIZE_DESC | household size band | hh size; fr: taille foyer (tranche); de: haushaltsgröße klasse; "
        "es: tamaño hogar (tramo); it: fascia componenti; pt: escalão agregado; nl: huishoudgrootte klasse"),
        lambda ctx: v.pick(ctx, ["1", "2", "3", "4", "5+"])),
    Concept("demo.household_comp", "demographics", "code", names(
        "en: HH_COMP_DESC | household composition | household type; fr: composition du foyer; "
        "de: haushaltszusammensetzung; es: composición del hogar; it: composizione famiglia; "
        "pt: composição do agregado; nl: samenstelling huishouden"),
        lambda ctx: v.pick(ctx, ["2 Adults Kids", "2 Adults No Kids", "Single Female", "Single Male",
                                 "1 Adult Kids", "Unknown"])),
    Concept("demo.homeowner", "demographics", "code", names(
        "en: HOMEOWNER_DESC | homeowner | home ownership; fr: statut logement | propriétaire; de: wohnstatus | "
        "eigentümer; es: tenencia de vivienda; it: abitazione; pt: habitação; nl: woonsituatie"),
        lambda ctx: v.pick(ctx, ["Homeowner", "Renter", "Probable Owner", "Probable Renter", "Unknown"])),
    Concept("demo.senior", "demographics", "flag", names(
        "en: SeniorCitizen | senior citizen | senior | is_senior; fr: senior; de: senior; es: mayor de 65; "
        "it: over 65; pt: sénior; nl: senior"), lambda ctx: v.flags(ctx, "01", p=0.16)),
    Concept("demo.partner", "demographics", "flag", names(
        "en: Partner | partner | has partner; fr: en couple; de: partner; es: pareja; it: partner; pt: parceiro; "
        "nl: partner"), lambda ctx: v.flags(ctx, str(ctx.rng.choice(["words", "lower"])), p=0.48)),
    Concept("demo.dependents", "demographics", "flag", names(
        "en: Dependents | dependents | has dependents; fr: personnes à charge; de: unterhaltsberechtigte; "
        "es: dependientes; it: familiari a carico; pt: dependentes; nl: inwonende kinderen"),
        lambda ctx: v.flags(ctx, str(ctx.rng.choice(["words", "lower"])), p=0.3)),
    Concept("demo.graduated", "demographics", "flag", names(
        "en: Graduated | graduated | university degree; fr: diplômé; de: studium abgeschlossen; es: graduado; "
        "it: laureato; pt: licenciado; nl: afgestudeerd"), lambda ctx: v.flags(ctx, "words", p=0.6), missing=0.01),
    Concept("demo.work_experience", "demographics", "quantity", names(
        "en: Work_Experience | work experience | years of experience; fr: années d'expérience; "
        "de: berufserfahrung (jahre); es: años de experiencia; it: anni di esperienza; pt: anos de experiência; "
        "nl: werkervaring (jaren)"), lambda ctx: v.ints(ctx, 0, 14), missing=0.1),
]

_GEOGRAPHY = [
    Concept("geo.country", "geography", "code", names(
        "en: country | Country | nation; fr: pays; de: land; es: país; it: paese | nazione; pt: país; nl: land"),
        lambda ctx: v.pick(ctx, words(COUNTRIES, ctx.language))),
    Concept("geo.region", "geography", "code", names(
        "en: region | Region | sales region; fr: région; de: region | gebiet; es: región | zona; it: regione | zona; "
        "pt: região | zona; nl: regio"), lambda ctx: v.pick(ctx, words(REGIONS, ctx.language))),
    Concept("geo.region_code", "geography", "code", names(
        "en: Region | region | region code | area; fr: région | code région; de: region | gebiet; es: región | zona; "
        "it: regione | zona; pt: região | zona; nl: regio"),
        lambda ctx: v.pick(ctx, range(1, int(ctx.rng.choice([4, 4, 6, 10]))))),
    Concept("geo.city", "geography", "code", names(
        "en: city | City | town; fr: ville; de: stadt | ort; es: ciudad; it: città; pt: cidade | localidade; "
        "nl: stad | woonplaats"), lambda ctx: v.pick(ctx, words(CITIES, ctx.language))),
    Concept("geo.postcode", "geography", "code", names(
        "en: zip | zip code | postcode | postal code; fr: code postal | cp; de: plz | postleitzahl; "
        "es: código postal | cp; it: cap | codice postale; pt: código postal; nl: postcode"), _postcodes),
    Concept("geo.area_code", "geography", "code", names("en: Area code | area code | area_code"),
            lambda ctx: v.pick(ctx, [408, 415, 510])),
    Concept("geo.state", "geography", "code", names("en: State | state | us state"),
            lambda ctx: v.pick(ctx, _STATES)),
    Concept("geo.geography", "geography", "code", names(
        "en: Geography | geography | market; fr: zone géographique | marché; de: markt | geografie; "
        "es: mercado | geografía; it: mercato | area geografica; pt: mercado | geografia; nl: markt | geografie"),
        lambda ctx: v.pick(ctx, words(COUNTRIES, ctx.language)[:3])),
]

_OUTCOMES = [
    Concept("out.churn", "outcome", "outcome", names(
        "en: churn | Churn | churned | churn flag | Exited | exited | has left; fr: résilié | churn | désabonné | "
        "départ; de: gekündigt | abwanderung | kündigung; es: baja | abandono | se dio de baja; "
        "it: abbandono | disdetta | cliente perso; pt: cancelou | abandono | churn; nl: opgezegd | vertrokken | churn"),
        _flag_outcome),
    Concept("out.exited", "outcome", "outcome", names(
        "en: Exited | exited | has left | closed account; fr: parti | compte clôturé; de: ausgetreten | "
        "konto gekündigt; es: se fue | cuenta cerrada; it: uscito | conto chiuso; pt: saiu | conta encerrada; "
        "nl: vertrokken | rekening opgezegd"), lambda ctx: v.flags(ctx, "01", p=0.2)),
    Concept("out.attrition", "outcome", "outcome", names(
        "en: Attrition_Flag | attrition | customer status; fr: statut client; de: kundenstatus; es: estado del cliente; "
        "it: stato cliente; pt: estado do cliente; nl: klantstatus"),
        lambda ctx: v.pick(ctx, words(ATTRITION, ctx.language), [0.84, 0.16])),
    Concept("out.segment", "outcome", "outcome", names(
        "en: Segmentation | segment | customer segment | Segment | label; fr: segment | segment client | groupe; "
        "de: segment | kundensegment | gruppe; es: segmento | grupo; it: segmento | gruppo; pt: segmento | grupo; "
        "nl: segment | groep"), _segment_labels),
    Concept("out.cluster", "outcome", "outcome", names(
        "en: cluster | Cluster | cluster_id | kmeans cluster; fr: cluster | groupe | classe; de: cluster | klasse; "
        "es: clúster | clase; it: cluster | classe; pt: cluster | classe; nl: cluster | klasse"),
        lambda ctx: v.pick(ctx, range(int(ctx.rng.integers(3, 7))))),
    Concept("out.class_label", "outcome", "outcome", names(
        "en: User Behavior Class | class | target | Class | usage class; fr: classe | cible; de: klasse | zielgröße; "
        "es: clase | objetivo; it: classe | target; pt: classe | alvo; nl: klasse | doel"),
        lambda ctx: v.pick(ctx, [1, 2, 3, 4, 5])),
    Concept("out.response", "outcome", "outcome", names(
        "en: Response | responded | response last campaign | accepted offer; fr: réponse | réponse campagne | "
        "a répondu; de: antwort kampagne | reagiert | kampagnenantwort; es: respuesta campaña | respondió; "
        "it: risposta campagna | ha risposto; pt: resposta campanha | respondeu; nl: reactie campagne | gereageerd"),
        _flag_outcome),
    Concept("out.accepted", "outcome", "outcome", names(
        "en: AcceptedCmp{} | accepted campaign {} | cmp{} accepted; fr: campagne {} acceptée | cmp{} accepté; "
        "de: kampagne {} angenommen; es: campaña {} aceptada; it: campagna {} accettata; pt: campanha {} aceite; "
        "nl: campagne {} geaccepteerd"), lambda ctx: v.flags(ctx, "01", p=0.07),
        subjects={"en": ("1", "2", "3", "4", "5")}),
    Concept("out.converted", "outcome", "outcome", names(
        "en: converted | Purchased | conversion; fr: converti | achat effectué; de: konvertiert | gekauft; "
        "es: convertido | compró; it: convertito | acquistato; pt: convertido | comprou; nl: geconverteerd | gekocht"),
        _flag_outcome),
    Concept("out.default", "outcome", "outcome", names(
        "en: default payment next month | default.payment.next.month | defaulted | default; fr: défaut de paiement; "
        "de: zahlungsausfall; es: impago; it: insolvenza; pt: incumprimento; nl: wanbetaling"),
        lambda ctx: v.flags(ctx, "01", p=0.22)),
    Concept("out.satisfaction", "outcome", "outcome", names(
        "en: satisfaction | overall satisfaction; fr: satisfaction | satisfaction globale; de: zufriedenheit gesamt; "
        "es: satisfacción general; it: soddisfazione complessiva; pt: satisfação geral; nl: algemene tevredenheid"),
        lambda ctx: v.pick(ctx, words(SATISFACTION, ctx.language))),
    Concept("out.poutcome", "outcome", "outcome", names(
        "en: poutcome | previous outcome | outcome of previous campaign; fr: résultat campagne précédente; "
        "de: ergebnis vorherige kampagne; es: resultado campaña anterior; it: esito campagna precedente; "
        "pt: resultado campanha anterior; nl: resultaat vorige campagne"),
        lambda ctx: v.pick(ctx, ["unknown", "failure", "other", "success"], [0.8, 0.1, 0.05, 0.05])),
    Concept("out.y", "outcome", "outcome", names("en: y | target | subscribed"),
            lambda ctx: v.flags(ctx, "lower", p=0.12)),
]

_REST = [
    Concept("const.cost_contact", "constant", "money", names("en: Z_CostContact | cost per contact"),
            lambda ctx: pd.Series(np.full(ctx.n, 3))),
    Concept("const.revenue", "constant", "money", names("en: Z_Revenue | revenue per response"),
            lambda ctx: pd.Series(np.full(ctx.n, 11))),
    Concept("const.currency", "constant", "code", names(
        "en: currency | Currency; fr: devise; de: währung; es: moneda; it: valuta; pt: moeda; nl: valuta"),
        lambda ctx: pd.Series([str(ctx.rng.choice(["EUR", "USD", "GBP"]))] * ctx.n, dtype=object)),
    Concept("const.source", "constant", "code", names(
        "en: source | source system | data source; fr: source; de: quelle | quellsystem; es: fuente; it: fonte; "
        "pt: origem; nl: bron"), lambda ctx: pd.Series(["crm_export"] * ctx.n, dtype=object)),
    Concept("text.comment", "none", "text", names(
        "en: comments | notes | feedback | remarks; fr: commentaire | remarques; de: kommentar | bemerkungen | "
        "anmerkung; es: comentarios | observaciones; it: commenti | note; pt: comentários | observações; "
        "nl: opmerkingen | commentaar"), v.free_text),
]

#: Every concept of this module by key.
PEOPLE = {c.key: c for c in (*_IDS, *_DEMOGRAPHICS, *_GEOGRAPHY, *_OUTCOMES, *_REST)}
