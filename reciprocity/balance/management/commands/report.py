"""`reciprocity report annual --year YYYY [--host-country CC] [--scheme S] [--basis start|active]
[--json]`: the annual report of a host country (contract in reciprocity/balance/annual.py)."""

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django_countries import countries

from reciprocity.balance.annual import BASES, annual_report
from reciprocity.schemes.models import SchemeCode


def country_code(value: str) -> str:
    code = value.strip().upper()
    if code not in dict(countries):
        raise argparse.ArgumentTypeError(_("%(value)s is not an ISO 3166-1 alpha-2 country code.")
                                         % {"value": value})
    return code


def year_number(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("%(value)s is not a year.") % {"value": value}) from None
    if not 1900 <= year <= 2200:
        raise argparse.ArgumentTypeError(_("%(value)s is not a year.") % {"value": value})
    return year


class Command(BaseCommand):
    help = _("Reports on reciprocity: `report annual` gives a host country's year in figures.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="REPORT")
        annual = subcommands.add_parser(
            "annual", help=_("Volunteers hosted and sent by a country in a year."),
            description=_("Volunteers hosted in and sent from a country in a year: origins, "
                          "destinations, schemes, genders, completion and early termination."),
        )
        annual.add_argument("--year", type=year_number, required=True, help=_("The year, YYYY."))
        annual.add_argument("--host-country", type=country_code, default="FR",
                            help=_("ISO 3166-1 alpha-2 code of the host country (default FR)."))
        annual.add_argument("--scheme", choices=SchemeCode.values, default=None,
                            help=_("Only this scheme (default: all schemes)."))
        annual.add_argument("--basis", choices=BASES, default="start",
                            help=_("start: placements that started in the year (default); "
                                   "active: placements in mission on any day of the year."))
        annual.add_argument("--json", action="store_true", dest="as_json",
                            help=_("Print only the JSON object."))

    def handle(self, *args: Any, **options: Any) -> None:
        report = annual_report(
            year=options["year"], host_country=options["host_country"],
            scheme=options["scheme"], basis=options["basis"],
        )
        if options["as_json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(report["sentence_en"])
        for side, label in (("hosted", _("Hosted")), ("sent", _("Sent"))):
            block = report[side]
            tops = ", ".join(f"{code} {n}" for code, n in block["top_countries"]) or "—"
            self.stdout.write(_("%(label)s: %(n)s volunteers, %(c)s countries (top: %(tops)s)") % {
                "label": label, "n": block["volunteers"], "c": block["countries"], "tops": tops})
        schemes = ", ".join(f"{k} {v}" for k, v in report["by_scheme"].items()) or "—"
        self.stdout.write(_("By scheme: %(s)s") % {"s": schemes})
        genders = ", ".join(f"{k} {v}" for k, v in report["by_gender"].items())
        self.stdout.write(_("By gender: %(g)s") % {"g": genders})
        self.stdout.write(_("Completion rate: %(c).1f %%; early termination rate: %(e).1f %%") % {
            "c": 100 * report["completion_rate"], "e": 100 * report["early_termination_rate"]})
