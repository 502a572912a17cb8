"""The posting-requirement sets boards use, with bilingual labels.

A facet definition carries ``{"en", "fr"}`` labels and, for autocomplete facets, the name of
the option list it searches (``source``); ``facets.render`` turns it into the provider's shape
for one language. The shape follows the provider's guide: ``rules`` are ``{rule, data}`` with
``data`` a string, ``sort`` is a string, ``autocomplete`` is null or
``{required_parameters, parameters_source}``, ``display_rules`` is null or ``{show: [...]}``.
``ZOO`` (channel 1099) exercises every type, every rule and every display-rule operator.
"""


def L(en: str, fr: str | None = None) -> dict:  # noqa: N802 - short on purpose, used a lot
    return {"en": en, "fr": fr or en}


def opt(key, en, fr=None, parent=None, default=None, show=None):
    option = {"key": key, "label": L(en, fr), "parent": parent, "default": default}
    if show:
        option["show"] = show  # facets revealed when this option is selected
    return option


TERM = {"required_parameters": ["term"], "parameters_source": None}


def depends_on(*facet_names: str) -> dict:
    """An autocomplete whose term is the value of other facets: one source is an object,
    several a list (``autocomplete.md``, "Pattern 3")."""
    sources = [{"facet": name} for name in facet_names]
    return {
        "required_parameters": ["term"] * len(sources),
        "parameters_source": {"term": sources if len(sources) > 1 else sources[0]},
    }


# Option lists that autocomplete facets search. Keys are what the order must carry.
SOURCES = {
    "cities_in": [
        opt("in-bengaluru", "Bengaluru"),
        opt("in-mumbai", "Mumbai", "Bombay"),
        opt("in-delhi", "New Delhi", "New Delhi"),
        opt("in-hyderabad", "Hyderabad"),
        opt("in-chennai", "Chennai"),
        opt("in-pune", "Pune"),
        opt("in-kolkata", "Kolkata"),
        opt("in-ahmedabad", "Ahmedabad"),
        opt("in-noida", "Noida"),
        opt("in-gurugram", "Gurugram"),
    ],
    "cities_world": [
        opt("nl-amsterdam", "Amsterdam"),
        opt("nl-rotterdam", "Rotterdam"),
        opt("de-berlin", "Berlin"),
        opt("de-munich", "Munich", "Munich"),
        opt("de-hamburg", "Hamburg", "Hambourg"),
        opt("fr-paris", "Paris"),
        opt("fr-lyon", "Lyon"),
        opt("fr-marseille", "Marseille"),
        opt("be-brussels", "Brussels", "Bruxelles"),
        opt("be-antwerp", "Antwerp", "Anvers"),
        opt("gb-london", "London", "Londres"),
        opt("gb-manchester", "Manchester"),
        opt("es-madrid", "Madrid"),
        opt("es-barcelona", "Barcelona", "Barcelone"),
        opt("it-rome", "Rome"),
        opt("it-milan", "Milan"),
        opt("au-sydney", "Sydney"),
        opt("au-melbourne", "Melbourne"),
        opt("us-new-york", "New York"),
        opt("us-san-francisco", "San Francisco"),
        opt("ae-dubai", "Dubai", "Dubaï"),
        opt("mx-mexico-city", "Mexico City", "Mexico"),
        opt("br-sao-paulo", "São Paulo"),
        opt("in-bengaluru", "Bengaluru"),
        opt("ca-montreal", "Montreal", "Montréal"),
        opt("ch-geneva", "Geneva", "Genève"),
    ],
    # Districts filed under their city's key: the options of a facet that depends on
    # ``location``.
    "districts": [
        opt("fr-paris-01", "Paris 1st arrondissement", "Paris 1er", parent="fr-paris"),
        opt("fr-paris-11", "Paris 11th arrondissement", "Paris 11e", parent="fr-paris"),
        opt("fr-lyon-03", "Lyon 3rd arrondissement", "Lyon 3e", parent="fr-lyon"),
        opt("nl-amsterdam-centrum", "Amsterdam-Centrum", parent="nl-amsterdam"),
        opt("de-berlin-mitte", "Berlin-Mitte", parent="de-berlin"),
    ],
    # Ad tiers, fetched for a headline and a location; branded tiers reveal ``brand_id``.
    "ad_tiers": [
        opt("basic", "Basic", "Basique"),
        opt("branded", "Branded", "Avec marque", show=["brand_id"]),
        opt("premium", "Premium", show=["brand_id"]),
    ],
}


def facet(
    name,
    label,
    ftype,
    *,
    required=False,
    sort=0,
    message="",
    options=None,
    rules=None,
    display=None,
    source=None,
    autocomplete=None,
):
    return {
        "name": name,
        "label": label,
        "sort": str(sort),
        "required": required,
        "type": ftype,
        "message": message,
        "options": options or [],
        "rules": [{"rule": r, "data": str(d)} for r, d in (rules or [])],
        "autocomplete": autocomplete or (TERM if source else None),
        "display_rules": {"show": display} if display else None,
        "source": source,
    }


