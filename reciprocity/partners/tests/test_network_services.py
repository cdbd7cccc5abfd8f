"""Running the network: who may create and change organisations, accreditations and
affiliations, and every database rule refused first with a translated message by field."""

import dataclasses
import datetime

import pytest
from django.utils import translation

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory
from reciprocity.core.exceptions import NotAllowed
from reciprocity.core.validation import InvalidData
from reciprocity.partners import services
from reciprocity.partners.models import Accreditation, Affiliation, AffiliationKind, Organisation
from reciprocity.partners.permissions import can_edit_contacts, can_manage_organisation
from reciprocity.partners.services import AccreditationData, OrganisationData
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.schemes.models import Scheme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def coordinator():
    return OrganisationFactory(name="France Volontaires", is_coordinator=True)


@pytest.fixture
def coordinator_admin(coordinator):
    return MembershipFactory(organisation=coordinator, role=MembershipRole.ADMIN).user


@pytest.fixture
def member(coordinator):
    """A host of the coordinator's network."""
    host = OrganisationFactory(name="Maison des Solidarités")
    Affiliation.objects.create(member=host, parent=coordinator,
                               kind=AffiliationKind.NETWORK_MEMBER,
                               valid_from=datetime.date(2025, 1, 1))
    return host


def data(**changes: object) -> OrganisationData:
    return dataclasses.replace(OrganisationData(name="Solidarité Jeunesse", country="fr",
                                                is_host=True), **changes)


def test_a_coordinator_creates_an_organisation_in_its_network_and_may_then_run_it(
        coordinator, coordinator_admin):
    organisation = services.organisation_create(by=coordinator_admin, data=data(),
                                                network=coordinator, today=TODAY)

    assert organisation.country == "FR" and organisation.exchange_code is None
    affiliation = Affiliation.objects.get(member=organisation)
    assert (affiliation.parent, affiliation.kind, affiliation.valid_from) == (
        coordinator, AffiliationKind.NETWORK_MEMBER, TODAY)
    assert can_manage_organisation(coordinator_admin, organisation, today=TODAY)


def test_a_coordinator_must_name_its_own_network_and_cannot_make_coordinators(
        coordinator, coordinator_admin):
    other = OrganisationFactory(name="Other network", is_coordinator=True)

    with pytest.raises(NotAllowed):
        services.organisation_create(by=coordinator_admin, data=data(), network=None, today=TODAY)
    with pytest.raises(NotAllowed):
        services.organisation_create(by=coordinator_admin, data=data(), network=other,
                                     today=TODAY)
    with pytest.raises(NotAllowed) as exc:
        services.organisation_create(by=coordinator_admin, data=data(is_coordinator=True),
                                     network=coordinator, today=TODAY)
    assert exc.value.code == "coordinator_flag"
    staff_made = services.organisation_create(by=StaffFactory(), data=data(is_coordinator=True),
                                              network=None, today=TODAY)
    assert staff_made.is_coordinator


@pytest.mark.parametrize("role", [MembershipRole.VIEWER])
def test_viewers_of_a_coordinator_and_other_members_create_nothing(coordinator, role):
    viewer = MembershipFactory(organisation=coordinator, role=role).user
    host_admin = MembershipFactory(organisation=OrganisationFactory(),
                                   role=MembershipRole.ADMIN).user
    for user in (viewer, host_admin, UserFactory()):
        with pytest.raises(NotAllowed):
            services.organisation_create(by=user, data=data(), network=coordinator, today=TODAY)


def test_duplicate_name_in_a_country_and_exchange_code_are_refused_by_field():
    staff = StaffFactory()
    OrganisationFactory(name="Solidarité Jeunesse", country="FR", exchange_code="SJ")

    with pytest.raises(InvalidData) as exc:
        services.organisation_create(by=staff, data=data(name="solidarité jeunesse ",
                                                         exchange_code=" sj"),
                                     network=None, today=TODAY)

    assert set(exc.value.details) == {"name", "exchange_code"}
    assert exc.value.code == "invalid_input"
    # Same name in another country is another organisation.
    services.organisation_create(by=staff, data=data(country="BE"), network=None, today=TODAY)


