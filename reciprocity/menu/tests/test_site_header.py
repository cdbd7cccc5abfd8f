"""The header rendered once per person and language (navigation.site_header): each page still
gets its own CSRF token and way back, one person's header is never another's, and it follows
the writes it shows (name, menu entries, unread count)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER_TEMPLATE = "includes/site_header.html"


@pytest.fixture(params=[600, 0], ids=["cached", "uncached"])
def menu_cache(request, settings):  # type: ignore[no-untyped-def]
    settings.MENU_CACHE_SECONDS = request.param
    cache.clear()
    return request.param


def header_of(html: str) -> str:
    return html.split('<header class="site">', 1)[1].split("</header>", 1)[0]


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_person_sees_their_own_header_and_a_working_csrf_token(menu_cache):  # type: ignore[no-untyped-def]
    officer = MembershipFactory(organisation=OrganisationFactory(is_host=True),
                                role=MembershipRole.OFFICER,
                                user=UserFactory(first_name="Awa", last_name="Diallo")).user
    other = UserFactory(first_name="Brice", last_name="Kaboré")
    client, other_client = signed_in(officer), signed_in(other)

    for _ in range(2):  # cold, then warm
        mine = header_of(other_client.get("/missions/").content.decode())
        header = header_of(client.get("/missions/").content.decode())
        assert "Awa Diallo" in header and "Brice" not in header
        assert "Brice Kaboré" in mine and "Awa" not in mine
        assert 'data-nav="my_missions"' in header and 'data-nav="my_missions"' not in mine
        assert "<!--@" not in header

    # The token in the header's sign-out form is this session's: the POST passes the CSRF check.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header)
    assert token is not None
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_language_picker_returns_to_this_page_escaped(menu_cache):  # type: ignore[no-untyped-def]
    client = signed_in(UserFactory())
    client.get("/missions/")
    html = client.get('/missions/?q="><script>x</script>').content.decode()
    way_back = re.search(r'<input name="next" type="hidden" value="([^"]*)"', header_of(html))
    assert way_back is not None
    assert way_back.group(1) == "/missions/?q=%22%3E%3Cscript%3Ex%3C/script%3E"
    assert "<script>x" not in html


def test_a_visitor_gets_the_sign_in_links_and_a_csrf_token(menu_cache):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    for _ in range(2):
        header = header_of(client.get("/missions/").content.decode())
        assert 'id="sign-up-nav"' in header and 'id="account-link"' not in header
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header)
    assert token is not None and "csrftoken" in client.cookies
    response = client.post("/i18n/setlang/", {"csrfmiddlewaretoken": token.group(1),
                                             "language": "fr", "next": "/missions/"})
    assert response.status_code == 302


def test_a_warm_header_is_not_rendered_again_and_follows_a_name_change(  # type: ignore[no-untyped-def]
        settings, django_capture_on_commit_callbacks):
    settings.MENU_CACHE_SECONDS = 600
    cache.clear()
    user = UserFactory(first_name="Awa", last_name="Diallo")
    client = signed_in(user)
    client.get("/missions/")

    warm = client.get("/missions/")
    assert HEADER_TEMPLATE not in [t.name for t in warm.templates]

    user.first_name = "Aminata"
    with django_capture_on_commit_callbacks(execute=True):  # the menu's version moves on commit
        user.save(update_fields=["first_name"])
    renamed = client.get("/missions/")
    assert HEADER_TEMPLATE in [t.name for t in renamed.templates]
    assert "Aminata Diallo" in header_of(renamed.content.decode())


def test_a_name_that_looks_like_a_slot_is_shown_as_typed(menu_cache):  # type: ignore[no-untyped-def]
    client = signed_in(UserFactory(first_name="<!--@csrf-->", last_name="<!--@next-->"))
    header = header_of(client.get("/missions/").content.decode())
    assert "&lt;!--@csrf--&gt; &lt;!--@next--&gt;" in header
