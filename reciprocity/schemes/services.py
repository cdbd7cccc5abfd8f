"""Seeding scheme rules from the data files shipped in `schemes/data/`."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from reciprocity.schemes.models import Scheme, SchemeRule, SchemeSuspension

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class RulesLoadResult:
    rules_created: int
    suspensions_created: int
    files: int


@transaction.atomic
def rules_load_from_files(*, directory: Path = DATA_DIR) -> RulesLoadResult:
    """Create the rule rows and suspensions the files describe and the database lacks.

    Existing rows are never overwritten: staff may have corrected a value, and their edit wins
    over the file. A new value in a file is a new row with its own effective date.
    """
    rules_created = suspensions_created = files = 0
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        files += 1
        scheme, _ = Scheme.objects.get_or_create(
            code=document["code"],
            defaults={"name_en": document["name_en"], "name_fr": document["name_fr"]},
        )
        for row in document.get("rules", []):
            _, created = SchemeRule.objects.get_or_create(
                scheme=scheme,
                key=row["key"],
                effective_from=date.fromisoformat(row["effective_from"]),
                defaults={
                    "value": row["value"],
                    "unit": row.get("unit", ""),
                    "source": row.get("source", ""),
                    "confidence": row.get("confidence", "verified"),
                    "note": row.get("note", ""),
                },
            )
            rules_created += created
        for row in document.get("suspensions", []):
            _, created = SchemeSuspension.objects.get_or_create(
                scheme=scheme,
                start=date.fromisoformat(row["start"]),
                defaults={
                    "end": date.fromisoformat(row["end"]) if row.get("end") else None,
                    "reason": row.get("reason", ""),
                    "source": row.get("source", ""),
                    "confidence": row.get("confidence", "verified"),
                },
            )
            suspensions_created += created
    return RulesLoadResult(rules_created, suspensions_created, files)
