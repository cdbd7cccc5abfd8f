"""Imports a person may see: their own; platform staff see every import."""

from django.db.models import QuerySet

from reciprocity.accounts.selectors import AnyUser, is_platform_staff
from reciprocity.imports.models import ImportBatch


def batches_visible_to(user: AnyUser) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.select_related("created_by").order_by("-created_at", "-pk")
    if is_platform_staff(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(created_by=user)
