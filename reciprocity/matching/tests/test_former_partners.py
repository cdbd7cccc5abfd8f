"""A dissolved binôme stays readable: "former partner" on both placements' pages (named only to
who may see the other placement), in the run's export and in the API."""

import csv
import datetime
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    api_token_for,
)
from reciprocity.matching.models import PairProposal
from reciprocity.matching.pairing_selectors import placement_former_partners
from reciprocity.matching.pairing_services import pair_dissolve, pairing_run_accept
from reciprocity.matching.tests.conftest import cohort_placement
from reciprocity.placements.models import Placement, PlacementStatus
from reciprocity.placements.services import pairing_create, placement_lapse
from reciprocity.workflow.services import placement_cancel

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC)
API = "/api/v1/matching/pairing-runs"



@pytest.fixture
def dissolved(cohort, accepted) -> PairProposal:
    pair_dissolve(pair=accepted, actor=cohort.officer, reason="Awa asked for another partner.",
                  now=NOW)
    return accepted


@pytest.fixture
def proposal_pair(cohort, run_for) -> PairProposal:
    """As `accepted`, but Awa's placement is still a proposal (her offer is out): its expiry,
    written by the system without an actor, will dissolve the pair."""
    Placement.objects.filter(pk=cohort.awa.pk).update(status=PlacementStatus.PROPOSED)
    cohort.awa.refresh_from_db()
    run = run_for(cohort)
    pairing_run_accept(run=run, actor=cohort.officer, now=NOW)
    return run.pairs.get()


def volunteer_user(placement: Placement):  # type: ignore[no-untyped-def]
    """The placement's volunteer with an account of their own."""
    volunteer = placement.volunteer
    volunteer.user = UserFactory()
    volunteer.save(update_fields=["user"])
    return volunteer.user


