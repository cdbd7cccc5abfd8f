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


def audit_encrypted_values_rewritten(sender: type[models.Model], fields: dict[str, int],
                                     pks: list[object], **kwargs: object) -> None:
    """Record a batch of `reciprocity encryption rotate` (core/encryption.py's signal, sent
    inside the batch's transaction, so the entry commits with the rows or not at all).

    One entry per batch of a model, with no actor (the system): the rows touched are listed in
    `additional_data`; the values, which Python sees unchanged, are never recorded, and fields
    whose very name the log never records (two-factor keys) are only counted.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext as _

    from reciprocity.audit.models import AuditEntry
    from reciprocity.audit.registry import POLICIES, REDACTED, Policy

    policy = POLICIES.get(sender._meta.label)
    excluded = policy.exclude if isinstance(policy, Policy) else ()
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(sender, for_concrete_model=False),
        object_pk="",
        object_repr=_("Encryption key rotation: %(n)d row(s) rewritten under the current key")
        % {"n": len(pks)},
        action=AuditEntry.Action.UPDATE,
        changes={name: [REDACTED, REDACTED] for name in fields if name not in excluded},
        additional_data={"event": "encryption_key_rotation", "values": fields,
                         "objects": [str(pk) for pk in pks]},
    )
