from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from reciprocity.agreements.exports import agreement_list_export
from reciprocity.agreements.selectors import agreement_list
from reciprocity.agreements.services import can_manage_agreement
from reciprocity.core.pagination import paginate
from reciprocity.core.spreadsheets import export_format


@login_required
def agreement_index(request: HttpRequest) -> HttpResponse:
    qs = agreement_list(user=request.user, today=timezone.localdate())
    fmt = export_format(request.GET.get("format"))
    if fmt:
        return agreement_list_export(qs, fmt)
    return render(request, "agreements/agreement_list.html", {"page": paginate(request, qs)})


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(
        agreement_list(user=request.user, today=timezone.localdate()), pk=pk)
    can_edit = can_manage_agreement(request.user, agreement, today=timezone.localdate())
    return render(request, "agreements/agreement_detail.html",
                  {"agreement": agreement, "can_edit": can_edit})
