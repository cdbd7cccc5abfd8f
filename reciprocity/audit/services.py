"""Writes to the audit log that django-auditlog's signals cannot see."""

from collections.abc import Iterable

from auditlog.receivers import log_create
from auditlog.registry import auditlog
from django.db import models


def audit_created(instances: Iterable[models.Model]) -> None:
    """Record the creation of rows written with `bulk_create()`, which sends no signal.

    Call it right after the `bulk_create()`, with the rows it returned (they carry their ids).
    """
    for instance in instances:
        if instance.pk is not None and auditlog.contains(type(instance)):
            log_create(sender=type(instance), instance=instance, created=True)
