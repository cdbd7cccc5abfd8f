from dataclasses import dataclass

import pytest

from reciprocity.accounts.models import MembershipRole, User
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.applications.tests.factories import ApplicationChoiceFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements.models import Placement
from reciprocity.placements.tests.factories import PlacementFactory


@dataclass
class Parties:
    placement: Placement
    volunteer: User
    host_officer: User
    host_viewer: User
    sender_officer: User
    outsider: User


@pytest.fixture
def parties(db) -> Parties:  # type: ignore[no-untyped-def]
    placement = PlacementFactory()
    volunteer = UserFactory(first_name="Awa", last_name="Diallo")
    placement.volunteer.user = volunteer
    placement.volunteer.save(update_fields=["user"])
    host = placement.mission.host
    return Parties(
        placement=placement,
        volunteer=volunteer,
        host_officer=MembershipFactory(organisation=host, role=MembershipRole.OFFICER,
                                       user=UserFactory(first_name="Hélène")).user,
        host_viewer=MembershipFactory(organisation=host, role=MembershipRole.VIEWER).user,
        sender_officer=MembershipFactory(organisation=placement.sending_organisation,
                                         role=MembershipRole.ADMIN).user,
        outsider=MembershipFactory(organisation=OrganisationFactory(name="Elsewhere"),
                                   role=MembershipRole.ADMIN).user,
    )


@pytest.fixture
def two_hosts(db):  # type: ignore[no-untyped-def]
    """An application with choices at two hosts, and an officer of each host."""
    first = ApplicationChoiceFactory()
    second = ApplicationChoiceFactory(application=first.application, rank=2)
    return {
        "application": first.application,
        "host_a": first.mission.host, "host_b": second.mission.host,
        "officer_a": MembershipFactory(organisation=first.mission.host).user,
        "officer_b": MembershipFactory(organisation=second.mission.host).user,
        "sender": MembershipFactory(organisation=first.application.sending_organisation).user,
    }
