"""`reciprocity procedure-plan`: the engine's command-line face (no Django, no database, no clock).

Exit codes: 0 when the plan was computed (eligible or not), 2 on invalid arguments, with the
reason on standard error. With `--json`, standard output holds the JSON object and nothing else.

The rules and the clock are the caller's: `reciprocity.procedures.cli` (the console command)
passes the database's rules (else the files; `--no-db`: the files) and the date in France as the
default of --today; called on its own, this module reads the shipped files and needs --today.
The output says which rules were applied: a last line "Rules: ...", and in JSON the object
`rules` = {"source": "database" | "files", "reason": ...}.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from reciprocity.domain.countries import is_country_code

from .context import InvalidRequest
from .messages import CATALOGUE, LANGUAGES, render
from .planner import plan_procedure
from .rulebook import SCHEME_CODES, RuleBook, rulebook_from_files
from .types import HostFacts, MissionFacts, Plan, PlanRequest, VolunteerFacts

PROG = "reciprocity procedure-plan"


@dataclass(frozen=True)
class RulesUsed:
    """The rules a run applies and where they come from: `source` is "database" or "files";
    `reason` says why the files were used ("" when that was simply the caller's choice)."""

    rulebook: RuleBook
    source: str
    reason: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, **({"reason": self.reason} if self.reason else {})}

    def label(self, lang: str) -> str:
        key = f"cli.rules.{self.source}" + (f".{self.reason}" if self.reason else "")
        return render(key, lang, {})


def shipped_rules(use_database: bool) -> RulesUsed:
    """The engine alone knows no database: the files, whatever is asked."""
    return RulesUsed(rulebook_from_files(), "files")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(text: str) -> date:
    if not _ISO_DATE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: {exc}") from exc


def country(text: str) -> str:
    code = text.strip().upper()
    if not is_country_code(code):
        raise argparse.ArgumentTypeError(
            f"unknown country code {text!r} (expected ISO 3166-1 alpha-2, e.g. FR, SN)"
        )
    return code


def countries(text: str) -> tuple[str, ...]:
    parts = [p for p in (part.strip() for part in text.split(",")) if p]
    if not parts:
        raise argparse.ArgumentTypeError("at least one nationality is required")
    return tuple(dict.fromkeys(country(p) for p in parts))


