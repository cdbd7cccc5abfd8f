"""Pages for coordinators: who gets in, what renders, and the review round trip."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.agreements.tests.factories import ProgrammeFactory
from reciprocity.matching import services
from reciprocity.matching.models import PlacementRun, ProposalDecision, RunStatus
from reciprocity.matching.tests.conftest import SEASON, Season
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import PlacementStatus

pytestmark = pytest.mark.django_db


def coordinator_run(season: Season) -> PlacementRun:
    """A run of the coordinator's programme, executed (the coordinator sees its applications)."""
    programme = ProgrammeFactory(coordinator=season.coordinator)
    for mission in (season.camp_a, season.camp_b):
        mission.programme = programme
        mission.save()
    for application in season.applications.values():
        application.programme = programme
        application.save()
    run = services.run_create(created_by=season.coordinator_user, programme=programme,
                              time_limit=2, start=False, label="Summer camps")
    return services.run_execute(run=run, clock=timezone.now)


def test_outsiders_get_403_and_foreign_runs_404(client, season: Season) -> None:  # type: ignore[no-untyped-def]
    run = coordinator_run(season)
    assert client.get(reverse("matching:list")).status_code == 302  # sign in first
    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=season.coordinator, role=MembershipRole.VIEWER)
    host_admin = UserFactory()
    MembershipFactory(user=host_admin, organisation=season.host, role=MembershipRole.ADMIN)
    for user in (viewer, host_admin):
        client.force_login(user)
        for url in (reverse("matching:list"), reverse("matching:create"),
                    reverse("matching:detail", args=[run.pk])):
            assert client.get(url).status_code == 403
        assert client.post(reverse("matching:accept", args=[run.pk]), {"all": "1"}).status_code == 403
        assert "Placement runs" not in client.get(reverse("missions:list")).content.decode()
    # An officer of another coordinator organisation does not see this run.
    other = UserFactory()
    MembershipFactory(user=other, organisation=OrganisationFactory(is_coordinator=True))
    client.force_login(other)
    assert client.get(reverse("matching:detail", args=[run.pk])).status_code == 404
    assert client.post(reverse("matching:accept", args=[run.pk]), {"all": "1"}).status_code == 404
    assert client.get(reverse("matching:compare") + f"?run={run.pk}").status_code == 404
    assert run.proposals.filter(decision=ProposalDecision.ACCEPTED).count() == 0


def test_coordinator_pages_render_and_accept_selected(client, season: Season, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    run = coordinator_run(season)
    assert run.status == RunStatus.SUCCEEDED, run.error
    client.force_login(season.coordinator_user)
    home = client.get(reverse("missions:list")).content.decode()
    assert reverse("matching:list") in home  # the nav link
    listing = client.get(reverse("matching:list"))
    assert listing.status_code == 200 and "Summer camps" in listing.content.decode()
    page = client.get(reverse("matching:detail", args=[run.pk])).content.decode()
    for part in ("per-mission", "per-agreement", "Camp A", "Moussa", "FR → SN", "Not placed",
                 "Accept all pending proposals"):
        assert part in page, part
    moussa = run.proposals.get(volunteer=season.moussa)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:accept", args=[run.pk]), {"proposal": [moussa.pk]})
    assert response.status_code == 302
    moussa.refresh_from_db()
    assert moussa.decision == ProposalDecision.ACCEPTED
    assert moussa.placement.status == PlacementStatus.PROPOSED
    assert run.proposals.filter(decision=ProposalDecision.PENDING).count() == 1
    compare = client.get(reverse("matching:compare") + f"?run={run.pk}")
    assert compare.status_code == 200 and "First come, first served" in compare.content.decode()


def test_create_form_queues_a_run(client, season: Season) -> None:  # type: ignore[no-untyped-def]
    client.force_login(season.coordinator_user)
    assert client.get(reverse("matching:create")).status_code == 200
    response = client.post(reverse("matching:create"), {
        "season_start": SEASON[0].isoformat(), "season_end": SEASON[1].isoformat(),
        "mode": "preview", "time_limit": "5", "unplaced_penalty": "100",
    })
    run = PlacementRun.objects.get(created_by=season.coordinator_user)
    assert response.status_code == 302 and response["Location"] == reverse("matching:detail", args=[run.pk])
    assert (run.status, run.mode, run.organisation) == (RunStatus.QUEUED, "preview", season.coordinator)
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page
    # An empty scope is refused on the form, with the reason.
    response = client.post(reverse("matching:create"), {"mode": "optimal", "time_limit": "5",
                                                        "unplaced_penalty": "100"})
    assert response.status_code == 200 and "Choose a season" in response.content.decode()


def test_accept_refusal_is_shown_not_raised(client, season: Season) -> None:  # type: ignore[no-untyped-def]
    run = coordinator_run(season)
    client.force_login(season.coordinator_user)
    response = client.post(reverse("matching:accept", args=[run.pk]), {}, follow=True)
    assert "Select the proposals" in response.content.decode()
    response = client.post(reverse("matching:reject", args=[run.pk]),
                           {"proposal": [run.proposals.first().pk]}, follow=True)
    assert "set aside" in response.content.decode()


def test_detail_filters_proposals_by_mission(client, season: Season) -> None:  # type: ignore[no-untyped-def]
    run = coordinator_run(season)
    client.force_login(season.coordinator_user)
    other = run.proposals.exclude(volunteer=season.moussa).get().volunteer
    url = reverse("matching:detail", args=[run.pk])
    everything = client.get(url).content.decode()
    assert str(other) in everything.split('id="proposals"')[1].split('id="unplaced"')[0]
    only_b = client.get(url + f"?mission={season.camp_b.pk}").content.decode()
    section = only_b.split('id="proposals"')[1].split('id="unplaced"')[0]
    assert "Moussa" in section and str(other) not in section
