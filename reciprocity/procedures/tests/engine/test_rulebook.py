"""The RuleBook and the shipped data files: format, versioning, integrity."""

from __future__ import annotations

import json
from datetime import date

import pytest

from reciprocity.procedures.engine import (
    CATALOGUE,
    COUNTRY_CODES,
    ENTRY_DOCUMENT_CODES,
    REASON_CODES,
    RuleBook,
    RuleDataError,
    load_procedure_documents,
    rulebook_from_rows,
)
from reciprocity.procedures.engine.rulebook import SCHEME_CODES, SCHEMES_DIR

SCHEME_KEYS = ["code", "name_en", "name_fr", "rules", "suspensions"]
RULE_KEYS = ["key", "value", "effective_from", "unit", "source", "confidence", "note"]
SUSPENSION_KEYS = ["start", "end", "reason", "source", "confidence"]


@pytest.mark.parametrize("code", SCHEME_CODES)
def test_scheme_files_have_exactly_the_seeding_format(code: str) -> None:
    doc = json.loads((SCHEMES_DIR / f"{code}.json").read_text(encoding="utf-8"))
    assert list(doc) == SCHEME_KEYS and doc["code"] == code
    for row in doc["rules"]:
        assert list(row) == RULE_KEYS
        date.fromisoformat(row["effective_from"])
        assert row["confidence"] in {"verified", "secondary", "unverified"}
        assert row["source"].startswith("http")
        assert row["key"].islower() and " " not in row["key"]
    for row in doc["suspensions"]:
        assert list(row) == SUSPENSION_KEYS
        date.fromisoformat(row["start"])
        assert row["end"] is None or date.fromisoformat(row["end"]) >= date.fromisoformat(
            row["start"]
        )
    pairs = [(r["key"], r["effective_from"]) for r in doc["rules"]]
    assert len(pairs) == len(set(pairs)), "one row per key and effective date"


def test_value_in_force_is_the_latest_effective_from(rulebook: RuleBook) -> None:
    assert (
        rulebook.rule("service_civique", "state_allowance_net_eur_month", date(2024, 6, 1)).value
        == 504.98
    )
    assert (
        rulebook.rule("service_civique", "state_allowance_net_eur_month", date(2025, 1, 1)).value
        == 507.21
    )
    assert (
        rulebook.rule("service_civique", "state_allowance_net_eur_month", date(2023, 12, 31))
        is None
    )
    assert rulebook.rule("vsi", "france_open_to_non_eea", date(2021, 8, 5)).value is False
    assert rulebook.rule("vsi", "france_open_to_non_eea", date(2021, 8, 6)).value is True
    assert [r.value for r in rulebook.history("vsi", "france_open_to_non_eea")] == [False, True]


def test_rows_from_a_database_build_the_same_rulebook(rulebook: RuleBook) -> None:
    rows = [
        {
            "scheme": r.scheme,
            "key": r.key,
            "value": r.value,
            "effective_from": r.effective_from,  # date objects, as the ORM returns them
            "unit": r.unit,
            "source": r.source,
            "confidence": r.confidence,
            "note": r.note,
        }
        for r in rulebook.rules
    ]
    suspensions = [
        {
            "scheme": s.scheme,
            "start": s.start,
            "end": s.end,
            "reason": s.reason,
            "source": s.source,
            "confidence": s.confidence,
        }
        for s in rulebook.suspensions
    ]
    schemes = [
        {"code": s.code, "name_en": s.name_en, "name_fr": s.name_fr}
        for s in rulebook.schemes.values()
    ]
    book = rulebook_from_rows(
        schemes=schemes,
        rule_rows=rows,
        suspension_rows=suspensions,
        procedure_documents=load_procedure_documents(),
    )
    assert book.rules == rulebook.rules and book.suspensions == rulebook.suspensions


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        (
            {"scheme": "vsi", "key": "age_min", "value": 18, "effective_from": "18/01/2005"},
            "ISO date",
        ),
        (
            {
                "scheme": "vsi",
                "key": "age_min",
                "value": 18,
                "effective_from": "2005-01-01",
                "confidence": "sure",
            },
            "confidence",
        ),
        ({"key": "age_min", "value": 18, "effective_from": "2005-01-01"}, "without scheme"),
    ],
)
def test_malformed_rows_are_refused(row: dict, needle: str) -> None:
    with pytest.raises(RuleDataError, match=needle):
        rulebook_from_rows(
            schemes=[{"code": "vsi"}],
            rule_rows=[row],
            suspension_rows=[],
            procedure_documents=load_procedure_documents(),
        )


def test_service_civique_suspensions(rulebook: RuleBook) -> None:
    suspensions = rulebook.suspensions_for("service_civique")
    assert [(s.start, s.end) for s in suspensions] == [
        (date(2025, 2, 1), date(2025, 2, 14)),
        (date(2026, 1, 1), date(2026, 2, 20)),
    ]
    assert rulebook.suspensions_for("vsi") == ()


def test_country_lists_are_disjoint_and_valid(rulebook: RuleBook) -> None:
    c = rulebook.countries
    exempt = set(c.visa_exempt)
    assert len(c.free_movement) == 31 and len(exempt) == 63 and len(c.visa_required) == 105
    assert not (c.free_movement & exempt) and not (c.free_movement & c.visa_required)
    assert not (exempt & c.visa_required)
    assert (c.free_movement | exempt | c.visa_required) <= COUNTRY_CODES
    assert "CH" in c.free_movement and "CH" not in c.eea
    assert set(c.reciprocity_countries) <= COUNTRY_CODES
    assert (
        not set(c.reciprocity_countries) & c.free_movement
    )  # reciprocity concerns non-EEA nationals
    assert {"SN", "TG", "BF", "ML", "MA", "TN"} <= set(c.reciprocity_countries)


def test_entry_document_data_uses_contract_codes(rulebook: RuleBook) -> None:
    assert set(rulebook.entry_documents) == set(ENTRY_DOCUMENT_CODES)
    for scheme in SCHEME_CODES:
        rules = rulebook.long_stay_rules[scheme]
        assert rules and rules[-1].max_months is None  # every long stay gets a document


def test_every_code_has_english_and_french_text() -> None:
    codes = list(REASON_CODES) + [f"entry.{c}" for c in ENTRY_DOCUMENT_CODES]
    for lang in ("en", "fr"):
        assert set(CATALOGUE[lang]) == set(CATALOGUE["en"])
        for code in codes:
            assert CATALOGUE[lang][code]


def test_every_step_document_has_a_label(rulebook: RuleBook) -> None:
    for template in rulebook.step_templates:
        for document in template.documents + template.documents_minor:
            assert f"doc.{document}" in CATALOGUE["en"], document
        assert template.title in CATALOGUE["en"], template.title


def test_docs_list_every_rule(rulebook: RuleBook) -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[4] / "docs" / "rules.md").read_text(encoding="utf-8")
    lines = docs.splitlines()
    for row in rulebook.rules:
        assert any(
            f"`{row.key}`" in line and row.effective_from.isoformat() in line for line in lines
        ), f"docs/rules.md does not list {row.scheme}.{row.key} from {row.effective_from}"
    for suspension in rulebook.suspensions:
        assert suspension.start.isoformat() in docs
