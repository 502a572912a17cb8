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
    # More than one page of the list (default 50, at most 100 a page), as at the provider.
    (100, "Aerospace & Defence", "Aéronautique et défense"),
    (101, "Airlines & Aviation", "Compagnies aériennes et aviation"),
    (102, "Alternative Medicine", "Médecines douces"),
    (103, "Animation", "Animation"),
    (104, "Apparel & Fashion", "Habillement et mode"),
    (105, "Architecture & Planning", "Architecture et urbanisme"),
    (106, "Arts & Crafts", "Arts et artisanat"),
    (107, "Biotechnology", "Biotechnologie"),
    (108, "Broadcast Media", "Radio et télévision"),
    (109, "Building Materials", "Matériaux de construction"),
    (110, "Business Supplies & Equipment", "Fournitures et équipements de bureau"),
    (111, "Capital Markets", "Marchés financiers"),
    (112, "Chemicals", "Chimie"),
    (113, "Civic & Social Organisations", "Organisations civiques et sociales"),
    (114, "Civil Engineering", "Génie civil"),
    (115, "Commercial Real Estate", "Immobilier commercial"),
    (116, "Computer Games", "Jeux vidéo"),
    (117, "Computer Hardware", "Matériel informatique"),
    (118, "Computer Networking", "Réseaux informatiques"),
    (119, "Computer & Network Security", "Sécurité informatique"),
    (120, "Consumer Electronics", "Électronique grand public"),
    (121, "Consumer Goods", "Biens de consommation"),
    (122, "Cosmetics", "Cosmétiques"),
    (123, "Dairy", "Produits laitiers"),
    (124, "Design", "Design"),
    (125, "E-learning", "Formation en ligne"),
    (126, "Electrical Manufacturing", "Construction électrique"),
    (127, "Entertainment", "Divertissement"),
    (128, "Environmental Services", "Services environnementaux"),
    (129, "Events Services", "Événementiel"),
    (130, "Facilities Services", "Services aux bâtiments"),
    (131, "Farming", "Élevage et cultures"),
    (132, "Fine Art", "Beaux-arts"),
    (133, "Fishery", "Pêche"),
    (134, "Food & Beverages", "Alimentation et boissons"),
    (135, "Food Production", "Production alimentaire"),
    (136, "Fundraising", "Collecte de fonds"),
    (137, "Furniture", "Ameublement"),
    (138, "Gambling & Casinos", "Jeux et casinos"),
    (139, "Glass & Ceramics", "Verre et céramique"),
    (140, "Graphic Design", "Design graphique"),
    (141, "Health & Fitness", "Santé et remise en forme"),
    (142, "Higher Education", "Enseignement supérieur"),
    (143, "Hospital & Health Care", "Hôpitaux et soins"),
    (144, "Human Resources", "Ressources humaines"),
    (145, "Import & Export", "Import-export"),
    (146, "Industrial Automation", "Automatismes industriels"),
    (147, "Information Services", "Services d'information"),
    (148, "Internet", "Internet"),
    (149, "Investment Banking", "Banque d'investissement"),
    (150, "Investment Management", "Gestion d'actifs"),
    (151, "Law Enforcement", "Forces de l'ordre"),
    (152, "Leisure & Travel", "Loisirs et voyages"),
    (153, "Libraries", "Bibliothèques"),
    (154, "Luxury Goods & Jewellery", "Luxe et joaillerie"),
    (155, "Machinery", "Machines"),
    (156, "Management Consulting", "Conseil en management"),
    (157, "Maritime", "Maritime"),
    (158, "Market Research", "Études de marché"),
    (159, "Marketing & Advertising", "Marketing et publicité"),
    (160, "Mechanical Engineering", "Génie mécanique"),
    (161, "Medical Devices", "Dispositifs médicaux"),
    (162, "Mining & Metals", "Mines et métaux"),
    (163, "Music", "Musique"),
    (164, "Nanotechnology", "Nanotechnologies"),
    (165, "Oil & Energy", "Pétrole et énergie"),
    (166, "Online Media", "Médias en ligne"),
    (167, "Packaging & Containers", "Emballage"),
    (168, "Performing Arts", "Arts du spectacle"),
    (169, "Photography", "Photographie"),
    (170, "Plastics", "Plasturgie"),
    (171, "Printing", "Imprimerie"),
    (172, "Public Relations", "Relations publiques"),
    (173, "Publishing", "Édition"),
    (174, "Railway Manufacturing", "Construction ferroviaire"),
    (175, "Renewables & Environment", "Énergies renouvelables et environnement"),
    (176, "Research", "Recherche"),
    (177, "Restaurants", "Restauration"),
    (178, "Security & Investigations", "Sécurité et enquêtes"),
    (179, "Semiconductors", "Semi-conducteurs"),
    (180, "Shipbuilding", "Construction navale"),
    (181, "Sporting Goods", "Articles de sport"),
    (182, "Sports", "Sport"),
    (183, "Staffing & Recruiting", "Recrutement et intérim"),
    (184, "Textiles", "Textile"),
    (185, "Translation & Localisation", "Traduction et localisation"),
    (186, "Utilities", "Eau, gaz et électricité"),
    (187, "Veterinary", "Vétérinaire"),
    (188, "Warehousing", "Entreposage"),
    (189, "Wine & Spirits", "Vins et spiritueux"),
    (190, "Wireless", "Télécommunications sans fil"),
    (191, "Writing & Editing", "Rédaction et correction"),
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
    """Ordered alphabetically in the language asked, as the provider lists them."""
    entries = [{"id": i, "name": text({"en": en, "fr": fr}, lang)} for i, en, fr in INDUSTRIES]
    return sorted(entries, key=lambda entry: (entry["name"].casefold(), entry["id"]))


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
