import datetime

import factory

from reciprocity.missions.models import Mission, MissionStatus, Theme
from reciprocity.partners.tests.factories import OrganisationFactory


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    host = factory.SubFactory(OrganisationFactory)
    scheme_id = "service_civique"
    title = factory.Sequence(lambda n: f"Mission {n}")
    description = "Help run youth activities."
    theme = Theme.SOLIDARITY
    country = factory.SelfAttribute("host.country")
    city = "Lyon"
    start_date = datetime.date(2027, 3, 1)
    end_date = datetime.date(2027, 8, 31)
    capacity = 2
    weekly_hours = 28
    languages = ["fr"]
    status = MissionStatus.PUBLISHED
