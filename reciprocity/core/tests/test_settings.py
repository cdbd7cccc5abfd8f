import subprocess
import sys

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
