"""Refusals and errors answer in the site's layout, in the visitor's language, with a way back."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.views import defaults

from reciprocity.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LAYOUT = '<header class="site">'
HOME_LINK = 'id="error-home-link"'


def test_the_tests_run_with_debug_off_as_production_does():
    assert settings.DEBUG is False


def test_an_unknown_address_answers_404_in_the_layout(client):
    response = client.get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in body and HOME_LINK in body
    assert 'id="error-404"' in body


def test_the_404_page_speaks_the_visitors_language(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404
    assert '<html lang="fr">' in response.content.decode()


def test_a_refusal_answers_403_in_the_layout_with_its_reason(client):
    client.force_login(UserFactory())

    response = client.get("/procedures/rules/")

    body = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in body and HOME_LINK in body
    assert "Only platform staff may see and change the rules." in body
    assert "ask an administrator of your organisation" in body


def test_a_bad_request_answers_400_in_the_layout():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    response = defaults.bad_request(request, SuspiciousOperation("bad"))

    body = response.content.decode()
    assert response.status_code == 400
    assert LAYOUT in body and 'id="error-400"' in body and HOME_LINK in body


def test_a_server_error_answers_500_in_the_layout(monkeypatch):
    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the home page broke")

    monkeypatch.setattr("reciprocity.home.views.home_summary", broken)
    client = Client(raise_request_exception=False)

    response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in body and 'id="error-500"' in body and HOME_LINK in body
    assert "the home page broke" not in body


def test_the_500_page_needs_no_request_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        body = render_to_string("500.html")

    assert 'id="error-500"' in body and 'href="/"' in body
