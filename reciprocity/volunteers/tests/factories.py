import datetime

import factory

from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.models import Gender, Volunteer


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    reference = factory.Sequence(lambda n: f"VOL-{n:06d}")
    first_name = factory.Sequence(lambda n: f"Awa{n}")
    last_name = "Diallo"
    birth_date = datetime.date(2003, 5, 17)
    gender = Gender.FEMALE
    nationality = "SN"
    residence_country = "SN"
    languages = [{"code": "fr", "level": "C1"}]
    sending_organisation = factory.SubFactory(OrganisationFactory, country="SN", is_host=False)
