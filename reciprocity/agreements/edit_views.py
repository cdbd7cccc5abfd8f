"""Pages where agreements and programmes are created and edited (docs/accounts.md, "Running
the network"); the services and their permissions are in agreements/services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.agreements import services
from reciprocity.agreements.forms import AgreementForm, ProgrammeForm
from reciprocity.agreements.selectors import agreement_list, programmes_visible_to
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.pagination import paginate
from reciprocity.core.validation import add_to_form
from reciprocity.partners.models import Organisation
from reciprocity.partners.permissions import runs_the_network


def _form_page(request: HttpRequest, form: Form, *, title: str, cancel_url: str) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "partners/network_form.html",
                  {"form": form, "title": title, "cancel_url": cancel_url}, status=status)


def _refuse_agreement() -> PermissionDenied:
    return PermissionDenied(_("Only platform staff and the coordinators of one of its parties "
                              "can write this agreement."))


@login_required
def agreement_new(request: HttpRequest) -> HttpResponse:
    if not runs_the_network(request.user):
        raise PermissionDenied(_("Only platform staff and coordinators create agreements."))
    form = AgreementForm(request.POST or None, parties=Organisation.objects.all(),
                         initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(by=request.user, data=form.data_object(),
                                                  today=timezone.localdate())
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Agreement “%(reference)s” created.")
                             % {"reference": agreement.reference})
            return redirect("agreements:detail", pk=agreement.pk)
    return _form_page(request, form, title=_("New agreement"),
                      cancel_url=reverse("agreements:list"))


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(
        agreement_list(user=request.user, today=timezone.localdate()), pk=pk)
    today = timezone.localdate()
    if not services.can_manage_agreement(request.user, agreement, today=today):
        raise _refuse_agreement()
    initial = vars(services.AgreementData.of(agreement)).copy()
    initial["schemes"] = list(initial["schemes"])
    form = AgreementForm(request.POST or None, parties=Organisation.objects.all(),
                         initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(by=request.user, agreement=agreement,
                                      data=form.data_object(), today=today)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("agreements:detail", pk=agreement.pk)
    return _form_page(request, form, title=_("Edit %(title)s") % {"title": agreement.title},
                      cancel_url=reverse("agreements:detail", args=[agreement.pk]))


@login_required
def programme_index(request: HttpRequest) -> HttpResponse:
    programmes = programmes_visible_to(request.user)
    page = paginate(request, programmes)
    editable = {p.pk for p in page if services.can_manage_programme(request.user, p)}
    return render(request, "agreements/programme_list.html",
                  {"page": page, "editable": editable})


@login_required
def programme_new(request: HttpRequest) -> HttpResponse:
    coordinators = services.programme_coordinators(request.user)
    if not coordinators.exists():
        raise PermissionDenied(_("Only platform staff and coordinators create programmes."))
    form = ProgrammeForm(request.POST or None, coordinators=coordinators,
                         initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_create(by=request.user, data=form.data_object())
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Programme created."))
            return redirect("agreements:programmes")
    return _form_page(request, form, title=_("New programme"),
                      cancel_url=reverse("agreements:programmes"))


@login_required
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(programmes_visible_to(request.user), pk=pk)
    if not services.can_manage_programme(request.user, programme):
        raise PermissionDenied(_("Only platform staff and the programme's coordinator can "
                                 "write it."))
    current = services.ProgrammeData.of(programme)
    initial = vars(current).copy()
    initial["countries"] = " ".join(current.countries)
    initial["schemes"] = list(current.schemes)
    coordinators = services.programme_coordinators(request.user)
    form = ProgrammeForm(request.POST or None, coordinators=coordinators, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(by=request.user, programme=programme,
                                      data=form.data_object())
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("agreements:programmes")
    return _form_page(request, form, title=_("Edit %(name)s") % {"name": programme.name},
                      cancel_url=reverse("agreements:programmes"))
