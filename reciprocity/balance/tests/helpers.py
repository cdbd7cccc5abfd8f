"""Small builders for balance tests: a placement from a country to a country, in one call."""

from datetime import date

from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory


def make_placement(*, origin: str, host: str, start: date, end: date, status: str = "completed",
                   scheme: str = "service_civique", volunteer=None, gender: str = "F",
                   ended_on: date | None = None, agreement=None, host_org=None, sender=None):
    volunteer = volunteer or VolunteerFactory(
        nationality=origin, residence_country=origin, gender=gender,
        sending_organisation=sender or OrganisationFactory(country=origin),
    )
    mission = MissionFactory(
        host=host_org or OrganisationFactory(country=host), country=host, scheme_id=scheme,
        start_date=start, end_date=end, agreement=agreement,
    )
    return PlacementFactory(
        volunteer=volunteer, mission=mission, nationality=origin, host_country=host,
        start_date=start, end_date=end, status=status, ended_on=ended_on, agreement=agreement,
        sending_organisation=volunteer.sending_organisation,
    )
