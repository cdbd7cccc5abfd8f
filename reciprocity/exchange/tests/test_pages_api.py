"""Pages and API: upload with preview, downloads, exchange codes, and who may do each."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.applications.models import Application
from reciprocity.exchange.tests.formats import composed
from reciprocity.missions.models import Mission
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Organisation
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def host():
    return OrganisationFactory(name="Example Volunteers", exchange_code="XYZ", country="NL")


def member(organisation, role=MembershipRole.OFFICER):
    return MembershipFactory(organisation=organisation, role=role).user


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/xml")


# --- pages -------------------------------------------------------------------------------------


def test_preview_writes_nothing_then_import_writes(client, host):
    client.force_login(member(host))
    page = client.get("/exchange/import/")
    assert page.status_code == 200
    preview = client.post("/exchange/import/", {
        "kind": "pef", "action": "preview", "upload": upload("PEF_XYZ.xml", composed.pef())})
    assert preview.status_code == 200
    assert preview.context["outcome"].dry_run and preview.context["outcome"].created == 1
    assert not Mission.objects.exists()
    assert "Preview: nothing written yet" in preview.content.decode()
    done = client.post("/exchange/import/", {
        "kind": "pef", "action": "import", "upload": upload("PEF_XYZ.xml", composed.pef())})
    assert done.status_code == 200 and done.context["outcome"].created == 1
    assert Mission.objects.get().host == host


def test_errors_are_listed_with_file_and_element(client, host):
    client.force_login(member(host))
    response = client.post("/exchange/import/", {
        "kind": "pef", "action": "import",
        "upload": upload("bad.xml", composed.pef(composed.project(name=None)))})
    body = response.content.decode()
    assert "Nothing imported" in body
    assert "bad.xml: project 1 (XYZ 07) &lt;name&gt;: missing" in body
    assert not Mission.objects.exists()


def test_a_member_imports_only_for_its_own_organisation(client, host):
    other = OrganisationFactory(exchange_code="OTH")
    client.force_login(member(other))
    response = client.post("/exchange/import/", {
        "kind": "pef", "action": "import", "upload": upload("p.xml", composed.pef())})
    assert any("<organization_code>: you may not import the projects of XYZ" in e
               for e in response.context["outcome"].errors)
    assert not Mission.objects.exists()
    # An unknown organisation is created by staff only.
    response = client.post("/exchange/import/", {
        "kind": "pef", "action": "import",
        "upload": upload("p.xml", composed.pef(header={"organization_code": "NEW"}))})
    assert response.context["outcome"].errors
    assert not Organisation.objects.filter(exchange_code="NEW").exists()


def test_viewers_and_people_without_organisation_cannot_import(client, host):
    client.force_login(member(host, MembershipRole.VIEWER))
    assert client.get("/exchange/import/").status_code == 403
    client.force_login(UserFactory())
    assert client.get("/exchange/import/").status_code == 403


def test_vef_import_by_the_host_that_received_it(client, host):
    MissionFactory(host=host, scheme_id="workcamp", reference="XYZ 07")
    client.force_login(member(host))
    response = client.post("/exchange/import/", {
        "kind": "vef", "action": "import", "upload": [upload("a.xml", composed.vef()),
                                                     upload("b.xml", composed.vef(firstname="B"))]})
    assert response.context["outcome"].errors == []
    assert Volunteer.objects.count() == 2 and Application.objects.count() == 2
    stranger = OrganisationFactory(exchange_code="STR")
    client.force_login(member(stranger))
    response = client.post("/exchange/import/", {
        "kind": "vef", "action": "import", "upload": upload("c.xml", composed.vef(firstname="C"))})
    assert any("<sender>: you may not import this application" in e
               for e in response.context["outcome"].errors)


def test_organisation_page_buttons_and_downloads(client, host):
    MissionFactory(host=host, scheme_id="workcamp", reference="XYZ 01",
                   start_date=date(2027, 7, 1), end_date=date(2027, 7, 14))
    client.force_login(member(host, MembershipRole.ADMIN))
    page = client.get(f"/organisations/{host.pk}/").content.decode()
    assert f"/exchange/organisations/{host.pk}/pef.xml" in page
    assert f"/exchange/organisations/{host.pk}/code/" in page
    response = client.get(f"/exchange/organisations/{host.pk}/pef.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert 'filename="PEF_XYZ01_' in response["Content-Disposition"]
    assert b"<code>XYZ 01</code>" in response.content
    fpl = client.get(f"/exchange/organisations/{host.pk}/fpl.xml")
    assert fpl.status_code == 200 and b"<freeplaceslist>" in fpl.content


def test_downloads_refused_to_outsiders(client, host):
    client.force_login(member(OrganisationFactory()))
    assert client.get(f"/exchange/organisations/{host.pk}/pef.xml").status_code == 403
    assert client.get(f"/exchange/organisations/{host.pk}/other.xml").status_code == 403
    client.logout()
    assert client.get(f"/exchange/organisations/{host.pk}/pef.xml").status_code == 302


def test_export_without_code_comes_back_with_a_message(client):
    organisation = OrganisationFactory()
    client.force_login(StaffFactory())
    response = client.get(f"/exchange/organisations/{organisation.pk}/pef.xml", follow=True)
    assert "has no exchange code" in response.content.decode()


def test_vef_download_from_the_application_page(client, host):
    MissionFactory(host=host, scheme_id="workcamp", reference="XYZ 07")
    client.force_login(StaffFactory())
    client.post("/exchange/import/", {"kind": "vef", "action": "import",
                                      "upload": upload("a.xml", composed.vef())})
    application = Application.objects.get()
    officer = member(host)
    client.force_login(officer)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert f"/exchange/applications/{application.pk}/vef.xml" in page
    response = client.get(f"/exchange/applications/{application.pk}/vef.xml")
    assert response.status_code == 200 and b"<lastname>Kowalczyk</lastname>" in response.content
    assert application.volunteer.data_accesses.filter(action="export", channel="page",
                                                      actor=officer).exists()
    client.force_login(member(OrganisationFactory()))
    assert client.get(f"/exchange/applications/{application.pk}/vef.xml").status_code == 403


def test_exchange_code_page(client, host):
    admin = member(host, MembershipRole.ADMIN)
    client.force_login(admin)
    assert client.post(f"/exchange/organisations/{host.pk}/code/",
                       {"exchange_code": " sdx "}).status_code == 302
    host.refresh_from_db()
    assert host.exchange_code == "SDX"
    OrganisationFactory(exchange_code="TAKEN")
    response = client.post(f"/exchange/organisations/{host.pk}/code/", {"exchange_code": "taken"})
    assert "already belongs to" in response.content.decode()
    client.force_login(member(host))  # an officer, not an administrator
    assert client.get(f"/exchange/organisations/{host.pk}/code/").status_code == 403


# --- API ---------------------------------------------------------------------------------------


def test_api_import_pef_with_dry_run_then_for_real(client, host):
    client.force_login(member(host))
    dry = client.post("/api/v1/exchange/pef?dry_run=true&name=PEF.xml", composed.pef(),
                      content_type="application/xml")
    assert dry.status_code == 200, dry.content
    assert dry.json()["created"] == 1 and dry.json()["dry_run"] is True
    assert not Mission.objects.exists()
    real = client.post("/api/v1/exchange/pef", composed.pef(), content_type="application/xml")
    assert real.status_code == 200 and real.json()["objects"][0]["kind"] == "mission"
    assert Mission.objects.count() == 1


def test_api_import_errors_are_422_with_the_report(client, host):
    client.force_login(member(host))
    response = client.post("/api/v1/exchange/pef?name=bad.xml", b"<nope/>",
                           content_type="application/xml")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_exchange_file"
    assert body["details"]["errors"] == [
        "bad.xml: <nope>: wrong root element; expected <projectform> or <projectforms>."]


def test_api_import_vef_multipart_and_exports(client, host):
    MissionFactory(host=host, scheme_id="workcamp", reference="XYZ 07")
    client.force_login(member(host))
    response = client.post("/api/v1/exchange/vef", {
        "files": [upload("a.xml", composed.vef()), upload("b.xml", composed.vef(firstname="B"))]})
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 4
    application = Application.objects.order_by("pk").first()
    vef = client.get(f"/api/v1/exchange/applications/{application.pk}/vef")
    assert vef.status_code == 200 and b"<vef>" in vef.content
    pef = client.get(f"/api/v1/exchange/organisations/{host.pk}/pef?date_from=2027-01-01")
    assert pef.status_code == 200 and b"<projectform>" in pef.content
    assert client.get(f"/api/v1/exchange/organisations/{host.pk}/fpl").status_code == 200


def test_api_permissions(client, host):
    assert client.post("/api/v1/exchange/pef", composed.pef(),
                       content_type="application/xml").status_code == 401
    client.force_login(member(OrganisationFactory()))
    assert client.get(f"/api/v1/exchange/organisations/{host.pk}/pef").status_code == 403
    response = client.post("/api/v1/exchange/pef", composed.pef(), content_type="application/xml")
    assert response.status_code == 422 and not Mission.objects.exists()
    client.force_login(member(host, MembershipRole.VIEWER))
    assert client.post("/api/v1/exchange/pef", composed.pef(),
                       content_type="application/xml").status_code == 403


def test_import_after_preview_needs_no_second_upload(client, host):
    user = member(host)
    client.force_login(user)
    preview = client.post("/exchange/import/", {
        "kind": "pef", "action": "preview", "upload": upload("PEF_XYZ.xml", composed.pef())})
    token = preview.context["staged"]
    assert token and f'value="{token}"' in preview.content.decode()
    assert not Mission.objects.exists()

    # Someone else cannot use the token: it reads as expired, and nothing is written.
    other = member(host)
    client.force_login(other)
    refused = client.post("/exchange/import/", {"staged": token}, follow=True)
    assert "no longer kept" in refused.content.decode()
    assert not Mission.objects.exists()

    client.force_login(user)
    done = client.post("/exchange/import/", {"staged": token})
    assert done.status_code == 200 and done.context["outcome"].created == 1
    assert not done.context["outcome"].dry_run
    assert Mission.objects.get().host == host

    # Used once.
    again = client.post("/exchange/import/", {"staged": token}, follow=True)
    assert "no longer kept" in again.content.decode()
    assert Mission.objects.count() == 1


def test_a_staged_preview_expires(client, host, settings, _frozen_clock):
    settings.STAGED_UPLOAD_SECONDS = 3600
    client.force_login(member(host))
    preview = client.post("/exchange/import/", {
        "kind": "pef", "action": "preview", "upload": upload("PEF_XYZ.xml", composed.pef())})
    _frozen_clock.shift(3601)
    late = client.post("/exchange/import/", {"staged": preview.context["staged"]}, follow=True)
    assert "no longer kept" in late.content.decode()
    assert not Mission.objects.exists()


def test_a_preview_with_errors_stages_nothing(client, host):
    client.force_login(member(host))
    response = client.post("/exchange/import/", {
        "kind": "pef", "action": "preview",
        "upload": upload("bad.xml", composed.pef(composed.project(name=None)))})
    assert response.context["staged"] == ""
    assert "import-staged" not in response.content.decode()


def test_previews_nobody_imported_are_forgotten(client, host, settings, _frozen_clock):
    from django.core.files.storage import default_storage

    client.force_login(member(host))
    first = client.post("/exchange/import/", {
        "kind": "pef", "action": "preview", "upload": upload("PEF_XYZ.xml", composed.pef())})
    _frozen_clock.shift(settings.STAGED_UPLOAD_SECONDS + 1)
    client.post("/exchange/import/", {
        "kind": "pef", "action": "preview", "upload": upload("PEF_XYZ.xml", composed.pef())})
    # (A file system keeps the emptied folder; an object store has no folders.)
    assert default_storage.listdir(f"staging/{first.context['staged']}") == ([], [])
