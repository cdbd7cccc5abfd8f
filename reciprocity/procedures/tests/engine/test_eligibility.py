"""Eligibility rules, one table per rule: every failing rule is a reason with its code."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reciprocity.procedures.engine import (
    REASON_CODES,
    HostFacts,
    InvalidRequest,
    RuleBook,
    check_eligibility,
    load_procedure_documents,
    load_scheme_documents,
    plan_procedure,
    rulebook_from_data,
)

from .conftest import TODAY, make_request

SC_START = date(2027, 3, 1)
SC_END = date(2027, 8, 31)  # exactly 6 months


def reason_codes(rulebook: RuleBook, **kwargs: Any) -> list[str]:
    result = check_eligibility(make_request(**kwargs), rulebook)
    assert all(r.code in REASON_CODES for r in result.reasons)
    return [r.code for r in result.reasons]


def warning_codes(rulebook: RuleBook, **kwargs: Any) -> list[str]:
    return [w.code for w in plan_procedure(make_request(**kwargs), rulebook, today=TODAY).warnings]


@pytest.mark.parametrize(
    ("birth_date", "disability", "expected"),
    [
        (date(2011, 3, 1), False, []),  # 16 on the start date
        (date(2011, 3, 2), False, ["age_below_minimum"]),  # 15, one day short
        (date(2001, 3, 2), False, []),  # 25: the start is the eve of the 26th birthday
        (date(2001, 3, 1), False, ["age_above_maximum"]),  # 26 on the start date
        (date(2001, 3, 1), True, []),  # disability: up to 30
        (date(1996, 3, 2), True, []),  # 30
        (date(1996, 3, 1), True, ["age_above_maximum"]),  # 31
        (None, False, []),  # no birth date: not checked
    ],
)
def test_service_civique_age(
    rulebook: RuleBook, birth_date: date | None, disability: bool, expected: list[str]
) -> None:
    codes = reason_codes(
        rulebook,
        nationalities=("DE",),
        start=SC_START,
        end=SC_END,
        birth_date=birth_date,
        disability=disability,
    )
    assert codes == expected


@pytest.mark.parametrize(
    ("scheme", "birth_date", "start", "expected"),
    [
        ("vsi", date(2009, 1, 1), date(2027, 1, 1), []),  # 18
        ("vsi", date(2009, 1, 2), date(2027, 1, 1), ["age_below_minimum"]),
        ("vsi", date(1950, 1, 1), date(2027, 1, 1), []),  # no upper limit
        ("esc", date(1996, 6, 2), date(2027, 6, 1), []),  # 30
        ("esc", date(1996, 6, 1), date(2027, 6, 1), ["age_above_maximum"]),  # 31
        ("esc", date(2009, 6, 1), date(2027, 6, 1), []),  # 18
        ("esc", date(2009, 6, 2), date(2027, 6, 1), ["age_below_minimum"]),  # 17
        ("workcamp", date(2013, 7, 1), date(2027, 7, 1), []),  # 14
        ("workcamp", date(2013, 7, 2), date(2027, 7, 1), ["age_below_minimum"]),  # 13
    ],
)
def test_age_other_schemes(
    rulebook: RuleBook, scheme: str, birth_date: date, start: date, expected: list[str]
) -> None:
    end = {"vsi": date(2027, 12, 31), "esc": date(2027, 8, 31), "workcamp": date(2027, 7, 21)}[
        scheme
    ]
    codes = reason_codes(
        rulebook,
        scheme=scheme,
        nationalities=("TG",),
        start=start,
        end=end,
        birth_date=birth_date,
    )
    assert codes == expected


@pytest.mark.parametrize(
    ("scheme", "start", "end", "expected"),
    [
        ("service_civique", date(2027, 3, 1), date(2027, 8, 31), []),  # 6 months exactly
        ("service_civique", date(2027, 3, 1), date(2027, 8, 30), ["duration_too_short"]),
        ("service_civique", date(2027, 3, 1), date(2028, 2, 29), []),  # 12 months exactly
        ("service_civique", date(2027, 3, 1), date(2028, 3, 1), ["duration_too_long"]),
        ("vsi", date(2027, 1, 1), date(2028, 12, 31), []),  # 24 months
        ("vsi", date(2027, 1, 1), date(2029, 1, 1), ["duration_too_long"]),
        ("vsi", date(2027, 1, 1), date(2027, 3, 31), []),  # short VSI: warning, not a reason
        ("esc", date(2027, 7, 1), date(2027, 7, 14), []),  # 14 days
        ("esc", date(2027, 7, 1), date(2027, 7, 13), ["duration_too_short"]),
        ("esc", date(2027, 1, 1), date(2027, 12, 31), []),
        ("esc", date(2027, 1, 1), date(2028, 1, 1), ["duration_too_long"]),
        ("workcamp", date(2027, 7, 1), date(2027, 7, 1), []),  # no duration rule
    ],
)
def test_duration(
    rulebook: RuleBook, scheme: str, start: date, end: date, expected: list[str]
) -> None:
    assert (
        reason_codes(rulebook, scheme=scheme, nationalities=("TG",), start=start, end=end)
        == expected
    )


def test_short_vsi_is_not_state_supported(rulebook: RuleBook) -> None:
    codes = warning_codes(
        rulebook,
        scheme="vsi",
        nationalities=("TG",),
        start=date(2027, 1, 1),
        end=date(2027, 12, 30),
    )
    assert "vsi_not_state_supported" in codes
    codes = warning_codes(
        rulebook,
        scheme="vsi",
        nationalities=("TG",),
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
    )
    assert "vsi_not_state_supported" not in codes


@pytest.mark.parametrize(
    ("scheme", "hours", "birth_date", "expected"),
    [
        ("service_civique", 24, None, []),
        ("service_civique", 23.5, None, ["weekly_hours_out_of_range"]),
        ("service_civique", 48, None, []),
        ("service_civique", 48.5, None, ["weekly_hours_out_of_range"]),
        ("service_civique", 35, date(2010, 6, 1), []),  # 16: minors at most 35
        ("service_civique", 36, date(2010, 6, 1), ["weekly_hours_out_of_range"]),
        ("service_civique", 40, None, []),  # age unknown: adult limits
        ("service_civique", None, None, []),  # no hours given: not checked
        ("workcamp", 25, date(2011, 1, 1), []),
        ("workcamp", 26, date(2011, 1, 1), ["weekly_hours_out_of_range"]),
        ("workcamp", 35, None, []),
        ("workcamp", 36, None, ["weekly_hours_out_of_range"]),
        ("esc", 29, None, ["weekly_hours_out_of_range"]),
        ("esc", 38, None, []),
        ("vsi", 60, None, []),  # no hours rule
    ],
)
def test_weekly_hours(
    rulebook: RuleBook,
    scheme: str,
    hours: float | None,
    birth_date: date | None,
    expected: list[str],
) -> None:
    start, end = (SC_START, SC_END) if scheme != "vsi" else (date(2027, 1, 1), date(2027, 12, 31))
    if scheme == "workcamp":
        start, end = date(2027, 7, 1), date(2027, 7, 21)
    codes = reason_codes(
        rulebook,
        scheme=scheme,
        nationalities=("DE",) if scheme != "vsi" else ("TG",),
        start=start,
        end=end,
        weekly_hours=hours,
        birth_date=birth_date,
    )
    assert codes == expected


def test_prior_service_civique(rulebook: RuleBook) -> None:
    assert reason_codes(rulebook, nationalities=("DE",), prior_service_civique=True) == [
        "already_did_service_civique"
    ]
    assert reason_codes(rulebook, nationalities=("DE",)) == []
    # only Service Civique has the once-per-lifetime rule
    assert (
        reason_codes(rulebook, scheme="esc", nationalities=("DE",), prior_service_civique=True)
        == []
    )


@pytest.mark.parametrize(
    ("prior", "end", "expected"),
    [
        (None, date(2028, 12, 31), []),
        (48, date(2028, 12, 31), []),  # 48 + 24 = 72
        (49, date(2028, 12, 31), ["cumulative_duration_exceeded"]),
        (60, date(2027, 12, 31), []),  # 60 + 12
        (60.5, date(2027, 12, 31), ["cumulative_duration_exceeded"]),
        (60, date(2028, 1, 1), ["cumulative_duration_exceeded"]),  # 12 months and 1 day
        (72, date(2027, 1, 1), ["cumulative_duration_exceeded"]),
    ],
)
def test_vsi_cumulative(
    rulebook: RuleBook, prior: float | None, end: date, expected: list[str]
) -> None:
    codes = reason_codes(
        rulebook,
        scheme="vsi",
        nationalities=("TG",),
        start=date(2027, 1, 1),
        end=end,
        prior_vsi_months=prior,
    )
    assert codes == expected


@pytest.mark.parametrize(
    ("nationalities", "residence", "host", "expected"),
    [
        (("TG",), None, "FR", []),
        (("FR",), None, "FR", ["mission_in_own_country", "destination_not_allowed"]),
        (("TG",), "FR", "FR", ["mission_in_own_country", "destination_not_allowed"]),
        (("TG",), "BE", "FR", ["destination_not_allowed"]),  # resident in the EU
        (("TG", "DE"), None, "FR", ["destination_not_allowed"]),  # EU national
        (("FR",), None, "SN", []),  # the classic VSI abroad
        (("SN",), None, "SN", ["mission_in_own_country"]),
        (("SN",), None, "DE", ["destination_not_allowed"]),
        (("SN",), None, "CH", []),  # Switzerland is not EU/EEA
    ],
)
def test_vsi_destination(
    rulebook: RuleBook,
    nationalities: tuple[str, ...],
    residence: str | None,
    host: str,
    expected: list[str],
) -> None:
    codes = reason_codes(
        rulebook,
        scheme="vsi",
        nationalities=nationalities,
        residence=residence,
        host_country=host,
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
    )
    assert codes == expected


def test_vsi_in_france_before_the_2021_law(rulebook: RuleBook) -> None:
    codes = reason_codes(
        rulebook,
        scheme="vsi",
        nationalities=("TG",),
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
    )
    assert codes == ["destination_not_allowed"]


@pytest.mark.parametrize(
    ("nationalities", "residence", "expected"),
    [
        (("SN",), None, []),
        (("US",), None, ["not_reciprocity_country"]),
        (("US", "SN"), None, []),  # most favourable nationality
        (("US",), "FR", []),  # resident in France: not the reciprocity path
        (("DE",), None, []),  # free movement
        (("CH",), None, []),
        (("JP",), "SN", ["not_reciprocity_country"]),
    ],
)
def test_not_reciprocity_country(
    rulebook: RuleBook, nationalities: tuple[str, ...], residence: str | None, expected: list[str]
) -> None:
    assert reason_codes(rulebook, nationalities=nationalities, residence=residence) == expected


def test_reciprocity_country_rule_only_for_service_civique(rulebook: RuleBook) -> None:
    assert reason_codes(rulebook, scheme="esc", nationalities=("US",)) == []
    assert (
        reason_codes(
            rulebook,
            scheme="workcamp",
            nationalities=("US",),
            start=date(2027, 7, 1),
            end=date(2027, 7, 21),
        )
        == []
    )


def test_unverified_reciprocity_country_warns(rulebook: RuleBook) -> None:
    assert "country_to_be_confirmed" in warning_codes(rulebook, nationalities=("DZ",))
    assert "country_to_be_confirmed" not in warning_codes(rulebook, nationalities=("SN",))


@pytest.mark.parametrize(
    ("start", "end", "reasons", "warnings"),
    [
        (date(2025, 2, 1), date(2025, 7, 31), ["scheme_suspended"], ["suspension_to_be_confirmed"]),
        (
            date(2025, 2, 14),
            date(2025, 8, 13),
            ["scheme_suspended"],
            ["suspension_to_be_confirmed"],
        ),
        (date(2025, 2, 15), date(2025, 8, 14), [], []),
        (date(2025, 1, 31), date(2025, 7, 30), [], []),
        # The 2026 "services votés" freeze, ended by the finance law of 20 Feb 2026.
        (date(2026, 1, 1), date(2026, 6, 30), ["scheme_suspended"], []),
        (date(2026, 2, 20), date(2026, 8, 19), ["scheme_suspended"], []),
        (date(2026, 2, 21), date(2026, 8, 20), [], []),
        (date(2027, 9, 1), date(2028, 2, 29), [], []),
        (date(2025, 12, 31), date(2026, 6, 30), [], []),
    ],
)
def test_service_civique_suspensions(
    rulebook: RuleBook, start: date, end: date, reasons: list[str], warnings: list[str]
) -> None:
    request = make_request(nationalities=("DE",), start=start, end=end)
    plan = plan_procedure(request, rulebook, today=date(2024, 1, 1))
    assert [r.code for r in plan.reasons] == reasons
    suspension_warnings = [
        w.code
        for w in plan.warnings
        if w.code in {"scheme_suspension_open_ended", "suspension_to_be_confirmed"}
    ]
    assert suspension_warnings == warnings


def test_closing_an_open_ended_suspension_turns_the_warning_into_a_reason() -> None:
    docs = load_scheme_documents()
    for doc in docs:
        if doc["code"] == "service_civique":
            doc["suspensions"][-1]["end"] = "2026-12-31"
    book = rulebook_from_data(scheme_documents=docs, procedure_documents=load_procedure_documents())
    plan = plan_procedure(
        make_request(nationalities=("DE",), start=date(2026, 3, 1), end=date(2026, 8, 31)),
        book,
        today=TODAY,
    )
    assert [r.code for r in plan.reasons] == ["scheme_suspended"]
    assert "scheme_suspension_open_ended" not in [w.code for w in plan.warnings]
    plan = plan_procedure(
        make_request(nationalities=("DE",), start=date(2027, 1, 1), end=date(2027, 6, 30)),
        book,
        today=TODAY,
    )
    assert plan.eligible


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (HostFacts(), []),
        (HostFacts(accredited=True), []),
        (HostFacts(accredited=False), ["host_not_accredited"]),
        (HostFacts(authorised_places=5, used_places=4), []),
        (HostFacts(authorised_places=5, used_places=5), ["host_quota_exhausted"]),
        (HostFacts(authorised_places=5), []),  # used places unknown: not checked
        (
            HostFacts(accredited=False, authorised_places=0, used_places=0),
            ["host_not_accredited", "host_quota_exhausted"],
        ),
    ],
)
def test_host_accreditation_and_quota(
    rulebook: RuleBook, host: HostFacts, expected: list[str]
) -> None:
    assert reason_codes(rulebook, nationalities=("DE",), host=host) == expected


def test_work_camp_hosts_need_no_accreditation(rulebook: RuleBook) -> None:
    codes = reason_codes(
        rulebook,
        scheme="workcamp",
        nationalities=("DE",),
        start=date(2027, 7, 1),
        end=date(2027, 7, 21),
        host=HostFacts(accredited=False),
    )
    assert codes == []


def test_every_failing_rule_is_reported(rulebook: RuleBook) -> None:
    codes = reason_codes(
        rulebook,
        nationalities=("US",),
        start=date(2025, 2, 10),
        end=date(2025, 3, 9),
        birth_date=date(1990, 1, 1),
        weekly_hours=50,
        prior_service_civique=True,
        host=HostFacts(accredited=False, authorised_places=3, used_places=3),
    )
    assert codes == [
        "age_above_maximum",
        "duration_too_short",
        "weekly_hours_out_of_range",
        "already_did_service_civique",
        "not_reciprocity_country",
        "scheme_suspended",
        "host_not_accredited",
        "host_quota_exhausted",
    ]


@pytest.mark.parametrize(
    ("birth_date", "nationalities", "expected"),
    [
        (date(2010, 6, 1), ("DE",), ["parental_authorisation_required"]),
        (date(2010, 6, 1), ("SN",), ["parental_authorisation_required", "reciprocity_minor"]),
        (date(2008, 6, 1), ("SN",), []),
    ],
)
def test_minor_warnings(
    rulebook: RuleBook, birth_date: date, nationalities: tuple[str, ...], expected: list[str]
) -> None:
    codes = warning_codes(rulebook, nationalities=nationalities, birth_date=birth_date)
    assert [
        c for c in codes if c in {"parental_authorisation_required", "reciprocity_minor"}
    ] == expected


def test_contract_lists_parental_authorisation_for_minors(rulebook: RuleBook) -> None:
    plan = plan_procedure(
        make_request(nationalities=("DE",), birth_date=date(2010, 6, 1)), rulebook, today=TODAY
    )
    contract = next(s for s in plan.steps if s.code == "contract_signature")
    assert "parental_authorisation" in contract.documents


def test_unverified_rule_in_use_warns(rulebook: RuleBook) -> None:
    docs = load_scheme_documents()
    for doc in docs:
        if doc["code"] == "service_civique":
            for row in doc["rules"]:
                if row["key"] == "weekly_hours_max":
                    row["confidence"] = "unverified"
    book = rulebook_from_data(scheme_documents=docs, procedure_documents=load_procedure_documents())
    with_hours = plan_procedure(
        make_request(nationalities=("DE",), weekly_hours=30), book, today=TODAY
    )
    assert "value_to_be_confirmed" in [w.code for w in with_hours.warnings]
    without_hours = plan_procedure(make_request(nationalities=("DE",)), book, today=TODAY)
    assert "value_to_be_confirmed" not in [w.code for w in without_hours.warnings]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"nationalities": ("XX",)}, "unknown_country"),
        ({"nationalities": ()}, "no_nationality"),
        ({"residence": "ZZ"}, "unknown_country"),
        ({"host_country": "EU"}, "unknown_country"),
        ({"scheme": "jsi"}, "unknown_scheme"),
        ({"start": date(2027, 3, 1), "end": date(2027, 2, 28)}, "end_before_start"),
        ({"birth_date": date(2027, 3, 2)}, "birth_after_start"),
        ({"weekly_hours": -1}, "bad_weekly_hours"),
        ({"prior_vsi_months": -1}, "bad_prior_vsi_months"),
    ],
)
def test_invalid_requests(rulebook: RuleBook, kwargs: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        check_eligibility(make_request(**kwargs), rulebook)
    assert info.value.code == code


def test_an_open_ended_suspension_warns_and_never_refuses() -> None:
    """A freeze whose end is unknown cannot say whether a future start falls in it."""
    documents = load_scheme_documents()
    for document in documents:
        if document["code"] == "service_civique":
            document["suspensions"] = [
                {"start": "2030-01-01", "end": None, "reason": "budget", "confidence": "verified"}
            ]
    book = rulebook_from_data(
        scheme_documents=documents, procedure_documents=load_procedure_documents()
    )
    for start, end in ((date(2030, 1, 1), date(2030, 6, 30)), (date(2031, 3, 1), date(2031, 8, 31))):
        request = make_request(nationalities=("DE",), start=start, end=end)
        plan = plan_procedure(request, book, today=date(2029, 6, 1))
        assert [r.code for r in plan.reasons] == []
        assert "scheme_suspension_open_ended" in [w.code for w in plan.warnings]
    before = make_request(nationalities=("DE",), start=date(2029, 3, 1), end=date(2029, 8, 31))
    plan = plan_procedure(before, book, today=date(2029, 1, 1))
    assert "scheme_suspension_open_ended" not in [w.code for w in plan.warnings]
