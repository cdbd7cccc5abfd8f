"""The page "API tokens": every signed-in user creates, lists and revokes their own tokens."""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from reciprocity.accounts.models import (
    API_TOKEN_DEFAULT_DAYS,
    API_TOKEN_MAX_DAYS,
    TokenScope,
    User,
)
from reciprocity.accounts.selectors import api_tokens_of, is_platform_staff, memberships_of
from reciprocity.accounts.services import api_token_create, api_token_revoke
from reciprocity.core.exceptions import ApplicationError


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What the token is for, e.g. “nightly sync”."))
    # The user's organisations as (id, name), read through their memberships: organisations
    # belong to partners, above this app. Empty value and messages as a ModelChoiceField's.
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Organisation"), choices=(), coerce=int, empty_value=None,
        help_text=gettext_lazy("The token acts only for this organisation."),
        error_messages={"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]},
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"), choices=TokenScope.choices, initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("A read-only token is refused every change."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Valid until"),
        help_text=gettext_lazy("The token works through this day, at most a year ahead."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, user: User, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        organisations = list(
            memberships_of(user).order_by("organisation__name", "organisation_id")
            .values_list("organisation_id", "organisation__name")
        )
        empty_label = "---------"
        if is_platform_staff(user):
            field.required = False
            empty_label = _("The whole platform (staff)")
            field.help_text = _(
                "The token acts only for this organisation, as its member; without one it acts "
                "for the whole platform with your staff rights."
            )
        field.choices = [("", empty_label), *organisations]
        self.fields["expires_on"].initial = today + datetime.timedelta(days=API_TOKEN_DEFAULT_DAYS)
        self.fields["expires_on"].widget.attrs.update({
            "min": (today + datetime.timedelta(days=1)).isoformat(),
            "max": (today + datetime.timedelta(days=API_TOKEN_MAX_DAYS)).isoformat(),
        })


def _page(request: HttpRequest, user: User, form: ApiTokenForm, *, new_key: str = "",
          status: int = 200) -> HttpResponse:
    tokens: QuerySet = api_tokens_of(user)
    response = render(request, "accounts/tokens.html", {
        "form": form, "tokens": tokens, "new_key": new_key, "now": timezone.now(),
        "can_create": is_platform_staff(user) or memberships_of(user).exists(),
    }, status=status)
    return response


@never_cache
@login_required
def token_index(request: HttpRequest) -> HttpResponse:
    """GET: the list and the form. POST: create a token; the answer shows the clear token, once
    (it is not stored anywhere, so the page is never cached and a reload cannot show it again)."""
    user = _signed_in(request)
    today = timezone.localdate()
    if request.method != "POST":
        return _page(request, user, ApiTokenForm(user=user, today=today))
    form = ApiTokenForm(request.POST, user=user, today=today)
    if form.is_valid():
        try:
            token, key = api_token_create(
                user=user, name=form.cleaned_data["name"],
                organisation_id=form.cleaned_data["organisation"], scope=form.cleaned_data["scope"],
                expires_on=form.cleaned_data["expires_on"], today=today,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            return _page(request, user, ApiTokenForm(user=user, today=today), new_key=key)
    return _page(request, user, form, status=400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _signed_in(request)
    token = get_object_or_404(api_tokens_of(user), pk=pk)
    api_token_revoke(user=user, token=token, now=timezone.now())
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.")
                     % {"name": token.name})
    return redirect("accounts:tokens")
