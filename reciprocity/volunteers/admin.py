from django.contrib import admin

from reciprocity.volunteers.models import Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["reference", "last_name", "first_name", "nationality", "gender", "sending_organisation"]
    list_filter = ["gender", "nationality"]
    search_fields = ["reference", "last_name", "first_name"]
    # The clear document number never appears in lists; staff edit it on the form only.
    readonly_fields = ["created_at", "updated_at"]
