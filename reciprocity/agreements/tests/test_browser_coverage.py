"""In a real Chromium: a coordinator sees a placement with a host of its network attach to its
agreement with a national agency, and that agreement's yearly quota refuse the next
confirmation."""

import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.accounts.tests.two_factor import browser_sign_in
from reciprocity.agreements.tests.factories import AgreementFactory
from reciprocity.missions.tests.factories import MissionFactory
from reciprocity.partners.models import Affiliation, AffiliationKind
from reciprocity.partners.tests.factories import AccreditationFactory, OrganisationFactory
from reciprocity.placements import services
from reciprocity.volunteers.tests.factories import VolunteerFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_placement_attaches_to_the_network_agreement_whose_quota_refuses_the_next(
    live_server, page,
):
    coordinator = OrganisationFactory(name="France Volontaires", is_coordinator=True)
    host = OrganisationFactory(name="Maison des Solidarités")
    AccreditationFactory(organisation=host, valid_to=datetime.date(2029, 12, 31))
    Affiliation.objects.create(member=host, parent=coordinator,
                               kind=AffiliationKind.NETWORK_MEMBER,
                               valid_from=datetime.date(2025, 1, 1))
    agency = OrganisationFactory(name="ANVT", country="TG", is_national_agency=True)
    agreement = AgreementFactory(party_a=agency, party_b=coordinator, title="ANVT ⇄ France Volontaires",
                                 quota_a_to_b=1, tolerance=5)
    agreement.schemes.add("service_civique")
    # The coordinator's administrator also runs the host's placements.
    user = UserFactory(username="claire")
    MembershipFactory(organisation=coordinator, role=MembershipRole.ADMIN, user=user)
    MembershipFactory(organisation=host, role=MembershipRole.OFFICER, user=user)
    mission = MissionFactory(host=host, capacity=2)  # names no agreement
    first, second = (
        services.placement_propose(
            volunteer=VolunteerFactory(nationality="TG", residence_country="TG",
                                       sending_organisation=agency),
            mission=mission)
        for _ in range(2)
    )
    base = live_server.url

    browser_sign_in(page, base, user)
    page.goto(f"{base}/placements/{first.pk}/")
    assert "ANVT ⇄ France Volontaires" in page.inner_text("dl.facts")
    page.click("button[name=confirm]")
    page.wait_for_selector("#placement-status")
    assert page.inner_text("#placement-status") == "Confirmed"

    page.goto(f"{base}/placements/{second.pk}/")
    assert "ANVT ⇄ France Volontaires" in page.inner_text("dl.facts")
    page.click("button[name=confirm]")
    page.wait_for_selector(".messages")
    assert "quota in this direction is used up" in page.inner_text(".messages")
    assert page.inner_text("#placement-status") == "Proposed"
