"""The RuleBook the platform applies: the database rows staff edit, else the shipped files.

Scheme parameters and suspensions are `schemes.SchemeRule` / `schemes.SchemeSuspension` rows;
the other rule documents (visa lists, reciprocity countries, entry documents, step templates)
are `RuleDocument` rows. Each part falls back to its file on its own, so a database seeded with
scheme rules only still plans with the shipped visa lists.
"""

import hashlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.exceptions import ApplicationError, NotAllowed
from reciprocity.procedures.engine import (
    RuleBook,
    RuleDataError,
    load_procedure_documents,
    load_scheme_documents,
    rulebook_from_data,
    rulebook_from_files,
    rulebook_from_rows,
)
from reciprocity.procedures.engine.rulebook import PROCEDURE_FILES, PROCEDURES_DIR, read_json
from reciprocity.procedures.models import RuleDocument
from reciprocity.schemes.models import RuleChange, Scheme, SchemeRule, SchemeSuspension

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedRules:
    rulebook: RuleBook
    source: str  # "database" or "files"
    version: str  # a fingerprint of the rule data, stored with each procedure


def _fingerprint(*parts: Any) -> str:
    blob = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _database_file_missing() -> bool:
    """True when the SQLite file does not exist: connecting would create an empty one."""
    if connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return False
    return not os.path.exists(name)


def _with_scheme(row: Mapping[str, Any]) -> dict[str, Any]:
    """A `.values()` row in the engine's shape: `scheme_id` renamed to `scheme`."""
    return {("scheme" if key == "scheme_id" else key): value for key, value in row.items()}


def rules_from_database() -> LoadedRules | None:
    """The rules held in the database, or None when it is absent, unmigrated or empty.

    Never raises for a missing database: the `procedure-plan` command must run from a fresh
    clone, with the files, and print nothing but its own output.
    """
    if _database_file_missing():
        return None
    try:
        # A savepoint, so a missing table does not break a surrounding transaction (PostgreSQL).
        with transaction.atomic():
            rule_rows = list(
                SchemeRule.objects.order_by("scheme_id", "key", "effective_from").values(
                    "scheme_id", "key", "value", "effective_from", "unit", "source",
                    "confidence", "note",
                )
            )
            if not rule_rows:
                return None
            schemes = list(Scheme.objects.order_by("code").values("code", "name_en", "name_fr"))
            suspensions = list(
                SchemeSuspension.objects.order_by("scheme_id", "start").values(
                    "scheme_id", "start", "end", "reason", "source", "confidence"
                )
            )
    except (DatabaseError, RuntimeError):
        # RuntimeError: database access refused in this context (pytest-django's blocker).
        return None
    try:
        with transaction.atomic():
            stored = dict(RuleDocument.objects.values_list("key", "content"))
    except DatabaseError:  # not migrated yet: the files then
        stored = {}
    documents = {
        name: stored[name] if name in stored else read_json(PROCEDURES_DIR / f"{name}.json")
        for name in PROCEDURE_FILES
    }
    rules = [_with_scheme(row) for row in rule_rows]
    susp = [_with_scheme(row) for row in suspensions]
    try:
        book = rulebook_from_rows(
            schemes=schemes, rule_rows=rules, suspension_rows=susp, procedure_documents=documents
        )
    except (RuleDataError, KeyError, TypeError, ValueError):
        # A staff edit that breaks the data must not stop the platform: plan with the files.
        logger.exception("rule rows in the database are invalid; using the shipped files")
        return None
    return LoadedRules(book, "database", _fingerprint(schemes, rules, susp, documents))


def rules_from_files() -> LoadedRules:
    documents = load_procedure_documents()
    book = rulebook_from_files()
    return LoadedRules(book, "files", _fingerprint("files", book.rules, book.suspensions, documents))


def rules_current() -> LoadedRules:
    """The rules to apply now: the database's when it holds rule rows, else the files'."""
    return rules_from_database() or rules_from_files()


@transaction.atomic
def rule_documents_load_from_files(*, directory: Path = PROCEDURES_DIR) -> int:
    """Create the `RuleDocument` rows the database lacks; returns how many were created.

    An existing row is never overwritten: staff edits win over the files, as for scheme rules.
    """
    created = 0
    for name in PROCEDURE_FILES:
        content = read_json(directory / f"{name}.json")
        _, was_created = RuleDocument.objects.get_or_create(
            key=name, defaults={"content": content, "source": str(content.get("source", ""))[:2000]}
        )
        created += was_created
    return created


@transaction.atomic
def rule_document_edit(
    *, document: RuleDocument, content: Any, source: str, actor: User
) -> RuleDocument:
    """Replace a rule document's content after checking that the engine can read it with the
    other documents (a broken visa list must never reach the planner)."""
    if not is_platform_staff(actor):
        raise NotAllowed(_("Only platform staff may change the rules."))
    document = RuleDocument.objects.select_for_update().get(pk=document.pk)
    others = {
        name: read_json(PROCEDURES_DIR / f"{name}.json") for name in PROCEDURE_FILES
    } | dict(RuleDocument.objects.values_list("key", "content"))
    try:
        rulebook_from_data(
            scheme_documents=load_scheme_documents(),
            procedure_documents={**others, document.key: content},
        )
    except (RuleDataError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ApplicationError(
            _("The engine cannot read this content: %(error)s") % {"error": exc},
            code="rule_document_invalid",
        ) from exc
    before_version = _fingerprint(document.content)
    document.content, document.source, document.updated_by = content, source, actor
    document.save(update_fields=["content", "source", "updated_by", "updated_at"])
    RuleChange.objects.create(
        target="document", target_id=document.key, label=document.key, action="edited",
        before={"version": before_version}, after={"version": _fingerprint(content)}, actor=actor,
    )
    return document
