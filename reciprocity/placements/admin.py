from django.contrib import admin

from reciprocity.core.admin import LifecycleModelAdmin, ReadOnlyTabularInline
from reciprocity.placements.models import Placement, PlacementStatusChange


class HistoryInline(ReadOnlyTabularInline):
    model = PlacementStatusChange
    fields = readonly_fields = ("from_status", "to_status", "changed_by", "changed_at", "reason")


@admin.register(Placement)
class PlacementAdmin(LifecycleModelAdmin):
    list_display = ["id", "volunteer", "mission", "nationality", "host_country", "start_date", "end_date", "status"]
    list_filter = ["status", "host_country", "nationality"]
    raw_id_fields = ["volunteer", "mission", "application"]
    inlines = [HistoryInline]
    # The lifecycle (placements/services.py) moves these and writes the history and the ledger;
    # the ledger's entries are computed from the rest (who, where, when, which agreement), so
    # editing them here would leave the balance counting another placement.
    lifecycle_fields = (
        "status", "ended_on", "end_reason", "termination_reason",
        "volunteer", "mission", "agreement", "nationality", "host_country", "scheme", "gender",
        "start_date", "end_date",
    )
    allow_add = False  # proposed, accepted or imported by the services
    allow_delete = False  # cancelled or interrupted, never deleted
