"""Static facts the demo network is built from (names are invented; agencies are real bodies
named in ../shared/domain/rules.md §5.3, with demo contact details)."""

# (acronym, name, country, city)
AGENCIES = [
    ("ANVT", "Agence Nationale du Volontariat au Togo", "TG", "Lomé"),
    ("GIP-PNVB", "Programme National de Volontariat au Burkina Faso", "BF", "Ouagadougou"),
    ("OSCN", "Office du Service Civique National", "CI", "Abidjan"),
    ("EV-SN", "Espace Volontariats Sénégal", "SN", "Dakar"),
    ("EV-TN", "Espace Volontariats Tunisie", "TN", "Tunis"),
    ("CNPV", "Centre National de Promotion du Volontariat", "ML", "Bamako"),
    ("ANPE-BJ", "Agence Nationale pour l'Emploi (volontariat)", "BJ", "Cotonou"),
    ("PNV-CM", "Programme National de Volontariat du Cameroun", "CM", "Yaoundé"),
    ("EV-MA", "Espace Volontariats Maroc", "MA", "Rabat"),
    ("EV-MG", "Espace Volontariats Madagascar", "MG", "Antananarivo"),
    ("EV-PE", "Espacio Voluntariados Perú", "PE", "Lima"),
    ("EV-EC", "Espacio Voluntariados Ecuador", "EC", "Quito"),
    ("EV-KH", "Espace Volontariats Cambodge", "KH", "Phnom Penh"),
    ("EV-VN", "Espace Volontariats Vietnam", "VN", "Hanoï"),
]

FRENCH_CITIES = [
    "Lyon", "Bordeaux", "Lille", "Marseille", "Nantes", "Toulouse", "Rennes", "Strasbourg",
    "Montpellier", "Grenoble", "Dijon", "Clermont-Ferrand", "Rouen", "Poitiers", "Limoges",
    "Besançon", "Saint-Étienne", "Tours", "Angers", "Metz", "Paris", "Brest", "Pau", "Nancy",
]

HOST_NAMES = [
    "Maison des Solidarités", "Cool'eurs du Monde", "Service de Coopération au Développement",
    "Ligue de l'enseignement", "Jardins Partagés", "Réseau Éducation Populaire",
    "Centre Social des Quartiers", "Association Terre et Partage", "Les Amis de la Bibliothèque",
    "Maison de Quartier Arc-en-ciel", "Sport pour Tous", "Festival des Cultures du Monde",
    "Épicerie Solidaire", "Concordia", "Solidarités Jeunesses", "Études et Chantiers",
    "Compagnons Bâtisseurs", "Mémoire et Citoyenneté", "Santé Solidaire", "Ressourcerie Verte",
    "Accueil Migrants", "Radio Associative Ondes Libres", "Théâtre de l'Espoir",
    "École de Musique Populaire", "Recyclerie Sportive", "Ferme Pédagogique",
    "Maison de l'Europe", "ADICE", "Pôle Jeunesse", "Les Petits Débrouillards",
    "Collectif Alimentation Durable", "Fablab Solidaire",
]

# Origin weights for volunteers hosted in France: Tunisia, Senegal and Burkina Faso first
# (rules.md §5.4, 2019), then the other partner countries, then a long tail.
ORIGIN_WEIGHTS = {
    "TN": 30, "SN": 28, "BF": 24, "MA": 14, "TG": 12, "BJ": 11, "CI": 10, "ML": 8, "CM": 8,
    "MG": 7, "PE": 6, "EC": 5, "KH": 4, "VN": 4, "LB": 4, "NE": 3, "HT": 3, "IN": 3, "BR": 3,
    "GN": 3, "CO": 2, "BO": 2, "DZ": 2, "EG": 2, "GH": 2, "CD": 2, "MR": 2, "TD": 2,
    "CG": 1, "GW": 1, "PY": 1, "AR": 1, "JO": 1, "PS": 1, "LA": 1, "PH": 1, "ID": 1,
    "NP": 1, "MX": 1, "UA": 1, "GE": 1, "AM": 1,
}
EU_ORIGINS = ["DE", "ES", "IT", "PT", "PL", "BE", "CZ", "RO", "GR", "HU"]

# Hosted in France per year on reciprocal Service Civique (rules.md §5.4, published figures
# where known; the other years interpolated for the demo).
HOSTED_SC_PER_YEAR = {
    2015: 33, 2016: 54, 2017: 98, 2018: 160, 2019: 251, 2020: 95, 2021: 130, 2022: 153,
    2023: 170, 2024: 165, 2025: 140, 2026: 90,
}
HOSTED_VSI_PER_YEAR = {2023: 59, 2024: 147, 2025: 120, 2026: 60}
WORKCAMP_PER_YEAR = 40  # foreign volunteers in French work camps, per summer
SENT_PER_YEAR = 45  # French volunteers placed abroad with partner agencies, per year

FIRST_NAMES = {
    "F": ["Awa", "Fatou", "Aminata", "Mariam", "Salimata", "Yasmine", "Amira", "Inès", "Nour",
          "Lucía", "Camila", "Linh", "Sophea", "Rokia", "Adjoa", "Kafui", "Léa", "Chloé",
          "Manon", "Emma", "Hanna", "Giulia", "Marta", "Zeynab", "Aïcha", "Rasoa"],
    "M": ["Moussa", "Ibrahima", "Ousmane", "Cheikh", "Youssef", "Mehdi", "Karim", "Amine",
          "Koffi", "Kossi", "Issa", "Boukary", "Mateo", "Diego", "Minh", "Dara", "Hugo",
          "Lucas", "Thomas", "Jonas", "Marco", "Pablo", "Rija", "Sékou", "Adama", "Yao"],
    "X": ["Sacha", "Camille", "Alex", "Noa"],
}
LAST_NAMES = [
    "Diallo", "Ndiaye", "Sow", "Traoré", "Ouédraogo", "Kaboré", "Ben Salah", "Trabelsi",
    "Mensah", "Agbeko", "Koné", "Coulibaly", "Rakoto", "Quispe", "Mamani", "Nguyen", "Tran",
    "Sok", "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "El Amrani", "Benali", "Kouassi",
    "Yao", "Sanogo", "Fofana", "Diop", "Faye", "Bamba", "Haddad", "Garcia", "Rossi", "Müller",
]

MISSION_TITLES = {
    "solidarity": ["Support for isolated elderly people", "Community grocery and food aid"],
    "education": ["Homework club and reading workshops", "Digital literacy for all"],
    "culture": ["Intercultural festival team", "Community radio programmes"],
    "sport": ["Sport as a tool for inclusion", "Youth football club activities"],
    "environment": ["Urban gardens and composting", "Repair café and waste reduction"],
    "memory": ["Local memory and citizenship workshops"],
    "development": ["Awareness of the Sustainable Development Goals", "Fair-trade education"],
    "health": ["Health prevention in neighbourhoods"],
    "heritage": ["Restoration of a medieval wall", "Dry-stone terraces restoration"],
    "agriculture": ["Agro-ecology and seed bank"],
}

DEMO_PASSWORD = "reciprocity-demo"  # noqa: S105 - a published demo password, local data only
