"""The audit log page: staff only, newest first, filtered by who, what, which action, when."""

import datetime
import json

import pytest
import time_machine
from auditlog.models import AbstractLogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory
from reciprocity.missions.models import Mission, MissionStatus
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
A = AbstractLogEntry.Action


@pytest.fixture
def host(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Maison des Solidarités", country="FR")


@pytest.fixture
def officer(host):  # type: ignore[no-untyped-def]
    return MembershipFactory(organisation=host, role=MembershipRole.OFFICER,
                             user__username="olga").user


@pytest.fixture
def log(host, officer):  # type: ignore[no-untyped-def]
    """A mission created by the system on 1 November, then changed by Olga through the API."""
    with time_machine.travel(datetime.datetime(2026, 11, 1, 10, tzinfo=datetime.UTC)):
        mission = MissionFactory(host=host, status=MissionStatus.DRAFT, city="Lyon",
                                 title="Jardins")
    browser = Client()
    browser.force_login(officer)
    response = browser.patch(f"/api/v1/missions/{mission.pk}", json.dumps({"city": "Vienne"}),
                             content_type="application/json")
    assert response.status_code == 200, response.content
    return mission


def rows(client, query=""):  # type: ignore[no-untyped-def]
    response = client.get("/audit/" + query)
    assert response.status_code == 200
    return [(e.action, e.object_id, e.actor_id) for e, _type, _changes in response.context["rows"]]


def test_staff_read_the_log_newest_first_and_filter_it(client, log, officer):
    staff = StaffFactory()
    client.force_login(staff)
    mission_type = ContentType.objects.get_for_model(Mission).pk

    everything = rows(client)
    assert len(everything) > 2
    assert rows(client, f"?object_type={mission_type}") == [  # newest first
        (A.UPDATE, log.pk, officer.pk), (A.CREATE, log.pk, None)]
    body = client.get("/audit/").content.decode()
    assert "Vienne" in body and "olga" in body and "Audit log" in body

    assert rows(client, "?actor=OLGA") == [(A.UPDATE, log.pk, officer.pk)]
    assert rows(client, f"?object_type={mission_type}&object_id={log.pk}") == [
        (A.UPDATE, log.pk, officer.pk), (A.CREATE, log.pk, None)]
    assert rows(client, f"?object_type={mission_type}&action={A.CREATE}") == [
        (A.CREATE, log.pk, None)]
    assert (A.CREATE, log.pk, None) in rows(client, "?system_only=on")
    assert (A.UPDATE, log.pk, officer.pk) not in rows(client, "?system_only=on")
    assert rows(client, f"?object_type={mission_type}&since=2026-11-01&until=2026-11-02") == [
        (A.CREATE, log.pk, None)]
    assert rows(client, f"?object_type={mission_type}&since=2026-11-20") == [
        (A.UPDATE, log.pk, officer.pk)]


def test_bad_filters_are_reported_not_a_server_error(client, log):
    client.force_login(StaffFactory())
    for query in ("?object_id=" + "9" * 40, "?object_type=abc", "?action=7",
                  "?since=notadate", "?since=2026-12-01&until=2026-11-01", "?page=999999"):
        response = client.get("/audit/" + query)
        assert response.status_code == 200, query


def test_only_staff_read_the_log(client, log, officer):
    assert client.get("/audit/").status_code == 302  # to the sign-in page
    client.force_login(officer)
    assert client.get("/audit/").status_code == 403
    assert "/audit/" not in client.get("/").content.decode()
    client.force_login(StaffFactory())
    assert "/audit/" in client.get("/").content.decode()


def test_an_entry_by_a_deleted_account_and_one_by_the_system_say_so(client, log, officer):
    officer_id = officer.pk
    officer.delete()
    client.force_login(StaffFactory())
    mission_type = ContentType.objects.get_for_model(Mission).pk

    body = client.get(f"/audit/?object_type={mission_type}&object_id={log.pk}").content.decode()

    assert f"deleted account #{officer_id}" in body
    assert "<em>system</em>" in body
