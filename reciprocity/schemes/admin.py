from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciprocity.schemes.models import RuleChange, Scheme, SchemeRule, SchemeSuspension


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr"]


@admin.register(SchemeRule)
class SchemeRuleAdmin(admin.ModelAdmin):
    list_display = ["scheme", "key", "value", "unit", "effective_from", "confidence"]
    list_filter = ["scheme", "confidence"]
    search_fields = ["key", "source", "note"]


@admin.register(SchemeSuspension)
class SchemeSuspensionAdmin(admin.ModelAdmin):
    list_display = ["scheme", "start", "end", "confidence"]
    list_filter = ["scheme"]


@admin.register(RuleChange)
class RuleChangeAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "label", "action", "actor"]
    list_filter = ["target", "action"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an audit trail is not edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
