"""TOTP secrets are encrypted at rest in django-otp's column (two_factor/sealing.py, ADR 0012):
a copy of the database does not give anyone's second factor, and everything that reads the
secret (verification, enrolment page, codes) works as before."""

import io
import os
import subprocess
import types

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.accounts.two_factor import sealing
from reciprocity.accounts.two_factor.codes import totp_code
from reciprocity.core.tests.test_backup import RECIPROCITY
from reciprocity.core.tests.test_backup import empty_database as restore_database  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

KEY = connection.ops.quote_name("key")
SECRET = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, in hex


def stored_key(device: TOTPDevice) -> str:
    """What the database holds, read past the model."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {KEY} FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def test_the_column_holds_ciphertext_and_the_model_the_secret():
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone", key=SECRET)

    stored = stored_key(device)

    assert stored.startswith("v1$") and SECRET not in stored and len(stored) <= 80
    assert TOTPDevice.objects.get(pk=device.pk).key == SECRET
    assert TOTPDevice.objects.filter(pk=device.pk).values_list("key", flat=True)[0] == SECRET
    # Two devices with the same secret store different ciphertexts (a fresh nonce each time).
    other = TOTPDevice.objects.create(user=UserFactory(), name="phone", key=SECRET)
    assert stored_key(other) != stored


def test_a_code_of_the_authenticator_app_verifies_and_the_device_stays_encrypted():
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone", confirmed=True)
    fresh = TOTPDevice.objects.get(pk=device.pk)

    assert fresh.verify_token(totp_code(fresh)) is True

    fresh.refresh_from_db()
    assert fresh.key == device.key and fresh.last_t >= 0
    assert stored_key(device).startswith("v1$")
    assert fresh.verify_token("000000") is False


def test_the_second_factor_sign_in_works_with_an_encrypted_secret(client):
    user = UserFactory(username="awa", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "awa", "password": "pass-word-123"})

    response = client.post("/accounts/two-factor/verify/",
                           {"code": totp_code(TOTPDevice.objects.get(pk=device.pk))})

    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200


def test_under_another_key_the_secret_is_refused_loudly_never_read_as_empty(settings):
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone", key=SECRET)
    settings.FIELD_ENCRYPTION_KEY = "another-key-" + "x" * 40

    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        TOTPDevice.objects.get(pk=device.pk)


def test_a_secret_written_before_the_migration_is_read_and_encrypted_at_its_next_save():
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE otp_totp_totpdevice SET {KEY} = %s WHERE id = %s", [SECRET, device.pk])

    legacy = TOTPDevice.objects.get(pk=device.pk)
    assert legacy.key == SECRET
    legacy.save()

    assert stored_key(device).startswith("v1$")
    assert TOTPDevice.objects.get(pk=device.pk).key == SECRET


def test_the_migration_encrypts_existing_rows_and_its_reverse_decrypts_them():
    migration = MigrationLoader(connection).get_migration("accounts", "0007_seal_totp_keys")
    module = __import__(type(migration).__module__, fromlist=["seal_keys"])
    historical = MigrationLoader(connection).project_state(("accounts", "0007_seal_totp_keys")).apps
    editor = types.SimpleNamespace(connection=connection)
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE otp_totp_totpdevice SET {KEY} = %s WHERE id = %s", [SECRET, device.pk])

    module.seal_keys(historical, editor)
    sealed = stored_key(device)
    module.seal_keys(historical, editor)  # twice: nothing changes

    assert sealed.startswith("v1$") and stored_key(device) == sealed
    assert TOTPDevice.objects.get(pk=device.pk).key == SECRET
    module.unseal_keys(historical, editor)
    assert stored_key(device) == SECRET
    module.unseal_keys(historical, editor)
    assert stored_key(device) == SECRET


def test_a_secret_too_long_for_the_column_is_refused():
    with pytest.raises(ValueError):
        sealing.seal("ab" * (sealing.MAX_SECRET_BYTES + 1))
    assert len(sealing.seal("ab" * sealing.MAX_SECRET_BYTES)) <= 80


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_carry_the_ciphertext_readable_with_the_same_key_only(request, tmp_path):
    device = TOTPDevice.objects.create(user=UserFactory(), name="phone", key=SECRET)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    env = {**os.environ, "DATABASE_URL": request.getfixturevalue("restore_database"),
           "MEDIA_ROOT": str(tmp_path / "restored")}
    restored = subprocess.run([RECIPROCITY, "restore", str(archive)], env=env,
                              capture_output=True, text=True)
    assert restored.returncode == 0, restored.stderr
    read = ("from django_otp.plugins.otp_totp.models import TOTPDevice as D; "
            f"print(D.objects.get(pk={device.pk}).key)")

    # The archive holds the ciphertext (the key is not in it): the same key reads the secret...
    same_key = subprocess.run([RECIPROCITY, "shell", "-c", read], env=env, capture_output=True,
                              text=True, check=True)
    assert same_key.stdout.strip().splitlines()[-1] == SECRET
    # ...and another one cannot.
    other_key = subprocess.run([RECIPROCITY, "shell", "-c", read], capture_output=True, text=True,
                               env={**env, "FIELD_ENCRYPTION_KEY": "another-" + "k" * 40})
    assert other_key.returncode != 0 and "FIELD_ENCRYPTION_KEY" in other_key.stderr
