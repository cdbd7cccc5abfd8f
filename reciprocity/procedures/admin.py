"""Admin views for operators; day-to-day work happens on the procedure and staff rule pages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reciprocity.procedures.models import (
    Procedure,
    ProcedureDocument,
    ProcedureStep,
    RuleDocument,
    VisaOutcome,
    VisaRefusalGround,
)


class StepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0
    fields = ("position", "code", "owner", "due_from", "due_by", "status")
    readonly_fields = ("position", "code", "owner", "due_from", "due_by", "status")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # steps come from the rules (procedure_open_for_placement), ticked on pages


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["placement", "scheme", "entry_document", "eligible", "computed_at", "rules_source"]
    list_filter = ["scheme", "eligible", "entry_document"]
    readonly_fields = ["placement", "facts", "reasons", "warnings", "rules_version"]
    inlines = [StepInline]


@admin.register(ProcedureDocument)
class ProcedureDocumentAdmin(admin.ModelAdmin):
    list_display = ["procedure", "kind", "expires_on", "uploaded_at"]
    list_filter = ["kind"]


@admin.register(RuleDocument)
class RuleDocumentAdmin(admin.ModelAdmin):
    list_display = ["key", "updated_at", "updated_by"]


@admin.register(VisaRefusalGround)
class VisaRefusalGroundAdmin(admin.ModelAdmin):
    """Staff keep the grounds list as consulates word it (seeded by migration 0003)."""

    list_display = ["position", "code", "form_number", "label_en", "confidence", "active"]
    list_editable = ["active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # recorded refusals point at it: retire a ground (active) instead


@admin.register(VisaOutcome)
class VisaOutcomeAdmin(admin.ModelAdmin):
    list_display = ["placement", "decision", "application_date", "decision_date"]
    list_filter = ["decision"]
    raw_id_fields = ["placement", "step"]
