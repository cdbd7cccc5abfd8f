"""Bulk moves on "What is due" (issue 13): each step through the same service and permission
checks as one at a time, in its own transaction; a per-line summary that shows the refused
lines next to the ones done."""

import pytest
from django.urls import reverse

from reciprocity.procedures.models import StepOwner, StepStatus, StepStatusChange
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedures(placement, other_placement):  # type: ignore[no-untyped-def]
    return (procedure_open_for_placement(placement=placement, today=TODAY, now=NOW),
            procedure_open_for_placement(placement=other_placement, today=TODAY, now=NOW))


def test_mixed_success_and_refusals_are_each_reported(client, procedures, host_officer):
    mine, theirs = procedures
    host_step = mine.steps.filter(owner=StepOwner.HOST_ORGANISATION, status=StepStatus.TO_DO).first()
    volunteer_step = mine.steps.filter(owner=StepOwner.VOLUNTEER).first()
    foreign_step = theirs.steps.first()
    client.force_login(host_officer)

    response = client.post(reverse("procedures:steps_bulk"), {
        "to_status": "done", "step": [host_step.pk, volunteer_step.pk, foreign_step.pk],
    })

    assert response.status_code == 200
    results = response.context["results"]
    assert [r.ok for r in results] == [True, False, False]
    assert "may not change" in results[1].message
    assert "Not found" in results[2].message
    assert (response.context["done"], response.context["failed"]) == (1, 2)
    host_step.refresh_from_db()
    volunteer_step.refresh_from_db()
    foreign_step.refresh_from_db()
    assert host_step.status == StepStatus.DONE
    assert volunteer_step.status != StepStatus.DONE and foreign_step.status != StepStatus.DONE
    assert StepStatusChange.objects.filter(step=host_step, actor=host_officer).count() == 1


def test_a_refused_transition_does_not_undo_the_others(client, procedures, host_officer):
    mine, _theirs = procedures
    first, second = mine.steps.filter(owner=StepOwner.HOST_ORGANISATION)[:2]
    second.status = StepStatus.DONE
    second.save()
    client.force_login(host_officer)

    response = client.post(reverse("procedures:steps_bulk"), {
        "to_status": "done", "step": [first.pk, second.pk]})

    assert [r.ok for r in response.context["results"]] == [True, False]
    first.refresh_from_db()
    assert first.status == StepStatus.DONE


def test_a_viewer_moves_nothing(client, procedures, host_viewer):
    step = procedures[0].steps.filter(owner=StepOwner.HOST_ORGANISATION).first()
    client.force_login(host_viewer)

    response = client.post(reverse("procedures:steps_bulk"), {"to_status": "in_progress",
                                                               "step": [step.pk]})

    assert [r.ok for r in response.context["results"]] == [False]
    step.refresh_from_db()
    assert step.status == StepStatus.TO_DO


def test_no_line_or_no_status_is_a_400(client, procedures, host_officer):
    client.force_login(host_officer)

    assert client.post(reverse("procedures:steps_bulk"), {"to_status": "done"}).status_code == 400
    assert client.post(reverse("procedures:steps_bulk"), {
        "to_status": "blocked", "step": [procedures[0].steps.first().pk]}).status_code == 400


def test_the_due_page_offers_the_bulk_form(client, procedures, host_officer):
    client.force_login(host_officer)

    body = client.get(reverse("procedures:due")).content.decode()

    assert 'id="bulk-steps"' in body and 'name="step"' in body


def test_api_moves_many_steps_with_one_line_each(client, procedures, host_officer):
    from reciprocity.accounts.tests.factories import api_token_for

    mine, theirs = procedures
    host_step = mine.steps.filter(owner=StepOwner.HOST_ORGANISATION, status=StepStatus.TO_DO).first()
    volunteer_step = mine.steps.filter(owner=StepOwner.VOLUNTEER).first()
    key = api_token_for(host_officer)

    response = client.post(
        "/api/v1/procedures/steps/bulk",
        {"to_status": "in_progress",
         "step_ids": [host_step.pk, volunteer_step.pk, theirs.steps.first().pk, host_step.pk]},
        content_type="application/json", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["done"], body["failed"]) == (1, 2)
    assert [(r["id"], r["ok"], r["code"]) for r in body["results"]] == [
        (host_step.pk, True, ""), (volunteer_step.pk, False, "forbidden"),
        (theirs.steps.first().pk, False, "not_found")]
    host_step.refresh_from_db()
    assert host_step.status == StepStatus.IN_PROGRESS


