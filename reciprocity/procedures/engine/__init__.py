"""Procedure engine: eligibility and hosting procedures as pure functions over plain data.

No Django import, no clock, no I/O except the explicit file loader: a Django service builds a
`RuleBook` (from the shipped files or from database rows), converts its models into the frozen
dataclasses below, passes `today`, and persists the returned `Plan`.

    rulebook = rulebook_from_files()
    plan = plan_procedure(
        PlanRequest(
            scheme="service_civique",
            volunteer=VolunteerFacts(nationalities=("SN",), birth_date=date(2002, 5, 4)),
            mission=MissionFacts(start=date(2027, 3, 1), end=date(2027, 8, 31), weekly_hours=30),
        ),
        rulebook,
        today=date(2026, 11, 26),
    )
    plan.to_dict()  # the `procedure-plan --json` object
"""

from reciprocity.domain.countries import COUNTRY_CODES, is_country_code
from reciprocity.domain.dates import (
    add_months,
    age_on,
    inclusive_days,
    month_span,
    months_window_end,
)

from .context import InvalidRequest
from .messages import CATALOGUE, render
from .planner import check_eligibility, entry_document_for, plan_procedure
from .rulebook import (
    RuleBook,
    RuleDataError,
    RuleRow,
    Suspension,
    load_procedure_documents,
    load_scheme_documents,
    rulebook_from_data,
    rulebook_from_files,
    rulebook_from_rows,
)
from .types import (
    Eligibility,
    EntryDocument,
    Finding,
    HostFacts,
    MissionFacts,
    Owner,
    Path,
    Plan,
    PlanRequest,
    Step,
    VolunteerFacts,
)

REASON_CODES = (
    "age_below_minimum",
    "age_above_maximum",
    "duration_too_short",
    "duration_too_long",
    "weekly_hours_out_of_range",
    "cumulative_duration_exceeded",
    "already_did_service_civique",
    "mission_in_own_country",
    "destination_not_allowed",
    "not_reciprocity_country",
    "scheme_suspended",
    "host_not_accredited",
    "host_quota_exhausted",
)
ENTRY_DOCUMENT_CODES = (
    "none",
    "short_stay_visa_exempt",
    "short_stay_visa",
    "long_stay_temporary_exemption",
    "long_stay_visitor",
    "long_stay_volunteer",
)
STEP_CODES = (
    "reciprocity_request",
    "invitation_letter",
    "visa_application",
    "ofii_validation",
    "aps_request",
    "contract_signature",
    "insurance",
    "accommodation",
    "medical_visit",
    "civic_training",
    "first_aid_training",
    "info_sheet",
    "return_undertaking",
    "asp_notification",
)

__all__ = [
    "CATALOGUE",
    "COUNTRY_CODES",
    "ENTRY_DOCUMENT_CODES",
    "REASON_CODES",
    "STEP_CODES",
    "Eligibility",
    "EntryDocument",
    "Finding",
    "HostFacts",
    "InvalidRequest",
    "MissionFacts",
    "Owner",
    "Path",
    "Plan",
    "PlanRequest",
    "RuleBook",
    "RuleDataError",
    "RuleRow",
    "Step",
    "Suspension",
    "VolunteerFacts",
    "add_months",
    "age_on",
    "check_eligibility",
    "entry_document_for",
    "inclusive_days",
    "is_country_code",
    "load_procedure_documents",
    "load_scheme_documents",
    "month_span",
    "months_window_end",
    "plan_procedure",
    "render",
    "rulebook_from_data",
    "rulebook_from_files",
    "rulebook_from_rows",
]
