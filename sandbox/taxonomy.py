"""The provider's taxonomies: industries, job functions, education levels and seniority.

Ids are stable. Ids listed in ``RETIRED_*`` existed once and are now rejected when ordering,
which is what happens when a client keeps a stale copy of a taxonomy.
"""

from .i18n import text

INDUSTRIES = [
    (1, "Accounting", "Comptabilité"),
    (2, "Agriculture", "Agriculture"),
    (3, "Automotive", "Automobile"),
    (4, "Banking & Finance", "Banque et finance"),
    (5, "Construction", "Construction"),
    (6, "Consulting", "Conseil"),
    (8, "Education", "Enseignement"),
    (9, "Energy & Utilities", "Énergie et services publics"),
    (10, "Engineering", "Ingénierie"),
    (11, "Government", "Administration publique"),
    (12, "Healthcare", "Santé"),
    (13, "Hospitality & Tourism", "Hôtellerie et tourisme"),
    (14, "Information Technology", "Informatique"),
    (15, "Insurance", "Assurance"),
    (16, "Legal", "Juridique"),
    (17, "Logistics & Transport", "Logistique et transport"),
    (18, "Manufacturing", "Industrie manufacturière"),
    (19, "Media & Communications", "Médias et communication"),
    (20, "Non-profit", "Associatif"),
    (21, "Pharmaceuticals", "Industrie pharmaceutique"),
    (22, "Real Estate", "Immobilier"),
    (23, "Retail", "Commerce de détail"),
    (24, "Telecommunications", "Télécommunications"),
    (48, "Academic", "Universitaire"),
]
RETIRED_INDUSTRIES = {7, 99}

# (id, en, fr, children)
JOB_FUNCTIONS = [
    (
        1,
        "Administration",
        "Administration",
        [
            (11, "Customer Service", "Service client", []),
            (12, "Office Management", "Gestion de bureau", []),
        ],
    ),
    (
        2,
        "Engineering",
        "Ingénierie",
        [
            (
                21,
                "Software Engineering",
                "Génie logiciel",
                [
                    (211, "Backend Development", "Développement back-end", []),
                    (212, "Frontend Development", "Développement front-end", []),
                ],
            ),
            (22, "Mechanical Engineering", "Génie mécanique", []),
        ],
    ),
    (
        3,
        "Finance",
        "Finance",
        [
            (31, "Accounting", "Comptabilité", []),
            (32, "Controlling", "Contrôle de gestion", []),
        ],
    ),
    (
        4,
        "Healthcare",
        "Santé",
        [
            (41, "Nursing", "Soins infirmiers", []),
            (42, "Medicine", "Médecine", []),
        ],
    ),
    (
        5,
        "Marketing & Sales",
        "Marketing et ventes",
        [
            (51, "Marketing", "Marketing", []),
            (52, "Sales", "Ventes", []),
        ],
    ),
    (
        6,
        "Logistics",
        "Logistique",
        [
            (61, "Warehousing", "Entreposage", []),
            (62, "Driving", "Conduite", []),
        ],
    ),
]
RETIRED_JOB_FUNCTIONS = {13, 99}

EDUCATION_LEVELS = [
    (1, "Master / PhD", "Master / Doctorat"),
    (2, "Bachelor / Graduate", "Licence / Diplômé"),
    (3, "Vocational", "Formation professionnelle"),
    (4, "High school", "Lycée"),
]

SENIORITY = [
    (1, "Executive / Director", "Cadre dirigeant / Directeur"),
    (2, "Manager", "Manager"),
    (3, "Mid-Senior level", "Confirmé / Senior"),
    (4, "Entry level / Graduate", "Débutant / Jeune diplômé"),
    (5, "Student / Trainee", "Étudiant / Stagiaire"),
]


def industries(lang: str) -> list[dict]:
    return [{"id": i, "name": text({"en": en, "fr": fr}, lang)} for i, en, fr in INDUSTRIES]


def job_functions(lang: str) -> list[dict]:
    def node(item):
        i, en, fr, children = item
        return {
            "id": i,
            "name": text({"en": en, "fr": fr}, lang),
            "children": [node(c) for c in children],
        }

    return [node(item) for item in JOB_FUNCTIONS]


def _multilingual(rows) -> list[dict]:
    return [
        {
            "id": i,
            "name": [{"languageCode": "en", "value": en}, {"languageCode": "fr", "value": fr}],
        }
        for i, en, fr in rows
    ]


def education_levels() -> list[dict]:
    return _multilingual(EDUCATION_LEVELS)


def seniority_levels() -> list[dict]:
    return _multilingual(SENIORITY)


def _function_ids(items) -> set[int]:
    ids = set()
    for i, _en, _fr, children in items:
        ids.add(i)
        ids |= _function_ids(children)
    return ids


VALID_IDS = {
    "industry": {i for i, _, _ in INDUSTRIES},
    "jobCategory": _function_ids(JOB_FUNCTIONS),
    "educationLevel": {i for i, _, _ in EDUCATION_LEVELS},
    "seniority": {i for i, _, _ in SENIORITY},
}
