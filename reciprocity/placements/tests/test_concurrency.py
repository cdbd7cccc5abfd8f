"""Officers confirming at the same moment never over-fill a mission, a quota or an accreditation.

Real threads, each with its own database connection, are released together by a barrier and
all call `placement_confirm` for the last available unit. Only PostgreSQL's row locks make this
meaningful (SQLite serialises whole-database writes), so these tests run on PostgreSQL only.
"""

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from reciprocity.accounts.tests.factories import MembershipFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.core.exceptions import CapacityExceeded
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.placements import services
from reciprocity.placements.models import HOLDING_STATUSES, Placement
from reciprocity.volunteers.tests.factories import VolunteerFactory
from reciprocity.workflow import services as workflow

THREADS = 8

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole file",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(placements: list[Placement], officers: list) -> list[str]:
    """Confirm every placement at once, one thread and one officer each; return the outcomes."""
    barrier = threading.Barrier(len(placements))
    outcomes: list[str] = []
    lock = threading.Lock()

    def confirm(placement_id: int, officer) -> None:  # type: ignore[no-untyped-def]
        try:
            placement = Placement.objects.select_related("mission").get(pk=placement_id)
            barrier.wait(timeout=30)
            try:
                workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=officer)
                outcome = "confirmed"
            except CapacityExceeded as exc:
                outcome = exc.code
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()  # each thread owns its connection

    threads = [
        threading.Thread(target=confirm, args=(p.pk, officers[i % len(officers)]))
        for i, p in enumerate(placements)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    close_old_connections()
    return sorted(outcomes)


def officers_of(*organisations) -> list:  # type: ignore[no-untyped-def]
    return [MembershipFactory(organisation=o).user for o in organisations for _ in range(2)]


def proposals(missions, *, sender=None) -> list[Placement]:  # type: ignore[no-untyped-def]
    sender = sender or OrganisationFactory(country="SN")
    return [
        services.placement_propose(
            volunteer=VolunteerFactory(nationality="SN", sending_organisation=sender), mission=m
        )
        for m in missions
    ]


def accredited(host):  # type: ignore[no-untyped-def]
    """Eligibility is enforced at confirmation: the host holds an accreditation with room, so
    the only scarce thing in each race is the one under test."""
    AccreditationFactory(organisation=host, authorised_volunteers=100)
    return host


def test_last_place_of_a_mission_goes_to_exactly_one():
    host = accredited(OrganisationFactory())
    mission = MissionFactory(host=host, capacity=1)
    placements = proposals([mission] * THREADS)

    outcomes = race(placements, officers_of(host))

    assert outcomes == ["confirmed"] + ["mission_full"] * (THREADS - 1)
    assert Placement.objects.filter(mission=mission, status__in=HOLDING_STATUSES).count() == 1


def test_last_unit_of_a_yearly_quota_goes_to_exactly_one():
    sender, host = OrganisationFactory(country="SN"), accredited(OrganisationFactory(country="FR"))
    # A tolerance wider than the race: only the quota is scarce.
    agreement = AgreementFactory(party_a=sender, party_b=host, quota_a_to_b=1, tolerance=THREADS)
    # One mission each: the mission locks do not serialise them, only the agreement lock does.
    missions = [MissionFactory(host=host, agreement=agreement, capacity=5) for _ in range(THREADS)]
    placements = proposals(missions, sender=sender)

    outcomes = race(placements, officers_of(host, sender))

    assert outcomes == ["confirmed"] + ["quota_exceeded"] * (THREADS - 1)
    assert Placement.objects.filter(agreement=agreement, status__in=HOLDING_STATUSES).count() == 1


def test_last_authorised_volunteer_of_an_accreditation_goes_to_exactly_one():
    host = OrganisationFactory()
    AccreditationFactory(organisation=host, authorised_volunteers=1)
    missions = [MissionFactory(host=host, capacity=5) for _ in range(THREADS)]
    placements = proposals(missions)

    outcomes = race(placements, officers_of(host))

    assert outcomes == ["accreditation_full"] * (THREADS - 1) + ["confirmed"]
    assert Placement.objects.filter(mission__host=host, status__in=HOLDING_STATUSES).count() == 1
