"""The audit log: every recorded write says who, what, which action, when and which fields;
secrets and personal data never get into it; it cannot be rewritten; staff read it."""

import io
import json

import pytest
from auditlog.models import AbstractLogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts.models import ApiToken, MembershipRole
from reciprocity.accounts.tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    api_token_for,
)
from reciprocity.applications.models import ApplicationChoice
from reciprocity.audit.models import AuditEntry, AuditLogIsAppendOnly
from reciprocity.audit.registry import NOT_RECORDED, POLICIES, REDACTED
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Accreditation
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.tests.conftest import _media, person  # noqa: F401 (fixtures)
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db
A = AbstractLogEntry.Action


def entries_for(obj, action=None):  # type: ignore[no-untyped-def]
    qs = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )
    if action is not None:
        qs = qs.filter(action=action)
    return list(qs.order_by("pk"))


def everything_logged() -> str:
    """Every word the audit log holds, as one text to search."""
    rows = AuditEntry.objects.values_list("object_repr", "changes", "changes_text",
                                          "additional_data", "serialized_data")
    return json.dumps(list(rows), ensure_ascii=False, default=str)


@pytest.fixture
def host(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Maison des Solidarités", country="FR")


@pytest.fixture
def officer(host):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=host, role=MembershipRole.OFFICER,
                             user__username="olga").user


# --- what a write records ------------------------------------------------------------------------


def test_a_write_through_a_page_records_who_what_which_action_and_the_fields(client, host, officer):
    mission = MissionFactory(host=host, status=MissionStatus.DRAFT, city="Lyon")
    client.force_login(officer)

    response = client.patch(f"/api/v1/missions/{mission.pk}", json.dumps({"city": "Villeurbanne"}),
                            content_type="application/json")

    assert response.status_code == 200, response.content
    [entry] = entries_for(mission, A.UPDATE)
    assert entry.actor == officer
    assert entry.object_repr == mission.title
    assert entry.changes == {"city": ["Lyon", "Villeurbanne"]}  # updated_at is noise, not recorded
    assert entry.timestamp is not None


def test_a_write_with_an_api_token_records_the_tokens_user_and_token(client, host, officer):
    mission = MissionFactory(host=host, status=MissionStatus.DRAFT, city="Lyon")
    key = api_token_for(officer, organisation=host)

    response = client.patch(f"/api/v1/missions/{mission.pk}", json.dumps({"city": "Vienne"}),
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200, response.content
    [entry] = entries_for(mission, A.UPDATE)
    assert entry.actor == officer
    assert entry.additional_data == {"api_token": ApiToken.objects.get(user=officer).pk}
    assert entry.changes == {"city": ["Lyon", "Vienne"]}


def test_creation_and_deletion_are_recorded_with_the_values(db):
    accreditation = AccreditationFactory(number="NA-1")
    [created] = entries_for(accreditation, A.CREATE)
    assert created.changes["number"] == [None, "NA-1"]
    assert created.actor is None  # no request: the system

    pk = accreditation.pk
    accreditation.delete()
    [deleted] = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Accreditation), object_id=pk,
        action=A.DELETE,
    )
    assert deleted.changes["number"] == ["NA-1", None]


def test_a_command_writes_with_no_actor(person):  # noqa: F811
    call_command("volunteers", "anonymise", "--today", "2026-11-26", stdout=io.StringIO())

    [entry] = entries_for(person.volunteer, A.UPDATE)
    assert entry.actor_id is None
    assert "anonymised_at" in entry.changes


def test_choices_written_in_bulk_are_recorded_too(client, host):
    from reciprocity.workflow.applying import application_submit

    volunteer = VolunteerFactory()
    mission = MissionFactory(host=host)
    application = application_submit(now=timezone.now(), actor=StaffFactory(), volunteer=volunteer,
                                     missions=[mission], motivation="Parce que.")

    [choice] = ApplicationChoice.objects.filter(application=application)
    [entry] = entries_for(choice, A.CREATE)
    assert entry.changes["mission"] == [None, mission.pk]
    assert entry.changes["rank"] == [None, 1]


