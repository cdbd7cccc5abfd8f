"""The catalogue's cached results: shared by every reader, listed anew after a mission changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.missions import caching, services
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.conftest import TODAY, sc_data
from reciprocity.missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("missions:list")


@pytest.fixture
def cached(settings):  # type: ignore[no-untyped-def]
    settings.CATALOGUE_CACHE_SECONDS = 600
    cache.clear()


def listed(client) -> str:  # type: ignore[no-untyped-def]
    return client.get(LIST).content.decode()


def test_publishing_and_editing_are_listed_at_once(client, cached, host, officer, sc_rules,
                                                   django_capture_on_commit_callbacks):
    MissionFactory(title="Already there")
    draft = services.mission_create(actor=officer, host=host, data=sc_data(title="Fresh draft"),
                                    today=TODAY)
    assert "Already there" in listed(client) and "Fresh draft" not in listed(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_publish(mission=draft, actor=officer, today=TODAY)
    assert "Fresh draft" in listed(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_update(mission=draft, actor=officer, data=sc_data(title="Renamed"),
                                today=TODAY)
    page = listed(client)
    assert "Renamed" in page and "Fresh draft" not in page
    with django_capture_on_commit_callbacks(execute=True):
        services.mission_close(mission=draft, actor=officer)
    assert "Renamed" not in listed(client)


def test_a_change_outside_the_services_is_listed_too(client, cached,
                                                     django_capture_on_commit_callbacks):
    mission = MissionFactory(title="Before the admin")
    assert "Before the admin" in listed(client)
    mission.title = "After the admin"
    with django_capture_on_commit_callbacks(execute=True):
        mission.save()
    assert "After the admin" in listed(client)
    with django_capture_on_commit_callbacks(execute=True):
        mission.delete()
    assert "After the admin" not in listed(client)


def test_a_cached_page_reads_no_mission_and_is_the_same_for_everyone(client, cached):
    MissionFactory(title="Shared")
    anonymous = listed(client)
    with CaptureQueriesContext(connection) as queries:
        again = listed(client)
    assert not any("missions_mission" in q["sql"] for q in queries.captured_queries)
    # (the page around the results holds a fresh CSRF token each time)
    assert again[again.index("<table"):] == anonymous[anonymous.index("<table"):]
    client.force_login(UserFactory())
    assert "Shared" in listed(client)


def test_a_draft_is_never_in_the_shared_results(client, cached, host):
    MissionFactory(title="Their draft", host=host, status=MissionStatus.DRAFT)
    assert "Their draft" not in listed(client)


def test_page_links_carry_the_valid_filters_only(client, cached):
    for n in range(30):
        MissionFactory(title=f"Lyon {n}", city="Lyon")
    html = client.get(LIST, {"q": "Lyon", "utm": "x", "country": "??"}).content.decode()
    results = html[html.index('<table class="missions">'):]
    assert 'href="?q=Lyon&amp;page=2"' in results
    assert "utm" not in results


def test_filters_page_and_language_are_in_the_key(cached):
    assert caching.key_for({"page": 1}) != caching.key_for({"page": 2})
    with translation.override("fr"):
        french = caching.key_for({"page": 1})
    assert french != caching.key_for({"page": 1})


def test_a_warm_catalogue_builds_no_form_and_reads_nothing(client, cached):
    MissionFactory(title="Warm")
    first = client.get(LIST, {"q": "Warm", "page": "1"}).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST, {"page": "1", "q": "Warm"}).content.decode()  # same filters
    assert queries.captured_queries == []  # not the schemes and programmes of the pickers either
    def body(html: str) -> str:  # (the page around it holds a fresh CSRF token each time)
        return html[html.index('<form method="get" class="filters"'):html.index("</table>")]

    assert body(again) == body(first) and "Warm" in body(again)


def test_the_raw_query_string_is_in_the_key(client, cached):
    """Invalid filters are reported, and the export links keep the query string as it came."""
    MissionFactory(title="Kept")
    bad = client.get(LIST, {"date_from": "2027-13-45", "utm": "x"}).content.decode()
    assert 'role="alert"' in bad and "utm=x" in bad
    good = client.get(LIST).content.decode()
    assert 'role="alert"' not in good and "utm=x" not in good


def test_a_new_scheme_or_a_renamed_host_is_shown_at_once(client, cached,
                                                         django_capture_on_commit_callbacks):
    from reciprocity.schemes.models import Scheme

    mission = MissionFactory(title="Hosted")
    assert "Old host name" not in listed(client)
    host = mission.host
    host.name = "Old host name"
    with django_capture_on_commit_callbacks(execute=True):
        host.save()
    assert "Old host name" in listed(client)
    scheme = Scheme.objects.first()
    assert scheme is not None
    scheme.name_en = "A scheme renamed"
    with django_capture_on_commit_callbacks(execute=True):
        scheme.save()
    assert "A scheme renamed" in listed(client)  # in the table and the scheme picker
