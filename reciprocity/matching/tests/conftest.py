"""A small season: two work camps in France, Senegalese and French volunteers, an agreement."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole, User
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.agreements.models import Agreement
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.applications.models import Application, ApplicationChoice, ApplicationStatus
from reciprocity.applications.tests.factories import ApplicationChoiceFactory, ApplicationFactory
from reciprocity.missions.models import Mission
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Organisation
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import Placement
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory

SEASON = (datetime.date(2027, 6, 1), datetime.date(2027, 9, 30))


def workcamp(host: Organisation, **kwargs: object) -> Mission:
    defaults = {
        "host": host, "scheme_id": "workcamp", "start_date": datetime.date(2027, 7, 1),
        "end_date": datetime.date(2027, 7, 21), "weekly_hours": 30, "capacity": 2,
        "max_per_nationality": 1, "gender_tolerance": 1,
    }
    defaults.update(kwargs)
    return MissionFactory(**defaults)


def apply(volunteer: Volunteer, missions: list[Mission], *, minutes: int,
          status: str = ApplicationStatus.SUBMITTED) -> Application:
    application = ApplicationFactory(
        volunteer=volunteer, status=status,
        submitted_at=timezone.now() - datetime.timedelta(days=30) + datetime.timedelta(minutes=minutes),
    )
    for rank, mission in enumerate(missions, 1):
        ApplicationChoiceFactory(application=application, mission=mission, rank=rank)
    return application


@dataclass
class Season:
    coordinator: Organisation
    coordinator_user: User
    staff: User
    host: Organisation
    sender: Organisation
    camp_a: Mission
    camp_b: Mission
    late_camp: Mission
    awa: Volunteer
    binta: Volunteer
    moussa: Volunteer
    kept: Placement
    agreement: Agreement
    applications: dict[str, Application]

    def choice(self, volunteer: Volunteer, mission: Mission) -> ApplicationChoice:
        return ApplicationChoice.objects.get(application__volunteer=volunteer, mission=mission)


@pytest.fixture
def season(db: None) -> Season:
    coordinator = OrganisationFactory(name="Coordination", is_coordinator=True, country="FR")
    coordinator_user = UserFactory(username="coord")
    MembershipFactory(user=coordinator_user, organisation=coordinator, role=MembershipRole.OFFICER)
    host = OrganisationFactory(name="Camp host", country="FR")
    sender = OrganisationFactory(name="ANVT-like", country="SN", is_host=False)
    camp_a = workcamp(host, title="Camp A")
    camp_b = workcamp(host, title="Camp B", capacity=1)
    late_camp = workcamp(host, title="Late camp", start_date=datetime.date(2027, 11, 1),
                         end_date=datetime.date(2027, 11, 20))
    awa = VolunteerFactory(first_name="Awa", gender="F", sending_organisation=sender)
    binta = VolunteerFactory(first_name="Binta", gender="F", sending_organisation=sender)
    moussa = VolunteerFactory(first_name="Moussa", gender="M", sending_organisation=sender)
    kept_volunteer = VolunteerFactory(first_name="Kept", gender="M", nationality="CI",
                                      residence_country="CI", sending_organisation=sender)
    kept = PlacementFactory(volunteer=kept_volunteer, mission=camp_a)
    applications = {
        "awa": apply(awa, [camp_a, camp_b, late_camp], minutes=1),
        "binta": apply(binta, [camp_a, camp_b], minutes=2),
        "moussa": apply(moussa, [camp_b, camp_a], minutes=3),
    }
    # Not open: a draft and a withdrawn application never reach the engine.
    apply(VolunteerFactory(first_name="Draft", sending_organisation=sender), [camp_a], minutes=4,
          status=ApplicationStatus.DRAFT)
    apply(VolunteerFactory(first_name="Gone", sending_organisation=sender), [camp_a], minutes=5,
          status=ApplicationStatus.WITHDRAWN)
    agreement = AgreementFactory(party_a=coordinator, party_b=sender, tolerance=3,
                                 quota_a_to_b=10, quota_b_to_a=4)
    return Season(coordinator, coordinator_user, StaffFactory(username="staff"), host, sender,
                  camp_a, camp_b, late_camp, awa, binta, moussa, kept, agreement, applications)
