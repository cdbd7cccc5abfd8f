from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "reciprocity.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from reciprocity.audit.registry import register_models

        register_models()
