"""The volunteer's CV and passport scan: the upload checks procedures use, one file per kind,
who may download (logged), and the profile page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.applications.models import ChoiceStatus
from reciprocity.applications.tests.factories import ApplicationChoiceFactory, ApplicationFactory
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.documents import can_download, volunteer_document_upload
from reciprocity.volunteers.models import PersonalDataAccess, VolunteerDocument
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

# The suite's frozen moment (root conftest), passed in as the edges would.
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)
PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def volunteer():
    sender = OrganisationFactory(name="ANVT", country="TG", is_host=False)
    return VolunteerFactory(user=UserFactory(username="kofi"), sending_organisation=sender)


def upload(volunteer, kind="cv", content=PDF, name="cv.pdf", actor=None):
    return volunteer_document_upload(
        actor=actor or volunteer.user, volunteer=volunteer, kind=kind,
        upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
    )


class TestUpload:
    def test_stores_under_a_random_name_and_replaces_the_previous_file(self, volunteer, settings):
        first = upload(volunteer)
        first_path = settings.MEDIA_ROOT / first.file.name
        assert first_path.read_bytes() == PDF and "cv.pdf" not in first.file.name

        second = upload(volunteer, content=PNG, name="Kofi CV.png")

        assert second.pk == first.pk and second.content_type == "image/png"
        assert second.original_name == "Kofi CV.png"
        assert VolunteerDocument.objects.filter(volunteer=volunteer, kind="cv").count() == 1
        assert (settings.MEDIA_ROOT / second.file.name).read_bytes() == PNG

    @pytest.mark.parametrize(("content", "name", "code"), [
        (b"MZ\x90\x00 not a pdf", "cv.pdf", "file_type_refused"),   # sniffed, not trusted
        (PDF, "cv.exe", "file_type_refused"),
        (b"", "cv.pdf", "file_empty"),
    ])
    def test_the_procedures_checks_refuse_bad_files(self, volunteer, content, name, code):
        with pytest.raises(ApplicationError) as refused:
            upload(volunteer, content=content, name=name)
        assert refused.value.code == code

    def test_too_large_is_refused(self, volunteer):
        with pytest.raises(ApplicationError) as refused:
            upload(volunteer, content=PDF + b"0" * (10 * 1024 * 1024))
        assert refused.value.code == "file_too_large"

    def test_unknown_kind_and_other_people_refused(self, volunteer):
        with pytest.raises(ApplicationError):
            upload(volunteer, kind="diploma")
        officer = MembershipFactory(organisation=volunteer.sending_organisation).user
        with pytest.raises(NotAllowed):
            upload(volunteer, actor=officer)


class TestDownload:
    def test_who_may_download(self, volunteer):
        sender = volunteer.sending_organisation
        host = OrganisationFactory(name="Host")
        other_host = OrganisationFactory(name="Other host")
        cancelled_host = OrganisationFactory(name="Cancelled host")
        application = ApplicationFactory(volunteer=volunteer)
        ApplicationChoiceFactory(application=application, mission=MissionFactory(host=host),
                                 status=ChoiceStatus.ACCEPTED)
        ApplicationChoiceFactory(application=application, mission=MissionFactory(host=other_host),
                                 rank=2)  # merely applied to
        PlacementFactory(volunteer=volunteer, mission=MissionFactory(host=cancelled_host),
                         status=PlacementStatus.CANCELLED)
        allowed = {
            "the volunteer": volunteer.user,
            "a sending viewer": MembershipFactory(organisation=sender, role=MembershipRole.VIEWER).user,
            "an accepting host": MembershipFactory(organisation=host).user,
            "staff": StaffFactory(),
        }
        refused = {
            "a host applied to": MembershipFactory(organisation=other_host).user,
            "a host whose placement was cancelled": MembershipFactory(organisation=cancelled_host).user,
            "a stranger": UserFactory(),
        }
        assert {k for k, u in allowed.items() if can_download(u, volunteer)} == set(allowed)
        assert {k for k, u in refused.items() if can_download(u, volunteer)} == set()

    def test_a_placement_host_downloads_and_it_is_logged(self, client, volunteer):
        document = upload(volunteer, kind="passport_scan", name="passport.pdf")
        host = OrganisationFactory(name="Host")
        PlacementFactory(volunteer=volunteer, mission=MissionFactory(host=host))
        officer = MembershipFactory(organisation=host).user
        client.force_login(officer)

        response = client.get(f"/volunteers/documents/{document.pk}/")

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert "passport.pdf" in response["Content-Disposition"]
        logged = PersonalDataAccess.objects.get(volunteer=volunteer, actor=officer)
        assert (logged.action, logged.channel, logged.detail) == (
            "document_download", "page", "passport_scan")

    def test_others_get_a_404(self, client, volunteer):
        document = upload(volunteer)
        client.force_login(MembershipFactory(organisation=OrganisationFactory()).user)
        assert client.get(f"/volunteers/documents/{document.pk}/").status_code == 404
        assert not PersonalDataAccess.objects.filter(volunteer=volunteer).exists()


class TestProfilePage:
    def test_the_volunteer_uploads_on_the_profile_page(self, client, volunteer):
        client.force_login(volunteer.user)
        page = client.get("/volunteers/me/").content.decode()
        assert 'id="document-form"' in page and "Certified by your sending organisation" in page

        client.post("/volunteers/me/documents/", {
            "kind": "passport_scan",
            "file": SimpleUploadedFile("passport.png", PNG, content_type="image/png"),
        })

        document = VolunteerDocument.objects.get(volunteer=volunteer)
        assert document.kind == "passport_scan"
        page = client.get("/volunteers/me/").content.decode()
        assert f"/volunteers/documents/{document.pk}/" in page

    def test_a_refused_file_says_why(self, client, volunteer):
        client.force_login(volunteer.user)
        response = client.post("/volunteers/me/documents/", {
            "kind": "cv", "file": SimpleUploadedFile("cv.pdf", b"not a pdf"),
        }, follow=True)
        assert "Only PDF, PNG and JPEG files are accepted." in response.content.decode()
        assert not VolunteerDocument.objects.exists()


def test_anonymisation_erases_the_uploaded_documents(
    volunteer, settings, django_capture_on_commit_callbacks
):
    from reciprocity.workflow.personal_data import volunteer_anonymise

    document = upload(volunteer)
    path = settings.MEDIA_ROOT / document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        volunteer_anonymise(volunteer=volunteer, actor=StaffFactory(), now=NOW)

    assert not VolunteerDocument.objects.filter(volunteer=volunteer).exists()
    assert not path.exists()
