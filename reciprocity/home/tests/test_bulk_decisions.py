"""Bulk decisions on the host's inbox (issue 13): shortlist, accept or refuse many choices;
each through the same service and permission checks as one at a time, in its own transaction,
with a per-line summary that shows the refused lines next to the ones done."""

import datetime

import pytest
from django.urls import reverse

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory
from reciprocity.applications.models import ApplicationStatus, ChoiceStatus
from reciprocity.applications.tests.factories import ApplicationChoiceFactory, ApplicationFactory
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(db):  # type: ignore[no-untyped-def]
    host = OrganisationFactory(name="Maison des Solidarités", country="FR")
    AccreditationFactory(organisation=host, authorised_volunteers=5)
    return host


@pytest.fixture
def officer(host):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=host, role=MembershipRole.OFFICER).user


@pytest.fixture
def mission(host):  # type: ignore[no-untyped-def]
    return MissionFactory(host=host, start_date=datetime.date(2027, 3, 1),
                          end_date=datetime.date(2027, 8, 31))


def test_refuse_many_with_one_reason_reports_each_line(client, officer, mission):
    mine = [ApplicationChoiceFactory(mission=mission) for _ in range(2)]
    withdrawn = ApplicationChoiceFactory(
        mission=mission, application=ApplicationFactory(status=ApplicationStatus.WITHDRAWN))
    elsewhere = ApplicationChoiceFactory()  # another host's mission
    client.force_login(officer)

    response = client.post(reverse("home:bulk_decide"), {
        "action": "refuse", "reason": "The places are taken.",
        "choice": [mine[0].pk, withdrawn.pk, elsewhere.pk, mine[1].pk],
    })

    assert response.status_code == 200
    results = response.context["results"]
    assert [r.ok for r in results] == [True, False, False, True]
    assert "no decision can be taken" in results[1].message
    assert "Not found" in results[2].message
    assert (response.context["done"], response.context["failed"]) == (2, 2)
    for choice in mine:
        choice.refresh_from_db()
        assert choice.status == ChoiceStatus.REFUSED
    elsewhere.refresh_from_db()
    assert elsewhere.status == ChoiceStatus.PENDING


def test_refusing_without_a_reason_refuses_every_line(client, officer, mission):
    choice = ApplicationChoiceFactory(mission=mission)
    client.force_login(officer)

    response = client.post(reverse("home:bulk_decide"), {"action": "refuse",
                                                        "choice": [choice.pk]})

    assert [r.ok for r in response.context["results"]] == [False]
    choice.refresh_from_db()
    assert choice.status == ChoiceStatus.PENDING


def test_shortlist_many(client, officer, mission):
    choices = [ApplicationChoiceFactory(mission=mission) for _ in range(3)]
    client.force_login(officer)

    response = client.post(reverse("home:bulk_decide"), {
        "action": "shortlist", "choice": [c.pk for c in choices]})

    assert response.context["done"] == 3
    assert {c.status for c in type(choices[0]).objects.filter(pk__in=[c.pk for c in choices])} \
        == {ChoiceStatus.SHORTLISTED}


def test_a_viewer_of_the_host_decides_nothing(client, host, mission):
    viewer = MembershipFactory(organisation=host, role=MembershipRole.VIEWER).user
    choice = ApplicationChoiceFactory(mission=mission)
    client.force_login(viewer)

    response = client.post(reverse("home:bulk_decide"), {"action": "shortlist",
                                                        "choice": [choice.pk]})

    assert [r.ok for r in response.context["results"]] == [False]
    choice.refresh_from_db()
    assert choice.status == ChoiceStatus.PENDING


def test_the_inbox_offers_the_bulk_form(client, officer, mission):
    ApplicationChoiceFactory(mission=mission)
    client.force_login(officer)

    body = client.get(reverse("applications:list")).content.decode()

    assert 'id="bulk-decide"' in body and 'name="choice"' in body


def test_no_line_or_an_unknown_action_is_a_400(client, officer, mission):
    choice = ApplicationChoiceFactory(mission=mission)
    client.force_login(officer)

    assert client.post(reverse("home:bulk_decide"), {"action": "shortlist"}).status_code == 400
    assert client.post(reverse("home:bulk_decide"), {"action": "delete",
                                                    "choice": [choice.pk]}).status_code == 400


def test_accept_goes_through_the_workflow_and_a_cancelled_mission_is_refused(
        client, officer, mission, host):
    choice = ApplicationChoiceFactory(mission=mission)
    cancelled = ApplicationChoiceFactory(mission=MissionFactory(host=host, status="cancelled"))
    client.force_login(officer)

    response = client.post(reverse("home:bulk_decide"), {
        "action": "accept", "choice": [choice.pk, cancelled.pk]})

    results = response.context["results"]
    assert not results[1].ok and "cancelled" in results[1].message
    choice.refresh_from_db()
    assert results[0].ok, results[0].message
    assert choice.status == ChoiceStatus.ACCEPTED
    assert choice.offers.count() == 1  # the workflow made the offer, as one at a time


def test_api_decides_many_with_one_line_each(client, officer, mission):
    from reciprocity.accounts.tests.factories import api_token_for

    choice = ApplicationChoiceFactory(mission=mission)
    elsewhere = ApplicationChoiceFactory()
    key = api_token_for(officer)

    response = client.post(
        "/api/v1/decisions/bulk",
        {"action": "refuse", "reason": "Full.", "choice_ids": [choice.pk, elsewhere.pk]},
        content_type="application/json", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert [(r["id"], r["ok"], r["code"]) for r in body["results"]] == [
        (choice.pk, True, ""), (elsewhere.pk, False, "not_found")]
    choice.refresh_from_db()
    assert choice.status == ChoiceStatus.REFUSED
    assert client.post("/api/v1/decisions/bulk", {"action": "shortlist", "choice_ids": []},
                       content_type="application/json",
                       headers={"Authorization": f"Bearer {key}"}).status_code == 422
