"""What is due (scoped, sorted), the procedure page, ticking from the page, and the API."""

import datetime

import pytest
from django.urls import reverse

from reciprocity.placements.models import PlacementStatus
from reciprocity.procedures.models import ProcedureStep
from reciprocity.procedures.selectors import steps_due
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def procedure(placement):  # type: ignore[no-untyped-def]
    return procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)


@pytest.fixture
def other_procedure(other_placement):  # type: ignore[no-untyped-def]
    return procedure_open_for_placement(placement=other_placement, today=TODAY, now=NOW)


def test_due_steps_come_overdue_first_then_by_date(procedure, host_officer):
    ProcedureStep.objects.filter(procedure=procedure, code="accommodation").update(
        due_by=D(2026, 11, 1))
    ProcedureStep.objects.filter(procedure=procedure, code="insurance").update(
        due_by=D(2026, 10, 1))
    ProcedureStep.objects.filter(procedure=procedure, code="civic_training").update(status="done")

    steps = list(steps_due(user=host_officer, today=TODAY))

    codes = [s.code for s in steps]
    assert codes[:2] == ["insurance", "accommodation"]
    assert "civic_training" not in codes
    dated = [s.due_on for s in steps[2:] if s.due_on]
    assert dated == sorted(dated)
    # Undated steps come last (the ASP notification has a start date only: sorted by it).
    assert all(s.due_on is not None for s in steps)


def test_each_user_sees_the_steps_of_their_placements_only(
        procedure, other_procedure, host_officer, sender_officer, volunteer_user, staff, outsider):
    mine = set(procedure.steps.values_list("pk", flat=True))
    theirs = set(other_procedure.steps.values_list("pk", flat=True))

    for user in (host_officer, sender_officer, volunteer_user):
        assert {s.pk for s in steps_due(user=user, today=TODAY)} == mine
    assert {s.pk for s in steps_due(user=staff, today=TODAY)} == mine | theirs
    assert not steps_due(user=outsider, today=TODAY).exists()


def test_steps_of_cancelled_placements_are_not_due(procedure, placement, host_officer):
    placement.status = PlacementStatus.CANCELLED
    placement.save()

    assert not steps_due(user=host_officer, today=TODAY).exists()


def test_the_organisation_filter_narrows_the_list(procedure, other_procedure, staff, host):
    steps = steps_due(user=staff, today=TODAY, organisation_id=host.pk)

    assert {s.procedure_id for s in steps} == {procedure.pk}


def test_the_due_page_lists_the_steps(client, procedure, host_officer):
    client.force_login(host_officer)

    response = client.get(reverse("procedures:due"))

    assert response.status_code == 200
    assert "Civic and citizen training" in response.content.decode()
    assert response.context["page"].paginator.count == procedure.steps.count()


def test_a_host_never_sees_another_hosts_procedure(client, procedure, other_procedure, host_officer):
    client.force_login(host_officer)

    assert client.get(reverse("procedures:detail", args=[procedure.pk])).status_code == 200
    assert client.get(reverse("procedures:detail", args=[other_procedure.pk])).status_code == 404
    step = other_procedure.steps.get(code="insurance")
    response = client.post(reverse("procedures:step_advance", args=[step.pk]),
                           {"to_status": "done"})
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.status == "to_do"


