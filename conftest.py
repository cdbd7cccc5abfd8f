"""Test-wide set-up: a frozen clock, browser launch options and the fast password hasher."""

import os
import shutil

# Playwright's sync API leaves an event loop running in the main thread; Django's ORM would
# then refuse later database calls in the same session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import datetime  # noqa: E402

import hypothesis  # noqa: E402
import pytest  # noqa: E402
import time_machine  # noqa: E402

# Property tests check results, never speed: on a loaded machine (CI, or two cores shared by
# pytest-xdist workers) Hypothesis' 200 ms deadline per example and its "input generation is
# slow" health check fail tests whose code is right. Speed is the benchmarks' (bench/).
hypothesis.settings.register_profile(
    "reciprocity", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("reciprocity")

# Every test runs at this instant (the clock then ticks on from it), whatever the machine's date:
# the fixtures and expectations were written for it, and `faketime -f +1500d make test-fast`
# proves that nothing reads the real clock. A test that needs another day travels itself.
TEST_NOW = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)

# No SQL statement of a test waits or runs longer than this on PostgreSQL: a query planned on
# stale statistics ran for more than an hour on CI (stop 22, core/planner.py) and the whole
# suite hit CI's limit with no failure to read. Now such a test fails, named, and the suite goes
# on (pytest-timeout's limit in pyproject.toml is the backstop for waits outside the database).
TEST_STATEMENT_TIMEOUT = "120s"


def _statement_timeout(sender, connection, **kwargs):  # type: ignore[no-untyped-def]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)",
                           [TEST_STATEMENT_TIMEOUT])


def pytest_configure(config: pytest.Config) -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(_statement_timeout, dispatch_uid="tests-statement-timeout")


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage",
]


def browser_unavailable_reason() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = browser_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Browser tests cannot run in CI: {reason}")
    skip = pytest.mark.skip(reason=f"browser test skipped: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _frozen_clock() -> object:
    with time_machine.travel(TEST_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """Every test starts in the default language. LocaleMiddleware activates the language of a
    request in the thread and never deactivates it, so a test that asked for a French page would
    otherwise leave French behind for whichever test the process runs next."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` signs in as far as a page needs: for staff and organisation
    administrators (and anyone with an enrolled app), the second factor too, with an app
    enrolled if they had none. Tests of the second factor itself sign in with the form, or call
    `client.force_login(user, two_factor=False)`."""
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None, *, two_factor=True):  # type: ignore[no-untyped-def]
        original(self, user, backend)
        if two_factor:
            from reciprocity.accounts.tests.two_factor import pass_second_factor

            pass_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploaded and staged files go to the test's own folder, never to the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_hasher(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _api_rate_limits_off(settings) -> None:  # type: ignore[no-untyped-def]
    """The API's rate limits count in the cache, which every test of a process shares: off by
    default, on in the tests of the limits (core/tests/test_rate_limits.py)."""
    settings.API_RATE_LIMIT_PER_TOKEN = "0"  # noqa: S105 (not a secret)
    settings.API_RATE_LIMIT_PER_ADDRESS = "0"
    # Same for the sign-up's and password reset's limits (accounts/tests/test_rate_limits.py).
    settings.ACCOUNT_RATE_LIMIT_PER_EMAIL = "0"
    settings.ACCOUNT_RATE_LIMIT_PER_IP = "0"


@pytest.fixture(autouse=True)
def _schemes_exist(request: pytest.FixtureRequest) -> None:
    """The four schemes come from a data migration, which transactional tests flush away:
    put them back before every database test so test order never matters."""
    marker = request.node.get_closest_marker("django_db")
    # A test may reach the database through a fixture asking for `db` without the marker
    # (planning's `network(db)`): its rows need the schemes as much (PostgreSQL checks the
    # foreign keys at teardown, and a failed teardown leaves Django's per-test database guards
    # installed for every later test of the process).
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db"}:
        return
    transactional = (marker is not None and marker.kwargs.get("transaction", False)) or (
        "transactional_db" in names)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from reciprocity.schemes.models import Scheme, SchemeCode

    for code, label in SchemeCode.choices:
        Scheme.objects.get_or_create(code=code, defaults={"name_en": str(label), "name_fr": str(label)})
    # So do the visa refusal grounds (data, seeded by procedures' migration 0003).
    import importlib

    from django.apps import apps

    importlib.import_module("reciprocity.procedures.migrations.0003_visa_outcomes").seed_grounds(
        apps, None)


@pytest.fixture(autouse=True)
def _reads_on_primary(request: pytest.FixtureRequest, settings) -> None:  # type: ignore[no-untyped-def]
    """With DATABASE_REPLICA_URL set (CI), the `replica` alias mirrors the test database through
    another connection, which sees nothing of a test's uncommitted transaction: every test reads
    the primary, bar those marked `replica` (core/db_routing.py, docs/scaling.md)."""
    if not request.node.get_closest_marker("replica"):
        settings.REPLICA_DATABASE = ""


@pytest.fixture(autouse=True)
def _tasks_in_process(request: pytest.FixtureRequest, settings) -> object:  # type: ignore[no-untyped-def]
    """Celery tasks run eagerly and the cache is per process, even when REDIS_URL is set (CI):
    tests expect their e-mails in mail.outbox and their runs finished, and parallel test
    processes must not share counters. Only tests marked `redis` use the real Redis and worker."""
    if request.node.get_closest_marker("redis"):
        yield
        return
    from reciprocity.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    if settings.REDIS_URL:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        settings.REDIS_URL = ""
        settings.MATCHING_RUNNER = "thread"
        # A test's ledger writes never commit, so they could not make cached figures stale;
        # tests of the cache turn it on themselves (balance/tests/test_caching.py).
        settings.BALANCE_CACHE_SECONDS = 0
        # The same for the catalogue's rendered results (missions/tests turn it on themselves).
        settings.CATALOGUE_CACHE_SECONDS = 0
        # And for the menu's and the mission page's (menu/ and missions/ tests turn them on).
        settings.MENU_CACHE_SECONDS = 0
        settings.MISSION_PAGE_CACHE_SECONDS = 0
        # And for the signed-in user's copies (accounts/tests/test_identity.py turns them on):
        # a rolled-back test's user id may come back as another person in the next test.
        settings.IDENTITY_CACHE_SECONDS = 0
    yield
    app.conf.task_always_eager = eager
