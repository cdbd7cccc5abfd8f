"""E-mail a person trying the platform locally can read: files under var/mail/ when no SMTP
server is configured, SMTP when one is, locmem under the test runner."""

import subprocess
import sys

from django.conf import settings
from django.core import mail

SEND = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "reciprocity.settings"
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
print(settings.EMAIL_BACKEND)
if not os.environ.get("EMAIL_HOST"):
    send_mail("Confirm your address", "Open http://127.0.0.1:8000/confirm/abc", None,
              ["new@example.org"])
"""


def _run(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SEND], env=env, capture_output=True, text=True,
                          timeout=60)


def test_without_an_smtp_server_every_mail_is_a_file_under_var_mail(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "RECIPROCITY_VAR_DIR": str(tmp_path)}

    result = _run(env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.filebased.EmailBackend"
    [written] = list((tmp_path / "mail").iterdir())
    text = written.read_text()
    assert "Subject: Confirm your address" in text
    assert "To: new@example.org" in text
    assert "http://127.0.0.1:8000/confirm/abc" in text


def test_with_an_smtp_server_mail_goes_to_it(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "RECIPROCITY_VAR_DIR": str(tmp_path),
           "EMAIL_HOST": "smtp.example.org"}

    result = _run(env)

    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend", result.stderr
    assert not (tmp_path / "mail").exists()


def test_tests_keep_mail_in_memory():
    mail.send_mail("Hello", "Body", None, ["someone@example.org"])

    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert mail.outbox[-1].subject == "Hello"
