"""Operator commands, uploads through the page, downloads only for those who see the procedure,
and bounded query counts on the lists."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.procedures.models import Procedure, ProcedureDocument, RuleDocument
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_sync_command_reports_in_json(placement, capsys):
    call_command("procedures", "sync", "--today", "2026-11-26", "--json")

    out = json.loads(capsys.readouterr().out)
    assert out == {"opened": 1, "rules_source": "files", "skipped": []}
    assert Procedure.objects.filter(placement=placement).exists()


def test_rules_load_seeds_the_procedure_documents_too(capsys):
    call_command("rules", "load")

    assert "Procedure rule documents: 5 new." in capsys.readouterr().out
    assert RuleDocument.objects.count() == 5


def test_upload_from_the_page_and_download_by_those_who_see_it(
        client, placement, volunteer_user, host_officer):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    client.force_login(volunteer_user)

    client.post(reverse("procedures:document_upload", args=[procedure.pk]), {
        "kind": "passport", "expires_on": "2031-01-01",
        "file": SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf")})

    document = ProcedureDocument.objects.get(procedure=procedure)
    assert document.uploaded_by == volunteer_user
    client.force_login(host_officer)
    response = client.get(reverse("procedures:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="passport.pdf"' in response["Content-Disposition"]
    # The download is personal data leaving the platform: it is in the access log.
    from reciprocity.volunteers.models import PersonalDataAccess

    logged = PersonalDataAccess.objects.get(action="document_download")
    assert (logged.actor, logged.volunteer_id) == (host_officer, placement.volunteer_id)


def test_documents_of_another_host_are_not_served(client, placement, other_placement, host_officer,
                                                  staff):
    other = procedure_open_for_placement(placement=other_placement, today=TODAY, now=NOW)
    client.force_login(staff)
    client.post(reverse("procedures:document_upload", args=[other.pk]), {
        "kind": "contract", "file": SimpleUploadedFile("contract.pdf", PDF)})
    document = ProcedureDocument.objects.get(procedure=other)

    client.force_login(host_officer)

    assert client.get(reverse("procedures:document_download", args=[document.pk])).status_code == 404
    from reciprocity.volunteers.models import PersonalDataAccess

    assert not PersonalDataAccess.objects.filter(action="document_download").exists()
    response = client.post(reverse("procedures:document_upload", args=[other.pk]), {
        "kind": "contract", "file": SimpleUploadedFile("x.pdf", PDF)})
    assert response.status_code == 404
    assert ProcedureDocument.objects.filter(procedure=other).count() == 1


def test_the_due_list_costs_the_same_queries_for_more_procedures(
        client, placement, staff, django_assert_max_num_queries):
    procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    client.force_login(staff)
    # Each request also reads its session, its user and the user's second-factor device; the
    # page also lists the people steps can be given to (their organisations, then them).
    with django_assert_max_num_queries(16) as few:
        client.get("/api/v1/procedures/due?limit=200")
        client.get(reverse("procedures:due"))

    for _ in range(3):
        procedure_open_for_placement(placement=PlacementFactory(), today=TODAY, now=NOW)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/procedures/due?limit=200")
        client.get(reverse("procedures:due"))
