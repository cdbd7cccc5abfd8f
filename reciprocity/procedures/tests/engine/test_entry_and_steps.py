"""Entry document per nationality, scheme and length of stay; the dated steps that follow."""

from __future__ import annotations

from datetime import date

import pytest

from reciprocity.procedures.engine import (
    ENTRY_DOCUMENT_CODES,
    STEP_CODES,
    HostFacts,
    Owner,
    RuleBook,
    entry_document_for,
    plan_procedure,
)

from .conftest import TODAY, make_request

CAMP = (date(2027, 7, 1), date(2027, 7, 21))  # 3 weeks
SIX_MONTHS = (date(2027, 3, 1), date(2027, 8, 31))
YEAR = (date(2027, 1, 1), date(2027, 12, 31))
TWO_YEARS = (date(2027, 1, 1), date(2028, 12, 31))


@pytest.mark.parametrize(
    ("scheme", "nationalities", "dates", "residence", "expected"),
    [
        ("service_civique", ("SN",), SIX_MONTHS, None, "long_stay_temporary_exemption"),
        ("service_civique", ("DE",), SIX_MONTHS, None, "none"),
        ("service_civique", ("SN", "FR"), SIX_MONTHS, None, "none"),  # most favourable
        ("service_civique", ("NO",), SIX_MONTHS, None, "none"),
        ("service_civique", ("CH",), SIX_MONTHS, None, "none"),
        ("service_civique", ("US",), SIX_MONTHS, None, "long_stay_temporary_exemption"),
        ("service_civique", ("SN",), SIX_MONTHS, "FR", "none"),  # already resident
        (
            "service_civique",
            ("SN",),
            (date(2027, 1, 1), date(2028, 1, 1)),
            None,
            "long_stay_visitor",
        ),
        ("workcamp", ("BR",), CAMP, None, "short_stay_visa_exempt"),
        ("workcamp", ("ML",), CAMP, None, "short_stay_visa"),
        ("workcamp", ("ML", "BR"), CAMP, None, "short_stay_visa_exempt"),
        ("workcamp", ("DE",), CAMP, None, "none"),
        ("workcamp", ("GB",), CAMP, None, "short_stay_visa_exempt"),
        ("workcamp", ("VU",), CAMP, None, "short_stay_visa"),  # moved to Annex I in 2025
        ("workcamp", ("XK",), CAMP, None, "short_stay_visa_exempt"),
        ("workcamp", ("NR",), CAMP, None, "short_stay_visa"),
        (
            "workcamp",
            ("ML",),
            (date(2027, 7, 1), date(2027, 9, 28)),
            None,
            "short_stay_visa",
        ),  # 90 days
        (
            "workcamp",
            ("ML",),
            (date(2027, 7, 1), date(2027, 9, 29)),
            None,
            "long_stay_temporary_exemption",
        ),
        (
            "workcamp",
            ("BR",),
            (date(2027, 7, 1), date(2027, 9, 29)),
            None,
            "long_stay_temporary_exemption",
        ),
        ("vsi", ("TG",), YEAR, None, "long_stay_visitor"),
        ("vsi", ("TG",), TWO_YEARS, None, "long_stay_visitor"),
        ("vsi", ("BR",), YEAR, None, "long_stay_visitor"),  # visa-exempt nationals too
        ("vsi", ("BR",), CAMP, None, "long_stay_visitor"),  # VLS-TS visiteur whatever the length
        ("esc", ("MA",), YEAR, None, "long_stay_volunteer"),
        ("esc", ("MA",), CAMP, None, "short_stay_visa"),
        ("esc", ("UA",), CAMP, None, "short_stay_visa_exempt"),
        ("esc", ("MC",), YEAR, None, "none"),  # microstate, long-stay exemption (unverified)
        ("esc", ("MC",), CAMP, None, "short_stay_visa_exempt"),
        ("workcamp", ("ML",), CAMP, "DE", "short_stay_visa_exempt"),  # Schengen residence permit
        ("workcamp", ("ML",), CAMP, "IE", "short_stay_visa"),  # Ireland is outside Schengen
        ("esc", ("ML",), YEAR, "DE", "long_stay_volunteer"),  # long stays still need the visa
    ],
)
def test_entry_document(
    rulebook: RuleBook,
    scheme: str,
    nationalities: tuple[str, ...],
    dates: tuple[date, date],
    residence: str | None,
    expected: str,
) -> None:
    request = make_request(scheme, nationalities, *dates, residence=residence)
    document, _ = entry_document_for(request, rulebook)
    assert document.code in ENTRY_DOCUMENT_CODES
    assert document.code == expected


