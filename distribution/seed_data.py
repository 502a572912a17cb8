"""A small static copy of the provider's catalogue for demo data (``make run`` seeds it
before the sandbox is up). Ids and names are the ones the provider sandbox serves; the
periodic sync fills in the rest of the catalogue and corrects anything that drifted."""

# (provider id, name, url, type)
CHANNELS = [
    (1001, "Naukri", "https://www.naukri.com", "job board"),
    (1002, "Bayt", "https://www.bayt.com", "job board"),
    (1003, "Computrabajo", "https://www.computrabajo.com", "job board"),
    (1004, "LinkedIn", "https://www.linkedin.com", "social media"),
    (1005, "Indeed", "https://www.indeed.com", "job board"),
    (1006, "StepStone", "https://www.stepstone.de", "job board"),
    (1007, "SEEK", "https://www.seek.com.au", "job board"),
    (1008, "XING", "https://www.xing.com", "social media"),
    (1009, "InfoJobs", "https://www.infojobs.net", "job board"),
    (1010, "VDAB", "https://www.vdab.be", "job board"),
    (1011, "Monster", "https://www.monster.com", "job board"),
    (1012, "Glassdoor", "https://www.glassdoor.com", "job board"),
    (1013, "Totaljobs", "https://www.totaljobs.com", "job board"),
    (1014, "Reed", "https://www.reed.co.uk", "job board"),
    (1015, "Welcome to the Jungle", "https://www.welcometothejungle.com", "job board"),
    (1016, "APEC", "https://www.apec.fr", "job board"),
    (1017, "France Travail", "https://www.francetravail.fr", "job board"),
    (1018, "Jobindex", "https://www.jobindex.dk", "job board"),
    (1019, "Pracuj.pl", "https://www.pracuj.pl", "job board"),
    (1020, "jobs.ch", "https://www.jobs.ch", "job board"),
    (1021, "Catho", "https://www.catho.com.br", "job board"),
    (1022, "JobStreet", "https://www.jobstreet.com", "job board"),
    (1023, "Jobberman", "https://www.jobberman.com", "job board"),
    (1024, "BrighterMonday", "https://www.brightermonday.co.ke", "job board"),
    (1025, "Bumeran", "https://www.bumeran.com.ar", "job board"),
    (1026, "CareerBuilder", "https://www.careerbuilder.com", "job board"),
    (1027, "Dice", "https://www.dice.com", "job board"),
    (1028, "ZipRecruiter", "https://www.ziprecruiter.com", "job board"),
    (1029, "Adzuna", "https://www.adzuna.co.uk", "aggregator"),
    (1030, "Jooble", "https://jooble.org", "aggregator"),
    (1031, "Arbetsförmedlingen", "https://arbetsformedlingen.se", "job board"),
    (1032, "FINN.no", "https://www.finn.no", "job board"),
    (1033, "Oikotie", "https://tyopaikat.oikotie.fi", "job board"),
    (1034, "Profesia", "https://www.profesia.sk", "job board"),
    (1035, "Jobs.cz", "https://www.jobs.cz", "job board"),
    (1036, "Nationale Vacaturebank", "https://www.nationalevacaturebank.nl", "job board"),
    (1037, "Rozee.pk", "https://www.rozee.pk", "job board"),
    (1038, "51job", "https://www.51job.com", "job board"),
    (1039, "Jora", "https://www.jora.com", "aggregator"),
    (1040, "Karriere.at", "https://www.karriere.at", "job board"),
    (1099, "Sandbox Facet Zoo", "https://zoo.sandbox.example", "job board"),
]

# (provider id, English, French)
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

# (provider id, English, French, children)
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
