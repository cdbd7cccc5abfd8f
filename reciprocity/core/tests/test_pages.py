"""Every page renders for each role, and refuses those who may not see it."""

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agreement = AgreementFactory()
    host = agreement.party_a
    mission = MissionFactory(host=host, title="Urban gardens")
    draft = MissionFactory(host=host, status=MissionStatus.DRAFT, title="Secret draft")
    placement = PlacementFactory(mission=mission)
    return {"agreement": agreement, "host": host, "mission": mission, "draft": draft,
            "volunteer": placement.volunteer}


def users(world):
    volunteer_user = UserFactory()
    VolunteerFactory(user=volunteer_user)
    return {
        "staff": StaffFactory(),
        "admin": MembershipFactory(organisation=world["host"], role=MembershipRole.ADMIN).user,
        "officer": MembershipFactory(organisation=world["host"], role=MembershipRole.OFFICER).user,
        "viewer": MembershipFactory(organisation=world["host"], role=MembershipRole.VIEWER).user,
        "volunteer": volunteer_user,
    }


@pytest.mark.parametrize("role", ["staff", "admin", "officer", "viewer", "volunteer"])
def test_every_page_renders_for_each_role(client, world, role):
    client.force_login(users(world)[role])
    pages = [
        "/", "/missions/", f"/missions/{world['mission'].pk}/", "/organisations/",
        f"/organisations/{world['host'].pk}/", "/agreements/", "/volunteers/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    can_see_party = role in {"staff", "admin", "officer", "viewer"}
    expected = 200 if can_see_party else 404
    assert client.get(f"/agreements/{world['agreement'].pk}/").status_code == expected
    assert client.get(f"/volunteers/{world['volunteer'].pk}/").status_code == expected


def test_anonymous_sees_published_missions_only(client, world):
    assert client.get("/").status_code == 200
    listing = client.get("/missions/").content.decode()
    assert "Urban gardens" in listing and "Secret draft" not in listing
    assert client.get(f"/missions/{world['mission'].pk}/").status_code == 200
    assert client.get(f"/missions/{world['draft'].pk}/").status_code == 404
    for url in ["/organisations/", "/agreements/", "/volunteers/", f"/volunteers/{world['volunteer'].pk}/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_host_member_sees_own_draft_but_other_member_does_not(client, world):
    client.force_login(MembershipFactory(organisation=world["host"]).user)
    assert client.get(f"/missions/{world['draft'].pk}/").status_code == 200
    client.force_login(MembershipFactory().user)
    assert client.get(f"/missions/{world['draft'].pk}/").status_code == 404


def test_sign_in_and_sign_out(client):
    UserFactory(username="hélène")
    response = client.post("/accounts/login/", {"username": "hélène", "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(username="kossi")
    response = client.post("/accounts/login/", {"username": "kossi", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_pages_are_translated_to_french(client):
    response = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="fr")
    assert 'lang="fr"' in response.content.decode()


def test_project_static_files_are_found():
    from django.contrib.staticfiles import finders

    assert finders.find("css/reciprocity.css")


def test_home_shows_a_host_the_applications_waiting_for_its_decision(client, world):
    from reciprocity.applications.tests.factories import ApplicationChoiceFactory

    ApplicationChoiceFactory(mission=world["mission"])
    ApplicationChoiceFactory()  # another host's: not counted
    client.force_login(MembershipFactory(organisation=world["host"]).user)
    response = client.get("/")
    assert response.context["to_decide"] == 1
    assert response.context["steps_overdue"] == 0
    assert [b.agreement for b in response.context["balances"]] == [world["agreement"]]


def test_placement_history_shows_status_names_not_codes(client, world):
    from reciprocity.placements.models import PlacementStatusChange

    placement = world["mission"].placements.get()
    PlacementStatusChange.objects.create(placement=placement, from_status="confirmed", to_status="in_mission")
    client.force_login(StaffFactory())
    body = client.get(f"/placements/{placement.pk}/").content.decode()
    assert "Confirmed → In mission" in body
    assert "in_mission" not in body.split('class="history"')[1].split("</ol>")[0]


def test_sign_in_locks_after_too_many_wrong_passwords(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="awa")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "awa", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "awa", "password": "pass-word-123"})
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert not client.get("/").context["user"].is_authenticated
    # Another account from the same address is not locked (offices share addresses).
    UserFactory(username="kossi2")
    assert client.post("/accounts/login/", {"username": "kossi2", "password": "pass-word-123"}).status_code == 302