def show(facet_name, op, value=None):
    return {"facet": facet_name, "op": op, "value": value}


NAUKRI = [
    facet(
        "industry-naukri",
        L("Industry", "Secteur"),
        "SELECT",
        required=True,
        sort=1,
        options=[
            opt("it-software", "IT - Software", "Informatique - Logiciel"),
            opt("bfsi", "Banking, Financial Services & Insurance", "Banque, finance et assurance"),
            opt("manufacturing", "Manufacturing", "Industrie"),
            opt("healthcare", "Healthcare", "Santé"),
            opt("education", "Education", "Enseignement"),
        ],
    ),
    facet(
        "location",
        L("Location", "Lieu"),
        "AUTOCOMPLETE",
        required=True,
        sort=2,
        message=L("Start typing a city", "Commencez à saisir une ville"),
        source="cities_in",
    ),
]

LINKEDIN = [
    facet(
        "company-page-url",
        L("Company page URL", "URL de la page entreprise"),
        "TEXT",
        required=True,
        sort=1,
        rules=[("url", "")],
        message=L(
            "The LinkedIn page of the hiring company",
            "La page LinkedIn de l'entreprise qui recrute",
        ),
    ),
    facet(
        "workplace-type",
        L("Workplace type", "Mode de travail"),
        "SELECT",
        sort=2,
        options=[
            opt("on-site", "On-site", "Sur site"),
            opt("hybrid", "Hybrid", "Hybride"),
            opt("remote", "Remote", "Télétravail"),
        ],
    ),
]

BASIC = [
    facet(
        "job_category",
        L("Job category", "Catégorie d'emploi"),
        "SELECT",
        required=True,
        sort=1,
        options=[
            opt("it", "IT", "Informatique"),
            opt("sales", "Sales", "Ventes"),
            opt("finance", "Finance"),
            opt("care", "Care", "Soins"),
            opt("logistics", "Logistics", "Logistique"),
        ],
    ),
    facet(
        "contact_phone",
        L("Contact phone", "Téléphone de contact"),
        "TEXT",
        sort=2,
        rules=[("regex", r"/^\+?[0-9 ]{6,20}$/"), ("maxlength", 20)],
    ),
]

LOCATION = [
    facet(
        "location",
        L("Location", "Lieu"),
        "AUTOCOMPLETE",
        required=True,
        sort=1,
        source="cities_world",
    ),
]

DATES = [
    facet(
        "start_date",
        L("Start date", "Date de début"),
        "DATE",
        sort=1,
        rules=[("date", "d.m.Y")],
        message=L("Format DD.MM.YYYY", "Format JJ.MM.AAAA"),
    ),
    facet(
        "summary",
        L("Short summary", "Résumé court"),
        "TEXTAREA",
        required=True,
        sort=2,
        rules=[("maxlength", 300), ("minlength", 10)],
    ),
]

