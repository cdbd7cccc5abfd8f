from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """Installed (it has no models) so that Django finds the commands that drive its use-cases
    in reciprocity/workflow/management/commands/ (`applications`, `volunteers`)."""

    name = "reciprocity.workflow"
    label = "workflow"
