"""Every route of the platform, tried by people who must not get through.

The route list is read from the URL configuration itself, so a page added later is swept too:
an anonymous visitor reaches public pages only, and a member of an unrelated organisation never
gets a page about someone else's volunteer, application, placement, procedure or run.
"""

import datetime
import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, api_token_for
from reciprocity.agreements.tests.factories import AgreementFactory, ProgrammeFactory
from reciprocity.applications.models import Offer
from reciprocity.applications.tests.factories import ApplicationChoiceFactory
from reciprocity.conversations.models import MessageAttachment
from reciprocity.conversations.services import (
    message_post,
    thread_for_application,
    thread_for_placement,
)
from reciprocity.imports.services import batch_create
from reciprocity.matching.models import PairProposal
from reciprocity.matching.pairing_services import pairing_run_create
from reciprocity.matching.services import run_create
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.notifications.services import notify
from reciprocity.partners.models import Affiliation, AffiliationKind
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.placements.services import pairing_create
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.planning.services import scenario_create
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.volunteers.models import VolunteerDocument

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {"", "accounts/login/", "accounts/logout/", "missions/", "missions/<int:pk>/",
                # The catalogue's map and a mission's photo: published missions only, as the
                # catalogue (a draft's photo answers 404 to whoever may not see the draft).
                "missions/map/", "missions/<int:pk>/photo/",
                "i18n/setlang/", "favicon.ico", "accounts/password/reset/", "accounts/password/reset/sent/",
                "accounts/password/reset/complete/", "accounts/password/reset/<uidb64>/<token>/",
                # Health probes for the proxy and monitoring: JSON, no data (core/health.py).
                "healthz", "readyz",
                # Volunteer sign-up and the e-mail confirmation link (docs/accounts.md).
                "volunteers/sign-up/", "volunteers/sign-up/sent/", "accounts/verify/<str:token>/",
                # The invitation link: a person without an account sets a password there.
                "accounts/invitations/<str:token>/",
                # A candidate registered by their organisation claims the record (same idea).
                "volunteers/claim/<str:token>/"}
PUBLIC_API = {"api/v1/", "api/v1/openapi.json", "api/v1/docs", "api/v1/missions",
              "api/v1/missions/<mission_id>"}
# Signed-in users share these on purpose: organisations are public facts, and the network
# balance and annual report carry no personal data (docs/balance.md).
SHARED_WITH_MEMBERS = {
    "organisations/", "organisations/<int:pk>/", "balance/", "balance/report/",
    "balance/data/<slug:name>.<str:fmt>", "api/v1/organisations",
    "api/v1/organisations/<organisation_id>", "api/v1/balance/network",
    "api/v1/balance/reports/annual",
}


def routes() -> Iterator[str]:
    def walk(patterns, prefix: str = "") -> Iterator[str]:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    seen = set()
    for route in walk(get_resolver().url_patterns):
        if not route.startswith(("admin/", "static/", "media/")) and route not in seen:
            seen.add(route)
            yield route


