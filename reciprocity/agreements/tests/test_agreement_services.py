"""Agreements and programmes written by coordinators: who may, and every database rule
refused first with a message by field."""

import dataclasses
import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory
from reciprocity.agreements import services
from reciprocity.agreements.services import AgreementData, ProgrammeData
from reciprocity.agreements.tests.factories import AgreementFactory, ProgrammeFactory
from reciprocity.core.exceptions import NotAllowed
from reciprocity.core.validation import InvalidData
from reciprocity.partners.models import Affiliation, AffiliationKind
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.schemes.models import Scheme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def network():
    coordinator = OrganisationFactory(name="France Volontaires", is_coordinator=True)
    host = OrganisationFactory(name="Maison des Solidarités")
    Affiliation.objects.create(member=host, parent=coordinator,
                               kind=AffiliationKind.NETWORK_MEMBER, valid_from=TODAY)
    admin = MembershipFactory(organisation=coordinator, role=MembershipRole.OFFICER).user
    agency = OrganisationFactory(name="ANVT", country="TG", is_national_agency=True)
    return {"coordinator": coordinator, "host": host, "writer": admin, "agency": agency}


def agreement(network: dict, **changes: object) -> AgreementData:
    return dataclasses.replace(AgreementData(
        reference="mds-anvt-2027", title="MDS ⇄ ANVT", party_a=network["host"],
        party_b=network["agency"], schemes=(Scheme.objects.get(pk="service_civique"),),
        start_date=datetime.date(2027, 1, 1), end_date=datetime.date(2027, 12, 31),
        quota_a_to_b=2, quota_b_to_a=3, tolerance=1, tolerance_strict=True), **changes)


def test_a_coordinator_writes_an_agreement_for_a_host_of_its_network(network):
    created = services.agreement_create(by=network["writer"], data=agreement(network),
                                        today=TODAY)
    assert list(created.schemes.values_list("code", flat=True)) == ["service_civique"]
    assert created.tolerance_strict and created.status == "draft"

    updated = services.agreement_update(by=network["writer"], agreement=created, today=TODAY,
                                        data=agreement(network, status="active", quota_b_to_a=4))
    assert (updated.status, updated.quota_b_to_a) == ("active", 4)


def test_nobody_writes_an_agreement_between_organisations_out_of_reach(network):
    stranger = OrganisationFactory(name="Elsewhere")
    with pytest.raises(NotAllowed):
        services.agreement_create(by=network["writer"], today=TODAY,
                                  data=agreement(network, party_a=stranger))
    theirs = AgreementFactory(party_a=stranger, party_b=network["agency"])
    with pytest.raises(NotAllowed):
        services.agreement_update(by=network["writer"], agreement=theirs, today=TODAY,
                                  data=agreement(network))
    # Nor move their own agreement out of reach.
    ours = AgreementFactory(party_a=network["host"], party_b=network["agency"])
    with pytest.raises(NotAllowed):
        services.agreement_update(by=network["writer"], agreement=ours, today=TODAY,
                                  data=agreement(network, party_a=stranger))
    # A party's own administrator, not a coordinator, writes none.
    host_admin = MembershipFactory(organisation=network["host"], role=MembershipRole.ADMIN).user
    with pytest.raises(NotAllowed):
        services.agreement_create(by=host_admin, data=agreement(network), today=TODAY)


def test_agreement_rules_are_refused_by_field(network):
    AgreementFactory(reference="taken")
    with pytest.raises(InvalidData) as exc:
        services.agreement_create(
            by=StaffFactory(), today=TODAY,
            data=agreement(network, reference="taken", party_b=network["host"],
                           end_date=datetime.date(2026, 1, 1), schemes=(), unit="bogus"))
    assert set(exc.value.details) == {"reference", "party_b", "end_date", "schemes", "unit"}


def test_programmes_are_written_by_their_coordinator(network):
    data = ProgrammeData(code="weccee", name="WECCEE", coordinator=network["coordinator"],
                         start_date=TODAY, countries=("fr", "SN", "sn"),
                         schemes=(Scheme.objects.get(pk="vsi"),))
    programme = services.programme_create(by=network["writer"], data=data)
    assert programme.countries == ["FR", "SN"]

    with pytest.raises(InvalidData) as exc:
        services.programme_update(by=network["writer"], programme=programme, data=dataclasses.replace(
            data, end_date=datetime.date(2020, 1, 1), countries=("ZZ",)))
    assert set(exc.value.details) == {"end_date", "countries"}

    other = ProgrammeFactory(code="taken")
    with pytest.raises(NotAllowed):
        services.programme_update(by=network["writer"], programme=other, data=data)
    with pytest.raises(InvalidData) as exc:
        services.programme_create(by=StaffFactory(), data=dataclasses.replace(data, code="taken"))
    assert set(exc.value.details) == {"code"}
    # The host of the network is not a coordinator: its people write no programme.
    host_admin = MembershipFactory(organisation=network["host"], role=MembershipRole.ADMIN).user
    with pytest.raises(NotAllowed):
        services.programme_create(by=host_admin, data=dataclasses.replace(
            data, code="mine", coordinator=network["host"]))
