"""Offers and the waiting list: the state machine, the deadline, who answers, expiry moving the
waiting list, notifications after commit, the pages and the API."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from reciprocity.accounts.tests.factories import StaffFactory, UserFactory, api_token_for
from reciprocity.applications import offers, services
from reciprocity.applications.models import (
    ApplicationStatus,
    ChoiceStatus,
    Offer,
    OfferStatus,
    OfferStatusChange,
)
from reciprocity.core.exceptions import ApplicationError, InvalidTransition, NotAllowed
from reciprocity.notifications.models import Notification
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.services import placement_cancel
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow import applying
from reciprocity.workflow import services as workflow
from reciprocity.workflow.services import placement_confirm

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)


def candidate(network, name: str):
    """Another volunteer of the sending organisation, with an account, applying to mission 0."""
    user = UserFactory(username=name)
    volunteer = VolunteerFactory(user=user, nationality="TG", residence_country="TG",
                                 sending_organisation=network.sender, last_name=name.title())
    application = applying.application_submit(now=timezone.now(),
        actor=user, volunteer=volunteer, missions=[network.missions[0]]
    )
    return user, application.choices.get()


def offered(network, today=TODAY) -> Offer:
    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer, missions=[network.missions[0]]
    )
    choice = workflow.application_choice_accept(
        actor=network.host_officer, choice=application.choices.get(), today=today, now=timezone.now()
    )
    return Offer.objects.get(choice=choice)


def history(offer: Offer) -> list[tuple[str, str]]:
    return list(offer.history.order_by("pk").values_list("from_status", "to_status"))


class TestMaking:
    def test_accepting_a_choice_offers_the_place_with_a_deadline_from_today(self, network, settings):
        settings.OFFER_RESPONSE_DAYS = 5

        offer = offered(network, today=datetime.date(2027, 1, 10))

        assert offer.status == OfferStatus.PENDING
        assert offer.deadline == datetime.date(2027, 1, 15)
        assert offer.placement.status == PlacementStatus.PROPOSED
        assert history(offer) == [("", "pending")]

    def test_default_deadline_is_seven_days(self, network):
        assert offered(network).deadline == TODAY + datetime.timedelta(days=7)

    def test_the_applicant_side_is_told_after_commit_with_the_deadline(
        self, network, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            offer = offered(network)
            assert not [m for m in mail.outbox if m.to == [network.volunteer_user.email]]
        for callback in callbacks:
            callback()
        told = Notification.objects.get(user=network.volunteer_user, verb="application.accepted")
        assert offer.deadline.isoformat() in told.text
        assert any(m.to == [network.volunteer_user.email] for m in mail.outbox)


class TestAnswer:
    @pytest.mark.parametrize("who", ["volunteer_user", "sender_officer"])
    def test_the_volunteer_or_the_sending_officer_accepts(self, network, who):
        offer = offered(network)

        offers.offer_accept(actor=getattr(network, who), offer=offer, today=TODAY, now=timezone.now())

        offer.refresh_from_db()
        assert offer.status == OfferStatus.ACCEPTED
        assert offer.responded_by == getattr(network, who)
        assert offer.responded_at is not None
        assert history(offer) == [("", "pending"), ("pending", "accepted")]
        assert Notification.objects.filter(user=network.host_officer, verb="offer.accepted").exists()

    @pytest.mark.parametrize("who", ["host_officer", "sender_viewer", "other_host_officer", "stranger"])
    def test_nobody_else_answers(self, network, who):
        offer = offered(network)
        actor = UserFactory() if who == "stranger" else getattr(network, who)
        for answer in (offers.offer_accept, workflow.offer_decline):
            with pytest.raises(NotAllowed):
                answer(actor=actor, offer=offer, today=TODAY, now=timezone.now())
        offer.refresh_from_db()
        assert offer.status == OfferStatus.PENDING

    def test_staff_may_answer(self, network):
        offer = offered(network)
        offers.offer_accept(actor=StaffFactory(), offer=offer, today=TODAY, now=timezone.now())
        offer.refresh_from_db()
        assert offer.status == OfferStatus.ACCEPTED

    def test_the_last_day_is_the_deadline_itself(self, network):
        offer = offered(network)
        with pytest.raises(InvalidTransition) as late:
            offers.offer_accept(actor=network.volunteer_user, offer=offer,
                                today=offer.deadline + datetime.timedelta(days=1), now=timezone.now())
        assert late.value.code == "offer_expired"
        offers.offer_accept(actor=network.volunteer_user, offer=offer, today=offer.deadline, now=timezone.now())

    @pytest.mark.parametrize("first", ["accept", "decline"])
    def test_an_answered_offer_takes_no_second_answer(self, network, first):
        offer = offered(network)
        {"accept": offers.offer_accept, "decline": workflow.offer_decline}[first](actor=network.volunteer_user, offer=offer, today=TODAY, now=timezone.now())
        for answer in (offers.offer_accept, workflow.offer_decline):
            with pytest.raises(InvalidTransition):
                answer(actor=network.volunteer_user, offer=offer, today=TODAY, now=timezone.now())

    def test_every_terminal_status_is_closed(self):
        assert set(offers.OFFER_TRANSITIONS) == set(OfferStatus.values)
        for status in OfferStatus.values:
            if status != OfferStatus.PENDING:
                assert offers.OFFER_TRANSITIONS[status] == set()
        assert offers.OFFER_TRANSITIONS[OfferStatus.PENDING] == {
            "accepted", "declined", "expired", "withdrawn"}


class TestConfirmation:
    def test_refused_until_the_offer_is_accepted(self, network):
        offer = offered(network)
        with pytest.raises(InvalidTransition) as refused:
            placement_confirm(placement=offer.placement, actor=network.host_officer, today=TODAY, now=timezone.now())
        assert refused.value.code == "offer_not_accepted"

        offers.offer_accept(actor=network.volunteer_user, offer=offer, today=TODAY, now=timezone.now())
        confirmed = placement_confirm(placement=offer.placement, actor=network.host_officer, today=TODAY, now=timezone.now())
        assert confirmed.status == PlacementStatus.CONFIRMED

    def test_a_declined_offer_is_never_confirmed(self, network):
        offer = offered(network)
        workflow.offer_decline(actor=network.volunteer_user, offer=offer, today=TODAY, now=timezone.now())
        with pytest.raises(InvalidTransition):
            placement_confirm(placement=offer.placement, actor=network.host_officer, today=TODAY, now=timezone.now())

    def test_cancelling_the_placement_withdraws_the_pending_offer(self, network):
        offer = offered(network)
        placement_cancel(placement=offer.placement, actor=network.host_officer, reason="Budget cut",
                         on=TODAY)
        offer.refresh_from_db()
        assert offer.status == OfferStatus.WITHDRAWN
        assert history(offer)[-1] == ("pending", "withdrawn")
        with pytest.raises(InvalidTransition):
            offers.offer_accept(actor=network.volunteer_user, offer=offer, today=TODAY, now=timezone.now())

    def test_withdrawing_the_application_withdraws_the_offer(self, network):
        offer = offered(network)
        workflow.application_withdraw(today=timezone.localdate(), actor=network.volunteer_user, application=offer.choice.application)
        offer.refresh_from_db()
        assert offer.status == OfferStatus.WITHDRAWN


class TestWaitingList:
    def test_the_host_ranks_reserves_and_only_the_host(self, network):
        _u1, first = candidate(network, "ama")
        _u2, second = candidate(network, "yao")
        for choice in (first, second):
            offers.application_choice_reserve(actor=network.host_officer, choice=choice)
        assert [c.pk for c in offers.waiting_list(network.missions[0])] == [first.pk, second.pk]
        first.refresh_from_db()
        assert first.status == ChoiceStatus.RESERVE
        assert first.application.status == ApplicationStatus.SHORTLISTED

        offers.waiting_list_rank(actor=network.host_officer, mission=network.missions[0],
                                 choice_ids=[second.pk, first.pk])
        assert [c.pk for c in offers.waiting_list(network.missions[0])] == [second.pk, first.pk]

        with pytest.raises(NotAllowed):
            offers.waiting_list_rank(actor=network.sender_officer, mission=network.missions[0],
                                     choice_ids=[first.pk, second.pk])
        with pytest.raises(ApplicationError) as partial:
            offers.waiting_list_rank(actor=network.host_officer, mission=network.missions[0],
                                     choice_ids=[first.pk])
        assert partial.value.code == "waiting_list_mismatch"
        with pytest.raises(NotAllowed):
            offers.application_choice_reserve(actor=network.sender_officer, choice=first)

    def test_a_refused_choice_cannot_join_the_list(self, network):
        _u, choice = candidate(network, "ama")
        services.application_choice_refuse(actor=network.host_officer, choice=choice, reason="No", now=timezone.now())
        with pytest.raises(InvalidTransition):
            offers.application_choice_reserve(actor=network.host_officer, choice=choice)

    @pytest.mark.parametrize("how", ["decline", "expire"])
    def test_a_declined_or_expired_offer_offers_the_place_to_the_first_reserve(
        self, network, how, django_capture_on_commit_callbacks
    ):
        offer = offered(network)
        ama_user, ama = candidate(network, "ama")
        _yao_user, yao = candidate(network, "yao")
        offers.application_choice_reserve(actor=network.host_officer, choice=yao)
        offers.application_choice_reserve(actor=network.host_officer, choice=ama)
        offers.waiting_list_rank(actor=network.host_officer, mission=network.missions[0],
                                 choice_ids=[ama.pk, yao.pk])
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            if how == "decline":
                workflow.offer_decline(actor=network.volunteer_user, offer=offer, today=TODAY, now=timezone.now(),
                                     reason="I found another mission")
                expired = []
            else:
                assert workflow.offers_expire(today=offer.deadline, now=timezone.now()) == []  # not yet: last day
                expired = workflow.offers_expire(today=offer.deadline + datetime.timedelta(days=1), now=timezone.now())

        offer.refresh_from_db()
        assert offer.status == (OfferStatus.DECLINED if how == "decline" else OfferStatus.EXPIRED)
        assert expired == ([] if how == "decline" else [offer])
        assert offer.placement.status == PlacementStatus.CANCELLED
        offer.choice.refresh_from_db()
        assert offer.choice.status == ChoiceStatus.WITHDRAWN
        assert offer.choice.application.status == ApplicationStatus.WITHDRAWN
        ama.refresh_from_db()
        assert ama.status == ChoiceStatus.ACCEPTED and ama.reserve_rank is None
        new_offer = Offer.objects.get(choice=ama)
        assert new_offer.status == OfferStatus.PENDING
        assert [c.pk for c in offers.waiting_list(network.missions[0])] == [yao.pk]
        # Everyone told, by e-mail too: the host, the first reserve, the declining volunteer.
        host_note = Notification.objects.get(user=network.host_officer, verb=f"offer.{offer.status}")
        assert "Ama" in host_note.text
        assert Notification.objects.filter(user=ama_user, verb="application.accepted").exists()
        assert Notification.objects.filter(user=network.volunteer_user, verb="placement.cancelled").exists()
        assert {network.host_officer.email, ama_user.email} <= {m.to[0] for m in mail.outbox}

    def test_expiry_is_done_once_and_an_empty_list_is_said(self, network):
        offer = offered(network)
        later = offer.deadline + datetime.timedelta(days=1)
        assert workflow.offers_expire(today=later, now=timezone.now()) == [offer]
        assert workflow.offers_expire(today=later, now=timezone.now()) == []
        note = Notification.objects.get(user=network.host_officer, verb="offer.expired")
        assert "Nobody on your waiting list" in note.text
        assert OfferStatusChange.objects.filter(offer=offer, to_status="expired", changed_by=None).count() == 1

    def test_the_command_expires_offers(self, network, capsys):
        offer = offered(network, today=datetime.date(2026, 11, 1))  # deadline 8 November

        call_command("applications", "expire-offers")

        offer.refresh_from_db()
        assert offer.status == OfferStatus.EXPIRED
        assert "1 offer(s) expired." in capsys.readouterr().out

    def test_a_volunteer_with_other_open_choices_goes_back_to_them(self, network):
        application = applying.application_submit(now=timezone.now(),
            actor=network.volunteer_user, volunteer=network.volunteer,
            missions=[network.missions[0], network.other_mission],
        )
        choice = application.choices.get(mission=network.missions[0])
        workflow.application_choice_accept(actor=network.host_officer, choice=choice, today=TODAY, now=timezone.now())
        workflow.offer_decline(actor=network.volunteer_user, offer=choice.offers.get(), today=TODAY, now=timezone.now())
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SUBMITTED


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_for(user)}"}


class TestApi:
    def test_accept_decline_and_the_waiting_list(self, client, network):
        offer = offered(network)
        _u, ama = candidate(network, "ama")

        listed = client.get("/api/v1/offers?pending=true", headers=bearer(network.volunteer_user))
        assert [o["id"] for o in listed.json()] == [offer.pk]
        assert listed.json()[0]["deadline"] == offer.deadline.isoformat()

        host = client.post(f"/api/v1/offers/{offer.pk}/accept", headers=bearer(network.host_officer))
        assert host.status_code == 403 and host.json()["code"] == "forbidden"

        reserved = client.post(f"/api/v1/applications/choices/{ama.pk}/reserve",
                               headers=bearer(network.host_officer))
        assert reserved.status_code == 200 and reserved.json()["status"] == "reserve"
        reserves = client.get(f"/api/v1/applications/missions/{network.missions[0].pk}/reserves",
                              headers=bearer(network.host_officer))
        assert [r["id"] for r in reserves.json()] == [ama.pk]
        ranked = client.put(f"/api/v1/applications/missions/{network.missions[0].pk}/reserves",
                            {"choice_ids": [ama.pk]}, content_type="application/json",
                            headers=bearer(network.host_officer))
        assert ranked.status_code == 200 and ranked.json()[0]["reserve_rank"] == 1
        outsider = client.get(f"/api/v1/applications/missions/{network.missions[0].pk}/reserves",
                              headers=bearer(network.sender_officer))
        assert outsider.status_code == 403

        declined = client.post(f"/api/v1/offers/{offer.pk}/decline", {"reason": "Sorry"},
                               content_type="application/json", headers=bearer(network.volunteer_user))
        assert declined.status_code == 200 and declined.json()["status"] == "declined"
        again = client.post(f"/api/v1/offers/{offer.pk}/accept", headers=bearer(network.volunteer_user))
        assert again.status_code == 409
        assert Offer.objects.get(choice=ama).status == OfferStatus.PENDING

    def test_operations_are_documented(self, client):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        assert "post" in paths["/api/v1/offers/{offer_id}/accept"]
        assert "post" in paths["/api/v1/offers/{offer_id}/decline"]
        assert "put" in paths["/api/v1/applications/missions/{mission_id}/reserves"]
        assert paths["/api/v1/offers/{offer_id}/accept"]["post"]["description"]


class TestPages:
    def test_the_volunteer_answers_on_the_application_page(self, client, network):
        offer = offered(network)
        client.force_login(network.volunteer_user)

        page = client.get(f"/applications/{offer.choice.application_id}/").content.decode()
        assert f'id="offer-{offer.pk}"' in page and "Accept the offer" in page
        home = client.get("/").content.decode()
        assert "Places offered, to answer" in home

        client.post(f"/applications/offers/{offer.pk}/accept/")
        offer.refresh_from_db()
        assert offer.status == OfferStatus.ACCEPTED

    def test_the_host_sees_no_answer_button_and_cannot_answer(self, client, network):
        offer = offered(network)
        client.force_login(network.host_officer)
        page = client.get(f"/applications/{offer.choice.application_id}/").content.decode()
        assert "Accept the offer" not in page
        assert client.post(f"/applications/offers/{offer.pk}/accept/").status_code == 403
        listing = client.get("/applications/").content.decode()
        assert f'id="host-offer-{offer.pk}"' in listing

    def test_the_host_orders_the_waiting_list_on_the_mission_page(self, client, network):
        _u1, ama = candidate(network, "ama")
        _u2, yao = candidate(network, "yao")
        client.force_login(network.host_officer)
        mission = network.missions[0]
        for choice in (ama, yao):
            client.post(f"/applications/choices/{choice.pk}/reserve/", {"back": "mission"})

        client.post(f"/applications/missions/{mission.pk}/waiting-list/",
                    {f"position-{ama.pk}": "2", f"position-{yao.pk}": "1"})

        assert [c.pk for c in offers.waiting_list(mission)] == [yao.pk, ama.pk]
        page = client.get(f"/applications/missions/{mission.pk}/")
        assert page.status_code == 200 and 'id="waiting-list"' in page.content.decode()
        client.force_login(network.sender_officer)
        assert client.get(f"/applications/missions/{mission.pk}/").status_code == 403
