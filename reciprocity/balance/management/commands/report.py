"""`reciprocity report annual --year YYYY [--host-country CC] [--scheme S] [--basis start|active]
[--json | --language LL]`: the annual report of a host country (contract in
reciprocity/balance/annual.py), with its visa outcomes (`visa`: balance/visa_selectors.py).
The JSON keeps codes; the text is in --language (default the settings' LANGUAGE_CODE), with
names for countries, schemes and genders."""

import argparse
import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_countries import countries

from reciprocity.balance.annual import BASES, annual_report
from reciprocity.balance.labels import country_label, report_sections, visa_text
from reciprocity.balance.visa_selectors import VisaTable, visa_json, visa_table_as
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
        annual.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            default=None,
                            help=_("Language of the text (default: the site's language); "
                                   "the JSON is the same in every language."))

    def handle(self, *args: Any, **options: Any) -> None:
        report = annual_report(
            year=options["year"], host_country=options["host_country"],
            scheme=options["scheme"], basis=options["basis"],
        )
        # The operator reads the whole database: exact figures, as for the rest of the report.
        visa = visa_table_as(exact=True, year=options["year"],
                             host_country=options["host_country"], scheme=options["scheme"])
        if options["as_json"]:
            self.stdout.write(json.dumps({**report, "visa": visa_json(visa)}, ensure_ascii=False))
            return
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            self._write_text(report, visa)

    def _write_text(self, report: dict[str, Any], visa: VisaTable) -> None:
        # The sentence is written out in each language (balance/sentences.py); others read English.
        language = (translation.get_language() or "en")[:2]
        self.stdout.write(report.get(f"sentence_{language}") or report["sentence_en"])
        for side, label in (("hosted", _("Hosted")), ("sent", _("Sent"))):
            block = report[side]
            tops = ", ".join(f"{country_label(code)} {n}" for code, n in block["top_countries"])
            self.stdout.write(_("%(label)s: %(n)s volunteers, %(c)s countries (top: %(tops)s)") % {
                "label": label, "n": block["volunteers"], "c": block["countries"],
                "tops": tops or "—"})
        for heading, rows in report_sections(report):
            items = ", ".join(f"{label} {n}" for label, n in rows) or "—"
            self.stdout.write(f"{heading}: {items}")
        self.stdout.write(_("Completion rate: %(c)s %%; early termination rate: %(e)s %%") % {
            "c": formats.number_format(100 * report["completion_rate"], 1),
            "e": formats.number_format(100 * report["early_termination_rate"], 1)})
        self.stdout.write(_("Visas:") if visa.rows else _("Visas: no visa outcome recorded."))
        for row in visa.rows:
            self.stdout.write(f"  {visa_text(row)}")
