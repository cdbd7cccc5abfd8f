"""Pages: upload PEF/VEF files (preview, then import), download our files, set a code."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from reciprocity.accounts.models import User
from reciprocity.applications.models import Application
from reciprocity.core.exceptions import ApplicationError
from reciprocity.core.staging import upload_discard, upload_stage, upload_take
from reciprocity.exchange import permissions
from reciprocity.exchange.exports import ExportFile, fpl_export, pef_export, vef_export
from reciprocity.exchange.forms import ExchangeCodeForm, ImportForm, WebhookForm
from reciprocity.exchange.models import WebhookDelivery, WebhookEndpoint
from reciprocity.exchange.services import (
    ImportOutcome,
    organisation_exchange_code_set,
    pef_import,
    vef_import,
)
from reciprocity.exchange.webhooks import webhook_endpoint_create, webhook_endpoint_delete
from reciprocity.partners.models import Organisation
from reciprocity.volunteers.models import AccessChannel


@login_required
def import_files(request: HttpRequest) -> HttpResponse:
    """Upload files; "Preview" runs the import as a dry run and keeps the files, so that
    "Import these files" writes them (all or nothing) without choosing them again; "Import"
    on the form writes at once."""
    if not permissions.may_import(request.user):
        raise PermissionDenied
    outcome, staged = None, ""
    form = ImportForm(request.POST or None, request.FILES or None)
    user = request.user if isinstance(request.user, User) else None
    if request.method == "POST" and request.POST.get("staged") and user is not None:
        try:
            upload = upload_take(token=request.POST["staged"], owner_id=user.pk,
                                 purpose=STAGING_PURPOSE, now=timezone.now())
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("exchange:import")
        outcome = _import(request, kind=upload.options.get("kind", ""), files=upload.files,
                          dry_run=False, user=user)
        upload_discard(token=upload.token, file_count=len(upload.files))
        form = ImportForm()
    elif request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["upload"]]
        dry_run = request.POST.get("action") != "import"
        kind = form.cleaned_data["kind"]
        outcome = _import(request, kind=kind, files=files, dry_run=dry_run, user=user)
        if dry_run and not outcome.errors and user is not None:
            staged = upload_stage(owner_id=user.pk, purpose=STAGING_PURPOSE, files=files,
                                  options={"kind": kind}, now=timezone.now())
    return render(request, "exchange/import.html",
                  {"form": form, "outcome": outcome, "staged": staged})


STAGING_PURPOSE = "exchange-import"


def _import(
    request: HttpRequest, *, kind: str, files: list[tuple[str, bytes]], dry_run: bool,
    user: User | None,
) -> ImportOutcome:
    allowed = permissions.import_permit(request.user)
    if kind == "pef":
        return pef_import(files=files, today=timezone.localdate(), dry_run=dry_run,
                          actor=user, allowed=allowed)
    return vef_import(files=files, now=timezone.now(), dry_run=dry_run, actor=user,
                      allowed=allowed)


def _download(result: ExportFile) -> HttpResponse:
    response = HttpResponse(result.content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{result.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export_or_message(
    request: HttpRequest, make: Callable[[], ExportFile], back: str
) -> HttpResponse:
    try:
        result = make()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return _download(result)


@login_required
def export_organisation(request: HttpRequest, organisation_id: int, kind: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if kind not in {"pef", "fpl"} or not permissions.can_export_organisation(
        request.user, organisation
    ):
        raise PermissionDenied
    today = timezone.localdate()
    back = f"/organisations/{organisation.pk}/"
    if kind == "pef":
        return _export_or_message(
            request, lambda: pef_export(organisation=organisation, today=today), back)
    return _export_or_message(
        request, lambda: fpl_export(organisation=organisation, today=today), back)


@login_required
def export_application(request: HttpRequest, application_id: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=application_id)
    if not permissions.can_export_application(request.user, application):
        raise PermissionDenied
    return _export_or_message(
        request,
        lambda: vef_export(application=application, today=timezone.localdate(),
                           viewer=request.user, channel=AccessChannel.PAGE),
        f"/applications/{application.pk}/",
    )


@login_required
def exchange_code(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not permissions.can_set_exchange_code(request.user, organisation):
        raise PermissionDenied
    form = ExchangeCodeForm(request.POST or None,
                            initial={"exchange_code": organisation.exchange_code or ""})
    if request.method == "POST" and form.is_valid():
        try:
            organisation_exchange_code_set(
                organisation=organisation, code=form.cleaned_data["exchange_code"],
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error("exchange_code", exc.message)
        else:
            messages.success(request, _("Exchange code saved."))
            return redirect("partners:detail", organisation.pk)
    return render(request, "exchange/exchange_code.html",
                  {"form": form, "organisation": organisation})


@login_required
def webhooks(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """An organisation's webhooks: register (the secret is shown once), list, remove, and the
    log of the last deliveries with the answers."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not permissions.can_set_exchange_code(request.user, organisation):
        raise PermissionDenied
    form = WebhookForm(request.POST or None)
    secret = None
    if request.method == "POST" and request.POST.get("delete"):
        endpoint = get_object_or_404(WebhookEndpoint, pk=request.POST["delete"],
                                     organisation=organisation)
        webhook_endpoint_delete(actor=request.user, endpoint=endpoint)
        messages.success(request, _("Webhook removed."))
        return redirect("exchange:webhooks", organisation.pk)
    if request.method == "POST" and form.is_valid():
        try:
            _endpoint, secret = webhook_endpoint_create(
                actor=request.user, organisation=organisation, url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except ApplicationError as exc:
            form.add_error("url", exc.message)
        else:
            form = WebhookForm()
    endpoints = WebhookEndpoint.objects.filter(organisation=organisation).order_by("pk")
    deliveries = WebhookDelivery.objects.filter(endpoint__organisation=organisation).select_related(
        "endpoint").order_by("-created_at", "-pk")[:50]
    return render(request, "exchange/webhooks.html", {
        "organisation": organisation, "form": form, "secret": secret, "endpoints": endpoints,
        "deliveries": deliveries,
    })
