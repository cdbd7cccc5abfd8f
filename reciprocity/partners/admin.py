from django.contrib import admin

from reciprocity.partners.models import Accreditation, Organisation


class AccreditationInline(admin.TabularInline):
    model = Accreditation
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "exchange_code", "country", "is_coordinator", "is_national_agency",
                    "is_host", "is_sending"]
    list_filter = ["country", "is_host", "is_sending", "is_national_agency", "legal_form"]
    search_fields = ["name", "acronym", "exchange_code"]
    inlines = [AccreditationInline]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["number", "organisation", "scheme", "kind", "authorised_volunteers", "valid_from", "valid_to"]
    list_filter = ["scheme", "kind"]
    search_fields = ["number", "organisation__name"]
