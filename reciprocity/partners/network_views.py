"""Pages where the network is run: organisations, accreditations and affiliations are created
and edited here, not in the admin (docs/accounts.md, "Running the network"). Each view checks
the permission (partners/permissions.py), reads a plain form, calls one service and shows its
refusals on the form."""

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.selectors import is_platform_staff
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.validation import add_to_form
from reciprocity.partners import services
from reciprocity.partners.forms import (
    AccreditationForm,
    AffiliationEndForm,
    AffiliationForm,
    ContactsForm,
    OrganisationForm,
)
from reciprocity.partners.models import Accreditation, Affiliation, Organisation
from reciprocity.partners.permissions import (
    CONTACT_FIELDS,
    can_edit_contacts,
    can_grant_coordinator,
    can_manage_organisation,
    coordinator_ids,
    managed_organisations,
    runs_the_network,
)
from reciprocity.partners.selectors import organisations_visible_to
from reciprocity.partners.timezones import remember_time_zone


def _form_page(request: HttpRequest, form: Form, *, title: str, cancel_url: str,
               intro: str = "", extra: dict[str, Any] | None = None) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    context = {"form": form, "title": title, "intro": intro, "cancel_url": cancel_url,
               **(extra or {})}
    return render(request, "partners/network_form.html", context, status=status)


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    return get_object_or_404(organisations_visible_to(request.user), pk=pk)


def _require_manager(request: HttpRequest, organisation: Organisation) -> None:
    if not can_manage_organisation(request.user, organisation, today=timezone.localdate()):
        raise PermissionDenied(_("Only platform staff and the coordinators of its network can "
                                 "change this organisation."))


@login_required
def organisation_new(request: HttpRequest) -> HttpResponse:
    if not runs_the_network(request.user):
        raise PermissionDenied(_("Only platform staff and coordinators create organisations."))
    staff = is_platform_staff(request.user)
    networks = Organisation.objects.filter(is_coordinator=True).order_by("name")
    if not staff:
        networks = networks.filter(pk__in=coordinator_ids(request.user))
    form = OrganisationForm(request.POST or None, networks=networks,
                            may_grant_coordinator=can_grant_coordinator(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                by=request.user, data=form.data_object(), network=form.cleaned_data["network"],
                today=timezone.localdate())
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Organisation “%(name)s” created.")
                             % {"name": organisation.name})
            return redirect("partners:detail", pk=organisation.pk)
    return _form_page(request, form, title=_("New organisation"),
                      cancel_url=reverse("partners:list"))


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Coordinators and staff get every field; the organisation's own administrators its
    contact details only."""
    organisation = _organisation(request, pk)
    today = timezone.localdate()
    current = services.OrganisationData.of(organisation)
    initial = vars(current).copy()
    form: OrganisationForm | ContactsForm
    if can_manage_organisation(request.user, organisation, today=today):
        form = OrganisationForm(request.POST or None, initial=initial,
                                may_grant_coordinator=can_grant_coordinator(request.user))
    elif can_edit_contacts(request.user, organisation, today=today):
        form = ContactsForm(request.POST or None,
                            initial={name: initial[name] for name in CONTACT_FIELDS})
    else:
        raise PermissionDenied(_("Only platform staff, the coordinators of its network and its "
                                 "own administrators can change this organisation."))
    if request.method == "POST" and form.is_valid():
        if isinstance(form, OrganisationForm):
            data = form.data_object()
        else:
            data = dataclasses.replace(current, **form.cleaned_data)
        try:
            services.organisation_update(by=request.user, organisation=organisation, data=data,
                                         today=today)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            # The editor's own pages follow a changed zone at once; other members' from their
            # next sign-in (the zone is kept in the session: partners/timezones.py).
            remember_time_zone(sender=None, request=request, user=request.user)
            messages.success(request, _("Organisation saved."))
            return redirect("partners:detail", pk=organisation.pk)
    return _form_page(request, form, title=_("Edit %(name)s") % {"name": organisation.name},
                      cancel_url=reverse("partners:detail", args=[organisation.pk]))


@login_required
def accreditation_new(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    _require_manager(request, organisation)
    form = AccreditationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accreditation_create(by=request.user, organisation=organisation,
                                          data=form.data_object(), today=timezone.localdate())
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Accreditation recorded."))
            return redirect("partners:detail", pk=organisation.pk)
    return _form_page(request, form, title=_("New accreditation of %(name)s")
                      % {"name": organisation.name},
                      cancel_url=reverse("partners:detail", args=[organisation.pk]))


@login_required
def accreditation_edit(request: HttpRequest, pk: int, accreditation_id: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    accreditation = get_object_or_404(Accreditation, pk=accreditation_id, organisation=organisation)
    _require_manager(request, organisation)
    form = AccreditationForm(request.POST or None,
                             initial=vars(services.AccreditationData.of(accreditation)))
    if request.method == "POST" and form.is_valid():
        try:
            services.accreditation_update(by=request.user, accreditation=accreditation,
                                          data=form.data_object(), today=timezone.localdate())
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Accreditation saved."))
            return redirect("partners:detail", pk=organisation.pk)
    return _form_page(request, form, title=_("Edit accreditation %(number)s")
                      % {"number": accreditation.number},
                      cancel_url=reverse("partners:detail", args=[organisation.pk]))


def _affiliation_parents(request: HttpRequest) -> Any:
    return managed_organisations(request.user, today=timezone.localdate())


@login_required
def affiliation_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that this organisation belongs to another, or that another belongs to it."""
    organisation = _organisation(request, pk)
    today = timezone.localdate()
    parents = _affiliation_parents(request)
    if not parents.exists():
        raise PermissionDenied(_("Only platform staff and coordinators record affiliations."))
    initial: dict[str, Any] = {"valid_from": today}
    if parents.filter(pk=organisation.pk).exists():
        initial["parent"] = organisation
    else:
        initial["member"] = organisation
    form = AffiliationForm(request.POST or None, organisation=organisation, parents=parents,
                           initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.affiliation_create(
                by=request.user, member=data["member"], parent=data["parent"], kind=data["kind"],
                valid_from=data["valid_from"], valid_to=data["valid_to"], today=today)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Affiliation recorded."))
            return redirect("partners:detail", pk=organisation.pk)
    return _form_page(request, form, title=_("New affiliation of %(name)s")
                      % {"name": organisation.name},
                      intro=_("A host that belongs to a coordinator's network, or an organisation "
                              "hosting under an intermediary's accreditation."),
                      cancel_url=reverse("partners:detail", args=[organisation.pk]))


def _affiliation(request: HttpRequest, organisation: Organisation,
                 affiliation_id: int) -> Affiliation:
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("member", "parent"), pk=affiliation_id)
    if organisation.pk not in (affiliation.member_id, affiliation.parent_id):
        raise Http404  # the address names another organisation
    if not services.can_manage_affiliation(request.user, parent=affiliation.parent,
                                           member=affiliation.member,
                                           today=timezone.localdate()):
        raise PermissionDenied(_("Only platform staff and the coordinators of the organisation "
                                 "it belongs to can change this affiliation."))
    return affiliation