def fill(route: str, ids: dict[str, int]) -> str:
    """A concrete path for a route: every id is one of the world's objects."""
    def value(match: re.Match) -> str:
        name = match.group("name")
        if name in {"kind", "key", "name", "slug"}:
            return {"kind": "invitation_letter", "key": "steps", "name": "flows"}.get(name, "x")
        if name in {"fmt"}:
            return "csv"
        if name == "action":
            return "confirm"
        return str(ids.get(name, ids["pk"]))

    path = re.sub(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>", value, route)
    return "/" + path


@pytest.fixture
def world():
    host = OrganisationFactory(name="Host", country="FR")
    AccreditationFactory(organisation=host)
    mission = MissionFactory(host=host, start_date=datetime.date(2027, 3, 1),
                             end_date=datetime.date(2027, 8, 31))
    placement = PlacementFactory(mission=mission)
    procedure = procedure_open_for_placement(placement=placement, today=datetime.date(2026, 11, 26),
                                             now=datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC))
    choice = ApplicationChoiceFactory(mission=mission)
    staff = StaffFactory()
    coordinator = OrganisationFactory(name="Coordination", is_coordinator=True)
    MembershipFactory(organisation=coordinator, user=staff, role=MembershipRole.ADMIN)
    run = run_create(created_by=staff, organisation=coordinator, missions=[mission], start=False)
    [notification] = notify(users=[staff], subject="Hello")
    # An offer of a place (applications/offers.py) and a volunteer's uploaded document.
    offer = Offer.objects.create(
        placement=PlacementFactory(mission=mission, volunteer=choice.application.volunteer),
        choice=choice, deadline=datetime.date(2026, 12, 3),
    )
    document = VolunteerDocument.objects.create(
        volunteer=placement.volunteer, kind="cv", file="volunteers/cv.pdf", original_name="cv.pdf",
        content_type="application/pdf", size=10,
    )
    # The network's own records (the pages and operations of running the network).
    affiliation = Affiliation.objects.create(member=host, parent=coordinator,
                                             kind=AffiliationKind.NETWORK_MEMBER,
                                             valid_from=datetime.date(2026, 1, 1))
    agreement = AgreementFactory(party_a=host, party_b=OrganisationFactory(name="Agency"))
    programme = ProgrammeFactory(coordinator=coordinator)
    # A pairing run of the coordinator's programme (docs/matching.md, "Pairing runs").
    pairing_run = pairing_run_create(created_by=staff, programme=programme,
                                     season_start=datetime.date(2027, 1, 1),
                                     season_end=datetime.date(2027, 12, 31), start=False)
    # An accepted pair of that run, the world's placement with another volunteer's: the
    # dissolution's page and operation (docs/matching.md, "Dissolving a pair").
    partner = PlacementFactory(mission=mission)
    pair = PairProposal.objects.create(
        run=pairing_run, french=placement, foreign=partner, score=50, overlap_days=31,
        overlap_start=datetime.date(2027, 3, 1), overlap_end=datetime.date(2027, 3, 31),
        decision="accepted",
        pairing=pairing_create(french=placement, foreign=partner, created_by=staff),
    )
    # A quota scenario of the coordinator's network (docs/scenarios.md): its writers and staff only.
    scenario = scenario_create(by=staff, name="Next year", year=2027, organisation=coordinator,
                               today=datetime.date(2026, 11, 26))
    # Conversations (docs/conversations.md): a message naming the volunteer, with a file, in the
    # placement's thread, and the application's thread with its host.
    thread = thread_for_placement(placement=placement)
    message = message_post(
        thread=thread, author=staff, now=datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC),
        text=f"{placement.volunteer.first_name} {placement.volunteer.last_name} "
             f"{placement.volunteer.reference}")
    attachment = MessageAttachment.objects.create(
        message=message, file="conversations/visa.pdf", original_name="visa.pdf",
        content_type="application/pdf", size=10)
    application_thread = thread_for_application(application=choice.application, host_id=host.pk)
    # A staff member's import of the volunteer's record: its page and file are theirs only.
    batch = batch_create(kind="volunteers", name="v.csv", actor=staff, source="web",
                         data=f"volunteer_ref\n{placement.volunteer.reference}\n".encode())
    return {
        "pk": placement.pk,
        "placement_id": placement.pk,
        "procedure_id": procedure.pk,
        "step_id": procedure.steps.first().pk,
        "application_id": choice.application_id,
        "choice_id": choice.pk,
        "mission_id": mission.pk,
        "organisation_id": host.pk,
        "agreement_id": agreement.pk,
        "accreditation_id": host.accreditations.get().pk,
        "affiliation_id": affiliation.pk,
        "programme_id": programme.pk,
        "coordinator": coordinator,
        "run_id": run.pk,
        "pairing_run_id": pairing_run.pk,
        "pair_id": pair.pk,
        "acceptance_id": 1,
        "notification_id": notification.pk,
        "offer_id": offer.pk,
        "batch_id": batch.pk,
        "thread_id": thread.pk,
        "host_id": host.pk,
        "volunteer": placement.volunteer,
        "objects": {
            "volunteers/<int:pk>/": placement.volunteer_id,
            "volunteers/<int:pk>/edit/": placement.volunteer_id,
            "volunteers/<int:pk>/claim-link/": placement.volunteer_id,
            "applications/<int:pk>/": choice.application_id,
            "applications/<int:pk>/withdraw/": choice.application_id,
            "applications/choices/<int:pk>/<str:action>/": choice.pk,
            "applications/choices/<int:pk>/reserve/": choice.pk,
            "applications/offers/<int:pk>/<str:action>/": offer.pk,
            "volunteers/documents/<int:pk>/": document.pk,
            "procedures/<int:pk>/": procedure.pk,
            "procedures/<int:pk>/recompute/": procedure.pk,
            "procedures/<int:pk>/documents/": procedure.pk,
            "procedures/steps/<int:pk>/advance/": procedure.steps.first().pk,
            # The visa outcome form (issue 17): the visa step when the plan has one.
            "procedures/steps/<int:pk>/visa/": (
                procedure.steps.filter(code="visa_application").first() or procedure.steps.first()
            ).pk,
            "matching/<int:pk>/": run.pk,
            "matching/<int:pk>/accept/": run.pk,
            "matching/<int:pk>/reject/": run.pk,
            "matching/<int:pk>/cancel/": run.pk,
            "matching/pairing/<int:pk>/": pairing_run.pk,
            "matching/pairing/<int:pk>/accept/": pairing_run.pk,
            "matching/pairing/<int:pk>/reject/": pairing_run.pk,
            "matching/pairing/<int:pk>/cancel/": pairing_run.pk,
            "matching/pairing/<int:pk>/export.<str:fmt>": pairing_run.pk,
            "matching/pairing/<int:pk>/pairs/<int:pair_id>/dissolve/": pairing_run.pk,
            "notifications/<int:pk>/read/": notification.pk,
            "missions/<int:pk>/edit/": mission.pk,
            "missions/<int:pk>/publish/": mission.pk,
            "missions/<int:pk>/close/": mission.pk,
            "missions/<int:pk>/cancel/": mission.pk,
            "missions/<int:pk>/duplicate/": mission.pk,
            "organisations/<int:pk>/edit/": host.pk,
            "organisations/<int:pk>/accreditations/new/": host.pk,
            "organisations/<int:pk>/accreditations/<int:accreditation_id>/edit/": host.pk,
            "organisations/<int:pk>/affiliations/new/": host.pk,
            "organisations/<int:pk>/affiliations/<int:affiliation_id>/edit/": host.pk,
            "organisations/<int:pk>/affiliations/<int:affiliation_id>/end/": host.pk,
            "agreements/<int:pk>/": agreement.pk,
            "agreements/<int:pk>/edit/": agreement.pk,
            "agreements/programmes/<int:pk>/edit/": programme.pk,
            "planning/<int:pk>/": scenario.pk,
            "planning/<int:pk>/apply/": scenario.pk,
            "conversations/<int:pk>/": thread.pk,
            "conversations/applications/<int:pk>/<int:host_id>/": application_thread.application_id,
            "conversations/attachments/<int:pk>/": attachment.pk,
        },
    }


