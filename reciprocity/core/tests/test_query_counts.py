"""The number of SQL queries of the busiest pages and API lists does not grow with the data.

Each page is counted with 5 missions, placements and applications, then asked again with 50:
it may not take one query more (`django_assert_max_num_queries`). The load test (bench/load/)
runs the same journeys on a million ledger rows; an N+1 there would show here first.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, api_token_for
from reciprocity.applications.tests.factories import ApplicationChoiceFactory, ApplicationFactory
from reciprocity.balance.services import ledger_backfill
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

REPORT = "/balance/report/?year=2027&host_country=FR&scheme=&basis=start"
# (page, who asks): "anonymous", "member" (an administrator of the host), "staff", "token".
PAGES = [
    ("/missions/?country=FR", "anonymous"),
    ("/missions/?country=FR&q=Mission", "member"),
    ("/missions/{mission}/", "anonymous"),
    ("/missions/{mission}/", "member"),
    ("/balance/?year=2027", "member"),
    ("/balance/?year=2027", "staff"),
    (REPORT, "member"),
    ("/placements/", "member"),
    ("/placements/", "staff"),
    ("/placements/{placement}/", "member"),
    ("/api/v1/missions?limit=50", "token"),
    ("/api/v1/placements?limit=50", "token"),
    ("/api/v1/applications?limit=50", "token"),
]


class World:
    def __init__(self) -> None:
        self.host = OrganisationFactory(country="FR", name="Host")
        self.sender = OrganisationFactory(country="SN", name="Sender")
        self.member = MembershipFactory(organisation=self.host, role=MembershipRole.ADMIN).user
        self.staff = StaffFactory()
        self.token = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(self.member)}"}
        self.first_mission = MissionFactory(host=self.host, country="FR", capacity=500)
        self.first_placement = None

    def grow(self, n: int) -> None:
        for _ in range(n):
            mission = MissionFactory(host=self.host, country="FR")
            volunteer = VolunteerFactory(nationality="SN", sending_organisation=self.sender)
            placement = PlacementFactory(volunteer=volunteer, mission=mission,
                                         status=PlacementStatus.CONFIRMED)
            self.first_placement = self.first_placement or placement
            application = ApplicationFactory(volunteer=volunteer)
            ApplicationChoiceFactory(application=application, mission=self.first_mission, rank=1)
            ApplicationChoiceFactory(application=application, mission=mission, rank=2)
        ledger_backfill()

    def sign_in(self, client, who: str) -> None:  # type: ignore[no-untyped-def]
        client.logout()
        if who in ("member", "staff"):
            client.force_login(self.member if who == "member" else self.staff)

    def get(self, client, page: str, who: str):  # type: ignore[no-untyped-def]
        url = page.format(mission=self.first_mission.pk, placement=self.first_placement.pk)
        response = client.get(url, **(self.token if who == "token" else {}))
        assert response.status_code == 200, (url, who, response.status_code)
        return response


def test_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries, settings):  # type: ignore[no-untyped-def]
    settings.BALANCE_CACHE_SECONDS = 0  # count the computation, not the cache
    world = World()
    world.grow(5)
    small = {}
    for page, who in PAGES:
        world.sign_in(client, who)
        world.get(client, page, who)  # first visit: session, language, lazily created rows
        with CaptureQueriesContext(connection) as queries:
            world.get(client, page, who)
        small[(page, who)] = len(queries)

    world.grow(45)

    for page, who in PAGES:
        world.sign_in(client, who)
        world.get(client, page, who)
        with django_assert_max_num_queries(small[(page, who)], info=f"{page} as {who}"):
            world.get(client, page, who)
