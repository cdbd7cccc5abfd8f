from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "reciprocity.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from reciprocity.audit.registry import register_models
        from reciprocity.audit.services import audit_encrypted_values_rewritten
        from reciprocity.core.encryption import encrypted_values_rewritten

        register_models()
        # `reciprocity encryption rotate` rewrites rows with update(), which sends no signal.
        encrypted_values_rewritten.connect(audit_encrypted_values_rewritten,
                                           dispatch_uid="audit_encryption_rotation")