@login_required
def affiliation_edit(request: HttpRequest, pk: int, affiliation_id: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    affiliation = _affiliation(request, organisation, affiliation_id)
    today = timezone.localdate()
    initial = {"member": affiliation.member, "parent": affiliation.parent,
               "kind": affiliation.kind, "valid_from": affiliation.valid_from,
               "valid_to": affiliation.valid_to}
    form = AffiliationForm(request.POST or None, organisation=organisation,
                           parents=Organisation.objects.filter(pk=affiliation.parent_id),
                           initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.affiliation_update(by=request.user, affiliation=affiliation,
                                        kind=data["kind"], valid_from=data["valid_from"],
                                        valid_to=data["valid_to"], today=today)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Affiliation saved."))
            return redirect("partners:detail", pk=organisation.pk)
    end_form = AffiliationEndForm(today=today) if affiliation.valid_to is None else None
    return _form_page(request, form, title=_("Affiliation: %(label)s") % {"label": affiliation},
                      cancel_url=reverse("partners:detail", args=[organisation.pk]),
                      extra={"end_form": end_form, "end_url": reverse(
                          "partners:affiliation_end", args=[organisation.pk, affiliation.pk])})


@login_required
@require_POST
def affiliation_end(request: HttpRequest, pk: int, affiliation_id: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    affiliation = _affiliation(request, organisation, affiliation_id)
    today = timezone.localdate()
    form = AffiliationEndForm(request.POST, today=today)
    if not form.is_valid():
        messages.error(request, _("Give the affiliation's last day."))
        return redirect("partners:affiliation_edit", pk=organisation.pk,
                        affiliation_id=affiliation.pk)
    try:
        services.affiliation_end(by=request.user, affiliation=affiliation,
                                 on=form.cleaned_data["on"], today=today)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("partners:affiliation_edit", pk=organisation.pk,
                        affiliation_id=affiliation.pk)
    messages.success(request, _("Affiliation ended."))
    return redirect("partners:detail", pk=organisation.pk)