def test_messages_are_translated_and_field_checks_run_too():
    staff = StaffFactory()
    OrganisationFactory(name="Solidarité Jeunesse", country="FR")

    with translation.override("fr"), pytest.raises(InvalidData) as exc:
        services.organisation_create(
            by=staff, data=data(email="not-an-address", website="nowhere", country="XX",
                                name=""), network=None, today=TODAY)

    assert {"email", "website", "country", "name"} <= set(exc.value.details)
    assert "Saisissez une adresse" in exc.value.details["email"][0]


def test_empty_exchange_code_is_stored_as_none_for_everyone():
    staff = StaffFactory()
    first = services.organisation_create(by=staff, data=data(exchange_code="  "), network=None,
                                         today=TODAY)
    second = services.organisation_create(by=staff, data=data(name="B", exchange_code=""),
                                          network=None, today=TODAY)
    assert first.exchange_code is None and second.exchange_code is None


def test_an_organisations_own_admin_edits_its_contacts_only(member):
    admin = MembershipFactory(organisation=member, role=MembershipRole.ADMIN).user
    officer = MembershipFactory(organisation=member, role=MembershipRole.OFFICER).user
    current = OrganisationData.of(member)

    services.organisation_update(by=admin, organisation=member, today=TODAY,
                                 data=dataclasses.replace(current, phone="+33 1 23",
                                                          email="Contact@MDS.org"))
    member.refresh_from_db()
    assert (member.phone, member.email) == ("+33 1 23", "contact@mds.org")

    with pytest.raises(NotAllowed):
        services.organisation_update(by=admin, organisation=member, today=TODAY,
                                     data=dataclasses.replace(current, name="Renamed"))
    with pytest.raises(NotAllowed):
        services.organisation_update(by=officer, organisation=member, today=TODAY,
                                     data=dataclasses.replace(current, phone="0"))
    assert can_edit_contacts(admin, member, today=TODAY)
    assert not can_edit_contacts(officer, member, today=TODAY)


def test_coordinators_edit_their_network_but_not_the_coordinator_flag(coordinator_admin, member):
    current = OrganisationData.of(member)
    services.organisation_update(by=coordinator_admin, organisation=member, today=TODAY,
                                 data=dataclasses.replace(current, name="MDS", is_sending=False))
    member.refresh_from_db()
    assert member.name == "MDS"
    with pytest.raises(NotAllowed):
        services.organisation_update(by=coordinator_admin, organisation=member, today=TODAY,
                                     data=dataclasses.replace(OrganisationData.of(member),
                                                              is_coordinator=True))


def test_an_ended_affiliation_takes_the_organisation_out_of_the_network(coordinator_admin,
                                                                         member):
    Affiliation.objects.filter(member=member).update(valid_to=datetime.date(2026, 1, 1))
    assert not can_manage_organisation(coordinator_admin, member, today=TODAY)
    with pytest.raises(NotAllowed):
        services.organisation_update(by=coordinator_admin, organisation=member, today=TODAY,
                                     data=dataclasses.replace(OrganisationData.of(member),
                                                              name="Taken"))


def test_a_form_sent_back_unchanged_needs_no_right(member):
    outsider = MembershipFactory(role=MembershipRole.ADMIN).user
    same = services.organisation_update(by=outsider, organisation=member, today=TODAY,
                                        data=OrganisationData.of(member))
    assert same == member


# --- accreditations ---------------------------------------------------------------------------

def accreditation(**changes: object) -> AccreditationData:
    return dataclasses.replace(AccreditationData(
        scheme=Scheme.objects.get(pk="service_civique"), kind="individual",
        number="NA-075-26-00001-00", authorised_volunteers=4,
        valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2028, 12, 31),
        issuer="Agence du Service Civique"), **changes)


