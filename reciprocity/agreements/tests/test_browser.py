"""A coordinator's administrator creates an agreement through the page, in a real Chromium,
for a host of their network and a national agency abroad."""

import datetime

import pytest

from reciprocity.accounts.models import MembershipRole
from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.accounts.tests.two_factor import browser_sign_in
from reciprocity.agreements.models import Agreement
from reciprocity.partners.models import Affiliation, AffiliationKind
from reciprocity.partners.tests.factories import OrganisationFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_creates_an_agreement_through_the_page(live_server, page):
    coordinator = OrganisationFactory(name="France Volontaires", is_coordinator=True)
    host = OrganisationFactory(name="Maison des Solidarités")
    Affiliation.objects.create(member=host, parent=coordinator,
                               kind=AffiliationKind.NETWORK_MEMBER,
                               valid_from=datetime.date(2025, 1, 1))
    agency = OrganisationFactory(name="ANVT", country="TG", is_national_agency=True)
    admin = MembershipFactory(organisation=coordinator, role=MembershipRole.ADMIN,
                              user=UserFactory(username="claire")).user
    base = live_server.url

    browser_sign_in(page, base, admin)
    page.goto(f"{base}/agreements/")
    page.click("[data-nav=agreement_create]")
    page.fill("#id_reference", "mds-anvt-2027")
    page.fill("#id_title", "Maison des Solidarités ⇄ ANVT")
    page.select_option("#id_party_a", str(host.pk))
    page.select_option("#id_party_b", str(host.pk))
    page.check("#network-form input[name=schemes][value=service_civique]")
    page.fill("#id_start_date", "2027-01-01")
    page.fill("#id_end_date", "2027-12-31")
    page.fill("#id_quota_a_to_b", "2")
    page.fill("#id_quota_b_to_a", "3")
    page.fill("#id_tolerance", "1")
    page.check("#id_tolerance_strict")
    page.select_option("#id_status", "active")
    page.click("#network-form button[type=submit]")

    # The same party twice: refused on the field, with what to do.
    assert "The two parties must be different organisations." in page.inner_text("#error-party_b")
    page.select_option("#id_party_b", str(agency.pk))
    page.click("#network-form button[type=submit]")
    page.wait_for_selector("#edit-agreement")

    agreement = Agreement.objects.get(reference="mds-anvt-2027")
    assert (agreement.party_a, agreement.party_b) == (host, agency)
    assert (agreement.quota_a_to_b, agreement.quota_b_to_a, agreement.tolerance) == (2, 3, 1)
    assert agreement.tolerance_strict and agreement.status == "active"
    assert list(agreement.schemes.values_list("code", flat=True)) == ["service_civique"]
    assert "ANVT" in page.inner_text("main")
