"""The procedure-plan command and the platform read the rule rows staff edit, else the files."""

import io
import json

import pytest

from reciprocity.procedures import cli
from reciprocity.procedures.models import RuleDocument
from reciprocity.procedures.rulebooks import rule_documents_load_from_files, rules_current
from reciprocity.schemes.models import SchemeRule
from reciprocity.schemes.services import rules_load_from_files

ARGS = ["--scheme", "service_civique", "--nationality", "SN", "--start", "2027-03-01",
        "--end", "2027-08-31", "--birth-date", "2003-05-17", "--today", "2026-11-26", "--json"]


def plan(args=ARGS):  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), stdout=out, stderr=err)
    assert code == 0 and err.getvalue() == ""
    return json.loads(out.getvalue())  # stdout holds the JSON object and nothing else


@pytest.mark.django_db
def test_the_command_applies_a_rule_row_edited_in_the_database():
    rules_load_from_files()
    assert plan()["eligible"] is True

    SchemeRule.objects.filter(scheme_id="service_civique", key="age_max").update(value=21)

    result = plan()
    assert result["eligible"] is False
    assert [r["code"] for r in result["reasons"]] == ["age_above_maximum"]
    assert "maximum of 21" in result["reasons"][0]["message"]


@pytest.mark.django_db
def test_the_command_applies_an_edited_rule_document():
    rules_load_from_files()
    rule_documents_load_from_files()
    document = RuleDocument.objects.get(key="schengen_visa")
    # Pretend Senegal joined annex II: a short stay then needs no visa.
    content = document.content
    content["visa_required"] = [c for c in content["visa_required"] if c != "SN"]
    content["visa_exempt"]["SN"] = {"note": "test"}
    document.content = content
    document.save()
    short = ["--scheme", "workcamp", "--nationality", "SN", "--start", "2027-07-01",
             "--end", "2027-07-21", "--today", "2026-11-26", "--json"]

    assert plan(short)["entry_document"]["code"] == "short_stay_visa_exempt"


@pytest.mark.django_db
def test_an_empty_database_falls_back_to_the_files():
    assert not SchemeRule.objects.exists()
    assert rules_current().source == "files"
    assert plan()["eligible"] is True


def test_without_database_access_the_command_uses_the_files():
    # No django_db mark: pytest-django refuses database access, as a missing database would.
    assert plan()["entry_document"]["code"] == "long_stay_temporary_exemption"


@pytest.mark.django_db
def test_seeding_rule_documents_keeps_staff_edits():
    assert rule_documents_load_from_files() == 5
    RuleDocument.objects.filter(key="steps").update(source="edited by staff")

    assert rule_documents_load_from_files() == 0
    assert RuleDocument.objects.get(key="steps").source == "edited by staff"


# --- which rules, said by the command (issue 17, "rules everywhere") --------------------------

def run_text(args):  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(list(args), stdout=out, stderr=err) == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_says_it_applied_the_database_rules():
    rules_load_from_files()
    SchemeRule.objects.filter(scheme_id="service_civique", key="age_max").update(value=21)

    result = plan()
    assert result["rules"] == {"source": "database"}
    assert result["eligible"] is False
    text = run_text([a for a in ARGS if a != "--json"])
    assert text.rstrip().endswith("Rules: edited by staff, from the database")


@pytest.mark.django_db
def test_no_db_applies_the_shipped_files_even_with_edited_rules():
    rules_load_from_files()
    SchemeRule.objects.filter(scheme_id="service_civique", key="age_max").update(value=21)

    result = plan([*ARGS, "--no-db"])

    assert result["rules"] == {"source": "files", "reason": "no_db"}
    assert result["eligible"] is True  # the file's age maximum, not the staff edit
    text = run_text([*[a for a in ARGS if a != "--json"], "--no-db", "--lang", "fr"])
    assert text.rstrip().endswith("Règles: les fichiers livrés avec le logiciel (--no-db)")


@pytest.mark.django_db
def test_a_database_without_rule_rows_is_said():
    assert plan()["rules"] == {"source": "files", "reason": "no_database_rules"}


def test_without_database_access_the_files_are_said():
    assert plan()["rules"] == {"source": "files", "reason": "no_database_rules"}
    assert plan([*ARGS, "--no-db"])["rules"] == {"source": "files", "reason": "no_db"}
