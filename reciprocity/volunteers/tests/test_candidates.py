"""A sending organisation registers and edits the candidates it sends, then nominates them
through the existing nomination page."""

import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers import candidates
from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.signup import Language

pytestmark = pytest.mark.django_db

FIELDS = {"first_name": "Kossi", "last_name": "Agbo", "email": "Kossi@example.org",
          "birth_date": datetime.date(2000, 5, 1), "gender": "M", "nationality": "TG",
          "residence_country": "TG", "languages": [Language(code="fr", level="C1")]}

FORM = {"first_name": "Kossi", "last_name": "Agbo", "email": "kossi@example.org",
        "birth_date": "2000-05-01", "gender": "M", "nationality": "TG",
        "residence_country": "TG", "language_1": "fr", "level_1": "C1"}


@pytest.fixture
def agency():
    return OrganisationFactory(name="ANVT", is_national_agency=True, is_sending=True)


@pytest.fixture
def officer(agency):
    return MembershipFactory(organisation=agency, role=MembershipRole.OFFICER).user


def test_an_officer_registers_a_candidate_without_an_account(agency, officer):
    volunteer = candidates.candidate_register(by=officer, organisation=agency, **FIELDS)
    assert volunteer.sending_organisation == agency and volunteer.user is None
    assert volunteer.email == "kossi@example.org"
    assert volunteer.languages == [{"code": "fr", "level": "C1"}]
    assert volunteer.reference.startswith("CAND-")
    with pytest.raises(ApplicationError) as exc:
        candidates.candidate_register(by=officer, organisation=agency, **FIELDS)
    assert exc.value.code == "duplicate_candidate"


def test_viewers_hosts_and_other_organisations_cannot_register_or_edit(agency, officer):
    viewer = MembershipFactory(organisation=agency, role=MembershipRole.VIEWER).user
    with pytest.raises(NotAllowed):
        candidates.candidate_register(by=viewer, organisation=agency, **FIELDS)
    host = OrganisationFactory(is_host=True, is_sending=False, is_national_agency=False)
    host_admin = MembershipFactory(organisation=host, role=MembershipRole.ADMIN).user
    with pytest.raises(NotAllowed):
        candidates.candidate_register(by=host_admin, organisation=host, **FIELDS)
    other = OrganisationFactory(is_sending=True)
    other_officer = MembershipFactory(organisation=other, role=MembershipRole.OFFICER).user
    volunteer = candidates.candidate_register(by=officer, organisation=agency, **FIELDS)
    with pytest.raises(NotAllowed):
        candidates.candidate_update(by=other_officer, volunteer=volunteer, **FIELDS)
    candidates.candidate_update(by=StaffFactory(), volunteer=volunteer,
                                **(FIELDS | {"last_name": "Agbodjan"}))
    volunteer.refresh_from_db()
    assert volunteer.last_name == "Agbodjan"


def test_pages_register_edit_then_nominate(client, agency, officer):
    mission = MissionFactory()
    client.force_login(officer)
    assert 'id="register-candidate"' in client.get("/volunteers/").content.decode()
    response = client.post("/volunteers/candidates/new/", FORM | {"organisation": agency.pk})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(email="kossi@example.org")
    assert 'id="edit-candidate"' in client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    response = client.post(f"/volunteers/{volunteer.pk}/edit/", FORM | {"phone": "+228 90 00"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.phone == "+228 90 00" and volunteer.sending_organisation == agency

    response = client.post("/applications/nominate/", {
        "organisation": agency.pk, "volunteers": [volunteer.pk], "missions": [mission.pk],
        "motivation": "Registered by us"})
    assert response.status_code == 302
    application = volunteer.applications.get()
    assert (application.kind, application.sending_organisation) == ("nomination", agency)


def test_pages_refuse_others(client, agency, officer):
    volunteer = candidates.candidate_register(by=officer, organisation=agency, **FIELDS)
    viewer = MembershipFactory(organisation=agency, role=MembershipRole.VIEWER).user
    client.force_login(viewer)
    assert client.get("/volunteers/candidates/new/").status_code == 403
    assert client.post(f"/volunteers/{volunteer.pk}/edit/", FORM).status_code == 403
    outsider = MembershipFactory(organisation=OrganisationFactory(is_sending=True),
                                 role=MembershipRole.ADMIN).user
    client.force_login(outsider)
    assert client.get(f"/volunteers/{volunteer.pk}/edit/").status_code == 404
    # The form offers only the user's own organisations.
    response = client.post("/volunteers/candidates/new/", FORM | {"organisation": agency.pk})
    assert response.status_code == 200
    assert Volunteer.objects.filter(email="kossi@example.org").count() == 1


def claim_token() -> str:
    import re

    from django.core import mail

    return re.search(r"/volunteers/claim/([^/\s]+)/", mail.outbox[-1].body).group(1)


def test_the_candidate_claims_the_record_once(client, agency, officer,
                                              django_capture_on_commit_callbacks):
    volunteer = candidates.candidate_register(by=officer, organisation=agency, **FIELDS)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/volunteers/{volunteer.pk}/claim-link/")
    assert response.status_code == 302
    token = claim_token()
    client.logout()
    assert 'id="claim-form"' in client.get(f"/volunteers/claim/{token}/").content.decode()
    password = "a-long-Passphrase-42"
    response = client.post(f"/volunteers/claim/{token}/",
                           {"password1": password, "password2": password})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.user.username == "kossi@example.org"
    assert volunteer.user.check_password(password)
    assert not volunteer.user.email_verification_pending
    response = client.get(f"/volunteers/claim/{token}/")
    assert response.status_code == 410 and 'data-code="link_used"' in response.content.decode()


def test_claim_links_refused_when_altered_or_expired(client, agency, officer, _frozen_clock,
                                                      django_capture_on_commit_callbacks):
    volunteer = candidates.candidate_register(by=officer, organisation=agency, **FIELDS)
    with django_capture_on_commit_callbacks(execute=True):
        candidates.claim_link_send(by=officer, volunteer=volunteer, base_url="http://x/")
    token = claim_token()
    assert client.get(f"/volunteers/claim/{token}x/").status_code == 410
    _frozen_clock.shift(8 * 24 * 3600)
    response = client.get(f"/volunteers/claim/{token}/")
    assert 'data-code="link_expired"' in response.content.decode()
    viewer = MembershipFactory(organisation=agency, role=MembershipRole.VIEWER).user
    with pytest.raises(NotAllowed):
        candidates.claim_link_send(by=viewer, volunteer=volunteer, base_url="http://x/")
