"""country_code(): the code of a CountryField value, whatever form it comes in."""

import pytest
from django_countries.fields import Country

from reciprocity.core.countries import country_code
from reciprocity.volunteers.tests.factories import VolunteerFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Country("FR"), "FR"), (Country("XK"), "XK"), (Country(""), ""), ("SN", "SN"), ("", ""), (None, "")],
)
def test_country_code(value, expected):
    assert country_code(value) == expected


@pytest.mark.django_db
def test_country_code_of_a_saved_field():
    volunteer = VolunteerFactory(nationality="XK", residence_country="FR")
    volunteer.refresh_from_db()

    assert country_code(volunteer.nationality) == "XK"
    assert country_code(volunteer.residence_country) == "FR"
