import re
import subprocess
import sys

import pytest

from reciprocity.core.fields import mask
from reciprocity.settings import database_from_url


def test_database_url_forms():
    assert database_from_url("sqlite:////tmp/x.db")["NAME"] == "/tmp/x.db"
    assert database_from_url("sqlite:///rel.db")["NAME"] == "rel.db"
    pg = database_from_url("postgres://u:p%40ss@db.example:5433/recip")
    assert pg["ENGINE"].endswith("postgresql")
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u", "p@ss", "db.example", "5433", "recip"
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {"RECIPROCITY_ENV": "production", "PATH": "/usr/bin:/bin", "RECIPROCITY_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "import reciprocity.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_local_secret_key_is_generated_once_and_kept(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "RECIPROCITY_VAR_DIR": str(tmp_path)}
    code = "import reciprocity.settings as s; print(s.SECRET_KEY)"
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.stdout.strip() and first.stdout == second.stdout
    assert (tmp_path / "secret_key").read_text().strip() == first.stdout.strip()


def test_mask_hides_all_but_the_end():
    assert mask("AB1234567") == "••••••567"
    assert mask("") == ""


# --- production secrets and static files ------------------------------------------------------

STRONG_SECRET = "k3Y-" + "aZ9_qW8eR7tY6uI5oP4" * 3   # 61 characters, many distinct
STRONG_FIELD_KEY = "f1eLd-" + "Xc8Vb7Nm6Lk5Jh4" * 2    # 36 characters


def _production_env(tmp_path, **overrides: str) -> dict[str, str]:
    env = {
        "PATH": "/usr/bin:/bin", "RECIPROCITY_ENV": "production",
        "RECIPROCITY_VAR_DIR": str(tmp_path), "SECRET_KEY": STRONG_SECRET,
        "FIELD_ENCRYPTION_KEY": STRONG_FIELD_KEY, "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import reciprocity.settings"], env=env,
                          capture_output=True, text=True)


@pytest.mark.parametrize("weak", [
    "short-but-random-Zx8",                      # < 50 characters
    "ab" * 40,                                   # 80 characters, 2 distinct
    "abcd" * 20,                                 # 4 distinct
    "django-insecure-" + "q1w2e3r4t5y6u7i8o9p0" * 3,
])
def test_production_refuses_a_weak_secret_key(tmp_path, weak):
    result = _import_settings(_production_env(tmp_path, SECRET_KEY=weak))
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_requires_its_own_field_encryption_key(tmp_path):
    missing = _import_settings(_production_env(tmp_path, FIELD_ENCRYPTION_KEY=""))
    assert missing.returncode != 0 and "FIELD_ENCRYPTION_KEY must be set" in missing.stderr
    weak = _import_settings(_production_env(tmp_path, FIELD_ENCRYPTION_KEY="aaaa" * 10))
    assert weak.returncode != 0 and "FIELD_ENCRYPTION_KEY is too weak" in weak.stderr
    same = _import_settings(_production_env(tmp_path, FIELD_ENCRYPTION_KEY=STRONG_SECRET))
    assert same.returncode != 0 and "must differ from SECRET_KEY" in same.stderr
    good = _import_settings(_production_env(tmp_path))
    assert good.returncode == 0, good.stderr


def test_local_mode_accepts_any_key_and_keeps_reading_its_numbers(tmp_path):
    # Locally nothing is required: the generated key encrypts the demo's numbers as before.
    env = {"PATH": "/usr/bin:/bin", "RECIPROCITY_VAR_DIR": str(tmp_path), "SECRET_KEY": "dev"}
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='reciprocity.settings'; "
            "django.setup(); from reciprocity.core.fields import _cipher; "
            "print(_cipher().decrypt(_cipher().encrypt(b'AB123')).decode())")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "AB123", result.stderr


# Requests a page and its style sheet in production mode (DEBUG off, as behind the proxy).
SERVE = """
import os, re
os.environ["DJANGO_SETTINGS_MODULE"] = "reciprocity.settings"
import django
django.setup()
from django.conf import settings
from django.test import Client
assert not settings.DEBUG
client = Client(raise_request_exception=False)
page = client.get("/accounts/login/", secure=True)
print("page", page.status_code)
css = re.search(r'href="(/static/css/reciprocity[^"]*\\.css)"', page.content.decode()).group(1)
print("css", css)
sheet = client.get(css, secure=True)
print("sheet", sheet.status_code)
"""


def _serve(env: dict[str, str]) -> dict[str, str]:
    result = subprocess.run([sys.executable, "-c", SERVE], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_production_serves_pages_and_hashed_static_files_after_collectstatic(tmp_path):
    env = _production_env(tmp_path)
    # The big vendored files are left out: compressing them takes minutes, and the page under
    # test does not use them.
    ignore = [arg for pattern in ("vendor", "admin", "ninja") for arg in ("--ignore", pattern)]
    collect = subprocess.run([sys.executable, "-m", "reciprocity.manage", "collectstatic",
                              "--noinput", "-v0", *ignore], env=env, capture_output=True,
                             text=True, timeout=300)
    assert collect.returncode == 0, collect.stderr[-3000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()

    served = _serve(env)

    assert served["page"] == "200"
    assert re.fullmatch(r"/static/css/reciprocity\.[0-9a-f]{12}\.css", served["css"])
    assert served["sheet"] == "200"


def test_production_serves_pages_before_collectstatic(tmp_path):
    # The manifest is missing: the page still answers, with the plain addresses served from
    # the package (this answered 500 before).
    served = _serve(_production_env(tmp_path))

    assert served["page"] == "200"
    assert served["css"] == "/static/css/reciprocity.css"
    assert served["sheet"] == "200"


def test_deploy_checks_pass_under_production_settings(tmp_path):
    # The same command as .ci/run: every warning of `check --deploy` is fixed by a setting.
    env = _production_env(tmp_path, ALLOWED_HOSTS="example.org", DATABASE_URL=None)
    result = subprocess.run(
        [sys.executable, "-m", "reciprocity.manage", "check", "--deploy", "--fail-level",
         "WARNING"], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "no issues" in result.stdout