def path_for(route: str, world: dict) -> str:
    ids = dict(world)
    if route in world["objects"]:
        ids["pk"] = world["objects"][route]
    return fill(route, ids)


def test_anonymous_reaches_public_pages_only(client, world):
    for route in routes():
        if route in PUBLIC_PAGES or route in PUBLIC_API:
            continue
        path = path_for(route, world)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if route.startswith("api/"):
                assert response.status_code in {401, 403, 404, 405}, (method, path, response.status_code)
            else:
                assert response.status_code in {302, 401, 403, 404, 405}, (method, path, response.status_code)
                if response.status_code == 302:
                    assert "/accounts/login/" in response["Location"], (method, path)


def test_a_member_of_an_unrelated_organisation_sees_nothing_of_others(client, world):
    outsider = MembershipFactory(organisation=OrganisationFactory(name="Elsewhere"),
                                 role=MembershipRole.ADMIN).user
    client.force_login(outsider)
    volunteer = world["volunteer"]
    for route in routes():
        if route in PUBLIC_PAGES | PUBLIC_API | SHARED_WITH_MEMBERS or route in {
            "accounts/logout/", "notifications/read-all/", "api/v1/notifications/read-all",
        }:
            continue
        path = path_for(route, world)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            body = response.content.decode(errors="replace")
            if response.status_code == 200 or response.status_code == 201:
                # Lists and forms may answer, but never with someone else's person in them.
                assert volunteer.last_name not in body or volunteer.first_name not in body, (method, path)
                assert volunteer.reference not in body, (method, path)
            else:
                assert response.status_code in {302, 400, 403, 404, 405, 409, 422}, (
                    method, path, response.status_code)
    # Nothing the outsider posted moved the world's records.
    assert PairProposal.objects.get(pk=world["pair_id"]).decision == "accepted"


