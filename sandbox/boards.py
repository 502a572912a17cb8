"""The boards with fixed ids, their credential schemes and setup instructions.

Ids 1001-1040 are real boards by name; 1099 is the "Sandbox Facet Zoo". Product ids are
``uuid5(PRODUCT_NAMESPACE, "channel-<id>")`` so they never change between runs.
"""

import uuid
from dataclasses import dataclass

PRODUCT_NAMESPACE = uuid.UUID("6f1c3a52-1d4e-4c39-9d65-8a0b7e3f2c11")
FIRST_GENERATED_ID = 10000


@dataclass(frozen=True)
class Channel:
    id: int
    name: str
    url: str
    country: str
    type: str = "job board"
    credentials: str = "apikey"  # key into CREDENTIAL_SCHEMES
    validates: bool = False  # checks credentials at creation when asked to
    facet_set: str = "none"
    manual_setup: str | None = None  # key into SETUP_INSTRUCTIONS
    feed: bool = False  # publishes from a per-customer job feed (its details carry feed_url)

    @property
    def product_id(self) -> str:
        return str(uuid.uuid5(PRODUCT_NAMESPACE, f"channel-{self.id}"))

    @property
    def product_title(self) -> str:
        return f"{self.name} - My Contract"


def cred(name, en, fr, sort, description=None, url=None, options=None):
    return {
        "name": name,
        "label": {"en": en, "fr": fr},
        "sort": sort,
        "description": description or {"en": "", "fr": ""},
        "url": url,
        "options": options,
    }


CREDENTIAL_SCHEMES = {
    "userpass": [
        cred("username", "Username", "Nom d'utilisateur", 1),
        cred("password", "Password", "Mot de passe", 2),
    ],
    "apikey": [
        cred(
            "api_key",
            "API key",
            "Clé d'API",
            1,
            {
                "en": "Found in your employer account settings.",
                "fr": "Disponible dans les paramètres de votre compte employeur.",
            },
        ),
    ],
    "select": [
        cred(
            "account_type",
            "Account type",
            "Type de compte",
            1,
            options=[
                {"key": "standard", "label": {"en": "Standard", "fr": "Standard"}},
                {"key": "premium", "label": {"en": "Premium", "fr": "Premium"}},
                {"key": "enterprise", "label": {"en": "Enterprise", "fr": "Entreprise"}},
            ],
        ),
        cred("account_id", "Account id", "Identifiant du compte", 2),
        cred("password", "Password", "Mot de passe", 3),
    ],
    "oauth": [
        cred(
            "access_token",
            "Connect your account",
            "Connectez votre compte",
            1,
            {
                "en": "You will be sent to the job board to allow Jobcast to post for you.",
                "fr": "Vous serez redirigé vers le site d'emploi pour autoriser Jobcast.",
            },
            url="{public_url}/_sandbox/oauth/consent?channel_id={channel_id}",
        ),
    ],
}

SETUP_INSTRUCTIONS = {
    # Deliberately carries a <script> and an onclick: the product must sanitise this HTML.
    "vdab": (
        "<p>Before adding this contract, ask VDAB to link your employer account to "
        "<strong>Jobcast</strong>:</p><ol><li>Log in to "
        '<a href="https://www.vdab.be/werkgevers" target="_blank">VDAB Werkgevers</a>.</li>'
        "<li>Open <em>Koppelingen</em> and add partner <code>JOBCAST</code>.</li>"
        '<li><a href="#" onclick="alert(\'xss\')">Confirm</a> the link.</li></ol>'
        "<script>alert('xss')</script>"
    ),
    # A feed board: the customer registers its feed address (the details' feed_url) first.
    "feed": (
        "<p>Jooble publishes your ads from a job feed. In your Jooble employer account, open "
        "<em>XML feeds</em> and register your job feed address, then confirm here.</p>"
    ),
    "generic": (
        "<p>This board needs a one-time manual setup: e-mail "
        '<a href="mailto:partners@example.com">partners@example.com</a> with your account '
        "id and ask them to enable <strong>multiposting</strong>.</p>"
    ),
}

