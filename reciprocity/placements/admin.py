from django.contrib import admin

from reciprocity.placements.models import Placement, PlacementStatusChange


class HistoryInline(admin.TabularInline):
    model = PlacementStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "reason"]
    can_delete = False


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["id", "volunteer", "mission", "nationality", "host_country", "start_date", "end_date", "status"]
    list_filter = ["status", "host_country", "nationality"]
    raw_id_fields = ["volunteer", "mission", "application"]
    inlines = [HistoryInline]
