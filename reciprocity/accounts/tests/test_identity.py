"""The signed-in user kept by the process between requests (accounts/identity.py): no user,
device or membership query on a warm page, and every write that matters to the session's checks
(password, deactivation, a removed device, a new membership) seen at the next request."""

import pickle

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from reciprocity.accounts import identity
from reciprocity.accounts.backends import DJANGO_MODEL_BACKEND, MODEL_BACKEND
from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.selectors import member_organisation_ids
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"
IDENTITY_TABLES = ('"accounts_user"', '"otp_totp_totpdevice"', '"otp_static_staticdevice"',
                   '"accounts_membership"')


@pytest.fixture(autouse=True)
def _identity_on(settings):  # type: ignore[no-untyped-def]
    settings.IDENTITY_CACHE_SECONDS = 300
    cache.clear()
    identity.forget_all()
    yield
    identity.forget_all()


def identity_queries(client: Client, url: str = PAGE) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries
            if any(f"FROM {table}" in q["sql"] for table in IDENTITY_TABLES)]


def administrator():  # type: ignore[no-untyped-def]
    """An organisation's administrator: the second factor is mandatory for them."""
    return MembershipFactory(organisation=OrganisationFactory(is_host=True),
                             role=MembershipRole.ADMIN).user


def test_a_warm_page_reads_no_user_device_or_membership(settings):  # type: ignore[no-untyped-def]
    settings.MENU_CACHE_SECONDS = 600  # the menu's own reads of memberships: cached too
    client = Client()
    client.force_login(administrator())
    assert identity_queries(client)  # cold: the row, the devices, the organisations
    assert identity_queries(client) == []

    settings.IDENTITY_CACHE_SECONDS = 0  # off (no shared cache): Django's and django-otp's queries
    assert len(identity_queries(client)) >= 2


def change_password(user) -> None:  # type: ignore[no-untyped-def]
    user.set_password("another-pass-word-456")
    user.save()


def deactivate(user) -> None:  # type: ignore[no-untyped-def]
    user.is_active = False
    user.save(update_fields=["is_active"])


def remove_device(user) -> None:  # type: ignore[no-untyped-def]
    TOTPDevice.objects.filter(user=user).get().delete()


def unconfirm_device(user) -> None:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.get(user=user)
    device.confirmed = False
    device.save()


@pytest.mark.parametrize(("change", "sent_to"), [
    (change_password, "/accounts/login/"),  # Django's session hash no longer matches
    (deactivate, "/accounts/login/"),
    (remove_device, "two-factor"),  # django-otp refuses the session's device
    (unconfirm_device, "two-factor"),
], ids=["password changed", "deactivated", "device removed", "device unconfirmed"])
def test_a_change_elsewhere_takes_effect_at_the_next_request(  # type: ignore[no-untyped-def]
        change, sent_to, django_capture_on_commit_callbacks):
    user = administrator()  # the second factor is mandatory for them
    client = Client()
    client.force_login(user)
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200  # warm: from the copy
    with django_capture_on_commit_callbacks(execute=True):
        change(user)
    response = client.get(PAGE)
    assert response.status_code == 302 and sent_to in response["Location"]


def test_a_new_membership_counts_at_the_next_request(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.get(PAGE)
    loaded = identity.cached_user(user.pk, lambda: pytest.fail("should be the copy"))
    assert member_organisation_ids(loaded) == set()
    with django_capture_on_commit_callbacks(execute=True):
        membership = MembershipFactory(user=user, role=MembershipRole.OFFICER)
    fresh = identity.cached_user(user.pk, lambda: type(user).objects.get(pk=user.pk))
    assert member_organisation_ids(fresh) == {membership.organisation_id}
    # Asked for the organisations where they may write, the query runs (roles are not kept).
    assert member_organisation_ids(fresh, writable=True) == {membership.organisation_id}


def test_each_request_gets_its_own_copy_and_each_person_their_own() -> None:
    first, second = UserFactory(first_name="Awa"), UserFactory(first_name="Brice")
    load_first = lambda: type(first).objects.get(pk=first.pk)  # noqa: E731
    one = identity.cached_user(first.pk, load_first)
    one.scribbled = "set during a request"
    two = identity.cached_user(first.pk, load_first)
    assert two is not one and not hasattr(two, "scribbled")
    other = identity.cached_user(second.pk, lambda: type(second).objects.get(pk=second.pk))
    assert (two.first_name, other.first_name) == ("Awa", "Brice")


def test_the_shared_cache_holds_no_password_hash_or_device_secret() -> None:
    user = administrator()
    client = Client()
    client.force_login(user)
    client.get(PAGE)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=user)
    stored = b"".join(pickle.dumps(value) for value in cache._cache.values())  # type: ignore[attr-defined]
    assert user.password.encode() not in stored
    assert device.key.encode() not in stored


def test_a_session_signed_in_before_the_upgrade_stays_signed_in() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user, backend=DJANGO_MODEL_BACKEND)
    session = client.session
    assert session[BACKEND_SESSION_KEY] == DJANGO_MODEL_BACKEND
    assert client.get(PAGE).status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == MODEL_BACKEND
    assert client.get(PAGE).status_code == 200
