from django.contrib import admin

from reciprocity.applications.models import Application, ApplicationChoice


class ChoiceInline(admin.TabularInline):
    model = ApplicationChoice
    extra = 0
    raw_id_fields = ["mission"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["id", "volunteer", "kind", "sending_organisation", "status", "submitted_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["volunteer"]
    inlines = [ChoiceInline]
