from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts.models import ApiToken, Membership, User
from reciprocity.accounts.services import api_token_revoke


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class ReciprocityUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created on the page "API tokens" (or by `reciprocity demo --token`), where the
    clear value is shown once; here staff only look and revoke."""

    list_display = ["name", "user", "prefix", "organisation", "scope", "created_at",
                    "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "key_hash", "prefix", "organisation", "scope", "expires_at",
                       "revoked_at", "created_by", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        assert isinstance(request.user, User)  # the admin site requires a signed-in staff user
        now = timezone.now()
        for token in queryset:
            api_token_revoke(user=request.user, token=token, now=now)
