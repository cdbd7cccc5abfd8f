"""The menu's cached per-user summary: no query when warm, the same queries whatever the data,
one user's counters never shown to another, and fresh after the writes it reads."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.conversations.services import message_post, thread_for_placement
from reciprocity.navigation import entries_for, menu_summary
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _menu_cache_on(settings):  # type: ignore[no-untyped-def]
    settings.MENU_CACHE_SECONDS = 600
    cache.clear()


def read_menu(user) -> tuple[set[str], int]:  # type: ignore[no-untyped-def]
    """What a page's header reads (one summary: navigation.site_header and `menu_keys`): the
    entries' keys and the unread count."""
    summary = menu_summary(user)
    return {entry.key for entry in entries_for(summary["facts"])}, int(summary["unread"])


def host_officer_with_messages(n: int):  # type: ignore[no-untyped-def]
    """An officer of a host whose n placements' threads each hold a volunteer's message."""
    host = OrganisationFactory(is_host=True, is_sending=False)
    officer = MembershipFactory(organisation=host, role=MembershipRole.OFFICER).user
    for _ in range(n):
        placement = PlacementFactory(mission__host=host)
        author = UserFactory()
        placement.volunteer.user = author
        placement.volunteer.save(update_fields=["user"])
        message_post(thread=thread_for_placement(placement=placement), author=author, text="Hi",
                     now=timezone.now())
    return officer


def test_a_warm_menu_reads_no_query(django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    officer = host_officer_with_messages(2)
    cold = read_menu(officer)

    with django_assert_max_num_queries(2):
        warm = read_menu(officer)

    assert warm == cold
    assert cold[1] == 2 and "my_missions" in cold[0]


def test_the_cold_menu_reads_as_many_queries_whatever_the_data():  # type: ignore[no-untyped-def]
    small = host_officer_with_messages(1)
    large = host_officer_with_messages(12)
    for _ in range(5):  # more organisations too
        MembershipFactory(user=large, role=MembershipRole.ADMIN)
    counts = []
    for user in (small, large):
        with CaptureQueriesContext(connection) as queries:
            read_menu(user)
        counts.append(len(queries))

    assert counts[1] <= counts[0], counts


def test_a_signed_in_page_reads_its_menu_from_the_cache(client, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    officer = host_officer_with_messages(3)
    client.force_login(officer)
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/notifications/")
    # Session, user, second factor and the page's own count: nothing of the menu's (it read
    # nine before: memberships for each permission, the volunteer, the unread messages).
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "conversations_message"' not in sql and 'FROM "accounts_membership"' not in sql
    assert 'FROM "volunteers_volunteer"' not in sql
    assert len(queries) <= 4, [q["sql"][:80] for q in queries.captured_queries]
    with django_assert_max_num_queries(len(queries)):
        client.get("/notifications/")


def test_one_users_menu_is_never_shown_to_another(client):  # type: ignore[no-untyped-def]
    officer = host_officer_with_messages(2)
    volunteer = VolunteerFactory(user=UserFactory()).user
    client.force_login(officer)
    officer_page = client.get("/notifications/").content.decode()
    assert 'id="unread-messages">2<' in officer_page and 'data-nav="my_missions"' in officer_page

    client.force_login(volunteer)
    page = client.get("/notifications/").content.decode()

    assert "unread-messages" not in page
    assert 'data-nav="my_missions"' not in page and 'data-nav="balance"' not in page
    assert 'data-nav="profile"' in page
    assert read_menu(officer)[1] == 2 and read_menu(volunteer)[1] == 0


def test_an_anonymous_visitor_gets_the_public_menu_after_a_member(client):  # type: ignore[no-untyped-def]
    officer = host_officer_with_messages(1)
    read_menu(officer)

    assert read_menu(AnonymousUser()) == ({"missions"}, 0)


def test_a_new_message_and_reading_it_show_on_the_next_page(client, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    officer = host_officer_with_messages(1)
    placement = PlacementFactory(mission__host=officer.memberships.get().organisation)
    author = UserFactory()
    placement.volunteer.user = author
    placement.volunteer.save(update_fields=["user"])
    assert read_menu(officer)[1] == 1

    with django_capture_on_commit_callbacks(execute=True):
        thread = thread_for_placement(placement=placement)
        message_post(thread=thread, author=author, text="Hello", now=timezone.now())
    assert read_menu(officer)[1] == 2

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/conversations/{thread.pk}/")
    assert read_menu(officer)[1] == 1


def test_a_message_recomputes_its_readers_menus_only(django_capture_on_commit_callbacks, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    officer = host_officer_with_messages(1)
    host = officer.memberships.get().organisation
    viewer = MembershipFactory(organisation=host, role=MembershipRole.VIEWER).user
    elsewhere = host_officer_with_messages(1)  # an officer of another host
    staff_reader = UserFactory(is_staff=True)
    placement = PlacementFactory(mission__host=host)
    author = UserFactory()
    placement.volunteer.user = author
    placement.volunteer.save(update_fields=["user"])
    thread = thread_for_placement(placement=placement)
    with django_capture_on_commit_callbacks(execute=True):
        message_post(thread=thread, author=staff_reader, text="Staff here", now=timezone.now())
    for user in (officer, viewer, elsewhere, staff_reader, author):
        read_menu(user)

    with django_capture_on_commit_callbacks(execute=True):
        message_post(thread=thread, author=author, text="Hello", now=timezone.now())

    # The host's members and the staff member who wrote in the thread see the new message...
    assert read_menu(officer)[1] == 3 and read_menu(viewer)[1] == 3
    assert read_menu(staff_reader)[1] == 1
    # ...the officer of another host still reads a warm menu (no query for it).
    with django_assert_max_num_queries(2):
        assert read_menu(elsewhere)[1] == 1


def test_a_membership_or_an_organisations_kind_changes_the_menu(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    user = UserFactory()
    assert "balance" not in read_menu(user)[0]

    with django_capture_on_commit_callbacks(execute=True):
        membership = MembershipFactory(user=user, role=MembershipRole.OFFICER,
                                       organisation=OrganisationFactory(is_host=False))
    keys = read_menu(user)[0]
    assert "balance" in keys and "my_missions" not in keys

    with django_capture_on_commit_callbacks(execute=True):
        membership.organisation.is_host = True
        membership.organisation.save()
    assert "my_missions" in read_menu(user)[0]

    with django_capture_on_commit_callbacks(execute=True):
        membership.delete()
    assert "balance" not in read_menu(user)[0]


def test_a_volunteer_record_shows_the_profile_entry(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    user = UserFactory()
    assert "profile" not in read_menu(user)[0]

    with django_capture_on_commit_callbacks(execute=True):
        VolunteerFactory(user=user)

    assert "profile" in read_menu(user)[0]


def test_nothing_is_cached_when_the_setting_is_off(settings, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    settings.MENU_CACHE_SECONDS = 0
    user = UserFactory()
    read_menu(user)
    MembershipFactory(user=user)  # no commit, no bump: only a live read can see it

    assert "balance" in read_menu(user)[0]
