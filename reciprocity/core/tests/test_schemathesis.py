"""schemathesis over the whole API, in process: every operation of /api/v1/openapi.json, every
check (`--checks all`), on the demo network, once with a platform-staff token and once with a
token of a host organisation's officer. No server error, no response outside the schema, no
undocumented status, no request the schema forbids accepted, no schema-valid request refused
but for the domain refusals `schemathesis.toml` lists (400/409/422, documented per operation).

The run uses the repository's schemathesis.toml, as `schemathesis run` does from the root (see
docs/api.md for the same run against a server). It takes about a minute per token: the
coverage phase sends a few thousand boundary and wrong-type requests, the other phases a few
examples per operation (MAX_EXAMPLES).
"""

import datetime
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
TODAY = datetime.date(2026, 11, 26)
NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)  # the suite's frozen moment
MAX_EXAMPLES = 3
ROLES = ["staff", "host"]  # demo users: platform staff, officer of Maison des Solidarités

schemathesis = pytest.importorskip("schemathesis")


@pytest.fixture(autouse=True)
def _wsgi_transport_without_socket_options(monkeypatch):  # type: ignore[no-untyped-def]
    """schemathesis 4.32 hands socket-level options (max_redirects...) to werkzeug's test client
    when a check sends a request without the run's session (`ignored_auth`), and werkzeug
    refuses them; in process they mean nothing."""
    from schemathesis.transport import wsgi

    original = wsgi.WSGITransport.send

    def send(self, case, *, session=None, **kwargs):  # type: ignore[no-untyped-def]
        if session is None:
            for name in ("max_redirects", "verify", "cert", "proxies"):
                kwargs.pop(name, None)
        return original(self, case, session=session, **kwargs)

    monkeypatch.setattr(wsgi.WSGITransport, "send", send)


def _config(token: str) -> Any:
    from schemathesis.config import SchemathesisConfig

    data = tomllib.loads((ROOT / "schemathesis.toml").read_text())
    data.update({
        "checks": {**data.get("checks", {}), "enabled": True},  # --checks all
        "generation": {"max-examples": MAX_EXAMPLES},
        "headers": {"Authorization": f"Bearer {token}"},
        "workers": 1,
        "seed": 2026,
    })
    return SchemathesisConfig.from_dict(data)


def _run(token: str) -> tuple[list[str], int]:
    from schemathesis.engine import events, from_schema

    from reciprocity.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application,
                                            config=_config(token))
    problems: dict[tuple[str, str, str], str] = {}
    checked = 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            recorder = event.recorder
            for case_id, nodes in recorder.checks.items():
                for node in nodes:
                    checked += 1
                    if node.failure_info is None:
                        continue
                    failure = node.failure_info.failure
                    key = (recorder.label, node.name, failure.title)
                    if key not in problems:
                        response = recorder.find_response(case_id=case_id)
                        answer = ("" if response is None
                                  else f" -> {response.status_code} {response.content[:300]!r}")
                        problems[key] = (node.failure_info.code_sample or "")[:600] + answer
        elif isinstance(event, events.NonFatalError | events.FatalError):
            problems[(getattr(event, "label", "?"), "error", type(event.value).__name__)] = str(
                event.value)[:600]
    return [f"{label} [{check}] {title}: {sample}"
            for (label, check, title), sample in sorted(problems.items())], checked


# Transactional: schemathesis calls the application from its own threads, which see only
# committed rows, and an open test transaction would hold SQLite's table locks against them.
# The database is emptied after the test.
@pytest.mark.fuzz
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_nothing_with_every_check(settings):  # type: ignore[no-untyped-def]
    from reciprocity.demo.services import demo_build, demo_token_create

    demo_build(seed=2026, today=TODAY, now=NOW)
    # Thousands of requests in a minute from one token: the rate limits would answer 429.
    settings.API_RATE_LIMIT_PER_TOKEN = ""
    settings.API_RATE_LIMIT_PER_ADDRESS = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # Placement runs stay queued: the API's contract is the same, and a run's thread would hold
    # the in-memory test database's table locks against the requests that follow.
    settings.MATCHING_RUNNER = "manual"

    found, checked = {}, {}
    for role in ROLES:
        found[role], checked[role] = _run(demo_token_create(username=role, today=TODAY))

    assert all(n > 10_000 for n in checked.values()), f"schemathesis ran almost nothing: {checked}"
    assert found == {role: [] for role in ROLES}