# The board that exercises every facet type, every rule and every display-rule operator.
ZOO = [
    facet(
        "headline",
        L("Headline", "Accroche"),
        "TEXT",
        required=True,
        sort=1,
        rules=[("maxlength", 60), ("minlength", 5)],
    ),
    facet("summary", L("Summary", "Résumé"), "TEXTAREA", sort=2, rules=[("maxlength", 500)]),
    facet(
        "body_html",
        L("Formatted body", "Corps mis en forme"),
        "HTMLAREA",
        sort=3,
        rules=[("maxlength", 2000)],
    ),
    facet(
        "extra_cities",
        L("Extra cities", "Villes supplémentaires"),
        "TEXTEXPAND",
        sort=4,
        rules=[("maxitems", 3)],
        message=L("Up to three cities", "Jusqu'à trois villes"),
    ),
    facet(
        "contract_type",
        L("Contract type", "Type de contrat"),
        "SELECT",
        required=True,
        sort=5,
        options=[
            opt("full_time", "Full time", "Temps plein", default="1"),
            opt("part_time", "Part time", "Temps partiel"),
            opt("internship", "Internship", "Stage"),
        ],
    ),
    facet(
        "benefits",
        L("Benefits", "Avantages"),
        "MULTIPLE",
        sort=6,
        rules=[("minitems", 1), ("maxitems", 3)],
        options=[
            opt("car", "Company car", "Voiture de fonction"),
            opt("pension", "Pension plan", "Plan de retraite"),
            opt("gym", "Gym membership", "Salle de sport"),
            opt("bonus", "Annual bonus", "Prime annuelle"),
        ],
    ),
    facet(
        "region",
        L("Region", "Région"),
        "HIER",
        required=True,
        sort=7,
        options=[
            opt("eu", "Europe"),
            opt("fr", "France", parent="eu"),
            opt("fr-idf", "Île-de-France", parent="fr"),
            opt("fr-ara", "Auvergne-Rhône-Alpes", parent="fr"),
            opt("de", "Germany", "Allemagne", parent="eu"),
            opt("de-by", "Bavaria", "Bavière", parent="de"),
            opt("as", "Asia", "Asie"),
            opt("in", "India", "Inde", parent="as"),
        ],
    ),
    facet(
        "location",
        L("Location", "Lieu"),
        "AUTOCOMPLETE",
        required=True,
        sort=8,
        source="cities_world",
    ),
    facet(
        "start_date", L("Start date", "Date de début"), "DATE", sort=9, rules=[("date", "Y-m-d")]
    ),
    facet(
        "notice",
        L(
            "Ads on this board are reviewed by a human within a day.",
            "Les annonces sont relues par une personne sous un jour.",
        ),
        "STATISCH",
        sort=10,
    ),
    facet(
        "headcount",
        L("Number of openings", "Nombre de postes"),
        "TEXT",
        sort=11,
        rules=[("int", "")],
    ),
    facet("hourly_rate", L("Hourly rate", "Taux horaire"), "TEXT", sort=12, rules=[("float", "")]),
    facet(
        "rate_unit",
        L("Rate currency", "Devise du taux"),
        "SELECT",
        required=True,
        sort=13,
        options=[opt("EUR", "Euro"), opt("USD", "US dollar", "Dollar américain")],
        display=[show("hourly_rate", "notempty")],
    ),
    facet(
        "reference_code",
        L("Reference code", "Code de référence"),
        "TEXT",
        sort=14,
        rules=[("regex", "/^[a-z]{2}-[0-9]{4}$/i")],
        message=L("e.g. AB-1234", "ex. AB-1234"),
    ),
    facet(
        "apply_method",
        L("Application methods", "Modes de candidature"),
        "MULTIPLE",
        required=True,
        sort=15,
        options=[opt("EMAIL", "E-mail"), opt("URL", "Website", "Site web")],
    ),
    facet(
        "apply_email",
        L("Application e-mail", "E-mail de candidature"),
        "TEXT",
        required=True,
        sort=16,
        rules=[("email", "")],
        display=[show("apply_method", "contains", "EMAIL")],
    ),
    facet(
        "apply_url",
        L("Application URL", "URL de candidature"),
        "TEXT",
        required=True,
        sort=17,
        rules=[("url", "")],
        display=[show("apply_method", "contains", "URL")],
    ),
    facet(
        "salary_visible",
        L("Show salary", "Afficher le salaire"),
        "SELECT",
        required=True,
        sort=18,
        options=[opt("0", "No", "Non"), opt("1", "Yes", "Oui")],
    ),
    facet(
        "salary_text",
        L("Pay information", "Informations salariales"),
        "TEXT",
        required=True,
        sort=19,
        rules=[("maxlength", 50)],
        display=[show("salary_visible", "equal", "1")],
    ),
    facet(
        "remote_policy",
        L("Remote policy", "Télétravail"),
        "SELECT",
        sort=20,
        options=[
            opt("onsite", "On-site", "Sur site"),
            opt("hybrid", "Hybrid", "Hybride"),
            opt("remote", "Fully remote", "Entièrement à distance"),
        ],
    ),
    facet(
        "remote_notes",
        L("Remote work details", "Détails du télétravail"),
        "TEXTAREA",
        required=True,
        sort=21,
        rules=[("maxlength", 200)],
        display=[show("remote_policy", "in", ["hybrid", "remote"])],
    ),
    facet(
        "openings_area",
        L("Openings in the area", "Postes dans la zone"),
        "AREACOUNT",
        sort=22,
        rules=[("int", "")],
    ),
    facet(
        "screening",
        L("Screening questions", "Questions de présélection"),
        "QUESTIONNAIRE",
        sort=23,
        message=L("Questions candidates answer when applying", "Questions posées aux candidats"),
    ),
    facet(
        "district",
        L("District", "Arrondissement"),
        "AUTOCOMPLETE",
        sort=24,
        source="districts",
        autocomplete=depends_on("location"),
        display=[show("location", "notempty")],
    ),
    facet(
        "ad_tier",
        L("Ad tier", "Formule d'annonce"),
        "SELECT",
        sort=25,
        source="ad_tiers",
        autocomplete=depends_on("headline", "location"),
    ),
    facet(
        "brand_id",
        L("Employer brand", "Marque employeur"),
        "TEXT",
        required=True,
        sort=26,
        rules=[("maxlength", 40)],
        display=[show("ad_tier", "notempty"), show("ad_tier", "selected_option_show_contains")],
    ),
]

FACET_SETS = {
    "naukri": NAUKRI,
    "linkedin": LINKEDIN,
    "basic": BASIC,
    "location": LOCATION,
    "dates": DATES,
    "zoo": ZOO,
    "none": [],
}
