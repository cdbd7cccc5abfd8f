from django.contrib import admin

from reciprocity.matching.models import PlacementRun, RunProposal, RunUnplaced


@admin.register(PlacementRun)
class PlacementRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "label", "status", "mode", "placed_count", "volunteers_count", "created_at"]
    list_filter = ["status", "mode"]
    readonly_fields = ["instance", "references", "warnings"]


@admin.register(RunProposal)
class RunProposalAdmin(admin.ModelAdmin):
    list_display = ["run", "volunteer", "mission", "rank", "decision"]
    list_filter = ["decision"]
    raw_id_fields = ["run", "volunteer", "mission", "choice", "placement"]


@admin.register(RunUnplaced)
class RunUnplacedAdmin(admin.ModelAdmin):
    list_display = ["run", "volunteer", "reason"]
    list_filter = ["reason"]
    raw_id_fields = ["run", "volunteer", "application"]
