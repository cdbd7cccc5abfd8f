"""Rotating FIELD_ENCRYPTION_KEY (core/encryption.py, ADR 0013, docs/deploy.md "Rotating the
encryption key"): old keys listed in FIELD_ENCRYPTION_OLD_KEYS still read, `reciprocity
encryption rotate` rewrites every value under the current key, `check` counts them."""

import base64
import hashlib
import io
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts.tests.factories import StaffFactory, UserFactory
from reciprocity.accounts.two_factor.codes import totp_code
from reciprocity.audit.models import AuditEntry
from reciprocity.core.tests.test_backup import RECIPROCITY
from reciprocity.exchange.models import WebhookEndpoint
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

OLD = "old-key-" + "o1P2q3R4s5" * 4
NEW = "new-key-" + "n6M7l8K9j0" * 4
LOST = "lost-key-" + "z" * 40
SECRET = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, in hex
NUMBER_COLUMN = "volunteers.Volunteer.id_document_number"


def stored(table: str, column: str, pk: object) -> str:
    """What the database holds, read past the model."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE {q('id')} = %s", [pk])
        return cursor.fetchone()[0]


def number(volunteer: Volunteer) -> str:
    return stored("volunteers_volunteer", "id_document_number", volunteer.pk)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("encryption", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def line_of(output: str, column: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(column + ":"))


def written_under(settings, key: str, **fields: str) -> Volunteer:
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = key, []
    return VolunteerFactory(**fields)


def test_a_value_written_by_the_key_derivation_of_before_is_still_read(settings):
    settings.FIELD_ENCRYPTION_KEY = NEW
    volunteer = VolunteerFactory(id_document_number="")
    # Fernet under SHA-256 of the setting, as core/fields.py has always derived it.
    token = Fernet(base64.urlsafe_b64encode(hashlib.sha256(NEW.encode()).digest()))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE volunteers_volunteer SET id_document_number = %s WHERE id = %s",
                       [token.encrypt(b"AB123").decode(), volunteer.pk])

    assert Volunteer.objects.get(pk=volunteer.pk).id_document_number == "AB123"


def test_values_under_an_old_key_are_read_when_it_is_listed_and_new_writes_use_the_new_key(
        settings):
    volunteer = written_under(settings, OLD, id_document_number="AB123")
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone", key=SECRET,
                                       confirmed=True)
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, [OLD]

    assert Volunteer.objects.get(pk=volunteer.pk).id_document_number == "AB123"
    fresh = TOTPDevice.objects.get(pk=device.pk)
    assert fresh.key == SECRET and fresh.verify_token(totp_code(fresh)) is True
    # django-otp saved the device after the check: its secret is now under the new key.
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert TOTPDevice.objects.get(pk=device.pk).key == SECRET
    # Without the old key, an identity number under it reads as empty, never as ciphertext.
    assert Volunteer.objects.get(pk=volunteer.pk).id_document_number == ""


def test_a_row_saved_by_a_process_without_the_old_key_keeps_its_number(settings):
    """A process started without the old key (a mistake during a rotation) that saves the row
    for another reason writes the stored ciphertext back, not an empty number."""
    volunteer = written_under(settings, OLD, id_document_number="AB123")
    before = number(volunteer)
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, []
    loaded = Volunteer.objects.get(pk=volunteer.pk)
    assert loaded.id_document_number == "" and str(loaded.id_document_number) == ""
    loaded.first_name = "Renamed"
    loaded.save()
    assert number(volunteer) == before
    settings.FIELD_ENCRYPTION_OLD_KEYS = [OLD]
    assert Volunteer.objects.get(pk=volunteer.pk).id_document_number == "AB123"
    # A new number typed in replaces it, under the current key.
    loaded.id_document_number = "CD456"
    loaded.save()
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert Volunteer.objects.get(pk=volunteer.pk).id_document_number == "CD456"


def test_rotate_rewrites_every_value_under_the_new_key_then_the_old_key_can_go(settings):
    volunteer = written_under(settings, OLD, id_document_number="AB123")
    endpoint = WebhookEndpoint.objects.create(organisation=OrganisationFactory(),
                                              url="https://partner.example/hook", secret="s3cr3t")
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone", key=SECRET)
    before = number(volunteer), stored("otp_totp_totpdevice", "key", device.pk)
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, [OLD]

    code, out, err = run("rotate")

    assert code == 0, err
    assert line_of(out, NUMBER_COLUMN) == (
        f"{NUMBER_COLUMN}: 1 value(s) rewritten under the current key, 0 already under it.")
    assert "otp_totp.TOTPDevice.key: 1 value(s) rewritten" in out
    assert "exchange.WebhookEndpoint.secret: 1 value(s) rewritten" in out
    after = number(volunteer), stored("otp_totp_totpdevice", "key", device.pk)
    assert after[0] != before[0] and after[1] != before[1] and after[1].startswith("v1$")
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert Volunteer.objects.get(pk=volunteer.pk).id_document_number == "AB123"
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == "s3cr3t"
    assert TOTPDevice.objects.get(pk=device.pk).key == SECRET
    assert run("check")[0] == 0

    # A second run rewrites nothing: the stored values stay byte for byte.
    code, out, _err = run("rotate")
    assert code == 0 and line_of(out, NUMBER_COLUMN) == (
        f"{NUMBER_COLUMN}: 0 value(s) rewritten under the current key, 1 already under it.")
    assert (number(volunteer), stored("otp_totp_totpdevice", "key", device.pk)) == after


def test_each_batch_rewritten_is_in_the_audit_log_as_the_system_without_any_value(settings):
    volunteers = [written_under(settings, OLD, id_document_number=f"AB{i}") for i in range(3)]
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone", key=SECRET)
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, [OLD]

    assert run("rotate", "--batch-size", "2")[0] == 0

    entries = AuditEntry.objects.filter(additional_data__event="encryption_key_rotation")
    by_volunteers = entries.filter(content_type__model="volunteer").order_by("pk")
    assert [e.additional_data["objects"] for e in by_volunteers] == [
        [str(v.pk) for v in volunteers[:2]], [str(volunteers[2].pk)]]
    assert all(e.actor_id is None and e.action == AuditEntry.Action.UPDATE for e in entries)
    assert by_volunteers[0].changes == {"id_document_number": ["[not recorded]"] * 2}
    otp = entries.get(content_type__model="totpdevice")
    # The two-factor key is never named in the log (registry.py): counted only.
    assert otp.changes == {} and otp.additional_data["values"] == {"key": 1}
    assert otp.additional_data["objects"] == [str(device.pk)]
    assert not any("AB" in str(e.changes) + str(e.additional_data) for e in entries)


def test_the_audit_page_shows_a_rotation_batch_as_the_system(settings, client):
    written_under(settings, OLD, id_document_number="AB123")
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, [OLD]
    assert run("rotate")[0] == 0
    client.force_login(StaffFactory())

    page = client.get("/audit/", {"system_only": "on"}).content.decode()

    assert "Encryption key rotation: 1 row(s) rewritten under the current key" in page
    assert "Volunteer<br>" in page  # no "#" without an object id
    assert "AB123" not in page


def test_check_counts_values_by_the_key_that_reads_them_and_fails_on_an_unreadable_one(settings):
    written_under(settings, OLD, id_document_number="AB1")
    written_under(settings, NEW, id_document_number="AB2")
    written_under(settings, NEW, id_document_number="")  # empty: not a value, not counted
    settings.FIELD_ENCRYPTION_OLD_KEYS = [OLD]

    code, out, _err = run("check")

    assert code == 0
    assert line_of(out, NUMBER_COLUMN) == (
        f"{NUMBER_COLUMN}: 1 readable with the current key, 1 only with an old key, "
        "0 with no key, 0 not encrypted.")
    assert "1 value(s) still need `reciprocity encryption rotate`." in out

    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    code, out, err = run("check")

    assert code == 1
    assert line_of(out, NUMBER_COLUMN) == (
        f"{NUMBER_COLUMN}: 1 readable with the current key, 0 only with an old key, "
        "1 with no key, 0 not encrypted.")
    assert "1 value(s) cannot be decrypted with any configured key" in err


def test_check_says_when_the_old_keys_can_be_removed(settings):
    written_under(settings, NEW, id_document_number="AB2")
    settings.FIELD_ENCRYPTION_OLD_KEYS = [OLD]

    code, out, _err = run("check")

    assert code == 0 and "the old keys can be removed" in out


def test_an_unreadable_value_stops_the_rotation_and_its_batch_is_not_half_written(settings):
    first, second, third = (written_under(settings, OLD, id_document_number=f"AB{i}")
                            for i in range(3))
    lost = written_under(settings, LOST, id_document_number="AB9")
    before = {v.pk: number(v) for v in (first, second, third, lost)}
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, [OLD]

    code, _out, err = run("rotate", "--batch-size", "2")

    assert code == 1
    assert f"{NUMBER_COLUMN}, row {lost.pk}: no configured key decrypts this value" in err
    # The first batch is written under the new key; the failing one (third, lost) is untouched.
    assert number(first) != before[first.pk] and number(second) != before[second.pk]
    assert number(third) == before[third.pk] and number(lost) == before[lost.pk]
    entries = AuditEntry.objects.filter(additional_data__event="encryption_key_rotation",
                                        content_type__model="volunteer")
    assert [e.additional_data["objects"] for e in entries] == [[str(first.pk), str(second.pk)]]

    # Once the lost key is found and listed, a second run finishes the job.
    settings.FIELD_ENCRYPTION_OLD_KEYS = [OLD, LOST]
    code, out, _err = run("rotate", "--batch-size", "2")
    assert code == 0 and line_of(out, NUMBER_COLUMN).startswith(
        f"{NUMBER_COLUMN}: 2 value(s) rewritten under the current key, 2 already under it.")
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert Volunteer.objects.get(pk=lost.pk).id_document_number == "AB9"


def test_a_dry_run_counts_and_writes_nothing(settings):
    volunteer = written_under(settings, OLD, id_document_number="AB123")
    before = number(volunteer)
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, [OLD]

    code, out, _err = run("rotate", "--dry-run")

    assert code == 0
    assert line_of(out, NUMBER_COLUMN) == (
        f"{NUMBER_COLUMN}: 1 value(s) would be rewritten, 0 already under the current key.")
    assert "Dry run: nothing was written." in out
    assert number(volunteer) == before
    assert not AuditEntry.objects.filter(additional_data__event="encryption_key_rotation").exists()


def test_huge_and_empty_values(settings):
    huge = "X" * 300_000
    big = written_under(settings, OLD, id_document_number=huge)
    empty = written_under(settings, OLD, id_document_number="")
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, [OLD]

    code, out, _err = run("rotate")

    assert code == 0 and line_of(out, NUMBER_COLUMN).startswith(
        f"{NUMBER_COLUMN}: 1 value(s) rewritten")
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert Volunteer.objects.get(pk=big.pk).id_document_number == huge
    assert number(empty) == "" and Volunteer.objects.get(pk=empty.pk).id_document_number == ""


def test_a_totp_secret_in_clear_is_counted_then_sealed_and_the_sign_in_still_works(
        settings, client):
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = OLD, []
    user = UserFactory(username="awa", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    legacy = TOTPDevice.objects.create(user=UserFactory(), name="phone")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE otp_totp_totpdevice SET " + connection.ops.quote_name("key")
                       + " = %s WHERE id = %s", [SECRET, legacy.pk])
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW, [OLD]

    assert line_of(run("check")[1], "otp_totp.TOTPDevice.key") == (
        "otp_totp.TOTPDevice.key: 0 readable with the current key, 1 only with an old key, "
        "0 with no key, 1 not encrypted.")
    assert run("rotate")[0] == 0
    settings.FIELD_ENCRYPTION_OLD_KEYS = []

    assert stored("otp_totp_totpdevice", "key", legacy.pk).startswith("v1$")
    assert TOTPDevice.objects.get(pk=legacy.pk).key == SECRET
    client.post("/accounts/login/", {"username": "awa", "password": "pass-word-123"})
    response = client.post("/accounts/two-factor/verify/",
                           {"code": totp_code(TOTPDevice.objects.get(pk=device.pk))})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200


@pytest.mark.parametrize("args", [["encryption"], ["encryption", "rotate", "--batch-size", "0"],
                                  ["encryption", "turn"]])
def test_usage_errors_exit_2(args):
    result = subprocess.run([RECIPROCITY, *args], capture_output=True, text=True)

    assert result.returncode == 2, result.stderr


def test_the_old_keys_setting_is_a_comma_separated_list(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "RECIPROCITY_VAR_DIR": str(tmp_path),
           "FIELD_ENCRYPTION_OLD_KEYS": " first-old-key , ,second-old-key,"}
    code = "import reciprocity.settings as s; print(s.FIELD_ENCRYPTION_OLD_KEYS)"

    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    assert result.stdout.strip() == "['first-old-key', 'second-old-key']", result.stderr