def placement_page(client, placement: Placement) -> str:  # type: ignore[no-untyped-def]
    """The page's text as read (entities such as &#x27; decoded)."""
    response = client.get(reverse("placements:detail", args=[placement.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def system_dissolved(cohort):  # type: ignore[no-untyped-def]
    """Camille paired with Fatou's proposal, whose offer then expired: the system cancels the
    proposal (no actor) and so dissolves the pair."""
    fatou = cohort_placement(cohort.host, cohort.programme, name="Fatou", nationality="SN",
                             languages=["fr"], status=PlacementStatus.PROPOSED)
    pairing = pairing_create(french=cohort.camille, foreign=fatou, created_by=None)
    placement_lapse(placement=fatou, actor=None, reason="The offer expired unanswered.")
    return fatou, pairing


class TestSelector:
    def test_both_placements_keep_the_dissolved_pair(self, cohort, dissolved):
        staff = StaffFactory()

        [camille_side] = placement_former_partners(placement=cohort.camille, user=staff)
        [awa_side] = placement_former_partners(placement=cohort.awa, user=staff)

        assert camille_side.partner == cohort.awa and awa_side.partner == cohort.camille
        assert camille_side.dissolution == awa_side.dissolution == dissolved.pairing.dissolution
        assert camille_side.details_shown and not camille_side.ended_here

    def test_the_partner_is_hidden_from_who_may_not_see_their_placement(self, cohort, dissolved):
        camille = volunteer_user(cohort.camille)

        [former] = placement_former_partners(placement=cohort.camille, user=camille)

        assert former.partner is None and not former.details_shown

    def test_nothing_for_who_may_not_see_the_placement(self, cohort, dissolved):
        assert placement_former_partners(placement=cohort.camille, user=UserFactory()) == []

    def test_a_placement_never_dissolved_has_no_former_partner(self, cohort, accepted):
        assert placement_former_partners(placement=cohort.camille, user=StaffFactory()) == []

    def test_the_ended_placement_knows_it_ended_the_pair(self, cohort, accepted):
        staff = StaffFactory()
        placement_cancel(placement=cohort.awa, actor=staff, reason="Visa refused.",
                         on=datetime.date(2026, 11, 26))

        [awa_side] = placement_former_partners(placement=cohort.awa, user=staff)
        [camille_side] = placement_former_partners(placement=cohort.camille, user=staff)

        assert awa_side.ended_here and not camille_side.ended_here


class TestPlacementPage:
    def test_both_placements_name_the_former_partner_with_date_reason_and_who(
            self, client, cohort, dissolved):
        client.force_login(StaffFactory())

        camille = placement_page(client, cohort.camille)
        awa = placement_page(client, cohort.awa)

        assert 'id="placement-partner"' not in camille
        assert "Former binôme: Awa Pairing, Mission of Awa" in camille
        assert reverse("placements:detail", args=[cohort.awa.pk]) in camille
        assert "Former binôme: Camille Pairing, Mission of Camille" in awa
        for page in (camille, awa):
            assert ("Dissolved on 26 November 2026 by weccee-officer — "
                    "Awa asked for another partner.") in page

    def test_a_reader_who_may_not_see_the_partner_reads_only_the_fact(self, client, cohort,
                                                                       dissolved):
        client.force_login(volunteer_user(cohort.camille))

        page = placement_page(client, cohort.camille)

        assert "Former binôme: another volunteer's placement." in page
        assert "Dissolved on 26 November 2026 by weccee-officer." in page
        assert "Awa" not in page  # neither her name nor the reason naming her

    def test_a_cancellation_by_someone_names_them_and_the_cancelled_side(self, client, cohort,
                                                                         accepted):
        staff = StaffFactory(username="desk")
        placement_cancel(placement=cohort.awa, actor=staff, reason="Visa refused.",
                         on=datetime.date(2026, 11, 26))
        client.force_login(staff)

        assert ("Dissolved automatically on 26 November 2026: desk cancelled the partner's "
                "placement — Visa refused.") in placement_page(client, cohort.camille)
        assert ("Dissolved automatically on 26 November 2026: desk cancelled this placement — "
                "Visa refused.") in placement_page(client, cohort.awa)

    def test_the_partners_cancellation_is_not_detailed_to_who_may_not_see_it(self, client,
                                                                            cohort, accepted):
        placement_cancel(placement=cohort.awa, actor=StaffFactory(username="desk"),
                         reason="Visa refused.", on=datetime.date(2026, 11, 26))
        client.force_login(volunteer_user(cohort.camille))

        page = placement_page(client, cohort.camille)

        assert ("Dissolved automatically on 26 November 2026: the partner's placement was "
                "cancelled.") in page
        assert "Visa refused" not in page and "desk" not in page

    def test_a_pair_dissolved_by_the_system_says_automatically(self, client, cohort):
        fatou, _pairing = system_dissolved(cohort)
        client.force_login(StaffFactory())

        camille = placement_page(client, cohort.camille)

        assert ("Dissolved automatically on 26 November 2026: the partner's placement was "
                "cancelled — The offer expired unanswered.") in camille
        assert "Former binôme: Fatou Pairing" in camille
        assert ("Dissolved automatically on 26 November 2026: this placement was cancelled"
                in placement_page(client, fatou))

    def test_paired_again_the_page_shows_the_new_partner_and_the_former_one(
            self, client, cohort, dissolved, run_for):
        later = run_for(cohort)
        pairing_run_accept(run=later, actor=cohort.officer, now=NOW)
        client.force_login(StaffFactory())

        page = placement_page(client, cohort.camille)

        assert "Binôme: Awa Pairing, Mission of Awa" in page
        assert "Former binôme: Awa Pairing, Mission of Awa" in page

    def test_the_query_count_does_not_grow_with_former_partners(self, client, cohort,
                                                                 django_assert_max_num_queries):
        staff = StaffFactory()
        client.force_login(staff)

        def paired_then_cancelled(partner: Placement) -> None:
            pairing_create(french=cohort.camille, foreign=partner, created_by=None)
            placement_cancel(placement=partner, actor=staff, reason="Gone.",
                             on=datetime.date(2026, 11, 26))

        paired_then_cancelled(cohort.awa)
        placement_page(client, cohort.camille)
        with CaptureQueriesContext(connection) as one_former:
            placement_page(client, cohort.camille)
        for name in ("Coumba", "Dior", "Fatou"):
            paired_then_cancelled(cohort_placement(cohort.host, cohort.programme, name=name,
                                                   nationality="SN", languages=["fr"]))

        with django_assert_max_num_queries(len(one_former)):
            page = placement_page(client, cohort.camille)
        assert page.count("Former binôme:") == 4


def test_the_run_page_links_a_dissolved_pairs_placement_and_names_who(client, cohort, dissolved):
    client.force_login(cohort.officer)

    page = client.get(reverse("matching:pairing_detail", args=[dissolved.run_id])).content.decode()

    assert f'id="dissolved-placement-{dissolved.pk}"' in page
    assert reverse("placements:detail", args=[cohort.camille.pk]) in page
    assert "Awa asked for another partner. (weccee-officer)" in page
    confirmation = client.get(reverse("matching:pair_dissolve", args=[dissolved.run_id,
                                                                     dissolved.pk]))
    assert "(weccee-officer)</p>" in confirmation.content.decode()


class TestExport:
    def test_a_dissolved_pair_says_when_why_and_by_whom(self, client, cohort, dissolved):
        client.force_login(cohort.officer)

        response = client.get(reverse("matching:pairing_export", args=[dissolved.run_id, "csv"]))

        heading, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert heading[11:] == ["Decision", "Dissolved on", "Why dissolved",
                                "Dissolution reason", "Dissolved by"]
        assert row[11:] == ["Dissolved", "26 November 2026", "Dissolved by a coordinator",
                            "Awa asked for another partner.", "weccee-officer"]

    def test_a_current_pair_leaves_the_dissolution_cells_empty(self, client, cohort, accepted):
        client.force_login(cohort.officer)

        response = client.get(reverse("matching:pairing_export", args=[accepted.run_id, "csv"]))

        _heading, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert row[11:] == ["Accepted", "", "", "", ""]

    def test_a_pair_dissolved_by_the_system_says_automatically(self, client, cohort,
                                                                 proposal_pair):
        placement_lapse(placement=cohort.awa, actor=None, reason="The offer expired unanswered.")
        client.force_login(cohort.officer)

        response = client.get(reverse("matching:pairing_export",
                                      args=[proposal_pair.run_id, "csv"]))

        _heading, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert row[11:] == ["Dissolved", "26 November 2026", "A placement of the pair was cancelled",
                            "The offer expired unanswered.", "automatically"]


class TestApi:
    def test_the_pair_says_who_dissolved_it(self, client, cohort, dissolved):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(cohort.officer)}"}

        body = client.get(f"{API}/{dissolved.run_id}", **auth).json()

        assert body["pairs"][0]["decision"] == "dissolved"
        assert body["pairs"][0]["dissolution"] == {
            "cause": "coordinator", "reason": "Awa asked for another partner.",
            "ended_placement_id": None, "occurred_at": "2026-11-26T09:00:00Z",
            "dissolved_by": "weccee-officer",
        }

    def test_a_pair_dissolved_by_the_system_has_no_author(self, client, cohort, proposal_pair):
        placement_lapse(placement=cohort.awa, actor=None, reason="Expired.")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(cohort.officer)}"}

        body = client.get(f"{API}/{proposal_pair.run_id}", **auth).json()

        dissolution = body["pairs"][0]["dissolution"]
        assert dissolution["cause"] == "placement_cancelled"
        assert dissolution["ended_placement_id"] == cohort.awa.pk
        assert dissolution["dissolved_by"] is None

    def test_a_current_pair_has_no_dissolution(self, client, cohort, accepted):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_for(cohort.officer)}"}

        assert client.get(f"{API}/{accepted.run_id}", **auth).json()["pairs"][0]["dissolution"] is None

    def test_the_field_is_documented(self, client):
        schema = client.get("/api/v1/openapi.json").json()
        dissolution = schema["components"]["schemas"]["DissolutionOut"]
        assert "dissolved_by" in dissolution["properties"]
        assert dissolution["properties"]["dissolved_by"]["description"].startswith("The username")


def test_a_member_of_one_host_sees_only_the_fact_of_the_other_side(client, cohort, dissolved):
    """A host's members see the placements of its missions: Camille's camp moves to another
    host, whose officer then sees her placement but not Awa's."""
    membership = MembershipFactory(role=MembershipRole.OFFICER)
    cohort.camille.mission.host = membership.organisation
    cohort.camille.mission.save(update_fields=["host"])
    client.force_login(membership.user)

    page = placement_page(client, cohort.camille)

    assert "Former binôme: another volunteer's placement." in page
    assert "Awa" not in page
