import pytest
from django.db import connection

from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_document_number_is_encrypted_at_rest_and_masked_on_display():
    volunteer = VolunteerFactory(id_document_kind="passport", id_document_number="A12345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_document_number FROM volunteers_volunteer WHERE id = %s", [volunteer.pk])
        raw = cursor.fetchone()[0]
    assert "A12345678" not in raw
    reloaded = Volunteer.objects.get(pk=volunteer.pk)
    assert reloaded.id_document_number == "A12345678"
    assert reloaded.id_document_number_masked.endswith("678")
    assert "1234" not in reloaded.id_document_number_masked
