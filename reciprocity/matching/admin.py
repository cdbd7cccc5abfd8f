from django.contrib import admin

from reciprocity.core.admin import LifecycleModelAdmin
from reciprocity.matching.models import PlacementRun, RunProposal, RunUnplaced


@admin.register(PlacementRun)
class PlacementRunAdmin(LifecycleModelAdmin):
    list_display = ["pk", "label", "status", "mode", "placed_count", "volunteers_count", "created_at"]
    list_filter = ["status", "mode"]
    readonly_fields = ["instance", "references", "warnings"]
    # A run is queued, run and finished by matching/services.py (allowed moves, history row);
    # its parameters and results are what it ran with and found.
    lifecycle_fields = (
        "status", "stage", "progress", "best_objective", "error", "started_at", "finished_at",
        "created_by", "organisation", "season_start", "season_end", "programme", "missions",
        "mode", "time_limit", "unplaced_penalty", "result_status", "volunteers_count",
        "fixed_count", "placed_count", "placed_percent", "first_choice_percent", "mean_rank",
        "worst_nationality", "worst_nationality_rate", "objective", "bound", "gap", "seconds",
    )
    allow_add = False  # queued by run_create


@admin.register(RunProposal)
class RunProposalAdmin(LifecycleModelAdmin):
    list_display = ["run", "volunteer", "mission", "rank", "decision"]
    list_filter = ["decision"]
    raw_id_fields = ["run", "volunteer", "mission", "choice", "placement"]
    # Accepted (a placement is made) or rejected through the run's review only.
    lifecycle_fields = ("run", "volunteer", "mission", "choice", "rank", "nationality", "gender",
                        "decision", "decided_by", "decided_at", "placement")
    allow_add = False


@admin.register(RunUnplaced)
class RunUnplacedAdmin(admin.ModelAdmin):
    list_display = ["run", "volunteer", "reason"]
    list_filter = ["reason"]
    raw_id_fields = ["run", "volunteer", "application"]
