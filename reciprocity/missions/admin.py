from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciprocity.core.admin import LifecycleModelAdmin
from reciprocity.missions.models import Mission, MissionStatusChange


class MissionStatusChangeInline(admin.TabularInline):
    """Read-only: the history is written by the services, never edited by hand."""

    model = MissionStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "occurred_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Mission)
class MissionAdmin(LifecycleModelAdmin):
    list_display = ["title", "host", "scheme", "country", "city", "start_date", "end_date", "capacity", "status"]
    list_filter = ["scheme", "status", "country", "theme"]
    search_fields = ["title", "city", "host__name"]
    autocomplete_fields = ["host"]
    inlines = [MissionStatusChangeInline]
    # Published, closed or cancelled through missions/services.py (allowed moves, history row).
    lifecycle_fields = ("status",)