def test_api_refuses_a_status_that_needs_a_note(client, procedures, host_officer):
    from reciprocity.accounts.tests.factories import api_token_for

    key = api_token_for(host_officer)

    response = client.post(
        "/api/v1/procedures/steps/bulk",
        {"to_status": "blocked", "step_ids": [procedures[0].steps.first().pk]},
        content_type="application/json", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 422


# --- reassigning ("give the selected steps to") -------------------------------------------------


@pytest.fixture
def colleague(host):  # type: ignore[no-untyped-def]
    from reciprocity.accounts.models import MembershipRole
    from reciprocity.accounts.tests.factories import MembershipFactory, UserFactory

    return MembershipFactory(organisation=host, role=MembershipRole.OFFICER,
                             user=UserFactory(first_name="Awa", last_name="Diallo")).user


def test_steps_are_given_to_a_colleague_and_show_it(client, procedures, host_officer, colleague):
    mine, theirs = procedures
    host_steps = list(mine.steps.filter(owner=StepOwner.HOST_ORGANISATION)[:2])
    volunteer_step = mine.steps.filter(owner=StepOwner.VOLUNTEER).first()
    foreign_step = theirs.steps.first()
    client.force_login(host_officer)
    page = client.get(reverse("procedures:due"))
    assert colleague in list(page.context["assignees"])

    response = client.post(reverse("procedures:steps_bulk_assign"), {
        "assignee": colleague.pk,
        "step": [host_steps[0].pk, host_steps[1].pk, volunteer_step.pk, foreign_step.pk],
    })

    assert response.status_code == 200
    assert [r.ok for r in response.context["results"]] == [True, True, False, False]
    for step in host_steps:
        step.refresh_from_db()
        assert step.assignee == colleague
    volunteer_step.refresh_from_db()
    foreign_step.refresh_from_db()
    assert volunteer_step.assignee is None and foreign_step.assignee is None
    assert "Assigned to Awa Diallo" in client.get(reverse("procedures:due")).content.decode()

    # Taken back.
    back = client.post(reverse("procedures:steps_bulk_assign"), {
        "assignee": "nobody", "step": [host_steps[0].pk]})
    assert [r.ok for r in back.context["results"]] == [True]
    host_steps[0].refresh_from_db()
    assert host_steps[0].assignee is None


def test_a_step_goes_only_to_someone_who_may_tick_it(procedures, host_officer, sender_officer,
                                                     host_viewer):
    from reciprocity.core.exceptions import ApplicationError, NotAllowed
    from reciprocity.procedures.services import procedure_step_assign

    step = procedures[0].steps.filter(owner=StepOwner.HOST_ORGANISATION).first()
    for person in (sender_officer, host_viewer):
        with pytest.raises(ApplicationError) as refused:
            procedure_step_assign(step=step, assignee=person, actor=host_officer)
        assert refused.value.code == "assignee_not_allowed"
    with pytest.raises(NotAllowed):
        procedure_step_assign(step=step, assignee=host_officer, actor=host_viewer)
    step.refresh_from_db()
    assert step.assignee is None
    assert procedure_step_assign(step=step, assignee=host_officer,
                                 actor=host_officer).assignee == host_officer


def test_assigning_without_a_person_or_a_line_is_a_400(client, procedures, host_officer,
                                                       outsider):
    step = procedures[0].steps.filter(owner=StepOwner.HOST_ORGANISATION).first()
    client.force_login(host_officer)
    url = reverse("procedures:steps_bulk_assign")
    assert client.post(url, {"assignee": "nobody"}).status_code == 400
    # Someone outside the list the actor may choose from is not a choice.
    assert client.post(url, {"assignee": outsider.pk, "step": [step.pk]}).status_code == 400
    step.refresh_from_db()
    assert step.assignee is None


def test_the_api_gives_steps_to_a_colleague_line_by_line(client, procedures, host_officer,
                                                         colleague, sender_officer):
    from reciprocity.accounts.tests.factories import api_token_for

    host_step = procedures[0].steps.filter(owner=StepOwner.HOST_ORGANISATION).first()
    volunteer_step = procedures[0].steps.filter(owner=StepOwner.VOLUNTEER).first()
    headers = {"Authorization": f"Bearer {api_token_for(host_officer)}"}
    url = "/api/v1/procedures/steps/bulk/assign"

    answer = client.post(url, {"step_ids": [host_step.pk, volunteer_step.pk],
                               "assignee_id": colleague.pk},
                         content_type="application/json", headers=headers)
    assert answer.status_code == 200, answer.content
    assert [line["ok"] for line in answer.json()["results"]] == [True, False]
    host_step.refresh_from_db()
    assert host_step.assignee == colleague

    refused = client.post(url, {"step_ids": [host_step.pk], "assignee_id": sender_officer.pk},
                          content_type="application/json", headers=headers)
    assert refused.json()["results"][0]["code"] == "assignee_not_allowed"
    back = client.post(url, {"step_ids": [host_step.pk], "assignee_id": None},
                       content_type="application/json", headers=headers)
    assert back.json()["results"][0]["ok"] is True
    host_step.refresh_from_db()
    assert host_step.assignee is None
