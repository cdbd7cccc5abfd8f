from django.contrib import admin

from reciprocity.agreements.models import Agreement, Programme


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["reference", "party_a", "party_b", "start_date", "end_date", "quota_a_to_b", "quota_b_to_a", "tolerance", "status"]
    list_filter = ["status", "unit", "schemes"]
    search_fields = ["reference", "title", "party_a__name", "party_b__name"]
    autocomplete_fields = ["party_a", "party_b"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "coordinator", "start_date", "end_date"]
