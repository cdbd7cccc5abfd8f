"""The invitation's link (set a password, or attach the membership to the signed-in account),
services in accounts/invitations.py. The members page of an organisation (list, invite, change
a role, remove, revoke) is partners/invitation_views.py."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reciprocity.accounts import invitations as services
from reciprocity.accounts.http import signed_in_user
from reciprocity.accounts.models import MembershipRole, User
from reciprocity.core.exceptions import ApplicationError


class NewAccountForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", gettext("The two passwords differ."))
        elif one:
            candidate = User(username=self.email, email=self.email,
                             first_name=data.get("first_name", ""),
                             last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(one, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. A person without an account sets a password; one with an
    account signs in (with the invited address) and accepts; a refusal says why."""
    now = timezone.now()
    try:
        found = services.invitation_for_token(token=token, now=now)
    except services.InvitationUnusable as exc:
        return render(request, "accounts/invitation_refused.html",
                      {"message": exc.message, "code": exc.code},
                      status=404 if exc.code == "invitation_invalid" else 410)
    here = reverse("accounts:invitation", kwargs={"token": token})
    context: dict = {"invitation": found, "organisation": found.organisation,
                     "role": MembershipRole(found.role).label}
    if request.user.is_authenticated:
        user = signed_in_user(request)
        context["wrong_account"] = user.email.strip().lower() != found.email
        if request.method == "POST" and not context["wrong_account"]:
            try:
                services.invitation_accept(token=token, user=user, now=now)
            except ApplicationError as exc:
                return render(request, "accounts/invitation_refused.html",
                              {"message": exc.message, "code": exc.code}, status=410)
            messages.success(request, gettext("You are now a member of %(organisation)s.")
                             % {"organisation": found.organisation.name})
            return redirect("partners:detail", pk=found.organisation_id)
        return render(request, "accounts/invitation_accept.html", context)
    if services.existing_account_for(found.email) is not None:
        context["login_url"] = reverse("accounts:login") + "?next=" + here
        return render(request, "accounts/invitation_sign_in.html", context)
    form = NewAccountForm(request.POST or None, email=found.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept_new_account(
                token=token, password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"], now=now)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, gettext(
                "Your account is ready. Sign in with %(email)s and your new password.")
                % {"email": found.email})
            return redirect(reverse("accounts:login") + "?next="
                            + reverse("partners:detail", kwargs={"pk": found.organisation_id}))
    context["form"] = form
    return render(request, "accounts/invitation_new_account.html", context)
