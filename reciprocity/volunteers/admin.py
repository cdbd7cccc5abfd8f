"""Volunteers in the admin site: every change page and every list page is a read of personal
data, written in the access log (channel "admin"); the identity-document number is shown masked
and never edited here (docs/data-protection.md)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from reciprocity.volunteers.models import (
    AccessAction,
    AccessChannel,
    PersonalDataAccess,
    PersonalDataBulkAccess,
    Volunteer,
)
from reciprocity.volunteers.services import (
    personal_data_access_record,
    personal_data_bulk_access_record,
)


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["reference", "last_name", "first_name", "nationality", "gender", "sending_organisation"]
    list_filter = ["gender", "nationality"]
    search_fields = ["reference", "last_name", "first_name"]
    # The decrypted number never reaches the admin's HTML: the form leaves the field out and
    # shows the masked form (staff who need the number in full read it in the person's export).
    exclude = ["id_document_number"]
    readonly_fields = ["id_document_number_masked", "created_at", "updated_at", "anonymised_at"]

    @admin.display(description=_("document number"))
    def id_document_number_masked(self, obj: Volunteer) -> str:
        return obj.id_document_number_masked

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and response.status_code == 200:
            changelist = (response.context_data or {}).get("cl")
            if changelist is not None:
                personal_data_bulk_access_record(
                    volunteer_ids=[v.pk for v in changelist.result_list], actor=request.user,
                    action=AccessAction.LIST, channel=AccessChannel.ADMIN,
                    source=request.get_full_path(),
                )
        return response

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: Any = None) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200 and request.method == "GET":
            volunteer = self.get_object(request, object_id)
            if volunteer is not None:
                personal_data_access_record(
                    volunteer=volunteer, actor=request.user, action=AccessAction.VIEW,
                    channel=AccessChannel.ADMIN, detail=request.path,
                )
        return response


class AppendOnlyAdmin(admin.ModelAdmin):
    """The access logs: staff read and filter them; nobody adds, edits or deletes a row."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(AppendOnlyAdmin):
    list_display = ["occurred_at", "volunteer", "actor", "action", "channel", "detail"]
    list_filter = ["action", "channel"]
    raw_id_fields = ["volunteer", "actor"]


@admin.register(PersonalDataBulkAccess)
class PersonalDataBulkAccessAdmin(AppendOnlyAdmin):
    list_display = ["occurred_at", "actor", "action", "channel", "persons", "source"]
    list_filter = ["action", "channel"]
    raw_id_fields = ["actor"]
