"""In a real browser: the volunteer accepts the place offered; an expired offer moves the
host's waiting list (the host then sees the next candidate offered on the mission's page)."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.applications.models import Offer, OfferStatus
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow

TODAY = datetime.date(2026, 11, 26)


def sign_in(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def offer_to_volunteer(network) -> Offer:  # type: ignore[no-untyped-def]
    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer, missions=[network.missions[0]]
    )
    choice = workflow.application_choice_accept(
        actor=network.host_officer, choice=application.choices.get(), today=TODAY, now=timezone.now()
    )
    return Offer.objects.get(choice=choice)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_volunteer_accepts_the_offer(live_server, page, network):
    offer = offer_to_volunteer(network)
    sign_in(page, live_server, network.volunteer_user)

    page.goto(f"{live_server.url}/")
    page.wait_for_selector(f"#offers-to-answer #offer-{offer.pk}")
    page.click(f"#offers-to-answer #offer-{offer.pk} a")  # to the application page
    page.wait_for_selector(f"#offer-{offer.pk} button[name=accept-offer]")
    page.click(f"#offer-{offer.pk} button[name=accept-offer]")

    page.wait_for_selector(f"#offer-{offer.pk} .offer-status")
    assert page.inner_text(f"#offer-{offer.pk} .offer-status") == "Accepted"
    assert page.locator("button[name=accept-offer]").count() == 0
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.responded_by == network.volunteer_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_expired_offer_moves_the_waiting_list(live_server, page, network):
    offer = offer_to_volunteer(network)
    reserve_user = UserFactory(username="ama")
    reserve_volunteer = VolunteerFactory(
        user=reserve_user, nationality="TG", residence_country="TG",
        sending_organisation=network.sender, first_name="Ama", last_name="Reserve",
    )
    reserve = applying.application_submit(now=timezone.now(),
        actor=reserve_user, volunteer=reserve_volunteer, missions=[network.missions[0]]
    ).choices.get()
    sign_in(page, live_server, network.host_officer)
    mission_page = f"{live_server.url}/applications/missions/{network.missions[0].pk}/"

    # The host puts Ama on the waiting list from the mission's page.
    page.goto(mission_page)
    page.click(f"#choice-{reserve.pk} button")
    page.wait_for_selector(f"#reserve-{reserve.pk}")

    # The deadline passes without an answer; the daily job runs.
    assert workflow.offers_expire(today=offer.deadline + datetime.timedelta(days=1), now=timezone.now()) == [offer]

    page.goto(mission_page)
    page.wait_for_selector("#waiting-list-empty")
    assert "Expired" in page.inner_text(f"#choice-{offer.choice_id} .offer-status")
    assert "Waiting for the volunteer" in page.inner_text(f"#choice-{reserve.pk} .offer-status")
    page.goto(f"{live_server.url}/notifications/")
    assert "first on your waiting list" in page.content()
