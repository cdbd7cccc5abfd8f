"""Who may see a volunteer's personal data: one test per role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.applications.tests.factories import ApplicationChoiceFactory
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.selectors import volunteers_visible_to
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def visible(user):
    return set(volunteers_visible_to(user).values_list("reference", flat=True))


@pytest.fixture
def network():
    sender = OrganisationFactory(name="Sender", country="SN")
    host = OrganisationFactory(name="Host", country="FR")
    other_host = OrganisationFactory(name="Other host", country="FR")
    VolunteerFactory(reference="SENT", sending_organisation=sender)
    hosted = VolunteerFactory(reference="HOSTED")
    PlacementFactory(volunteer=hosted, mission=MissionFactory(host=host))
    applicant = VolunteerFactory(reference="APPLICANT")
    ApplicationChoiceFactory(application__volunteer=applicant, mission=MissionFactory(host=host))
    stranger = VolunteerFactory(reference="STRANGER")
    PlacementFactory(volunteer=stranger, mission=MissionFactory(host=other_host))
    return {"sender": sender, "host": host, "other_host": other_host}


def test_staff_see_everyone(network):
    assert {"SENT", "HOSTED", "APPLICANT", "STRANGER"} <= visible(StaffFactory())


def test_anonymous_sees_no_one(network):
    assert visible(AnonymousUser()) == set()


def test_signed_in_user_without_membership_sees_no_one(network):
    assert visible(UserFactory()) == set()


def test_sending_member_sees_the_volunteers_it_sends_only(network):
    member = MembershipFactory(organisation=network["sender"], role=MembershipRole.VIEWER).user
    assert visible(member) == {"SENT"}


def test_host_member_sees_hosted_and_applicants_but_not_another_hosts_volunteer(network):
    member = MembershipFactory(organisation=network["host"]).user
    assert visible(member) == {"HOSTED", "APPLICANT"}
    assert "STRANGER" not in visible(member)


def test_other_host_sees_only_its_own(network):
    member = MembershipFactory(organisation=network["other_host"]).user
    assert visible(member) == {"STRANGER"}


def test_volunteer_sees_own_record_only(network):
    user = UserFactory()
    VolunteerFactory(reference="ME", user=user)
    assert visible(user) == {"ME"}


def test_detail_page_refuses_a_volunteer_of_another_organisation(client, network):
    member = MembershipFactory(organisation=network["other_host"]).user
    client.force_login(member)
    hosted = volunteers_visible_to(StaffFactory()).get(reference="HOSTED")
    assert client.get(f"/volunteers/{hosted.pk}/").status_code == 404
    stranger = volunteers_visible_to(member).get(reference="STRANGER")
    response = client.get(f"/volunteers/{stranger.pk}/")
    assert response.status_code == 200
    # The identity-document number is never shown in clear.
    assert stranger.id_document_number == "" or stranger.id_document_number not in response.content.decode()
