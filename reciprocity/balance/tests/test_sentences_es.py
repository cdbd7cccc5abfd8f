"""The annual report's Spanish sentence: agreement, articles and "y"/"e" (balance/sentences.py)."""

import pytest

from reciprocity.balance.sentences import country_name_es, sentence_es


@pytest.mark.parametrize(("code", "name"), [
    ("TN", "Túnez"), ("SN", "Senegal"), ("GB", "el Reino Unido"),
    ("DO", "la República Dominicana"), ("AE", "los Emiratos Árabes Unidos"),
])
def test_country_names_take_an_article_only_when_they_are_a_description(code, name):
    assert country_name_es(code) == name


def test_many_countries_with_the_most_represented():
    assert sentence_es(year=2019, host_country="FR", scheme="service_civique", volunteers=251,
                       countries=40, top=["TN", "SN", "BF"]) == (
        "En 2019, 251 voluntarios de 40 países fueron acogidos en Francia en misiones de "
        "servicio cívico de reciprocidad. Los países más representados fueron Túnez, Senegal y "
        "Burkina Faso.")


def test_one_woman_from_one_country_and_the_article_contracted():
    assert sentence_es(year=2019, host_country="SN", scheme=None, volunteers=1, countries=1,
                       top=["GB"], all_women=True) == (
        "En 2019, 1 voluntaria del Reino Unido fue acogida en Senegal en misiones de "
        "voluntariado.")


def test_y_becomes_e_before_an_i_sound_and_small_numbers_are_not_said():
    assert sentence_es(year=2020, host_country="FR", scheme="workcamp", volunteers=2,
                       countries=3, top=["TN", "SN", "IN"], withheld=True, fewer_than=3) == (
        "En 2020, menos de 3 voluntarios de 3 países fueron acogidos en Francia en campos de "
        "trabajo internacionales. Los países más representados fueron Túnez, Senegal e India.")
    assert sentence_es(year=2020, host_country="FR", scheme=None, volunteers=0, countries=0,
                       top=[]) == (
        "En 2020, no se acogió a ningún voluntario en Francia en misiones de voluntariado.")
