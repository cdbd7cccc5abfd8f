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


def test_the_organisations_admin_sets_its_zone_on_the_edit_page_and_sees_it_at_once(client) -> None:  # type: ignore[no-untyped-def]
    from reciprocity.accounts.models import MembershipRole
    from reciprocity.partners.timezones import SESSION_KEY

    host = OrganisationFactory(name="Maison des Solidarités")
    client.force_login(MembershipFactory(organisation=host, role=MembershipRole.ADMIN).user)

    page = client.get(f"/organisations/{host.pk}/edit/").content.decode()
    assert 'name="time_zone"' in page and 'value="Africa/Abidjan"' in page

    refused = client.post(f"/organisations/{host.pk}/edit/", {"time_zone": "Mars/Olympus"})
    assert refused.status_code == 400
    host.refresh_from_db()
    assert host.time_zone == ""

    response = client.post(f"/organisations/{host.pk}/edit/", {"time_zone": "Africa/Abidjan"})
    assert response.status_code == 302
    host.refresh_from_db()
    assert host.time_zone == "Africa/Abidjan"
    assert client.session[SESSION_KEY] == "Africa/Abidjan"
    assert "Africa/Abidjan" in client.get(f"/organisations/{host.pk}/").content.decode()


def test_the_service_refuses_an_unknown_zone_and_the_api_sets_a_known_one(client) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import datetime

    from reciprocity.accounts.tests.factories import StaffFactory
    from reciprocity.core.exceptions import ApplicationError
    from reciprocity.partners import services

    staff = StaffFactory()
    host = OrganisationFactory()
    data = dataclasses.replace(services.OrganisationData.of(host), time_zone="Europe/Nowhere")
    with pytest.raises(ApplicationError) as refused:
        services.organisation_update(by=staff, organisation=host, data=data,
                                     today=datetime.date(2026, 11, 26))
    assert list(refused.value.details) == ["time_zone"]

    client.force_login(staff)
    response = client.patch(f"/api/v1/organisations/{host.pk}", {"time_zone": "America/Lima"},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["time_zone"] == "America/Lima"
    bad = client.patch(f"/api/v1/organisations/{host.pk}", {"time_zone": "Nowhere"},
                       content_type="application/json")
    assert bad.status_code == 400
    host.refresh_from_db()
    assert host.time_zone == "America/Lima"
