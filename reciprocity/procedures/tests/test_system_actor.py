"""History rows written by the platform itself (a command, the demo, a deleted account) have no
actor: every page that lists them still answers, showing a dash where the person would be."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reciprocity.missions.models import MissionStatus, MissionStatusChange
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.procedures.models import (
    ProcedureDocument,
    StepStatus,
    StepStatusChange,
)
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY
from reciprocity.schemes.models import RuleChange

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _system_tick(procedure):  # type: ignore[no-untyped-def]
    step = procedure.steps.order_by("pk").first()
    return StepStatusChange.objects.create(
        step=step, from_status=StepStatus.TO_DO, to_status=StepStatus.DONE, actor=None,
        note="Done by a command.")


def test_a_procedure_page_with_a_system_history_row_answers(client, placement, host_officer):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    _system_tick(procedure)
    client.force_login(host_officer)

    response = client.get(reverse("procedures:detail", args=[procedure.pk]))

    assert response.status_code == 200
    assert "Done by a command." in response.content.decode()


def test_the_redirect_after_an_upload_lands_on_a_page_that_answers(
        client, placement, host_officer, volunteer_user):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    _system_tick(procedure)
    client.force_login(host_officer)

    response = client.post(
        reverse("procedures:document_upload", args=[procedure.pk]),
        {"kind": "passport", "expires_on": "2031-01-01",
         "file": SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf")},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("#documents")
    assert ProcedureDocument.objects.filter(procedure=procedure).exists()


def test_a_document_whose_uploader_is_gone_is_listed(client, placement, host_officer, outsider):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    ProcedureDocument.objects.create(
        procedure=procedure, kind="passport", file=SimpleUploadedFile("p.pdf", PDF),
        original_name="p.pdf", content_type="application/pdf", size=len(PDF), uploaded_by=None)
    client.force_login(host_officer)

    response = client.get(reverse("procedures:detail", args=[procedure.pk]))

    assert response.status_code == 200
    assert "p.pdf" in response.content.decode()


def test_a_mission_page_with_a_system_history_row_answers(client, host, host_officer):
    mission = MissionFactory(host=host, status=MissionStatus.CLOSED)
    MissionStatusChange.objects.create(
        mission=mission, from_status=MissionStatus.PUBLISHED, to_status=MissionStatus.CLOSED,
        actor=None, note="Closed by the nightly job.")
    client.force_login(host_officer)

    response = client.get(reverse("missions:detail", args=[mission.pk]))

    assert response.status_code == 200
    assert "Closed by the nightly job." in response.content.decode()


def test_the_rules_page_with_a_change_by_a_command_answers(client, staff):
    RuleChange.objects.create(target="rule", target_id="1", label="Service Civique: ages",
                              action="corrected", before={"value": 25}, after={"value": 26},
                              actor=None)
    client.force_login(staff)

    response = client.get(reverse("procedures:rules:index"))

    assert response.status_code == 200
    assert "Service Civique: ages" in response.content.decode()
