"""Settings driven by the environment: replica, sessions, cache, storage, logs, metrics."""

import json
import subprocess
import sys

CODE = """
import json, reciprocity.settings as s
print(json.dumps({
    "databases": sorted(s.DATABASES), "replica": s.DATABASES.get("replica"),
    "replica_alias": s.REPLICA_DATABASE, "routers": s.DATABASE_ROUTERS,
    "session": s.SESSION_ENGINE, "cache": s.CACHES["default"]["BACKEND"] if hasattr(s, "CACHES") else None,
    "storage": s.STORAGES["default"], "log_format": s.LOG_FORMAT,
    "formatter": s.LOGGING["handlers"]["console"]["formatter"],
    "metrics": [s.METRICS_ALLOWED_IPS, s.METRICS_TOKEN],
}, default=str))
"""
PRODUCTION = {"RECIPROCITY_ENV": "production", "SECRET_KEY": "k" * 40 + "abcdefghij1234567890",
              "FIELD_ENCRYPTION_KEY": "f" * 30 + "0123456789"}


def load(tmp_path, **env: str) -> dict:  # type: ignore[no-untyped-def]
    base = {"PATH": "/usr/bin:/bin", "RECIPROCITY_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", CODE], env={**base, **env},
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_local_defaults_need_no_service(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = load(tmp_path)
    assert s["databases"] == ["default"] and s["replica_alias"] == ""
    assert s["session"] == "django.contrib.sessions.backends.db"
    assert s["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert s["log_format"] == "text" and s["formatter"] == "text"
    assert s["metrics"] == ["", ""]


def test_production_with_redis_replica_and_bucket(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = load(tmp_path, **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/0",
             DATABASE_URL="postgres://app:pw@db1:5432/reciprocity",
             DATABASE_REPLICA_URL="postgres://app:pw@db2:5432/reciprocity",
             AWS_STORAGE_BUCKET_NAME="reciprocity-media", AWS_S3_ENDPOINT_URL="https://s3.example.org")
    assert s["databases"] == ["default", "replica"] and s["replica_alias"] == "replica"
    assert s["replica"]["HOST"] == "db2" and s["replica"]["TEST"] == {"MIRROR": "default"}
    assert s["routers"] == ["reciprocity.core.db_routing.ReplicaRouter"]
    assert s["session"] == "django.contrib.sessions.backends.cached_db"
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert s["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s["storage"]["OPTIONS"]
    assert options["bucket_name"] == "reciprocity-media" and options["default_acl"] is None
    assert options["endpoint_url"] == "https://s3.example.org" and options["file_overwrite"] is False
    assert s["log_format"] == "json" and s["formatter"] == "json"


def test_production_without_redis_keeps_sessions_in_the_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = load(tmp_path, **PRODUCTION, S3_BUCKET="other-bucket", LOG_FORMAT="text")
    # A per-process cache would keep a signed-out session alive in the other web processes.
    assert s["session"] == "django.contrib.sessions.backends.db"
    assert s["storage"]["OPTIONS"]["bucket_name"] == "other-bucket"
    assert s["formatter"] == "text"

