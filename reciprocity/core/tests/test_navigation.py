"""Each role sees only the menu entries it can use (reciprocity/navigation.py decides), and the
pages behind hidden entries refuse on their own."""

import pytest
from django.contrib.auth.models import AnonymousUser

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.navigation import menu_for
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

NETWORK = {"organisations", "agreements", "volunteers", "balance", "programmes"}
# Running the network: staff and administrators or officers of a coordinator.
RUNS_NETWORK = {"organisation_create", "agreement_create", "programme_create", "scenarios"}
PERSONAL = {"applications", "placements", "notifications", "conversations", "due"}
EVERYTHING = {"missions", *NETWORK, *PERSONAL, "my_missions", "matching", "pairing", "imports", "audit", "apply",
              "nominate", *RUNS_NETWORK}
ALL_KEYS = EVERYTHING | {"profile"}


def staff():
    return StaffFactory()


def coordinator_admin():
    org = OrganisationFactory(name="France Volontaires", is_coordinator=True, is_host=True,
                              is_sending=True)
    return MembershipFactory(organisation=org, role=MembershipRole.ADMIN).user


def host_officer():
    org = OrganisationFactory(name="Maison des Solidarités", is_host=True, is_sending=False)
    return MembershipFactory(organisation=org, role=MembershipRole.OFFICER).user


def agency_officer():
    org = OrganisationFactory(name="ANVT", country="TG", is_national_agency=True, is_sending=True,
                              is_host=False)
    return MembershipFactory(organisation=org, role=MembershipRole.OFFICER).user


def viewer():
    org = OrganisationFactory(name="GIP-PNVB", country="BF", is_national_agency=True,
                              is_sending=True, is_host=False)
    return MembershipFactory(organisation=org, role=MembershipRole.VIEWER).user


def volunteer():
    return VolunteerFactory(user=UserFactory()).user


def anonymous():
    return AnonymousUser()


ROLES = {
    "staff": (staff, EVERYTHING),
    "coordinator admin": (coordinator_admin, EVERYTHING - {"audit"}),
    "host officer": (host_officer, {"missions", *NETWORK, *PERSONAL, "my_missions", "imports"}),
    "agency officer": (agency_officer, {"missions", *NETWORK, *PERSONAL, "apply", "nominate",
                                        "imports"}),
    "viewer": (viewer, {"missions", *NETWORK, *PERSONAL}),
    "volunteer": (volunteer, {"missions", *PERSONAL, "apply", "profile"}),
    "anonymous": (anonymous, {"missions"}),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_entries(role):
    make, expected = ROLES[role]

    keys = {entry.key for entry in menu_for(make())}

    assert keys == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_header_shows_the_entries_and_no_other(client, role):
    make, expected = ROLES[role]
    user = make()
    if user.is_authenticated:
        client.force_login(user)

    body = client.get("/").content.decode()

    main = {entry.key for entry in menu_for(user) if entry.group == "main"}
    for key in ALL_KEYS - {"apply", "nominate"}:
        assert (f'data-nav="{key}"' in body) == (key in main), key
    assert main <= expected


def test_a_volunteer_sees_apply_but_not_nominate_on_the_applications_page(client):
    client.force_login(volunteer())

    body = client.get("/applications/").content.decode()

    assert 'data-nav="apply"' in body
    assert 'data-nav="nominate"' not in body


@pytest.mark.parametrize("role", ["volunteer", "viewer", "host officer"])
def test_the_nomination_page_refuses_who_has_no_candidates_to_nominate(client, role):
    client.force_login(ROLES[role][0]())

    assert client.get("/applications/nominate/").status_code == 403
    assert client.post("/applications/nominate/", {}).status_code == 403


@pytest.mark.parametrize("role", ["agency officer", "coordinator admin", "staff"])
def test_the_nomination_page_opens_for_sending_organisations(client, role):
    client.force_login(ROLES[role][0]())

    assert client.get("/applications/nominate/").status_code == 200
