from django.contrib import admin

from reciprocity.applications.models import Application, ApplicationChoice
from reciprocity.core.admin import LifecycleModelAdmin, LifecycleTabularInline


class ChoiceInline(LifecycleTabularInline):
    model = ApplicationChoice
    extra = 0
    raw_id_fields = ["mission"]
    # Decided by the host through the services (history row, notification, placement).
    lifecycle_fields = ("mission", "rank", "status", "decision_reason", "decided_at",
                        "eligibility", "overdue_flagged_at")
    allow_add = False
    allow_delete = False


@admin.register(Application)
class ApplicationAdmin(LifecycleModelAdmin):
    list_display = ["id", "volunteer", "kind", "sending_organisation", "status", "submitted_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["volunteer"]
    inlines = [ChoiceInline]
    lifecycle_fields = ("volunteer", "kind", "status", "submitted_at")
    allow_add = False  # submitted or nominated by the services
    allow_delete = False  # withdrawn, never deleted
