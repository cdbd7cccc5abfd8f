import factory

from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.volunteers.tests.factories import VolunteerFactory


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    volunteer = factory.SubFactory(VolunteerFactory)
    mission = factory.SubFactory(MissionFactory)
    sending_organisation = factory.SelfAttribute("volunteer.sending_organisation")
    nationality = factory.LazyAttribute(lambda o: o.volunteer.nationality.code)
    host_country = factory.LazyAttribute(lambda o: o.mission.country.code)
    scheme_id = factory.LazyAttribute(lambda o: o.mission.scheme_id)
    gender = factory.LazyAttribute(lambda o: o.volunteer.gender)
    start_date = factory.SelfAttribute("mission.start_date")
    end_date = factory.SelfAttribute("mission.end_date")
    status = PlacementStatus.CONFIRMED
