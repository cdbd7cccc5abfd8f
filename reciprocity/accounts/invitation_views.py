"""Pages of organisation membership: the members page of an organisation (list, invite, change
a role, remove, revoke an invitation) and the invitation link (set a password, or attach the
membership to the signed-in account)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reciprocity.accounts import membership as services
from reciprocity.accounts.http import AuthenticatedHttpRequest, signed_in_user
from reciprocity.accounts.models import Invitation, Membership, MembershipRole, User
from reciprocity.core.exceptions import ApplicationError
from reciprocity.partners.models import Organisation


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices,
                             initial=MembershipRole.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


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


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not services.can_see_members(request.user, organisation):
        raise PermissionDenied(gettext("Only the organisation's members can see its members."))
    return organisation


def _manager_only(request: HttpRequest, organisation: Organisation) -> None:
    if not services.can_manage_members(request.user, organisation):
        raise PermissionDenied(
            gettext("Only the organisation's administrators can manage its members."))


@login_required
def members(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    now = timezone.now()
    form = InviteForm()
    if request.method == "POST":
        _manager_only(request, organisation)
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_create(
                    organisation=organisation, email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"], invited_by=request.user,
                    now=now, base_url=request.build_absolute_uri("/"))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, gettext("Invitation sent to %(email)s.")
                                 % {"email": form.cleaned_data["email"]})
                return redirect("partners:members", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "can_manage": services.can_manage_members(request.user, organisation),
        "memberships": organisation.memberships.select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username"),
        "invitations": list(organisation.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True).order_by("email")),
        "now": now,
        "form": form,
        "roles": MembershipRole.choices,
    }
    return render(request, "partners/members.html", context)


@login_required
@require_POST
def member_role(request: AuthenticatedHttpRequest, pk: int, membership_id: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    _manager_only(request, organisation)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a valid role."))
    else:
        try:
            services.membership_change_role(membership=membership, role=form.cleaned_data["role"],
                                            by=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Role changed."))
    return redirect("partners:members", pk=organisation.pk)


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, pk: int, membership_id: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    _manager_only(request, organisation)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Member removed."))
    if membership.user_id == request.user.pk and not services.can_see_members(request.user,
                                                                              organisation):
        return redirect("partners:detail", pk=organisation.pk)
    return redirect("partners:members", pk=organisation.pk)


@login_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    _manager_only(request, organisation)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user,
                                   now=timezone.now())
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Invitation revoked."))
    return redirect("partners:members", pk=organisation.pk)


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
