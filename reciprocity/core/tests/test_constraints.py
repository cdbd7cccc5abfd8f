"""Invariants live in the database: these writes must be refused by the database itself."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from reciprocity.accounts.models import Membership
from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.applications.tests.factories import ApplicationChoiceFactory
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.placements.models import PlacementStatus
from reciprocity.placements.tests.factories import PlacementFactory
from reciprocity.schemes.models import SchemeSuspension
from reciprocity.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_mission_cannot_end_before_it_starts():
    refused(MissionFactory, start_date=datetime.date(2027, 5, 1), end_date=datetime.date(2027, 4, 30))


def test_mission_age_range_must_be_ordered():
    refused(MissionFactory, age_min=26, age_max=18)


def test_mission_status_must_be_known():
    refused(MissionFactory, status="open-ish")


def test_agreement_needs_two_different_parties():
    org = OrganisationFactory()
    refused(AgreementFactory, party_a=org, party_b=org)


def test_agreement_period_is_ordered():
    refused(AgreementFactory, start_date=datetime.date(2026, 1, 2), end_date=datetime.date(2026, 1, 1))


def test_accreditation_period_and_number_unique():
    refused(AccreditationFactory, valid_from=datetime.date(2027, 1, 1), valid_to=datetime.date(2026, 1, 1))
    AccreditationFactory(number="NA-1")
    refused(AccreditationFactory, number="NA-1")


def test_volunteer_gender_and_reference():
    refused(VolunteerFactory, gender="Q")
    refused(VolunteerFactory, reference="")


def test_application_choice_ranks_are_unique_and_bounded():
    choice = ApplicationChoiceFactory(rank=1)
    refused(ApplicationChoiceFactory, application=choice.application, rank=1)
    refused(ApplicationChoiceFactory, application=choice.application, mission=choice.mission, rank=2)
    refused(ApplicationChoiceFactory, application=choice.application, rank=7)


def test_placement_period_and_single_active_hold_per_mission():
    refused(PlacementFactory, start_date=datetime.date(2027, 5, 1), end_date=datetime.date(2027, 4, 1))
    placement = PlacementFactory()
    refused(PlacementFactory, volunteer=placement.volunteer, mission=placement.mission)
    # A cancelled placement no longer holds the mission: the volunteer may be placed again.
    placement.status = PlacementStatus.CANCELLED
    placement.save()
    PlacementFactory(volunteer=placement.volunteer, mission=placement.mission)


def test_membership_unique_and_role_known():
    user, org = UserFactory(), OrganisationFactory()
    Membership.objects.create(user=user, organisation=org, role="viewer")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organisation=org, role="admin")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=UserFactory(), organisation=org, role="boss")


def test_suspension_period_may_be_open_but_not_inverted():
    SchemeSuspension.objects.create(scheme_id="vsi", start=datetime.date(2026, 1, 1), reason="budget")
    with pytest.raises(IntegrityError), transaction.atomic():
        SchemeSuspension.objects.create(
            scheme_id="esc", start=datetime.date(2026, 2, 1), end=datetime.date(2026, 1, 1), reason="x"
        )
