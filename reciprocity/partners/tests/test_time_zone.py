"""Members see times in their organisation's time zone; others in the platform's."""
import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory
from reciprocity.partners.tests.factories import OrganisationFactory
from reciprocity.partners.timezones import OrganisationTimeZoneMiddleware, organisation_time_zone

pytestmark = pytest.mark.django_db


def test_a_member_gets_their_organisations_time_zone() -> None:
    membership = MembershipFactory(organisation=OrganisationFactory(time_zone="Africa/Abidjan"))

    zone = organisation_time_zone(membership.user)

    assert zone is not None and zone.key == "Africa/Abidjan"


def test_no_zone_an_unknown_zone_or_no_organisation_means_the_platforms() -> None:
    assert organisation_time_zone(MembershipFactory(organisation=OrganisationFactory()).user) is None
    unknown = MembershipFactory(organisation=OrganisationFactory(time_zone="Mars/Olympus"))
    assert organisation_time_zone(unknown.user) is None
    assert organisation_time_zone(UserFactory()) is None


def test_the_zone_is_kept_at_sign_in_and_activated_for_each_request_only(client) -> None:  # type: ignore[no-untyped-def]
    membership = MembershipFactory(organisation=OrganisationFactory(time_zone="America/Lima"))
    client.force_login(membership.user)
    request = RequestFactory().get("/")
    request.session = client.session
    seen: list[str] = []

    def view(_request):  # type: ignore[no-untyped-def]
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    OrganisationTimeZoneMiddleware(view)(request)

    assert seen == ["America/Lima"]
    assert timezone.get_current_timezone_name() != "America/Lima"
