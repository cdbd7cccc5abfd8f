"""A volunteer whose Service Civique in France ended in 2019, with everything the platform keeps
about her: an application, the placement and its history, the procedure with an uploaded
passport scan, evaluations, a follow-up and notifications; and the people around her."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole, User
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.applications.models import (
    Application,
    ApplicationChoice,
    ApplicationStatus,
    ChoiceStatus,
)
from reciprocity.applications.tests.factories import ApplicationChoiceFactory
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.notifications.services import notify
from reciprocity.partners.models import Organisation
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.placements.models import (
    Evaluation,
    FollowUp,
    Placement,
    PlacementStatus,
    PlacementStatusChange,
)
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.procedures.models import Procedure, ProcedureDocument
from reciprocity.procedures.services import procedure_document_upload, procedure_open_for_placement
from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
START, END = datetime.date(2019, 3, 1), datetime.date(2019, 8, 31)


@dataclass
class Person:
    volunteer: Volunteer
    user: User
    sender: Organisation
    host: Organisation
    placement: Placement
    procedure: Procedure
    document: ProcedureDocument
    choice: ApplicationChoice
    staff: User


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def person(db) -> Person:  # type: ignore[no-untyped-def]
    sender = OrganisationFactory(name="ANVT Sénégal", country="SN", is_host=False)
    host = OrganisationFactory(name="Maison des Solidarités", country="FR")
    AccreditationFactory(organisation=host, authorised_volunteers=5)
    user = UserFactory(username="awa", first_name="Awa", last_name="Ndiaye", email="awa@example.org")
    volunteer = VolunteerFactory(
        reference="SN-2019-0042", first_name="Awa", last_name="Ndiaye", email="awa@example.org",
        phone="+221 77 000 00 00", birth_date=datetime.date(1999, 5, 17), gender="F",
        nationality="SN", other_nationalities=["GM"], residence_country="SN",
        languages=[{"code": "fr", "level": "C1"}, {"code": "wo", "level": "C2"}],
        sending_organisation=sender, user=user, id_document_kind="passport",
        id_document_number="A12345678", id_document_expiry=datetime.date(2029, 1, 1),
    )
    mission = MissionFactory(host=host, country="FR", start_date=START, end_date=END,
                             title="Jardins partagés")
    choice = ApplicationChoiceFactory(
        application__volunteer=volunteer, application__status=ApplicationStatus.PLACED,
        application__motivation="Je veux apprendre.", mission=mission,
        status=ChoiceStatus.ACCEPTED, decision_reason="Bon profil",
    )
    placement = PlacementFactory(volunteer=volunteer, mission=mission, status=PlacementStatus.CONFIRMED,
                                 application=choice.application)
    staff = StaffFactory(username="staffer")
    procedure = procedure_open_for_placement(placement=placement, today=datetime.date(2019, 1, 10), now=timezone.now())
    document = procedure_document_upload(
        procedure=procedure, kind="passport", actor=staff,
        upload=SimpleUploadedFile("Passeport Awa Ndiaye.pdf", PDF),
    )
    Placement.objects.filter(pk=placement.pk).update(status=PlacementStatus.COMPLETED, ended_on=END)
    placement.refresh_from_db()
    PlacementStatusChange.objects.create(placement=placement, from_status="confirmed",
                                         to_status="completed", changed_by=staff)
    Evaluation.objects.create(placement=placement, stage="final", author_role="tutor",
                              mission_rating=4, integration_rating=5, support_rating=4,
                              comments="Très investie.")
    FollowUp.objects.create(placement=placement, situation="studies", details="Master à Dakar",
                            recorded_on=datetime.date(2020, 3, 1))
    notify(users=[user], subject="Your placement is confirmed", verb="placement.confirmed")
    # Her application was last touched before the mission and she has not signed in since:
    # her last activity is the end of the mission.
    Application.objects.filter(pk=choice.application_id).update(
        updated_at=datetime.datetime(2019, 2, 1, tzinfo=datetime.UTC))
    User.objects.filter(pk=user.pk).update(last_login=None)
    return Person(volunteer=volunteer, user=user, sender=sender, host=host, placement=placement,
                  procedure=procedure, document=document, choice=choice, staff=staff)


@pytest.fixture
def host_member(person: Person) -> User:
    return MembershipFactory(organisation=person.host, role=MembershipRole.ADMIN).user


@pytest.fixture
def sender_admin(person: Person) -> User:
    return MembershipFactory(organisation=person.sender, role=MembershipRole.ADMIN).user


@pytest.fixture
def outsider(db) -> User:  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=OrganisationFactory(name="Elsewhere"),
                             role=MembershipRole.ADMIN).user
