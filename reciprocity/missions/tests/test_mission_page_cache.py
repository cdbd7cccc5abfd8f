"""The mission page's public part, cached per mission and kind of reader: few queries when
warm, whatever the placements; a manager's part (forms, history, a suspension's reason) never
stored nor shown to another reader; fresh after the mission or its placements change."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.missions.models import MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.schemes.models import SchemeSuspension

pytestmark = pytest.mark.django_db

MANAGE = "Manage this mission"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):  # type: ignore[no-untyped-def]
    settings.MISSION_PAGE_CACHE_SECONDS = 600
    cache.clear()


@pytest.fixture
def mission():  # type: ignore[no-untyped-def]
    return MissionFactory(capacity=5, title="Youth club in Lyon")


def officer_of(mission, role=MembershipRole.OFFICER):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=mission.host, role=role).user


def page(client, mission, user=None) -> str:  # type: ignore[no-untyped-def]
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(f"/missions/{mission.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("placements", [1, 20])
def test_a_warm_page_reads_no_mission_whatever_its_placements(client, mission, placements,  # type: ignore[no-untyped-def]
                                                              django_assert_max_num_queries):
    for _ in range(placements):
        PlacementFactory(mission=MissionFactory(host=mission.host))
    PlacementFactory(mission=mission)
    page(client, mission)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/missions/{mission.pk}/").content.decode()

    assert "Youth club in Lyon" in html and 'id="places-left">4<' in html
    assert not any('FROM "missions_mission"' in q["sql"] for q in queries.captured_queries)
    assert len(queries) <= 1, [q["sql"][:80] for q in queries.captured_queries]


def test_a_signed_in_reader_gets_their_kind_of_page(client, mission):  # type: ignore[no-untyped-def]
    anonymous = page(client, mission)
    reader = page(client, mission, UserFactory())
    anonymous_again = page(client, mission)

    assert "apply-sign-in" in anonymous and "apply-sign-in" in anonymous_again
    assert "apply-sign-in" not in reader and 'id="apply"' in reader


def test_a_managers_part_never_reaches_another_reader(client, mission):  # type: ignore[no-untyped-def]
    SchemeSuspension.objects.create(scheme_id=mission.scheme_id, start=datetime.date(2027, 1, 1),
                                    reason="Budget frozen by the ministry")
    officer = officer_of(mission)

    first = page(client, mission, officer)
    for reader in (None, UserFactory(), officer_of(mission, MembershipRole.VIEWER), None):
        html = page(client, mission, reader)
        assert MANAGE not in html and "Budget frozen" not in html and "suspension" in html
    again = page(client, mission, officer)  # after the others cached theirs

    assert MANAGE in first and "Budget frozen" in first
    assert MANAGE in again and "Budget frozen" in again


def test_another_hosts_officer_does_not_manage_it(client, mission):  # type: ignore[no-untyped-def]
    other = MembershipFactory(role=MembershipRole.ADMIN).user
    page(client, mission)

    assert MANAGE not in page(client, mission, other)


def test_a_placement_changes_the_places_left_on_the_next_page(client, mission,  # type: ignore[no-untyped-def]
                                                              django_capture_on_commit_callbacks):
    assert 'id="places-left">5<' in page(client, mission)

    with django_capture_on_commit_callbacks(execute=True):
        placement = PlacementFactory(mission=mission)
    assert 'id="places-left">4<' in page(client, mission)

    with django_capture_on_commit_callbacks(execute=True):
        placement.delete()
    assert 'id="places-left">5<' in page(client, mission)


def test_an_edited_or_closed_mission_shows_on_the_next_page(client, mission,  # type: ignore[no-untyped-def]
                                                           django_capture_on_commit_callbacks):
    page(client, mission)
    page(client, mission, UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        mission.title = "Youth club in Lyon and Villeurbanne"
        mission.save()
    assert "Villeurbanne" in page(client, mission)

    with django_capture_on_commit_callbacks(execute=True):
        mission.status = MissionStatus.CLOSED
        mission.save()
    client.logout()
    assert client.get(f"/missions/{mission.pk}/").status_code == 404


def test_a_draft_is_never_cached(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    draft = MissionFactory(status=MissionStatus.DRAFT, title="Not yet public")
    viewer = officer_of(draft, MembershipRole.VIEWER)

    assert "Not yet public" in page(client, draft, viewer)
    client.logout()
    assert client.get(f"/missions/{draft.pk}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/missions/{draft.pk}/").status_code == 404


def test_a_suspension_shows_on_every_mission_page(client, mission,  # type: ignore[no-untyped-def]
                                                  django_capture_on_commit_callbacks):
    assert 'id="suspension"' not in page(client, mission)

    with django_capture_on_commit_callbacks(execute=True):
        SchemeSuspension.objects.create(scheme_id=mission.scheme_id,
                                        start=datetime.date(2027, 1, 1), reason="Budget")

    assert 'id="suspension"' in page(client, mission)


def test_a_signed_in_readers_warm_page_reads_no_mission(client, mission, settings):  # type: ignore[no-untyped-def]
    settings.MENU_CACHE_SECONDS = 600
    reader = MembershipFactory(role=MembershipRole.ADMIN).user  # of another organisation
    page(client, mission, reader)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/missions/{mission.pk}/").content.decode()

    assert "Youth club in Lyon" in html and MANAGE not in html
    assert not any('FROM "missions_mission"' in q["sql"] for q in queries.captured_queries)
    # Session, user, second factor, and whether the reader manages the mission's host.
    assert len(queries) <= 4, [q["sql"][:80] for q in queries.captured_queries]
