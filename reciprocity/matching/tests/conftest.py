"""A small season: two work camps in France, Senegalese and French volunteers, an agreement."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole, User
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.agreements.models import Agreement, Programme
from reciprocity.agreements.tests.factories import AgreementFactory, ProgrammeFactory
from reciprocity.applications.models import Application, ApplicationChoice, ApplicationStatus
from reciprocity.applications.tests.factories import ApplicationChoiceFactory, ApplicationFactory
from reciprocity.matching.models import PairingRun, PairProposal
from reciprocity.matching.pairing_services import pairing_run_accept, pairing_run_create
from reciprocity.missions.models import Mission, Theme
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Organisation
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import Placement, PlacementStatus
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


# --- pairing runs: a WECCEE-like cohort -------------------------------------------------------

PAIRING_SEASON = (datetime.date(2027, 9, 1), datetime.date(2027, 10, 31))


@dataclass
class PairingCohort:
    coordinator: Organisation
    officer: User
    programme: Programme
    host: Organisation
    camille: Placement  # French, environment, September to February
    louis: Placement  # French, speaks only English: nobody to work with
    awa: Placement  # Senegalese, environment
    binta: Placement  # Senegalese, education
    other_programme: Placement
    next_season: Placement


def cohort_placement(host: Organisation, programme: Programme | None, *, name: str,
                     nationality: str, languages: list[str], theme: str = Theme.ENVIRONMENT,
                     start: datetime.date = datetime.date(2027, 9, 15),
                     end: datetime.date = datetime.date(2028, 2, 28),
                     status: str = PlacementStatus.CONFIRMED) -> Placement:
    mission = MissionFactory(host=host, programme=programme, theme=theme, start_date=start,
                             end_date=end, title=f"Mission of {name}", scheme_id="service_civique")
    volunteer = VolunteerFactory(first_name=name, last_name="Pairing", nationality=nationality,
                                 residence_country=nationality,
                                 languages=[{"code": c, "level": "C1"} for c in languages])
    return PlacementFactory(volunteer=volunteer, mission=mission, status=status)


@pytest.fixture
def cohort(db: None) -> PairingCohort:
    coordinator = OrganisationFactory(name="Cool'eurs du Monde", is_coordinator=True, country="FR")
    officer = UserFactory(username="weccee-officer")
    MembershipFactory(user=officer, organisation=coordinator, role=MembershipRole.OFFICER)
    programme = ProgrammeFactory(code="weccee", name="WECCEE", coordinator=coordinator,
                                 countries=["FR", "SN"])
    host = OrganisationFactory(name="Host", country="FR")
    return PairingCohort(
        coordinator, officer, programme, host,
        camille=cohort_placement(host, programme, name="Camille", nationality="FR",
                                 languages=["fr", "en"]),
        louis=cohort_placement(host, programme, name="Louis", nationality="FR", languages=["en"]),
        awa=cohort_placement(host, programme, name="Awa", nationality="SN", languages=["fr", "wo"]),
        binta=cohort_placement(host, programme, name="Binta", nationality="SN", languages=["fr"],
                               theme=Theme.EDUCATION),
        other_programme=cohort_placement(host, ProgrammeFactory(coordinator=coordinator),
                                         name="Other", nationality="SN", languages=["fr"]),
        next_season=cohort_placement(host, programme, name="Later", nationality="SN",
                                     languages=["fr"], start=datetime.date(2028, 3, 1),
                                     end=datetime.date(2028, 8, 31)),
    )


@pytest.fixture
def run_for(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """A pairing run created and executed: its task is dispatched on commit (eager without a
    broker)."""
    def create(cohort: PairingCohort, **kwargs: object) -> PairingRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = pairing_run_create(created_by=cohort.officer, programme=cohort.programme,
                                     season_start=PAIRING_SEASON[0],
                                     season_end=PAIRING_SEASON[1], **kwargs)
        run.refresh_from_db()
        return run

    return create


@pytest.fixture
def accepted(cohort: PairingCohort, run_for) -> PairProposal:  # type: ignore[no-untyped-def]
    """Camille (French) and Awa (Senegalese), paired by a run and accepted."""
    run = run_for(cohort)
    pairing_run_accept(run=run, actor=cohort.officer,
                       now=datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC))
    return run.pairs.get()