def test_anonymous_visitors_are_sent_to_sign_in(client, procedure):
    response = client.get(reverse("procedures:detail", args=[procedure.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_offers_ticking_only_on_the_users_steps(client, procedure, host_officer):
    client.force_login(host_officer)

    response = client.get(reverse("procedures:detail", args=[procedure.pk]))

    steps = {s.code: s for s in response.context["steps"]}
    assert steps["insurance"].can_tick is True
    assert steps["visa_application"].can_tick is False
    assert [s for s, _ in steps["insurance"].actions] == [
        "in_progress", "done", "not_applicable", "blocked"]


def test_ticking_from_the_page_moves_the_step_and_a_refusal_is_shown(client, procedure, host_officer):
    client.force_login(host_officer)
    step = procedure.steps.get(code="insurance")
    url = reverse("procedures:step_advance", args=[step.pk])

    client.post(url, {"to_status": "done"})
    response = client.post(url, {"to_status": "not_applicable", "note": "x"}, follow=True)

    step.refresh_from_db()
    assert step.status == "done"
    assert "cannot become" in response.content.decode()


def test_the_volunteer_may_not_tick_a_host_step_from_the_page(client, procedure, volunteer_user):
    client.force_login(volunteer_user)
    step = procedure.steps.get(code="insurance")

    response = client.post(reverse("procedures:step_advance", args=[step.pk]),
                           {"to_status": "done"}, follow=True)

    step.refresh_from_db()
    assert step.status == "to_do"
    assert "may not change" in response.content.decode()


def test_the_page_shows_the_verdict_in_french(client, procedure, host_officer):
    client.force_login(host_officer)
    client.cookies["django_language"] = "fr"

    body = client.get(reverse("procedures:detail", args=[procedure.pk]),
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "dispense temporaire" in body
    assert "est à confirmer dans ce cas" in body


# --- API ------------------------------------------------------------------------------------------


def test_api_lists_due_steps_and_gives_the_procedure(client, procedure, other_procedure, host_officer):
    client.force_login(host_officer)

    due = client.get("/api/v1/procedures/due?limit=200").json()
    detail = client.get(f"/api/v1/procedures/{procedure.pk}").json()

    assert due["count"] == procedure.steps.count()
    assert {item["procedure_id"] for item in due["items"]} == {procedure.pk}
    assert detail["entry_document"]["code"] == "long_stay_temporary_exemption"
    assert [s["code"] for s in detail["steps"]][:2] == ["reciprocity_request", "invitation_letter"]
    assert {c["code"] for c in detail["coverage"]} >= {"identity_document_missing"}
    assert client.get(f"/api/v1/procedures/{other_procedure.pk}").json()["code"] == "not_found"


def test_api_advances_a_step_with_the_same_permissions(client, procedure, host_officer, volunteer_user):
    step = procedure.steps.get(code="insurance")
    url = f"/api/v1/procedures/steps/{step.pk}/advance"

    client.force_login(volunteer_user)
    refused = client.post(url, {"to_status": "done"}, content_type="application/json")
    client.force_login(host_officer)
    done = client.post(url, {"to_status": "done"}, content_type="application/json")
    invalid = client.post(url, {"to_status": "blocked"}, content_type="application/json")

    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert invalid.status_code == 409 and invalid.json()["code"] == "invalid_transition"
    assert set(invalid.json()) == {"code", "message", "details"}


def test_api_refuses_anonymous_callers(client, procedure):
    response = client.get("/api/v1/procedures/due")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_placement_page_gets_the_procedure_only_for_those_who_see_it(
        procedure, placement, host_officer, outsider):
    from reciprocity.procedures.selectors import procedure_for_placement

    assert procedure_for_placement(user=host_officer, placement_id=placement.pk) == procedure
    assert procedure_for_placement(user=outsider, placement_id=placement.pk) is None


@pytest.mark.parametrize(("who", "owners"), [
    ("host_officer", {"host_organisation"}),
    ("sender_officer", {"volunteer"}),  # the sender may tick for the volunteer
    ("volunteer_user", {"volunteer"}),
    ("host_viewer", set()),
])
def test_mine_keeps_the_steps_the_user_may_tick(procedure, request, who, owners):
    from reciprocity.procedures.permissions import can_tick

    user = request.getfixturevalue(who)
    steps = list(steps_due(user=user, today=TODAY, mine=True))

    assert {s.owner for s in steps} == owners
    assert all(can_tick(user, s) for s in steps)
    others = set(procedure.steps.values_list("pk", flat=True)) - {s.pk for s in steps}
    assert not any(can_tick(user, s) for s in ProcedureStep.objects.filter(pk__in=others))
