from django.contrib import admin

from reciprocity.schemes.models import Scheme, SchemeRule, SchemeSuspension


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
