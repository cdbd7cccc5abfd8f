"""An import of a spreadsheet: who, when, which kind, the file itself (through the storage
backend), its SHA-256, the counts and the report. Kept for the audit log: what was loaded, by
whom, and what it did, can always be shown again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reciprocity.core.models import TimeStampedModel


class ImportKind(models.TextChoices):
    MISSIONS = "missions", _("Missions")
    VOLUNTEERS = "volunteers", _("Volunteers")
    PLACEMENTS = "placements", _("Past placements")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed, nothing written")


class ImportSource(models.TextChoices):
    WEB = "web", _("Upload page")
    CLI = "cli", _("Command line")


class ImportBatch(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=ImportStatus.choices,
                              default=ImportStatus.QUEUED)
    source = models.CharField(_("from"), max_length=4, choices=ImportSource.choices,
                              default=ImportSource.WEB)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # {"errors": [[line, reason]], "warnings": [[line, reason]], "details": {name: n},
    #  "failure": "..."}: what the page and the command show.
    report = models.JSONField(_("report"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values),
                                   name="import_batch_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values),
                                   name="import_batch_status_valid"),
            models.CheckConstraint(condition=Q(source__in=ImportSource.values),
                                   name="import_batch_source_valid"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                                   name="import_batch_sha256_hex"),
            # A finished import has its end time; a waiting one has not started.
            models.CheckConstraint(
                condition=~Q(status__in=["done", "failed"]) | Q(finished_at__isnull=False),
                name="import_batch_finished_has_time"),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} import #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
