"""Kosovo (XK) can be entered wherever a country is chosen, as both engines accept it.

django-countries leaves XK out; settings.COUNTRIES_OVERRIDE adds it, so the platform's country
choices are exactly reciprocity.domain's list.
"""

import pytest
from django_countries import countries

from reciprocity.domain.countries import COUNTRY_CODES
from reciprocity.volunteers.forms import SignUpForm
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_the_country_choices_are_the_domains_list():
    assert {code for code, _name in countries} == COUNTRY_CODES
    assert countries.name("XK") == "Kosovo"


def test_a_volunteer_of_kosovo_is_valid_and_keeps_its_code():
    volunteer = VolunteerFactory(nationality="XK", residence_country="XK")

    volunteer.full_clean()
    volunteer.refresh_from_db()
    assert volunteer.nationality.code == "XK"
    assert volunteer.nationality.name == "Kosovo"


def test_the_sign_up_form_offers_kosovo_as_a_nationality():
    assert ("XK", "Kosovo") in SignUpForm().fields["nationality"].choices
