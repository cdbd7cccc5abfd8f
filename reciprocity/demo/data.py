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

# Volunteers' names follow their nationality: (female first names, male first names, last
# names) per naming region, so a Tunisian volunteer is not called "Lucía Nguyen".
NAMES = {
    "sahel": (["Awa", "Fatou", "Aminata", "Mariam", "Salimata", "Rokia", "Aïssata", "Kadiatou",
               "Ramatou", "Adjaratou", "Fanta", "Oumou"],
              ["Moussa", "Ibrahima", "Ousmane", "Cheikh", "Issa", "Boukary", "Sékou", "Adama",
               "Mamadou", "Souleymane", "Abdoulaye", "Seydou"],
              ["Diallo", "Ndiaye", "Sow", "Traoré", "Ouédraogo", "Kaboré", "Koné", "Coulibaly",
               "Sanogo", "Fofana", "Diop", "Faye", "Sawadogo", "Zongo", "Keïta", "Cissé"]),
    "gulf_of_guinea": (["Adjoa", "Kafui", "Akossiwa", "Enyonam", "Afi", "Mawuena", "Ahou",
                        "Affoué", "Sènami", "Chimène"],
                       ["Koffi", "Kossi", "Yao", "Komlan", "Edem", "Kodjo", "Kouamé", "Sénamé",
                        "Gildas", "Rodrigue"],
                       ["Mensah", "Agbeko", "Kouassi", "Yao", "Bamba", "Amégan", "Agbodjan",
                        "Kpodar", "Houngbédji", "Adjovi", "Kouadio", "N'Guessan"]),
    "central_africa": (["Ngono", "Larissa", "Nadège", "Grâce", "Merveille", "Clarisse"],
                       ["Arnaud", "Junior", "Serge", "Blaise", "Patrick", "Christian"],
                       ["Mbarga", "Nkoulou", "Tchamba", "Mbappé", "Kabongo", "Ilunga", "Moukoko",
                        "Ngoma"]),
    "maghreb": (["Yasmine", "Amira", "Inès", "Nour", "Salma", "Rania", "Meriem", "Zeynab",
                 "Aïcha", "Leïla"],
                ["Youssef", "Mehdi", "Karim", "Amine", "Omar", "Walid", "Hamza", "Anis", "Bilal",
                 "Rami"],
                ["Ben Salah", "Trabelsi", "El Amrani", "Benali", "Haddad", "Bouazizi", "Mansouri",
                 "Jaziri", "Alaoui", "Chraibi", "Saïdi", "Khalil", "Nasser"]),
    "madagascar": (["Rasoa", "Voahangy", "Hanitra", "Fanja", "Lalao"],
                   ["Rija", "Tiana", "Hery", "Fidy", "Mamy"],
                   ["Rakoto", "Rasolofo", "Randriamampionona", "Rabemananjara", "Andrianina"]),
    "latin_america": (["Lucía", "Camila", "Valentina", "Daniela", "Sofía", "Mariana", "Gabriela",
                       "Ana"],
                      ["Mateo", "Diego", "Santiago", "Andrés", "Luis", "Javier", "Carlos",
                       "Miguel"],
                      ["Quispe", "Mamani", "García", "Rodríguez", "Flores", "Torres", "Vargas",
                       "Chávez", "Gómez", "Silva", "Pereira", "Souza"]),
    "mekong": (["Linh", "Sophea", "Mai", "Thảo", "Srey", "Malis", "Hoa"],
               ["Minh", "Dara", "Tuấn", "Vannak", "Sokha", "Huy", "Bopha"],
               ["Nguyen", "Tran", "Le", "Pham", "Sok", "Chan", "Keo", "Vong"]),
    "south_asia": (["Priya", "Ananya", "Sita", "Kavya"], ["Arjun", "Rohan", "Bikash", "Ravi"],
                   ["Sharma", "Patel", "Thapa", "Gurung", "Singh", "Rao"]),
    "caribbean": (["Nadège", "Fabienne", "Rose-Mercie"], ["Jean-Robert", "Wilson", "Frantz"],
                  ["Joseph", "Pierre", "Jean-Baptiste", "Saint-Fleur", "Dorvil"]),
    "europe": (["Léa", "Chloé", "Manon", "Emma", "Hanna", "Giulia", "Marta", "Zofia", "Elena",
                "Anna"],
               ["Hugo", "Lucas", "Thomas", "Jonas", "Marco", "Pablo", "Piotr", "Tomás", "Andrei",
                "Nikos"],
               ["Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Müller", "Rossi", "García",
                "Nowak", "Novák", "Popescu", "Papadopoulos", "Peeters", "Silva"]),
    "east_asia": (["Yui", "Sakura", "Ji-woo", "Seo-yeon"], ["Haruto", "Ren", "Min-jun", "Do-yun"],
                  ["Sato", "Suzuki", "Kim", "Park", "Lee"]),
}
NAMING_REGION = {
    **dict.fromkeys(["SN", "BF", "ML", "NE", "GN", "MR", "TD", "GW"], "sahel"),
    **dict.fromkeys(["TG", "BJ", "CI", "GH"], "gulf_of_guinea"),
    **dict.fromkeys(["CM", "CD", "CG"], "central_africa"),
    **dict.fromkeys(["TN", "MA", "DZ", "EG", "LB", "JO", "PS", "TR"], "maghreb"),
    "MG": "madagascar", "HT": "caribbean",
    **dict.fromkeys(["PE", "EC", "CO", "BO", "PY", "AR", "MX", "BR"], "latin_america"),
    **dict.fromkeys(["VN", "KH", "LA", "PH", "ID"], "mekong"),
    **dict.fromkeys(["IN", "NP"], "south_asia"),
    **dict.fromkeys(["JP", "KR"], "east_asia"),
}  # every other country (France, the EU, Ukraine, the Caucasus, Serbia): "europe"

# The person at each French host who tutors its volunteers (the PDFs read "Je soussigné(e),
# <tutor>"), one per host in HOST_NAMES order; Maison des Solidarités' is the demo `host` user.
HOST_TUTORS = [
    "Hélène Marchand", "Julien Roussel", "Nathalie Girard", "Karim Benyahia", "Sophie Lambert",
    "Olivier Perrin", "Mélanie Fabre", "Thierry Caron", "Isabelle Noël", "Antoine Garnier",
    "Fatima Zerrouki", "Pierre-Yves Le Gall", "Céline Barbier", "Mathieu Colin", "Aurélie Vidal",
    "Nicolas Renaud", "Sandrine Brun", "Vincent Lefèvre", "Émilie Charpentier", "Rachid Amrani",
    "Laure Dumas", "François Mercier", "Claire Bonnet", "Stéphane Rolland", "Agnès Leclerc",
    "Yannick Morel", "Marion Huet", "Benoît Carpentier", "Anne-Sophie Blanc", "Guillaume Faure",
    "Delphine Masson", "Samuel Gauthier",
]
# The reciprocity officer of each national agency (AGENCIES order).
AGENCY_CONTACTS = [
    "Komi Agbodjan", "Salif Compaoré", "Affoué Kouadio", "Ndèye Fall", "Sonia Gharbi",
    "Bakary Diarra", "Roméo Hounkpatin", "Blaise Mbarga", "Nadia Bennani", "Hery Rakotomalala",
    "Rosa Huamán", "Paola Andrade", "Sokha Chea", "Nguyễn Thu Hà",
]
COORDINATOR_CONTACT = "Claire Lemoine"

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
