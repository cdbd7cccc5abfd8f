import pytest

from reciprocity.balance import sentences


@pytest.mark.parametrize(("code", "article", "inside", "origin"), [
    ("FR", "la France", "en France", "de France"),
    ("TN", "la Tunisie", "en Tunisie", "de Tunisie"),
    ("SN", "le Sénégal", "au Sénégal", "du Sénégal"),
    ("BF", "le Burkina Faso", "au Burkina Faso", "du Burkina Faso"),
    ("IN", "l'Inde", "en Inde", "d'Inde"),
    ("EC", "l'Équateur", "en Équateur", "d'Équateur"),
    ("PH", "les Philippines", "aux Philippines", "des Philippines"),
    ("MG", "Madagascar", "à Madagascar", "de Madagascar"),
    ("HT", "Haïti", "en Haïti", "d'Haïti"),
    ("MX", "le Mexique", "au Mexique", "du Mexique"),
    ("KH", "le Cambodge", "au Cambodge", "du Cambodge"),
    ("CI", "la Côte d'Ivoire", "en Côte d'Ivoire", "de Côte d'Ivoire"),
    ("CD", "la République démocratique du Congo", "en République démocratique du Congo",
     "de République démocratique du Congo"),
    ("IR", "l'Iran", "en Iran", "d'Iran"),
    ("PS", "la Palestine", "en Palestine", "de Palestine"),
])
def test_french_articles_and_prepositions(code, article, inside, origin):
    assert sentences.with_article_fr(code) == article
    assert sentences.in_country_fr(code) == inside
    assert sentences.from_country_fr(code) == origin


def test_english_names_take_the_where_needed():
    assert sentences.country_name_en("PH") == "the Philippines"
    assert sentences.country_name_en("BS") == "the Bahamas"
    assert sentences.country_name_en("TN") == "Tunisia"


def test_published_2019_sentence():
    words = {"year": 2019, "host_country": "FR", "scheme": "service_civique", "volunteers": 251,
             "countries": 40, "top": ["TN", "SN", "BF", "MA", "TG"]}

    assert sentences.sentence_en(**words) == (
        "In 2019, 251 volunteers from 40 countries were hosted in France on reciprocal civic "
        "service missions. The most represented countries were Tunisia, Senegal and Burkina Faso.")
    assert sentences.sentence_fr(**words) == (
        "En 2019, 251 volontaires de 40 pays ont été accueillis en France en mission de service "
        "civique de réciprocité. Les pays les plus représentés étaient la Tunisie, le Sénégal et "
        "le Burkina Faso.")


def test_two_countries_are_joined_with_and():
    words = {"year": 2020, "host_country": "SN", "scheme": None, "volunteers": 2,
             "countries": 2, "top": ["FR", "TG"]}

    assert sentences.sentence_en(**words) == (
        "In 2020, 2 volunteers from 2 countries were hosted in Senegal on volunteering missions. "
        "The most represented countries were France and Togo.")
    assert sentences.sentence_fr(**words).endswith("étaient la France et le Togo.")
