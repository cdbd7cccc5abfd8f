"""Staff edit rule rows (correction or new version), suspend schemes, edit rule documents."""

import datetime
import json

import pytest
from django.urls import reverse

from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.procedures.models import RuleDocument
from reciprocity.procedures.rulebooks import rule_documents_load_from_files
from reciprocity.procedures.services import procedure_open_for_placement
from reciprocity.procedures.tests.conftest import NOW, TODAY
from reciprocity.schemes.models import RuleChange, SchemeRule, SchemeSuspension
from reciprocity.schemes.services import (
    rules_load_from_files,
    scheme_rule_edit,
    scheme_suspend,
    scheme_suspension_check,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def rules(db):  # type: ignore[no-untyped-def]
    rules_load_from_files()
    rule_documents_load_from_files()


FIRST = D(2010, 3, 10)  # the effective date of the shipped Service Civique rows


def age_max(on=FIRST):  # type: ignore[no-untyped-def]
    return SchemeRule.objects.get(scheme_id="service_civique", key="age_max", effective_from=on)


def edit(rule, actor, **changes):  # type: ignore[no-untyped-def]
    data = {"value": rule.value, "effective_from": rule.effective_from, "source": rule.source,
            "confidence": rule.confidence, "note": rule.note} | changes
    return scheme_rule_edit(rule=rule, actor=actor, **data)


def test_same_date_corrects_the_row_in_place(rules, staff):
    saved = edit(age_max(), staff, value=26, source="JORF", confidence="unverified")

    assert saved.pk == age_max().pk
    assert age_max().value == 26 and age_max().confidence == "unverified"
    change = RuleChange.objects.get(target="rule", target_id=str(saved.pk))
    assert (change.action, change.before["value"], change.after["value"]) == ("corrected", 25, 26)
    assert change.actor == staff


def test_another_date_adds_a_version_and_earlier_missions_keep_the_old_value(
        rules, staff, placement):
    edit(age_max(), staff, value=22, effective_from=D(2027, 6, 1))

    assert age_max().value == 25
    assert age_max(D(2027, 6, 1)).value == 22
    # The placement starts on 1 March 2027: the old maximum (25) applies, she is 23.
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    assert procedure.eligible is True


def test_a_version_already_at_that_date_is_refused(rules, staff):
    edit(age_max(), staff, value=22, effective_from=D(2027, 6, 1))

    with pytest.raises(ApplicationError) as caught:
        edit(age_max(), staff, value=23, effective_from=D(2027, 6, 1))
    assert caught.value.code == "rule_version_exists"


def test_the_value_keeps_its_type(rules, staff):
    with pytest.raises(ApplicationError) as caught:
        edit(age_max(), staff, value="twenty-five")
    assert caught.value.code == "invalid_value"


def test_only_staff_edit_rules(rules, host_officer):
    with pytest.raises(NotAllowed):
        edit(age_max(), host_officer, value=30)
    assert age_max().value == 25


def test_a_suspension_refuses_new_applications_inside_it(staff):
    scheme_suspend(scheme_code="vsi", start=D(2027, 1, 1), end=D(2027, 3, 31),
                   reason="Budget freeze", actor=staff)

    scheme_suspension_check(scheme_code="vsi", on=D(2026, 12, 31))
    scheme_suspension_check(scheme_code="vsi", on=D(2027, 4, 1))
    scheme_suspension_check(scheme_code="esc", on=D(2027, 2, 1))
    with pytest.raises(ApplicationError) as caught:
        scheme_suspension_check(scheme_code="vsi", on=D(2027, 3, 31))
    assert caught.value.code == "scheme_suspended"
    assert "Budget freeze" in caught.value.message
    assert caught.value.details == {"scheme": "vsi", "start": "2027-01-01", "end": "2027-03-31"}


def test_an_open_ended_suspension_refuses_from_its_start(staff):
    scheme_suspend(scheme_code="esc", start=D(2027, 1, 1), end=None, reason="Frozen", actor=staff)

    with pytest.raises(ApplicationError):
        scheme_suspension_check(scheme_code="esc", on=D(2030, 1, 1))


@pytest.mark.parametrize(("start", "end", "reason", "code"), [
    (D(2027, 2, 1), D(2027, 1, 1), "x", "invalid_period"),
    (D(2027, 1, 1), None, "  ", "reason_required"),
])
def test_invalid_suspensions_are_refused(staff, start, end, reason, code):
    with pytest.raises(ApplicationError) as caught:
        scheme_suspend(scheme_code="vsi", start=start, end=end, reason=reason, actor=staff)
    assert caught.value.code == code


def test_only_staff_suspend(host_officer):
    with pytest.raises(NotAllowed):
        scheme_suspend(scheme_code="vsi", start=D(2027, 1, 1), end=None, reason="x",
                       actor=host_officer)


def test_a_suspension_flags_the_procedure_page(client, staff, placement, host_officer):
    procedure = procedure_open_for_placement(placement=placement, today=TODAY, now=NOW)
    client.force_login(staff)
    client.post(reverse("procedures:rules:suspend"), {
        "scheme": "service_civique", "start": "2027-05-01", "end": "2027-06-30",
        "reason": "Budget freeze 2027"})
    client.force_login(host_officer)

    body = client.get(reverse("procedures:detail", args=[procedure.pk])).content.decode()

    assert SchemeSuspension.objects.filter(reason="Budget freeze 2027").exists()
    assert "The scheme is suspended from" in body and "Budget freeze 2027" in body


def test_the_rules_page_is_for_staff_only(client, rules, staff, host_officer):
    client.force_login(host_officer)
    assert client.get(reverse("procedures:rules:index")).status_code == 403
    assert client.get(reverse("procedures:rules:edit", args=[age_max().pk])).status_code == 403

    client.force_login(staff)
    body = client.get(reverse("procedures:rules:index")).content.decode()
    assert "age_max" in body
    assert "to be confirmed" in body  # unverified values in the shipped data


def test_staff_edit_a_rule_from_the_page(client, rules, staff):
    client.force_login(staff)
    rule = age_max()

    response = client.post(reverse("procedures:rules:edit", args=[rule.pk]), {
        "value": "24", "effective_from": "2028-01-01", "source": "Décret 2027-1",
        "confidence": "verified", "note": ""})

    assert response.status_code == 302
    assert age_max(D(2028, 1, 1)).value == 24
    assert age_max().value == 25


def test_staff_edit_a_rule_document_checked_by_the_engine(client, rules, staff):
    client.force_login(staff)
    document = RuleDocument.objects.get(key="steps")
    url = reverse("procedures:rules:document_edit", args=["steps"])
    broken = dict(document.content, templates=[{"code": "x", "owner": "nobody", "schemes": []}])

    refused = client.post(url, {"content": json.dumps(broken), "source": ""})
    content = document.content
    content["templates"] = [t for t in content["templates"] if t["code"] != "first_aid_training"]
    saved = client.post(url, {"content": json.dumps(content), "source": "review 2026-11"})

    assert refused.status_code == 200 and "cannot read" in refused.content.decode()
    assert saved.status_code == 302
    document.refresh_from_db()
    assert "first_aid_training" not in {t["code"] for t in document.content["templates"]}
    assert RuleChange.objects.filter(target="document", target_id="steps").count() == 1