def non_negative_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from exc
    if value != value or value < 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a non-negative number: {text!r}")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Eligibility, entry document, dated steps and warnings for one volunteer, scheme, "
            "destination and dates. Dates are inclusive; country codes are ISO 3166-1 alpha-2."
        ),
        allow_abbrev=False,
    )
    parser.add_argument("--scheme", required=True, choices=SCHEME_CODES)
    parser.add_argument(
        "--nationality",
        required=True,
        type=countries,
        metavar="CC[,CC...]",
        help="nationalities; the most favourable one applies",
    )
    parser.add_argument(
        "--residence",
        type=country,
        metavar="CC",
        help="country of residence (default: the first nationality)",
    )
    parser.add_argument(
        "--host-country",
        type=country,
        default="FR",
        metavar="CC",
        help="country of the mission (default FR)",
    )
    parser.add_argument("--start", required=True, type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument(
        "--end",
        required=True,
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="last day of the mission (inclusive)",
    )
    parser.add_argument("--birth-date", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument("--disability", action="store_true", help="the volunteer has a disability")
    parser.add_argument("--weekly-hours", type=non_negative_number, metavar="N")
    parser.add_argument(
        "--prior-service-civique",
        action="store_true",
        help="the volunteer has already done a Service Civique",
    )
    parser.add_argument(
        "--prior-vsi-months",
        type=non_negative_number,
        metavar="N",
        help="months of VSI already done",
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="reference date for deadlines (default: the current date)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object and nothing else"
    )
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the messages")
    parser.add_argument(
        "--no-db",
        action="store_true",
        help="apply the rule files shipped with the package, even when a database holds rules "
        "edited by staff (default: the database's rules when there are any)",
    )
    host = parser.add_argument_group("host facts (optional; a fact not given is not checked)")
    host.add_argument(
        "--host-accredited",
        choices=("yes", "no"),
        help="whether the host holds the scheme's accreditation",
    )
    host.add_argument("--host-authorised-places", type=non_negative_int, metavar="N")
    host.add_argument("--host-used-places", type=non_negative_int, metavar="N")
    host.add_argument(
        "--host-prefectoral-agrement",
        action="store_true",
        help="the host holds the prefectoral associative-volunteering agrément (APS path)",
    )
    return parser


def request_from_args(args: argparse.Namespace) -> PlanRequest:
    accredited = None if args.host_accredited is None else args.host_accredited == "yes"
    return PlanRequest(
        scheme=args.scheme,
        volunteer=VolunteerFacts(
            nationalities=args.nationality,
            residence=args.residence,
            birth_date=args.birth_date,
            disability=args.disability,
            prior_service_civique=args.prior_service_civique,
            prior_vsi_months=args.prior_vsi_months,
        ),
        mission=MissionFacts(
            start=args.start,
            end=args.end,
            host_country=args.host_country,
            weekly_hours=args.weekly_hours,
            host=HostFacts(
                accredited=accredited,
                authorised_places=args.host_authorised_places,
                used_places=args.host_used_places,
                prefectoral_agrement=True if args.host_prefectoral_agrement else None,
            ),
        ),
    )


def format_text(plan: Plan, lang: str, rules: RulesUsed | None = None) -> str:
    t = lambda key: render(key, lang, {})  # noqa: E731
    lines = [t("cli.eligible") if plan.eligible else t("cli.not_eligible")]
    if plan.reasons:
        lines.append(f"\n{t('cli.reasons')}:")
        lines.extend(f"  - [{r.code}] {r.message(lang)}" for r in plan.reasons)
    doc = plan.entry_document
    lines.append(f"\n{t('cli.entry_document')}: {doc.label(lang)} [{doc.code}]")
    lines.append(f"\n{t('cli.steps')}:")
    if not plan.steps:
        lines.append(f"  {t('cli.none')}")
    for step in plan.steps:
        window = []
        if step.due_from:
            window.append(f"{t('cli.from')} {step.due_from.isoformat()}")
        if step.due_by:
            window.append(f"{t('cli.by')} {step.due_by.isoformat()}")
        lines.append(f"  - [{step.code}] {step.title(lang)}")
        lines.append(
            f"      {t('cli.owner')}: {step.owner.value}"
            + (f"; {', '.join(window)}" if window else "")
        )
        if step.documents:
            labels = ", ".join(
                t(f"doc.{d}") if f"doc.{d}" in CATALOGUE["en"] else d for d in step.documents
            )
            lines.append(f"      {t('cli.documents')}: {labels}")
    if plan.warnings:
        lines.append(f"\n{t('cli.warnings')}:")
        lines.extend(f"  - [{w.code}] {w.message(lang)}" for w in plan.warnings)
    if rules is not None:
        lines.append(f"\n{t('cli.rules')}: {rules.label(lang)}")
    return "\n".join(lines) + "\n"


def main(
    argv: list[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    *,
    load_rules: Callable[[bool], RulesUsed] = shipped_rules,
    current_date: Callable[[], date] | None = None,
) -> int:
    """Run the command; returns the exit code (0 computed, 2 invalid arguments).

    `load_rules(use_database)` is called once the arguments are valid (`use_database` is False
    with --no-db); `current_date` gives the default of --today (without it, --today is
    required).
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err  # argparse writes --help and errors to sys.*
        try:
            args = parser.parse_args(sys.argv[1:] if argv is None else argv)
        finally:
            sys.stdout, sys.stderr = saved
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    if args.end < args.start:
        err.write(f"{PROG}: error: --end {args.end} is before --start {args.start}\n")
        return 2
    if args.birth_date is not None and args.birth_date > args.start:
        err.write(f"{PROG}: error: --birth-date {args.birth_date} is after --start {args.start}\n")
        return 2
    if args.weekly_hours is not None and args.weekly_hours > 168:
        err.write(
            f"{PROG}: error: --weekly-hours {args.weekly_hours:g} exceeds the 168 hours of a week\n"
        )
        return 2
    if args.today is not None:
        today = args.today
    elif current_date is not None:
        today = current_date()
    else:
        err.write(f"{PROG}: error: --today is required (no clock is given to the engine)\n")
        return 2
    rules = load_rules(not args.no_db)
    try:
        plan = plan_procedure(request_from_args(args), rules.rulebook, today=today)
    except InvalidRequest as exc:
        err.write(f"{PROG}: error: {exc}\n")
        return 2
    if args.json:
        data = {**plan.to_dict(args.lang), "rules": rules.to_dict()}
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(format_text(plan, args.lang, rules))
    return 0