# Pages and operations that change the network (docs/accounts.md, "Running the network"):
# staff and the coordinators' administrators and officers only.
NETWORK_WRITE_PAGES = re.compile(
    r"^(organisations/new/|organisations/<int:pk>/(edit|accreditations|affiliations)"
    r"|agreements/(new/|<int:pk>/edit/|programmes/new/|programmes/<int:pk>/edit/))")
NETWORK_WRITE_API = re.compile(r"^api/v1/(organisations|agreements|programmes)")


@pytest.mark.parametrize("who", ["outsider admin", "coordinator viewer", "host admin"])
def test_only_coordinators_and_staff_change_the_network(client, world, who):
    """A host's own administrator gets one form: its organisation's contact details."""
    if who == "outsider admin":
        user = MembershipFactory(organisation=OrganisationFactory(name="Elsewhere"),
                                 role=MembershipRole.ADMIN).user
    elif who == "coordinator viewer":
        user = MembershipFactory(organisation=world["coordinator"],
                                 role=MembershipRole.VIEWER).user
    else:
        user = MembershipFactory(organisation_id=world["organisation_id"],
                                 role=MembershipRole.ADMIN).user
    client.force_login(user)
    pages = [r for r in routes() if NETWORK_WRITE_PAGES.match(r)]
    assert len(pages) == 11, pages
    for route in pages:
        path = path_for(route, world)
        if who == "host admin" and route == "organisations/<int:pk>/edit/":
            assert client.get(path).status_code == 200
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code in {403, 404, 405}, (who, method, path,
                                                             response.status_code)

    key = api_token_for(user)
    for route in [r for r in routes() if NETWORK_WRITE_API.match(r)]:
        path = path_for(route, world)
        for method in ("post", "patch"):
            response = getattr(client, method)(
                path, "{}", content_type="application/json",
                headers={"Authorization": f"Bearer {key}"})
            if who == "host admin" and method == "patch" and route == (
                    "api/v1/organisations/<organisation_id>"):
                assert response.status_code == 200  # an empty change of its own contacts
                continue
            # 422: the body is refused before anything else (no rights are looked at).
            assert response.status_code in {403, 404, 405, 422}, (who, method, path,
                                                                  response.status_code)


# Exports of the lists (?format=csv|xlsx on the list pages, docs/exports-and-calendars.md): the
# same selector as the page, so an outsider's file never names the world's volunteer.
EXPORTED_LISTS = ["applications/", "volunteers/", "missions/", "missions/mine/", "placements/",
                  "procedures/due/", "agreements/"]


def test_exports_of_lists_hold_nothing_of_others(client, world):
    import io

    from openpyxl import load_workbook

    volunteer = world["volunteer"]
    for route in EXPORTED_LISTS:
        if route != "missions/":  # the public catalogue: no personal data in it
            response = client.get(f"/{route}?format=csv")
            assert response.status_code == 302, route
            assert "/accounts/login/" in response["Location"], route
    outsider = MembershipFactory(organisation=OrganisationFactory(name="Elsewhere"),
                                 role=MembershipRole.ADMIN).user
    client.force_login(outsider)
    for route in EXPORTED_LISTS:
        csv_body = client.get(f"/{route}?format=csv").content.decode("utf-8-sig")
        workbook = load_workbook(io.BytesIO(client.get(f"/{route}?format=xlsx").content))
        cells = " ".join(str(c) for row in workbook.active.iter_rows(values_only=True) for c in row)
        for body in (csv_body, cells):
            assert volunteer.reference not in body, route
            assert volunteer.last_name not in body, route


def test_calendar_feeds_hold_nothing_of_others(client, world):
    from reciprocity.accounts.services import calendar_feed_reset

    outsider = MembershipFactory(organisation=OrganisationFactory(name="Elsewhere"),
                                 role=MembershipRole.ADMIN).user
    feed = calendar_feed_reset(user=outsider)
    body = client.get(f"/procedures/calendar/{feed.token}.ics").content.decode()
    assert "BEGIN:VCALENDAR" in body
    assert "BEGIN:VEVENT" not in body
    assert client.get(f"/procedures/calendar/{feed.token}x.ics").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/procedures/placements/{world['pk']}.ics").status_code == 404
