"""Encrypt the TOTP secrets already in django-otp's table (accounts/two_factor/sealing.py, ADR
0012); reversed, decrypt them back to django-otp's hex. Idempotent both ways: a row already in
the wanted form is left alone. The historical model's `key` is a plain CharField, so these
functions see and write the stored form."""

from django.db import migrations

from reciprocity.accounts.two_factor.sealing import PREFIX, seal, unseal


def seal_keys(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    devices = TOTPDevice.objects.using(schema_editor.connection.alias)
    for pk, key in list(devices.exclude(key__startswith=PREFIX).values_list("pk", "key")):
        devices.filter(pk=pk).update(key=seal(key))


def unseal_keys(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    devices = TOTPDevice.objects.using(schema_editor.connection.alias)
    for pk, key in list(devices.filter(key__startswith=PREFIX).values_list("pk", "key")):
        devices.filter(pk=pk).update(key=unseal(key))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_preferred_language_blank"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(seal_keys, unseal_keys)]
