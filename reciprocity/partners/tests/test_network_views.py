"""The network's pages for each role: staff, a coordinator's administrator and viewer, another
organisation's administrator, a volunteer and an anonymous visitor."""

import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.agreements.models import Agreement, Programme
from reciprocity.agreements.tests.factories import AgreementFactory, ProgrammeFactory
from reciprocity.partners.models import Accreditation, Affiliation, AffiliationKind, Organisation
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)
ROLES = ["staff", "coordinator admin", "coordinator viewer", "other admin", "volunteer",
         "anonymous"]


@pytest.fixture
def world():
    coordinator = OrganisationFactory(name="France Volontaires", is_coordinator=True)
    host = OrganisationFactory(name="Maison des Solidarités")
    Affiliation.objects.create(member=host, parent=coordinator,
                               kind=AffiliationKind.NETWORK_MEMBER,
                               valid_from=datetime.date(2025, 1, 1))
    other = OrganisationFactory(name="Elsewhere")
    agency = OrganisationFactory(name="ANVT", country="TG")
    users = {
        "staff": StaffFactory(),
        "coordinator admin": MembershipFactory(organisation=coordinator,
                                               role=MembershipRole.ADMIN).user,
        "coordinator viewer": MembershipFactory(organisation=coordinator,
                                                role=MembershipRole.VIEWER).user,
        "other admin": MembershipFactory(organisation=other, role=MembershipRole.ADMIN).user,
        "volunteer": VolunteerFactory(user=UserFactory()).user,
        "anonymous": None,
    }
    return {"coordinator": coordinator, "host": host, "other": other, "agency": agency,
            "users": users,
            "accreditation": AccreditationFactory(organisation=host),
            "affiliation": Affiliation.objects.get(member=host),
            "agreement": AgreementFactory(party_a=host, party_b=agency),
            "programme": ProgrammeFactory(coordinator=coordinator)}


def login(client, world, role):  # type: ignore[no-untyped-def]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)


