"""Reads of the audit log: platform staff only."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.audit.models import AuditEntry
from reciprocity.audit.registry import REDACTED, recorded_models


def can_read_audit_log(user: AnyUser) -> bool:
    return is_platform_staff(user)


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # a username, any case
    system_only: bool = False  # entries written with nobody signed in (commands, jobs)
    content_type_id: int | None = None
    object_id: int | None = None
    action: int | None = None
    since: datetime.date | None = None  # local dates, both included
    until: datetime.date | None = None


def type_name(content_type: ContentType) -> str:
    """A recorded type's own (translated) name, e.g. "mission"."""
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else content_type.model


def recorded_types() -> list[ContentType]:
    """The types of object the log records, for the filter (sorted by their name)."""
    by_model = ContentType.objects.get_for_models(*recorded_models())
    return sorted(by_model.values(), key=lambda ct: type_name(ct).casefold())


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_entries(*, user: AnyUser, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered; nothing for anyone but platform staff."""
    if not can_read_audit_log(user):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.select_related("content_type", "actor")
    if filters.system_only:
        qs = qs.filter(actor__isnull=True)
    elif filters.actor:
        qs = qs.filter(actor__username__iexact=filters.actor)
    if filters.content_type_id is not None:
        qs = qs.filter(content_type_id=filters.content_type_id)
    if filters.object_id is not None:
        qs = qs.filter(object_id=filters.object_id)
    if filters.action is not None:
        qs = qs.filter(action=filters.action)
    if filters.since is not None:
        qs = qs.filter(timestamp__gte=_day_start(filters.since))
    if filters.until is not None:
        qs = qs.filter(timestamp__lt=_day_start(filters.until + datetime.timedelta(days=1)))
    return qs.order_by("-timestamp", "-pk")


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any
    recorded: bool  # False: the field is recorded by name only (personal data, documents)


def entry_changes(entry: AuditEntry) -> list[FieldChange]:
    """The entry's changes as rows to show, with the fields' own (translated) names."""
    model = entry.content_type.model_class()
    rows = []
    for name, change in sorted((entry.changes or {}).items()):
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = str(getattr(field, "verbose_name", name))
        if isinstance(change, dict):  # a many-to-many change: objects added or removed
            objects = ", ".join(str(o) for o in change.get("objects", []))
            added = change.get("operation") == "add"
            rows.append(FieldChange(name, label, "" if added else objects,
                                    objects if added else "", True))
            continue
        before, after = (list(change) + [None, None])[:2]
        if entry.action == AuditEntry.Action.CREATE and after in (None, ""):
            continue  # a new object's empty fields say nothing
        recorded = not (before == REDACTED and after == REDACTED)
        rows.append(FieldChange(name, label, before, after, recorded))
    return rows
