"""English and French strings for labels and messages the provider localises.

The real provider picks the language from ``Accept-Language``; we only ship ``en`` and ``fr``
and fall back to English for anything else, as the provider falls back for missing
translations.
"""

LANGUAGES = ("en", "fr")


def pick_language(header: str | None) -> str:
    """Return ``fr`` or ``en`` for an Accept-Language header, honouring q-values."""
    if not header:
        return "en"
    best, best_q = "en", -1.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in LANGUAGES and q > best_q:
            best, best_q = base, q
    return best


def text(value, lang: str) -> str:
    """Pick the ``lang`` variant of a ``{"en": .., "fr": ..}`` value (plain strings pass)."""
    if isinstance(value, dict):
        return value.get(lang) or value["en"]
    return value


MESSAGES = {
    "required": {"en": "This field is required.", "fr": "Ce champ est obligatoire."},
    "blank": {
        "en": "This value should not be blank.",
        "fr": "Cette valeur ne doit pas être vide.",
    },
    "invalid": {"en": "This value is not valid.", "fr": "Cette valeur n'est pas valide."},
    "facet_required": {
        "en": 'The field "{label}" must have a value.',
        "fr": "Le champ « {label} » doit avoir une valeur.",
    },
    "maxlength": {
        "en": "Ensure this value has at most {n} characters.",
        "fr": "Assurez-vous que cette valeur comporte au plus {n} caractères.",
    },
    "minlength": {
        "en": "Ensure this value has at least {n} characters.",
        "fr": "Assurez-vous que cette valeur comporte au moins {n} caractères.",
    },
    "maxitems": {
        "en": "Select at most {n} items.",
        "fr": "Sélectionnez au plus {n} éléments.",
    },
    "minitems": {
        "en": "Select at least {n} items.",
        "fr": "Sélectionnez au moins {n} éléments.",
    },
    "int": {"en": "Enter a whole number.", "fr": "Saisissez un nombre entier."},
    "float": {"en": "Enter a number.", "fr": "Saisissez un nombre."},
    "regex": {
        "en": "This value does not have the expected format.",
        "fr": "Cette valeur n'a pas le format attendu.",
    },
    "date": {
        "en": "Enter a valid date in the format {fmt}.",
        "fr": "Saisissez une date valide au format {fmt}.",
    },
    "email": {"en": "Enter a valid email address.", "fr": "Saisissez une adresse e-mail valide."},
    "url": {"en": "Enter a valid URL.", "fr": "Saisissez une URL valide."},
    "choice": {
        "en": '"{value}" is not a valid choice.',
        "fr": "« {value} » n'est pas un choix valide.",
    },
    "leaf": {
        "en": '"{value}" is not a selectable option: choose a leaf of the tree.',
        "fr": "« {value} » n'est pas sélectionnable : choisissez une feuille de l'arbre.",
    },
    "list": {"en": "Expected a list of values.", "fr": "Une liste de valeurs est attendue."},
    "questionnaire": {
        "en": "Expected a JSON-encoded list of questions, each with a text.",
        "fr": "Une liste de questions encodée en JSON, chacune avec un texte, est attendue.",
    },
    "json_list": {
        "en": "Expected a JSON-encoded list of strings.",
        "fr": "Une liste de chaînes encodée en JSON est attendue.",
    },
    "string": {"en": "Expected a text value.", "fr": "Une valeur texte est attendue."},
    "one_value": {
        "en": "You can specify only one value.",
        "fr": "Vous ne pouvez indiquer qu'une seule valeur.",
    },
    "vonq_id": {"en": "VonqId {value} not found.", "fr": "VonqId {value} introuvable."},
    "bad_credentials": {
        "en": "The job board rejected these credentials.",
        "fr": "Le site d'emploi a refusé ces identifiants.",
    },
    "bad_oauth": {
        "en": "This authorisation was not issued by the job board. Connect again.",
        "fr": "Cette autorisation n'a pas été délivrée par le site d'emploi. Reconnectez-vous.",
    },
}


def msg(key: str, lang: str, **kwargs) -> str:
    return text(MESSAGES[key], lang).format(**kwargs)


STATUS_TEXTS = {
    "online": {
        "en": "The job ad is live on the job board.",
        "fr": "L'annonce est en ligne sur le site d'emploi.",
    },
    "in progress": {
        "en": "The job ad is being published.",
        "fr": "L'annonce est en cours de publication.",
    },
    "offline_expired": {
        "en": "The job ad expired at the end of its posting duration.",
        "fr": "L'annonce a expiré à la fin de sa durée de publication.",
    },
    "offline_cancelled": {
        "en": "The job ad was taken offline on request.",
        "fr": "L'annonce a été retirée à la demande.",
    },
    "not processed": {
        "en": "The job board rejected the posting.",
        "fr": "Le site d'emploi a refusé l'annonce.",
    },
    "not_processed_solution": {
        "en": 'Check the contract credentials, then <a href="https://example.com/help">'
        "order again</a>.",
        "fr": 'Vérifiez les identifiants du contrat, puis <a href="https://example.com/help">'
        "commandez à nouveau</a>.",
    },
}