def pages(world):  # type: ignore[no-untyped-def]
    host, a = world["host"], world["affiliation"]
    return [
        "/organisations/new/",
        f"/organisations/{host.pk}/edit/",
        f"/organisations/{host.pk}/accreditations/new/",
        f"/organisations/{host.pk}/accreditations/{world['accreditation'].pk}/edit/",
        f"/organisations/{host.pk}/affiliations/new/",
        f"/organisations/{host.pk}/affiliations/{a.pk}/edit/",
        "/agreements/new/",
        f"/agreements/{world['agreement'].pk}/edit/",
        "/agreements/programmes/new/",
        f"/agreements/programmes/{world['programme'].pk}/edit/",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_the_forms_it_may_use_and_no_other(client, world, role):
    login(client, world, role)
    allowed = role in {"staff", "coordinator admin"}

    for path in pages(world):
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif allowed:
            assert response.status_code == 200, path
        else:
            # 404 where the record is out of sight (an agreement of other parties).
            assert response.status_code in {403, 404}, (path, response.status_code)
            if response.status_code == 403:
                assert 'class="site"' in response.content.decode()  # the site's layout


@pytest.mark.parametrize("role", ROLES)
def test_posts_change_nothing_for_who_may_not(client, world, role):
    if role in {"staff", "coordinator admin"}:
        return
    login(client, world, role)
    for path in pages(world):
        assert client.post(path, {"name": "Taken over"}).status_code in {302, 403, 404}
    assert not Organisation.objects.filter(name="Taken over").exists()


def test_the_organisation_page_offers_what_each_role_may_do(client, world):
    host = world["host"]
    client.force_login(world["users"]["coordinator admin"])
    body = client.get(f"/organisations/{host.pk}/").content.decode()
    for marker in ('id="edit-organisation"', 'id="new-accreditation"', 'id="new-affiliation"',
                   f"/affiliations/{world['affiliation'].pk}/edit/", "France Volontaires"):
        assert marker in body

    client.force_login(world["users"]["coordinator viewer"])
    body = client.get(f"/organisations/{host.pk}/").content.decode()
    assert "France Volontaires" in body  # the affiliation is listed for readers
    for marker in ('id="edit-organisation"', 'id="new-accreditation"', 'id="new-affiliation"'):
        assert marker not in body

    admin = MembershipFactory(organisation=host, role=MembershipRole.ADMIN).user
    client.force_login(admin)
    body = client.get(f"/organisations/{host.pk}/").content.decode()
    assert 'id="edit-organisation"' in body and 'id="new-accreditation"' not in body


def test_a_coordinator_creates_an_organisation_and_sees_field_errors(client, world):
    client.force_login(world["users"]["coordinator admin"])
    form = {"name": "Concordia", "country": "FR", "legal_form": "association", "is_host": "on",
            "network": world["coordinator"].pk}

    response = client.post("/organisations/new/", form)

    concordia = Organisation.objects.get(name="Concordia")
    assert response.status_code == 302 and response["Location"] == f"/organisations/{concordia.pk}/"
    assert Affiliation.objects.filter(member=concordia, parent=world["coordinator"]).exists()

    response = client.post("/organisations/new/", form | {"name": "concordia"})
    assert response.status_code == 400
    assert "An organisation of this country already has this name." in response.content.decode()
    assert 'id="error-name"' in response.content.decode()


def test_the_organisations_own_admin_gets_the_contact_form(client, world):
    host = world["host"]
    client.force_login(MembershipFactory(organisation=host, role=MembershipRole.ADMIN).user)

    page = client.get(f"/organisations/{host.pk}/edit/").content.decode()
    assert 'name="phone"' in page and 'name="name"' not in page

    response = client.post(f"/organisations/{host.pk}/edit/",
                           {"phone": "+33 4 00", "email": "bad", "website": ""})
    assert response.status_code == 400
    response = client.post(f"/organisations/{host.pk}/edit/",
                           {"phone": "+33 4 00", "email": "info@mds.fr", "website": "mds.fr"})
    assert response.status_code == 302
    host.refresh_from_db()
    assert (host.phone, host.email, host.website) == ("+33 4 00", "info@mds.fr", "https://mds.fr")


def test_accreditation_and_affiliation_forms(client, world):
    host = world["host"]
    client.force_login(world["users"]["coordinator admin"])
    taken = world["accreditation"]
    form = {"scheme": "service_civique", "kind": "individual", "number": taken.number,
            "authorised_volunteers": "3", "valid_from": "2027-01-01", "valid_to": "2026-01-01",
            "issuer": "ASC"}

    response = client.post(f"/organisations/{host.pk}/accreditations/new/", form)
    body = response.content.decode()
    assert response.status_code == 400
    assert "already recorded" in body and "The end of validity comes before its start." in body

    response = client.post(f"/organisations/{host.pk}/accreditations/new/",
                           form | {"number": "NEW-1", "valid_to": "2029-12-31"})
    assert response.status_code == 302
    assert Accreditation.objects.filter(organisation=host, number="NEW-1").exists()

    concordia = OrganisationFactory(name="Concordia")
    response = client.post(f"/organisations/{concordia.pk}/affiliations/new/", {
        "member": concordia.pk, "parent": world["coordinator"].pk,
        "kind": "hosted_under_accreditation", "valid_from": "2026-11-26"})
    assert response.status_code == 302
    affiliation = Affiliation.objects.get(member=concordia)

    response = client.post(
        f"/organisations/{concordia.pk}/affiliations/{affiliation.pk}/end/", {"on": "2026-12-31"})
    assert response.status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.valid_to == datetime.date(2026, 12, 31)


def test_a_coordinator_creates_an_agreement_and_a_programme(client, world):
    client.force_login(world["users"]["coordinator admin"])
    form = {"reference": "mds-anvt", "title": "MDS ⇄ ANVT", "party_a": world["host"].pk,
            "party_b": world["host"].pk, "schemes": ["service_civique"],
            "start_date": "2027-01-01", "end_date": "2027-12-31", "quota_a_to_b": "2",
            "quota_b_to_a": "2", "unit": "volunteers", "tolerance": "1", "status": "active"}

    response = client.post("/agreements/new/", form)
    assert response.status_code == 400
    assert "The two parties must be different organisations." in response.content.decode()

    response = client.post("/agreements/new/", form | {"party_b": world["agency"].pk,
                                                       "tolerance_strict": "on"})
    agreement = Agreement.objects.get(reference="mds-anvt")
    assert response.status_code == 302 and agreement.tolerance_strict

    response = client.post("/agreements/programmes/new/", {
        "code": "enlazando", "name": "Enlazando", "coordinator": world["coordinator"].pk,
        "countries": "fr, bo co", "start_date": "2027-01-01", "schemes": ["vsi"]})
    assert response.status_code == 302
    assert Programme.objects.get(code="enlazando").countries == ["BO", "CO", "FR"]
    body = client.get("/agreements/programmes/").content.decode()
    assert "Enlazando" in body and 'data-nav="programme_create"' in body
