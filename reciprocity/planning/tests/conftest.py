import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory
from reciprocity.agreements.models import AgreementStatus
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.partners.models import Affiliation, AffiliationKind
from reciprocity.partners.tests.factories import OrganisationFactory

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def network(db):
    """A coordinator and its network member, with agreements in and out of the network and of
    next year."""
    coordinator = OrganisationFactory(name="Coordination", country="FR", is_coordinator=True)
    member = OrganisationFactory(name="Member", country="FR")
    Affiliation.objects.create(member=member, parent=coordinator,
                               kind=AffiliationKind.NETWORK_MEMBER,
                               valid_from=datetime.date(2026, 1, 1))
    senegal = OrganisationFactory(name="Senegal agency", country="SN")
    tunisia = OrganisationFactory(name="Tunisia agency", country="TN")
    officer = MembershipFactory(organisation=coordinator, role=MembershipRole.OFFICER).user
    viewer = MembershipFactory(organisation=coordinator, role=MembershipRole.VIEWER).user
    outsider = MembershipFactory(organisation=OrganisationFactory(name="Elsewhere",
                                                                  is_coordinator=True),
                                 role=MembershipRole.ADMIN).user
    senegal_ag = AgreementFactory(reference="fr-sn", party_a=member, party_b=senegal,
                                  quota_a_to_b=10, quota_b_to_a=10, tolerance=3)
    tunisia_ag = AgreementFactory(reference="fr-tn", party_a=coordinator, party_b=tunisia,
                                  quota_a_to_b=5, quota_b_to_a=5, tolerance=2)
    for agreement in (senegal_ag, tunisia_ag):
        agreement.schemes.add("service_civique")
    return {
        "coordinator": coordinator, "member": member, "senegal": senegal, "tunisia": tunisia,
        "officer": officer, "viewer": viewer, "outsider": outsider, "staff": StaffFactory(),
        "senegal_ag": senegal_ag, "tunisia_ag": tunisia_ag,
        # Not copied: outside the network, ending this year, suspended.
        "outside_ag": AgreementFactory(reference="other", party_a=OrganisationFactory(),
                                       party_b=senegal),
        "ended_ag": AgreementFactory(reference="ended", party_a=member, party_b=tunisia,
                                     end_date=datetime.date(2026, 12, 31)),
        "suspended_ag": AgreementFactory(reference="suspended", party_a=member, party_b=tunisia,
                                         status=AgreementStatus.SUSPENDED),
    }
