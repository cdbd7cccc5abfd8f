from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reciprocity.audit.middleware import current_actor, current_request


class AuditLogIsAppendOnly(Exception):
    """An audit entry may be written once and never changed or removed."""


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance: models.Model, force_log: bool = False, **kwargs: Any) -> Any:
        # `str()` of a volunteer, an application or a user names a person, and an entry can
        # never be rewritten when that person is anonymised: such objects get a neutral label.
        from reciprocity.audit.registry import object_label

        kwargs.setdefault("object_repr", object_label(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(
        self, changed_queryset: Any, instance: models.Model, operation: str, field_name: str,
        **kwargs: Any,
    ) -> Any:
        from reciprocity.audit.registry import object_label

        kwargs.setdefault("object_repr", object_label(instance))
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    """One create, update or delete of a recorded object (django-auditlog's entry, our table).

    `changes` maps each changed field to `[before, after]`; fields that hold secrets are never
    recorded and fields that hold personal data or whole documents are recorded by name only
    (registry.py). Append-only, in `save()`/`delete()` here and by a database trigger.
    """

    # Differs from django-auditlog's entry: the actor is kept as an id without a database
    # constraint, so deleting an account never rewrites (SET NULL) an entry it made, which the
    # append-only trigger would refuse; no actor e-mail or network address is copied into an
    # entry that could never be erased; the type of a recorded object cannot be deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
        null=True, blank=True, related_name="+", verbose_name=_("actor"),
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("content type"),
    )
    # None removes the inherited abstract field (see above).
    actor_email = None
    remote_addr = None
    remote_port = None

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit entries are append-only.")
        if self.actor_id is None:
            self.actor = current_actor()
        request = current_request()
        token = getattr(getattr(request, "user", None), "api_token", None)
        entry: Any = self  # django-auditlog's abstract model is untyped
        if token is not None and entry.additional_data is None:
            # Which of the user's API tokens did it: tokens are revoked one by one.
            entry.additional_data = {"api_token": token.pk}
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditLogIsAppendOnly("Audit entries are append-only.")