def test_the_admin_is_recorded(client):
    admin = StaffFactory(is_superuser=True, username="root")
    accreditation = AccreditationFactory()
    client.force_login(admin)

    response = client.post(f"/admin/partners/accreditation/{accreditation.pk}/delete/",
                           {"post": "yes"})

    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Accreditation),
        object_id=accreditation.pk, action=A.DELETE,
    )
    assert entry.actor == admin


# --- what it never records -----------------------------------------------------------------------


def test_secrets_never_get_into_the_log(db):
    user = UserFactory(username="zoe")
    user.set_password("a-very-secret-password")
    user.save()
    key = api_token_for(user, organisation=None)
    totp = TOTPDevice.objects.create(user=user, name="phone", key="0123456789abcdef0123")
    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="rcv-code-42")
    volunteer = VolunteerFactory(id_document_number="XK9876543", id_document_kind="passport")
    volunteer.id_document_number = "YZ1122334"
    volunteer.save()

    logged = everything_logged()
    assert user.password not in logged and "argon2" not in logged and "pbkdf2" not in logged
    assert ApiToken.hash(key) not in logged and key not in logged
    assert "XK9876543" not in logged and "YZ1122334" not in logged
    assert totp.key not in logged and "rcv-code-42" not in logged
    for change in entries_for(volunteer, A.UPDATE):
        assert change.changes["id_document_number"] == [REDACTED, REDACTED]
    for entry in entries_for(user):
        assert "password" not in entry.changes


def test_an_anonymised_volunteer_leaves_nothing_personal_in_the_log(client, person):  # noqa: F811
    # The staff page edits and views write entries too: they must not carry her either.
    client.force_login(person.staff)
    response = client.post(f"/volunteers/{person.volunteer.pk}/anonymise/", {"confirm": "on"})
    assert response.status_code in {200, 302}
    assert Volunteer.objects.get(pk=person.volunteer.pk).anonymised_at is not None

    logged = everything_logged()
    for trace in ("Ndiaye", "Awa", "awa@", "awa", "A12345678", "SN-2019-0042", "+221",
                  "Je veux", "Bon profil", "1999-05-17", "GM"):
        assert trace not in logged, trace
    assert entries_for(person.volunteer)[0].object_repr == f"volunteer #{person.volunteer.pk}"


def test_every_model_is_recorded_or_deliberately_left_out():
    ours = {m._meta.label for m in apps.get_models()
            if m.__module__.startswith("reciprocity.") and m._meta.app_label != "audit"}
    considered = set(POLICIES) | set(NOT_RECORDED)
    assert ours - considered == set(), "register the model in audit/registry.py or say why not"


# --- append-only -----------------------------------------------------------------------------------


def test_the_database_refuses_to_change_or_delete_an_entry(db):
    AccreditationFactory()
    entry = AuditEntry.objects.latest("pk")

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")

    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    entry.refresh_from_db()
    assert entry.object_repr != "rewritten"


def test_deleting_an_account_keeps_what_it_did(client):
    gone = StaffFactory(username="gone")
    mission = MissionFactory(status=MissionStatus.DRAFT, city="Lyon")
    client.force_login(gone)
    client.patch(f"/api/v1/missions/{mission.pk}", json.dumps({"city": "Nice"}),
                 content_type="application/json")

    gone_id = gone.pk
    gone.delete()

    [entry] = entries_for(mission, A.UPDATE)
    assert entry.actor_id == gone_id
    assert AuditEntry.objects.select_related("actor").get(pk=entry.pk).actor is None


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_puts_the_guard_back():
    OrganisationFactory()
    assert AuditEntry.objects.exists()

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEntry.objects.exists()
    OrganisationFactory()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
