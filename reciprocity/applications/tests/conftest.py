"""A small exchange network: a host with an officer, a sending agency with an officer, a
volunteer with an account, and published missions of the host."""

import datetime
from dataclasses import dataclass

import pytest

from reciprocity.accounts.models import MembershipRole, User
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.missions.models import Mission
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Organisation
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.volunteers.models import Volunteer
from reciprocity.volunteers.tests.factories import VolunteerFactory


@dataclass
class Network:
    host: Organisation
    host_officer: User
    other_host: Organisation
    other_host_officer: User
    sender: Organisation
    sender_officer: User
    sender_viewer: User
    volunteer: Volunteer
    volunteer_user: User
    missions: list[Mission]
    other_mission: Mission


@pytest.fixture
def network(db) -> Network:
    host = OrganisationFactory(name="Maison des Solidarités", country="FR", email="host@example.org")
    other_host = OrganisationFactory(name="Autre Accueil", country="FR")
    # Accredited for Service Civique over the missions' dates: the eligibility engine requires
    # it, and accepting or confirming an ineligible volunteer is refused (not_eligible).
    for accredited in (host, other_host):
        for scheme in ("service_civique", "vsi"):
            AccreditationFactory(organisation=accredited, scheme_id=scheme,
                                 valid_to=datetime.date(2029, 12, 31))
    sender = OrganisationFactory(name="ANVT", country="TG", is_host=False)
    volunteer_user = UserFactory(username="kofi")
    volunteer = VolunteerFactory(
        user=volunteer_user, nationality="TG", residence_country="TG", sending_organisation=sender
    )
    return Network(
        host=host,
        host_officer=MembershipFactory(organisation=host).user,
        other_host=other_host,
        other_host_officer=MembershipFactory(organisation=other_host).user,
        sender=sender,
        sender_officer=MembershipFactory(organisation=sender).user,
        sender_viewer=MembershipFactory(organisation=sender, role=MembershipRole.VIEWER).user,
        volunteer=volunteer,
        volunteer_user=volunteer_user,
        missions=[MissionFactory(host=host, title=f"Mission {i}") for i in range(3)],
        other_mission=MissionFactory(host=other_host, title="Elsewhere"),
    )
