"""Placement pages: who sees them, the actions, and the procedure hook."""

import pytest
from django.utils import timezone

from reciprocity.accounts.tests.factories import UserFactory
from reciprocity.placements import services
from reciprocity.placements.models import PlacementStatus
from reciprocity.workflow import services as workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(network):
    return services.placement_propose(volunteer=network.volunteer, mission=network.missions[0])


def test_parties_see_the_placement_strangers_do_not(client, network, placement):
    for user in (network.host_officer, network.sender_viewer, network.volunteer_user):
        client.force_login(user)
        assert client.get(f"/placements/{placement.pk}/").status_code == 200
    for user in (UserFactory(), network.other_host_officer):
        client.force_login(user)
        assert client.get(f"/placements/{placement.pk}/").status_code == 404
        assert "No placement you can see" in client.get("/placements/").content.decode()


def test_officer_confirms_then_cancels_with_a_reason(client, network, placement):
    client.force_login(network.host_officer)
    page = client.get(f"/placements/{placement.pk}/").content.decode()
    assert "Confirm the placement" in page and "procedures/_placement_checklist" not in page

    client.post(f"/placements/{placement.pk}/confirm/")
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED

    client.post(f"/placements/{placement.pk}/cancel/", {"reason": ""})
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CONFIRMED  # a reason is required

    client.post(f"/placements/{placement.pk}/cancel/", {"reason": "Visa refused"})
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED


def test_viewer_sees_no_actions_and_cannot_post_them(client, network, placement):
    client.force_login(network.sender_viewer)
    assert "Confirm the placement" not in client.get(f"/placements/{placement.pk}/").content.decode()
    client.post(f"/placements/{placement.pk}/confirm/")
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.PROPOSED


def test_interrupt_form_with_bad_input_is_refused_politely(client, network, placement):
    workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)
    workflow.placement_start(placement=placement, actor=network.host_officer)
    client.force_login(network.host_officer)
    response = client.post(f"/placements/{placement.pk}/interrupt/", {"on": "not a date"}, follow=True)
    assert response.status_code == 200
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.IN_MISSION


def test_confirmation_opens_the_procedure_and_the_page_shows_its_checklist(
    client, network, placement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)

    client.force_login(network.host_officer)
    page = client.get(f"/placements/{placement.pk}/").content.decode()
    assert 'id="checklist-title"' in page


def test_only_the_documents_the_placement_can_have_are_offered(client, network, placement):
    client.force_login(network.host_officer)
    assert "documents/invitation.pdf" not in client.get(f"/placements/{placement.pk}/").content.decode()

    workflow.placement_confirm(today=timezone.localdate(), now=timezone.now(), placement=placement, actor=network.host_officer)
    page = client.get(f"/placements/{placement.pk}/").content.decode()

    assert "documents/invitation.pdf" in page and "documents/contract.pdf" in page
    assert "documents/certificate.pdf" not in page