FAMOUS = [
    Channel(
        1001,
        "Naukri",
        "https://www.naukri.com",
        "IN",
        credentials="userpass",
        validates=True,
        facet_set="naukri",
    ),
    Channel(1002, "Bayt", "https://www.bayt.com", "AE", facet_set="location"),
    Channel(
        1003,
        "Computrabajo",
        "https://www.computrabajo.com",
        "MX",
        credentials="select",
        facet_set="basic",
    ),
    Channel(
        1004,
        "LinkedIn",
        "https://www.linkedin.com",
        "US",
        type="social media",
        credentials="oauth",
        validates=True,
        facet_set="linkedin",
    ),
    Channel(1005, "Indeed", "https://www.indeed.com", "US", validates=True),
    Channel(
        1006,
        "StepStone",
        "https://www.stepstone.de",
        "DE",
        credentials="select",
        validates=True,
        facet_set="dates",
    ),
    Channel(1007, "SEEK", "https://www.seek.com.au", "AU", facet_set="location"),
    Channel(1008, "XING", "https://www.xing.com", "DE", type="social media", credentials="oauth"),
    Channel(
        1009,
        "InfoJobs",
        "https://www.infojobs.net",
        "ES",
        credentials="userpass",
        facet_set="basic",
    ),
    Channel(1010, "VDAB", "https://www.vdab.be", "BE", manual_setup="vdab", facet_set="dates"),
    Channel(
        1011,
        "Monster",
        "https://www.monster.com",
        "US",
        credentials="userpass",
        validates=True,
        facet_set="basic",
    ),
    Channel(1012, "Glassdoor", "https://www.glassdoor.com", "US", manual_setup="generic"),
    Channel(1013, "Totaljobs", "https://www.totaljobs.com", "GB", credentials="userpass"),
    Channel(1014, "Reed", "https://www.reed.co.uk", "GB", facet_set="basic"),
    Channel(
        1015,
        "Welcome to the Jungle",
        "https://www.welcometothejungle.com",
        "FR",
        facet_set="location",
    ),
    Channel(1016, "APEC", "https://www.apec.fr", "FR", credentials="userpass", facet_set="dates"),
    Channel(
        1017,
        "France Travail",
        "https://www.francetravail.fr",
        "FR",
        manual_setup="generic",
        facet_set="basic",
    ),
    Channel(1018, "Jobindex", "https://www.jobindex.dk", "DK"),
    Channel(1019, "Pracuj.pl", "https://www.pracuj.pl", "PL", credentials="userpass"),
    Channel(1020, "jobs.ch", "https://www.jobs.ch", "CH", credentials="select"),
    Channel(1021, "Catho", "https://www.catho.com.br", "BR", facet_set="basic"),
    Channel(
        1022,
        "JobStreet",
        "https://www.jobstreet.com",
        "MY",
        credentials="userpass",
        facet_set="location",
    ),
    Channel(1023, "Jobberman", "https://www.jobberman.com", "NG"),
    Channel(1024, "BrighterMonday", "https://www.brightermonday.co.ke", "KE"),
    Channel(1025, "Bumeran", "https://www.bumeran.com.ar", "AR", credentials="select"),
    Channel(1026, "CareerBuilder", "https://www.careerbuilder.com", "US", credentials="userpass"),
    Channel(1027, "Dice", "https://www.dice.com", "US", validates=True),
    Channel(1028, "ZipRecruiter", "https://www.ziprecruiter.com", "US", facet_set="location"),
    Channel(1029, "Adzuna", "https://www.adzuna.co.uk", "GB", type="aggregator"),
    Channel(
        1030,
        "Jooble",
        "https://jooble.org",
        "UA",
        type="aggregator",
        feed=True,
        manual_setup="feed",
    ),
    Channel(
        1031, "Arbetsförmedlingen", "https://arbetsformedlingen.se", "SE", manual_setup="generic"
    ),
    Channel(1032, "FINN.no", "https://www.finn.no", "NO", credentials="userpass"),
    Channel(1033, "Oikotie", "https://tyopaikat.oikotie.fi", "FI"),
    Channel(1034, "Profesia", "https://www.profesia.sk", "SK", credentials="userpass"),
    Channel(1035, "Jobs.cz", "https://www.jobs.cz", "CZ", facet_set="dates"),
    Channel(
        1036,
        "Nationale Vacaturebank",
        "https://www.nationalevacaturebank.nl",
        "NL",
        facet_set="basic",
    ),
    Channel(1037, "Rozee.pk", "https://www.rozee.pk", "PK"),
    Channel(1038, "51job", "https://www.51job.com", "CN", credentials="userpass"),
    Channel(1039, "Jora", "https://www.jora.com", "AU", type="aggregator"),
    Channel(
        1040,
        "Karriere.at",
        "https://www.karriere.at",
        "AT",
        credentials="select",
        facet_set="dates",
    ),
    Channel(
        1099,
        "Sandbox Facet Zoo",
        "https://zoo.sandbox.example",
        "NL",
        credentials="apikey",
        facet_set="zoo",
    ),
]
FAMOUS_BY_ID = {c.id: c for c in FAMOUS}
