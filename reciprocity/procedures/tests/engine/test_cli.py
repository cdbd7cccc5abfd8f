"""The `procedure-plan` command-line contract: options, exit codes, JSON shape, stdout."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from reciprocity.procedures.engine import ENTRY_DOCUMENT_CODES, REASON_CODES, STEP_CODES, Owner
from reciprocity.procedures.engine.cli import main

SENEGAL_SC = [
    "--scheme", "service_civique", "--nationality", "SN", "--start", "2027-03-01",
    "--end", "2027-08-31", "--birth-date", "2002-05-04", "--weekly-hours", "30",
    "--today", "2026-11-26",
]  # fmt: skip
REPO_ROOT = Path(__file__).resolve().parents[4]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_json_shape_is_exactly_the_contract() -> None:
    code, out, err = run([*SENEGAL_SC, "--json"])
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == ["eligible", "reasons", "entry_document", "steps", "warnings", "rules"]
    # The engine alone reads the shipped files, and says so (issue 17, "rules everywhere").
    assert data["rules"] == {"source": "files"}
    assert data["eligible"] is True and data["reasons"] == []
    assert set(data["entry_document"]) == {"code", "label"}
    assert data["entry_document"]["code"] == "long_stay_temporary_exemption"
    for step in data["steps"]:
        assert list(step) == ["code", "title", "owner", "due_from", "due_by", "documents"]
        assert step["code"] in STEP_CODES
        assert step["owner"] in {o.value for o in Owner}
        assert all(d is None or len(d) == 10 for d in (step["due_from"], step["due_by"]))
        assert isinstance(step["documents"], list)
    for warning in data["warnings"]:
        assert set(warning) == {"code", "message"} and warning["message"]


def test_ineligible_plan_still_exits_zero_with_every_reason() -> None:
    code, out, _ = run(
        [
            "--scheme",
            "service_civique",
            "--nationality",
            "US",
            "--start",
            "2027-03-01",
            "--end",
            "2027-04-30",
            "--birth-date",
            "1990-01-01",
            "--weekly-hours",
            "50",
            "--prior-service-civique",
            "--json",
            "--today",
            "2026-11-26",
        ]  # fmt: skip
    )
    data = json.loads(out)
    assert code == 0 and data["eligible"] is False
    codes = [r["code"] for r in data["reasons"]]
    assert codes == [
        "age_above_maximum",
        "duration_too_short",
        "weekly_hours_out_of_range",
        "already_did_service_civique",
        "not_reciprocity_country",
    ]
    assert set(codes) <= set(REASON_CODES)
    assert all(r["message"] for r in data["reasons"])


@pytest.mark.parametrize(
    ("argv", "entry"),
    [
        (
            [
                "--scheme",
                "service_civique",
                "--nationality",
                "DE",
                "--start",
                "2027-03-01",
                "--end",
                "2027-08-31",
            ],
            "none",
        ),
        (
            [
                "--scheme",
                "workcamp",
                "--nationality",
                "BR",
                "--start",
                "2027-07-01",
                "--end",
                "2027-07-21",
            ],
            "short_stay_visa_exempt",
        ),
        (
            [
                "--scheme",
                "workcamp",
                "--nationality",
                "ML",
                "--start",
                "2027-07-01",
                "--end",
                "2027-07-21",
            ],
            "short_stay_visa",
        ),
        (
            [
                "--scheme",
                "workcamp",
                "--nationality",
                "ml,br",
                "--start",
                "2027-07-01",
                "--end",
                "2027-07-21",
            ],
            "short_stay_visa_exempt",
        ),
        (
            [
                "--scheme",
                "vsi",
                "--nationality",
                "TG",
                "--start",
                "2027-01-01",
                "--end",
                "2027-12-31",
            ],
            "long_stay_visitor",
        ),
        (
            [
                "--scheme",
                "esc",
                "--nationality",
                "MA",
                "--start",
                "2027-01-01",
                "--end",
                "2027-10-31",
            ],
            "long_stay_volunteer",
        ),
        (
            [
                "--scheme",
                "service_civique",
                "--nationality",
                "SN",
                "--residence",
                "FR",
                "--start",
                "2027-03-01",
                "--end",
                "2027-08-31",
            ],
            "none",
        ),
    ],
)
def test_entry_documents_through_the_command(argv: list[str], entry: str) -> None:
    code, out, _ = run([*argv, "--json", "--today", "2026-11-26"])
    assert code == 0
    assert json.loads(out)["entry_document"]["code"] == entry
    assert entry in ENTRY_DOCUMENT_CODES


def test_optional_inputs_not_given_are_not_checked() -> None:
    code, out, _ = run(
        [
            "--scheme",
            "service_civique",
            "--nationality",
            "DE",
            "--start",
            "2027-03-01",
            "--end",
            "2027-08-31",
            "--json",
            "--today",
            "2026-11-26",
        ]
    )
    assert code == 0 and json.loads(out)["eligible"] is True


def test_host_facts_options() -> None:
    code, out, _ = run(
        [
            *SENEGAL_SC,
            "--json",
            "--host-accredited",
            "no",
            "--host-authorised-places",
            "2",
            "--host-used-places",
            "2",
        ]  # fmt: skip
    )
    assert code == 0
    assert [r["code"] for r in json.loads(out)["reasons"]] == [
        "host_not_accredited",
        "host_quota_exhausted",
    ]


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (["--nationality", "XX"], "unknown country code"),
        (["--nationality", "SN,ZZ"], "unknown country code"),
        (["--nationality", ","], "nationality"),
        (["--residence", "FRA"], "unknown country code"),
        (["--host-country", "UK"], "unknown country code"),
        (["--end", "2027-02-28"], "before --start"),
        (["--start", "2027-02-30"], "invalid date"),
        (["--start", "01/03/2027"], "invalid date"),
        (["--today", "tomorrow"], "invalid date"),
        (["--birth-date", "2027-03-02"], "after --start"),
        (["--weekly-hours", "-3"], "non-negative"),
        (["--weekly-hours", "200"], "168"),
        (["--prior-vsi-months", "x"], "not a number"),
        (["--scheme", "jsi"], "invalid choice"),
    ],
)
def test_invalid_arguments_exit_2_with_a_message(change: list[str], needle: str) -> None:
    argv = list(SENEGAL_SC)
    option = change[0]
    if option in argv:
        index = argv.index(option)
        argv[index : index + 2] = change
    else:
        argv += change
    code, out, err = run([*argv, "--json"])
    assert code == 2
    assert out == ""
    assert needle in err


def test_missing_required_option_exits_2() -> None:
    code, out, err = run(
        ["--scheme", "vsi", "--start", "2027-01-01", "--end", "2027-12-31", "--json"]
    )
    assert (code, out) == (2, "")
    assert "--nationality" in err


def test_help_exits_zero() -> None:
    code, out, _ = run(["--help"])
    assert code == 0 and "--prior-vsi-months" in out


def test_readable_output_without_json() -> None:
    code, out, _ = run(SENEGAL_SC)
    assert code == 0
    assert out.startswith("Eligible")
    assert "[visa_application]" in out and "owner: volunteer" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_french_messages() -> None:
    code, out, _ = run([*SENEGAL_SC, "--lang", "fr", "--json"])
    data = json.loads(out)
    assert code == 0
    assert data["entry_document"]["label"].startswith("Visa de long séjour")
    code, out, _ = run([*SENEGAL_SC, "--lang", "fr"])
    assert out.startswith("Éligible")


def test_management_command_subprocess_prints_only_json(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["RECIPROCITY_VAR_DIR"] = str(tmp_path)  # no database, nothing written in the checkout
    completed = subprocess.run(
        [sys.executable, "-m", "reciprocity.manage", "procedure-plan", *SENEGAL_SC, "--json"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert data["entry_document"]["code"] == "long_stay_temporary_exemption"
    assert not list(tmp_path.glob("*.sqlite3"))

    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "reciprocity.manage",
            "procedure-plan",
            *SENEGAL_SC[:-4],
            "--end",
            "2026-01-01",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == "" and "before --start" in bad.stderr


def test_the_engine_reads_no_clock_without_one_given() -> None:
    # The console command (reciprocity.procedures.cli) gives the date in France; the engine
    # alone needs --today rather than reading the clock.
    argv = [a for a in SENEGAL_SC if a not in {"--today", "2026-11-26"}]
    code, out, err = run(argv)
    assert (code, out) == (2, "") and "--today is required" in err

    out_io, err_io = io.StringIO(), io.StringIO()
    code = main(
        [*argv, "--json"], stdout=out_io, stderr=err_io, current_date=lambda: date(2026, 11, 26)
    )
    assert code == 0 and json.loads(out_io.getvalue())["eligible"] is True
