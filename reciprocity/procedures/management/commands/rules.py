from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from reciprocity.procedures.rulebooks import rule_documents_load_from_files
from reciprocity.schemes.services import rules_load_from_files

# In procedures, above schemes: it seeds the scheme rules (schemes' service) and procedures'
# rule documents together (ADR 0005, ignore 5 removed).


class Command(BaseCommand):
    help = "Manage scheme rules. `rules load` seeds missing rule rows from the shipped data files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Create the rule rows the data files have and the database lacks.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = rules_load_from_files()
        self.stdout.write(
            _("Rules: %(rules)d new rows, %(susp)d new suspensions from %(files)d files.")
            % {"rules": result.rules_created, "susp": result.suspensions_created, "files": result.files}
        )
        # The procedure rule documents (visa lists, step templates...) are seeded alongside.
        documents = rule_documents_load_from_files()
        self.stdout.write(_("Procedure rule documents: %(n)d new.") % {"n": documents})