def test_conditional_exemptions_and_unverified_documents_warn(rulebook: RuleBook) -> None:
    _, warnings = entry_document_for(make_request("workcamp", ("UA",), *CAMP), rulebook)
    assert [w.code for w in warnings] == ["visa_exemption_conditions"]
    _, warnings = entry_document_for(make_request("workcamp", ("UA", "BR"), *CAMP), rulebook)
    assert warnings == ()
    _, warnings = entry_document_for(make_request("esc", ("MC",), *YEAR), rulebook)
    assert [w.code for w in warnings] == ["entry_document_to_be_confirmed"]
    _, warnings = entry_document_for(
        make_request("service_civique", ("SN",), *SIX_MONTHS), rulebook
    )
    assert [w.code for w in warnings] == ["entry_document_to_be_confirmed"]  # OFII inference
    _, warnings = entry_document_for(
        make_request("workcamp", ("ML",), *CAMP, residence="DE"), rulebook
    )
    assert [w.code for w in warnings] == ["schengen_residence_exemption"]
    _, warnings = entry_document_for(make_request("vsi", ("TG",), *TWO_YEARS), rulebook)
    assert [w.code for w in warnings] == ["residence_permit_after_visa"]


def test_other_host_countries_are_flagged(rulebook: RuleBook) -> None:
    document, warnings = entry_document_for(
        make_request("vsi", ("FR",), *YEAR, host_country="SN"), rulebook
    )
    assert "host_country_not_covered" in [w.code for w in warnings]
    document, _ = entry_document_for(
        make_request("vsi", ("SN",), *YEAR, host_country="SN"), rulebook
    )
    assert document.code == "none"


def steps_by_code(plan_steps: tuple) -> dict:
    return {s.code: s for s in plan_steps}


def test_senegalese_service_civique_plan(rulebook: RuleBook) -> None:
    plan = plan_procedure(
        make_request(
            "service_civique", ("SN",), *SIX_MONTHS, birth_date=date(2002, 5, 4), weekly_hours=30
        ),
        rulebook,
        today=TODAY,
    )
    assert plan.eligible
    assert plan.entry_document.code == "long_stay_temporary_exemption"
    steps = steps_by_code(plan.steps)
    assert list(steps) == [
        "reciprocity_request",
        "invitation_letter",
        "visa_application",
        "medical_visit",
        "contract_signature",
        "asp_notification",
        "insurance",
        "accommodation",
        "civic_training",
        "first_aid_training",
    ]
    assert "ofii_validation" not in steps  # VLS-T: no OFII step (inference, warned)
    assert steps["visa_application"].owner is Owner.VOLUNTEER
    assert steps["visa_application"].due_by == date(2027, 2, 28)
    assert steps["reciprocity_request"].owner is Owner.HOST_ORGANISATION
    assert steps["medical_visit"].due_by == steps["contract_signature"].due_by == date(2027, 3, 1)
    assert (steps["civic_training"].due_from, steps["civic_training"].due_by) == SIX_MONTHS
    # The 2026 budget freeze ended on 20 Feb 2026: a 2027 start is not concerned.
    assert "scheme_suspension_open_ended" not in [w.code for w in plan.warnings]


def test_german_service_civique_has_no_visa_steps(rulebook: RuleBook) -> None:
    plan = plan_procedure(
        make_request("service_civique", ("DE",), *SIX_MONTHS), rulebook, today=TODAY
    )
    codes = [s.code for s in plan.steps]
    assert plan.entry_document.code == "none"
    assert not {
        "visa_application",
        "invitation_letter",
        "reciprocity_request",
        "ofii_validation",
    } & set(codes)
    assert {"contract_signature", "medical_visit", "civic_training"} <= set(codes)


