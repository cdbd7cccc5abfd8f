"""The application pages: apply, the host's decision, and what each party may open."""

import pytest
from django.utils import timezone

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.applications.models import ApplicationChoice, ChoiceStatus
from reciprocity.placements.models import Placement
from reciprocity.workflow import applying

pytestmark = pytest.mark.django_db


def test_volunteer_applies_through_the_form_and_sees_the_verdict(client, network):
    client.force_login(network.volunteer_user)
    form = client.get(f"/applications/new/?mission={network.missions[1].pk}").content.decode()
    assert "Choice 6" in form

    response = client.post("/applications/new/", {
        "volunteer": network.volunteer.pk, "motivation": "I want to help",
        "mission_1": network.missions[1].pk, "mission_2": network.missions[2].pk,
    })

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Mission 1" in page and "Mission 2" in page
    assert "Eligible" in page or "Not eligible" in page


def test_form_shows_refusals_without_a_server_error(client, network):
    client.force_login(network.volunteer_user)
    response = client.post("/applications/new/", {
        "volunteer": network.volunteer.pk, "motivation": "x",
        "mission_1": network.missions[0].pk, "mission_2": network.missions[0].pk,
    })
    assert response.status_code == 200
    assert "only once" in response.content.decode()


def test_host_accepts_on_the_page_and_other_host_sees_only_its_choice(client, network):
    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer,
        missions=[network.missions[0], network.other_mission],
    )
    mine = application.choices.get(mission=network.missions[0])

    client.force_login(network.other_host_officer)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert "Elsewhere" in page and "Mission 0" not in page
    client.post(f"/applications/choices/{mine.pk}/accept/")  # not theirs: refused
    assert ApplicationChoice.objects.get(pk=mine.pk).status == ChoiceStatus.PENDING

    client.force_login(network.host_officer)
    client.post(f"/applications/choices/{mine.pk}/accept/")
    assert ApplicationChoice.objects.get(pk=mine.pk).status == ChoiceStatus.ACCEPTED
    assert Placement.objects.filter(application=application).exists()


def test_strangers_get_404_and_anonymous_are_sent_to_sign_in(client, network):
    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer, missions=[network.missions[0]]
    )
    assert client.get(f"/applications/{application.pk}/").status_code == 302
    client.force_login(UserFactory())
    assert client.get(f"/applications/{application.pk}/").status_code == 404
    assert "No application you can see" in client.get("/applications/").content.decode()


def test_list_shows_the_hosts_inbox(client, network):
    applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer, missions=[network.missions[0]]
    )
    client.force_login(network.host_officer)
    page = client.get("/applications/").content.decode()
    assert 'id="inbox"' in page and "Mission 0" in page


def test_withdraw_through_the_page(client, network):
    application = applying.application_submit(now=timezone.now(),
        actor=network.volunteer_user, volunteer=network.volunteer, missions=[network.missions[0]]
    )
    client.force_login(network.volunteer_user)
    client.post(f"/applications/{application.pk}/withdraw/", {"reason": "Changed my mind"})
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_agency_nominates_through_the_form(client, network):
    client.force_login(network.sender_officer)
    assert network.volunteer.full_name in client.get("/applications/nominate/").content.decode()

    response = client.post("/applications/nominate/", {
        "organisation": network.sender.pk, "volunteers": [network.volunteer.pk],
        "missions": [network.missions[0].pk], "motivation": "Our best candidate",
    })

    assert response.status_code == 302
    application = network.volunteer.applications.get()
    assert (application.kind, application.sending_organisation) == ("nomination", network.sender)


def test_a_host_cannot_nominate_for_an_agency(client, network):
    client.force_login(network.host_officer)
    response = client.post("/applications/nominate/", {
        "organisation": network.sender.pk, "volunteers": [network.volunteer.pk],
        "missions": [network.missions[0].pk],
    })
    assert response.status_code == 200  # the form refuses: not one of their organisations
    assert not network.volunteer.applications.exists()


def test_form_previews_the_eligibility_before_submitting(client, network):
    network.volunteer.prior_service_civique = True
    network.volunteer.save()
    client.force_login(network.volunteer_user)

    page = client.get(f"/applications/new/?mission={network.missions[0].pk}").content.decode()

    assert 'id="eligibility-preview"' in page and "Not eligible" in page
    for odd in ("99999999999999999999999", "abc", "-1"):
        assert client.get(f"/applications/new/?mission={odd}").status_code == 200


def test_an_officer_previews_only_for_volunteers_they_send(client, network):
    from reciprocity.volunteers.tests.factories import VolunteerFactory

    client.force_login(network.sender_officer)
    mine = client.get(
        f"/applications/new/?mission={network.missions[0].pk}&volunteer={network.volunteer.pk}"
    ).content.decode()
    other = client.get(
        f"/applications/new/?mission={network.missions[0].pk}&volunteer={VolunteerFactory().pk}"
    ).content.decode()
    assert 'id="eligibility-preview"' in mine and 'id="eligibility-preview"' not in other
