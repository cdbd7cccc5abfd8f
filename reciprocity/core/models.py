from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """One row of a state machine's history: from which status to which, by whom (None when the
    system made the move: a daily job, an import, a run), when, and why.

    Each concrete history names its subject (a foreign key with related_name="history") and the
    status list its labels come from (`status_choices`); the rows and their columns are the
    same as when each app declared them itself (no migration)."""

    # (code, label) pairs; the labels are lazy translations.
    status_choices: ClassVar[Sequence[tuple[str, Any]]] = ()

    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    def _label(self, code: str) -> str:
        """The translated name of a status (the code itself for one no longer in the list)."""
        return str(dict(self.status_choices).get(code, code))

    @property
    def from_label(self) -> str:
        return self._label(self.from_status) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