def test_malian_work_camp_schengen_window(rulebook: RuleBook) -> None:
    plan = plan_procedure(make_request("workcamp", ("ML",), *CAMP), rulebook, today=TODAY)
    steps = steps_by_code(plan.steps)
    visa = steps["visa_application"]
    assert (visa.due_from, visa.due_by) == (date(2027, 1, 1), date(2027, 6, 16))
    assert "2027-05-06" in visa.title()  # recommendation (8 weeks) is in the title only
    assert steps["invitation_letter"].due_by == date(2027, 6, 16)
    assert steps["info_sheet"].due_by == date(2027, 6, 10)
    assert steps["info_sheet"].owner is Owner.HOST_ORGANISATION


def test_brazilian_work_camp_needs_no_visa_step(rulebook: RuleBook) -> None:
    plan = plan_procedure(make_request("workcamp", ("BR",), *CAMP), rulebook, today=TODAY)
    assert plan.entry_document.code == "short_stay_visa_exempt"
    assert [s.code for s in plan.steps] == ["insurance", "info_sheet"]


def test_vsi_visitor_gets_ofii_within_three_months(rulebook: RuleBook) -> None:
    plan = plan_procedure(make_request("vsi", ("TG",), *YEAR), rulebook, today=TODAY)
    steps = steps_by_code(plan.steps)
    assert plan.entry_document.code == "long_stay_visitor"
    ofii = steps["ofii_validation"]
    assert (ofii.due_from, ofii.due_by) == (date(2027, 1, 1), date(2027, 3, 31))
    assert {"return_undertaking", "contract_signature", "visa_application"} <= set(steps)
    assert "aps_request" not in steps


def test_aps_only_with_a_prefectoral_agrement(rulebook: RuleBook) -> None:
    request = make_request("esc", ("MA",), *YEAR, host=HostFacts(prefectoral_agrement=True))
    steps = steps_by_code(plan_procedure(request, rulebook, today=TODAY).steps)
    aps = steps["aps_request"]
    assert (aps.due_from, aps.due_by) == (date(2027, 1, 1), date(2027, 1, 31))


def test_deadline_passed_relative_to_today(rulebook: RuleBook) -> None:
    request = make_request("workcamp", ("ML",), *CAMP)
    on_time = plan_procedure(request, rulebook, today=date(2027, 6, 10))
    assert "deadline_passed" not in [w.code for w in on_time.warnings]
    info_late = plan_procedure(request, rulebook, today=date(2027, 6, 11))
    assert [dict(w.params)["step"] for w in info_late.warnings if w.code == "deadline_passed"] == [
        "info_sheet"
    ]
    late = plan_procedure(request, rulebook, today=date(2027, 6, 17))
    passed = [w for w in late.warnings if w.code == "deadline_passed"]
    assert {dict(w.params)["step"] for w in passed} == {
        "visa_application",
        "invitation_letter",
        "info_sheet",
    }
    assert late.steps == on_time.steps  # today never changes the plan itself


def test_step_data_uses_contract_codes(rulebook: RuleBook) -> None:
    for template in rulebook.step_templates:
        assert template.code in STEP_CODES
        assert template.owner in set(Owner)
        assert template.schemes <= set(rulebook.schemes)


@pytest.mark.parametrize("scheme", ["service_civique", "vsi", "workcamp", "esc"])
def test_every_step_has_documents_and_a_title(rulebook: RuleBook, scheme: str) -> None:
    request = make_request(scheme, ("SN",), *YEAR, host=HostFacts(prefectoral_agrement=True))
    for step in plan_procedure(request, rulebook, today=TODAY).steps:
        assert step.documents
        assert not step.title().startswith("step.")
        assert not step.title("fr").startswith("step.")
        if step.due_from and step.due_by:
            assert step.due_from <= step.due_by
        assert step.due_by is None or step.due_by <= YEAR[1]
