"""Pages of an organisation's members: the members page (list, invite, change a role, remove,
revoke an invitation), services in partners/membership.py. The invitation's link (set a
password, or attach the membership to the signed-in account) is accounts/invitation_views.py."""


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.accounts.models import Invitation, Membership, MembershipRole
from reciprocity.core.exceptions import ApplicationError
from reciprocity.partners import membership as services
from reciprocity.partners.models import Organisation


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices,
                             initial=MembershipRole.VIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


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
