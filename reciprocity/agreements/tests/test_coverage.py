"""Which agreement covers a placement: the rule as a table, then the selector and placements."""

import datetime

import pytest

from reciprocity.agreements.coverage import Link, Terms, decide
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.core.exceptions import ApplicationError
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Affiliation, AffiliationKind
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.placements import services
from reciprocity.volunteers.tests.factories import VolunteerFactory

D = datetime.date
# Organisations: 1 France Volontaires, 2 ANVT (Togo), 3 a French host, 4 a Togolese host,
# 5 another national agency, 6 a stranger.
FV, ANVT, HOST_FR, HOST_TG, AGENCY, STRANGER = 1, 2, 3, 4, 5, 6
SC = frozenset({"service_civique", "vsi"})
FV_ANVT = Terms(10, "fv-anvt", "FV ⇄ ANVT", FV, ANVT, SC, D(2020, 1, 1), D(2028, 12, 31))
FV_AGENCY = Terms(11, "fv-agency", "FV ⇄ Agency", FV, AGENCY, SC, D(2020, 1, 1), D(2028, 12, 31))
HOST_ANVT = Terms(12, "host-anvt", "Host ⇄ ANVT", HOST_FR, ANVT, SC, D(2020, 1, 1), D(2028, 12, 31))
ENDED = Terms(13, "old", "Old", FV, ANVT, SC, D(2015, 1, 1), D(2019, 12, 31))
DRAFT = Terms(14, "draft", "Draft", FV, ANVT, SC, D(2020, 1, 1), D(2028, 12, 31), active=False)
MEMBER = Link(HOST_FR, FV, D(2020, 1, 1))
TG_MEMBER = Link(HOST_TG, ANVT, D(2020, 1, 1), D(2026, 12, 31))
START = D(2026, 3, 1)


@pytest.mark.parametrize(
    "case,sender,host,scheme,on,agreements,links,named,expected,candidates",
    [
        ("both parties", ANVT, FV, "service_civique", START, [FV_ANVT], [], None, 10, (10,)),
        ("parties, other way round", FV, ANVT, "vsi", START, [FV_ANVT], [], None, 10, (10,)),
        ("host affiliated to a party", ANVT, HOST_FR, "service_civique", START, [FV_ANVT],
         [MEMBER], None, 10, (10,)),
        ("sender affiliated to a party", HOST_FR, ANVT, "service_civique", START, [FV_ANVT],
         [MEMBER], None, 10, (10,)),
        ("both affiliated", HOST_TG, HOST_FR, "service_civique", START, [FV_ANVT],
         [MEMBER, TG_MEMBER], None, 10, (10,)),
        ("affiliation expired on the start", HOST_TG, HOST_FR, "service_civique",
         D(2027, 3, 1), [FV_ANVT], [MEMBER, TG_MEMBER], None, None, ()),
        ("affiliation not yet valid", ANVT, HOST_FR, "service_civique", D(2019, 6, 1),
         [Terms(15, "long", "Long", FV, ANVT, SC, D(2015, 1, 1), D(2028, 12, 31))], [MEMBER],
         None, None, ()),
        ("no affiliation", ANVT, HOST_FR, "service_civique", START, [FV_ANVT], [], None, None, ()),
        ("both on one side", FV, HOST_FR, "service_civique", START, [FV_ANVT], [MEMBER], None,
         None, ()),
        ("out of the agreement's dates", ANVT, FV, "service_civique", D(2029, 1, 1), [FV_ANVT],
         [], None, None, ()),
        ("ended agreement", ANVT, FV, "service_civique", START, [ENDED], [], None, None, ()),
        ("agreement not active", ANVT, FV, "service_civique", START, [DRAFT], [], None, None, ()),
        ("wrong scheme", ANVT, FV, "workcamp", START, [FV_ANVT], [], None, None, ()),
        ("stranger sends", STRANGER, FV, "service_civique", START, [FV_ANVT], [], None, None, ()),
        ("no sending organisation", None, FV, "service_civique", START, [FV_ANVT], [], None, None,
         ()),
        ("ambiguous: a party's agreement and the host's own", ANVT, HOST_FR, "service_civique",
         START, [FV_ANVT, HOST_ANVT], [MEMBER], None, None, (10, 12)),
        ("the mission names its agreement", ANVT, HOST_FR, "service_civique", START,
         [FV_ANVT, HOST_ANVT], [MEMBER], 12, 12, (12,)),
        ("one of two agreements of the host's network", ANVT, HOST_FR, "service_civique", START,
         [FV_ANVT, FV_AGENCY], [MEMBER], None, 10, (10,)),
    ],
)
def test_coverage_rule(case, sender, host, scheme, on, agreements, links, named, expected,
                       candidates):
    decision = decide(sender=sender, host=host, scheme=scheme, on=on, agreements=agreements,
                      links=links, named=named)

    assert (decision.agreement, decision.candidates) == (expected, candidates), case
    assert decision.ambiguous == (named is None and len(candidates) > 1)


@pytest.mark.django_db
class TestPlacementsFindTheirAgreement:
    @pytest.fixture
    def network(self):
        fv = OrganisationFactory(name="France Volontaires", country="FR")
        anvt = OrganisationFactory(name="ANVT", country="TG", is_host=False)
        host = OrganisationFactory(name="Maison des Solidarités", country="FR")
        Affiliation.objects.create(member=host, parent=fv, kind=AffiliationKind.NETWORK_MEMBER,
                                   valid_from=D(2020, 1, 1))
        agreement = AgreementFactory(party_a=fv, party_b=anvt, title="FV ⇄ ANVT")
        agreement.schemes.add("service_civique")
        volunteer = VolunteerFactory(nationality="TG", residence_country="TG",
                                     sending_organisation=anvt)
        return fv, anvt, host, agreement, volunteer

    def test_a_network_member_hosts_under_the_networks_agreement(self, network):
        _fv, _anvt, host, agreement, volunteer = network

        placement = services.placement_propose(volunteer=volunteer, mission=MissionFactory(host=host))

        assert placement.agreement == agreement

    def test_two_covering_agreements_are_refused_with_both_named(self, network):
        _fv, anvt, host, _agreement, volunteer = network
        other = AgreementFactory(party_a=host, party_b=anvt, title="Maison ⇄ ANVT")
        other.schemes.add("service_civique")

        with pytest.raises(ApplicationError) as refused:
            services.placement_propose(volunteer=volunteer, mission=MissionFactory(host=host))

        assert refused.value.code == "agreement_ambiguous"
        assert "FV ⇄ ANVT" in refused.value.message and "Maison ⇄ ANVT" in refused.value.message
        assert len(refused.value.details["agreements"]) == 2

    def test_the_mission_naming_its_agreement_settles_it(self, network):
        _fv, anvt, host, _agreement, volunteer = network
        other = AgreementFactory(party_a=host, party_b=anvt)
        other.schemes.add("service_civique")

        placement = services.placement_propose(
            volunteer=volunteer, mission=MissionFactory(host=host, agreement=other))

        assert placement.agreement == other

    def test_a_scheme_outside_the_agreement_gets_none(self, network):
        _fv, _anvt, host, _agreement, volunteer = network

        placement = services.placement_propose(
            volunteer=volunteer, mission=MissionFactory(host=host, scheme_id="workcamp"))

        assert placement.agreement is None
