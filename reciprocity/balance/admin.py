"""The ledger in the admin site: readable by staff, never editable (corrections are entries
written by the services, with their reason)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciprocity.balance.models import BalanceAlert, LedgerEntry, LedgerTotal


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "event", "occurred_on", "year", "origin_country", "host_country",
                    "scheme", "agreement", "direction", "volunteers", "volunteer_months",
                    "realised_volunteers", "realised_months"]
    list_filter = ["event", "year", "scheme", "direction"]
    search_fields = ["placement__volunteer__reference", "note"]
    raw_id_fields = ["placement", "corrects"]


@admin.register(LedgerTotal)
class LedgerTotalAdmin(ReadOnlyAdmin):
    list_display = ["year", "origin_country", "host_country", "scheme", "agreement", "direction",
                    "volunteers", "volunteer_months", "realised_volunteers", "realised_months",
                    "entries"]
    list_filter = ["year", "scheme", "direction"]


@admin.register(BalanceAlert)
class BalanceAlertAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "year", "position", "tolerance", "created_at"]
    list_filter = ["year"]
