"""Uploads (kinds, size and type limits) and the checks that papers cover the whole stay."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.procedures.models import MAX_UPLOAD_BYTES, Procedure, ProcedureDocument
from reciprocity.procedures.selectors import procedure_coverage, procedure_suspensions
from reciprocity.procedures.services import procedure_document_upload, procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY
from reciprocity.schemes.models import SchemeSuspension

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def procedure(placement):  # type: ignore[no-untyped-def]
    return procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)


def upload(procedure, actor, kind, *, valid_from=None, expires_on=None,  # type: ignore[no-untyped-def]
           name="scan.pdf", content=PDF):
    return procedure_document_upload(
        procedure=procedure, kind=kind, upload=SimpleUploadedFile(name, content), actor=actor,
        valid_from=valid_from, expires_on=expires_on,
    )


def codes(procedure):  # type: ignore[no-untyped-def]
    return [c.code for c in procedure_coverage(procedure=procedure)]


def test_an_upload_is_stored_under_a_random_name_with_its_metadata(procedure, volunteer_user, settings):
    document = upload(procedure, volunteer_user, "passport", expires_on=D(2030, 1, 1),
                      name="Passeport Awa Diallo.pdf")

    assert document.original_name == "Passeport Awa Diallo.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert "Awa" not in document.file.name and document.file.name.endswith(".pdf")
    assert (settings.MEDIA_ROOT / document.file.name).read_bytes() == PDF


@pytest.mark.parametrize(("name", "content", "code"), [
    ("scan.pdf", b"MZ\x90\x00 not a pdf", "file_type_refused"),
    ("scan.exe", PDF, "file_type_refused"),
    ("scan.pdf", b"", "file_empty"),
    ("scan.pdf", b"%PDF-" + b"0" * MAX_UPLOAD_BYTES, "file_too_large"),
])
def test_files_outside_the_limits_are_refused(procedure, host_officer, name, content, code):
    with pytest.raises(ApplicationError) as caught:
        upload(procedure, host_officer, "contract", name=name, content=content)
    assert caught.value.code == code
    assert not ProcedureDocument.objects.exists()


def test_an_outsider_or_a_viewer_may_not_upload(procedure, outsider, host_viewer):
    for user in (outsider, host_viewer):
        with pytest.raises(NotAllowed):
            upload(procedure, user, "passport")


def test_nothing_uploaded_means_every_paper_is_missing(procedure):
    assert codes(procedure) == [
        "identity_document_missing", "visa_missing", "insurance_missing", "insurance_missing"]


def test_papers_covering_the_stay_clear_the_checks(procedure, volunteer_user, host_officer):
    upload(procedure, volunteer_user, "passport", expires_on=D(2031, 5, 1))
    # A visa for the first months, then a residence permit: together they cover the stay.
    upload(procedure, volunteer_user, "long_stay_visa", valid_from=D(2027, 2, 20),
           expires_on=D(2027, 5, 31))
    upload(procedure, volunteer_user, "residence_permit", valid_from=D(2027, 6, 1),
           expires_on=D(2028, 5, 31))
    for kind in ("complementary_health_insurance", "repatriation_insurance"):
        upload(procedure, host_officer, kind, valid_from=D(2027, 3, 1), expires_on=D(2027, 8, 31))

    assert codes(procedure) == []


def test_papers_ending_before_the_stay_ends_are_flagged(procedure, volunteer_user, host_officer):
    upload(procedure, volunteer_user, "passport", expires_on=D(2027, 6, 30))
    upload(procedure, volunteer_user, "long_stay_visa", valid_from=D(2027, 2, 20),
           expires_on=D(2027, 5, 31))
    upload(procedure, volunteer_user, "residence_permit", valid_from=D(2027, 6, 2),
           expires_on=D(2028, 5, 31))  # a one-day gap on 1 June
    upload(procedure, host_officer, "complementary_health_insurance", valid_from=D(2027, 3, 1),
           expires_on=D(2027, 8, 30))
    upload(procedure, host_officer, "repatriation_insurance", valid_from=D(2027, 3, 2),
           expires_on=D(2027, 12, 31))

    assert codes(procedure) == ["identity_document_expires", "visa_does_not_cover_stay",
                                "insurance_does_not_cover_stay", "insurance_does_not_cover_stay"]


def test_the_volunteer_record_expiry_counts_for_the_identity_check(procedure, placement):
    placement.volunteer.id_document_kind = "passport"
    placement.volunteer.id_document_expiry = D(2029, 1, 1)
    placement.volunteer.save()
    procedure = Procedure.objects.get(pk=procedure.pk)

    assert "identity_document_missing" not in codes(procedure)
    assert "identity_document_expires" not in codes(procedure)


def test_suspensions_overlapping_the_stay_flag_the_procedure(procedure):
    # The shipped data has no suspension here yet; these rows are staff's.
    SchemeSuspension.objects.create(scheme_id="service_civique", start=D(2027, 8, 1),
                                    end=D(2027, 9, 30), reason="Budget freeze")
    SchemeSuspension.objects.create(scheme_id="service_civique", start=D(2027, 9, 1),
                                    reason="Later")
    SchemeSuspension.objects.create(scheme_id="vsi", start=D(2027, 1, 1), reason="Other scheme")

    assert [s.reason for s in procedure_suspensions(procedure=procedure)] == ["Budget freeze"]
