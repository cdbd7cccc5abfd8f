"""Pages for signing a placement's contract or agreement (placements.signatures)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reciprocity.accounts.http import AuthenticatedHttpRequest
from reciprocity.core.exceptions import ApplicationError
from reciprocity.placements import signatures
from reciprocity.placements.models import DocumentVersion, Placement
from reciprocity.placements.selectors import placements_visible_to
from reciprocity.volunteers.models import AccessChannel


def _visible(request: AuthenticatedHttpRequest, pk: int) -> Placement:
    return get_object_or_404(
        placements_visible_to(request.user).select_related(
            "volunteer", "mission", "mission__host", "sending_organisation"
        ),
        pk=pk,
    )


@login_required
@require_POST
def document_sign(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    placement = _visible(request, pk)
    if kind not in signatures.SIGNED_DOCUMENTS:
        raise Http404
    language = request.POST.get("lang") or None
    try:
        signature = signatures.document_sign(
            placement=placement, kind=kind, role=request.POST.get("role", ""),
            actor=request.user, today=timezone.localdate(), now=timezone.now(),
            language=language,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signed: %(document)s, version %(number)s (SHA-256 %(sha)s…).")
                         % {"document": signatures.kind_label(kind),
                            "number": signature.version.number, "sha": signature.sha256[:12]})
    return redirect("placements:detail", pk=placement.pk)


@login_required
def signed_version(request: AuthenticatedHttpRequest, pk: int, version_id: int) -> HttpResponse:
    placement = _visible(request, pk)
    try:
        version, data = signatures.signed_version_download(
            placement=placement, version_id=version_id, reader=request.user,
            channel=AccessChannel.PAGE,
        )
    except (DocumentVersion.DoesNotExist, FileNotFoundError, ValueError):
        raise Http404 from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{signatures.signed_filename(version)}"'
    return response
