"""Calendars (issue 13): the private feed parses with icalendar, holds the reader's due steps,
mission dates and offer deadlines with stable UIDs, nobody else's; a reset or turned-off link
answers 404; the placement's `.ics` is for those who see the placement."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from reciprocity.accounts.models import CalendarFeedToken
from reciprocity.accounts.services import calendar_feed_reset, calendar_feed_revoke
from reciprocity.procedures.models import ProcedureStep
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedures(placement, other_placement):  # type: ignore[no-untyped-def]
    return (procedure_open_for_placement(placement=placement, today=TODAY, now=NOW),
            procedure_open_for_placement(placement=other_placement, today=TODAY, now=NOW))


def events(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def feed_url(user):  # type: ignore[no-untyped-def]
    return reverse("procedures:calendar_feed", args=[calendar_feed_reset(user=user).token])


def test_feed_holds_the_due_step_as_an_all_day_event_with_its_status(
        client, procedures, placement, host_officer):
    mine, _theirs = procedures
    step = mine.steps.get(code="medical_visit")
    ProcedureStep.objects.filter(pk=step.pk).update(due_by=datetime.date(2027, 1, 15),
                                                    status="in_progress")

    found = events(client.get(feed_url(host_officer)))  # no session: the token alone

    event = found[f"step-{step.pk}@reciprocity"]
    assert event.decoded("DTSTART") == datetime.date(2027, 1, 15)
    assert event.decoded("DTEND") == datetime.date(2027, 1, 16)
    assert str(event["SUMMARY"]).startswith("[In progress] Medical visit")
    assert found[f"placement-{placement.pk}-start@reciprocity"].decoded("DTSTART") == \
        placement.start_date
    assert f"placement-{placement.pk}-end@reciprocity" in found


def test_feed_never_holds_another_users_data(client, procedures, other_placement, host_officer,
                                              outsider):
    _mine, theirs = procedures
    theirs_uids = {f"step-{pk}@reciprocity" for pk in theirs.steps.values_list("pk", flat=True)}
    theirs_uids.add(f"placement-{other_placement.pk}-start@reciprocity")

    assert not theirs_uids & set(events(client.get(feed_url(host_officer))))
    assert events(client.get(feed_url(outsider))) == {}


def test_feed_reads_the_token_not_the_session(client, procedures, host_officer, staff):
    url = feed_url(host_officer)
    client.force_login(staff)  # staff see every step; the feed is still the officer's

    uids = set(events(client.get(url)))

    assert not any(f"step-{pk}@" in u for u in uids
                   for pk in procedures[1].steps.values_list("pk", flat=True))


def test_uids_are_stable_between_two_reads(client, procedures, host_officer):
    url = feed_url(host_officer)

    assert set(events(client.get(url))) == set(events(client.get(url)))


def test_reset_or_revoked_token_answers_404(client, procedures, host_officer):
    old = feed_url(host_officer)
    new = feed_url(host_officer)  # a reset

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    calendar_feed_revoke(user=host_officer)
    assert client.get(new).status_code == 404
    assert client.get(reverse("procedures:calendar_feed", args=["nothing"])).status_code == 404


def test_an_inactive_users_feed_answers_404(client, procedures, host_officer):
    url = feed_url(host_officer)
    host_officer.is_active = False
    host_officer.save()

    assert client.get(url).status_code == 404


def test_account_page_shows_creates_and_resets_the_link(client, host_officer):
    client.force_login(host_officer)

    assert "calendar-create" in client.get(reverse("accounts:account")).content.decode()
    client.post(reverse("accounts:calendar_reset"))
    token = CalendarFeedToken.objects.get(user=host_officer).token
    assert token in client.get(reverse("accounts:account")).content.decode()
    client.post(reverse("accounts:calendar_reset"))
    assert CalendarFeedToken.objects.get(user=host_officer).token != token
    client.post(reverse("accounts:calendar_revoke"))
    assert not CalendarFeedToken.objects.filter(user=host_officer).exists()


def test_placement_ics_for_those_who_see_the_placement(
        client, procedures, placement, volunteer_user, outsider):
    url = reverse("procedures:placement_ics", args=[placement.pk])
    client.force_login(volunteer_user)

    found = events(client.get(url))

    assert f"placement-{placement.pk}-start@reciprocity" in found
    assert any(uid.startswith("step-") for uid in found)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(volunteer_user)
    assert url in client.get(reverse("placements:detail", args=[placement.pk])).content.decode()


def test_feed_holds_the_deadline_of_a_pending_offer(client, placement, volunteer_user):
    from reciprocity.applications.models import Offer
    from reciprocity.applications.tests.factories import (
        ApplicationChoiceFactory,
        ApplicationFactory,
    )

    choice = ApplicationChoiceFactory(
        application=ApplicationFactory(volunteer=placement.volunteer), mission=placement.mission)
    offer = Offer.objects.create(placement=placement, choice=choice,
                                 deadline=datetime.date(2026, 12, 3))

    event = events(client.get(feed_url(volunteer_user)))[f"offer-{offer.pk}@reciprocity"]

    assert event.decoded("DTSTART") == datetime.date(2026, 12, 3)
    assert placement.mission.title in str(event["SUMMARY"])