def test_coordinators_record_accreditations_of_their_network(coordinator_admin, member):
    created = services.accreditation_create(by=coordinator_admin, organisation=member,
                                            data=accreditation(), today=TODAY)
    assert created.organisation == member

    updated = services.accreditation_update(by=coordinator_admin, accreditation=created,
                                            data=accreditation(authorised_volunteers=6),
                                            today=TODAY)
    assert updated.authorised_volunteers == 6

    admin = MembershipFactory(organisation=member, role=MembershipRole.ADMIN).user
    with pytest.raises(NotAllowed):
        services.accreditation_create(by=admin, organisation=member,
                                      data=accreditation(number="X"), today=TODAY)


def test_accreditation_rules_are_refused_by_field(member):
    staff = StaffFactory()
    AccreditationFactory(number="NA-075-26-00001-00", scheme_id="service_civique")

    with pytest.raises(InvalidData) as exc:
        services.accreditation_create(
            by=staff, organisation=member, today=TODAY,
            data=accreditation(valid_to=datetime.date(2025, 1, 1), kind="bogus"))

    assert set(exc.value.details) == {"number", "valid_to", "kind"}
    # The same number under another scheme is another accreditation.
    services.accreditation_create(by=staff, organisation=member, today=TODAY,
                                  data=accreditation(scheme=Scheme.objects.get(pk="vsi")))
    assert Accreditation.objects.filter(organisation=member).count() == 1


# --- affiliations -----------------------------------------------------------------------------

def test_coordinators_add_an_existing_host_to_their_network_and_end_it(coordinator,
                                                                       coordinator_admin):
    host = OrganisationFactory(name="Concordia")

    affiliation = services.affiliation_create(
        by=coordinator_admin, member=host, parent=coordinator,
        kind=AffiliationKind.NETWORK_MEMBER, valid_from=TODAY, valid_to=None, today=TODAY)
    assert can_manage_organisation(coordinator_admin, host, today=TODAY)

    services.affiliation_end(by=coordinator_admin, affiliation=affiliation,
                             on=datetime.date(2026, 12, 31), today=TODAY)
    affiliation.refresh_from_db()
    assert affiliation.valid_to == datetime.date(2026, 12, 31)
    with pytest.raises(InvalidData):
        services.affiliation_end(by=coordinator_admin, affiliation=affiliation,
                                 on=datetime.date(2027, 6, 1), today=TODAY)


def test_affiliation_rules_are_refused_with_messages(coordinator, member):
    staff = StaffFactory()
    with pytest.raises(InvalidData) as exc:
        services.affiliation_create(by=staff, member=coordinator, parent=coordinator,
                                    kind="network_member", valid_from=TODAY,
                                    valid_to=datetime.date(2026, 1, 1), today=TODAY)
    assert set(exc.value.details) == {"parent", "valid_to"}

    with pytest.raises(InvalidData) as exc:  # overlaps the member's running affiliation
        services.affiliation_create(by=staff, member=member, parent=coordinator,
                                    kind="network_member", valid_from=TODAY, valid_to=None,
                                    today=TODAY)
    assert set(exc.value.details) == {"__all__"}

    with pytest.raises(InvalidData) as exc:
        services.affiliation_create(by=staff, member=member, parent=coordinator, kind="bogus",
                                    valid_from=TODAY, valid_to=None, today=TODAY)
    assert set(exc.value.details) == {"kind"}


def test_coordinators_cannot_pull_another_coordinator_or_write_for_others(coordinator,
                                                                          coordinator_admin):
    other = OrganisationFactory(name="Other network", is_coordinator=True)
    host = OrganisationFactory(name="Concordia")
    with pytest.raises(NotAllowed):
        services.affiliation_create(by=coordinator_admin, member=other, parent=coordinator,
                                    kind="network_member", valid_from=TODAY, valid_to=None,
                                    today=TODAY)
    with pytest.raises(NotAllowed):
        services.affiliation_create(by=coordinator_admin, member=host, parent=other,
                                    kind="network_member", valid_from=TODAY, valid_to=None,
                                    today=TODAY)
    assert not Organisation.objects.get(pk=host.pk).affiliations.exists()
