"""Visa outcomes: the rules (database constraints and service checks), who may record them,
the procedure page and the API."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.placements.models import PlacementStatus
from reciprocity.procedures.models import VisaOutcome, VisaRefusalGround
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY
from reciprocity.procedures.visas import VisaFacts, visa_outcome_errors, visa_outcome_record

pytestmark = pytest.mark.django_db
D = datetime.date
REFUSED = VisaFacts(application_date=D(2026, 10, 1), appointment_date=D(2026, 10, 8),
                    decision="refused", decision_date=D(2026, 11, 2),
                    refusal_ground="purpose_not_justified")


@pytest.fixture
def procedure(placement):  # type: ignore[no-untyped-def]
    return procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)


@pytest.fixture
def visa_step(procedure):  # type: ignore[no-untyped-def]
    return procedure.steps.get(code="visa_application")


def test_the_refusal_form_grounds_are_seeded_as_data():
    codes = list(VisaRefusalGround.objects.order_by("position").values_list("code", flat=True))
    assert codes[:2] == ["false_travel_document", "purpose_not_justified"]
    assert "other" in codes and len(codes) == 15
    # Boxes read in the regulation are verified; the others wait for staff to check them.
    assert VisaRefusalGround.objects.get(code="sis_alert").confidence == "verified"
    assert VisaRefusalGround.objects.get(code="no_medical_insurance").confidence == "unverified"


def test_the_volunteer_records_a_refusal(visa_step, volunteer_user, placement):
    outcome = visa_outcome_record(step=visa_step, facts=REFUSED, actor=volunteer_user, today=TODAY)

    outcome.refresh_from_db()
    assert (outcome.placement_id, outcome.step_id) == (placement.pk, visa_step.pk)
    assert outcome.decision == "refused" and outcome.refusal_ground.code == "purpose_not_justified"
    assert outcome.days_to_decision == 32 and outcome.updated_by == volunteer_user
    visa_step.refresh_from_db()
    assert visa_step.status == "to_do"  # the step is still ticked by hand


def test_a_correction_updates_the_same_row(visa_step, sender_officer):
    visa_outcome_record(step=visa_step, facts=REFUSED, actor=sender_officer, today=TODAY)
    granted = VisaFacts(application_date=D(2026, 10, 1), decision="granted",
                        decision_date=D(2026, 11, 3))
    visa_outcome_record(step=visa_step, facts=granted, actor=sender_officer, today=TODAY)

    outcome = VisaOutcome.objects.get()
    assert outcome.decision == "granted" and outcome.refusal_ground is None


@pytest.mark.parametrize("who", ["staff", "volunteer_user", "sender_officer"])
def test_the_visa_steps_people_may_record(visa_step, request, who):
    visa_outcome_record(step=visa_step, facts=REFUSED, actor=request.getfixturevalue(who),
                        today=TODAY)
    assert VisaOutcome.objects.count() == 1


@pytest.mark.parametrize("who", ["host_officer", "host_viewer", "outsider"])
def test_others_may_not_record(visa_step, request, who):
    with pytest.raises(NotAllowed):
        visa_outcome_record(step=visa_step, facts=REFUSED, actor=request.getfixturevalue(who),
                            today=TODAY)
    assert not VisaOutcome.objects.exists()


def test_only_the_visa_step_records_an_outcome(procedure, staff):
    with pytest.raises(ApplicationError) as refused:
        visa_outcome_record(step=procedure.steps.get(code="insurance"), facts=REFUSED,
                            actor=staff, today=TODAY)
    assert refused.value.code == "not_visa_step"


def test_a_refusal_is_recorded_on_a_cancelled_placement(visa_step, placement, volunteer_user):
    placement.status = PlacementStatus.CANCELLED
    placement.save()
    visa_outcome_record(step=visa_step, facts=REFUSED, actor=volunteer_user, today=TODAY)
    assert VisaOutcome.objects.get().decision == "refused"


@pytest.mark.parametrize(("facts", "reason"), [
    (VisaFacts(decision="granted", refusal_ground="sis_alert"), "only stated with a refusal"),
    (VisaFacts(decision_date=D(2026, 11, 1)), "a decision date needs a decision"),
    (VisaFacts(decision="maybe"), "is not one of"),
    (VisaFacts(decision="refused", refusal_ground="bad_luck"), "not in the list of grounds"),
    (VisaFacts(application_date=D(2026, 10, 9), appointment_date=D(2026, 10, 8)),
     "appointment date is before the application date"),
    (VisaFacts(application_date=D(2026, 10, 9), decision="granted", decision_date=D(2026, 10, 1)),
     "decision date is before the application date"),
    (VisaFacts(appointment_date=D(2026, 10, 9), decision="refused", decision_date=D(2026, 10, 1)),
     "decision date is before the appointment date"),
    (VisaFacts(decision="granted", decision_date=D(2026, 11, 27)), "decision date is in the future"),
    (VisaFacts(application_date=D(2026, 11, 27)), "application date is in the future"),
])
def test_the_service_refuses_facts_out_of_order(visa_step, staff, facts, reason):
    with pytest.raises(ApplicationError) as refused:
        visa_outcome_record(step=visa_step, facts=facts, actor=staff, today=TODAY)
    assert refused.value.code == "visa_outcome_invalid"
    assert reason in refused.value.message
    assert not VisaOutcome.objects.exists()


def test_a_withdrawal_may_come_before_the_appointment():
    facts = VisaFacts(application_date=D(2026, 10, 1), appointment_date=D(2026, 11, 20),
                      decision="withdrawn", decision_date=D(2026, 11, 2))
    assert visa_outcome_errors(facts, today=TODAY, grounds=set()) == []


@pytest.mark.parametrize(("fields", "constraint"), [
    ({"decision": "granted", "refusal_ground": "sis_alert"}, "visa_outcome_ground_only_refused"),
    ({"decision_date": D(2026, 1, 1)}, "visa_outcome_date_needs_decision"),
    ({"decision": "maybe"}, "visa_outcome_decision_valid"),
    ({"application_date": D(2026, 2, 2), "appointment_date": D(2026, 2, 1)},
     "visa_outcome_application_before_appointment"),
    ({"application_date": D(2026, 2, 2), "decision": "granted", "decision_date": D(2026, 2, 1)},
     "visa_outcome_application_before_decision"),
    ({"appointment_date": D(2026, 2, 2), "decision": "refused", "decision_date": D(2026, 2, 1)},
     "visa_outcome_appointment_before_decision"),
])
def test_the_database_holds_the_same_rules(placement, fields, constraint):
    if "refusal_ground" in fields:
        fields = {**fields, "refusal_ground": VisaRefusalGround.objects.get(code="sis_alert")}
    with pytest.raises(IntegrityError) as broken, transaction.atomic():
        VisaOutcome.objects.create(placement=placement, **fields)
    assert constraint in str(broken.value)


def test_a_withdrawal_before_the_appointment_is_stored(placement):
    VisaOutcome.objects.create(placement=placement, appointment_date=D(2026, 2, 2),
                               decision="withdrawn", decision_date=D(2026, 2, 1))


# --- page and API ---------------------------------------------------------------------------

def test_the_page_shows_the_form_to_the_steps_people_only(client, procedure, volunteer_user,
                                                          host_officer):
    client.force_login(volunteer_user)
    page = client.get(reverse("procedures:detail", args=[procedure.pk])).content.decode()
    assert 'id="visa-outcome-form"' in page

    client.force_login(host_officer)
    page = client.get(reverse("procedures:detail", args=[procedure.pk])).content.decode()
    assert 'id="visa-outcome"' in page and 'id="visa-outcome-form"' not in page


def test_recording_from_the_page(client, visa_step, sender_officer):
    client.force_login(sender_officer)
    response = client.post(reverse("procedures:visa_outcome", args=[visa_step.pk]), {
        "application_date": "2026-10-01", "appointment_date": "2026-10-08",
        "decision": "refused", "decision_date": "2026-11-02",
        "refusal_ground": "purpose_not_justified"}, follow=True)

    assert VisaOutcome.objects.get().decision == "refused"
    assert 'data-decision="refused"' in response.content.decode()


def test_a_page_refusal_is_said_and_nothing_is_written(client, visa_step, host_officer, staff):
    client.force_login(host_officer)
    response = client.post(reverse("procedures:visa_outcome", args=[visa_step.pk]),
                           {"decision": "granted"}, follow=True)
    assert response.status_code == 200 and not VisaOutcome.objects.exists()

    client.force_login(staff)
    response = client.post(reverse("procedures:visa_outcome", args=[visa_step.pk]),
                           {"decision": "granted", "refusal_ground": "sis_alert"}, follow=True)
    assert "only stated with a refusal" in response.content.decode()
    assert not VisaOutcome.objects.exists()


def test_a_stranger_gets_404(client, visa_step, outsider):
    client.force_login(outsider)
    response = client.post(reverse("procedures:visa_outcome", args=[visa_step.pk]),
                           {"decision": "granted"})
    assert response.status_code == 404


def test_the_api_records_and_returns_the_outcome(client, procedure, visa_step, volunteer_user,
                                                 host_officer):
    client.force_login(volunteer_user)
    url = f"/api/v1/procedures/steps/{visa_step.pk}/visa"
    body = {"application_date": "2026-10-01", "decision": "refused",
            "decision_date": "2026-11-02", "refusal_ground": "sis_alert"}

    response = client.put(url, body, content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["refusal_ground"] == "sis_alert"
    assert response.json()["days_to_decision"] == 32
    detail = client.get(f"/api/v1/procedures/{procedure.pk}").json()
    assert detail["visa"]["decision"] == "refused"

    client.force_login(host_officer)
    assert client.put(url, body, content_type="application/json").status_code == 403
    bad = client.put(url, {**body, "decision": "granted"}, content_type="application/json")
    assert bad.status_code == 403  # the permission is checked before the facts


def test_the_api_lists_every_reason(client, visa_step, staff):
    client.force_login(staff)
    response = client.put(f"/api/v1/procedures/steps/{visa_step.pk}/visa",
                          {"decision": "granted", "refusal_ground": "sis_alert",
                           "application_date": "2027-01-01"},
                          content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "visa_outcome_invalid"
    assert len(response.json()["details"]["reasons"]) == 2
