"""The page "API tokens": create (the clear token shown once), list, revoke."""

import datetime

import pytest
from django.urls import reverse

from reciprocity.accounts.models import ApiToken, TokenScope
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/tokens/"


def test_the_page_is_for_signed_in_users_and_linked_from_the_menu(client):
    assert client.get(URL).status_code == 302
    user = UserFactory()
    client.force_login(user)
    assert reverse("accounts:tokens") in client.get("/").content.decode()
    page = client.get(URL)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    # A user without organisation cannot create one: a token acts for an organisation.
    assert 'id="token-form"' not in page.content.decode()


def test_a_member_creates_a_token_and_sees_it_once(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    form = client.get(URL).content.decode()
    assert 'value="2027-02-24"' in form  # the default expiry: today + 90 days
    assert membership.organisation.name in form

    response = client.post(URL, {
        "name": "nightly sync", "organisation": membership.organisation.pk,
        "scope": TokenScope.READ_WRITE, "expires_on": "2027-01-31",
    })
    assert response.status_code == 200, response.content
    token = ApiToken.objects.get(user=membership.user)
    key = response.context["new_key"]
    assert token.key_hash == ApiToken.hash(key) and token.scope == TokenScope.READ_WRITE
    assert token.organisation == membership.organisation
    body = response.content.decode()
    assert key in body and "shown only once" in body
    # The list shows the prefix only; the clear token never again.
    again = client.get(URL).content.decode()
    assert key not in again and f"{token.prefix}…" in again and "nightly sync" in again
    assert "never" in again  # not used yet
    assert client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {key}"}
                      ).status_code == 200


def test_the_form_refuses_someone_elses_organisation_and_a_far_expiry(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    for data in (
        {"organisation": OrganisationFactory().pk, "expires_on": "2027-01-31"},
        {"organisation": membership.organisation.pk, "expires_on": "2028-01-31"},
        {"organisation": "", "expires_on": "2027-01-31"},
    ):
        response = client.post(URL, {"name": "x", "scope": TokenScope.READ, **data})
        assert response.status_code == 400
        assert not response.context["new_key"]
    assert not ApiToken.objects.filter(user=membership.user).exists()


def test_staff_may_create_a_platform_wide_token(client):
    staff = StaffFactory()
    client.force_login(staff)
    assert "The whole platform (staff)" in client.get(URL).content.decode()
    response = client.post(URL, {"name": "checks", "organisation": "", "scope": TokenScope.READ,
                                 "expires_on": "2027-02-24"})
    assert response.status_code == 200
    assert ApiToken.objects.get(user=staff).organisation is None


def test_revoke_own_token_only_by_post(client):
    membership = MembershipFactory()
    other = MembershipFactory()
    client.force_login(membership.user)
    client.post(URL, {"name": "a", "organisation": membership.organisation.pk,
                      "scope": TokenScope.READ, "expires_on": "2027-01-31"})
    mine = ApiToken.objects.get(user=membership.user)
    theirs = ApiToken.objects.create(user=other.user, organisation=other.organisation, name="b",
                                     key_hash="f" * 64, prefix="rcp_xxxx")

    assert client.get(reverse("accounts:token_revoke", args=[mine.pk])).status_code == 405
    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("accounts:token_revoke", args=[mine.pk]), follow=True)
    assert response.redirect_chain[-1][0] == URL
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert "revoked" in response.content.decode()


def test_the_revoke_form_carries_a_csrf_token(client):
    membership = MembershipFactory()
    ApiToken.objects.create(user=membership.user, organisation=membership.organisation, name="a",
                            key_hash="e" * 64, prefix="rcp_yyyy",
                            expires_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
    client.force_login(membership.user)
    body = client.get(URL).content.decode()
    assert body.count("csrfmiddlewaretoken") >= 2 and "Revoke" in body


def test_staff_revoke_tokens_in_the_admin_but_cannot_add_one(client):
    membership = MembershipFactory()
    token = ApiToken.objects.create(user=membership.user, organisation=membership.organisation,
                                    name="a", key_hash="d" * 64, prefix="rcp_zzzz")
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    listing = client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200 and "rcp_zzzz" in listing.content.decode()
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
