from django.contrib import admin

from reciprocity.missions.models import Mission


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["title", "host", "scheme", "country", "city", "start_date", "end_date", "capacity", "status"]
    list_filter = ["scheme", "status", "country", "theme"]
    search_fields = ["title", "city", "host__name"]
    autocomplete_fields = ["host"]
